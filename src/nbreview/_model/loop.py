"""What a Review holds of the model in the loop: its suggesters, the background runner, the
re-ranker of `queue(order=fn, every=k)` and the embeddings column; and the one call the view
makes on every view (`ahead`), which only hands work to those threads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..store.base import load
from . import suggest as suggesting

if TYPE_CHECKING:
    from .._ui.cursor import Cursor
    from ..review import Review

log = logging.getLogger("nbreview")
HANDOFF = 1.0  # seconds the event loop has to run a handed-over call before it runs here
AHEAD_BATCHES = 2  # batches of the queue ahead asked for, beyond the record on screen


class ModelLoop:
    def __init__(
        self,
        review: Review,
        suggest: Callable | None = None,
        *,
        batch_size: int = 32,
        concurrency: int = 1,
        timeout: float = 60.0,
        embeddings: str | None = None,
    ):
        self.review = review
        self.options = {"batch_size": batch_size, "concurrency": concurrency, "timeout": timeout}
        self.suggesters = suggesting.of_review(review, suggest, **self.options)
        self.embeddings = embeddings
        if embeddings is not None:
            from .similar import check_column

            check_column(review.source, embeddings)
        self.runner = None
        self.reranker = None
        self._main: asyncio.AbstractEventLoop | None = None

    @property
    def names(self) -> list[str]:
        """The names whose stored suggestions the widget prefers, in order."""
        return [s.name for s in self.suggesters]

    # -- on the kernel's main thread ---------------------------------------------------------

    def ahead(self, cursor: Cursor) -> None:
        """The view was built: hand the record on screen and the queue ahead to the runner."""
        with contextlib.suppress(RuntimeError):
            self._main = asyncio.get_running_loop()
        if self.suggesters and cursor.position is not None:
            if self.runner is None:
                from .runner import Runner

                self.runner = Runner(self, self.suggesters)
            count = AHEAD_BATCHES * max(s.batch_size for s in self.suggesters)
            self.runner.want([cursor.position, *cursor.upcoming(count, True)])
        self._rerank(getattr(self.review.live.session, "queue", None))

    def _rerank(self, queue: Any) -> None:
        """Keep one re-ranker for the session's queue when it has order= and every=."""
        current = self.reranker
        if current is not None and current.queue is queue:
            current.poke()
            return
        if current is not None:
            current.stop()
            self.reranker = None
        if queue is not None and queue.order is not None and queue.every:
            from .rerank import Reranker

            self.reranker = Reranker(self, queue)

    def show(self, keys: set[str] | None = None, notice: dict | None = None) -> None:
        """From a background thread: show the record on screen again (when its key is among
        `keys`), with a notice; run on the kernel's event loop when there is one."""

        def refresh() -> None:
            session = self.review.live.session
            if session is None or (keys is not None and session.cursor.key not in keys):
                return
            if notice is not None:
                session.notice = notice
            try:
                self.review.live.refresh()
            except Exception:
                log.exception("nbreview could not show suggestions")

        self.on_main(refresh)

    def on_main(self, fn: Callable[[], Any]) -> None:
        """Run `fn` on the kernel's event loop; when no loop runs it within HANDOFF seconds
        (plain Python, or a loop left registered but stopped), here, once, under the
        session's lock so it never lands inside a change under way."""
        once = threading.Lock()
        ran = threading.Event()

        def run_once() -> None:
            if once.acquire(blocking=False):
                ran.set()
                fn()

        main = self._main
        if main is not None and not main.is_closed():
            main.call_soon_threadsafe(run_once)
            if ran.wait(HANDOFF):
                return
        session = self.review.live.session
        with session.lock if session is not None else contextlib.nullcontext():
            run_once()


def ahead(review: Review, cursor: Cursor) -> None:
    """The view's one call: never raises, never waits."""
    model = review.context.model
    try:
        model.ahead(cursor)
    except Exception:
        log.exception("nbreview could not ask for suggestions ahead")


def stored_texts(review: Review, keys: list[str] | None = None) -> dict[tuple[str, str], str]:
    """(record, question) -> a callable's stored suggestion as JSON text: the review's own
    callables first, else the latest stored."""
    if not hasattr(review.store, "suggestions"):
        return {}
    return preferred(review, review.store.suggestions(review.name, keys))


def preferred(review: Review, rows: list[tuple]) -> dict[tuple[str, str], str]:
    """Of stored suggestions ((record, question, name, value, at), oldest first), the one
    shown per (record, question)."""
    names = review.context.model.names
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for record, question, name, value, _at in rows:
        rank = names.index(name) if name in names else len(names)
        if (record, question) not in best or rank <= best[record, question][0]:
            best[record, question] = (rank, value)  # oldest first: the latest wins a tie
    return {k: v for k, (_, v) in best.items()}


def stored(review: Review, rows: list[tuple]) -> dict[str, Any]:
    """A record's stored suggestions (its rows, as `preferred` takes them), by question."""
    known = set(review.questions.names)
    return {q: load(v) for (_, q), v in preferred(review, rows).items() if q in known}
