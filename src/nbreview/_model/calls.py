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
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any


class Hung(Exception):
    """The callable did not return within the timeout."""


def is_async(fn: Callable) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - an object whose __call__ is async def
    )


class _Worker:
    """One daemon thread calling `fn` on the batches put to it, one at a time."""

    def __init__(self, fn: Callable, timeout: float):
        self.fn, self.timeout = fn, timeout
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._run, name="nbreview-suggest", daemon=True).start()

    def submit(self, batch: list[dict]) -> Future:
        future: Future = Future()
        self.jobs.put((batch, future))
        return future

    def _run(self) -> None:
        while True:
            batch, future = self.jobs.get()
            try:
                result = self.fn(batch)
                if inspect.isawaitable(result):  # a sync wrapper around a coroutine
                    result = asyncio.run(_await(result))
                future.set_result(result)
            except BaseException as exc:  # handed back to the caller, reported there
                future.set_exception(exc)


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
        out: list[Any] = []
        for start in range(0, len(batches), self.concurrency):
            group = batches[start : start + self.concurrency]
            out += self._call_async(group) if self.is_async else self._call_sync(group)
        return out

    def _call_sync(self, group: list[list[dict]]) -> list[Any]:
        with self._lock:
            while len(self._workers) < len(group):
                self._workers.append(_Worker(self.fn, self.timeout))
            workers = self._workers[: len(group)]
        futures = [w.submit(b) for w, b in zip(workers, group, strict=True)]
        deadline = time.monotonic() + self.timeout
        out = []
        for worker, future in zip(workers, futures, strict=True):
            try:
                out.append(future.result(max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                out.append(Hung(f"no answer within {self.timeout:g} s"))
                with self._lock:  # left behind: a fresh worker takes its place
                    self._workers = [w for w in self._workers if w is not worker]
            except Exception as exc:
                out.append(exc)
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
