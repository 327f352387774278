"""Where a word of a spans text is drawn, for a mouse selection: one place for every e2e test."""

from __future__ import annotations

from playwright.sync_api import Page

WORD_POINTS = """([selector, word, nth, inset]) => {
    const el = document.querySelector(selector);
    let start = -1;
    for (let i = 0; i <= nth; i++) start = el.textContent.indexOf(word, start + 1);
    const rect = (pos) => {
        for (const seg of el.querySelectorAll('.nbr-seg')) {
            const a = +seg.dataset.start, b = +seg.dataset.end;
            if (pos >= a && pos < b) {
                const r = document.createRange();
                r.setStart(seg.firstChild, pos - a);
                r.setEnd(seg.firstChild, pos - a + 1);
                return r.getBoundingClientRect();
            }
        }
    };
    const first = rect(start), last = rect(start + word.length - 1);
    return {x1: first.left + first.width * inset, y1: first.top + first.height / 2,
            x2: last.right - last.width * inset, y2: last.top + last.height / 2};
}"""

SPANS_TEXT = '.nbr-spans-text[data-question="errors"]'


def word_points(
    page: Page, word: str, nth: int = 0, inset: float = 0.5, selector: str = SPANS_TEXT
) -> dict:
    """Viewport points inside the first and the last character of the `nth` `word` of the
    spans text at `selector`, `inset` of a character's width in from its outer edge."""
    return page.evaluate(WORD_POINTS, [selector, word, nth, inset])
