"""A judge's calibration (API.md 12): `alignment(confidence=)` adds ECE and Brier, checked
against values computed by hand; `plot("calibration")` draws the reliability diagram."""

from __future__ import annotations

import pandas as pd
import pytest

import nbreview as nr


def review(tmp_path, conf=None, annotator="a") -> nr.Review:
    conf = conf or [0.95, 0.85, 0.55, 0.9, 0.15, None, 0.5, 0.5]
    df = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(8)],
            "text": [f"t{i}" for i in range(8)],
            "judge": ["yes", "no", "yes", "no", "yes", "yes", None, "no"],
            "judge_p": conf,
        }
    )
    return nr.Review(df, fields=["text"], questions=[nr.Label("verdict", labels=["yes", "no"])],
                     id="id", store=tmp_path / "s.sqlite", annotator=annotator)  # fmt: skip


def fill(tmp_path) -> nr.Review:
    a = review(tmp_path)
    # the judge is right on rows 0-2, wrong on 3-4; row 5 has no confidence, row 6 no verdict
    for row, value in enumerate(["yes", "no", "yes", "yes", "no", "yes", "no"]):
        a.submit(row, verdict=value)
    b = review(tmp_path, annotator="b")
    b.submit(0, verdict="yes")
    b.submit(1, verdict="no")
    return a


def test_ece_and_brier_against_hand_computed_values(tmp_path):
    table = (
        fill(tmp_path).alignment("judge", "verdict", confidence="judge_p").set_index("annotator")
    )
    # a: (confidence, right) = (.95, 1) (.85, 1) (.55, 1) (.9, 0) (.15, 0)
    # bins: 9 holds .95 and .9 (mean .925, right .5): |.5 - .925| = .425, twice;
    # 8: |1 - .85| = .15; 5: |1 - .55| = .45; 1: |0 - .15| = .15 -> (0.85 + .75) / 5 = .32
    assert table.loc["a", "ece"] == pytest.approx(0.32)
    # (.05² + .15² + .45² + .9² + .15²) / 5 = 1.06 / 5
    assert table.loc["a", "brier"] == pytest.approx(0.212)
    # b: (.95, 1) (.85, 1) in bins 9 and 8: (.05 + .15) / 2; (.0025 + .0225) / 2
    assert table.loc["b", "ece"] == pytest.approx(0.1)
    assert table.loc["b", "brier"] == pytest.approx(0.0125)
    # the consensus is a's answers here (b agrees where both answered)
    assert table.loc["consensus", "ece"] == pytest.approx(0.32)
    assert table.loc["consensus", "brier"] == pytest.approx(0.212)
    # agreement still counts row 5, whose confidence is null
    assert table.loc["a", "records"] == 6
    assert table.loc["a", "agreement"] == pytest.approx(4 / 6)


def test_without_confidence_the_table_is_unchanged(tmp_path):
    table = fill(tmp_path).alignment("judge", "verdict")
    assert list(table.columns) == ["annotator", "records", "agreement", "alpha"]


def test_a_confidence_outside_0_1_is_refused_by_row(tmp_path):
    r = review(tmp_path, conf=[0.9, 1.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    r.submit(1, verdict="no")
    with pytest.raises(ValueError, match=r"column 'judge_p' at row 1: .* in \[0, 1\], got 1.5"):
        r.alignment("judge", "verdict", confidence="judge_p")
    with pytest.raises(ValueError, match="unknown column 'nope'"):
        r.alignment("judge", "verdict", confidence="nope")


def test_the_reliability_diagram(tmp_path):
    chart = fill(tmp_path).plot(
        "calibration", column="judge", question="verdict", confidence="judge_p"
    )
    spec = chart.to_dict()
    points = next(d for d in spec["datasets"].values() if d and "accuracy" in d[0])
    got = {(p["bin"], round(p["confidence"], 3), p["accuracy"], p["answers"]) for p in points}
    assert got == {(0.1, 0.15, 0.0, 1), (0.5, 0.55, 1.0, 1), (0.8, 0.85, 1.0, 1),
                   (0.9, 0.925, 0.5, 2)}  # fmt: skip
    assert spec["title"] == "Calibration of judge on verdict"
