"""Charts that draw with no network: `plot()`'s altair charts display as SVG made in Python.

altair's own display is HTML that loads vega from a CDN (and JupyterLab's built-in
renderer takes vega-lite 3-5 only), so on a machine without internet a chart drew
nothing. `OfflineChart` is an `altair.Chart` in every other way (`to_dict()`, `save()`,
`properties()`, `+`, ...) whose notebook display is the chart drawn to SVG by
`vl-convert` (the vega engine compiled into a Python wheel): an inline `<svg>` as HTML,
which JupyterLab, Notebook 7, Voilà and marimo all draw, plus `image/svg+xml` for
consumers that want an image. The user's global `alt.renderers` is left alone; for
altair's interactive display, `alt.Chart.from_dict(chart.to_dict())` gives a plain chart.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import altair as alt

_ids = itertools.count(1)
ID = re.compile(r'\bid="([^"]+)"')


def svg_of(chart: alt.TopLevelMixin) -> str:
    """The chart drawn to SVG text, with its element ids made unique in the page."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict())
    ids = set(ID.findall(svg))
    if ids:  # two charts inlined in one document must not share clip-path or gradient ids
        prefix = f"nbr{next(_ids)}-"
        for name in sorted(ids, key=len, reverse=True):
            svg = svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
            svg = svg.replace(f"url(#{name})", f"url(#{prefix}{name})")
            svg = svg.replace(f'href="#{name}"', f'href="#{prefix}{name}"')
    return svg


class OfflineChart(alt.Chart):
    """An altair.Chart that displays as an SVG drawn in the kernel (see the module doc)."""

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        svg = svg_of(self)
        # Text is measured in the kernel with its fonts; the browser's may be a little wider,
        # so the SVG lets text spill past its box rather than clipping a title's last letters.
        inline = svg.replace("<svg ", '<svg style="overflow:visible" ', 1)
        html = f'<div class="nbr-chart" style="padding-right:2em">{inline}</div>'
        text = "<nbreview chart: alt.Chart(...) drawn as SVG; .to_dict() holds its spec>"
        return {"text/html": html, "image/svg+xml": svg, "text/plain": text}

    def _mime_(self) -> tuple[str, str]:  # marimo's display protocol
        return "text/html", self._repr_mimebundle_()["text/html"]

    def to_svg(self) -> str:
        """The chart as SVG text, as the notebook shows it."""
        return svg_of(self)


def offline(chart: alt.Chart) -> OfflineChart:
    """The same chart, displayed offline. Composite charts (layers, concatenations) are
    returned as they are."""
    if type(chart) is alt.Chart:
        chart = chart.copy()
        object.__setattr__(chart, "__class__", OfflineChart)  # altair keeps other attributes
    return chart
