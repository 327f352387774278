"""Attacks and bad input of issue 25 that used to break a review: each failed on the old code.

A visitor naming themselves "adjudicated" decided the lead's consensus; an absurd
`elapsed_ms` left the widget on "Internal error"; a pandas column Arrow cannot hold (mixed
types in a list, lone surrogates, deep nesting) built a review whose widget, `submit` and
exports then raised.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import nbreview as nr
from nbreview._data import filter_sql
from nbreview._serve import annotator as who


@pytest.fixture(autouse=True)
def plain_kernel(monkeypatch):
    """A notebook kernel as JupyterLab starts it: no page, no $NBREVIEW_*."""
    for name in ("VOILA_PREHEAT", "SERVER_SOFTWARE", "QUERY_STRING", "NBREVIEW_ANNOTATOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "marimo", raising=False)
    monkeypatch.setattr(who, "login_name", lambda: "login-user")


def served_page(monkeypatch, query: str = "") -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("QUERY_STRING", query)


def small(tmp_path, **kwargs) -> nr.Review:
    df = pd.DataFrame({"text": ["one", "two", "three"]})
    kwargs.setdefault("store", tmp_path / "s.sqlite")
    return nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], **kwargs)


# -- 1. reserved names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["adjudicated", "Adjudicated", "  adjudicated "])
def test_a_visitor_cannot_type_the_adjudicators_name(tmp_path, monkeypatch, name):
    served_page(monkeypatch)
    review = small(tmp_path)
    page = review.widget
    page._on_message(page, {"type": "annotator", "name": name}, [])
    assert page.visitor["ask"] is True  # still asking: the name was not taken
    assert "reserved" in page.visitor["error"]
    assert review.live.annotator is None
    assert review.store.records(review.name) == []


def test_the_page_address_cannot_choose_the_adjudicator(tmp_path, monkeypatch):
    served_page(monkeypatch, "annotator=adjudicated")
    with pytest.warns(UserWarning, match="reserved"):
        review = small(tmp_path)
    assert review.live.annotator is None  # the page asks its visitor instead


def test_the_environment_cannot_choose_the_adjudicator(tmp_path, monkeypatch):
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "adjudicated")
    with pytest.raises(ValueError, match=r"\$NBREVIEW_ANNOTATOR 'adjudicated' is reserved"):
        small(tmp_path)
    assert not (tmp_path / "s.sqlite").exists()  # nothing was created


def test_a_visitor_named_so_cannot_decide_consensus(tmp_path, monkeypatch):
    """The attack as it was: a page visitor's answer replaced the team's in consensus."""
    for name in ("ana", "ben"):
        small(tmp_path, annotator=name).submit(0, verdict="good")
    served_page(monkeypatch)
    visitor = small(tmp_path)
    with pytest.raises(ValueError, match="reserved"):
        visitor.live.answer_as("adjudicated")
    lead = small(tmp_path, annotator="lead")
    assert lead.to_pandas(annotators="consensus")["verdict"].iloc[0] == "good"


def test_the_leads_own_code_still_adjudicates(tmp_path):
    """Review(annotator="adjudicated") in the lead's kernel is how final answers are written."""
    small(tmp_path, annotator="adjudicated").submit(0, verdict="bad")
    lead = small(tmp_path, annotator="lead")
    assert lead.to_pandas(annotators="consensus")["verdict"].iloc[0] == "bad"


# -- 11. numbers no float can hold ----------------------------------------------------------------


def test_an_absurd_elapsed_time_is_capped_not_an_internal_error(tmp_path):
    review = small(tmp_path, annotator="ana")
    key = review.keys.key(review.position)
    review.session.handle(
        {"type": "answer", "seq": 1, "key": key, "question": "verdict", "value": "good",
         "submit": False, "elapsed_ms": 10**400}
    )  # fmt: skip
    assert review.session.notice is None
    state = review.store.record(review.name, "ana", key)
    assert state.answers == {"verdict": "good"}
    assert state.seconds <= 24 * 3600  # capped like any other huge figure


# -- 6. pandas columns no one Arrow type holds ----------------------------------------------------


def nested(depth: int) -> dict:
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value  # type: ignore[return-value]


AWKWARD = {
    "a list mixing types": ["a", 3, ["x", 1], None],
    "lone surrogates": pd.Series(["fine", "bad \ud800 text", "ok", None], dtype=object),
    "nesting past Arrow's limit": [nested(70), {"k": "y"}, None, "z"],
    "nesting past Python's recursion limit": [nested(1500), "b", "c", "d"],
}


