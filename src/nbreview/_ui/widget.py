"""The anywidget that shows a Session: it forwards browser messages and syncs the view."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import long_fields
from .session import Session

STATIC = Path(__file__).parent.parent / "static"
# What a record carries that does not change while it is on screen: sent once per record.
RECORD_ONCE = ("key", "row", "fields", "layout", "more")
log = logging.getLogger("nbreview")


def _check_bundle() -> None:
    if not (STATIC / "widget.js").exists():
        raise RuntimeError(
            f"the nbreview front end is not built ({STATIC / 'widget.js'} is missing); install "
            "the package with `pip install -e .` (needs node and npm) or from a wheel"
        )


_check_bundle()


def split_page(view: dict) -> tuple[dict | None, dict]:
    """(the queue table's page, the view saying only whether it is open): a page crosses
    when it is asked for or changes, not with every answer."""
    queue = view.get("queue") or {}
    page = queue.get("page")
    rest = {k: v for k, v in queue.items() if k != "page"}
    return page, {**view, "queue": {**rest, "open": page is not None}}


def split_record(view: dict) -> tuple[dict, dict]:
    """(the record's fixed part, the view with only what answers change in its record)."""
    record = view.get("record")
    if not record:
        return {}, view
    fixed = {k: record[k] for k in RECORD_ONCE if k in record}
    changing = {k: v for k, v in record.items() if k not in ("fields", "layout", "more")}
    return fixed, {**view, "record": changing}


class ReviewWidget(anywidget.AnyWidget):
    """Syncs only the config and the record on screen; the dataset never leaves the kernel."""

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"
    config = traitlets.Dict().tag(sync=True)
    record = traitlets.Dict().tag(sync=True)  # key, row, fields, layout: once per record
    view = traitlets.Dict().tag(sync=True)
    link = traitlets.Dict().tag(sync=True)  # acks per browser view, and the store's fault
    queue_page = traitlets.Dict(allow_none=True).tag(sync=True)  # the queue table's page

    def __init__(self, session: Session, config: dict, **kwargs: Any):
        record, view = split_record(session.view())
        page, view = split_page(view)
        super().__init__(
            config=config, record=record, view=view, link=session.link(), queue_page=page, **kwargs
        )
        self.session = session
        self._ahead = False  # whether a rendered view asked for the records ahead
        self.on_msg(self._on_message)

    def _ahead_of(self, record: dict) -> dict:
        """The record with the next records of the queue, once a view has asked for them."""
        reads = getattr(self.session, "ahead", None)  # a page still asking for a name has none
        if not (self._ahead and record and reads):
            return record
        return {**record, "ahead": reads()}

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "more":
            # "Show more" on a long field: its next piece, as a message (_ui/long_fields.py)
            reply = long_fields.piece(getattr(self.session, "review", None), self.session, content)
            if reply is not None:
                self.send(reply)
            return
        if isinstance(content, dict) and content.get("type") == "ahead":
            # A view is on screen: read ahead now, not in the state sent to open the widget.
            self._ahead = True
            self.record = self._ahead_of(self.record)
            return
        try:
            self.session.handle(content)
        except Exception as exc:  # a bug must not leave the page waiting for an answer
            log.exception("nbreview could not handle a browser message")
            self.session.notice = {"kind": "error", "text": f"Internal error: {exc!r}"[:300]}
        self.refresh()

    def refresh(self) -> None:
        """Send the current view in one sync; a record's fields only when the record changed."""
        record, view = split_record(self.session.view())
        page, view = split_page(view)
        with self.hold_sync():
            if page != self.queue_page:
                self.queue_page = page
            if record.get("key") != self.record.get("key"):
                self.record = self._ahead_of(record)  # read once per record shown
            elif {**record, "ahead": self.record.get("ahead")} != self.record:
                self.record = {**record, "ahead": self.record.get("ahead")}
            self.view = view
            self.link = self.session.link()
