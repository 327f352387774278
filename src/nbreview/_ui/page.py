"""The review widget as a page shows it: a served page's visitor says who they are first,
and one name open in two places never overwrites itself (presence.py).

The Session is built only once the name is known: its cursor, undo history and queue are
the annotator's, so none of them can be made before. Until then `Waiting` stands in.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import traitlets

from .._serve import links
from .._serve.annotator import clean_name, links_only
from .._team.qualify import STOPPED
from ..store import StoreUnavailable
from .config import review_config
from .messages import clip
from .presence import Presence
from .session import Session
from .widget import ReviewWidget

if TYPE_CHECKING:
    from ..review import Review

TAB_ID = re.compile(r"[A-Za-z0-9_-]{6,64}")


class Waiting:
    """Stands in for the Session until the visitor has given a name (the only message taken)."""

    def __init__(self, on_name: Callable[[str], None]):
        self.on_name = on_name
        self.notice: dict | None = None
        self.error: str | None = None

    def view(self) -> dict:
        return {}

    def link(self) -> dict:
        return {}

    def ahead(self) -> dict:
        return {}

    def handle(self, message: Any) -> None:
        if not isinstance(message, dict) or message.get("type") != "annotator":
            return  # keys pressed before the name is known change nothing
        try:
            self.on_name(clean_name(message.get("name"), "the name"))
            self.error = None
        except StoreUnavailable as exc:
            self.error = clip(f"The store cannot be reached just now ({exc}); press Enter again.")
        except ValueError as exc:
            self.error = clip(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")


class Closed(Waiting):
    """A page that shows one sentence and takes no message: a private link that is not
    valid, a reviewer who did not qualify. Nothing from the browser can open it."""

    def __init__(self, text: str):
        super().__init__(lambda name: None)
        self.closed = text

    def handle(self, message: Any) -> None:
        if isinstance(message, dict) and message.get("type") == "annotator":
            links.refuse("a name typed on a page whose link is not valid", message.get("name"))


class PageWidget(ReviewWidget):
    """ReviewWidget plus the `visitor` trait: asking for a name, the annotator's other windows."""

    visitor = traitlets.Dict().tag(sync=True)  # who answers, asked for; their other windows

    def __init__(self, review: Review, **kwargs: Any):
        self.review = review
        self.presence: Presence | None = None
        self.tab: str | None = None  # the browser tab's id, from the page's "hello"
        self.fresh = True  # no message from the page has been handled yet
        self._graded: dict | None = None  # the gold feedback qualification last read
        asking = review.live.annotator is None
        if asking and links_only():
            session: Any = Closed(links.REFUSED)
        elif not asking and review.qualify is not None and review.live.qualifier.failed():
            session = Closed(STOPPED)  # did not qualify, in an earlier sitting
        else:
            session = Waiting(self._named) if asking else self._seated(review.session)
        super().__init__(session, review_config(review), **kwargs)
        self.visitor = self._visitor()

    def _seated(self, session: Session) -> Session:
        """The session with its seat taken: it opens on a record no other window holds."""
        self.presence = Presence(session, self.tab)
        self.presence.join()
        return session

    def _named(self, name: str) -> None:
        self.review.live.answer_as(name)
        self.session = self._seated(self.review.session)
        self.config = review_config(self.review)

    def _visitor(self) -> dict:
        if isinstance(self.session, Closed):
            return {"ask": False, "closed": self.session.closed, "annotator": None}
        waiting = isinstance(self.session, Waiting)
        visitor: dict[str, Any] = {"ask": waiting, "annotator": self.review.live.annotator}
        if waiting and self.session.error:
            visitor["error"] = self.session.error
        if self.presence is not None:
            visitor.update(self.presence.told())
        return visitor

    def _show_visitor(self) -> None:
        visitor = self._visitor()
        if visitor != self.visitor:
            self.visitor = visitor

    def set_state(self, sync_data: dict) -> None:
        """Traits change from the kernel only: a browser's update (its name, the store, the
        record, another annotator's answers) is refused and logged, never applied."""
        links.refuse(f"the browser tried to set {sorted(sync_data)!r}", self.review.live.annotator)

    def _on_message(self, widget: Any, content: Any, buffers: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hello":  # which browser tab this page is: its seat's id
            return self._hello(content.get("tab"))
        if kind == "here":  # the page's heartbeat: its seat and its overlap claim live on
            if self.presence is not None:
                self.presence.update(force=True)
                with contextlib.suppress(StoreUnavailable):  # reported at the next change
                    self.session.cursor.keep_claim()
            self._show_visitor()
            return
        if kind == "leave":  # the page is closing: its record is free for the other windows
            if self.presence is not None:
                self.presence.leave(final=False)
            return
        if kind == "annotator" and not isinstance(self.session, Waiting):
            return  # a second Enter on the name box, after the name was taken
        if kind not in ("annotator", "ahead"):
            self.fresh = False
        super()._on_message(widget, content, buffers)
        self._check_qualified()

    def _check_qualified(self) -> None:
        """After a qualification record is submitted: the test decided, the page may close."""
        review, session = self.review, self.session
        if review.qualify is None or isinstance(session, Waiting):
            return
        if not review.live.qualifier.qualifying() or session.feedback is None:
            return
        shown = session.feedback.current
        if shown is None or shown is self._graded:  # no gold record newly submitted
            return
        self._graded = shown
        if review.live.qualifier.update().qualified is False:
            if self.presence is not None:
                self.presence.leave()
            self.session, self.presence = Closed(STOPPED), None
            self._show_visitor()

    def _hello(self, tab: Any) -> None:
        if not isinstance(tab, str) or not TAB_ID.fullmatch(tab):
            return  # not an id this front end makes: the kernel's own seat id stays
        self.tab = tab
        if self.presence is not None:
            self.presence.adopt(tab, self.fresh)
            self.refresh()

    def refresh(self) -> None:
        """The view, after this window has taken the record on screen (or been told why not)."""
        if self.presence is not None:
            self.presence.update()
        with self.hold_sync():
            super().refresh()
            self._show_visitor()

    def close(self) -> None:
        if self.presence is not None:
            self.presence.leave()
        super().close()
