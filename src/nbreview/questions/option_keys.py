"""`keys=` on a choice question: a key per option (a list, or "mnemonic"), kept with the
question; the review resolves "mnemonic" against its action keys (`_ui/keymap.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._ui.keymap import option_keys


class OptionKeys:
    """Mixin of the choice kinds: `option_keys` is None (digits), a list, or "mnemonic"."""

    name: str
    option_keys: list[str] | str | None = None

    def option_names(self) -> list[str]:
        """The options in the order their keys are given (labels, or a scale's values)."""
        raise NotImplementedError

    def set_option_keys(self, keys: Sequence[str] | str | None) -> None:
        self.option_keys = option_keys(self.name, keys, self.option_names())

    def keys_spec(self) -> dict[str, Any]:
        """The spec's "keys" entry, only when the user set keys= (contract B)."""
        return {} if self.option_keys is None else {"keys": self.option_keys}
