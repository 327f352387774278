"""Per-turn questions (issue 20, API.md 11): `turns=` on Rating, Label, MultiLabel, FreeText
and Rubric over a chat's messages or `nr.Steps`; typed List columns aligned to the turns,
validation with the record's number of turns, required = every asked turn, suggestions and
gold in the same shape, stores (SQLite, PostgreSQL, reopened), several annotators per
(record, turn), gold graded per turn, summaries by role and tool, the dataset card."""

from __future__ import annotations

import json

import datasets
import krippendorff
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from huggingface_hub import DatasetCard

import nbreview as nr
from nbreview.questions import Question
from nbreview.store import Change

CALL = {"id": "c1", "type": "function", "function": {"name": "search", "arguments": '{"q": 1}'}}
CHATS = [
    [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "and?"},
        {"role": "assistant", "content": "bye"},
    ],
    [
        {"role": "user", "content": "find x"},
        {"role": "assistant", "content": None, "tool_calls": [CALL]},
        {"role": "tool", "tool_call_id": "c1", "content": "x is 3"},
        {"role": "assistant", "content": "x is 3."},
    ],
    [
        {"role": "system", "content": "be kind"},
        {"role": "user", "content": "hey"},
        {"role": "assistant", "content": "hey you"},
    ],
]
SOLUTIONS = ["2 + 2 = 4\n\nso x = 4\n\n", "x = 1\n\n\n\nx + 1 = 3", "one step"]


@pytest.fixture
def chats() -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {
            "id": ["a", "b", "c"],
            "messages": CHATS,
            "problem": ["p1", "p2", "p3"],
            "solution": SOLUTIONS,
            "steps": [["a", "b"], ["c"], []],
            "score": [1, 2, 3],
            "model_help": [[None, 9, None, 4], [None, 5, None, None], None],
            "gold_help": [None, [None, 4, None, 2], None],
        }
    )


def helpful(**kwargs) -> nr.Rating:
    return nr.Rating("helpful", scale=5, turns="messages", **kwargs)


def chat_review(make_review, chats, questions, **kwargs):
    return make_review(chats, fields=[nr.Chat("messages")], questions=questions, id="id", **kwargs)


# -- column types and the lists -----------------------------------------------------------------

KINDS = [
    pytest.param(
        nr.Rating("q", turns="messages"),
        [None, 4, None, 5],
        datasets.List(datasets.Value("int32")),
        [None, 4, None, 5],
        id="rating",
    ),
    pytest.param(
        nr.Label("q", labels=["good", "bad"], turns="messages"),
        [None, "bad", None, "good"],
        datasets.List(datasets.ClassLabel(names=["good", "bad"])),
        [None, 1, None, 0],
        id="label",
    ),
    pytest.param(
        nr.MultiLabel("q", labels=["x", "y"], turns="messages"),
        [None, ["y", "x"], None, []],
        datasets.List(datasets.List(datasets.ClassLabel(names=["x", "y"]))),
        [None, [0, 1], None, []],
        id="multilabel",
    ),
    pytest.param(
        nr.FreeText("q", turns="messages"),
        [None, "too long", None, None],
        datasets.List(datasets.Value("string")),
        [None, "too long", None, None],
        id="freetext",
    ),
    pytest.param(
        nr.Rubric("q", criteria=["a", "b"], scale=(0, 4), turns="messages"),
        [None, {"a": 0, "b": 4}, None, {"a": 2, "b": 1}],
        datasets.List({"a": datasets.Value("int32"), "b": datasets.Value("int32")}),
        [None, {"a": 0, "b": 4}, None, {"a": 2, "b": 1}],
        id="rubric",
    ),
]


