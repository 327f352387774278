"""The text family (FreeText, Edit): an answer typed as text.

A string column. An empty box is no answer: `validate` stores it as none, and a blank text
does not answer a required question. A kind may cap the length (`max_chars`); the stored
texts are read back in Arrow, with no Python object per answer. Grading against a known
text is the base rule: the same text. Agreement is not computed (exact text match means
little), and several annotators combine only when all wrote the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..base import AnswerError, plain_strings


class Text:
    """Mixin of the text kinds: put it before `Question` in the bases."""

    name: str
    text_noun: ClassVar[str] = "a text"  # what the answer is, in error messages
    max_chars: ClassVar[int | None] = None  # the longest text taken; None: any

    def feature(self) -> Any:
        return datasets.Value("string")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._error(value, f"{self.text_noun} is a string")
        if self.max_chars is not None and len(value) > self.max_chars:
            raise AnswerError(
                f"{self.name}: a text of {len(value)} characters is too long; at most "
                f"{self.max_chars}"
            )
        return value or None  # an empty box is no answer: stored as none, exported as null

    def is_answered(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip() != ""

    def from_stored(self, texts: pa.Array) -> pa.Array:
        strings = plain_strings(texts)  # a stored text is its JSON string
        return super().from_stored(texts) if strings is None else strings

    def summary_items(self, column: pa.Array) -> tuple[pa.Array, pa.Array]:
        """Each text once, as it is."""
        valid = pc.is_valid(column)
        index = pa.array(np.arange(len(column), dtype=np.int64)).filter(valid)
        return index, column.filter(valid).cast(pa.string())
