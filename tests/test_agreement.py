"""review.agreement(): Krippendorff's alpha per question and token F1 for spans, checked
against values computed by hand (the working is in the comments)."""

from __future__ import annotations

import math

import datasets
import numpy as np
import pandas as pd
import pytest

import nbreview as nr
from nbreview._export.agreement import alpha, marked, pooled_span_f1, span_f1, tokens


def questions() -> list[nr.Question]:
    return [
        nr.Rating("quality", required=False),
        nr.Label("verdict", ["good", "bad"], required=False),
        nr.MultiLabel("issues", ["factual", "style", "unsafe"], required=False),
        nr.FreeText("comment"),
    ]


@pytest.fixture
def table(make_review):
    """Hand-made answers, alice and bob on rows 0-3 (see each test for the working)."""
    alice = make_review(questions=questions())
    bob = make_review(questions=questions(), annotator="bob")
    alice.submit(0, quality=1, verdict="good", issues=["factual"], comment="a")
    bob.submit(0, quality=2, verdict="good", issues=["factual"], comment="b")
    alice.submit(1, quality=3, verdict="good", issues=["style"])
    bob.submit(1, quality=3, verdict="bad", issues=[])
    alice.submit(2, quality=5, verdict="bad")
    bob.submit(2, quality=4, verdict="bad")
    alice.submit(3, quality=3, verdict="good")
    bob.submit(3, verdict="good")
    # not counted: the adjudicator, a lone answer, a draft and a skip
    make_review(questions=questions(), annotator="adjudicated").submit(1, verdict="good")
    make_review(questions=questions(), annotator="carol").submit(4, quality=1, verdict="bad")
    dave = make_review(questions=questions(), annotator="dave")
    dave.position = 0
    dave.session.handle(
        {"type": "answer", "seq": 1, "key": dave.keys.key(0), "question": "verdict",
         "value": "bad"}
    )  # fmt: skip
    dave.position = 2
    dave.session.handle({"type": "skip", "seq": 2, "key": dave.keys.key(2)})
    return alice.agreement()


def row(table, question: str) -> dict:
    return table.set_index("question").loc[question].to_dict()


def test_table_shape(table):
    assert list(table.columns) == [
        "question", "kind", "level", "alpha", "records", "annotators", "note"
    ]  # fmt: skip
    assert table["question"].tolist() == ["quality", "verdict", "issues", "comment"]
    assert table["kind"].tolist() == ["rating", "label", "multilabel", "freetext"]
    assert table["level"].tolist()[:3] == ["interval", "nominal", "nominal"]
    assert pd.isna(table["level"][3])  # not computed
    assert table["alpha"].dtype == "float64"


def test_nominal_alpha_of_a_label(table):
    # verdict, units r0..r3: (g,g) (g,b) (b,b) (g,g). Coincidences: o_gg = 4, o_bb = 2,
    # o_gb = o_bg = 1; n_g = 5, n_b = 3, n = 8. D_o = 2/8; D_e = 2·5·3 / (8·7) = 30/56.
    # alpha = 1 - (1/4) / (30/56) = 1 - 7/15 = 8/15.
    r = row(table, "verdict")
    assert r["alpha"] == pytest.approx(8 / 15)
    assert (r["records"], r["annotators"], r["note"]) == (4, 2, "")


def test_interval_alpha_of_a_rating(table):
    # quality, pairable units r0..r2: (1,2) (3,3) (5,4); r3 has one rating only.
    # D_o = (2·1² + 0 + 2·1²) / 6 = 4/6. Pooled values 1,2,3,3,4,5: mean 3, squared
    # deviations sum to 10, ordered pairs' squared differences to 2·6·10 = 120, so
    # D_e = 120 / (6·5) = 4. alpha = 1 - (2/3) / 4 = 5/6.
    r = row(table, "quality")
    assert r["alpha"] == pytest.approx(5 / 6)
    assert (r["records"], r["annotators"]) == (3, 2)


def test_multilabel_alpha_on_presence_per_label(table):
    # issues, units (record, label): r0 factual (1,1), style (0,0), unsafe (0,0); r1 factual
    # (0,0), style (1,0), unsafe (0,0). n = 12: three 1s, nine 0s; o_10 + o_01 = 2.
    # D_o = 2/12; D_e = 2·3·9 / (12·11) = 9/22. alpha = 1 - (1/6)/(9/22) = 16/27.
    r = row(table, "issues")
    assert r["alpha"] == pytest.approx(16 / 27)
    assert (r["records"], r["annotators"]) == (2, 2)


