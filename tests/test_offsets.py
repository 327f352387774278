"""Offsets between the browser's UTF-16 code units and Python's code points, over any Unicode.

The browser is modelled exactly: a JS string is the text's UTF-16 code units, and
`js.slice(a, b)` is those units a..b decoded.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nbreview as nr
from nbreview._data.offsets import (
    OffsetError,
    OffsetMap,
    codepoint_to_utf16,
    spans_to_codepoint,
    spans_to_utf16,
    utf16_to_codepoint,
)

# Characters that break naive offset arithmetic, alone and in combination.
TRICKY = [
    "👍🏽",  # emoji + skin tone modifier: two astral code points
    "👩🏽‍💻",  # ZWJ sequence with a skin tone
    "👨‍👩‍👧‍👦",  # family: four emoji joined by three ZWJs
    "🏳️‍🌈",  # flag with variation selector and ZWJ
    "🇯🇵",  # regional indicator pair
    "🇺🇳",
    "東京は日本の首都です",  # CJK
    "𠮷野家",  # a CJK character outside the BMP
    "مرحبا بالعالم",  # Arabic, right to left
    "\u200fשלום\u200e",  # Hebrew between direction marks
    "e\u0301",  # e + combining acute
    "\u0915\u094d\u0937",  # Devanagari conjunct
    "Z\u0351\u036b\u0343\u036a",  # stacked combining marks
    "\r\n",
    "\n",
    "\t",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",  # mathematical letters (astral)
    "\ufeff",
    "a",
    " ",
]

# Arrow strings (hence every dataset column) are valid UTF-8: no lone surrogates.
any_char = st.characters(exclude_categories=("Cs",))
texts = st.lists(
    st.one_of(st.sampled_from(TRICKY), st.text(any_char, max_size=6)), max_size=12
).map("".join)


def units(text: str) -> bytes:
    return text.encode("utf-16-le")


def js_length(text: str) -> int:
    return len(units(text)) // 2


def js_slice(text: str, a: int, b: int) -> str:
    return units(text)[2 * a : 2 * b].decode("utf-16-le")


def reference_utf16(text: str, i: int) -> int:
    return js_length(text[:i])


@given(texts)
@example("")
@example("👩🏽‍💻 東京 🇯🇵\r\nمرحبا e\u0301")
def test_codepoint_to_utf16_matches_the_encoding(text):
    offsets = OffsetMap(text)
    assert offsets.utf16_length == js_length(text)
    for i in range(len(text) + 1):
        u = codepoint_to_utf16(text, i)
        assert u == reference_utf16(text, i) == offsets.to_utf16(i)
        assert utf16_to_codepoint(text, u) == i == offsets.to_codepoint(u)


@given(texts)
def test_every_utf16_offset_is_a_boundary_or_refused(text):
    boundaries = {reference_utf16(text, i) for i in range(len(text) + 1)}
    offsets = OffsetMap(text)
    for u in range(js_length(text) + 1):
        if u in boundaries:
            assert offsets.to_utf16(offsets.to_codepoint(u)) == u
        else:  # between the two halves of a surrogate pair
            with pytest.raises(OffsetError, match=f"UTF-16 offset {u}"):
                offsets.to_codepoint(u)


@st.composite
def text_and_span(draw):
    text = draw(texts.filter(bool))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=300)
@given(text_and_span())
@example(("👩🏽‍💻 東京\r\nParis", 10, 15))
@example(("🇯🇵🇺🇳", 2, 4))
def test_a_span_slices_the_same_text_in_both_units(case):
    text, start, end = case
    span = {"start": start, "end": end, "label": "x"}
    [browser] = spans_to_utf16(text, [span])
    assert js_slice(text, browser["start"], browser["end"]) == text[start:end]
    assert spans_to_codepoint(text, [browser]) == [span]


@settings(max_examples=200)
@given(text_and_span(), st.booleans())
def test_a_spans_answer_survives_the_trip_to_the_browser_and_back(case, with_text):
    """What the widget shows, then sends back unchanged (text from its own slice), is stored
    exactly as it was, and slices the Python string."""
    text, start, end = case
    q = nr.Spans("errors", field="t", labels=["x"])
    record = {"t": text}
    stored = q.validate([{"start": start, "end": end, "label": "x"}], record)
    assert stored == [{"start": start, "end": end, "label": "x", "text": text[start:end]}]
    shown = q.to_browser(stored, record)
    sent = [
        {k: v for k, v in s.items() if k != "text"}
        | ({"text": js_slice(text, s["start"], s["end"])} if with_text else {})
        for s in shown
    ]
    back = q.validate(q.from_browser(sent, record), record)
    assert back == stored
    for s in back:
        assert text[s["start"] : s["end"]] == s["text"]


def test_a_span_edge_inside_a_surrogate_pair_is_refused_with_a_clear_error():
    q = nr.Spans("errors", field="t", labels=["x"])
    record = {"t": "a👍b"}
    with pytest.raises(nr.AnswerError, match=r"errors: a span edge splits a character"):
        q.from_browser([{"start": 0, "end": 2, "label": "x"}], record)
    assert q.from_browser([{"start": 0, "end": 3, "label": "x"}], record) == [
        {"start": 0, "end": 2, "label": "x"}
    ]


def test_conversion_leaves_what_it_cannot_read_for_validation():
    text = "👍 ok"
    odd = [{"start": "1", "end": True, "label": "x"}, "not a span", {"label": "x"}]
    assert spans_to_codepoint(text, odd) == odd
    assert spans_to_utf16(text, "text") == "text"
    assert spans_to_utf16(text, None) is None
    assert spans_to_utf16(text, [{"start": np.int64(1), "end": np.int32(2)}]) == [
        {"start": 2, "end": 3}
    ]
    # Past the end, both units grow alike, so validation can say "out of range".
    assert utf16_to_codepoint(text, 10) == 9
    assert codepoint_to_utf16(text, 9) == 10
