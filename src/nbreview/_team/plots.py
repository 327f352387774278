"""`review.plot(kind, ...)`: an `altair.Chart` drawn from the quality tables (API.md 8).

Charts are returned, not rendered: each is an `altair.Chart` that displays as an SVG drawn
in the kernel (chart.py), so it draws in JupyterLab, Notebook 7, Voilà and marimo with no
network. Each carries its own look, readable in light and dark
notebooks alike: a transparent background, neutral grey text and axes, titles that say
what is drawn. Data is aggregated before it is charted (a histogram's bins, at most a few
hundred points per line), so a chart of 100,000 answers stays small.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .alignment import confusion, reliability
from .quality import quality
from .summary import summary
from .timing import timing

if TYPE_CHECKING:
    import altair as alt

    from ..review import Review

GREY = "#777777"  # readable on white and on a dark notebook background
GRID = "rgba(119, 119, 119, 0.25)"
POINTS = 400  # points per annotator on the progress line
BINS = 30


def _alt():
    import altair as alt  # imported on first use: it takes a moment

    return alt


def styled(chart: alt.Chart, title: str) -> alt.Chart:
    """The look every chart shares: transparent, grey text and axes, a title."""
    return (
        chart.properties(title=title, background="transparent")
        .configure_axis(
            labelColor=GREY,
            titleColor=GREY,
            domainColor=GREY,
            tickColor=GREY,
            gridColor=GRID,
            labelFontSize=11,
            titleFontSize=12,
        )
        .configure_legend(labelColor=GREY, titleColor=GREY)
        .configure_header(labelColor=GREY, titleColor=GREY)
        .configure_title(color=GREY, fontSize=14, anchor="start")
        .configure_view(stroke=None)
    )


def progress(review: Review) -> alt.Chart:
    """Records submitted over time, one line per annotator."""
    alt = _alt()
    t = timing(review)
    t = t[t["status"] == "submitted"].sort_values("annotated_at", kind="stable")
    lines = []
    for annotator, part in t.groupby("annotator", sort=True):
        done = np.arange(1, len(part) + 1)
        keep = np.unique(np.linspace(0, len(part) - 1, min(len(part), POINTS)).astype(int))
        lines.append(
            pd.DataFrame(
                {
                    "annotator": annotator,
                    "annotated_at": part["annotated_at"].to_numpy()[keep],
                    "submitted": done[keep],
                }
            )
        )
    data = (
        pd.concat(lines)
        if lines
        else pd.DataFrame(columns=["annotator", "annotated_at", "submitted"])
    )
    chart = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("annotated_at:T", title="time submitted (UTC)"),
            y=alt.Y("submitted:Q", title="records submitted"),
            color=alt.Color("annotator:N", title="annotator"),
            tooltip=["annotator:N", "annotated_at:T", "submitted:Q"],
        )
    )
    return styled(chart, "Records submitted over time")


def seconds(review: Review, bins: int = BINS) -> alt.Chart:
    """A histogram of seconds on screen per submitted record, a row per annotator."""
    alt = _alt()
    t = timing(review)
    t = t[t["status"] == "submitted"]
    values = t["seconds"].to_numpy(dtype=float)
    top = float(np.percentile(values, 99)) if len(values) else 0.0
    top = top if top > 0 else 1.0  # nothing timed yet (answers from code): one second wide
    edges = np.linspace(0.0, top, int(bins) + 1)
    parts = []
    for annotator, part in t.groupby("annotator", sort=True):
        counts, _ = np.histogram(np.minimum(part["seconds"].to_numpy(float), top), bins=edges)
        parts.append(
            pd.DataFrame(
                {"annotator": annotator, "start": edges[:-1], "end": edges[1:], "records": counts}
            )
        )
    data = (
        pd.concat(parts)
        if parts
        else pd.DataFrame(columns=["annotator", "start", "end", "records"])
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "start:Q", bin="binned", title="seconds on screen (the longest 1% in the last bar)"
            ),
            x2="end:Q",
            y=alt.Y("records:Q", title="records"),
            color=alt.Color("annotator:N", title="annotator", legend=None),
            row=alt.Row("annotator:N", title=None),
            tooltip=["annotator:N", "start:Q", "end:Q", "records:Q"],
        )
        .properties(height=90)
    )
    return styled(chart, "Seconds on screen per submitted record")


def answers(review: Review, question: str, by: str | None = None) -> alt.Chart:
    """The answers to a question counted, overall or as shares side by side per slice."""
    alt = _alt()
    data = summary(review, question, by)
    order = list(dict.fromkeys(data["answer"]))
    x = alt.X("answer:N", sort=order, title=f"answer to {question}")
    if by is None:
        chart = (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=x,
                y=alt.Y("count:Q", title="answers"),
                tooltip=["answer:N", "count:Q", alt.Tooltip("share:Q", format=".1%")],
            )
        )
        return styled(chart, f"Answers to {question}")
    data = data.astype({by: str})
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset(f"{by}:N"),
            y=alt.Y("share:Q", title=f"share of answers per {by}", axis=alt.Axis(format="%")),
            color=alt.Color(f"{by}:N", title=by),
            tooltip=[
                f"{by}:N",
                "answer:N",
                "count:Q",
                "answered:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )
    return styled(chart, f"Answers to {question} by {by}")


def gold(review: Review, min_gold_accuracy: float = 0.8, tolerance: float = 0) -> alt.Chart:
    """Gold accuracy per annotator, those below the threshold marked."""
    alt = _alt()
    q = quality(review, min_gold_accuracy=min_gold_accuracy, tolerance=tolerance)
    data = q[q["gold_answered"] > 0][["annotator", "gold_answered", "gold_accuracy"]].copy()
    below, above = f"below {min_gold_accuracy:g}", f"{min_gold_accuracy:g} or above"
    data["accuracy"] = np.where(data["gold_accuracy"] < min_gold_accuracy, below, above)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("annotator:N", title="annotator"),
            y=alt.Y("gold_accuracy:Q", title="gold accuracy", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "accuracy:N",
                title="gold accuracy",
                scale=alt.Scale(domain=[below, above], range=["#d9534f", "#4c9f70"]),
            ),
            tooltip=[
                "annotator:N",
                "gold_answered:Q",
                alt.Tooltip("gold_accuracy:Q", format=".2f"),
            ],
        )
    )
    return styled(chart, f"Gold accuracy per annotator (threshold {min_gold_accuracy:g})")


def alignment(review: Review, column: str, question: str) -> alt.Chart:
    """The confusion matrix of the judge's answers against every human answer."""
    alt = _alt()
    data = confusion(review, column, question)
    names = review.questions[question].summary_names() or []
    order = [*names, *sorted(set(data["human"]) | set(data["judge"]) - set(names))]
    chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("judge:N", sort=order, title=f"judge ({column})"),
            y=alt.Y("human:N", sort=order, title="human answer"),
            color=alt.Color("count:Q", title="answers", scale=alt.Scale(scheme="tealblues")),
            tooltip=["human:N", "judge:N", "count:Q"],
        )
    )
    return styled(chart, f"{column} against the humans' {question}")


