"""Calling a user's callable on batches: sync or `async def`, a few batches at once, never
waited on longer than `timeout` seconds per batch.

A hung call cannot be killed in Python: its worker (a daemon thread) is left behind and a
fresh one takes its place, so the review goes on. Workers persist between calls, so a
batch costs a queue hand-off, not a thread start.
"""

from __future__ import annotations

import asyncio
import inspect
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ALL_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any


class Hung(Exception):
    """The callable did not return within the timeout."""


def is_async(fn: Callable) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - an object whose __call__ is async def
    )


class _Worker:
    """One daemon thread calling `fn` on the batches handed to it, in order, one at a time."""

    def __init__(self, fn: Callable):
        self.fn = fn
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._run, name="nbreview-suggest", daemon=True).start()

    def submit(self, batches: list[list[dict]]) -> list[Future]:
        """One hand-off for many batches: a thread switch per batch costs more than a
        trivial callable on a busy machine."""
        futures: list[Future] = [Future() for _ in batches]
        self.jobs.put((batches, futures))
        return futures

    def _run(self) -> None:
        while True:
            batches, futures = self.jobs.get()
            for batch, future in zip(batches, futures, strict=True):
                try:
                    result = self.fn(batch)
                    if inspect.isawaitable(result):  # a sync wrapper around a coroutine
                        result = asyncio.run(_await(result))
                    future.set_result(result)
                except BaseException as exc:  # handed back to the caller, reported there
                    future.set_exception(exc)


def _finish(futures: list[Future], timeout: float) -> int:
    """How many of a run's futures finished, in order, before `timeout` passed without
    one finishing. Waits for them all at once: one wake-up per run, not per batch."""
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=timeout, return_when=ALL_COMPLETED)
        if pending and not done:
            break
    return next((n for n, f in enumerate(futures) if not f.done()), len(futures))


async def _await(awaitable: Any) -> Any:
    return await awaitable


class Caller:
    """Calls `fn(batch)` for up to `concurrency` batches at once; a result or the exception
    per batch, in order (a hung batch: `Hung`)."""

    def __init__(self, fn: Callable, concurrency: int = 1, timeout: float = 60.0):
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(
                f"concurrency must be a whole number of at least 1, got {concurrency!r}"
            )
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self.fn, self.concurrency, self.timeout = fn, concurrency, float(timeout)
        self.is_async = is_async(fn)
        self._workers: list[_Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def call(self, batches: list[list[dict]]) -> list[Any]:
        """Results (or exceptions) of the batches, at most `concurrency` of them at once."""
        if self.is_async:
            out: list[Any] = []
            for start in range(0, len(batches), self.concurrency):
                out += self._call_async(batches[start : start + self.concurrency])
            return out
        return self._call_sync(batches)

    def _call_sync(self, batches: list[list[dict]]) -> list[Any]:
        """The batches split in `concurrency` runs, one per worker. A run is waited on until
        `timeout` passes without a batch of it finishing: its next batch is then hung, its
        worker left behind, and the rest of the run goes to a fresh one."""
        runs = [list(range(i, len(batches), self.concurrency)) for i in range(self.concurrency)]
        runs = [r for r in runs if r]
        with self._lock:
            while len(self._workers) < len(runs):
                self._workers.append(_Worker(self.fn))
            workers = self._workers[: len(runs)]
        handed = [w.submit([batches[i] for i in run]) for w, run in zip(workers, runs, strict=True)]
        out: list[Any] = [None] * len(batches)
        for worker, run, futures in zip(workers, runs, handed, strict=True):
            finished = _finish(futures, self.timeout)
            for i, future in zip(run[:finished], futures, strict=False):
                exc = future.exception()
                out[i] = exc if exc is not None else future.result()
            if finished < len(run):
                out[run[finished]] = Hung(f"no answer within {self.timeout:g} s")
                with self._lock:  # left behind: a fresh worker takes its place
                    self._workers = [w for w in self._workers if w is not worker]
                rest = run[finished + 1 :]
                for j, result in zip(rest, self._call_sync([batches[j] for j in rest]),
                                     strict=True):  # fmt: skip
                    out[j] = result
        return out

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="nbreview-suggest-async", daemon=True
                ).start()
                self._loop = loop
            return self._loop

    def _call_async(self, group: list[list[dict]]) -> list[Any]:
        loop = self._event_loop()

        async def one(batch: list[dict]) -> Any:
            try:
                return await asyncio.wait_for(self.fn(batch), self.timeout)
            except asyncio.TimeoutError:
                return Hung(f"no answer within {self.timeout:g} s")
            except Exception as exc:
                return exc

        futures = [asyncio.run_coroutine_threadsafe(one(b), loop) for b in group]
        out = []
        for future in futures:
            try:
                out.append(future.result(self.timeout + 5))
            except FutureTimeout:  # a coroutine that ignores cancellation
                out.append(Hung(f"no answer within {self.timeout:g} s"))
        return out
