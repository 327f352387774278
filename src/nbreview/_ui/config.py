"""What the store and the browser are told of a review: its name, fields, questions, keys.

The store keeps the questions as given (with their gold columns, to reopen the review);
the browser is never told which column holds the right answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..review import Review


def review_config(review: Review, for_store: bool = False) -> dict:
    """The review's config for the store (`for_store`) or for the widget's `config` trait."""
    options = review.key_map.options  # a question's keys= as resolved ("mnemonic" spelled out)
    config = {
        "name": review.name,
        "fields": [f.spec() for f in review.fields],
        "questions": [
            {**q, "keys": options[q["name"]]} if q["name"] in options else q
            for q in review.questions.specs()
        ],
        "guidelines": review.guidelines,
    }
    if for_store:
        return {**config, "id": review.id}
    config["questions"] = [{k: v for k, v in q.items() if k != "gold"} for q in config["questions"]]
    return {
        **config,
        "annotator": review.live.annotator,
        "one_key": review.questions.one_key,
        "load_images": review.load_images,
        "layout": review.layout,
        "keys": keys_in_force(review),
    }


def keys_in_force(review: Review) -> dict:
    """The key table the browser reads; "more like this" has no key without embeddings=."""
    keys = review.key_map.config()
    embeddings = review.context.model.embeddings
    return keys if embeddings is not None else {**keys, "similar": []}
