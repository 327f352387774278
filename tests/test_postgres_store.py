"""The PostgreSQL store on a real server: first use, refusal of foreign or newer schemas,
persistence, several connections, and the password that never shows.

The Store contract itself (writes, history, undo, reads) runs against both stores in
tests/test_store.py.
"""

from __future__ import annotations

import json
import logging
import threading

import pandas as pd
import psycopg
import pytest

import nbreview as nr
from nbreview.store import Change, StoreError, open_store
from nbreview.store.base import SCHEMA_VERSION
from nbreview.store.postgres import TABLES, PostgresStore, mask_url, split_url
from pg import PASSWORD, PASSWORD_ROLE, Cluster


def change(record: str, annotator: str = "alice", status: str | None = None, **answers) -> Change:
    return Change("default", annotator, record, answers=answers, status=status)


def sql(url: str, statement: str, args: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, args)
        return cur.fetchall() if cur.description else []


def snapshot(url: str) -> dict:
    """Every table of the public schema with all its rows: compares a database as a whole."""
    tables = [
        r[0]
        for r in sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ]
    return {t: sorted(map(repr, sql(url, f'SELECT * FROM "{t}"'))) for t in tables}


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"text": ["a", "b"]})


@pytest.fixture
def pg_store(pg_url):
    s = PostgresStore(pg_url)
    yield s
    s.close()


# -- creating and refusing --------------------------------------------------------------------


def test_first_use_creates_the_prefixed_tables(pg_store, pg_url):
    assert set(snapshot(pg_url)) == set(TABLES)
    meta = dict(sql(pg_url, "SELECT key, value FROM nbreview_meta"))
    assert meta == {"app": "nbreview", "schema_version": str(SCHEMA_VERSION)}


def test_open_store_selects_postgres_for_both_url_schemes(pg_url):
    for url in (pg_url, pg_url.replace("postgresql://", "postgres://", 1)):
        s = open_store(url)
        try:
            assert isinstance(s, PostgresStore)
            assert s.url == url
        finally:
            s.close()


def test_a_database_with_other_tables_is_fine(pg_url):
    sql(pg_url, "CREATE TABLE invoices (id INT PRIMARY KEY, total REAL)")
    sql(pg_url, "CREATE TABLE records (x TEXT)")  # an unprefixed name we also use: no clash
    sql(pg_url, "INSERT INTO invoices VALUES (1, 9.5), (2, 12.0)")
    sql(pg_url, "INSERT INTO records VALUES ('theirs')")
    before = snapshot(pg_url)
    s = PostgresStore(pg_url)
    try:
        s.write(change("rec-1", quality=3, status="submitted"))
        assert s.record("default", "alice", "rec-1").answers == {"quality": 3}
    finally:
        s.close()
    after = snapshot(pg_url)
    assert {t: after[t] for t in before} == before


def _newer(url: str) -> None:
    s = PostgresStore(url)
    s.write(change("rec-1", quality=3, status="submitted"))
    s.close()
    sql(url, "UPDATE nbreview_meta SET value = %s WHERE key = 'schema_version'",
        (str(SCHEMA_VERSION + 1),))  # fmt: skip


def _other_meta(url: str) -> None:
    sql(url, "CREATE TABLE nbreview_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    sql(url, "INSERT INTO nbreview_meta VALUES ('app', 'something-else')")


def _odd_meta(url: str) -> None:
    sql(url, "CREATE TABLE nbreview_meta (id INT)")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(_newer, r"newer nbreview", id="newer-schema"),
        pytest.param(_other_meta, r"another application", id="other-app"),
        pytest.param(_odd_meta, r"not nbreview's", id="foreign-meta-table"),
    ],
)
def test_foreign_or_newer_schemas_are_refused_untouched(pg_url, make, message):
    make(pg_url)
    before = snapshot(pg_url)
    with pytest.raises(StoreError, match=message) as info:
        PostgresStore(pg_url)
    assert pg_url in str(info.value)
    with pytest.raises(ValueError, match=message):
        nr.Review(_frame(), fields=["text"], questions=[nr.Rating("q")], store=pg_url)
    assert snapshot(pg_url) == before


