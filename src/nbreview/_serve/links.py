"""Private links: `?annotator=ana&token=…`, where the token is HMAC-SHA256 over the name.

The secret lives in a file beside the store, created 0600 on first use; it is read by
`nbreview serve`/`nbreview links` (to sign) and by each page's kernel (to check), and is
never sent to a page or written to a log. `nbreview serve --reviewers` hands the kernels the
secret file's *path* in $NBREVIEW_LINKS: with it set, a served page answers only under a
name its token was made for, and anything else is refused (and logged for the lead).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlencode

from .annotator import clean_name

ENV = "NBREVIEW_LINKS"  # the secret file's path, for every kernel `nbreview serve` starts
TOKEN_PARAM = "token"
REFUSED = "This link is not valid: ask for yours"
SECRET_SUFFIX = ".links-secret"
TOKEN_LENGTH = 43  # 32 bytes of HMAC-SHA256, base64url without padding
log = logging.getLogger("nbreview.links")


def secret_path(store: str | None, notebook: str | os.PathLike) -> Path:
    """Beside a file store; beside the notebook for a database URL or the default store."""
    if store and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", store):
        path = Path(store).expanduser().resolve()
        return path.with_name(path.name + SECRET_SUFFIX)
    folder = Path(notebook).expanduser().resolve().parent
    name = "nbreview-links" if store else "nbreview.sqlite"
    return folder / (name + SECRET_SUFFIX)


def load_secret(path: Path, create: bool = False) -> bytes:
    """The secret's bytes; made (random, 0600, never overwritten) when `create` and missing."""
    if create and not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it just now: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise ValueError(f"the private links' secret {str(path)!r} cannot be read ({exc})") from exc
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)  # readable by others: it is the lead's alone
    if len(text) < 32:
        raise ValueError(f"the private links' secret {str(path)!r} is too short or empty")
    return text.encode()


def token(secret: bytes, name: str) -> str:
    digest = hmac.new(secret, name.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def valid(secret: bytes, name: str, given: object) -> bool:
    """Whether `given` is this name's token (a forged, truncated or another name's is not)."""
    if not isinstance(given, str) or len(given) != TOKEN_LENGTH:
        return False
    return hmac.compare_digest(token(secret, name).encode(), given.encode("ascii", "replace"))


def has_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text)


def reviewer_names(names: str | None = None, file: str | os.PathLike | None = None) -> list[str]:
    """The reviewers, from "ana,ben" and/or a file of one name a line; each checked once."""
    raw: list[str] = []
    if names:
        raw += names.split(",")
    if file is not None:
        try:
            raw += Path(file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"reviewers file {str(file)!r} cannot be read ({exc})") from exc
    out: list[str] = []
    for item in raw:
        if not item.strip():
            continue
        if has_control(item):
            raise ValueError(f"reviewer name {item!r} holds control characters")
        name = clean_name(item, f"reviewer name {item.strip()!r}")
        if name in out:
            raise ValueError(f"reviewer {name!r} is given twice")
        out.append(name)
    if not out:
        raise ValueError("no reviewer names given: --reviewers ana,ben or --reviewers-file FILE")
    return out


def links(secret: bytes, names: Iterable[str], address: str) -> list[tuple[str, str]]:
    """(name, private link) for each reviewer, on the page served at `address`."""
    query = [(n, urlencode({"annotator": n, TOKEN_PARAM: token(secret, n)})) for n in names]
    return [(n, f"{address}?{q}") for n, q in query]


def required() -> bool:
    """Whether this kernel's pages were served with --reviewers (private links only)."""
    return bool(os.environ.get(ENV))


def refuse(why: str, name: object) -> None:
    """Logged for the lead (the `nbreview serve` terminal): who tried, never the token."""
    shown = repr(name)[:80] if name is not None else "no name"
    message = f"nbreview: refused: {why} (annotator {shown})"
    log.warning(message)
    print(message, file=sys.__stderr__, flush=True)


def checked_name(name: str | None, given: str | None) -> str | None:
    """The page's name when its token is valid for it; None (refused and logged) otherwise."""
    if name is None:
        refuse("a private link without a name", None)
        return None
    if has_control(name):
        refuse("a private link whose name holds control characters", name)
        return None
    try:
        cleaned = clean_name(name)
    except ValueError as exc:
        refuse(str(exc), name)
        return None
    if given is None:
        refuse("a private link without a token", cleaned)
        return None
    try:
        secret = load_secret(Path(os.environ[ENV]))
    except ValueError as exc:
        refuse(str(exc), cleaned)
        return None
    if not valid(secret, cleaned, given):
        refuse("a private link whose token is not this name's", cleaned)
        return None
    return cleaned
