"""quality()'s checks on the work: competence (crowd-kit's Dawid–Skene on arrays, no gold),
fast, accepted and straightlined, each named in the flag when it crosses its threshold."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import warnings
from pathlib import Path

import datasets
import numpy as np
import pandas as pd
import pytest
from crowdkit.aggregation import DawidSkene

import nbreview as nr
from nbreview._team import checks, dawid_skene
from nbreview.store import Change

SRC = Path(__file__).resolve().parents[1] / "src"
N = 60
LABELS = ["good", "bad", "unsure"]


def data() -> datasets.Dataset:
    rng = random.Random(1)
    return datasets.Dataset.from_dict(
        {
            "id": [f"r{i:02d}" for i in range(N)],
            "text": [f"text {i}" for i in range(N)],
            "truth": [rng.choice(LABELS) for _ in range(N)],
            "model_guess": [LABELS[i % 3] for i in range(N)],
        }
    )


def review(store, who="lead", suggest=False) -> nr.Review:
    return nr.Review(
        data(), fields=["text"],
        questions=[nr.Label("verdict", LABELS, suggestion="model_guess" if suggest else None)],
        id="id", store=store, annotator=who,
    )  # fmt: skip


def crowd(store) -> tuple[nr.Review, list[tuple[str, str, str]]]:
    """Four careful annotators (right 85% of the time) and one who answers at random."""
    lead, rng, truth = review(store), random.Random(7), data()["truth"]
    rows = []
    for who in ["ana", "ben", "chloé", "dan", "rand"]:
        for i in range(N):
            if who == "rand":
                value = rng.choice(LABELS)
            else:
                value = truth[i] if rng.random() < 0.85 else rng.choice(LABELS)
            rows.append((f"r{i:02d}", who, value))
            answer = {"verdict": value}
            lead.store.write(Change("default", who, f"r{i:02d}", answer, "submitted", 5))
    return lead, rows


def test_the_one_answering_at_random_has_the_lowest_competence(store_path):
    lead, rows = crowd(store_path)
    table = lead.quality().set_index("annotator")
    assert table["competence"].idxmin() == "rand"
    assert table.loc["rand", "competence"] < 0.5 < table.drop("rand")["competence"].min()
    assert "competence" in table.loc["rand", "flag"]
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = DawidSkene(n_iter=checks.DS_ITERATIONS).fit(frame)
    for who in frame["worker"].unique():  # the same figures as crowd-kit's own fit
        mine = model.errors_.xs(who, level="worker")
        right = sum(p * mine.at[k, k] for k, p in model.priors_.items())
        assert table.loc[who, "competence"] == pytest.approx(right, abs=1e-6)


def test_two_annotators_leave_competence_empty(store_path):
    lead = review(store_path)
    for who in ["ana", "ben"]:
        for i in range(20):
            lead.store.write(Change("default", who, f"r{i:02d}", {"verdict": "good"}, "submitted"))
    assert lead.quality()["competence"].isna().all()


def test_fast_accepted_and_straightlined_are_counted_and_flagged(store_path):
    lead = review(store_path, suggest=True)
    guess = data()["model_guess"]
    for i in range(30):  # quick: takes every suggestion in half a second
        answer = {"verdict": guess[i]}
        lead.store.write(Change("default", "quick", f"r{i:02d}", answer, "submitted", 0.5))
    slow_values = ["bad"] * 25 + ["good", "unsure", "good", "unsure", "good"]  # 25 in a row
    for i, value in enumerate(slow_values):  # careful: 10 s each
        answer = {"verdict": value}
        lead.store.write(Change("default", "slow", f"r{i:02d}", answer, "submitted", 10))
    table = lead.quality().set_index("annotator")
    quick, slow = table.loc["quick"], table.loc["slow"]
    assert quick["fast"] == 1.0
    assert slow["fast"] == 0.0
    assert quick["accepted"] == 1.0
    assert quick["accept_seconds"] == 0.5
    same = sum(v == g for v, g in zip(slow_values, guess, strict=False))
    assert slow["accepted"] == pytest.approx(same / 30)
    assert slow["straightlined"] == 25
    assert quick["straightlined"] == 1
    assert "100% of records under 2 s" in quick["flag"]
    assert "accepts suggestions in 0.5 s median" in quick["flag"]
    assert "same answer 25 times in a row" in slow["flag"]
    assert "under 2 s" not in slow["flag"]
    strict = lead.quality(min_seconds=0.2).set_index("annotator")
    assert strict.loc["quick", "fast"] == 0.0


def test_min_seconds_is_checked(store_path):
    with pytest.raises(ValueError, match="min_seconds"):
        review(store_path).quality(min_seconds=-1)


def random_crowd(rng: np.random.Generator) -> pd.DataFrame:
    """Tasks answered by a random subset of workers of random skill; codes 0..n-1 each."""
    n_tasks, n_workers, n_labels = rng.integers(5, 80), rng.integers(2, 9), rng.integers(2, 6)
    truth, skill = rng.integers(0, n_labels, n_tasks), rng.uniform(0.2, 0.95, n_workers)
    rows = [
        (t, w, truth[t] if rng.random() < skill[w] else rng.integers(0, n_labels))
        for t in range(n_tasks)
        for w in rng.choice(n_workers, rng.integers(1, n_workers + 1), replace=False)
    ]
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"])
    return frame.apply(lambda column: pd.factorize(column)[0])


def test_the_fit_on_arrays_gives_crowd_kits_figures():
    """dawid_skene.fit against crowd-kit's DawidSkene on 100 random crowds (ties in the
    majority vote, workers who never gave some label, crowds that stop early): the same
    priors and confusion rows."""
    rng = np.random.default_rng(0)
    for _ in range(100):
        frame = random_crowd(rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = DawidSkene(n_iter=checks.DS_ITERATIONS).fit(frame)
        columns = (frame[c].to_numpy() for c in ("task", "worker", "label"))
        priors, errors, seen = dawid_skene.fit(*columns, checks.DS_ITERATIONS)
        assert priors == pytest.approx(model.priors_.sort_index().to_numpy(), abs=1e-12)
        for (worker, label), row in model.errors_.iterrows():
            assert seen[worker, label]
            assert errors[worker, label] == pytest.approx(row.sort_index().to_numpy(), abs=1e-12)
        assert seen.sum() == len(model.errors_)


IMPORT_CHECK = """
import random
import sys
import pandas as pd
import nbreview as nr
from nbreview.store import Change
labels, rng = ["good", "bad", "unsure"], random.Random(3)
df = pd.DataFrame({{"id": [f"r{{i}}" for i in range(40)], "text": ["t"] * 40}})
lead = nr.Review(df, ["text"], [nr.Label("verdict", labels)], id="id", store={store!r},
                 annotator="lead")
truth = [rng.choice(labels) for _ in range(40)]
for who in ["ana", "ben", "chloe", "rand"]:
    for i in range(40):
        good = who != "rand" and rng.random() < 0.9
        value = truth[i] if good else rng.choice(labels)
        lead.store.write(Change("default", who, f"r{{i}}", {{"verdict": value}}, "submitted", 5))
table = lead.quality().set_index("annotator")
assert table["competence"].idxmin() == "rand", table
assert "nltk" not in sys.modules, "crowd-kit's text aggregators were imported"
assert "crowdkit" not in sys.modules, "crowd-kit was imported"
print("ok")
"""


def test_competence_imports_neither_crowd_kit_nor_nltk(tmp_path):
    """crowd-kit's package imports NLTK (~5 s): a lead's first quality() needs neither."""
    code = IMPORT_CHECK.format(store=str(tmp_path / "s.sqlite"))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip().endswith("ok"), done.stderr[-2000:]
