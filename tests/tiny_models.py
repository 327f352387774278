"""Tiny random models and a character tokenizer, made in the test: one training step of a
real trainer on an export, with nothing downloaded.

The tokenizer maps each printable ASCII character to a token (anything else to [UNK]) and
carries a small chat template that renders every message, tool calls included, so TRL's
conversational paths run as they do on a real model.
"""

from __future__ import annotations

from typing import Any

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>"
    "{% if m['content'] is string %}{{ m['content'] }}{% endif %}"
    "{% for call in m['tool_calls'] or [] %}[call {{ call['function']['name'] }}]{% endfor %}"
    "<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
SPECIAL = ["<pad>", "<eos>", "<bos>", "[UNK]"]
# Trainers' own deprecation notices (transformers v6 renames), not ours.
TRAINER_WARNINGS = "ignore:.*(deprecated|will be removed).*:FutureWarning"


def tokenizer() -> Any:
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    chars = [chr(i) for i in range(32, 127)] + ["\n"]
    vocab = {token: i for i, token in enumerate(SPECIAL + chars)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Split(Regex("."), "isolated")
    tok = PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token="<pad>",
        eos_token="<eos>",
        bos_token="<bos>",
        unk_token="[UNK]",
    )
    tok.chat_template = CHAT_TEMPLATE
    return tok


def _config(tok: Any, **extra: Any) -> Any:
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=len(tok),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        bos_token_id=tok.bos_token_id,
        **extra,
    )


def causal_lm(tok: Any) -> Any:
    """A one-layer random Llama for SFT, DPO and KTO."""
    import torch
    from transformers import LlamaForCausalLM

    torch.manual_seed(0)
    return LlamaForCausalLM(_config(tok))


def token_classifier(tok: Any) -> Any:
    """A one-layer random Llama that labels tokens, as a process reward model does."""
    import torch
    from transformers import LlamaForTokenClassification

    torch.manual_seed(0)
    return LlamaForTokenClassification(_config(tok, num_labels=2))


def train_args(config_class: Any, folder: Any, batch: int, **extra: Any) -> Any:
    """One optimizer step on the CPU, nothing saved or reported."""
    return config_class(
        output_dir=str(folder),
        max_steps=1,
        per_device_train_batch_size=batch,
        report_to="none",
        save_strategy="no",
        use_cpu=True,
        **extra,
    )


def trained(trainer: Any) -> float:
    """Run one step: the loss is a real number and the model's weights moved."""
    import math

    import torch

    before = [p.detach().clone() for p in trainer.model.parameters()]
    loss = trainer.train().training_loss
    assert math.isfinite(loss)
    after = list(trainer.model.parameters())
    assert any(not torch.equal(a, b) for a, b in zip(before, after, strict=True))
    return loss
