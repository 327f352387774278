"""Layers talk through public names: no module reads another object's private attribute.

A private name (`_x`) is its owner's to change; a layer that reads `review._session` breaks
the day the review is refactored. Layers take `review.context` (what a review holds) or
`review.live` (what may be done to the review shown here) instead: docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nbreview"

# (module, object, attribute) that may be read, each for a reason that cannot go away:
ALLOWED = {
    # datasets.Dataset keeps its indices mapping (a shuffle or select, not yet flattened)
    # private and offers no public accessor; reading it avoids gathering every row.
    ("_data/source.py", "data", "_indices"),
    # ...and its fingerprint, the only cheap name of its content, to reuse a kept key index.
    ("_data/index_cache.py", "data", "_fingerprint"),
}


def _is_private(name: str) -> bool:
    """`_x`, but not `__x__` and not IPython's display protocol (`_repr_html_`, ...),
    which objects are told to define and call on each other by those names."""
    if name.startswith("__") and name.endswith("__"):
        return False
    if name.startswith(("_repr_", "_ipython_")) and name.endswith("_"):
        return False
    return name.startswith("_")


def _own(node: ast.expr) -> bool:
    """`self`, `cls` and `super()`: an object may read its own private attributes."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    return call and node.func.id == "super"


def _reads(tree: ast.AST):
    """(object expression, attribute, line) of every attribute read, `getattr(x, "_y")` too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield node.value, node.attr, node.lineno
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            yield node.args[0], node.args[1].value, node.lineno


def private_reads(source: str, module: str) -> list[tuple[str, int, str, str]]:
    """Every private attribute of another object read in a module's source."""
    found = []
    for owner, attr, line in _reads(ast.parse(source)):
        if not _is_private(attr) or _own(owner):
            continue
        if (module, ast.unparse(owner), attr) not in ALLOWED:
            found.append((module, line, ast.unparse(owner), attr))
    return found


def _modules() -> list[tuple[str, str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    return [(p.read_text(encoding="utf-8"), p.relative_to(PACKAGE).as_posix()) for p in paths]


def test_no_module_reads_another_objects_private_attribute():
    found = [hit for source, module in _modules() for hit in private_reads(source, module)]
    said = "\n".join(f"  {m}:{line}: {owner}.{attr}" for m, line, owner, attr in found)
    assert not found, f"private attributes read across objects:\n{said}"


def test_the_check_sees_each_way_of_reading_a_private():
    source = (
        "def f(self, review):\n"
        "    self._a = review._session\n"  # found
        "    super()._on_message(review.__len__(), review._repr_mimebundle_())\n"  # not
        "    return getattr(review, '_model', None), self.review._order\n"  # both found
    )
    assert private_reads(source, "m.py") == [
        ("m.py", 2, "review", "_session"),
        ("m.py", 4, "review", "_model"),
        ("m.py", 4, "self.review", "_order"),
    ]


def test_every_allowed_read_is_still_there():
    """An entry whose code is gone is dropped, so the allow-list stays tiny and true."""
    seen = {
        (module, ast.unparse(owner), attr)
        for source, module in _modules()
        for owner, attr, _ in _reads(ast.parse(source))
    }
    assert sorted(ALLOWED - seen) == []
