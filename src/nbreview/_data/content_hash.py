"""Content keys, scheme 2: a record's shown values hashed over Arrow buffers, never per object.

Keys are persisted in stores, so every step here is fixed and must never change (a pinned
test holds it). A key is ``"k2"`` + 8 hex digits of the record's *signature* + 22 hex digits
of its *digest*:

- Each key column ``c`` (in sorted name order) gives each row a payload: null (None, NaN)
  has none; a string is its UTF-8 bytes; any other value is its canonical encoding
  ``encode`` below (numbers by value, so int32, int64 and an integral float agree; struct
  fields sorted by name, null fields left out, so a dict missing a key equals one holding
  None; lists in order).
- Its part of the digest is ``xxh3_128(payload, seed)`` with a seed naming the column and
  the payload's kind (``s`` string, ``e`` encoded, ``n`` null, seed = ``xxh3_64(kind +
  name)``); the digest is the XOR of the columns' parts, first 11 bytes.
- Its part of the signature is read without hashing the text: the payload's byte length,
  its first 8 and its last 8 bytes (little-endian words), mixed by ``_mix`` (splitmix64's
  finalizer); 2**64 - 1 for null. The signature mixes the columns' parts in name order and
  keeps the top 32 bits. Rows whose signature no stored key carries cannot be stored
  records, so finding stored records hashes about as many rows as there are answers.

xxh3 (xxHash 0.8's stable XXH3) gives the same bytes on every machine and version.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from . import fast_hash
from .parallel import map_pieces

PREFIX = "k2"  # not hex: no scheme-1 key (32 hex digits) looks like one
SCHEME = "content-2"  # what the store records for a review keyed this way
NULL_FEATURE = np.uint64(2**64 - 1)
MAX_EXACT = 2**53  # integral floats up to this are written as integers
STEP = 1 << 16  # rows per piece of the signatures' arithmetic, spread over the cores
_NIBBLE = np.zeros(256, dtype=np.uint8)  # a hex digit's value, by its ASCII code
_NIBBLE[np.frombuffer(b"0123456789", np.uint8)] = np.arange(10)
_NIBBLE[np.frombuffer(b"abcdef", np.uint8)] = np.arange(10, 16)
_NIBBLE[np.frombuffer(b"ABCDEF", np.uint8)] = np.arange(10, 16)
_HEX2 = np.array([f"{i:02x}".encode() for i in range(256)]).view(np.uint16)


def seed(kind: str, column: str) -> int:
    return xxhash.xxh3_64_intdigest((kind + column).encode("utf-8"))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer over uint64 values (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


# -- the canonical encoding of values other than top-level strings ----------------------------


def _blob(value: bytes) -> pa.Scalar:
    return pa.scalar(value, pa.large_binary())


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, _blob(b""))


def _digits(numbers: pa.Array) -> pa.Array:
    """Integers as decimal ASCII, as large_binary."""
    return pc.cast(pc.cast(numbers, pa.string()), pa.large_binary())


def _framed(tag: bytes, values: pa.Array) -> pa.Array:
    """tag + byte length + ':' + bytes: self-delimiting, so encodings concatenate safely."""
    values = pc.cast(values, pa.large_binary())
    return _join(_blob(tag), _digits(pc.binary_length(values)), _blob(b":"), values)


def _numbers(values: pa.Array) -> pa.Array:
    """Integers, and floats that hold one exactly, as 'i' + digits; other floats by their bits."""
    if pa.types.is_integer(values.type):
        return _join(_blob(b"i"), _digits(values))
    x = pc.cast(values, pa.float64())
    x = pc.if_else(pc.is_nan(x), None, x)
    plain = x.fill_null(0.0).to_numpy(zero_copy_only=False)
    integral = (np.floor(plain) == plain) & (np.abs(plain) <= MAX_EXACT)
    ints = pa.array(np.where(integral, plain, 0).astype(np.int64))
    bits = pa.array(plain.view(np.uint64))
    as_int = _join(_blob(b"i"), _digits(ints))
    as_bits = _join(_blob(b"d"), _digits(bits))
    out = pc.if_else(pa.array(integral), as_int, as_bits)
    return pc.if_else(pc.is_null(x), None, out)


def _lists(values: pa.Array) -> pa.Array:
    """'[' + count + ':' + the items' encodings + ']'."""
    counts = pc.list_value_length(values)
    items = encode(pc.list_flatten(values))
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(counts.fill_null(0).to_numpy(zero_copy_only=False), out=offsets[1:])
    joined = pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), items), _blob(b""))
    out = _join(_blob(b"["), _digits(counts), _blob(b":"), joined, _blob(b"]"))
    return pc.if_else(pc.is_null(values), None, out)


