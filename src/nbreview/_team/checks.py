"""Checks on the work, for quality(): who answers at random, too fast, by accepting, in a line.

- `competence`: each annotator's reliability from the answers alone, no gold: their chance
  of giving the true answer under a Dawid–Skene fit (crowd-kit's steps, computed on arrays
  in `dawid_skene.py`; MACE took six times as long on 100,000 answers) over every answer a
  kind lets count exactly (`Question.agreed_parts`: labels, ratings, preferences, a
  rubric's criteria), on records two annotators or more submitted; one fit per part,
  averaged weighted by answers. NaN unless three annotators or more shared ten records or
  more (with two, no fit can tell who is right).
- `fast`: the share of submitted records on screen under `min_seconds` (records submitted
  from code, with no time on screen, are not counted).
- `accepted`: the share of answers equal to the suggestion offered, over the questions that
  offer one; `accept_seconds`: the median time on screen of records whose every suggested
  answer was taken as offered.
- `straightlined`: the longest run of the same answer to one question, in submit order.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..questions.combine import encode
from ..store.base import load_many
from . import dawid_skene
from .gold import whole
from .log import Log
from .parts import Part, codes

if TYPE_CHECKING:
    from ..review import Review

log = logging.getLogger("nbreview")
COLUMNS = ["competence", "fast", "accepted", "accept_seconds", "straightlined"]
DS_ITERATIONS = 10  # EM steps: the estimate settles within them on a crowd of ten
MIN_CROWD, MIN_TASKS = 3, 10  # competence needs three annotators on ten shared records
LIMITS = {"min_competence": 0.5, "max_fast": 0.3, "max_accepted": 0.9, "max_run": 20}


def competence(agreed: list[Part]) -> dict[str, float]:
    """annotator -> Dawid–Skene's estimate of how often they give the true answer."""
    weighted: dict[str, list[tuple[float, int]]] = {}
    for part in agreed:
        c = part.codes
        answered = np.unique(c.tasks * len(c.names) + c.workers)  # (task, worker) pairs
        shared = np.bincount(answered // len(c.names))[c.tasks] >= 2
        tasks, workers, labels = (_dense(x[shared]) for x in (c.tasks, c.workers, c.labels))
        if workers[1].size < MIN_CROWD or tasks[1].size < MIN_TASKS or labels[1].size < 2:
            continue  # two annotators, a handful of records, one label: nothing to estimate
        priors, errors, _ = dawid_skene.fit(tasks[0], workers[0], labels[0], DS_ITERATIONS)
        right = np.einsum("k,wkk->w", priors, errors)  # rows of labels not given hold 0
        counts = np.bincount(workers[0])
        for code, name in enumerate(workers[1]):
            weighted.setdefault(c.names[name], []).append((float(right[code]), int(counts[code])))
    return {
        who: sum(v * n for v, n in pairs) / sum(n for _, n in pairs)
        for who, pairs in weighted.items()
    }


def _dense(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes renumbered 0..n-1 in order, the old code of each new one)."""
    old, new = np.unique(values, return_inverse=True)
    return new, old


_last: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # review -> (state, figures)


def _competence_cached(review: Review, agreed: list[Part], records: pa.Table) -> dict[str, float]:
    """competence(), fitted again only when the store's answers changed (a monitor asks
    every few seconds; the fit is the slow part of quality())."""
    at = records["annotated_at"]
    state = (records.num_rows, sum(len(p.values) for p in agreed))
    state = (*state, pc.max(at).as_py() if len(at) else None)
    state = (*state, pc.sum(records["seconds"]).as_py() if len(at) else None)
    cached = _last.get(review)
    if cached is not None and cached[0] == state:
        return cached[1]
    found = competence(agreed)
    _last[review] = (state, found)
    return found


def fast(submitted: pd.DataFrame, min_seconds: float) -> pd.Series:
    timed = submitted[submitted["seconds"] > 0]
    return (timed["seconds"] < min_seconds).groupby(timed["annotator"]).mean()


def accepted(review: Review, log: Log, submitted: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(share of answers equal to the suggestion, median seconds of records taken as is)."""
    offered = [q for q in review.questions if q.suggestion]
    if not offered or submitted.empty:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    rows: list[pd.DataFrame] = []
    for q in offered:
        table = log.answers(q.name)
        if table.num_rows == 0:
            continue
        frame = table.select(["record", "annotator", "text"]).to_pandas()
        frame = frame.merge(submitted[["record", "annotator", "row"]], on=["record", "annotator"])
        if frame.empty:
            continue
        suggested = review.source.take(q.suggestion, frame["row"].to_numpy()).to_pylist()
        given = load_many(frame["text"].tolist())
        same = [
            s is not None and encode([whole(s)]).to_pylist() == encode([g]).to_pylist()
            for s, g in zip(suggested, given, strict=True)
        ]
        rows.append(frame.assign(same=same, offered=[s is not None for s in suggested]))
    if not rows:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    both = pd.concat(rows)
    both = both[both["offered"]]
    share = both.groupby("annotator")["same"].mean()
    taken = both.groupby(["record", "annotator"])["same"].all().reset_index()
    taken = taken[taken["same"]].merge(submitted, on=["record", "annotator"])
    return share, taken.groupby("annotator")["seconds"].median()