@pytest.mark.parametrize("case", list(AWKWARD))
def test_a_column_arrow_cannot_hold_reviews_and_exports(tmp_path, case):
    df = pd.DataFrame({"prompt": ["p0", "p1", "p2", "p3"], "meta": AWKWARD[case]})
    with warnings.catch_warnings(record=True) as told:
        warnings.simplefilter("always")
        review = nr.Review(
            df, ["prompt", "meta"], [nr.Rating("q", scale=3)],
            store=tmp_path / "s.sqlite", annotator="ana",
        )  # fmt: skip
        review.submit(1, q=2)
        view = review.widget.view  # the widget's view of the first record was built
        record = review.widget.record
        out = review.to_pandas()
        ds = review.to_dataset()
        # The keys are stable: a reopened review finds the answer on the same row.
        again = nr.Review(
            df, ["prompt", "meta"], [nr.Rating("q", scale=3)],
            store=tmp_path / "s.sqlite", annotator="ana",
        )  # fmt: skip
        assert again.progress.submitted == 1
        assert again.to_pandas()["q"].tolist()[1] == 2
    assert view["record"]["key"] == record["key"]
    assert out["q"].tolist()[1] == 2
    assert ds["q"][1] == 2
    assert any("meta" in str(w.message) and "first at row" in str(w.message) for w in told)


def test_lone_surrogates_reach_the_browser_as_replacement_characters(tmp_path):
    df = pd.DataFrame({"t": pd.Series(["a\ud800b"], dtype=object)})
    review = nr.Review(
        df, ["t"], [nr.Rating("q", scale=3)], store=tmp_path / "s.sqlite", annotator="a"
    )
    with pytest.warns(UserWarning, match=r"'t'.*not valid Unicode.*first at row 0"):
        fields = review.widget.record["fields"]
    assert fields["t"] == "a\ufffdb"  # same number of code points: offsets stay right


# -- 2. a served page needs a kernel ---------------------------------------------------------------


def test_serve_extra_brings_a_kernel():
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    serve = project["project"]["optional-dependencies"]["serve"]
    assert any(req.startswith("ipykernel") for req in serve)


def test_serve_without_a_kernel_says_so_instead_of_500s(tmp_path, monkeypatch, capsys):
    from jupyter_client import kernelspec

    from nbreview._serve import cli

    notebook = tmp_path / "review.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    monkeypatch.setattr(kernelspec.KernelSpecManager, "find_kernel_specs", lambda self: {})
    launched = []
    monkeypatch.setattr("voila.app.Voila.launch_instance", lambda **kw: launched.append(kw))
    assert cli.main(["serve", str(notebook)]) == 2
    assert "no Python kernel is installed" in capsys.readouterr().err
    assert launched == []