def _structs(values: pa.StructArray) -> pa.Array:
    """'{' + name and value of each non-null field, by name + '}'."""
    fields = {values.type.field(i).name: f for i, f in enumerate(values.flatten())}
    pieces = []
    for name in sorted(fields):
        field = fields[name]
        named = _framed(b"s", pa.array([name.encode("utf-8")], pa.large_binary()))[0]
        piece = _join(named, encode(field))
        pieces.append(pc.if_else(pc.is_null(field), _blob(b""), piece))
    out = _join(_blob(b"{"), *pieces, _blob(b"}"))
    return pc.if_else(pc.is_null(values), None, out)


def encode(values: pa.Array) -> pa.Array:
    """Each value's canonical bytes (large_binary); null values encode as b'n'."""
    kind = values.type
    if pa.types.is_dictionary(kind):
        return encode(values.dictionary_decode())
    if pa.types.is_null(kind):
        out = pa.nulls(len(values), pa.large_binary())
    elif pa.types.is_boolean(kind):
        out = pc.if_else(values, _blob(b"t"), _blob(b"f"))
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        out = _numbers(values)
    elif is_text(kind):
        out = _framed(b"s", values)
    elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        out = _framed(b"b", values)
    elif pa.types.is_fixed_size_binary(kind):
        out = _framed(b"b", pc.cast(values, pa.binary()))
    elif pa.types.is_struct(kind):
        out = _structs(values)
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_map(kind):
        out = _lists(values)
    elif pa.types.is_fixed_size_list(kind):
        out = _lists(pc.cast(values, pa.large_list(kind.value_type)))
    else:  # dates, times, decimals: their text
        out = _framed(b"x", _as_text(values))
    return out.fill_null(_blob(b"n"))


def _as_text(values: pa.Array) -> pa.Array:
    try:
        return pc.cast(values, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in values.to_pylist()], pa.string())


# -- hashing ---------------------------------------------------------------------------------


def _digests(payload: pa.Array, seed_value: int) -> np.ndarray:
    """xxh3_128 of every value's bytes, straight from the Arrow buffers: n x 16 uint8.

    One xxhash call per value is the floor (the package hashes one buffer per call); the
    loop around it runs in C (`map` over slices of one memoryview) and writes each digest
    into one preallocated array, with no Python frame or list per value.
    """
    chunks = payload.chunks if isinstance(payload, pa.ChunkedArray) else [payload]
    out = np.empty(sum(len(c) for c in chunks), dtype="S16")
    at = 0
    for chunk in chunks:
        offsets = _offsets(chunk)
        data = memoryview(chunk.buffers()[2] or b"")
        slices = map(slice, offsets[:-1].tolist(), offsets[1:].tolist())
        values = map(data.__getitem__, slices)
        digests = map(xxhash.xxh3_128_digest, values, repeat(seed_value))
        out[at : at + len(chunk)] = np.fromiter(digests, dtype="S16", count=len(chunk))
        at += len(chunk)
    return out.view(np.uint8).reshape(-1, 16)


def _payload(values: pa.Array | pa.ChunkedArray) -> tuple[str, pa.Array | pa.ChunkedArray]:
    """('s', the strings) for text, ('e', their canonical encodings) for anything else."""
    if is_text(values.type):
        return "s", values
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return "e", encode(values)


