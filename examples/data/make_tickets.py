"""Write tickets.jsonl: 3,000 short made-up support tickets, each with its true topic.

Seeded, so running it again writes the same file byte for byte:

    python make_tickets.py

Each ticket is a template filled with its topic's words; one in four names a thing of
another topic (the problem tells the topic) and one in three adds a phrase of another
topic, so a model trained on a few answers is unsure of some of them: what active
learning in examples/active_learning.ipynb looks for.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 21
COUNT = 3000
TOPICS = {
    "billing": {
        "thing": ["invoice", "refund", "charge", "receipt", "subscription fee", "credit card"],
        "problem": [
            "was charged twice",
            "shows the wrong amount",
            "never arrived",
            "was declined",
            "has VAT missing",
            "renewed without asking",
        ],
    },
    "bug": {
        "thing": ["export button", "search page", "mobile app", "dashboard", "sync", "editor"],
        "problem": [
            "crashes on start",
            "shows a blank screen",
            "freezes after an update",
            "throws error 500",
            "loses my changes",
            "is very slow since Tuesday",
        ],
    },
    "account": {
        "thing": ["password", "login", "two-factor code", "email address", "username", "profile"],
        "problem": [
            "cannot be reset",
            "is locked",
            "never arrives",
            "was changed by someone",
            "does not match",
            "keeps logging me out",
        ],
    },
    "feature": {
        "thing": [
            "dark mode",
            "calendar view",
            "bulk edit",
            "API access",
            "CSV import",
            "shared folders",
        ],
        "problem": [
            "would be great",
            "is something we need",
            "is missing compared to others",
            "should be added",
            "would save us hours",
            "is on our wish list",
        ],
    },
    "shipping": {
        "thing": ["parcel", "delivery", "order", "package", "courier", "tracking number"],
        "problem": [
            "is late",
            "went to the wrong address",
            "arrived damaged",
            "has not moved in a week",
            "was returned",
            "is missing an item",
        ],
    },
}
OPENERS = ["Hi,", "Hello team,", "Urgent:", "Quick question:", "", "Hey,", "Good morning,"]
TEMPLATES = [
    "{opener} my {thing} {problem}.",
    "{opener} the {thing} {problem}, can you help?",
    "{opener} since yesterday the {thing} {problem}. {extra}",
    "{opener} {extra} Also the {thing} {problem}.",
    "{opener} why the {thing} {problem}?",
]
FILLERS = ["Thanks.", "Please advise.", "This is the second time.", "Any update?", ""]


def ticket(rng: random.Random, topic: str) -> str:
    words = TOPICS[topic]
    thing = rng.choice(words["thing"])
    if rng.random() < 0.25:  # the problem tells the topic, the thing another one
        thing = rng.choice(TOPICS[rng.choice([t for t in TOPICS if t != topic])]["thing"])
    extra = rng.choice(FILLERS)
    if rng.random() < 1 / 3:  # a phrase of another topic: what makes a model unsure
        other = TOPICS[rng.choice([t for t in TOPICS if t != topic])]
        extra = f"(It mentions the {rng.choice(other['thing'])} too.)"
    text = rng.choice(TEMPLATES).format(
        opener=rng.choice(OPENERS),
        thing=thing,
        problem=rng.choice(words["problem"]),
        extra=extra,
    )
    return " ".join(text.split())


def main() -> None:
    rng = random.Random(SEED)
    topics = list(TOPICS)
    weights = [0.3, 0.25, 0.2, 0.1, 0.15]  # some topics are rare: random sampling misses them
    lines = []
    for i in range(COUNT):
        topic = rng.choices(topics, weights)[0]
        lines.append(json.dumps({"id": f"T{i:05d}", "text": ticket(rng, topic), "topic": topic}))
    out = Path(__file__).with_name("tickets.jsonl")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
