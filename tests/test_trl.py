"""to_trl (API.md 5): SFT, DPO and KTO datasets, standard and conversational, checked against
TRL's own format helpers (is_conversational, maybe_apply_chat_template, extract_prompt)."""

from __future__ import annotations

import datasets
import pytest

import nbreview as nr
import tiny_models
from nbreview.store import Change

trl_data = pytest.importorskip("trl.data_utils")  # in the test extra: installed, never skipped

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)

TEXT = {
    "id": ["r0", "r1", "r2", "r3", "r4"],
    "prompt": ["2+2?", "Capital of France?", "Say hi.", "Largest ocean?", "Color of sky?"],
    "response": ["5", "Paris", "Hello!", "The Atlantic", "Blue"],
    "other": ["4", "Lyon", "Go away.", "The Pacific", "Green"],
    "third": ["four", "Marseille", "Hi", "Indian", "Red"],
}


def chat(user: str, reply: str | None = None) -> list[dict]:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": user}]
    return messages + ([{"role": "assistant", "content": reply}] if reply else [])


CHATS = {
    "id": TEXT["id"],
    "messages": [chat(p, r) for p, r in zip(TEXT["prompt"], TEXT["response"], strict=True)],
    "conversation": [chat(p) for p in TEXT["prompt"]],
    "response": TEXT["response"],
    "other": TEXT["other"],
}


@pytest.fixture(scope="module")
def tokenizer():
    """A tokenizer with a chat template, made here: nothing is downloaded."""
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    vocab = models.WordLevel(vocab={"[UNK]": 0}, unk_token="[UNK]")
    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(vocab))
    tok.chat_template = CHAT_TEMPLATE
    return tok


@pytest.fixture
def text_ds() -> datasets.Dataset:
    return datasets.Dataset.from_dict(TEXT)


@pytest.fixture
def chat_ds() -> datasets.Dataset:
    return datasets.Dataset.from_dict(CHATS)


def draft(review: nr.Review, i: int, **answers) -> None:
    """Save answers without submitting them, as the widget does while one types."""
    key = review.keys.key(i)
    review.store.write(Change(review.name, review.annotator, key, answers=answers, status="draft"))


def skip(review: nr.Review, i: int) -> None:
    key = review.keys.key(i)
    review.store.write(Change(review.name, review.annotator, key, answers={}, status="skipped"))


def check_trl(out: datasets.Dataset, tokenizer, conversational: bool) -> None:
    """What TRL itself makes of every example: its format keys, and a chat template applied."""
    for example in out:
        assert trl_data.is_conversational(example) is conversational
        rendered = trl_data.maybe_apply_chat_template(example, tokenizer)
        if conversational:
            assert rendered["prompt"].endswith("<|assistant|>")
            for key in ("completion", "chosen", "rejected"):
                if key in example:
                    assert rendered[key] == f"{example[key][0]['content']}<|end|>\n"
        else:
            assert rendered == example  # standard examples are used as they are


# -- sft ------------------------------------------------------------------------------------------


def test_sft_from_an_edit(make_review, text_ds, tokenizer):
    review = make_review(text_ds, questions=[nr.Edit("fixed", field="response")], id="id")
    review.submit(0, fixed="4")
    review.submit(1, fixed="Paris")  # no change needed: the original is the answer
    draft(review, 2, fixed="Hello there!")  # a draft is not training data
    skip(review, 3)
    out = review.to_trl("sft")
    assert out.column_names == ["prompt", "completion"]
    assert out.to_list() == [
        {"prompt": "2+2?", "completion": "4"},
        {"prompt": "Capital of France?", "completion": "Paris"},
    ]
    check_trl(out, tokenizer, conversational=False)


def test_sft_from_a_reference_completion(make_review, text_ds):
    questions = [nr.Rating("quality"), nr.FreeText("reference", placeholder="The ideal answer")]
    review = make_review(text_ds, questions=questions, id="id")
    review.submit(2, quality=2, reference="Hi! How can I help?")
    review.submit(3, quality=1)  # no reference written: left out
    assert review.to_trl("sft").to_list() == [
        {"prompt": "Say hi.", "completion": "Hi! How can I help?"}
    ]


