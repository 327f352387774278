"""The anywidget that shows a Session: it forwards browser messages and syncs the view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .session import Session

STATIC = Path(__file__).parent.parent / "static"


def _check_bundle() -> None:
    if not (STATIC / "widget.js").exists():
        raise RuntimeError(
            f"the nbreview front end is not built ({STATIC / 'widget.js'} is missing); install "
            "the package with `pip install -e .` (needs node and npm) or from a wheel"
        )


_check_bundle()


class ReviewWidget(anywidget.AnyWidget):
    """Syncs only the config and the record on screen; the dataset never leaves the kernel."""

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"
    config = traitlets.Dict().tag(sync=True)
    view = traitlets.Dict().tag(sync=True)

    def __init__(self, session: Session, config: dict, **kwargs: Any):
        super().__init__(config=config, view=session.view(), **kwargs)
        self.session = session
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            self.session.handle(content)
            self.refresh()

    def refresh(self) -> None:
        """Send the current view; a new dict each time, so traitlets notices the change."""
        self.view = self.session.view()