@pytest.mark.parametrize(("question", "answer", "feature", "stored"), KINDS)
def test_each_kind_writes_a_list_of_its_usual_feature(
    make_review, chats, question, answer, feature, stored
):
    review = chat_review(make_review, chats, [question])
    review.submit(0, q=answer)
    out = review.to_dataset()
    assert out.features["q"] == feature
    assert out["q"] == [stored, None, None]
    again = Question.from_spec(question.spec())  # a store or card rebuilds it per turn
    assert again.spec() == question.spec()
    assert again.feature() == feature
    assert question.spec()["turns"] == "messages"
    assert question.spec()["roles"] == ["assistant"]


def test_the_browser_is_told_which_turns_are_asked(make_review, chats):
    review = chat_review(
        make_review,
        chats,
        [nr.Label("step", labels=["ok", "no"], turns="messages", roles=["assistant", "tool"])],
    )
    assert review.widget.config["one_key"] is False  # one key never answers turn by turn
    view = review.session.view()["record"]
    assert view["layout"]["step"] == {"turns": {"count": 4, "asked": [1, 3]}}
    review.position = 1
    assert review.session.view()["record"]["layout"]["step"]["turns"]["asked"] == [1, 2, 3]


def test_a_whole_list_answer_from_the_browser_is_stored(make_review, chats):
    review = chat_review(make_review, chats, [helpful(), nr.Label("solved", labels=["y", "n"])])
    session = review.session
    key = session.view()["record"]["key"]
    for seq, value in enumerate(([None, 4, None, None], [None, 4, None, 2]), 1):
        session.handle({"type": "answer", "seq": seq, "elapsed_ms": 0, "key": key,
                        "question": "helpful", "value": value, "submit": False})  # fmt: skip
        assert session.view()["notice"] is None
    assert session.view()["record"]["answers"]["helpful"] == [None, 4, None, 2]


# -- validation ---------------------------------------------------------------------------------

BAD_ANSWERS = [
    pytest.param(
        [4, 5], r"helpful: 2 entries for a record of 4 turns \(of 'messages'\)", id="short"
    ),
    pytest.param([None, 4, None, 5, None], r"5 entries for a record of 4 turns", id="long"),
    pytest.param(
        [3, 4, None, 5], r"turn 0 is not asked about \(its role is 'user'", id="not-asked"
    ),
    pytest.param([None, 9, None, 5], r"helpful: turn 1: .*out of range 1..5", id="bad-entry"),
    pytest.param(4, r"a per-turn answer is a list with one entry per turn \(4 here\)", id="one"),
    pytest.param("4", r"a per-turn answer is a list", id="text"),
]


@pytest.mark.parametrize(("value", "match"), BAD_ANSWERS)
def test_bad_per_turn_answers_are_refused_and_nothing_is_stored(make_review, chats, value, match):
    review = chat_review(make_review, chats, [helpful()])
    with pytest.raises(ValueError, match=match):
        review.submit(0, helpful=value)
    assert review.progress.submitted == 0
    assert review.annotations().empty


def test_required_means_every_asked_turn(make_review, chats):
    review = chat_review(make_review, chats, [helpful(), nr.FreeText("why", turns="messages")])
    with pytest.raises(
        ValueError, match=r"row 0: required questions without an answer: \['helpful'\]"
    ):
        review.submit(0, helpful=[None, 4, None, None])
    review.submit(0, helpful=[None, 4, None, 3])  # FreeText per turn is optional, as usual
    assert review.to_dataset()["why"][0] is None
    widget = chat_review(make_review, chats, [helpful()], annotator="bob").session
    key = widget.view()["record"]["key"]
    value = [None, 2, None, None]
    widget.handle(
        {"type": "answer", "seq": 1, "elapsed_ms": 0, "key": key}
        | {"question": "helpful", "value": value, "submit": True}
    )
    assert widget.view()["record"]["status"] == "draft"  # not every asked turn: not submitted
    widget.handle({"type": "submit", "seq": 2, "elapsed_ms": 0, "key": key})
    assert "Answer the required questions first: helpful" in widget.view()["notice"]["text"]