def test_sft_prefers_the_edit_and_takes_completion(make_review, text_ds):
    questions = [nr.FreeText("comment"), nr.Edit("fixed", field="response")]
    review = make_review(text_ds, questions=questions, id="id")
    review.submit(0, fixed="4", comment="was wrong")
    assert review.to_trl("sft")["completion"] == ["4"]
    assert review.to_trl("sft", completion="comment")["completion"] == ["was wrong"]


def test_sft_conversational(make_review, chat_ds, tokenizer):
    review = make_review(
        chat_ds,
        fields=["conversation"],
        questions=[nr.Edit("fixed", field="response")],
        id="id",
    )
    review.submit(0, fixed="4")
    out = review.to_trl("sft", prompt="conversation")
    assert out.to_list() == [
        {"prompt": chat("2+2?"), "completion": [{"role": "assistant", "content": "4"}]}
    ]
    check_trl(out, tokenizer, conversational=True)


def test_sft_edit_of_the_last_message_keeps_the_messages_before_it(make_review, chat_ds, tokenizer):
    review = make_review(
        chat_ds, fields=["messages"], questions=[nr.Edit("fixed", "messages[-1]")], id="id"
    )
    review.submit(0, fixed="4")
    out = review.to_trl("sft", prompt="messages")
    assert out[0]["prompt"] == chat("2+2?")  # the edited reply is not part of its own prompt
    assert out[0]["completion"] == [{"role": "assistant", "content": "4"}]
    check_trl(out, tokenizer, conversational=True)


def test_sft_errors_say_what_to_pass(make_review, text_ds, chat_ds):
    rated = make_review(text_ds, questions=[nr.Rating("quality")], id="id")
    with pytest.raises(ValueError, match=r"no Edit or FreeText question"):
        rated.to_trl("sft")
    two = make_review(
        text_ds,
        questions=[nr.Edit("one", field="response"), nr.Edit("two", field="other")],
        id="id",
        name="two",
    )
    with pytest.raises(
        ValueError, match=r"several Edit questions \['one', 'two'\]; pass completion="
    ):
        two.to_trl("sft")
    with pytest.raises(ValueError, match=r"completion='nope' is not a question"):
        two.to_trl("sft", completion="nope")
    with pytest.raises(ValueError, match=r"completion='quality' is a Rating question"):
        make_review(
            text_ds,
            questions=[nr.Rating("quality"), nr.Edit("one", field="response")],
            id="id",
            name="three",
        ).to_trl("sft", completion="quality")
    no_prompt = make_review(
        chat_ds, fields=["messages"], questions=[nr.Edit("f", "response")], id="id", name="four"
    )
    with pytest.raises(ValueError, match=r"no column named 'prompt'; pass prompt="):
        no_prompt.to_trl("sft")
    with pytest.raises(ValueError, match=r"prompt='nope' is not a column"):
        no_prompt.to_trl("sft", prompt="nope")


def test_nothing_submitted_gives_an_empty_dataset_of_the_format(make_review, text_ds, chat_ds):
    review = make_review(text_ds, questions=[nr.Edit("fixed", field="response")], id="id")
    out = review.to_trl("sft")
    assert len(out) == 0
    assert out.features == datasets.Features(
        {"prompt": datasets.Value("string"), "completion": datasets.Value("string")}
    )
    chats = make_review(
        chat_ds, fields=["conversation"], questions=[nr.Label("ok", ["good", "bad"])], name="c"
    )
    empty = chats.to_trl("kto", prompt="conversation")
    assert empty.column_names == ["prompt", "completion", "label"]
    assert empty.features["label"] == datasets.Value("bool")


# -- dpo ------------------------------------------------------------------------------------------


