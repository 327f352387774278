"""The store: SQLite's creation and refusal of foreign files; then the change log, undo,
settings, persistence and concurrent writers, each case on SQLite and PostgreSQL alike
(`store_url`). PostgreSQL's own first use and URLs are in tests/test_postgres_store.py."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psycopg
import pytest

import nbreview as nr
from nbreview.store import Change, SQLiteStore, Store, StoreError, open_store
from nbreview.store.base import SCHEMA_VERSION


@pytest.fixture
def sqlite_store(store_path):
    s = SQLiteStore(store_path)
    yield s
    s.close()


@pytest.fixture
def store(store_url):
    """The contract tests below run against both stores: SQLite, then PostgreSQL."""
    s = open_store(store_url)
    yield s
    s.close()


def change(record: str, annotator: str = "alice", status: str | None = None, **answers) -> Change:
    return Change("default", annotator, record, answers=answers, status=status)


def raw(path: Path | str, sql: str, args: tuple = ()) -> list[tuple]:
    """Rows of a statement run on the store's database itself; `{t}` before a table name."""
    if str(path).startswith("postgresql://"):
        with psycopg.connect(str(path), autocommit=True) as conn:
            cur = conn.execute(sql.replace("{t}", "nbreview_").replace("?", "%s"), args)
            return cur.fetchall() if cur.description else []
    con = sqlite3.connect(path)
    try:
        return con.execute(sql.replace("{t}", ""), args).fetchall()
    finally:
        con.close()


def snapshot(url: str) -> dict:
    """Every table of the store with all its rows: compares a store as a whole."""
    names = ("reviews", "changes", "events", "answers", "records", "settings")
    return {n: sorted(map(repr, raw(url, f"SELECT * FROM {{t}}{n}"))) for n in names}


# -- creating and refusing --------------------------------------------------------------------


def test_fresh_path_creates_a_wal_store(sqlite_store, store_path):
    assert store_path.is_file()
    assert raw(store_path, "PRAGMA journal_mode") == [("wal",)]
    meta = dict(raw(store_path, "SELECT key, value FROM nbreview_meta"))
    assert meta == {"app": "nbreview", "schema_version": str(SCHEMA_VERSION)}


def test_open_store_default_path_is_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = open_store(None)
    try:
        assert isinstance(s, SQLiteStore)
        assert (tmp_path / "nbreview.sqlite").is_file()
    finally:
        s.close()
    s = open_store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        assert (tmp_path / "other.sqlite").is_file()
    finally:
        s.close()
    assert open_store(s) is s


def test_missing_folder_and_directory_are_refused(tmp_path):
    with pytest.raises(StoreError, match=r"does not exist"):
        SQLiteStore(tmp_path / "nope" / "s.sqlite")
    assert not (tmp_path / "nope").exists()
    with pytest.raises(StoreError, match=r"directory"):
        SQLiteStore(tmp_path)


def _text_file(path: Path) -> None:
    path.write_text("id,prompt\n1,hello\n", encoding="utf-8")


def _other_app(path: Path, wal: bool = False) -> None:
    con = sqlite3.connect(path)
    if wal:
        con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoices VALUES (1, 9.5), (2, 12.0)")
    con.commit()
    con.close()


def _other_app_wal(path: Path) -> None:
    _other_app(path, wal=True)