def _nulls(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which rows are null, NaN counted as null (pandas' missing value)."""
    missing = pc.is_null(values, nan_is_null=True)
    return np.asarray(missing.to_numpy(zero_copy_only=False), dtype=bool)


def _offsets(chunk: pa.Array) -> np.ndarray:
    wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)
    return offsets[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)


def _bytes_at(data: pa.Buffer | None, first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The `count` (0 to 8) bytes from `first` of each row, as little-endian uint64s.

    Read as unaligned 8-byte words of the buffer itself (clamped inside it, then shifted),
    so no row's text is copied.
    """
    size = 0 if data is None else data.size
    if size < 8:  # a tiny buffer: read from a padded copy
        padded = np.zeros(16, dtype=np.uint8)
        padded[:size] = np.frombuffer(data, dtype=np.uint8, count=size) if size else []
        data, size = pa.py_buffer(padded.tobytes()), 16
    words = np.ndarray(shape=(size - 7,), dtype="<u8", buffer=data, strides=(1,))
    at = np.minimum(first, size - 8)
    value = words[at] >> (np.uint64(8) * (first - at).astype(np.uint64))
    bits = np.uint64(8) * np.minimum(count, 7).astype(np.uint64)
    mask = np.where(count >= 8, np.uint64(2**64 - 1), (np.uint64(1) << bits) - np.uint64(1))
    return value & mask


def _chunk_features(chunk: pa.Array) -> np.ndarray:
    """mix(byte length, first 8 bytes, last 8 bytes) of each value: the text is barely read."""
    offsets = _offsets(chunk)
    starts, lengths = offsets[:-1], np.diff(offsets)
    count = np.minimum(lengths, 8)
    head = _bytes_at(chunk.buffers()[2], starts, count)
    tail = _bytes_at(chunk.buffers()[2], starts + lengths - count, count)
    state = _mix(lengths.astype(np.uint64) ^ np.uint64(0x9E3779B97F4A7C15))
    return _mix(_mix(state ^ head) ^ tail)


def features(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Each row's part of the signature (see _chunk_features), or NULL_FEATURE for null."""
    _, payload = _payload(values)
    chunks = payload.chunks if isinstance(payload, pa.ChunkedArray) else [payload]
    out = np.concatenate(map_pieces(_chunk_features, chunks) or [np.zeros(0, np.uint64)])
    if values.null_count or pa.types.is_floating(values.type):
        out[_nulls(values)] = NULL_FEATURE
    return out


def column_digests(
    column: str, values: pa.Array | pa.ChunkedArray, vectorized: bool = False
) -> np.ndarray:
    """Each row's part of the digest for this column (n x 16 uint8); `vectorized`: in one
    call over the buffers where polars-hash is installed (fast_hash.py: for many rows)."""
    kind, payload = _payload(values)
    found = fast_hash.digests(payload, seed(kind, column)) if vectorized else None
    digests = _digests(payload, seed(kind, column)) if found is None else found
    nulls = _nulls(values)
    if nulls.any():
        digests = digests.copy()
        empty = xxhash.xxh3_128_digest(b"", seed("n", column))
        digests[nulls] = np.frombuffer(empty, dtype=np.uint8)
    return digests


def signatures(parts: dict[str, np.ndarray]) -> np.ndarray:
    """Rows' 32-bit signatures from each column's features (uint64, by column name)."""
    n = len(next(iter(parts.values()))) if parts else 0
    seeds = {column: np.uint64(seed("s", column)) for column in parts}

    def rows(start: int) -> np.ndarray:
        state = np.full(min(n - start, STEP), 0x243F6A8885A308D3, dtype=np.uint64)
        for column in sorted(parts):
            features = parts[column][start : start + STEP]
            state = _mix(state ^ _mix(features ^ seeds[column]))
        return (state >> np.uint64(32)).astype(np.uint32)

    return np.concatenate(map_pieces(rows, range(0, n, STEP)) or [np.zeros(0, np.uint32)])


def keys_from(signature: np.ndarray, digest: np.ndarray) -> pa.Array:
    """'k2' + hex(signature) + hex(first 11 bytes of digest), as an Arrow string array."""
    n = len(signature)
    text = np.empty((n, 32), dtype=np.uint8)
    text[:, 0], text[:, 1] = ord(PREFIX[0]), ord(PREFIX[1])
    big_endian = signature.astype(">u4").view(np.uint8).reshape(n, 4)
    text[:, 2:10] = _HEX2[big_endian].view(np.uint8).reshape(n, 8)
    text[:, 10:32] = _HEX2[digest[:, :11]].view(np.uint8).reshape(n, 22)
    offsets = np.arange(0, 32 * (n + 1), 32, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(text.tobytes())]
    )


def signatures_of(keys: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The signatures the scheme-2 keys among `keys` carry (others left out), as uint32.

    Read from the keys' bytes with numpy: a store of 100,000 answers is 100,000 keys.
    """
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    keys = pc.cast(keys, pa.string()).drop_null()
    keys = keys.filter(pc.match_substring_regex(keys, "^k2[0-9a-fA-F]{8}.{22}$"))
    if not len(keys):
        return np.zeros(0, dtype=np.uint32)
    hex_text = pc.utf8_slice_codeunits(keys, 2, 10)
    offsets = _offsets(hex_text)
    data = np.frombuffer(hex_text.buffers()[2], dtype=np.uint8)
    digits = data[offsets[0] : offsets[-1]].reshape(len(keys), 8)
    nibbles = _NIBBLE[digits].astype(np.uint32)
    return (nibbles << np.arange(28, -1, -4, dtype=np.uint32)).sum(axis=1, dtype=np.uint32)


def signature_of(key: str) -> int | None:
    """The signature a scheme-2 key carries, or None for any other key."""
    if len(key) != 32 or not key.startswith(PREFIX):
        return None
    try:
        return int(key[2:10], 16)
    except ValueError:
        return None
