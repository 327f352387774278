"""Queue filters are expressions over the dataset's columns, nothing else.

A filter string is untrusted text: a saved one re-runs in the kernel of whoever opens the
review next. So it is never pasted into SQL and run as it stands. In layers:

1. DuckDB's own parser reads the query built around it; the tree must be exactly that query
   with one WHERE expression made of column references, constants, operators and built-in
   scalar functions (no subquery, no table function, nothing that reads files or settings).
2. The query runs on a connection that cannot reach files, extensions or settings
   (`connect`), as one statement through `execute`.
3. The positions it returns are checked (`checked_positions`) before anything uses them.

Errors name the problem; none repeats what DuckDB read from anywhere.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import threading
from collections.abc import Iterable, Iterator

import duckdb
import numpy as np

PREFIX = "queue filter"
WHAT = "a filter is an expression over the dataset's columns"

# Set at connect time and locked: no file, no network, no extension, no later SET.
CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}

# Node classes an expression over one record may contain (FUNCTION and COLUMN_REF are checked
# further; LAMBDA binds its parameters for its body).
ALLOWED = {
    "BETWEEN",
    "CASE",
    "CAST",
    "COLLATE",
    "COLUMN_REF",
    "COMPARISON",
    "CONJUNCTION",
    "CONSTANT",
    "FUNCTION",
    "LAMBDA",
    "OPERATOR",
    "TYPE",
}
REFUSED = {
    "SUBQUERY": "a subquery",
    "STAR": "* or COLUMNS(...)",
    "WINDOW": "a window function",
    "PARAMETER": "a parameter (? or $n)",
    "POSITIONAL_REFERENCE": "a positional reference (#n)",
    "DEFAULT": "DEFAULT",
}

# Scalar functions that report on the session, the system or its settings, or act on them.
BLOCKED = {
    "getenv",
    "getvariable",
    "current_setting",
    "current_database",
    "current_schema",
    "current_schemas",
    "current_catalog",
    "current_query",
    "current_query_id",
    "current_role",
    "current_user",
    "current_connection_id",
    "current_transaction_id",
    "user",
    "session_user",
    "version",
    "setseed",
    "nextval",
    "currval",
    "setval",
    "txid_current",
    "sleep_ms",
    "write_log",
    "stats",
    "in_search_path",
    "parse_duckdb_log_message",
    "json_serialize_sql",
    "json_deserialize_sql",
    "json_serialize_plan",
}
BLOCKED_PREFIXES = ("pg_", "has_", "inet_", "__internal", "duckdb_")

# A saved queue's filter re-runs when its annotator opens the review: one planted in the
# store for someone else must not hold their Review() for long (issue 25, attack 10).
SAVED_SECONDS = 3.0
_limit: contextvars.ContextVar[float | None] = contextvars.ContextVar("filter_limit", default=None)


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Filters run inside stop after `seconds` (SAVED_SECONDS unless given) with a ValueError
    that says so."""
    token = _limit.set(SAVED_SECONDS if seconds is None else seconds)
    try:
        yield
    finally:
        _limit.reset(token)