def test_many_kernels_creating_the_schema_at_once(pg_url):
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_one() -> None:
        try:
            start.wait()
            PostgresStore(pg_url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sql(pg_url, "SELECT value FROM nbreview_meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]


def test_a_schema_of_its_own_through_search_path(pg_cluster: Cluster, pg_url):
    sql(pg_url, "CREATE SCHEMA team")
    url = pg_url + "?options=-csearch_path%3Dteam"
    s = PostgresStore(url)
    try:
        s.write(change("rec-1", quality=2, status="draft"))
    finally:
        s.close()
    assert snapshot(pg_url) == {}  # nothing in public
    tables = {r[0] for r in sql(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname='team'")}
    assert tables == set(TABLES)


def test_without_create_privilege_the_error_says_so(pg_url):
    sql(pg_url, "CREATE ROLE reader LOGIN")
    reader = pg_url.replace("postgres@", "reader@", 1)
    with pytest.raises(StoreError, match=r"cannot be opened: .*permission denied"):
        PostgresStore(reader)
    assert snapshot(pg_url) == {}


# -- persistence and several connections ------------------------------------------------------


def test_a_review_on_postgres(pg_url, ds):
    questions = [nr.Rating("quality"), nr.Label("verdict", ["good", "bad"])]
    alice = nr.Review(ds, fields=["prompt"], questions=questions, store=pg_url, annotator="alice")
    bob = nr.Review(ds, fields=["prompt"], questions=questions, store=pg_url, annotator="bob")
    try:
        alice.submit(0, quality=4, verdict="good")
        bob.submit(0, quality=2, verdict="bad")
        bob.submit(1, quality=5, verdict="good")
        assert alice.to_dataset()["quality"][:2] == [4, None]
        assert bob.progress.submitted == 2
        assert len(alice.annotations()) == 6
        assert alice.to_dataset(annotators="all")["quality"][:2] == [[4, 2], [5]]
    finally:
        alice.store.close()
        bob.store.close()
    again = nr.Review(ds, fields=["prompt"], questions=questions, store=pg_url, annotator="alice")
    try:
        assert again.progress.submitted == 1
        assert again.session.position == 1
    finally:
        again.store.close()


# -- the password never shows -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "clean", "password", "masked"),
    [
        ("postgresql://u:pw@h:5432/db", "postgresql://u@h:5432/db", "pw",
         "postgresql://u:***@h:5432/db"),
        ("postgres://u@h/db", "postgres://u@h/db", None, "postgres://u@h/db"),
        ("postgresql://u:p%40ss%2Fw@h/db?sslmode=disable", "postgresql://u@h/db?sslmode=disable",
         "p@ss/w", "postgresql://u:***@h/db?sslmode=disable"),
        ("postgresql://u:p@ss@h1:5432,h2:5433/db", "postgresql://u@h1:5432,h2:5433/db", "p@ss",
         "postgresql://u:***@h1:5432,h2:5433/db"),
        ("postgresql://h/db?user=u&password=pw&sslmode=require",
         "postgresql://h/db?user=u&sslmode=require", "pw",
         "postgresql://h/db?user=u&password=***&sslmode=require"),
        ("postgresql://h/db?password=pw", "postgresql://h/db", "pw",
         "postgresql://h/db?password=***"),
        ("postgresql://u:@h", "postgresql://u@h", "", "postgresql://u:***@h"),
        ("postgresql:///db", "postgresql:///db", None, "postgresql:///db"),
    ],
)  # fmt: skip
def test_split_url(url, clean, password, masked):
    assert split_url(url) == (clean, password, masked)
    assert mask_url(url) == masked


def test_split_url_refuses_other_schemes():
    with pytest.raises(StoreError, match="postgresql://"):
        split_url("mysql://u:pw@h/db")
    assert mask_url("not a url with pw") == "***"
    assert mask_url("mysql://u:pw@h/db") == "mysql://u:***@h/db"


def _everything_shown(review: nr.Review) -> str:
    widget = review.widget
    state = widget.get_state()
    synced = json.dumps({k: v for k, v in state.items() if k not in ("_esm", "_css")}, default=str)
    return "\n".join(
        [repr(review), repr(review.store), review.store.url, synced, json.dumps(review._config())]
    )


def test_password_is_never_shown(pg_cluster: Cluster, pg_database, ds, caplog):
    caplog.set_level(logging.DEBUG)
    url = pg_cluster.url(pg_database, user=PASSWORD_ROLE, password=PASSWORD)
    review = nr.Review(
        ds, fields=["prompt"], questions=[nr.Rating("quality")], store=url, annotator="alice"
    )
    try:
        review.submit(0, quality=3)
        shown = _everything_shown(review)
        assert "***" in shown
        assert PASSWORD not in shown
        assert f"{PASSWORD_ROLE}:***@127.0.0.1" in repr(review)
    finally:
        review.store.close()
    with pytest.raises(StoreError) as info:  # a closed store's error names the masked URL
        review.store.record("default", "alice", "x")
    assert "***" in str(info.value)
    assert PASSWORD not in str(info.value)
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda c, db: c.url(db, PASSWORD_ROLE, "wrong-" + PASSWORD), id="bad-password"
        ),
        pytest.param(
            lambda c, db: f"postgresql://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:1/{db}",
            id="no-server",
        ),
        pytest.param(lambda c, db: c.url("nosuchdb", PASSWORD_ROLE, PASSWORD), id="no-database"),
        pytest.param(
            lambda c, db: c.url(db, PASSWORD_ROLE, PASSWORD) + "?sslmode=bogus", id="bad-option"
        ),
        pytest.param(
            lambda c, db: f"postgresql://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:notaport/{db}",
            id="bad-port",
        ),
        pytest.param(
            lambda c, db: (
                f"postgresql://127.0.0.1:{c.port}/{db}?user={PASSWORD_ROLE}"
                f"&password=wrong{PASSWORD}"
            ),
            id="password-in-query",
        ),
    ],
)
def test_connection_errors_mask_the_password(pg_cluster: Cluster, pg_database, make, caplog):
    caplog.set_level(logging.DEBUG)
    url = make(pg_cluster, pg_database)
    with pytest.raises(StoreError) as info:
        nr.Review(_frame(), fields=["text"], questions=[nr.Rating("q")], store=url)
    message = str(info.value)
    assert "PostgreSQL store" in message
    assert "***" in message
    assert PASSWORD not in message
    assert info.value.__cause__ is None  # psycopg's exception is not chained
    assert info.value.__suppress_context__
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize("scheme", ["postgresq", "postgresql+psycopg", "mysql"])
def test_a_mistyped_url_scheme_is_refused_masked(scheme):
    url = f"{scheme}://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:5432/db"
    with pytest.raises(StoreError, match=r"postgresql://") as info:
        open_store(url)
    assert PASSWORD not in str(info.value)
    assert f"{scheme}://{PASSWORD_ROLE}:***@127.0.0.1" in str(info.value)


