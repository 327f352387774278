"""A question kind is its class: a kind defined here, and nowhere in nbreview, is answered,
exported (own, "all", "consensus"), scored by agreement() and described by the dataset card
through its own hooks alone. An exporter that branched on kind names would fail here."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pytest
from huggingface_hub import DatasetCard

import nbreview as nr
from nbreview.questions import QUESTION_KINDS, Question, combine
from nbreview.questions.combine import Answers

PACKAGE = Path(nr.__file__).parent


class YesNo(Question):
    """A toy kind: True or False, with hooks that differ from every built-in kind's."""

    kind = "yesno"
    title = "yes or no"
    task = "text-classification"
    agreement_level = "nominal"

    def feature(self) -> Any:
        return datasets.Value("bool")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None or isinstance(value, bool):
            return value
        raise self._error(value, "yes or no is True or False")

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """Yes only when every annotator said yes (a cautious reviewer's rule)."""
        records, agreed = combine.majority(self, a, unanimous=True)
        return records, pa.array([v is True for v in agreed.to_pylist()], pa.bool_())

    def agreed_parts(self, a: Answers) -> list[Answers]:
        return [a]

    def accepts(self) -> str:
        return "yes or no"

    def answer_counts(self, values: list, feature: Any) -> tuple[list[str], list[list]]:
        return ["said", "times"], [["yes", values.count(True)], ["no", values.count(False)]]


# Defining the class registered it; other test modules list the kinds, so it is registered
# only while a test here uses it.
QUESTION_KINDS.pop(YesNo.kind)


@pytest.fixture
def yesno() -> Iterator[type[YesNo]]:
    QUESTION_KINDS[YesNo.kind] = YesNo
    yield YesNo
    QUESTION_KINDS.pop(YesNo.kind, None)


@pytest.fixture
def team(yesno, make_review):
    """alice and bob: both yes on row 0, yes/no on row 1, both no on row 2; alice alone on 3."""
    questions = [nr.Rating("quality", scale=(0, 4))]
    alice = make_review(questions=[yesno("safe"), *questions])
    bob = make_review(questions=[yesno("safe"), *questions], annotator="bob")
    for row, (a, b) in enumerate([(True, True), (True, False), (False, False)]):
        alice.submit(row, safe=a, quality=row)
        bob.submit(row, safe=b, quality=row)
    alice.submit(3, safe=True, quality=4)
    return alice


def test_defining_a_kind_registers_it_and_its_spec_rebuilds_it():
    class Maybe(YesNo):
        kind = "maybe"

    try:
        assert QUESTION_KINDS["maybe"] is Maybe
        again = Question.from_spec(Maybe("safe", required=False).spec())
        assert type(again) is Maybe
        assert (again.name, again.required) == ("safe", False)
    finally:
        QUESTION_KINDS.pop("maybe", None)
    with pytest.raises(ValueError, match=r"unknown question kind 'maybe'"):
        Question.from_spec({"name": "safe", "kind": "maybe"})


def test_answers_are_validated_by_the_kind(team):
    with pytest.raises(ValueError, match=r"safe: 'yes' is not a valid answer: yes or no"):
        team.submit(4, safe="yes", quality=1)
    assert team.to_dataset()["safe"][4] is None


def test_to_dataset_own_all_and_consensus(team):
    own = team.to_dataset()
    assert own.features["safe"] == datasets.Value("bool")
    assert own["safe"] == [True, True, False, True, None, None]
    everyone = team.to_dataset(annotators="all")
    assert everyone.features["safe"] == datasets.List(datasets.Value("bool"))
    assert everyone["safe"][1] == [True, False]  # alice, bob
    consensus = team.to_dataset(annotators="consensus")
    assert consensus.features["safe"] == datasets.Value("bool")
    assert consensus["safe"] == [True, False, False, True, None, None]  # the kind's own rule
    # the record's agreement averages the kind's share with the rating's (always agreed here)
    assert consensus["agreement"][1] == pytest.approx((0.5 + 1.0) / 2)
    assert team.to_pandas()["safe"].tolist()[:3] == [True, True, False]