def test_dpo_from_a_preference(make_review, text_ds, tokenizer):
    review = make_review(
        text_ds,
        questions=[nr.Preference("better", fields=("response", "other"))],
        id="id",
    )
    review.submit(0, better="other")
    review.submit(1, better="response")
    review.submit(2, better="tie")  # a tie says nothing about which is better: left out
    draft(review, 3, better="other")
    out = review.to_trl("dpo")
    assert out.column_names == ["prompt", "chosen", "rejected"]
    assert out.to_list() == [
        {"prompt": "2+2?", "chosen": "4", "rejected": "5"},
        {"prompt": "Capital of France?", "chosen": "Paris", "rejected": "Lyon"},
    ]
    check_trl(out, tokenizer, conversational=False)


def test_dpo_does_not_depend_on_the_sides_shown(make_review, text_ds):
    q = nr.Preference("better", fields=("response", "other"))
    review = make_review(text_ds, questions=[q], id="id")
    keys = review.keys.all().to_pylist()
    swapped = [i for i, k in enumerate(keys) if q.sides(k) == ("other", "response")]
    straight = [i for i, k in enumerate(keys) if q.sides(k) == ("response", "other")]
    assert swapped  # both orders occur in five records
    assert straight
    for i in range(5):
        review.submit(i, better="response")
    assert review.to_trl("dpo")["chosen"] == TEXT["response"]


def test_dpo_conversational(make_review, chat_ds, tokenizer):
    review = make_review(
        chat_ds,
        fields=["conversation"],
        questions=[nr.Preference("better", fields=("response", "other"), strength=True)],
        id="id",
    )
    review.submit(3, better="other", better_strength="much")
    out = review.to_trl("dpo", prompt="conversation")
    assert out.to_list() == [
        {
            "prompt": chat("Largest ocean?"),
            "chosen": [{"role": "assistant", "content": "The Pacific"}],
            "rejected": [{"role": "assistant", "content": "The Atlantic"}],
        }
    ]
    check_trl(out, tokenizer, conversational=True)


def test_dpo_chat_columns_lose_the_shared_prompt(make_review, tokenizer):
    """Chosen and rejected held as whole chats: what follows the prompt is the completion."""
    data = datasets.Dataset.from_dict(
        {
            "prompt": [chat("2+2?")],
            "good": [chat("2+2?", "4")],
            "bad": [chat("2+2?", "5")],
        }
    )
    review = make_review(data, fields=["prompt"], questions=[nr.Preference("p", ("good", "bad"))])
    review.submit(0, p="good")
    example = review.to_trl("dpo")[0]
    assert example["chosen"] == [{"role": "assistant", "content": "4"}]
    assert example["rejected"] == [{"role": "assistant", "content": "5"}]
    # TRL's own way to find a shared prompt agrees
    implicit = trl_data.extract_prompt({"chosen": data[0]["good"], "rejected": data[0]["bad"]})
    assert implicit == {k: example[k] for k in ("prompt", "chosen", "rejected")}
    check_trl(review.to_trl("dpo"), tokenizer, conversational=True)


def test_dpo_from_a_ranking_pairs_the_best_with_each_lower(make_review, text_ds, tokenizer):
    review = make_review(
        text_ds, questions=[nr.Ranking("order", fields=["response", "other", "third"])], id="id"
    )
    review.submit(1, order=["response", "third", "other"])
    out = review.to_trl("dpo")
    assert out.to_list() == [
        {"prompt": "Capital of France?", "chosen": "Paris", "rejected": "Marseille"},
        {"prompt": "Capital of France?", "chosen": "Paris", "rejected": "Lyon"},
    ]
    check_trl(out, tokenizer, conversational=False)


def test_dpo_errors_say_what_to_pass(make_review, text_ds):
    both = make_review(
        text_ds,
        questions=[
            nr.Preference("better", fields=("response", "other")),
            nr.Ranking("order", fields=["response", "other", "third"]),
        ],
        id="id",
    )
    with pytest.raises(ValueError, match=r"several Preference or Ranking questions"):
        both.to_trl("dpo")
    both.submit(0, better="other", order=["third", "other", "response"])
    assert len(both.to_trl("dpo", preference="better")) == 1
    assert len(both.to_trl("dpo", preference="order")) == 2
    with pytest.raises(ValueError, match=r"no Preference or Ranking question"):
        make_review(text_ds, questions=[nr.Rating("q")], id="id", name="x").to_trl("dpo")
    with pytest.raises(ValueError, match=r"to_trl\('dpo'\) takes no completion"):
        both.to_trl("dpo", completion="response")