def test_suggestions_and_gold_hold_lists_of_the_same_shape(make_review, chats):
    review = chat_review(make_review, chats, [helpful(suggestion="model_help", gold="gold_help")])
    view = review.session.view()["record"]
    assert view["suggestions"]["helpful"] == [None, None, None, 4]  # the 9 is off the scale
    review.position = 1
    assert review.session.view()["record"]["suggestions"]["helpful"] == [None, 5, None, None]
    assert review.gold.expected(1) == {"helpful": [None, 4, None, 2]}
    bad = chats.map(lambda r, i: {"gold_help": [1, 2] if i == 1 else None}, with_indices=True)
    with pytest.raises(
        ValueError,
        match=r"gold answer in column 'gold_help' at row 1 .*2 entries for a record of 4 turns",
    ):
        chat_review(make_review, bad, [helpful(gold="gold_help")])


# -- steps ---------------------------------------------------------------------------------------


def test_steps_of_a_text_and_of_a_list_column(make_review, chats):
    review = make_review(
        chats,
        fields=["problem", nr.Steps("solution", sep="\n\n"), nr.Steps("steps")],
        questions=[
            nr.Label("correct", labels=["+1", "0", "-1"], turns="solution"),
            nr.Rating("fine", scale=3, turns="steps", required=False),
        ],
        id="id",
    )
    config = review.widget.config
    assert config["fields"][1] == {"column": "solution", "kind": "steps", "sep": "\n\n"}
    assert "roles" not in config["questions"][0]
    record = review.session.view()["record"]
    assert record["fields"]["solution"] == ["2 + 2 = 4", "so x = 4"]  # blank pieces dropped
    assert record["fields"]["steps"] == ["a", "b"]
    assert record["layout"]["correct"]["turns"] == {"count": 2, "asked": [0, 1]}
    review.submit(0, correct=["+1", "-1"], fine=[3, None])
    review.submit(1, correct=["0", "-1"])
    with pytest.raises(ValueError, match=r"3 entries for a record of 1 turns"):
        review.submit(2, correct=["0", "0", "0"])
    out = review.to_dataset()
    assert out["correct"][:2] == [[0, 2], [1, 2]]
    assert out["fine"][:2] == [[3, None], None]
    assert nr.Steps("s", sep="##").spec() == {"column": "s", "kind": "steps", "sep": "##"}


BAD_TURNS = [
    pytest.param(
        {"fields": ["problem"], "questions": [nr.Rating("r", turns="score")]},
        r"question 'r': turns='score' is neither a chat \(a list of messages\) nor steps: "
        r"column 'score' holds int64",
        id="numbers",
    ),
    pytest.param(
        {"fields": ["problem"], "questions": [nr.Rating("r", turns="solution")]},
        r"turns='solution' is a text column; show it as nr.Steps\('solution'",
        id="text-without-steps",
    ),
    pytest.param(
        {"fields": [nr.Chat("messages")], "questions": [helpful(roles=["critic"])]},
        r"no message in the first rows of 'messages' has the role 'critic' \(they have: "
        r"assistant, system, tool, user\)",
        id="unknown-role",
    ),
    pytest.param(
        {"fields": [nr.Steps("steps")], "questions": [nr.Rating("r", turns="steps", roles=["x"])]},
        r"roles= picks messages of a chat, but 'steps' holds steps",
        id="roles-on-steps",
    ),
    pytest.param(
        {"fields": ["problem"], "questions": [nr.Rating("r", turns="nothing")]},
        r"unknown column 'nothing' \(question 'r'\)",
        id="unknown-column",
    ),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD_TURNS)
def test_a_turns_column_that_cannot_be_turns_is_refused(
    make_review, chats, store_path, kwargs, match
):
    with pytest.raises(ValueError, match=match):
        make_review(chats, **kwargs)
    assert not store_path.exists()


