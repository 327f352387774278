"""Keys are the reviewer's to set (API.md 14, contract B): one table, checked in Python."""

from __future__ import annotations

import pytest

import nbreview as nr
from nbreview._ui.keymap import ACTIONS, normalize

DEFAULTS = {
    "submit": ["Enter"],
    "skip": ["s"],
    "next": ["ArrowRight"],
    "prev": ["ArrowLeft"],
    "undo": ["Ctrl+z"],
    "guidelines": ["g"],
    "help": ["?"],
    "accept": ["a"],
    "raw": ["r"],
    "queue": ["q"],
    "search": ["/"],
    "full": ["f"],
    "release": ["Escape"],
    "next_question": ["Tab"],
    "prev_question": ["Shift+Tab"],
    "next_turn": ["ArrowDown", "j"],
    "prev_turn": ["ArrowUp", "k"],
    "unfold": ["t"],
    "similar": ["m"],
}
# The kinds' own actions (issue 23: no key literals in the kinds): in force only when a
# question of the review takes them (Spans: caret, delete_span; Edit: edit).
KIND_DEFAULTS = {"caret": ["c"], "delete_span": ["Backspace", "Delete"], "edit": ["e"]}


def test_the_config_always_carries_every_action_with_contract_b_defaults(make_review):
    review = make_review()
    # every action is there; the kinds' own have no keys when no question takes them, and
    # "more like this" has none without embeddings= (m would send what the kernel refuses)
    unused = {a: [] for a in KIND_DEFAULTS} | {"similar": []}
    assert review.widget.config["keys"] == DEFAULTS | unused
    assert list(ACTIONS) == list(DEFAULTS) + list(KIND_DEFAULTS)
    assert {a: list(ACTIONS[a][0]) for a in KIND_DEFAULTS} == KIND_DEFAULTS
    # No question set keys=: their specs carry none, the options keep their digits.
    assert all("keys" not in q for q in review.widget.config["questions"])


def test_review_keys_remap_actions_and_reach_the_config(make_review):
    review = make_review(keys={"submit": "Enter", "skip": "x", "next": "l", "prev": ["h"]})
    keys = review.widget.config["keys"]
    assert (keys["skip"], keys["next"], keys["prev"]) == (["x"], ["l"], ["h"])
    assert keys["guidelines"] == ["g"]  # the others keep their defaults
    table = review.keys_table()
    assert list(table.columns) == ["action", "keys", "what it does"]
    assert table.set_index("action").loc["skip", "keys"] == "x"
    assert table.set_index("action").loc["undo", "what it does"] == "undo the last change"


def test_an_empty_list_unmaps_an_action_so_its_key_is_free(make_review):
    review = make_review(keys={"skip": [], "submit": ["Enter", "s"]})
    assert review.widget.config["keys"]["skip"] == []
    assert review.widget.config["keys"]["submit"] == ["Enter", "s"]


def test_a_clash_between_two_actions_names_both(make_review):
    with pytest.raises(
        ValueError, match=r"'g' is given to both action 'skip' and action 'guidelines'"
    ):
        make_review(keys={"skip": "g"})


def test_a_host_key_is_refused_naming_the_host_and_the_action(make_review):
    with pytest.raises(
        ValueError, match=r"'Ctrl\+s' is reserved for the notebook \(save\).*'undo'"
    ):
        make_review(keys={"undo": "ctrl+S"})
    with pytest.raises(ValueError, match=r"'F5' is reserved for the browser.*'next'"):
        make_review(keys={"next": "F5"})
    with pytest.raises(ValueError, match=r"'Shift\+Enter' is reserved for JupyterLab"):
        make_review(keys={"submit": "Shift+Enter"})


def test_digits_stay_with_the_questions(make_review):
    with pytest.raises(ValueError, match=r"'3' is given to both the digits .* and action 'skip'"):
        make_review(keys={"skip": "3"})


def test_an_unknown_action_is_refused_with_the_closest_name(make_review, store_path):
    with pytest.raises(ValueError, match=r"unknown action 'sumbit' \(did you mean 'submit'\?\)"):
        make_review(keys={"sumbit": "x"})
    assert not store_path.exists()  # nothing was created


def test_key_spellings_are_normalised():
    assert normalize("ctrl+Z", "t") == "Ctrl+z"
    assert normalize("cmd+shift+c", "t") == "Ctrl+Shift+c"
    assert normalize("esc", "t") == "Escape"
    assert normalize("left", "t") == "ArrowLeft"
    assert normalize("Shift+x", "t") == "X"  # the key Shift+x types
    assert normalize("space", "t") == " "
    with pytest.raises(ValueError, match=r"'Hyper' is not Ctrl, Alt or Shift"):
        normalize("Hyper+x", "t")
    with pytest.raises(ValueError, match=r"'Enterr' is not a key"):
        normalize("Enterr", "t")


def test_option_keys_on_a_label_go_into_its_spec_in_option_order(make_review):
    verdict = nr.Label("verdict", ["accept", "reject"], keys=["y", "n"])
    review = make_review(questions=[verdict])
    spec = review.widget.config["questions"][0]
    assert spec["keys"] == ["y", "n"]
    assert nr.Question.from_spec(review.questions["verdict"].spec()).option_keys == ["y", "n"]
    assert review.keys_table().set_index("action").loc["verdict options", "keys"] == "y, n"