# -- kto ------------------------------------------------------------------------------------------


def test_kto_from_a_label(make_review, text_ds, tokenizer):
    review = make_review(
        text_ds, questions=[nr.Label("verdict", ["accept", "reject", "unsure"])], id="id"
    )
    review.submit(0, verdict="reject")
    review.submit(1, verdict="accept")
    review.submit(2, verdict="unsure")
    out = review.to_trl("kto")
    assert out.column_names == ["prompt", "completion", "label"]
    assert out.features["label"] == datasets.Value("bool")
    assert out.to_list() == [
        {"prompt": "2+2?", "completion": "5", "label": False},
        {"prompt": "Capital of France?", "completion": "Paris", "label": True},
        {"prompt": "Say hi.", "completion": "Hello!", "label": False},
    ]
    assert review.to_trl("kto", good=["accept", "unsure"])["label"] == [False, True, True]
    check_trl(out, tokenizer, conversational=False)


def test_kto_completion_is_the_spans_or_edit_field(make_review, text_ds):
    questions = [
        nr.Label("ok", ["good", "bad"]),
        nr.Spans("errors", field="other", labels=["wrong"]),
    ]
    review = make_review(text_ds, questions=questions, id="id")
    review.submit(3, ok="bad", errors=[])
    assert review.to_trl("kto")["completion"] == ["The Pacific"]  # the field that was labelled
    assert review.to_trl("kto", completion="third")["completion"] == ["Indian"]


def test_kto_conversational_from_a_chat_message(make_review, chat_ds, tokenizer):
    review = make_review(
        chat_ds,
        fields=["messages"],
        questions=[nr.Label("ok", ["yes", "no"]), nr.Edit("fixed", "messages[-1]", required=False)],
        id="id",
    )
    review.submit(4, ok="yes")
    out = review.to_trl("kto", prompt="messages")
    assert out.to_list() == [
        {
            "prompt": chat("Color of sky?"),
            "completion": [{"role": "assistant", "content": "Blue"}],
            "label": True,
        }
    ]
    check_trl(out, tokenizer, conversational=True)


def test_kto_errors_say_what_to_pass(make_review, text_ds):
    odd = make_review(text_ds, questions=[nr.Label("v", ["fine", "broken"])], id="id")
    with pytest.raises(ValueError, match=r"none of the labels \['fine', 'broken'\].*pass good="):
        odd.to_trl("kto")
    assert len(odd.to_trl("kto", good="fine")) == 0
    with pytest.raises(ValueError, match=r"good= names labels of 'v'"):
        odd.to_trl("kto", good=["great"])
    with pytest.raises(ValueError, match=r"no Label question"):
        make_review(text_ds, questions=[nr.Rating("q")], id="id", name="r").to_trl("kto")
    two = make_review(
        text_ds,
        questions=[nr.Label("a", ["good", "bad"]), nr.Label("b", ["good", "bad"])],
        id="id",
        name="two",
    )
    with pytest.raises(ValueError, match=r"several Label questions \['a', 'b'\]; pass label="):
        two.to_trl("kto")
    bare = datasets.Dataset.from_dict({"prompt": ["p"], "answer": ["x"]})
    unclear = make_review(bare, fields=["prompt"], questions=[nr.Label("ok", ["good"])], name="u")
    with pytest.raises(ValueError, match=r"pass completion= the column"):
        unclear.to_trl("kto")
    with pytest.raises(ValueError, match=r"completion='nope' is not a column"):
        unclear.to_trl("kto", completion="nope")


def test_kto_strength_is_not_a_label_question(make_review, text_ds):
    review = make_review(
        text_ds,
        questions=[nr.Preference("p", ("response", "other"), strength=True)],
        id="id",
    )
    with pytest.raises(ValueError, match=r"no Label question"):
        review.to_trl("kto")


