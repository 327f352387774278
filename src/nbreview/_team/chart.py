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


class Offline:
    """Mixin: the chart displays as an SVG drawn in the kernel (see the module doc). marimo's
    altair formatter asks `_repr_mimebundle_` too, so marimo shows the same SVG."""

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        svg = svg_of(self)
        # Text is measured in the kernel with its fonts; the browser's may be a little wider,
        # so the SVG lets text spill past its box rather than clipping a title's last letters.
        inline = svg.replace("<svg ", '<svg style="overflow:visible" ', 1)
        html = f'<div class="nbr-chart" style="padding-right:2em">{inline}</div>'
        name = type(self).__mro__[2].__name__
        text = f"<nbreview chart: alt.{name}(...) drawn as SVG; .to_dict() holds its spec>"
        return {"text/html": html, "image/svg+xml": svg, "text/plain": text}

    def to_svg(self) -> str:
        """The chart as SVG text, as the notebook shows it."""
        return svg_of(self)

    # Layering or concatenating keeps the offline display.
    def __add__(self, other: Any) -> Any:
        return offline(super().__add__(other))  # type: ignore[misc]

    def __or__(self, other: Any) -> Any:
        return offline(super().__or__(other))  # type: ignore[misc]

    def __and__(self, other: Any) -> Any:
        return offline(super().__and__(other))  # type: ignore[misc]


_classes: dict[type, type] = {}


def offline(chart: alt.TopLevelMixin) -> Any:
    """The same chart (a Chart, a layer, a concatenation), displayed offline."""
    kind = type(chart)
    if issubclass(kind, Offline) or not isinstance(chart, alt.TopLevelMixin):
        return chart
    if kind not in _classes:
        _classes[kind] = type(f"Offline{kind.__name__}", (Offline, kind), {})
    chart = chart.copy()
    object.__setattr__(chart, "__class__", _classes[kind])  # altair keeps other attributes
    return chart


OfflineChart = type(offline(alt.Chart()))  # what plot() returns: an alt.Chart subclass