@pytest.mark.parametrize("where", ["id", "annotator"])
def test_a_nul_byte_postgres_cannot_keep_is_refused_when_the_review_is_built(pg_url, where):
    """Issue 25, fault 7: PostgreSQL's text cannot hold NUL; an id or a name with one is
    refused clearly at Review(), naming it, instead of failing every widget message."""
    ids = ["a", "b\x00c", "d"] if where == "id" else ["a", "b", "c"]
    annotator = "al\x00ice" if where == "annotator" else "alice"
    frame = pd.DataFrame({"id": ids, "text": ["x", "y", "z"]})
    with pytest.raises(ValueError, match="NUL byte") as info:
        nr.Review(frame, fields=["text"], questions=[nr.Rating("q")], id="id", store=pg_url,
                  annotator=annotator)  # fmt: skip
    assert ("id column 'id'" in str(info.value)) == (where == "id")
    assert ("row 1" in str(info.value)) == (where == "id")


def test_a_nul_byte_in_an_id_is_kept_on_sqlite(store_path):
    frame = pd.DataFrame({"id": ["a", "b\x00c"], "text": ["x", "y"]})
    review = nr.Review(frame, fields=["text"], questions=[nr.Rating("q")], id="id",
                       store=store_path, annotator="alice")  # fmt: skip
    try:
        review.submit(1, q=3)
        assert review.to_pandas()["q"].tolist()[1] == 3
    finally:
        review.store.close()


# -- no review-wide lock on the path of an answer (issue 25) -------------------------------------


def _holding(url: str, sql_text: str, args: tuple) -> psycopg.Connection:
    """A connection inside a transaction that holds what `sql_text` locks, until closed."""
    conn = psycopg.connect(url)
    conn.execute(sql_text, args)
    return conn


def _within(seconds: float, work) -> object:
    """work()'s result, failing if it waits longer (a lock it should not need)."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it waited for a lock another annotator holds"
    return out[0]


def test_a_claim_passes_over_a_record_another_claim_holds(pg_store, pg_url):
    pg_store.register_review("r", {})
    other = _holding(pg_url, "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))",
                     ("r\x1fk1",))  # fmt: skip
    try:  # like FOR UPDATE SKIP LOCKED: k1 is being claimed, k2 is free
        assert _within(3, lambda: pg_store.claim("r", "bob", ["k1", "k2"], 1, 60)) == "k2"
    finally:
        other.close()
    assert pg_store.claim("r", "carol", ["k1", "k2"], 1, 60) == "k1"  # free again


def test_claims_and_seats_of_others_do_not_wait_for_each_other(pg_store, pg_url):
    from nbreview.store.postgres import CLAIM_LOCK

    pg_store.register_review("r", {})
    # A claim in progress holds the review's lock shared, as every claim does now.
    other = _holding(pg_url, "SELECT pg_advisory_xact_lock_shared(%s, hashtext(%s))",
                     (CLAIM_LOCK, "r"))  # fmt: skip
    try:
        assert _within(3, lambda: pg_store.claim("r", "bob", ["k1"], 2, 60)) == "k1"
        assert _within(3, lambda: pg_store.take_seat("r", "bob", "B", "k1", 60)) == {}
    finally:
        other.close()