def test_unknown_kind(make_review, text_ds):
    review = make_review(text_ds, questions=[nr.Edit("fixed", field="response")], id="id")
    with pytest.raises(ValueError, match=r"'sft', 'dpo', 'kto'"):
        review.to_trl("ppo")


# -- training one step on each export (no download) ------------------------------------------


@pytest.fixture(scope="module")
def tiny_tok():
    return tiny_models.tokenizer()


@pytest.mark.filterwarnings(tiny_models.TRAINER_WARNINGS)
def test_sft_dpo_kto_exports_train_one_step(make_review, chat_ds, tiny_tok, tmp_path):
    from trl import DPOConfig, DPOTrainer, KTOConfig, KTOTrainer, SFTConfig, SFTTrainer

    questions = [
        nr.Edit("fixed", field="response"),
        nr.Preference("better", fields=("response", "other")),
        nr.Label("ok", ["good", "bad"]),
    ]
    review = make_review(chat_ds, fields=["conversation"], questions=questions, id="id")
    for i, (better, ok) in enumerate([("other", "bad"), ("response", "good")]):
        review.submit(i, fixed=TEXT["other"][i], better=better, ok=ok)
    sft = review.to_trl("sft", prompt="conversation")
    dpo = review.to_trl("dpo", prompt="conversation")
    kto = review.to_trl("kto", prompt="conversation", completion="response")
    assert (len(sft), len(dpo), len(kto)) == (2, 2, 2)
    model = tiny_models.causal_lm
    args = tiny_models.train_args
    tiny_models.trained(
        SFTTrainer(
            model=model(tiny_tok),
            args=args(SFTConfig, tmp_path / "sft", 2),
            train_dataset=sft,
            processing_class=tiny_tok,
        )
    )
    tiny_models.trained(
        DPOTrainer(
            model=model(tiny_tok),
            ref_model=model(tiny_tok),
            args=args(DPOConfig, tmp_path / "dpo", 2),
            train_dataset=dpo,
            processing_class=tiny_tok,
        )
    )
    tiny_models.trained(
        KTOTrainer(
            model=model(tiny_tok),
            ref_model=model(tiny_tok),
            args=args(KTOConfig, tmp_path / "kto", 2),
            train_dataset=kto,
            processing_class=tiny_tok,
        )
    )


# -- per turn: stepwise supervision and KTO per turn ----------------------------------------------

PROBLEMS = {
    "id": ["p0", "p1", "p2"],
    "problem": ["What is 12 * 3 + 4?", "Solve x + 5 = 9.", "Is 91 prime?"],
    "solution": [
        "12 * 3 = 36.\n\n36 + 4 = 40.\n\nThe answer is 40.",
        "x = 9 + 5.\n\nx = 14.",
        "91 = 7 * 13.\n\nSo 91 is not prime.",
    ],
}


@pytest.fixture
def steps_review(make_review):
    return make_review(
        datasets.Dataset.from_dict(PROBLEMS),
        fields=["problem", nr.Steps("solution", sep="\n\n")],
        questions=[
            nr.Label("correct", ["+1", "0", "-1"], turns="solution", required=False),
            nr.Label("solved", ["yes", "no"]),
        ],
        id="id",
    )


def prm_features(example: dict, tok) -> dict:
    """Token ids and labels the way a process reward model reads a stepwise example: each
    step followed by the separator, its label on the step's last token, -100 elsewhere."""
    ids = tok(example["prompt"], add_special_tokens=False)["input_ids"]
    labels = [-100] * len(ids)
    sep = tok("\n", add_special_tokens=False)["input_ids"]
    for step, good in zip(example["completions"], example["labels"], strict=True):
        step_ids = tok(step, add_special_tokens=False)["input_ids"] + sep
        ids += step_ids
        labels += [-100] * (len(step_ids) - 1) + [int(good)]
    return {"input_ids": ids, "labels": labels}


