"""What the dataset card says about quality, when there is something to say: each
annotator's gold accuracy (when questions have gold answers and gold records were
submitted), and each judge compared with `review.alignment()` before publishing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..questions.base import number

if TYPE_CHECKING:
    from ..review import Review


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + [
        "| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows
    ]


def _name(annotator: str, anonymize: bool) -> str:
    from .publish import ROLES, pseudonym

    return pseudonym(annotator) if anonymize and annotator not in ROLES else annotator


def gold_lines(review: Review, anonymize: bool) -> list[str]:
    if not review.gold:
        return []
    q = review.quality()
    q = q[q["gold_answered"] > 0]
    if q.empty:
        return []
    asked = ", ".join(f"`{x.name}` (from `{x.gold}`)" for x in review.gold.questions)
    rows = [
        [_name(r.annotator, anonymize), r.submitted, r.gold_answered, number(r.gold_accuracy)]
        for r in q.itertuples()
    ]
    return [
        "## Gold accuracy",
        "",
        f"{int(review.gold.mask.sum())} records carry a known right answer for {asked}; "
        "annotators were not told which. Gold accuracy is the share of those questions "
        "answered right on the gold records each annotator submitted.",
        "",
        *_table(["annotator", "submitted", "gold records submitted", "gold accuracy"], rows),
        "",
    ]


def judge_lines(review: Review, anonymize: bool) -> list[str]:
    from .._team.alignment import CONSENSUS, alignment

    out: list[str] = []
    for (column, question), tolerance in review.compared_judges.items():
        if column not in review.source.columns or question not in review.questions.names:
            continue
        frame = alignment(review, column, question, tolerance)
        rows = [
            [
                r.annotator if r.annotator == CONSENSUS else _name(r.annotator, anonymize),
                r.records,
                number(r.agreement),
                number(r.alpha),
            ]
            for r in frame.itertuples()
        ]
        within = f" (ratings within {tolerance:g})" if tolerance else ""
        out += [
            f"## Judge alignment: `{column}` on `{question}`",
            "",
            f"The answers in `{column}` against the submitted human answers to `{question}`: "
            f"agreement is the share equal{within}; alpha is Krippendorff's, the judge as one "
            "more coder; `consensus` is the humans' most common answer.",
            "",
            *_table(["annotator", "records", "agreement", "alpha"], rows),
            "",
        ]
    return out


def lines(review: Review, anonymize: bool) -> list[str]:
    return gold_lines(review, anonymize) + judge_lines(review, anonymize)