def test_turns_on_a_kind_that_does_not_ask_per_turn_is_refused():
    with pytest.raises(ValueError, match=r"question 'e': turns= asks once per turn, which Edit"):
        nr.Edit("e", field="problem", turns="messages")
    with pytest.raises(ValueError, match=r"roles= needs turns="):
        nr.Rating("r", roles=["assistant"])
    with pytest.raises(ValueError, match=r"roles is a list of message roles"):
        nr.Rating("r", turns="messages", roles="assistant")
    with pytest.raises(ValueError, match=r"turns names the chat or steps column"):
        nr.Rating("r", turns=3)


# -- stores, several annotators ----------------------------------------------------------------

TEAM = {
    "alice": ([[None, 4, None, 5], [None, 3, None, 2], [None, None, 1]],
              [[None, "good", None, "bad"], [None, "good", "bad", "good"], [None, None, "bad"]]),
    "bob": ([[None, 4, None, 4], [None, 1, None, 2], [None, None, 1]],
            [[None, "good", None, "good"], [None, "bad", "bad", "good"], [None, None, "good"]]),
    "cy": ([[None, 5, None, 4], None, None],
           [[None, "good", None, "bad"], None, None]),
}  # fmt: skip


def team_questions():
    return [
        helpful(),
        nr.Label("step", labels=["good", "bad"], turns="messages", roles=["assistant", "tool"]),
    ]


def fill(make_review, chats, store):
    reviews = {}
    for who, (ratings, labels) in TEAM.items():
        review = chat_review(make_review, chats, team_questions(), store=store, annotator=who)
        for i, (r, s) in enumerate(zip(ratings, labels, strict=True)):
            if r is not None:
                review.submit(i, helpful=r, step=s)
        reviews[who] = review
    return reviews


def test_lists_round_trip_through_each_store_and_a_reopen(make_review, chats, store_url):
    reviews = fill(make_review, chats, store_url)
    assert reviews["alice"].to_dataset()["helpful"] == TEAM["alice"][0]
    again = chat_review(make_review, chats, team_questions(), store=store_url, annotator="alice")
    out = again.to_dataset()
    assert out["helpful"] == TEAM["alice"][0]
    assert out.features["step"] == datasets.List(datasets.ClassLabel(names=["good", "bad"]))
    assert again.to_pandas()["step"].tolist() == TEAM["alice"][1]
    everyone = again.to_dataset(annotators="all")
    assert everyone["annotator"][0] == ["alice", "bob", "cy"]
    assert everyone["helpful"][0] == [TEAM[w][0][0] for w in ("alice", "bob", "cy")]
    consensus = again.to_dataset(annotators="consensus")
    assert consensus.features["helpful"] == datasets.List(datasets.Value("float64"))
    assert consensus["helpful"] == [
        [None, 13 / 3, None, 13 / 3],
        [None, 2.0, None, 2.0],
        [None, None, 1.0],
    ]
    # per turn majority, a tie (one each) has none
    assert consensus["step"] == [[None, 0, None, 1], [None, None, 1, 0], [None, None, None]]


def test_agreement_counts_each_record_and_turn_as_a_unit(make_review, chats, store_path):
    review = fill(make_review, chats, store_path)["alice"]
    table = review.agreement().set_index("question")
    units, coders = [], ["alice", "bob", "cy"]
    for record in range(3):
        for turn in range(4):
            units.append([
                TEAM[c][0][record][turn]
                if TEAM[c][0][record] is not None and turn < len(TEAM[c][0][record])
                and TEAM[c][0][record][turn] is not None else np.nan
                for c in coders
            ])  # fmt: skip
    matrix = np.array(units, dtype=float).T
    matrix = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]  # units two coders answered
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert table.loc["helpful", "alpha"] == pytest.approx(expected)
    assert table.loc["helpful", "records"] == matrix.shape[1] == 5  # (record, turn) units
    labels = {"good": 0.0, "bad": 1.0}
    nominal = np.array([
        [labels.get(TEAM[c][1][r][t]) if TEAM[c][1][r] is not None and t < len(TEAM[c][1][r])
         and TEAM[c][1][r][t] is not None else np.nan for c in coders]
        for r in range(3) for t in range(4)
    ], dtype=float).T  # fmt: skip
    nominal = nominal[:, (~np.isnan(nominal)).sum(axis=0) >= 2]
    want = krippendorff.alpha(reliability_data=nominal, level_of_measurement="nominal")
    assert table.loc["step", "alpha"] == pytest.approx(want)


