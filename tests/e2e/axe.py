"""axe-core in a Playwright page: inject the engine (node_modules/axe-core, a dev dependency),
audit one element, and keep the violations a reviewer would hit (serious or critical)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")

_RUN = """async (el, outer) => {
    const r = await axe.run(outer ? el.closest(outer) : el, {resultTypes: ['violations']});
    return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


def inject(page: Page) -> None:
    """Load axe into the page once (a page reload needs it again)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text())


def severe(page: Page, element: Locator, outer: str | None = None) -> list[dict]:
    """Serious and critical violations inside `element` (or its closest `outer` ancestor)."""
    inject(page)
    return [v for v in element.evaluate(_RUN, outer) if v["impact"] in SEVERE]


def describe(violations: list[dict]) -> str:
    """One line per violation and node, for an assertion message."""
    lines = []
    for v in violations:
        for n in v["nodes"][:5]:
            lines.append(f"{v['impact']} {v['id']} ({v['help']}): {n['target']}: {n['summary']}")
    return "\n".join(lines)
