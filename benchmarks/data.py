"""The synthetic dataset: id, prompt ~200 chars, response ~1,000 chars, model, score.

Built with numpy and pyarrow in a few seconds for a million rows, then written as an Arrow
stream file, the format of the `datasets` cache: every measurement opens it memory-mapped,
as `load_dataset` gives a dataset, so no process pays for building it and its pages count
as RSS only when something reads them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MODELS = ["model-a", "model-b", "model-c", "model-d"]
VOCABULARY = (
    "the a of to and in is that for it as with was on be by this are or from at an which "
    "model answer data review quality because error fact summary table code list result "
    "however therefore example function value returns python query response prompt user "
    "assistant reasoning step first second finally consider number string array column "
    "performance memory latency benchmark widget notebook record label rating comment "
    "λόγος αλήθεια 日本語 東京 データ 🙂 🚀 naïve café straße"
)
WORDS = VOCABULARY.split()


def _corpus(rng: np.random.Generator, words: int = 400_000) -> tuple[bytes, np.ndarray]:
    """Random text (a few MB) and the byte offset of every word start in it."""
    vocab = [w.encode() + b" " for w in WORDS]
    chosen = rng.integers(0, len(vocab), size=words)
    pieces = [vocab[i] for i in chosen]
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=words)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return b"".join(pieces), starts


def _texts(
    rng: np.random.Generator, corpus: bytes, starts: np.ndarray, n: int, mean: int, spread: int
) -> pa.Array:
    """n strings cut from the corpus at random word boundaries, about `mean` bytes each."""
    limit = len(corpus) - (mean + spread) * 2
    first = rng.integers(0, np.searchsorted(starts, limit), size=n)
    begin = starts[first]
    want = begin + rng.integers(mean - spread, mean + spread, size=n)
    end = starts[np.searchsorted(starts, want)] - 1  # drop the space before the next word
    lengths = end - begin
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    kind = pa.string() if offsets[-1] < 2**31 else pa.large_string()
    offset_type = np.int32 if kind == pa.string() else np.int64
    data = b"".join([corpus[b:e] for b, e in zip(begin.tolist(), end.tolist(), strict=True)])
    return pa.Array.from_buffers(
        kind, n, [None, pa.py_buffer(offsets.astype(offset_type)), pa.py_buffer(data)]
    )


def make_table(rows: int, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    corpus, starts = _corpus(rng)
    numbers = pc.cast(pa.array(np.arange(rows)), pa.string())
    ids = pc.binary_join_element_wise("r", pc.utf8_lpad(numbers, 7, "0"), "")
    return pa.table(
        {
            "id": ids,
            "prompt": _texts(rng, corpus, starts, rows, 215, 60),
            "response": _texts(rng, corpus, starts, rows, 1080, 300),
            "model": pa.array(MODELS).take(pa.array(rng.integers(0, len(MODELS), size=rows))),
            "score": pa.array(rng.random(rows)),
        }
    )


def write(rows: int, path: Path, seed: int = 0) -> Path:
    """Write the dataset as an Arrow stream file (what `datasets.Dataset.from_file` reads)."""
    table = make_table(rows, seed)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=10_000)
    return path


def open_dataset(path: Path):
    """The dataset, memory-mapped, as `load_dataset` returns one."""
    import datasets

    return datasets.Dataset.from_file(str(path))