def run(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    """Run a checked query to numpy columns, interrupted past the `time_limit` in force."""
    seconds = _limit.get()
    if seconds is None:
        return con.execute(sql).fetchnumpy()
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        return con.execute(sql).fetchnumpy()
    except duckdb.InterruptException:
        raise ValueError(
            f"{PREFIX}: stopped after {seconds:g} s (a saved filter may run that long when the "
            "review opens); set a simpler one with review.queue(...)"
        ) from None
    finally:
        timer.cancel()


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that cannot read or write files, load code, or change settings."""
    con = duckdb.connect(config={**CONFIG, "lock_configuration": False})
    try:  # a progress bar is a session setting, so it is set before the lock
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def quote(name: str) -> str:
    """A column name as a SQL identifier, whatever characters the dataset gave it."""
    return '"' + name.replace('"', '""') + '"'


def checked_sql(
    con: duckdb.DuckDBPyConnection, head: str, condition: str, tail: str, columns: Iterable[str]
) -> str:
    """`head (condition) tail`, once DuckDB's parse of it shows one expression over `columns`."""
    sql = f"{head}(\n{condition}\n){tail}"
    tree = _parse(con, sql, condition)
    template = _parse(con, f"{head}(\ntrue\n){tail}", "true")
    where = _where(tree)
    if where is not None:  # its own faults first: they say more than "not the same query"
        names = sorted(str(c) for c in columns)
        _check_expression(where, {c.lower() for c in names}, names)
    _where(template)
    if where is None or tree != template:
        raise ValueError(f"{PREFIX}: one expression, not a query of its own; {WHAT}")
    return sql


def _where(tree: dict) -> dict | None:
    """Take the WHERE expression out of a SELECT's tree (None if it has none)."""
    node = tree.get("node")
    return node.pop("where_clause", None) if isinstance(node, dict) else None


def checked_positions(values: np.ndarray, n: int) -> np.ndarray:
    """Row positions from a query: integers in 0..n-1, each at most once."""
    if np.ma.isMaskedArray(values) or not np.issubdtype(np.asarray(values).dtype, np.integer):
        raise ValueError(f"{PREFIX}: the query returned something other than row positions")
    values = np.asarray(values)
    if values.size and (values.min() < 0 or values.max() >= n):
        raise ValueError(f"{PREFIX}: the query returned positions outside 0..{n - 1}")
    seen = np.zeros(n, dtype=bool)
    seen[values] = True
    if int(seen.sum()) != values.size:
        raise ValueError(f"{PREFIX}: the query returned a row position more than once")
    return values.astype(np.int64, copy=False)


def describe(exc: duckdb.Error, con: duckdb.DuckDBPyConnection, condition: str | None) -> str:
    """A failure to run a checked filter, in one line (a type mismatch, a bad cast...)."""
    statements = _statements(con, condition) if condition else []
    if statements:  # `ATTACH 'x'` reads as a cast to a type ATTACH: say what it really is
        return _not_a_statement(statements[0])
    if isinstance(exc, duckdb.PermissionException):
        return f"{PREFIX}: it reaches outside the dataset; {WHAT}"
    if isinstance(exc, (duckdb.InternalException, duckdb.FatalException)):
        return f"{PREFIX}: DuckDB failed while running it"
    return f"{PREFIX} cannot be used: {_first_line(exc)}"


def _first_line(exc: Exception) -> str:
    line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    _, sep, rest = line.partition(" Error: ")
    line = rest if sep else line
    return line if len(line) <= 200 else line[:199] + "…"


def _parse(con: duckdb.DuckDBPyConnection, sql: str, condition: str) -> dict:
    """The one SELECT statement's tree, without source positions; refused otherwise."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ValueError(_unreadable(con, condition, exc)) from None
    if len(statements) != 1:
        raise ValueError(f"{PREFIX}: one expression, not several statements")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise ValueError(f"{PREFIX}: one expression, not a query of its own; {WHAT}")
    try:
        ((text,),) = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()
        parsed = json.loads(text)
    except (duckdb.Error, RecursionError, ValueError):
        raise ValueError(f"{PREFIX}: too complex to read; {WHAT}") from None
    if parsed.get("error") or len(parsed.get("statements", [])) != 1:
        raise ValueError(f"{PREFIX}: one expression, not a query of its own; {WHAT}")
    return _without_locations(parsed["statements"][0])


def _unreadable(con: duckdb.DuckDBPyConnection, condition: str, exc: duckdb.Error) -> str:
    """Why the text does not parse: statements where an expression belongs, or a syntax error."""
    statements = _statements(con, condition)
    if len(statements) > 1 or len(_statements(con, f"SELECT {condition}")) > 1:
        return f"{PREFIX}: one expression, not several statements"
    if statements:
        return _not_a_statement(statements[0])
    if "expression depth" in str(exc):
        return f"{PREFIX}: nested too deeply to read"
    return f"{PREFIX}: not an expression DuckDB can read ({_first_line(exc)})"


def _not_a_statement(statement) -> str:
    return f"{PREFIX}: one expression, not a statement ({statement.type.name}); {WHAT}"


def _statements(con: duckdb.DuckDBPyConnection, text: str) -> list:
    """The statements DuckDB parses `text` into (only parsed, never run), or [] if none."""
    try:
        return list(con.extract_statements(text))
    except duckdb.Error:
        return []


def _without_locations(node):
    """The tree without source offsets, so two parses compare by structure alone."""
    if isinstance(node, dict):
        return {
            k: _without_locations(v)
            for k, v in node.items()
            if k not in ("query_location", "query_location_length")
        }
    if isinstance(node, list):
        return [_without_locations(v) for v in node]
    return node


def _check_expression(root: dict, known: set[str], columns: list[str]) -> None:
    """Every node of the WHERE tree is allowed: walked without recursion, lambdas scoped."""
    for node, scope in _nodes(root):
        kind = node["class"]
        if kind in REFUSED:
            raise ValueError(f"{PREFIX}: {REFUSED[kind]} is not allowed; {WHAT}")
        if kind not in ALLOWED:
            raise ValueError(f"{PREFIX}: {kind.lower()} is not allowed; {WHAT}")
        if kind == "FUNCTION":
            _check_function(node)
        elif kind == "COLUMN_REF":
            _check_column(node["column_names"], known | scope, columns)


def _nodes(root: dict) -> Iterator[tuple[dict, frozenset[str]]]:
    """Each expression node with the lambda parameters in scope at it."""
    stack: list[tuple[object, frozenset[str]]] = [(root, frozenset())]
    while stack:
        item, scope = stack.pop()
        if isinstance(item, list):
            stack.extend((v, scope) for v in item)
            continue
        if not isinstance(item, dict):
            continue
        if "class" in item:
            yield item, scope
        if item.get("class") == "LAMBDA":
            stack.append((item.get("expr"), scope | _lambda_parameters(item.get("lhs"))))
            continue
        stack.extend((v, scope) for v in item.values())


def _lambda_parameters(lhs: object) -> frozenset[str]:
    refs = (
        lhs.get("arguments", [])
        if isinstance(lhs, dict) and lhs.get("class") == "FUNCTION"
        else [lhs]
    )
    names = []
    for ref in refs:
        ref = ref.get("expression", ref) if isinstance(ref, dict) else ref
        if not (isinstance(ref, dict) and ref.get("class") == "COLUMN_REF"):
            raise ValueError(f"{PREFIX}: a lambda takes plain parameter names")
        names.extend(n.lower() for n in ref["column_names"][-1:])
    return frozenset(names)


def _check_column(names: list[str], known: set[str], columns: list[str]) -> None:
    first = names[0].lower()
    if first in known:
        return
    if first == "records" and len(names) > 1 and names[1].lower() in known:
        return
    raise ValueError(f"{PREFIX}: unknown column {names[0]!r}; the columns are {columns}")


def _check_function(node: dict) -> None:
    name = str(node.get("function_name", ""))
    if node.get("schema") or node.get("catalog"):
        raise ValueError(f"{PREFIX}: call functions by their plain name, not {name!r} in a schema")
    lowered = name.lower()
    blocked = lowered in BLOCKED or lowered.startswith(BLOCKED_PREFIXES)
    if blocked or (lowered not in _scalar_functions() and lowered in _all_functions()):
        raise ValueError(f"{PREFIX}: {name} is not allowed; {WHAT}")
    if lowered not in _scalar_functions():
        raise ValueError(f"{PREFIX}: unknown function {name!r}")
    orders = (node.get("order_bys") or {}).get("orders")
    if node.get("distinct") or node.get("filter") or orders or node.get("export_state"):
        raise ValueError(f"{PREFIX}: {name} with DISTINCT, FILTER or ORDER BY is not allowed")


@functools.cache
def _catalog() -> tuple[frozenset[str], frozenset[str]]:
    """(built-in scalar functions and scalar macros without a query inside, every function)."""
    con = connect()
    try:
        rows = con.execute(
            "SELECT lower(function_name), function_type, coalesce(macro_definition, '') "
            "FROM duckdb_functions()"
        ).fetchall()
    finally:
        con.close()
    scalar = {
        name
        for name, kind, body in rows
        if kind == "scalar" or (kind == "macro" and "select" not in body.lower())
    }
    return frozenset(scalar), frozenset(name for name, _, _ in rows)


def _scalar_functions() -> frozenset[str]:
    return _catalog()[0]


def _all_functions() -> frozenset[str]:
    return _catalog()[1]