def calibration(review: Review, column: str, question: str, confidence: str) -> alt.Chart:
    """The reliability diagram: per bin of the judge's confidence, the share it got right
    against the humans' consensus, beside the diagonal of a calibrated judge."""
    alt = _alt()
    data = reliability(review, column, question, confidence)
    diagonal = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line(
        color=GREY, strokeDash=[4, 4]
    )
    scale = alt.Scale(domain=[0, 1])
    points = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("confidence:Q", scale=scale, title=f"judge confidence ({confidence})"),
            y=alt.Y("accuracy:Q", scale=scale, title="share right (human consensus)"),
            size=alt.Size("answers:Q", title="records"),
            tooltip=[
                alt.Tooltip("bin:Q", title="bin from"),
                alt.Tooltip("confidence:Q", format=".2f"),
                alt.Tooltip("accuracy:Q", format=".2f"),
                "answers:Q",
            ],
        )
    )
    chart = alt.layer(diagonal.encode(x="x:Q", y="y:Q"), points)
    return styled(chart, f"Calibration of {column} on {question}")


KINDS: dict[str, Callable[..., Any]] = {
    "progress": progress,
    "timing": seconds,
    "answers": answers,
    "gold": gold,
    "alignment": alignment,
    "calibration": calibration,
}


def plot(review: Review, kind: str, **kwargs: Any) -> alt.Chart:
    if kind not in KINDS:
        raise ValueError(f"unknown plot {kind!r}; the plots are {sorted(KINDS)}")
    build = KINDS[kind]
    params = dict(list(inspect.signature(build).parameters.items())[1:])
    unknown = sorted(set(kwargs) - set(params))
    if unknown:
        raise ValueError(f"plot({kind!r}) takes {sorted(params) or 'no options'}, not {unknown}")
    missing = [n for n, p in params.items() if p.default is p.empty and n not in kwargs]
    if missing:
        raise ValueError(f"plot({kind!r}) needs {', '.join(f'{n}=' for n in missing)}")
    from .chart import offline

    return offline(build(review, **kwargs))