def test_gold_is_graded_turn_by_turn(make_review, chats, store_path):
    for who, ratings in {"alice": [None, 4, None, 2], "bob": [None, 4, None, 5]}.items():
        review = chat_review(
            make_review, chats, [helpful(gold="gold_help")], store=store_path, annotator=who
        )
        review.submit(1, helpful=ratings)
    quality = review.quality().set_index("annotator")
    assert quality.loc["alice", "gold_accuracy"] == 1.0
    assert quality.loc["bob", "gold_accuracy"] == 0.5  # one turn right of two
    assert quality.loc["bob", "gold_answered"] == 1


def test_summary_counts_turns_by_role_and_by_tool(make_review, chats, store_path):
    review = fill(make_review, chats, store_path)["alice"]
    overall = review.summary("step").set_index("answer")
    assert overall.loc["good", "count"] == 8
    assert overall.loc["bad", "count"] == 6
    assert overall.loc["good", "answered"] == 14  # answered turns, over every annotator
    by_role = review.summary("step", by="role").set_index(["role", "answer"])
    assert by_role.loc[("tool", "bad"), "count"] == 2
    assert by_role.loc[("tool", "bad"), "answered"] == 2
    assert by_role.loc[("assistant", "good"), "count"] == 8
    by_tool = review.summary("step", by="tool").set_index(["tool", "answer"])
    assert by_tool.loc[("search", "good"), "count"] == 1  # alice's call turn
    assert by_tool.loc[("search", "bad"), "count"] == 3  # bob's call, both tool results
    assert by_tool.loc[("search", "good"), "answered"] == 4
    with pytest.raises(ValueError, match=r"unknown column 'role'"):
        chat_review(make_review, chats, [nr.Rating("whole")]).summary("whole", by="role")


def test_the_card_describes_per_turn_columns_and_reopens(make_review, chats, store_path, tmp_path):
    review = fill(make_review, chats, store_path)["alice"]
    folder = review.save_hub_folder(tmp_path / "out")
    card = DatasetCard.load(folder / "README.md")
    text = card.text
    assert (
        "| `helpful` | `List(int32)` | answer to the question `helpful` (rating); null where "
        "unanswered; a list with one entry per message of `messages` (asked per `assistant` "
        "message of `messages`), null for turns not asked or not answered |"
    ) in text
    assert "asked per `assistant` or `tool` message of `messages`" in text
    assert "| turns answered | 6 |" in text  # the card counts the published column: alice's
    again = nr.Review.from_hub_folder(folder, annotator="alice", store=tmp_path / "re.sqlite")
    assert again.questions["step"].spec()["roles"] == ["assistant", "tool"]
    assert again.to_dataset()["helpful"] == TEAM["alice"][0]
    assert (
        json.loads(json.dumps(card.data.to_dict()["nbreview"]))["questions"][0]["turns"]
        == "messages"
    )


def test_a_dataframe_of_chats_works_per_turn(make_review):
    frame = pd.DataFrame({"messages": CHATS, "id": ["a", "b", "c"]})
    review = chat_review(make_review, frame, [helpful()])
    review.submit(2, helpful=[None, None, 5])
    assert review.to_pandas()["helpful"].tolist() == [None, None, [None, None, 5]]


