"""Suggestions from a callable (API.md 12): computed in the background for the records ahead,
stored once for every annotator and kernel, invalid values and failing batches reported."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import nbreview as nr

N = 40


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(N)],
            "text": [f"ticket {i}: " + "words " * (i % 7) for i in range(N)],
            "judge_hint": [None] * N,
        }
    )


def questions() -> list:
    return [nr.Label("verdict", labels=["accept", "reject"]), nr.Rating("quality", scale=5)]


def judge(records):
    return [
        {"verdict": "accept" if r["_row"] % 2 else "reject", "quality": 1 + r["_row"] % 5}
        for r in records
    ]


class Counting:
    """A callable that counts the records it was asked about."""

    def __init__(self, fn=judge, delay: float = 0.0):
        self.fn, self.delay, self.rows = fn, delay, []
        self.__qualname__ = "judge"

    def __call__(self, records):
        time.sleep(self.delay)
        self.rows += [r["_row"] for r in records]
        return self.fn(records)


def review(tmp_path: Path, annotator: str = "ann", **kwargs) -> nr.Review:
    kwargs.setdefault("questions", questions())
    return nr.Review(
        frame(),
        fields=["text"],
        id="id",
        store=tmp_path / "s.sqlite",
        annotator=annotator,
        **kwargs,
    )


def settle(r: nr.Review) -> dict:
    """The suggestions the widget shows, once the background runner is done."""
    r.session.view()
    assert r._model.runner.settle(10)
    return r.session.view()["record"]["suggestions"]


def test_suggestions_arrive_in_the_background_and_survive_reopen(tmp_path):
    fn = Counting(delay=0.3)
    r = review(tmp_path, suggest=fn, batch_size=4)
    started = time.monotonic()
    first = r.session.view()["record"]["suggestions"]
    assert time.monotonic() - started < 0.2  # the view never waits on the callable
    assert first == {}  # not ready yet: shown without one
    assert settle(r) == {"verdict": "reject", "quality": 1}
    assert 0 in fn.rows
    assert len(fn.rows) <= 1 + 2 * 4 + 3  # the record on screen and the queue ahead
    # A reopened review and a second annotator see them without asking again.
    asked = len(fn.rows)
    again = review(tmp_path, suggest=fn, batch_size=4)
    assert settle(again) == {"verdict": "reject", "quality": 1}
    other = review(tmp_path, annotator="bob")  # no callable at all: the stored ones show
    assert other.session.view()["record"]["suggestions"] == {"verdict": "reject", "quality": 1}
    assert len(fn.rows) == asked
    # Accepting (the `a` key) takes them as the annotator's answers.
    other.session.accept()
    assert other.store.record(other.name, "bob", "t0").answers == {
        "verdict": "reject",
        "quality": 1,
    }


def test_an_answered_question_gets_no_suggestion(tmp_path):
    answered = threading.Event()

    def after_the_answer(records):  # the model answers only once the reviewer has
        assert answered.wait(10)
        return judge(records)

    r = review(tmp_path, suggest=after_the_answer, batch_size=4)
    r.session.view()
    r.session.answer({"quality": 5})  # answered before the suggestion arrived
    answered.set()
    assert settle(r) == {"verdict": "reject"}


def test_column_suggestions_win_where_both_exist(tmp_path):
    df = frame()
    df["judge_hint"] = ["accept"] + [None] * (N - 1)
    qs = [nr.Label("verdict", labels=["accept", "reject"], suggestion="judge_hint")]
    r = nr.Review(
        df,
        fields=["text"],
        questions=qs,
        id="id",
        store=tmp_path / "s.sqlite",
        annotator="a",
        suggest=judge,
    )
    assert settle(r) == {"verdict": "accept"}  # the column's, not the callable's "reject"
    r.position = 2
    assert settle(r) == {"verdict": "reject"}  # null in the column: the callable's
    ds = r.to_dataset(suggestions=True)  # the runner asked for every row ahead
    names = ds.features["verdict_suggestion"].names
    assert [names[v] for v in ds["verdict_suggestion"][:3]] == ["accept", "accept", "reject"]


def test_one_question_takes_its_own_callable(tmp_path):
    def rate(records):
        return [{"quality": 5} for _ in records]

    qs = [nr.Label("verdict", labels=["accept", "reject"]), nr.Rating("quality", suggestion=rate)]
    r = review(tmp_path, questions=qs)
    assert settle(r) == {"quality": 5}
    assert r.to_dataset(suggestions=True)["quality_suggestion"][0] == 5
    # beside a review-wide callable, the question's own wins for its question
    both = review(tmp_path, questions=qs, suggest=judge, annotator="b")
    assert settle(both) == {"verdict": "reject", "quality": 5}


def test_to_dataset_adds_typed_suggestion_columns(tmp_path):
    r = review(tmp_path)
    counts = r.suggest(judge, batch_size=8)
    assert counts.to_dict("list") == {
        "question": ["verdict", "quality"],
        "suggested": [N, N],
        "invalid": [0, 0],
        "failed": [0, 0],
    }
    ds = r.to_dataset(suggestions=True)
    assert ds.features["quality_suggestion"].dtype == "int32"
    assert ds["quality_suggestion"] == [1 + i % 5 for i in range(N)]
    labels = ds.features["verdict_suggestion"].names
    assert [labels[v] for v in ds["verdict_suggestion"][:2]] == ["reject", "accept"]
    assert "verdict_suggestion" not in r.to_dataset().column_names
    # The DataFrame has them too, read as its answer columns are: label names, nullable ints
    frame = r.to_pandas(suggestions=True)
    assert frame["verdict_suggestion"].tolist()[:2] == ["reject", "accept"]
    assert str(frame["quality_suggestion"].dtype) == "Int32"
    assert frame["quality_suggestion"].tolist() == [1 + i % 5 for i in range(N)]
    assert "verdict_suggestion" not in r.to_pandas().columns


def test_suggest_ahead_of_time_resumes_and_overwrites(tmp_path):
    r = review(tmp_path)
    fn = Counting()
    r.suggest(fn, rows=range(10), batch_size=4)
    assert sorted(fn.rows) == list(range(10))
    r.suggest(fn, batch_size=4)  # resumes: only the 30 rows not done
    assert sorted(fn.rows) == list(range(N))
    r.suggest(fn, rows=[0], overwrite=True)
    assert len(fn.rows) == N + 1
    with pytest.raises(IndexError):
        r.suggest(fn, rows=[N])


def test_invalid_values_are_dropped_and_counted(tmp_path):
    def sloppy(records):
        return [{"verdict": "maybe" if r["_row"] < 3 else "accept", "quality": 3} for r in records]

    r = review(tmp_path)
    with pytest.warns(UserWarning, match=r"3 invalid suggestion\(s\) dropped, e.g. row 0, verdict"):
        counts = r.suggest(sloppy, batch_size=8)
    assert counts.set_index("question").loc["verdict"].to_dict() == {
        "suggested": N - 3,
        "invalid": 3,
        "failed": 0,
    }
    assert r.session.view()["record"]["suggestions"] == {"quality": 3}  # the rest kept


@pytest.mark.parametrize(
    ("fn", "reason"),
    [
        (lambda records: judge(records)[:-1], "returned 7 results for 8 records"),
        (lambda records: ["accept"] * len(records), "is a str, not a dict"),
        (lambda records: 1 / 0, "raised ZeroDivisionError"),
        (lambda records: {"verdict": "accept"}, "returned dict, not a list"),
    ],
    ids=["length", "non-dict", "raises", "not-a-list"],
)
def test_a_failing_batch_is_named_and_nothing_of_it_stored(tmp_path, fn, reason):
    r = review(tmp_path)
    with pytest.warns(UserWarning, match=rf"5 batch\(es\).*rows 0-7: .*{reason}"):
        counts = r.suggest(fn, batch_size=8, name="bad")
    assert counts["failed"].tolist() == [N, N]
    assert counts["suggested"].tolist() == [0, 0]
    assert r.store.suggested(r.name, "bad", [f"t{i}" for i in range(N)]) == set()


def test_a_hanging_callable_times_out(tmp_path):
    release = threading.Event()

    def hangs(records):
        if records[0]["_row"] == 0:
            release.wait(5)
        return judge(records)

    r = review(tmp_path)
    started = time.monotonic()
    with pytest.warns(UserWarning, match=r"rows 0-7: .*no answer within 0.3 s"):
        counts = r.suggest(hangs, batch_size=8, timeout=0.3)
    release.set()
    assert time.monotonic() - started < 3
    assert counts["failed"].tolist() == [8, 8]
    assert counts["suggested"].tolist() == [N - 8, N - 8]


def test_the_widget_tells_a_failure_once_and_goes_on(tmp_path):
    def broken(records):
        raise RuntimeError("the judge API is down")

    r = review(tmp_path, suggest=broken, batch_size=4)
    r.session.view()
    assert r._model.runner.told.wait(10)  # the notice comes from the suggestions' own thread
    notice = r.session.notice
    assert notice["kind"] == "error"
    assert notice["text"].startswith("Suggestions failed: row")
    assert "RuntimeError: the judge API is down" in notice["text"]
    r.session.answer({"verdict": "accept", "quality": 2}, submit=True)  # reviewing goes on
    assert r.progress.submitted == 1


def test_async_callable_runs_batches_concurrently(tmp_path):
    state = {"now": 0, "most": 0}

    async def judge_async(records):
        state["now"] += 1
        state["most"] = max(state["most"], state["now"])
        await asyncio.sleep(0.05)
        state["now"] -= 1
        return judge(records)

    r = review(tmp_path)
    started = time.monotonic()
    counts = r.suggest(judge_async, batch_size=4, concurrency=5)
    assert state["most"] == 5
    assert time.monotonic() - started < 10 * 0.05  # 10 batches, 5 at a time: about 2 rounds
    assert counts["suggested"].tolist() == [N, N]
    assert r.store.suggested(
        r.name, "test_async_callable_runs_batches_concurrently.<locals>.judge_async", ["t0", "t39"]
    ) == {"t0", "t39"}


def test_called_once_per_record_across_two_kernels(tmp_path):
    """Another kernel fills the store; this one, reviewing with the same callable, asks none."""
    log = tmp_path / "calls.txt"
    frame().to_json(tmp_path / "data.jsonl", orient="records", lines=True)
    script = textwrap.dedent(
        f"""
        import pandas as pd, nbreview as nr
        def judge(records):
            with open({str(log)!r}, "a") as f:
                f.writelines(f"{{r['_row']}}\\n" for r in records)
            return [{{"verdict": "accept", "quality": 2}} for r in records]
        df = pd.read_json({str(tmp_path / "data.jsonl")!r}, lines=True)
        qs = [nr.Label("verdict", labels=["accept", "reject"]), nr.Rating("quality", scale=5)]
        r = nr.Review(df, fields=["text"], questions=qs, id="id",
                      store={str(tmp_path / "s.sqlite")!r}, annotator="k1")
        r.suggest(judge, rows=range(30))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, timeout=120)
    assert len(log.read_text().split()) == 30

    def judge(records):  # the same qualified name: the same suggestions
        with open(log, "a") as f:
            f.writelines(f"{r['_row']}\n" for r in records)
        return [{"verdict": "accept", "quality": 2} for _ in records]

    judge.__qualname__ = "judge"
    r = review(tmp_path, annotator="k2", suggest=judge, batch_size=8)
    assert settle(r) == {"verdict": "accept", "quality": 2}
    r.suggest(judge)
    rows = [int(x) for x in log.read_text().split()]
    assert sorted(rows) == list(range(N))  # each record once, over both kernels