def test_free_text_is_not_computed(table):
    r = row(table, "comment")
    assert math.isnan(r["alpha"])
    assert "not computed" in r["note"]
    assert (r["records"], r["annotators"]) == (1, 2)


def test_alpha_helper_on_known_tables():
    # three coders with a missing value: r1 a,a,a (o_aa = 3·2·½ = 3), r2 a,b (o_ab = o_ba = 1),
    # r3 a single a (not pairable). n_a = 4, n_b = 1, n = 5: D_o = 2/5 = D_e = 2·4·1/(5·4).
    units = ["r1", "r1", "r1", "r2", "r2", "r3"]
    coders = ["x", "y", "z", "x", "y", "z"]
    values = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert alpha(units, coders, values, "nominal") == (pytest.approx(0.0), "")
    # Krippendorff's own example (the krippendorff package's docstring): 0.691358 nominal
    data = [
        [np.nan, np.nan, np.nan, np.nan, np.nan, 3, 4, 1, 2, 1, 1, 3, 3, np.nan, 3],
        [1, np.nan, 2, 1, 3, 3, 4, 3, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
        [np.nan, np.nan, 2, 1, 3, 4, 4, np.nan, 2, 1, 1, 3, 3, np.nan, 4],
    ]
    triples = [(u, c, v) for c, line in enumerate(data) for u, v in enumerate(line) if v == v]
    u, c, v = zip(*triples, strict=True)
    assert alpha(u, [str(x) for x in c], v, "nominal")[0] == pytest.approx(0.691358, abs=1e-6)
    assert alpha(u, [str(x) for x in c], v, "interval")[0] == pytest.approx(0.810845, abs=1e-6)


def test_alpha_is_nan_when_every_answer_is_the_same(make_review):
    alice = make_review(questions=questions())
    bob = make_review(questions=questions(), annotator="bob")
    for i in range(3):
        alice.submit(i, verdict="good")
        bob.submit(i, verdict="good")
    r = row(alice.agreement(), "verdict")
    assert math.isnan(r["alpha"])
    assert "same value" in r["note"]
    assert r["records"] == 3


def test_agreement_with_one_annotator(make_review):
    alice = make_review(questions=questions())
    alice.submit(0, quality=3, verdict="good")
    table = alice.agreement()
    assert table["alpha"].isna().all()
    assert table["records"].tolist() == [0, 0, 0, 0]
    assert "two annotators" in row(table, "quality")["note"]


# -- spans ------------------------------------------------------------------------------------

TEXT = "The cat sat on the mat."


def span(start: int, end: int, label: str = "err", text: str = TEXT) -> dict:
    return {"start": start, "end": end, "label": label, "text": text[start:end]}


def test_tokens_are_words_and_single_other_characters():
    assert [TEXT[a:b] for a, b in tokens(TEXT)] == ["The", "cat", "sat", "on", "the", "mat", "."]
    text = "こんにちは 👋 world's"
    assert [text[a:b] for a, b in tokens(text)] == ["こんにちは", "👋", "world", "'", "s"]


def test_a_span_marks_every_token_it_overlaps():
    assert marked(TEXT, [span(4, 11)]) == {(1, "err"), (2, "err")}  # "cat sat"
    assert marked(TEXT, [span(5, 6)]) == {(1, "err")}  # one character of "cat"
    assert marked(TEXT, [span(3, 4)]) == set()  # the space between "The" and "cat"
    assert marked(None, [span(4, 7)]) == {(4, "err"), (5, "err"), (6, "err")}  # characters


def test_span_f1_by_hand():
    alice = [span(4, 11)]  # cat, sat
    bob = [span(5, 7), span(19, 22, "bias")]  # cat; mat as bias
    # A = {cat, sat}, B = {cat, mat/bias}: F1 = 2·1 / (2 + 2)
    assert span_f1(TEXT, [alice, bob]) == pytest.approx(0.5)
    # with carol, who marked nothing: pairs (a,b) 2/4, (a,c) 0/2, (b,c) 0/2 -> 2/8
    assert span_f1(TEXT, [alice, bob, []]) == pytest.approx(0.25)
    assert span_f1(TEXT, [alice, alice]) == 1.0
    assert math.isnan(span_f1(TEXT, [[], []]))
    # pooled over records: (2 + 2) / (4 + 2)
    other = "ab cd"
    same = [span(0, 2, "err", other)]
    assert pooled_span_f1([(TEXT, [alice, bob]), (other, [same, same])]) == pytest.approx(4 / 6)


def test_agreement_of_a_spans_question(make_review, ds):
    errors = nr.Spans("errors", field="response", labels=["wrong", "odd"])
    reviews = [make_review(questions=[errors], annotator=a) for a in ("a", "b")]
    text = ds["response"][3]  # "Soft rain on the roof\n..."
    reviews[0].submit(3, errors=[span(0, 9, "wrong", text)])  # Soft rain
    reviews[1].submit(3, errors=[span(5, 9, "wrong", text), span(17, 21, "odd", text)])
    reviews[0].submit(0, errors=[])
    reviews[1].submit(0, errors=[])
    make_review(questions=[errors], annotator="adjudicated").submit(3, errors=[])
    r = row(reviews[0].agreement(), "errors")
    # record 3: A = {Soft, rain}, B = {rain, roof/odd}: 2·1/(2+2); record 0: nothing marked
    assert r["alpha"] == pytest.approx(0.5)
    assert (r["kind"], r["level"], r["records"], r["annotators"]) == ("spans", "span-F1", 2, 2)


def test_span_agreement_on_a_chat_message_target(tmp_path):
    chat = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "Paris is in Spain."},
    ]
    ds = datasets.Dataset.from_dict({"id": ["a"], "messages": [chat]})
    question = nr.Spans("errors", field="messages[-1]", labels=["error"])
    for who, end in (("alice", 17), ("bob", 11)):  # "is in Spain" vs "is in"
        review = nr.Review(
            ds,
            fields=[nr.Chat("messages")],
            questions=[question],
            id="id",
            store=tmp_path / "s.sqlite",
            annotator=who,
        )
        review.submit(0, errors=[{"start": 6, "end": end, "label": "error"}])
    row = review.agreement().set_index("question").loc["errors"]
    # Tokens "is in Spain" against "is in": precision 1, recall 2/3, F1 0.8.
    assert row["alpha"] == pytest.approx(0.8)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": four observers, twelve