def straightlined(answers: pa.Table, order: pa.Table) -> pd.Series:
    """annotator -> the longest run of one answer to one question, in submit order
    (`order`: record, annotator, annotated_at; ties by record key), on integer codes."""
    n = answers.num_rows
    record, keys = _shared_codes(answers["record"], order["record"])
    who, people = _shared_codes(answers["annotator"], order["annotator"])
    people = people.to_pylist()
    pair = record * len(people) + who  # (record, annotator): [answers..., order...]
    submitted = pair[n:]
    rows = np.argsort(submitted, kind="stable")
    at = np.searchsorted(submitted, pair[:n], sorter=rows).clip(max=max(len(rows) - 1, 0))
    found = submitted[rows[at]] == pair[:n] if len(rows) else np.zeros(n, bool)
    if not found.any():
        return pd.Series(dtype="int64")
    when = order["annotated_at"].to_numpy()[rows[at[found]]]
    rank = np.empty(len(keys), np.int64)  # a record key's place in text order: ties' order
    rank[pc.sort_indices(keys).to_numpy()] = np.arange(len(keys))
    question, text = codes(answers["question"])[found], codes(answers["text"])[found]
    record, who = record[:n][found], who[:n][found]
    sort = np.lexsort((rank[record], when, question, who))
    key = (who * (int(question.max()) + 1) + question)[sort]
    text = text[sort]
    starts = np.flatnonzero(np.r_[True, (key[1:] != key[:-1]) | (text[1:] != text[:-1])])
    lengths = np.diff(np.r_[starts, len(key)])
    longest = np.zeros(len(people), np.int64)
    np.maximum.at(longest, who[sort][starts], lengths)
    used = np.unique(who)
    return pd.Series(longest[used], index=pd.Index([people[i] for i in used], dtype=object))


def _shared_codes(*columns: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes of the columns' values, one numbering for all (concatenated in order)."""
    both = pa.chunked_array([c for column in columns for c in column.chunks], pa.string())
    encoded = pc.dictionary_encode(both.combine_chunks())
    return encoded.indices.to_numpy().astype(np.int64), encoded.dictionary


def add(
    review: Review,
    frame: pd.DataFrame,
    records: Log,
    min_seconds: float,
    everything: pa.Table,
    agreed: list[Part],
) -> None:
    """The checks' columns on quality()'s frame (indexed by annotator), in place:
    `everything` is every submitted answer, `agreed` the shared ones' parts (parts.py)."""
    r = records.records
    submitted = r.filter(pc.equal(r["status"], "submitted"))
    submitted = submitted.select(["record", "annotator", "row", "seconds", "annotated_at"])
    subs = submitted.to_pandas()
    try:
        found = _competence_cached(review, agreed, r)
    except Exception:  # a failed estimate leaves the column empty, never the table
        log.exception("nbreview could not estimate competence")
        found = {}
    frame["competence"] = [found.get(a, np.nan) for a in frame.index]
    frame["fast"] = fast(subs, min_seconds).reindex(frame.index).astype("float64")
    share, seconds = accepted(review, records, subs)
    frame["accepted"] = share.reindex(frame.index).astype("float64")
    frame["accept_seconds"] = seconds.reindex(frame.index).astype("float64")
    runs = straightlined(everything, submitted.select(["record", "annotator", "annotated_at"]))
    frame["straightlined"] = runs.reindex(frame.index).fillna(0).astype("int64")


def flags(row: pd.Series, limits: dict) -> list[str]:
    """The sentences of the checks this annotator's row crosses."""
    out = []
    if not np.isnan(row["competence"]) and row["competence"] < limits["min_competence"]:
        out.append(f"competence {row['competence']:.2f} below {limits['min_competence']:g}")
    if not np.isnan(row["fast"]) and row["fast"] > limits["max_fast"]:
        out.append(f"{row['fast']:.0%} of records under {limits['min_seconds']:g} s")
    if (
        not np.isnan(row["accepted"])
        and row["accepted"] >= limits["max_accepted"]
        and not np.isnan(row["accept_seconds"])
        and row["accept_seconds"] < limits["min_seconds"]
    ):
        out.append(f"accepts suggestions in {row['accept_seconds']:.1f} s median")
    if row["straightlined"] >= limits["max_run"]:
        out.append(f"same answer {int(row['straightlined'])} times in a row")
    return out
