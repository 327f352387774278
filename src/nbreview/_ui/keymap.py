"""The widget's keys: one table of actions and their default keys, the only place they live.

`Review(keys={...})` remaps actions; a choice question's `keys=` names a key per option (a
list, or "mnemonic"). Everything is checked here, once, when the review is built: a key
given to two things, or a key a host needs for itself, is a `ValueError` naming both. The
browser reads the result from `config["keys"]` and each question spec's `"keys"`; it holds
no key literals of its own beyond the fixed extras listed in `FIXED`.

Key strings are `KeyboardEvent.key` values ("Enter", "ArrowLeft", "x", "?"), with a `Ctrl+`
(Ctrl or Cmd), `Alt+` or `Shift+` prefix only where that modifier must be held. A few
friendlier spellings are accepted and normalised ("ctrl+Z", "esc", "left", "space").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from typing import Any

# action -> (default keys, what it does). Contract B (API.md 14): the browser relies on
# these names; `review.keys_table()` lists them in this order.
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("Enter",), "submit the record and open the next one to do"),
    "skip": (("s",), "skip the record"),
    "next": (("ArrowRight",), "next record in queue order"),
    "prev": (("ArrowLeft",), "previous record in queue order"),
    "undo": (("Ctrl+z",), "undo the last change"),
    "guidelines": (("g",), "show or hide the guidelines"),
    "help": (("?",), "show the keys"),
    "accept": (("a",), "accept every suggestion"),
    "raw": (("r",), "show fields as raw text"),
    "queue": (("q",), "choose and order the records"),
    "search": (("/",), "search the records"),
    "full": (("f",), "full-width view"),
    "release": (("Escape",), "hand focus back to the notebook"),
    "next_question": (("Tab",), "focus the next question"),
    "prev_question": (("Shift+Tab",), "focus the previous question"),
    "next_turn": (("ArrowDown", "j"), "next turn (or criterion, or span) of the focused question"),
    "prev_turn": (
        ("ArrowUp", "k"),
        "previous turn (or criterion, or span) of the focused question",
    ),
    "unfold": (("t",), "unfold a folded turn"),
    "similar": (("m",), "records similar to this one"),
    "caret": (("c",), "spans: keyboard caret on / off"),
    "delete_span": (
        ("Backspace", "Delete"),
        "spans: delete the selected span (reject a suggested one)",
    ),
    "edit": (("e",), "edit: put the cursor in the editor"),
}

# Actions of one kind of question: in force only when a question of the review names them in
# its `key_actions` (a class attribute), so a review without spans leaves `c` to option keys.
KIND_ACTIONS = frozenset({"caret", "delete_span", "edit"})

# Keys the widget uses that are not remappable: shown in keys_table(), never given away.
FIXED: dict[str, tuple[tuple[str, ...], str]] = {
    "submit_text": (("Ctrl+Enter",), "submit from inside a text box"),
}
DIGITS = tuple("1234567890")
ANSWER = "answer"  # the pseudo-action of digits while a choice question keeps them

# Keys a host needs for itself; the widget must leave them alone, so none can be mapped.
# Without a modifier: the browser's function keys (help, reload, full screen, developer
# tools). With one: the notebook's and browser's own (save, copy/paste/cut, select all,
# find, print, new/close tab or window, reload, address bar, JupyterLab's command palette
# and sidebar, run cell with Shift+Enter, history with Alt+arrows, switching tabs).
RESERVED: dict[str, str] = {
    **{f"F{n}": "the browser" for n in (1, 3, 5, 6, 7, 11, 12)},
    "Shift+Enter": "JupyterLab (run the cell)",
    "Ctrl+s": "the notebook (save)",
    "Ctrl+c": "copying text",
    "Ctrl+v": "pasting text",
    "Ctrl+x": "cutting text",
    "Ctrl+a": "selecting all text",
    "Ctrl+f": "the browser (find)",
    "Ctrl+p": "the browser (print)",
    "Ctrl+r": "the browser (reload)",
    "Ctrl+l": "the browser (address bar)",
    "Ctrl+t": "the browser (new tab)",
    "Ctrl+n": "the browser (new window)",
    "Ctrl+w": "the browser (close tab)",
    "Ctrl+q": "the browser (quit)",
    "Ctrl+Tab": "the browser (switch tab)",
    "Ctrl+Shift+Tab": "the browser (switch tab)",
    "Ctrl+Shift+c": "JupyterLab (command palette)",
    "Ctrl+b": "JupyterLab (sidebar)",
    "Alt+ArrowLeft": "the browser (back)",
    "Alt+ArrowRight": "the browser (forward)",
    "Alt+Tab": "the system (switch window)",
    "Alt+F4": "the system (close window)",
}

MODIFIERS = {"ctrl": "Ctrl", "control": "Ctrl", "cmd": "Ctrl", "meta": "Ctrl", "command": "Ctrl"}
MODIFIERS |= {"alt": "Alt", "option": "Alt", "shift": "Shift"}
ORDER = ("Ctrl", "Alt", "Shift")
NAMED = {
    "enter": "Enter",
    "return": "Enter",
    "esc": "Escape",
    "escape": "Escape",
    "tab": "Tab",
    "space": " ",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    "up": "ArrowUp",
    "down": "ArrowDown",
    "arrowleft": "ArrowLeft",
    "arrowright": "ArrowRight",
    "arrowup": "ArrowUp",
    "arrowdown": "ArrowDown",
    "backspace": "Backspace",
    "delete": "Delete",
    "del": "Delete",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    **{f"f{n}": f"F{n}" for n in range(1, 13)},
}


def normalize(key: Any, owner: str) -> str:
    """One key string in its canonical form, or a ValueError naming `owner`."""
    if not isinstance(key, str) or not key:
        raise ValueError(
            f"{owner}: a key is a non-empty string such as 'x' or 'Ctrl+z', got {key!r}"
        )
    if len(key) == 1:
        return key
    if key.endswith("++"):
        mods, base = key[:-2].split("+"), "+"
    else:
        *mods, base = key.split("+")
    held = set()
    for mod in mods:
        if mod.lower() not in MODIFIERS:
            raise ValueError(f"{owner}: {key!r} is not a key: {mod!r} is not Ctrl, Alt or Shift")
        held.add(MODIFIERS[mod.lower()])
    if len(base) > 1:
        if base.lower() not in NAMED:
            raise ValueError(
                f"{owner}: {key!r} is not a key; name one character or a key such as "
                "Enter, Escape, Tab, ArrowLeft, Backspace, F2"
            )
        base = NAMED[base.lower()]
    elif held & {"Ctrl", "Alt"}:
        base = base.lower()  # Ctrl+Z and Ctrl+z are the same chord
    elif "Shift" in held:  # Shift+x types "X": the key itself says so
        held.discard("Shift")
        base = base.upper()
    return "+".join([*(m for m in ORDER if m in held), base])


def _keys_of(value: Any, owner: str) -> list[str]:
    """A key or a list of keys, normalised; an empty list unmaps the action."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        raise ValueError(f"{owner}: give a key or a list of keys, got {value!r}")
    keys = [normalize(k, owner) for k in value]
    return list(dict.fromkeys(keys))


