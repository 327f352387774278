"""Who is answering: the argument, $JUPYTERHUB_USER, the page's ?annotator= (with its token
when served with private links, links.py), $NBREVIEW_ANNOTATOR, the login name.

A served page (Voilà, `marimo run`) without any of the first three asks its visitor
instead of recording everyone under the server's login name. In marimo every visitor's
session shares the server's process, so the page parameters (name and token) are read
from marimo's own per-session `mo.query_params()`, never from the environment; a
`marimo run` started by `nbreview serve app.py --reviewers` checks tokens as Voilà does.
"""

from __future__ import annotations

import getpass
import os
import sys
import unicodedata
import warnings
from urllib.parse import parse_qs

from ..store.base import ADJUDICATOR

ENV = "NBREVIEW_ANNOTATOR"
HUB_ENV = "JUPYTERHUB_USER"  # set by JupyterHub's single-user server in every kernel
PARAM = "annotator"  # the page address's parameter: ?annotator=alice
MAX_NAME = 100
# Names that are roles, not people: a lead's final answers are kept as "adjudicated", and
# consensus prefers them. A page, its address and the environment can never choose one;
# only the lead's own code can (Review(annotator="adjudicated"), as nr.Adjudicate does).
RESERVED = frozenset({ADJUDICATOR})


def refuse_reserved(name: str, where: str = "annotator") -> str:
    """The name as it is, unless it is (up to case and spaces) a reserved role's name."""
    if " ".join(name.split()).casefold() in RESERVED:
        raise ValueError(
            f"{where} {name!r} is reserved: nbreview keeps a lead's final answers under it "
            "(nr.Adjudicate); choose another name"
        )
    return name


def clean_name(value: object, where: str = "annotator") -> str:
    """A name as a page may give it: trimmed, one line, printable, at most MAX_NAME characters."""
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a text, got {type(value).__name__}")
    name = " ".join(value.split())
    if not name:
        raise ValueError(f"{where} is empty: give a name")
    if len(name) > MAX_NAME:
        raise ValueError(f"{where} is longer than {MAX_NAME} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in name):
        raise ValueError(f"{where} holds characters that cannot be shown (control characters)")
    return refuse_reserved(name, where)


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "annotator"


def in_voila() -> bool:
    """A kernel Voilà started (it sets these for every page's kernel)."""
    return "VOILA_PREHEAT" in os.environ or os.environ.get("SERVER_SOFTWARE", "").startswith(
        "voila/"
    )


def _marimo():
    """marimo's module when this code runs inside a marimo notebook or app, else None."""
    mo = sys.modules.get("marimo")  # imported already when marimo runs us
    try:
        return mo if mo is not None and mo.running_in_notebook() else None
    except Exception:  # an older marimo, or no context in this thread
        return None


def marimo_mode() -> str | None:
    mo = _marimo()
    try:
        return None if mo is None else mo.app_meta().mode
    except Exception:
        return None


def served() -> bool:
    """A page handed to visitors (Voilà, `marimo run`): the login name is the server's."""
    return in_voila() or marimo_mode() == "run"


def _voila_query(param: str = PARAM) -> str | None:
    if not in_voila():
        return None
    query = os.environ.get("QUERY_STRING")
    if query is None and os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string  # a preheated kernel waits for its page

        query = get_query_string()
    values = parse_qs(query or "").get(param)
    return values[0] if values else None


def _marimo_query(param: str = PARAM) -> str | None:
    mo = _marimo()
    if mo is None:
        return None
    try:
        value = mo.query_params().get(param)
    except Exception:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def page_annotator() -> str | None:
    """The page's ?annotator= (Voilà's query string, marimo's query_params), or None.

    A page served with private links (`nbreview serve --reviewers`) has a name only when its
    ?token= is valid for it (links.py); otherwise None, and the page is refused.
    """
    from . import links

    if links_only():
        read = _voila_query if in_voila() else _marimo_query
        return links.checked_name(read(), read(links.TOKEN_PARAM))
    for read in (_voila_query, _marimo_query):
        raw = read()
        if raw is None:
            continue
        try:
            return clean_name(raw, f"the page's ?{PARAM}=")
        except ValueError as exc:  # a made-up address: ask instead of failing the page
            warnings.warn(f"{exc}; the page asks for a name instead", stacklevel=3)
            return None
    return None


def resolve_annotator(annotator: str | None) -> str | None:
    """The annotator a Review records answers under; None when a served page must ask."""
    if annotator is not None:
        return annotator
    hub = os.environ.get(HUB_ENV, "").strip()
    if hub:  # a JupyterHub login: a real one, before anything a page's address says
        return refuse_reserved(hub, f"${HUB_ENV}")
    page = page_annotator()
    if page is not None or links_only():
        return page
    env = os.environ.get(ENV, "").strip()
    if env:
        return refuse_reserved(env, f"${ENV}")
    return None if served() else refuse_reserved(login_name(), "the login name")


def links_only() -> bool:
    """A page served with private links: no valid token, no name, and nobody is asked."""
    from . import links

    return links.required() and served()