@pytest.mark.filterwarnings(tiny_models.TRAINER_WARNINGS)
def test_stepwise_labels_every_step_and_trains_a_token_classifier(steps_review, tiny_tok, tmp_path):
    from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments

    steps_review.submit(0, correct=["+1", "+1", "+1"], solved="yes")
    steps_review.submit(1, correct=["-1", "0"], solved="no")
    steps_review.submit(2, correct=["+1", None], solved="yes")  # a step unanswered: left out
    out = steps_review.to_trl("stepwise", prompt="problem", question="correct", good=["+1"])
    assert out.features == datasets.Features(
        {
            "prompt": datasets.Value("string"),
            "completions": datasets.List(datasets.Value("string")),
            "labels": datasets.List(datasets.Value("bool")),
        }
    )
    assert out.to_list() == [
        {
            "prompt": "What is 12 * 3 + 4?",
            "completions": ["12 * 3 = 36.", "36 + 4 = 40.", "The answer is 40."],
            "labels": [True, True, True],
        },
        {
            "prompt": "Solve x + 5 = 9.",
            "completions": ["x = 9 + 5.", "x = 14."],
            "labels": [False, False],
        },
    ]
    assert not trl_data.is_conversational(out[0])
    assert trl_data.maybe_apply_chat_template(out[0], tiny_tok) == out[0]  # standard: as it is
    # one step of a token classifier on it (the installed TRL has no process-reward trainer)
    ids = datasets.List(datasets.Value("int64"))
    features = out.map(
        lambda e: prm_features(e, tiny_tok),
        remove_columns=out.column_names,
        features=datasets.Features({"input_ids": ids, "labels": ids}),  # labels stay numbers
    )
    assert sum(label != -100 for label in features[0]["labels"]) == 3  # one label per step
    trainer = Trainer(
        model=tiny_models.token_classifier(tiny_tok),
        args=tiny_models.train_args(TrainingArguments, tmp_path, 2),
        train_dataset=features,
        data_collator=DataCollatorForTokenClassification(tiny_tok),
    )
    tiny_models.trained(trainer)


def test_stepwise_of_a_list_column(make_review):
    data = datasets.Dataset.from_dict(
        {"prompt": ["2 + 2 * 2?"], "steps": [["2 * 2 = 4", "2 + 4 = 6"]]}
    )
    review = make_review(
        data,
        fields=["prompt", nr.Steps("steps")],
        questions=[nr.Label("ok", ["good", "bad"], turns="steps")],
    )
    review.submit(0, ok=["good", "bad"])
    assert review.to_trl("stepwise", question="ok").to_list() == [
        {"prompt": "2 + 2 * 2?", "completions": ["2 * 2 = 4", "2 + 4 = 6"], "labels": [True, False]}
    ]


def test_stepwise_errors_say_what_to_pass(steps_review, make_review, chat_ds):
    with pytest.raises(ValueError, match=r"question='solved' is asked once per record"):
        steps_review.to_trl("stepwise", prompt="problem", question="solved")
    with pytest.raises(ValueError, match=r"no column named 'prompt'; pass prompt="):
        steps_review.to_trl("stepwise", question="correct", good="+1")
    with pytest.raises(ValueError, match=r"none of the labels .*pass good="):
        steps_review.to_trl("stepwise", prompt="problem", question="correct")
    with pytest.raises(ValueError, match=r"to_trl\('stepwise'\) takes no completion"):
        steps_review.to_trl("stepwise", prompt="problem", completion="solution")
    with pytest.raises(ValueError, match=r"to_trl\('sft'\) takes no question, turns"):
        steps_review.to_trl("sft", question="correct", turns=True)
    chats = make_review(
        chat_ds,
        fields=[nr.Chat("messages")],
        questions=[nr.Label("step", ["good", "bad"], turns="messages")],
        name="chats",
    )
    with pytest.raises(ValueError, match=r"asked per message of the chat 'messages'.*nr.Steps"):
        chats.to_trl("stepwise", prompt="conversation")


TRACE = [
    {"role": "system", "content": "You can call tools."},
    {"role": "user", "content": "Weather in Paris, in Fahrenheit?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "type": "function",
                "function": {"name": "get_weather", "arguments": {"city": "Paris"}},
            }
        ],
    },
    {"role": "tool", "name": "get_weather", "content": '{"celsius": 18}'},
    {"role": "assistant", "content": "It is 18 degrees Fahrenheit."},
    {"role": "user", "content": "Are you sure?"},
    {"role": "assistant", "content": "Sorry: 18 C is 64 F."},
]