def _other_app_with_meta(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE nbreview_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.execute("INSERT INTO nbreview_meta VALUES ('app', 'something-else')")
    con.commit()
    con.close()


def _newer_schema(path: Path) -> None:
    s = SQLiteStore(path)
    s.write(change("rec-1", quality=3, status="submitted"))
    s.close()
    con = sqlite3.connect(path)
    con.execute(
        "UPDATE nbreview_meta SET value = ? WHERE key = 'schema_version'",
        (str(SCHEMA_VERSION + 1),),
    )
    con.commit()
    con.close()


REFUSED = [
    pytest.param(_text_file, r"not an nbreview store \(not a SQLite database\)", id="text-file"),
    pytest.param(_other_app, r"another application", id="other-app"),
    pytest.param(
        _other_app_wal,
        r"another application",
        id="other-app-wal",
    ),
    pytest.param(_other_app_with_meta, r"another application", id="other-app-meta-table"),
    pytest.param(
        _newer_schema,
        r"newer nbreview",
        id="newer-schema",
    ),
]


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_foreign_files_are_refused_and_left_byte_for_byte(tmp_path, digests, make, message):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "reviews.sqlite"
    make(path)
    before = digests(folder)
    assert list(before) == ["reviews.sqlite"]
    with pytest.raises(ValueError, match=message) as info:
        SQLiteStore(path)
    assert isinstance(info.value, StoreError)
    assert str(path) in str(info.value)
    # the file itself is untouched, and no -wal/-shm/-journal file was left beside it
    assert digests(folder) == before


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_foreign_files_are_refused_by_review_too(tmp_path, digests, ds, make, message):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "reviews.sqlite"
    make(path)
    before = digests(folder)
    with pytest.raises(ValueError, match=message):
        nr.Review(ds, fields=["prompt"], questions=[nr.Rating("quality")], store=path)
    assert digests(folder) == before


def test_refused_newer_schema_keeps_the_main_file_intact(tmp_path):
    # The part of the newer-schema refusal that holds today: the database file itself.
    path = tmp_path / "reviews.sqlite"
    _newer_schema(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer nbreview"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_existing_store_of_this_version_opens(store_path):
    first = SQLiteStore(store_path)
    first.write(change("rec-1", quality=4, status="submitted"))
    first.close()
    second = SQLiteStore(store_path)
    try:
        assert second.record("default", "alice", "rec-1").answers == {"quality": 4}
    finally:
        second.close()


# -- writing, history, undo -------------------------------------------------------------------


def test_write_applies_and_logs_a_change(store):
    cid = store.write(change("rec-1", quality=3, verdict="good", status="draft")).change
    state = store.record("default", "alice", "rec-1")
    assert state.answers == {"quality": 3, "verdict": "good"}
    assert state.status == "draft"
    assert isinstance(state.annotated_at, int)
    history = store.history("default")
    events = {(q, v, p) for c, r, a, q, v, p, _, u in history if c == cid}
    assert events == {("quality", 3, None), ("verdict", "good", None), (None, "draft", None)}
    assert all(r == "rec-1" and a == "alice" and u is None for _, r, a, *_, u in history)


def test_nothing_is_overwritten_silently(store):
    store.write(change("rec-1", quality=3, status="draft"))
    store.write(change("rec-1", quality=4))
    store.write(change("rec-1", status="submitted"))
    assert store.record("default", "alice", "rec-1").answers == {"quality": 4}
    assert store.record("default", "alice", "rec-1").status == "submitted"
    log = [(q, v, p) for _, _, _, q, v, p, _, _ in store.history("default")]
    assert log == [
        ("quality", 3, None),
        (None, "draft", None),
        ("quality", 4, 3),
        (None, "submitted", "draft"),
    ]


def test_status_is_kept_when_a_change_does_not_set_one(store):
    store.write(change("rec-1", quality=2, status="skipped"))
    store.write(change("rec-1", comment="why"))
    assert store.record("default", "alice", "rec-1").status == "skipped"


def test_a_status_decided_from_the_answers_in_the_write(store):
    """A submit reads nothing first: the write applies the answers, then asks for the status
    given all of them; a refusal raised there stores nothing of the change."""
    complete = lambda answers: "submitted" if {"quality", "verdict"} <= set(answers) else "draft"  # noqa: E731
    store.write(change("rec-1", quality=3, status="draft"))
    assert store.write(
        Change("default", "alice", "rec-1", {"verdict": "good"}, complete)
    ).status == ("submitted")
    assert (
        store.write(Change("default", "alice", "rec-2", {"quality": 1}, complete)).status == "draft"
    )
    before = store.history("default")

    def refuse(answers: dict) -> str:
        raise ValueError("answer the rest first")

    with pytest.raises(ValueError, match="answer the rest first"):
        store.write(Change("default", "alice", "rec-2", {"quality": 5}, refuse))
    assert store.history("default") == before
    assert store.record("default", "alice", "rec-2").answers == {"quality": 1}


def test_records_shown_are_read_with_their_suggestions(store):
    store.write(change("rec-1", quality=3, status="draft"))
    store.write(change("rec-1", annotator="bob", quality=1, status="submitted"))
    store.put_suggestions(
        "default", "judge", [("rec-1", "verdict", '"good"'), ("rec-2", "quality", None)]
    )
    store.put_suggestions("default", "other", [("rec-2", "verdict", '"bad"')])
    shown = store.shown("default", "alice", ["rec-1", "rec-2", "rec-3"])
    assert set(shown) == {"rec-1", "rec-2"}  # rec-3: nothing stored of it
    assert (shown["rec-1"].answers, shown["rec-1"].status) == ({"quality": 3}, "draft")
    assert [row[:4] for row in shown["rec-1"].suggested] == [
        ("rec-1", "verdict", "judge", '"good"')
    ]
    assert shown["rec-2"].answers == {}
    assert shown["rec-2"].status is None
    assert [row[:4] for row in shown["rec-2"].suggested] == [("rec-2", "verdict", "other", '"bad"')]
    assert store.shown("default", "alice", []) == {}


def test_clearing_an_answer_is_logged(store):
    store.write(change("rec-1", quality=2, comment="x", status="draft"))
    store.write(change("rec-1", comment=None))
    assert store.record("default", "alice", "rec-1").answers == {"quality": 2}
    assert store.history("default")[-1][3:6] == ("comment", None, "x")


def test_undo_restores_answers_and_status(store):
    store.write(change("rec-1", quality=3, issues=["a"], status="draft"))
    cid = store.write(
        change("rec-1", quality=5, issues=[], comment="new", status="submitted")
    ).change
    assert store.undo(cid) == "rec-1"
    state = store.record("default", "alice", "rec-1")
    assert state.answers == {"quality": 3, "issues": ["a"]}
    assert state.status == "draft"
    # the undo is itself logged, pointing at what it undid; the undone values stay in history
    history = store.history("default")
    undo_events = [h for h in history if h[7] == cid]
    assert sorted(((q, v, p) for _, _, _, q, v, p, _, _ in undo_events), key=str) == sorted(
        [
            ("quality", 3, 5),
            ("issues", ["a"], []),
            ("comment", None, "new"),
            (None, "draft", "submitted"),
        ],
        key=str,
    )
    assert any(h[3] == "quality" and h[4] == 5 for h in history)


def test_undo_of_the_first_change_empties_the_record(store):
    cid = store.write(change("rec-1", quality=3, status="submitted")).change
    store.undo(cid)
    state = store.record("default", "alice", "rec-1")
    assert state.answers == {}
    assert state.status is None
    assert store.statuses("default", "alice") == {}
    assert store.records("default") == []


def test_undo_of_an_undo_redoes(store):
    cid = store.write(change("rec-1", quality=3, status="submitted")).change
    store.undo(cid)
    undo_id = max(h[0] for h in store.history("default"))
    store.undo(undo_id)
    state = store.record("default", "alice", "rec-1")
    assert (state.answers, state.status) == ({"quality": 3}, "submitted")


def test_undo_of_an_unknown_change_is_refused(store):
    store.write(change("rec-1", quality=3))
    before = store.history("default")
    with pytest.raises(StoreError, match=r"no change 999"):
        store.undo(999)
    assert store.history("default") == before


def test_reads_by_annotator_and_review(store):
    store.write(change("rec-1", quality=3, status="submitted"))
    store.write(change("rec-2", quality=1, status="skipped"))
    store.write(change("rec-1", "bob", quality=5, status="draft"))
    store.write(Change("other", "alice", "rec-1", answers={"quality": 2}, status="submitted"))
    assert store.statuses("default", "alice") == {"rec-1": "submitted", "rec-2": "skipped"}
    assert store.statuses("default", "bob") == {"rec-1": "draft"}
    assert sorted((r, a, s) for r, a, s, _, _ in store.records("default")) == [
        ("rec-1", "alice", "submitted"),
        ("rec-1", "bob", "draft"),
        ("rec-2", "alice", "skipped"),
    ]
    assert sorted((r, a, q, v) for r, a, q, v, _ in store.answers("default", "bob")) == [
        ("rec-1", "bob", "quality", 5)
    ]
    assert len(store.answers("default")) == 3
    assert [(r, a, q, v) for r, a, q, v, _ in store.answers("other")] == [
        ("rec-1", "alice", "quality", 2)
    ]


def test_seconds_add_up_per_record(store):
    store.write(Change("default", "alice", "rec-1", answers={"q": 1}, status="draft", seconds=2.5))
    store.write(Change("default", "alice", "rec-1", status="submitted", seconds=4.0))
    assert store.record("default", "alice", "rec-1").seconds == pytest.approx(6.5)
    assert store.records("default")[0][4] == pytest.approx(6.5)


def test_values_round_trip_as_json(store):
    value = {"text": "こんにちは 👋 <b>x</b>", "spans": [{"start": 0, "end": 5}]}
    store.write(change("rec-1", data=value, empty="", none_list=[]))
    assert store.record("default", "alice", "rec-1").answers == {
        "data": value,
        "empty": "",
        "none_list": [],
    }


def test_register_review_describes_itself(store, store_url):
    store.register_review("default", {"questions": [{"name": "q"}]})
    store.register_review("default", {"questions": [{"name": "q2"}]})
    rows = raw(store_url, "SELECT name, config FROM {t}reviews")
    assert rows == [("default", '{"questions": [{"name": "q2"}]}')]


# -- persistence ------------------------------------------------------------------------------


def test_reopening_the_store_sees_everything(store_url):
    first = open_store(store_url)
    first.write(change("rec-1", quality=3, verdict="good", status="submitted"))
    cid = first.write(change("rec-2", quality=1, status="draft")).change
    first.undo(cid)
    first.write(change("rec-3", "bob", comment="hi", status="skipped"))
    first.set_setting("default", "alice", "queue", {"sort": "id"})
    expected = (
        first.record("default", "alice", "rec-1"),
        first.statuses("default", "alice"),
        first.records("default"),
        first.answers("default"),
        first.history("default"),
    )
    first.close()

    second = open_store(store_url)  # as after a kernel restart
    try:
        got = (
            second.record("default", "alice", "rec-1"),
            second.statuses("default", "alice"),
            second.records("default"),
            second.answers("default"),
            second.history("default"),
        )
        assert got == expected
        assert second.record("default", "alice", "rec-2").answers == {}
        assert second.setting("default", "alice", "queue") == {"sort": "id"}
    finally:
        second.close()


def test_a_second_store_sees_committed_writes_without_close(store_url):
    first = open_store(store_url)
    second = open_store(store_url)
    try:
        first.write(change("rec-1", quality=2, status="submitted"))
        assert second.record("default", "alice", "rec-1").answers == {"quality": 2}
        second.write(change("rec-1", comment="also"))
        answers = first.record("default", "alice", "rec-1").answers
        assert answers == {"quality": 2, "comment": "also"}
        assert first.record("default", "alice", "rec-1").status == "submitted"
    finally:
        first.close()
        second.close()


def test_review_answers_survive_a_new_review_object(make_review, ds, store_url):
    first = make_review(store=store_url)
    first.submit(0, quality=4, verdict="good", issues=[])
    first.store.close()
    second = make_review(store=store_url)  # a fresh kernel: new store object, same database
    assert second.to_dataset()["quality"] == [4, None, None, None, None, None]
    assert second.progress.submitted == 1


# -- concurrent writers -----------------------------------------------------------------------


def test_opening_a_fresh_store_waits_for_another_writer(store_path):
    other = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE scratch (x)")
    release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        s = SQLiteStore(store_path)  # must wait for the lock (busy timeout), then create
        s.close()
    finally:
        release.join()
        other.close()
    assert raw(store_path, "PRAGMA journal_mode") == [("wal",)]


N = 60


def test_two_stores_in_two_threads_lose_nothing(store_url):
    stores = [open_store(store_url), open_store(store_url)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(s: Store, question: str) -> None:
        try:
            start.wait()
            for i in range(N):
                s.write(
                    Change("default", "team", f"rec-{i}", answers={question: i}, status="draft")
                )
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(stores[0], "qa")),
        threading.Thread(target=work, args=(stores[1], "qb")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for s in stores:
        s.close()
    assert not errors

    check = open_store(store_url)
    try:
        for i in range(N):
            assert check.record("default", "team", f"rec-{i}").answers == {"qa": i, "qb": i}
        assert len(check.answers("default")) == 2 * N
        assert len({h[0] for h in check.history("default")}) == 2 * N
    finally:
        check.close()


WRITER = textwrap.dedent(
    """
    import sys, time, pathlib
    from nbreview.store import Change, SQLiteStore
    path, question, go = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    store = SQLiteStore(path)
    pathlib.Path(str(go) + "." + question).touch()
    while not go.exists():
        time.sleep(0.005)
    for i in range({n}):
        store.write(Change("default", "team", f"rec-{{i}}", answers={{question: i}},
                           status="submitted"))
    store.close()
    """
).format(n=N)


def test_two_processes_writing_interleaved_lose_nothing(store_path, tmp_path):
    SQLiteStore(store_path).close()  # created once, as by the first kernel
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store_path), q, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for q in ("qa", "qb")
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"go.{q}").exists() for q in ("qa", "qb")):
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            assert time.monotonic() < deadline, "writers did not start"
            time.sleep(0.01)
        go.touch()
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, err.decode()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()

    check = SQLiteStore(store_path)
    try:
        for i in range(N):
            state = check.record("default", "team", f"rec-{i}")
            assert state.answers == {"qa": i, "qb": i}
            assert state.status == "submitted"
        assert len({h[0] for h in check.history("default")}) == 2 * N
    finally:
        check.close()


