"""plot()'s charts draw in the kernel (API.md 14): an SVG with marks, no vega to fetch, and
the user's own altair renderer left as it was."""

from __future__ import annotations

import re

import altair as alt


def test_a_chart_displays_as_svg_and_stays_an_altair_chart(make_review):
    review = make_review()
    for i, verdict in enumerate(["good", "good", "bad"]):
        review.submit(i, quality=3, verdict=verdict, issues=[])
    before = alt.renderers.active
    chart = review.plot("answers", question="verdict")
    assert isinstance(chart, alt.Chart)
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg")
    assert svg.count('class="mark-rect') == 1
    assert "<script" not in bundle["text/html"]
    assert alt.renderers.active == before
    # Altair's own methods keep the offline display; the spec is the chart's.
    wider = chart.properties(width=300)
    assert type(wider) is type(chart)
    assert 'width="' in wider.to_svg()
    assert chart.to_dict()["title"] == "Answers to verdict"
    # Layered (styles dropped first, as altair asks) it still draws offline.
    chart.config = chart.background = alt.Undefined
    layered = chart + chart.mark_point()
    assert isinstance(layered, alt.LayerChart)
    assert layered._repr_mimebundle_()["image/svg+xml"].count('class="mark-symbol') == 1


def test_two_charts_in_one_page_do_not_share_ids(make_review):
    review = make_review()
    review.submit(0, quality=3, verdict="good", issues=[])
    review.submit(2, quality=5, verdict="good", issues=[])
    # the confusion matrix's colour legend is a gradient, referred to by its id
    svgs = [review.plot("alignment", column="model_score", question="quality").to_svg()]
    svgs.append(review.plot("alignment", column="model_score", question="quality").to_svg())
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in svgs]
    assert ids[0]
    assert not ids[0] & ids[1]
    for svg, names in zip(svgs, ids, strict=True):
        assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= names