def trace_review(make_review, **kwargs):
    data = datasets.Dataset.from_list([{"id": "t0", "messages": TRACE}])
    question = nr.Label("step", ["good", "bad"], turns="messages", roles=["assistant", "tool"])
    return make_review(data, fields=[nr.Chat("messages")], questions=[question], id="id", **kwargs)


@pytest.mark.filterwarnings(tiny_models.TRAINER_WARNINGS)
def test_kto_per_turn_of_an_agent_trace(make_review, tiny_tok, tmp_path):
    from trl import KTOConfig, KTOTrainer

    review = trace_review(make_review)
    review.submit(0, step=[None, None, "good", "good", "bad", None, "good"])
    out = review.to_trl("kto", question="step", good=["good"], turns=True)
    assert out["label"] == [True, False, True]  # the tool's result is not the model's turn
    rows = out.to_list()
    assert [len(r["prompt"]) for r in rows] == [2, 4, 6]  # the conversation before the turn
    assert rows[0]["completion"][0]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert rows[1]["prompt"][-1]["role"] == "tool"
    assert rows[1]["completion"][0]["content"] == "It is 18 degrees Fahrenheit."
    for example in rows:
        assert trl_data.is_conversational(example)
        rendered = trl_data.maybe_apply_chat_template(example, tiny_tok)
        assert rendered["prompt"].startswith("<|system|>You can call tools.<|end|>")
    assert rendered["completion"] == "Sorry: 18 C is 64 F.<|end|>\n"
    trainer = KTOTrainer(
        model=tiny_models.causal_lm(tiny_tok),
        ref_model=tiny_models.causal_lm(tiny_tok),
        args=tiny_models.train_args(KTOConfig, tmp_path, 4),
        train_dataset=out,
        processing_class=tiny_tok,
    )
    tiny_models.trained(trainer)


def test_kto_per_step_is_standard(steps_review):
    steps_review.submit(1, correct=["-1", "+1"], solved="no")
    out = steps_review.to_trl("kto", prompt="problem", question="correct", good="+1", turns=True)
    assert out.to_list() == [
        {"prompt": "Solve x + 5 = 9.\n\n", "completion": "x = 9 + 5.", "label": False},
        {"prompt": "Solve x + 5 = 9.\n\nx = 9 + 5.\n\n", "completion": "x = 14.", "label": True},
    ]


def test_kto_per_turn_errors_say_what_to_pass(make_review, steps_review):
    review = trace_review(make_review)
    with pytest.raises(ValueError, match=r"\['step'\] asked per turn: pass turns=True"):
        review.to_trl("kto", prompt="messages")
    with pytest.raises(ValueError, match=r"leave prompt= out"):
        review.to_trl("kto", prompt="other", turns=True)
    with pytest.raises(ValueError, match=r"no Label question asked per turn"):
        make_review(
            datasets.Dataset.from_dict(TEXT), questions=[nr.Label("ok", ["good"])], name="w"
        ).to_trl("kto", turns=True)
    with pytest.raises(ValueError, match=r"label='step' and question='other' differ"):
        review.to_trl("kto", label="step", question="other", turns=True)
    assert len(review.to_trl("kto", question="step", turns=True)) == 0


def test_answers_that_no_longer_line_up_are_refused(make_review, steps_review):
    review = trace_review(make_review)
    review.submit(0, step=[None, None, "good", "good", "bad", None, "good"])
    longer = datasets.Dataset.from_list(
        [{"id": "t0", "messages": [*TRACE, {"role": "user", "content": "Thanks!"}]}]
    )
    question = nr.Label("step", ["good", "bad"], turns="messages", roles=["assistant", "tool"])
    changed = make_review(longer, fields=[nr.Chat("messages")], questions=[question], id="id")
    with pytest.raises(ValueError, match=r"row 0: the answer to 'step' has 7 entries, but the rec"):
        changed.to_trl("kto", question="step", turns=True)