def test_a_change_may_carry_its_own_time(store):
    # imports keep each answer's original time; both stores write it everywhere
    cid = store.write(
        Change("default", "alice", "rec-1", answers={"q": 1}, status="submitted", at=123_456)
    ).change
    assert store.record("default", "alice", "rec-1").annotated_at == 123_456
    assert [h[6] for h in store.history("default") if h[0] == cid] == [123_456, 123_456]
    assert [a[4] for a in store.answers("default")] == [123_456]
    assert [r[3] for r in store.records("default")] == [123_456]


def test_write_many_applies_every_change_in_order(store):
    changes = [change(f"rec-{i}", quality=i, status="submitted") for i in range(3)]
    store.write_many([*changes, change("rec-0", quality=9)])
    assert store.record("default", "alice", "rec-0").answers == {"quality": 9}
    assert store.statuses("default", "alice") == {f"rec-{i}": "submitted" for i in range(3)}
    assert len({h[0] for h in store.history("default")}) == 4


# -- moved from the PostgreSQL tests: the same cases on both stores ----------------------------


def test_settings_per_review_and_annotator(store):
    assert store.setting("default", "alice", "queue") is None
    store.set_setting("default", "alice", "queue", {"status": "open"})
    store.set_setting("default", "alice", "queue", {"status": "draft"})
    store.set_setting("default", "bob", "queue", "x")
    assert store.setting("default", "alice", "queue") == {"status": "draft"}
    assert store.setting("default", "bob", "queue") == "x"
    store.set_setting("default", "alice", "queue", None)
    assert store.setting("default", "alice", "queue") is None