def action_keys(given: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """The actions' keys in force: the defaults with `given` applied (unknown names refused)."""
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise ValueError(f"keys takes a dict of action -> key(s), got {given!r}")
    unknown = [a for a in given if a not in ACTIONS]
    if unknown:
        hints = [
            f"{a!r} (did you mean {m[0]!r}?)"
            if (m := get_close_matches(str(a), ACTIONS, 1))
            else repr(a)
            for a in unknown
        ]
        raise ValueError(
            f"keys: unknown action {', '.join(hints)}; the actions are {list(ACTIONS)}"
        )
    keys = {a: list(default) for a, (default, _) in ACTIONS.items()}
    for action, value in given.items():
        keys[action] = _keys_of(value, f"keys[{action!r}]")
    return keys


def option_keys(question: str, keys: Any, options: Sequence[str]) -> list[str] | str | None:
    """A choice question's `keys=` checked against its options: one key per option, distinct,
    each a single key; "mnemonic" is kept to be resolved with the review's action keys."""
    if keys is None or keys == "mnemonic":
        return keys
    owner = f"question {question!r} keys"
    if isinstance(keys, str) or not isinstance(keys, Sequence):
        raise ValueError(
            f"{owner}: give a list of keys, one per option, or 'mnemonic'; got {keys!r}"
        )
    keys = [normalize(k, owner) for k in keys]
    if len(keys) != len(options):
        raise ValueError(
            f"{owner}: {len(keys)} keys for {len(options)} options {list(options)!r}; "
            "give one key per option"
        )
    for key, option in zip(keys, options, strict=True):
        if "+" in key and len(key) > 1:
            raise ValueError(
                f"{owner}: option {option!r} takes a key without Ctrl/Alt/Shift, got {key!r}"
            )
    seen: dict[str, str] = {}
    for key, option in zip(keys, options, strict=True):
        if key in seen:
            raise ValueError(
                f"{owner}: {key!r} is given to both option {seen[key]!r} and option {option!r}"
            )
        seen[key] = option
    return keys


def mnemonic(question: str, options: Sequence[str], taken: Mapping[str, str]) -> list[str]:
    """Each option's first letter (or digit) not already taken, in option order."""
    used = dict(taken)
    keys = []
    for option in options:
        free = next(
            (c for c in option.lower() if c.isalnum() and c not in used and c.upper() not in used),
            None,
        )
        if free is None:
            raise ValueError(
                f"question {question!r} keys='mnemonic': option {option!r} has no letter left "
                f"that is not taken; give keys=[...] explicitly"
            )
        used[free] = f"option {option!r}"
        keys.append(free)
    return keys


def _claim(owners: dict[str, str], key: str, who: str) -> None:
    """Give `key` to `who`, refusing a host's key or one already given to someone else."""
    if key in RESERVED:
        raise ValueError(
            f"{key!r} is reserved for {RESERVED[key]} and cannot be given to {who}; "
            "choose another key"
        )
    if key in owners and owners[key] != who:
        raise ValueError(f"{key!r} is given to both {owners[key]} and {who}; choose another key")
    owners[key] = who


class KeyMap:
    """The keys in force for one review: actions, fixed extras, and each choice question's
    option keys (resolved from "mnemonic"). Building it validates everything.

    Digits answer the focused question (its option by position), so no action takes one.
    Option keys are per question: two questions may share a key (it answers the one
    focused), but none may take an action's key.
    """

    def __init__(self, given: Mapping[str, Any] | None, questions: Sequence[Any] = ()):
        self.actions = action_keys(given)
        used = {a for q in questions for a in getattr(q, "key_actions", ())}
        self.idle = {a for a in KIND_ACTIONS if a not in used}  # no question here takes them
        owners = dict.fromkeys(DIGITS, "the digits that answer a question")
        for action, (keys, _) in FIXED.items():
            for key in keys:
                _claim(owners, key, f"action {action!r}")
        for action, keys in self.actions.items():
            for key in keys:
                _claim(owners, key, f"action {action!r}")
        idle_keys = {k for a in self.idle for k in self.actions[a]}
        in_force = {k: who for k, who in owners.items() if k not in idle_keys}
        self.options: dict[str, list[str]] = {}
        for q in questions:
            keys = getattr(q, "option_keys", None)
            if keys is not None:
                self.options[q.name] = self._resolve(q, keys, in_force)

    @staticmethod
    def _resolve(q: Any, keys: list[str] | str, owners: dict[str, str]) -> list[str]:
        options = q.option_names()
        actions = {k: who for k, who in owners.items() if k not in DIGITS}
        if keys == "mnemonic":
            keys = mnemonic(q.name, options, actions)
        mine = dict(actions)
        for key, option in zip(keys, options, strict=True):
            _claim(mine, key, f"option {option!r} of question {q.name!r}")
        return list(keys)

    def config(self) -> dict[str, list[str]]:
        """`config["keys"]`: action -> keys (contract B); a kind's action no question here
        takes has none, so its keys stay free for option keys."""
        return {a: [] if a in self.idle else list(k) for a, k in self.actions.items()}

    def rows(self) -> list[tuple[str, str, str]]:
        """(action, keys, what it does) for every key in force, for `keys_table()`."""
        rows = [
            (a, ", ".join(k), ACTIONS[a][1]) for a, k in self.actions.items() if a not in self.idle
        ]
        rows += [(a, ", ".join(k), what) for a, (k, what) in FIXED.items()]
        rows.append((ANSWER, "1-9, 0", "answer the focused question: its option by position"))
        for name, keys in self.options.items():
            rows.append((f"{name} options", ", ".join(keys), f"answer {name!r}, a key per option"))
        return rows
