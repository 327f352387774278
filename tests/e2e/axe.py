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


# axe's color-contrast rule skips the text of a widget inside JupyterLab's output area (it
# checks only the form controls there), so the text is measured here too: every element with
# text of its own, its colour against the first opaque background behind it (alpha blended),
# disabled controls aside (WCAG 1.4.3 exempts them).
_CONTRAST = """(root) => {
    const parse = (c) => {
        let m = /^rgba?\\(([^)]+)\\)/.exec(c);
        if (m) { const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
                 return [v[0] / 255, v[1] / 255, v[2] / 255, v.length > 3 ? v[3] : 1]; }
        m = /^color\\(srgb ([^)]+)\\)/.exec(c);
        if (m) { const v = m[1].split(/[ \\/]+/).filter(Boolean).map(Number);
                 return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; }
        return null;
    };
    const over = (top, under) =>
        top.slice(0, 3).map((x, i) => x * top[3] + under[i] * (1 - top[3]));
    const lum = (c) => { const f = (x) => x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
                         return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
    const background = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const bg = parse(getComputedStyle(e).backgroundColor);
            if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
        }
        let c = [1, 1, 1];
        for (const layer of layers.reverse()) c = over(layer, c);
        return c;
    };
    const low = [];
    for (const el of root.querySelectorAll('*')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
        const seen = el.checkVisibility({opacityProperty: true, visibilityProperty: true});
        if (!own || !seen) continue;
        if (el.closest('[disabled], [aria-disabled="true"], .nbr-sr-only')) continue;
        const style = getComputedStyle(el);
        const fg = parse(style.color);
        if (!fg) continue;
        const bg = background(el);
        const text = over(fg, bg);
        const [a, b] = [lum(text), lum(bg)].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        const what = `${el.tagName.toLowerCase()}.${el.className}`;
        const words = el.textContent.trim().slice(0, 30);
        if (ratio < 4.5) low.push(`${ratio.toFixed(2)}:1 ${what} "${words}"`);
    }
    return low;
}"""


def low_contrast(element: Locator) -> list[str]:
    """Text inside `element` under 4.5:1 against what is behind it."""
    return element.evaluate(_CONTRAST)