def test_threads_writing_one_record_through_one_pool_lose_nothing(store):
    n = 40
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(question: str) -> None:
        try:
            start.wait()
            for i in range(n):
                answers = {question: i, "last": f"{question}{i}"}
                store.write(change("shared", "team", status="draft", **answers))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(q,)) for q in ("qa", "qb", "qc", "qd")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    state = store.record("default", "team", "shared")
    assert {q: state.answers[q] for q in ("qa", "qb", "qc", "qd")} == dict.fromkeys(
        ("qa", "qb", "qc", "qd"), n - 1
    )
    history = store.history("default")
    assert len({h[0] for h in history}) == 4 * n
    # each question's log is a clean chain: every event's previous is the value before it
    for q in ("qa", "qb", "qc", "qd"):
        chain = [(v, p) for _, _, _, question, v, p, _, _ in history if question == q]
        assert chain == [(i, None if i == 0 else i - 1) for i in range(n)]
    # one question written by every thread: in log order, each change replaced the one before
    last = [(v, p) for _, _, _, question, v, p, _, _ in history if question == "last"]
    assert len(last) == 4 * n
    assert all(p == before for (_, p), (before, _) in zip(last[1:], last, strict=False))
    assert last[-1][0] == state.answers["last"]


def test_a_large_import_is_written_in_batches(store):
    changes = [
        Change("default", "alice", f"rec-{i}", answers={"q": i}, status="submitted", at=1_000 + i)
        for i in range(1_234)
    ]
    store.write_many(changes)
    assert len(store.statuses("default", "alice")) == 1_234
    assert store.record("default", "alice", "rec-1233").annotated_at == 2_233
    assert len({h[0] for h in store.history("default")}) == 1_234


def test_a_failed_change_writes_nothing_and_the_store_goes_on(store, store_url):
    store.write(change("rec-1", quality=1, status="draft"))
    before = snapshot(store_url)
    bad = Change("default", "alice", "rec-1", answers={"quality": 2, None: 3}, status="submitted")
    with pytest.raises(StoreError, match=r"could not save the change: .*(null value|NOT NULL)"):
        store.write(bad)
    assert snapshot(store_url) == before  # the whole change was rolled back
    for _ in range(6):  # every pooled connection is usable again
        store.write(change("rec-1", quality=3))
    assert store.record("default", "alice", "rec-1").answers == {"quality": 3}