# units, values 1..5, missing marked None. Published: nominal 0.743, ordinal 0.815,
# interval 0.849, ratio 0.797.
KRIPPENDORFF = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


@pytest.mark.parametrize(
    ("level", "published"), [("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_rating_level_on_krippendorffs_published_example(tmp_path, level, published):
    ds = datasets.Dataset.from_dict({"id": [f"u{i}" for i in range(12)], "t": ["x"] * 12})
    rating = nr.Rating("score", scale=5, level=level)
    for who, values in KRIPPENDORFF.items():
        review = nr.Review(ds, fields=["t"], questions=[rating], id="id",
                           store=tmp_path / "s.sqlite", annotator=who)  # fmt: skip
        for i, value in enumerate(values):
            if value is not None:
                review.submit(i, score=value)
    r = review.agreement().set_index("question").loc["score"]
    assert r["level"] == level
    assert round(r["alpha"], 3) == published


def test_rating_level_is_checked():
    with pytest.raises(ValueError, match="level must be one of"):
        nr.Rating("score", level="nominal")
    assert "level" not in nr.Rating("score").spec()
    assert nr.Rating("score", level="ordinal").spec()["level"] == "ordinal"


def test_spans_agreement_has_token_alpha_beside_f1(make_review, ds):
    errors = nr.Spans("errors", field="response", labels=["wrong", "odd"])
    reviews = [make_review(questions=[errors], annotator=a) for a in ("a", "b")]
    text = ds["response"][3]  # "Soft rain on the roof\n..." (20 tokens)
    reviews[0].submit(3, errors=[span(0, 9, "wrong", text)])  # Soft rain
    reviews[1].submit(3, errors=[span(5, 9, "wrong", text), span(17, 21, "odd", text)])
    table = reviews[0].agreement().set_index("question")
    assert table.loc["errors", "level"] == "span-F1"
    r = table.loc["errors.tokens"]
    assert (r["kind"], r["level"], r["records"], r["annotators"]) == ("spans", "nominal", 1, 2)
    # each token a unit: a = Soft/wrong rain/wrong, b = rain/wrong roof/odd, others none
    n = len(tokens(text))
    a = [1, 1] + [0] * (n - 2)
    b = [0, 1] + [0] * (n - 2)
    roof = next(i for i, (s, _) in enumerate(tokens(text)) if s == 17)
    b[roof] = 2
    expected, _ = alpha([*range(n), *range(n)], ["a"] * n + ["b"] * n, [*a, *b], "nominal")
    assert r["alpha"] == pytest.approx(expected)