def test_option_keys_must_match_the_options():
    with pytest.raises(ValueError, match=r"2 keys for 3 options"):
        nr.Label("v", ["good", "bad", "unsure"], keys=["y", "n"])
    with pytest.raises(ValueError, match=r"'y' is given to both option 'good' and option 'bad'"):
        nr.MultiLabel("v", ["good", "bad"], keys=["y", "y"])
    with pytest.raises(ValueError, match=r"option 'good' takes a key without Ctrl"):
        nr.Label("v", ["good", "bad"], keys=["Ctrl+y", "n"])
    with pytest.raises(ValueError, match=r"a list of keys, one per option, or 'mnemonic'"):
        nr.Rating("q", scale=3, keys="abc")


def test_an_option_key_that_an_action_holds_names_both(make_review):
    with pytest.raises(
        ValueError, match=r"'s' is given to both action 'skip' and option 'bad' of question 'v'"
    ):
        make_review(questions=[nr.Label("v", ["good", "bad"], keys=["y", "s"])])
    # ... unless the action is moved out of the way
    review = make_review(
        questions=[nr.Label("v", ["good", "bad"], keys=["y", "s"])], keys={"skip": "x"}
    )
    assert review.widget.config["questions"][0]["keys"] == ["y", "s"]


def test_mnemonic_gives_each_option_its_first_free_letter(make_review):
    # a(ccept) is the accept action's, r(eject) raw's, s(kip)... so the next letters are used.
    q = nr.Label("verdict", ["accept", "reject", "unsure"], keys="mnemonic")
    review = make_review(questions=[q])
    assert review.widget.config["questions"][0]["keys"] == ["c", "e", "u"]
    # Remapping an action frees its letter for the options.
    review = make_review(questions=[q], keys={"accept": "Ctrl+y", "raw": "Ctrl+e"})
    assert review.widget.config["questions"][0]["keys"] == ["a", "r", "u"]
    # The stored spec says "mnemonic" no more: it is the keys in force.
    assert review.store.review_config("default")["questions"][0]["keys"] == ["a", "r", "u"]


def test_mnemonic_on_a_rating_with_labels_and_without(make_review):
    labelled = nr.Rating("q", scale=3, labels=["bad", "good", "great"], keys="mnemonic")
    review = make_review(questions=[labelled])
    assert review.widget.config["questions"][0]["keys"] == ["b", "o", "e"]
    plain = nr.Rating("q", scale=(0, 2), keys="mnemonic")
    review = make_review(questions=[plain])
    assert review.widget.config["questions"][0]["keys"] == ["0", "1", "2"]


def test_mnemonic_with_no_letter_left_says_which_option(make_review):
    q = nr.Label("v", ["aa", "a"], keys="mnemonic")
    with pytest.raises(ValueError, match=r"option 'a' has no letter left"):
        make_review(questions=[q], keys={"accept": "x"})


def _spans_and_edit():
    return [
        nr.Spans("errors", field="response", labels=["factual", "bias"]),
        nr.Edit("fixed", field="response"),
    ]


def test_the_kinds_actions_are_in_force_with_their_question(make_review):
    review = make_review(questions=_spans_and_edit())
    keys = review.widget.config["keys"]
    assert {a: keys[a] for a in KIND_DEFAULTS} == KIND_DEFAULTS
    table = review.keys_table().set_index("action")
    assert table.loc["delete_span", "keys"] == "Backspace, Delete"
    assert table.loc["caret", "keys"] == "c"
    assert table.loc["edit", "keys"] == "e"
    # without such a question they are not listed, and their keys are free for options
    plain = make_review().keys_table()
    assert not set(KIND_DEFAULTS) & set(plain["action"])


def test_the_kinds_actions_remap_like_the_others(make_review):
    review = make_review(
        questions=_spans_and_edit(),
        keys={"delete_span": "x", "caret": ["w"], "edit": "i", "next_turn": "n", "prev_turn": "p"},
    )
    keys = review.widget.config["keys"]
    assert (keys["delete_span"], keys["caret"], keys["edit"]) == (["x"], ["w"], ["i"])
    assert (keys["next_turn"], keys["prev_turn"]) == (["n"], ["p"])
    with pytest.raises(
        ValueError, match=r"keys: unknown action 'delete_spans' \(did you mean 'delete_span'\?\)"
    ):
        make_review(questions=_spans_and_edit(), keys={"delete_spans": "x"})


def test_a_kind_action_clashing_with_another_action_names_both(make_review):
    with pytest.raises(
        ValueError, match=r"'s' is given to both action 'skip' and action 'delete_span'"
    ):
        make_review(questions=_spans_and_edit(), keys={"delete_span": "s"})
    with pytest.raises(ValueError, match=r"'c' is given to both action 'caret' and action 'edit'"):
        make_review(questions=_spans_and_edit(), keys={"edit": "c"})
    # a clash between actions is refused even when no question takes the kind's action
    with pytest.raises(
        ValueError, match=r"'g' is given to both action 'guidelines' and action 'edit'"
    ):
        make_review(keys={"edit": "g"})
    with pytest.raises(ValueError, match=r"'Ctrl\+s' is reserved for the notebook \(save\)"):
        make_review(questions=_spans_and_edit(), keys={"caret": "Ctrl+s"})


def test_option_keys_clash_with_a_kind_action_only_when_its_question_is_there(make_review):
    label = nr.Label("verdict", ["correct", "wrong"], keys=["c", "w"])
    review = make_review(questions=[label])
    assert review.widget.config["questions"][0]["keys"] == ["c", "w"]
    with pytest.raises(
        ValueError,
        match=r"'c' is given to both action 'caret' and option 'correct' of question 'verdict'",
    ):
        make_review(questions=[*_spans_and_edit(), label])
    mnemonic = nr.Label("verdict", ["correct", "exact"], keys="mnemonic")
    review = make_review(questions=[*_spans_and_edit(), mnemonic])
    assert review.widget.config["questions"][-1]["keys"] == ["o", "x"]  # c and e are taken