def test_the_team_store_keeps_suggestions_too(pg_url):
    """PostgreSQL: stored once, seen by a second annotator, resumed without asking again."""
    fn = Counting()
    qs = questions()
    first = nr.Review(frame(), fields=["text"], questions=qs, id="id", store=pg_url, annotator="a")
    first.suggest(fn, rows=range(5), batch_size=2)
    second = nr.Review(frame(), fields=["text"], questions=qs, id="id", store=pg_url, annotator="b")
    assert second.session.view()["record"]["suggestions"] == {"verdict": "reject", "quality": 1}
    second.suggest(fn, batch_size=16)
    assert sorted(fn.rows) == list(range(N))
    assert second.to_dataset(suggestions=True)["quality_suggestion"][:3] == [1, 2, 3]
    first.store.close()
    second.store.close()


def test_the_callable_never_sees_the_gold_answers(tmp_path):
    seen = []

    def judge_(records):
        seen.extend(records)
        return [{} for _ in records]

    df = frame().assign(gold=["accept"] * N)
    qs = [nr.Label("verdict", labels=["accept", "reject"], gold="gold")]
    r = nr.Review(df, fields=["text"], questions=qs, id="id", store=tmp_path / "s.sqlite",
                  annotator="a")  # fmt: skip
    r.suggest(judge_, rows=[0, 1])
    assert [sorted(x) for x in seen] == [["_row", "id", "judge_hint", "text"]] * 2