STORED = [
    pytest.param(nr.Rating("q", turns="m"), [[None, 4, None, 5], [1, None], None], id="rating"),
    pytest.param(
        nr.Label("q", labels=["a,b", 'say "hi"', "ü c"], turns="m"),
        [[None, "a,b"], ['say "hi"', "ü c"], [None, "ü c"]],
        id="labels-with-commas-quotes",
    ),
    pytest.param(nr.Label("q", labels=["x", "y"], turns="m"), [[None, None, "y"]], id="label"),
    pytest.param(
        nr.FreeText("q", turns="m"), [["a, b", None], ["line\nnext", "ok"]], id="freetext"
    ),
    pytest.param(
        nr.MultiLabel("q", labels=["x", "y"], turns="m"), [[["x", "y"], None, []]], id="sets"
    ),
    pytest.param(
        nr.Rubric("q", criteria=["a", "b"], turns="m"), [[{"a": 1, "b": None}, None]], id="rubric"
    ),
]


@pytest.mark.parametrize(("question", "values"), STORED)
def test_stored_lists_read_in_arrow_as_in_python(question, values):
    """to_dataset() cuts lists of scalars in Arrow: the same column as decoding them."""
    texts = pa.array([json.dumps(v, ensure_ascii=False) for v in values if v is not None])
    kept = [v for v in values if v is not None]
    assert question.from_stored(texts).to_pylist() == question.to_arrow(kept).to_pylist()
    assert question.from_stored(texts).type == question.arrow_type()


def test_steps_fields_refuse_what_is_not_steps_and_take_pandas_lists(make_review, store_path):
    frame = pd.DataFrame({"s": [["one", "two"], [], None], "n": [1, 2, 3]})
    with pytest.raises(ValueError, match=r"nr.Steps\('n'\): column 'n' \(row 0\) holds int 1"):
        make_review(frame, fields=[nr.Steps("n")], questions=[nr.Rating("r")])
    with pytest.raises(ValueError, match=r"sep is the non-empty string between steps"):
        nr.Steps("s", sep="")
    review = make_review(
        frame, fields=[nr.Steps("s")], questions=[nr.Rating("r", turns="s", required=False)]
    )
    assert review.session.view()["record"]["fields"]["s"] == ["one", "two"]
    review.submit(0, r=[2, None])
    review.submit(1, r=None)  # no steps: nothing to ask
    assert review.to_pandas()["r"].tolist() == [[2, None], None, None]


def test_a_dataframe_whose_first_chat_is_empty_still_asks_per_turn(make_review):
    frame = pd.DataFrame({"messages": [[], CHATS[0]], "id": ["e", "a"]})
    review = chat_review(make_review, frame, [helpful()])
    review.submit(1, helpful=[None, 1, None, 2])
    review.submit(0)  # no assistant turn: nothing is required
    assert review.to_pandas()["helpful"].tolist() == [None, [None, 1, None, 2]]


def test_an_adjudicated_turn_replaces_that_turn_of_the_consensus(make_review, chats, store_path):
    fill(make_review, chats, store_path)
    lead = chat_review(
        make_review, chats, team_questions(), store=store_path, annotator="adjudicated"
    )
    answers = {"helpful": [None, 5, None, 5], "step": [None, "good", None, None]}
    key = lead.keys.key(1)  # as nr.Adjudicate stores a decision: only the turns decided
    lead.store.write(Change(lead.name, "adjudicated", key, answers=answers, status="submitted"))
    consensus = lead.to_dataset(annotators="consensus")
    assert consensus["step"][1] == [None, 0, 1, 0]  # turn 1 decided, turns 2-3 the team's
    assert consensus["helpful"][1] == [None, 5.0, None, 5.0]


def test_pandas_suggestions_of_whole_floats_are_taken(make_review):
    frame = pd.DataFrame(
        {"messages": [CHATS[0]], "id": ["a"], "guess": [[np.nan, 4.0, np.nan, 2.0]]}
    )
    review = chat_review(make_review, frame, [helpful(suggestion="guess")])
    assert review.session.view()["record"]["suggestions"]["helpful"] == [None, 4, None, 2]