def test_a_chat_mixing_text_and_parts_is_keyed_without_an_id(tmp_path):
    """Arrow cannot type such a chat column: its content keys come from each chat's text."""
    chats = [
        [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
        [
            {"role": "user", "content": [{"type": "text", "text": "look"}]},
            {"role": "assistant", "content": "seen"},
        ],
    ]
    df = pd.DataFrame({"messages": chats})
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        kwargs = {"store": tmp_path / "s.sqlite", "annotator": "ana"}
        review = nr.Review(df, [nr.Chat("messages")], [nr.Rating("q", scale=3)], **kwargs)
        review.submit(1, q=3)
        again = nr.Review(df, [nr.Chat("messages")], [nr.Rating("q", scale=3)], **kwargs)
        assert again.to_pandas()["q"].tolist()[1] == 3
        assert again.progress.submitted == 1


# -- 10. a saved filter planted for another annotator ---------------------------------------------

SLOW_FILTER = "len(list_filter(range(0, 5000 + length(text)), lambda x: x % 7 = 0)) > 0"


def test_a_saved_filter_planted_for_another_annotator_is_bounded(tmp_path, monkeypatch):
    """Someone with the store's file writes bob a queue whose filter runs for seconds (a
    hundred million list elements: 1.5 s on a quiet machine, 13 s on a busy one). bob's
    Review() stops it at the bound (3 s; 0.2 s here, so that a quiet machine's run is
    still longer than the bound), warns naming why, and opens on every record."""
    monkeypatch.setattr(filter_sql, "SAVED_SECONDS", 0.2)
    df = pd.DataFrame({"text": [f"record {i}" for i in range(20_000)]})
    store = tmp_path / "s.sqlite"

    def open_as(name: str) -> nr.Review:
        return nr.Review(df, ["text"], [nr.Label("verdict", ["a", "b"])], store=store,
                         annotator=name)  # fmt: skip

    lead = open_as("lead")
    lead.store.set_setting(lead.name, "bob", "queue", {"filter": SLOW_FILTER})
    with pytest.warns(UserWarning, match=r"stopped after 0.2 s") as caught:
        bob = open_as("bob")
    assert "saved queue" in str(caught[0].message)
    assert bob.session.queue_len() == 20_000  # the review opens, on every record
    assert bob.position == 0
    bob.queue("text = 'record 7'")  # a filter of bob's own is not bounded, and works
    assert bob.session.queue_len() == 1


# -- 8. a budget for what one annotator's answers take -------------------------------------------


def _comments(tmp_path, **kwargs) -> nr.Review:
    df = pd.DataFrame({"text": [f"record {i}" for i in range(30)]})
    questions = [nr.Rating("quality", scale=5), nr.FreeText("comment")]
    return nr.Review(df, ["text"], questions, store=tmp_path / "s.sqlite", annotator="visitor",
                     **kwargs)  # fmt: skip


def _say(review: nr.Review, seq: int, row: int, question: str, value) -> dict:
    session = review.session
    session.handle({"type": "nav", "seq": 2 * seq - 1, "view": "v", "to": row})
    key = session.view()["record"]["key"]
    message = {"type": "answer", "seq": 2 * seq, "view": "v", "key": key, "question": question,
               "value": value}  # fmt: skip
    session.handle(message)
    return session.view()


def _chars(review: nr.Review) -> int:
    rows = review.store.answers(review.name, review.annotator)
    return sum(len(json.dumps(v, ensure_ascii=False)) for *_, v, _t in rows)


def test_one_visitor_cannot_fill_the_store_past_the_default_budget(tmp_path):
    """Issue 25, attack 8: answers at the largest size a message carries, one record after
    another. The default budget refuses the one that would pass it, with a notice, and
    keeps every answer saved before."""
    review = _comments(tmp_path)
    big = "x" * 1_999_000
    notices = [_say(review, i + 1, i, "comment", f"{i}{big}")["notice"] for i in range(12)]
    refused = [i for i, n in enumerate(notices) if n is not None]
    assert refused, "no answer was refused: the store grows without bound"
    assert "budget" in notices[refused[0]]["text"]
    assert "20,000,000 characters" in notices[refused[0]]["text"]
    assert _chars(review) <= 20_000_000
    kept = {r: v for r, _a, q, v, _t in review.store.answers(review.name) if q == "comment"}
    assert len(kept) == refused[0]  # every answer before the refused one is there, whole
    assert all(v.endswith(big) for v in kept.values())


def test_a_budget_is_set_per_review_and_a_shorter_answer_still_fits(tmp_path):
    review = _comments(tmp_path, budget=100_000)
    assert _say(review, 1, 0, "comment", "a" * 45_000)["notice"] is None
    assert _say(review, 2, 1, "comment", "b" * 45_000)["notice"] is None
    view = _say(review, 3, 2, "comment", "c" * 45_000)
    assert "budget" in view["notice"]["text"]
    assert view["record"]["answers"] == {}  # the page shows what is stored: nothing here
    assert _say(review, 4, 2, "quality", 4)["notice"] is None  # a rating still fits
    assert _say(review, 5, 0, "comment", "a" * 20_000)["notice"] is None  # replacing frees
    assert _say(review, 6, 2, "comment", "c" * 30_000)["notice"] is None
    assert _chars(review) <= 100_000
    with pytest.raises(ValueError, match="budget must be a whole number"):
        _comments(tmp_path, budget=-1)
    unbounded = _comments(tmp_path, budget=None, name="other")
    assert _say(unbounded, 1, 0, "comment", "d" * 150_000)["notice"] is None


# -- 9. a 50 MB field ---------------------------------------------------------------------------


def test_a_50_mb_field_crosses_in_pieces(tmp_path):
    """The record on screen syncs the first 100,000 characters of a 50 MB field; "Show more"
    (a `more` message) brings the rest piece by piece, and the pieces make the whole text.
    A field a span question marks is sent whole (its offsets need every character)."""
    from nbreview._ui import long_fields

    text = "lorem ipsum " * 4_400_000 + "THE END"
    note = text[:300_000]  # long too, but a question marks it
    df = pd.DataFrame({"id": ["big", "small"], "text": [text, "short"], "note": [note, "n"]})
    review = nr.Review(df, ["text", "note"], [nr.Spans("marks", field="note", labels=["x"])],
                       id="id", store=tmp_path / "s.sqlite", annotator="a")  # fmt: skip
    widget = review.widget
    state = {k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")}
    synced = len(json.dumps(state))
    assert synced < 1_000_000  # not 50 MB: the marked field whole, the other one cut
    assert widget.record["more"] == {"text": len(text)}
    shown = widget.record["fields"]["text"]
    assert shown == text[:100_000]
    assert widget.record["fields"]["note"] == note  # marked by a question: whole
    pieces = [shown]
    while sum(map(len, pieces)) < len(text):
        ask = {"type": "more", "key": "big", "column": "text", "start": sum(map(len, pieces))}
        reply = long_fields.piece(review, review.session, ask)
        assert len(reply["text"]) <= 1_000_000
        pieces.append(reply["text"])
    assert "".join(pieces) == text
    assert long_fields.piece(review, review.session, {**ask, "key": "small"}) is None
    assert long_fields.piece(review, review.session, {**ask, "column": "id"}) is None
