"""`nbreview serve NOTEBOOK`: the notebook as a web page for reviewers who never see Python.

Voilà runs it with its code hidden, one kernel per visitor; a kernel whose page has been
closed for a while is shut down (jupyter_server's culling). Any other option is Voilà's.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from ..store import STORE_ENV
from .annotator import ENV as ANNOTATOR_ENV
from .kernel import missing_kernel

# A page closed for this long (its kernel idle and no page connected) loses its kernel.
CULL_IDLE_SECONDS = 600
CULL_INTERVAL_SECONDS = 60
INSTALL = 'nbreview serve needs Voilà: pip install "nbreview[serve]"'


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nbreview",
        description="Review datasets of model output; serve a review notebook as a web page.",
    )
    commands = p.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        allow_abbrev=False,  # a Voilà option must never be taken for a shortened one of ours
        help="serve a notebook as a page: code hidden, one kernel per visitor",
        description=(
            "Serve NOTEBOOK with Voilà: every visitor gets a kernel of their own and sees "
            "the outputs only. Share the address with ?annotator=NAME. Options not listed "
            "here go to Voilà (e.g. --theme=dark, --no-browser, --Voila.ip=0.0.0.0)."
        ),
    )
    serve.add_argument("notebook", help="the review notebook (.ipynb)")
    serve.add_argument("--port", type=int, default=8866, help="port to listen on (8866)")
    serve.add_argument(
        "--store",
        help="where the answers go: a SQLite path or postgresql:// URL, handed to the notebook "
        f"as ${STORE_ENV} (Review(store=None) takes it)",
    )
    serve.add_argument(
        "--cull-after",
        type=int,
        default=CULL_IDLE_SECONDS,
        metavar="SECONDS",
        help=f"shut a kernel down once its page is closed and it was idle this long "
        f"({CULL_IDLE_SECONDS})",
    )
    return p


def store_spec(text: str) -> str:
    """A --store as the kernels must see it: a file path made absolute (they run elsewhere)."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        return text
    return str(Path(text).expanduser().resolve())


def check_store(spec: str) -> None:
    """Open the store once, so a bad path or URL is named now rather than in every page."""
    from ..store import open_store

    open_store(spec).close()


def voila_argv(args: argparse.Namespace, extra: Sequence[str]) -> list[str]:
    """Voilà's command line: nbreview's defaults first, so the same option given later wins."""
    cull = max(1, args.cull_after)
    return [
        str(Path(args.notebook).resolve()),
        f"--port={args.port}",
        "--strip_sources=True",
        f"--MappingKernelManager.cull_idle_timeout={cull}",
        f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL_SECONDS, cull)}",
        "--MappingKernelManager.cull_connected=False",
        *extra,
    ]


def serve(args: argparse.Namespace, extra: Sequence[str]) -> int:
    notebook = Path(args.notebook)
    if not notebook.is_file():
        print(f"nbreview serve: no notebook at {str(notebook)!r}", file=sys.stderr)
        return 2
    try:
        from voila.app import Voila
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    if (problem := missing_kernel()) is not None:
        print(problem, file=sys.stderr)
        return 2
    if args.store is not None:
        spec = store_spec(args.store)
        try:
            check_store(spec)
        except ValueError as exc:
            print(f"nbreview serve: {exc}", file=sys.stderr)
            return 2
        os.environ[STORE_ENV] = spec  # every kernel Voilà starts inherits it
    if os.environ.get(ANNOTATOR_ENV, "").strip():
        print(
            f"nbreview serve: ${ANNOTATOR_ENV} is set: visitors without ?annotator= answer "
            f"as {os.environ[ANNOTATOR_ENV].strip()!r} instead of being asked their name",
            file=sys.stderr,
        )
    Voila.launch_instance(argv=voila_argv(args, extra))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parser().parse_known_args(argv)
    if args.command == "serve":
        return serve(args, extra)
    return 2  # argparse has already refused anything else


if __name__ == "__main__":
    sys.exit(main())
