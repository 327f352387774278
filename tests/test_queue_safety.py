"""A queue filter can only select rows of the dataset: no file, setting or statement beyond it.

Each hostile filter is refused with a ValueError that names the problem, reads and writes
nothing (a canary file's secret never shows up, a COPY target is never created), and a
hostile filter planted in the store never runs when the review is reopened.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from nbreview._data import filter_sql

SECRET = "canary-7f3a9c-do-not-leak"


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A file holding a secret a filter must never be able to read."""
    path = tmp_path / "canary.txt"
    path.write_text(f"{SECRET}\n")
    return path


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A path a filter must never be able to write."""
    return tmp_path / "written-by-a-filter.csv"


def queue_rows(review) -> list[int]:
    session = review.session
    return [session.row_at(i) for i in range(session.queue_len())]


# name -> (filter, what its error must say); {canary}, {target}, {dir} are filled per test.
HOSTILE = {
    "read_text": ("length(read_text('{canary}')) > 0", "read_text is not allowed"),
    "read_text_compared": ("prompt = read_text('{canary}')", "read_text is not allowed"),
    "read_csv": ("read_csv('{canary}') IS NOT NULL", "read_csv is not allowed"),
    "read_parquet": ("read_parquet('{canary}') IS NULL", "read_parquet is not allowed"),
    "read_json": ("read_json('{canary}') IS NULL", "read_json is not allowed"),
    "glob": ("glob('{dir}/*') IS NULL", "glob is not allowed"),
    "copy": ("COPY (SELECT 42) TO '{target}'", "not a statement (COPY)"),
    "attach": ("ATTACH '{dir}/attached.duckdb'", "not a statement (ATTACH)"),
    "install": ("INSTALL httpfs", "not a statement"),
    "load": ("LOAD httpfs", "not a statement"),
    "pragma": ("PRAGMA enable_external_access", "not a statement (PRAGMA)"),
    "set": ("SET enable_external_access = true", "not a statement (SET)"),
    "several": (
        "true; COPY (SELECT 42) TO '{target}'; SELECT 1",
        "one expression, not several statements",
    ),
    "several_balanced": (
        "true); COPY (SELECT 42) TO '{target}'; SELECT (1",
        "one expression, not several statements",
    ),
    "union": (
        "true) UNION SELECT 1 FROM read_text('{canary}') WHERE (true",
        "not a query of its own",
    ),
    "subquery_over_file": (
        "prompt IN (SELECT content FROM read_text('{canary}'))",
        "a subquery is not allowed",
    ),
    "exists": ("EXISTS (SELECT * FROM read_csv('{canary}'))", "a subquery is not allowed"),
    "getenv": ("getenv('HOME') IS NOT NULL", "getenv is not allowed"),
    "current_setting": ("current_setting('threads') > 0", "current_setting is not allowed"),
    "schema_qualified": ("main.read_text('{canary}') IS NULL", "plain name"),
}


def fill(text: str, canary: Path, target: Path) -> str:
    return text.format(canary=canary, target=target, dir=canary.parent)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_filter_is_refused_and_touches_no_file(case, make_review, canary, target, tmp_path):
    review = make_review().queue("model_score > 2")
    before = sorted(p.name for p in tmp_path.iterdir())
    template, says = HOSTILE[case]
    text = fill(template, canary, target)
    with pytest.raises(ValueError, match="queue filter") as caught:
        review.queue(text)
    message = str(caught.value)
    assert says in message
    assert SECRET not in message
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside
    assert queue_rows(review) == [0, 2, 3]  # the queue it had, unchanged
    with pytest.raises(ValueError, match="queue filter"):
        make_review(queue=text)  # refused when opening, too
    assert not target.exists()


def test_the_connection_itself_cannot_reach_files_or_settings(canary, target):
    """The second layer: even SQL that got past the parse could not read, write or unlock."""
    import duckdb

    con = filter_sql.connect()
    try:
        settings = [
            "enable_external_access",
            "autoinstall_known_extensions",
            "autoload_known_extensions",
            "allow_community_extensions",
            "lock_configuration",
        ]
        values = con.execute(
            "SELECT " + ", ".join(f"current_setting('{name}')" for name in settings)
        ).fetchall()
        assert values == [(False, False, False, False, True)]
        with pytest.raises(duckdb.Error) as read:
            con.execute(f"SELECT * FROM read_text('{canary}')").fetchall()
        assert SECRET not in str(read.value)
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY (SELECT 42) TO '{target}'")
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("RESET lock_configuration")
        with pytest.raises(duckdb.Error):
            con.execute("INSTALL httpfs")
    finally:
        con.close()
    assert not target.exists()


def test_planted_saved_filter_warns_and_never_runs(make_review, target, canary):
    review = make_review().queue("model_score > 2")
    planted = f"true; COPY (SELECT 42) TO '{target}'; SELECT 1"
    review.store.set_setting(review.name, review.annotator, "queue", {"filter": planted})
    with pytest.warns(UserWarning, match="no longer applies") as caught:
        reopened = make_review()
    assert "one expression, not several statements" in str(caught[0].message)
    assert not target.exists()
    assert queue_rows(reopened) == list(range(6))  # everything


@pytest.mark.parametrize(
    "spec",
    [
        {"filter": "length(read_text('{canary}')) > 0"},
        {"filter": "prompt IN (SELECT content FROM read_text('{canary}'))", "sort": "-id"},
        {"filter": "getenv('HOME') IS NOT NULL"},
        {"filter": "scroe > 1"},
        {"sort": 5},
        {"filter": 42},
        "COPY (SELECT 42) TO '{target}'",
        ["not", "a", "queue"],
    ],
)
def test_planted_saved_queue_of_any_shape_only_warns(make_review, canary, target, spec):
    review = make_review()
    if isinstance(spec, dict):
        spec = {k: fill(v, canary, target) if isinstance(v, str) else v for k, v in spec.items()}
    elif isinstance(spec, str):
        spec = fill(spec, canary, target)
    review.store.set_setting(review.name, review.annotator, "queue", spec)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reopened = make_review()
    notes = [str(w.message) for w in caught if "no longer applies" in str(w.message)]
    assert len(notes) == 1
    assert SECRET not in notes[0]
    assert not target.exists()
    assert queue_rows(reopened) == list(range(6))


def test_unknown_column_names_it_and_lists_the_columns(make_review):
    review = make_review()
    with pytest.raises(ValueError, match="scroe") as caught:
        review.queue("scroe > 3")
    message = str(caught.value)
    assert message.startswith("queue filter: unknown column 'scroe'; the columns are [")
    assert "'model_score'" in message
    assert "'prompt'" in message
    assert "Binder" not in message
    with pytest.raises(ValueError, match="unknown column 'nope'"):
        review.queue("list_contains(list_value(prompt), nope)")
    with pytest.raises(ValueError, match="unknown column 'zz'"):
        review.queue("len(list_filter([prompt], lambda p: p = zz)) > 0")


def test_other_refusals_say_what_is_wrong(make_review):
    review = make_review()
    refusals = {
        "model_score > ?": "a parameter",
        "row_number() OVER () = 1": "a window function",
        "COLUMNS('.*') IS NOT NULL": "COLUMNS",
        "count(*) > 1": "not allowed",
        "lowr(prompt) = 'a'": "unknown function 'lowr'",
        "model_score >": "not an expression DuckDB can read",
        "(" * 2000 + "true" + ")" * 2000: "nested too deeply",
        "model_score > 2) GROUP BY (1": "not a query of its own",
    }
    for text, says in refusals.items():
        with pytest.raises(ValueError, match="queue filter") as caught:
            review.queue(text)
        assert says in str(caught.value), text


def test_ordinary_expressions_still_work(make_review):
    review = make_review()
    cases = {
        "model_score >= 3 and id != 'r-c'": [0, 3],
        "model_score between 2 and 5": [0, 2],
        "model_score IS NULL": [1, 5],
        "coalesce(model_score, 0) < 2": [1, 4, 5],
        "lower(response) LIKE 'yes%'": [4],
        "response ILIKE '%RAIN%' OR prompt SIMILAR TO 'Name.*'": [1, 3],
        "regexp_matches(prompt, '^(What|Is) ')": [0, 4],
        "CASE WHEN model_score > 4 THEN true ELSE false END": [2, 3],
        "CAST(model_score AS VARCHAR) IN ('1', '3')": [0, 4],
        "len(list_filter(string_split(prompt, ' '), lambda w: w = 'a')) > 0": [1, 3],
        "records.id = 'r-b'": [1],
        "Model_Score = 9": [3],
    }
    for text, rows in cases.items():
        assert queue_rows(review.queue(text)) == rows, text
    assert queue_rows(review.queue("model_score > 0", sort="-model_score")) == [3, 2, 0, 4]


def test_column_names_with_quotes_sort_and_filter_safely(make_review, ds):
    odd = 'score" DESC, (SELECT 1) --'
    data = ds.rename_column("model_score", odd)
    review = make_review(data, name="odd")
    assert queue_rows(review.queue(sort=odd)) == [4, 0, 2, 3, 1, 5]
    assert queue_rows(review.queue('"score"" DESC, (SELECT 1) --" > 3')) == [2, 3]


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (np.array([0, -3, 1]), "outside 0..5"),
        (np.array([0, 6]), "outside 0..5"),
        (np.array([2, 2]), "more than once"),
        (np.array([0.0, 1.0]), "other than row positions"),
        (np.ma.masked_array([0, 1], mask=[False, True]), "other than row positions"),
    ],
)
def test_positions_a_query_returns_are_checked(values, says):
    with pytest.raises(ValueError, match=says):
        filter_sql.checked_positions(values, 6)


def test_valid_positions_pass_through():
    out = filter_sql.checked_positions(np.array([5, 0, 3], dtype=np.int32), 6)
    assert out.tolist() == [5, 0, 3]
    assert out.dtype == np.int64
    assert filter_sql.checked_positions(np.array([], dtype=np.int64), 0).tolist() == []