def test_agreement_scores_the_kind_at_its_level(team):
    row = team.agreement().set_index("question").loc["safe"]
    assert (row["kind"], row["level"], row["records"], row["annotators"]) == (
        "yesno",
        "nominal",
        3,
        2,
    )
    assert -1 <= row["alpha"] <= 1
    assert row["note"] == ""


def test_a_kind_without_an_agreement_level_is_not_computed(yesno, make_review):
    class Note(yesno):
        kind = "yesno-note"
        agreement_level = None
        agreement_note = "not computed for toy answers"

    try:
        alice = make_review(questions=[Note("safe")])
        bob = make_review(questions=[Note("safe")], annotator="bob")
        alice.submit(0, safe=True)
        bob.submit(0, safe=False)
        row = alice.agreement().iloc[0]
        assert (row["level"], row["note"], row["records"]) == (
            None,
            "not computed for toy answers",
            1,
        )
    finally:
        QUESTION_KINDS.pop("yesno-note", None)


def test_the_card_describes_the_kind_by_its_hooks(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", include_log=True)
    card = DatasetCard.load(folder / "README.md")
    assert card.data.task_categories == ["text-classification"]
    text = card.text
    assert "| `safe` | yes or no | yes or no | yes | `bool` |" in text
    counts = text.split("### `safe`")[1].split("###")[0]
    assert "| said | times |" in counts
    assert "| yes | 3 |" in counts
    assert "| no | 1 |" in counts
    assert "| safe | yesno | nominal |" in text.split("## Agreement")[1]
    again = nr.Review.from_hub_folder(folder, annotator="bob")
    assert type(again.questions["safe"]) is YesNo
    assert again.to_dataset()["safe"][:3] == [True, False, False]


def _kind_comparisons(path: Path) -> list[str]:
    """`x.kind == ...` / `x.kind in ...` comparisons in a module: branching on a kind name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "kind" for s in sides):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_exporter_branches_on_a_question_kind():
    modules = [
        *sorted((PACKAGE / "_export").glob("*.py")),
        *sorted((PACKAGE / "_hub").glob("*.py")),
        *sorted((PACKAGE / "questions").glob("*.py")),
        *sorted((PACKAGE / "questions" / "families").glob("*.py")),  # choice, numeric, ...
        *sorted((PACKAGE / "_team").glob("*.py")),  # quality, alignment, summary, plots, gold
        PACKAGE / "_ui" / "feedback.py",
    ]
    assert len(modules) > 10
    assert {"quality.py", "alignment.py", "summary.py", "plots.py"} <= {m.name for m in modules}
    assert {"choice.py", "numeric.py", "text.py", "compare.py"} <= {m.name for m in modules}
    assert [hit for m in modules for hit in _kind_comparisons(m)] == []


def _string_constants(path: Path, text: str) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.Constant) and n.value == text for n in ast.walk(tree))


def test_number_is_one_python_module_and_one_js_module():
    """nr.Number (issue 24's proof): its kind is named in its own modules alone; the rest of
    the package and the widget core learn of it only through the registrations."""
    assert QUESTION_KINDS["number"] is nr.Number
    assert nr.Number.__module__ == "nbreview.questions.number"
    naming = [p.relative_to(PACKAGE).as_posix() for p in sorted(PACKAGE.rglob("*.py"))
              if _string_constants(p, "number")]  # fmt: skip
    assert naming == ["questions/number.py"]
    js = Path(__file__).resolve().parents[1] / "js"
    core = [p for p in sorted(js.rglob("*.js")) if "tests" not in p.relative_to(js).parts]
    importing = [p.relative_to(js).as_posix() for p in core if "number.js" in p.read_text("utf-8")]
    assert importing == ["kinds/index.js"]
    plugin = (js / "kinds" / "number.js").read_text(encoding="utf-8")
    assert 'kinds: ["number"]' in plugin
    assert 'import "./number.css"' in plugin  # its CSS travels with it
