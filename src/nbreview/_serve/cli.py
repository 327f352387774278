"""`nbreview serve NOTEBOOK`: the notebook as a web page for reviewers who never see Python.

Voilà runs it with its code hidden, one kernel per visitor; a kernel whose page has been
closed for a while is shut down (jupyter_server's culling). Any other option is Voilà's.
A marimo notebook (`APP.py`) is served by `marimo run` instead, with the same store and
private links (any other option is marimo's).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..store import STORE_ENV
from . import links
from .annotator import ENV as ANNOTATOR_ENV
from .kernel import missing_kernel

# A page closed for this long (its kernel idle and no page connected) loses its kernel.
CULL_IDLE_SECONDS = 600
CULL_INTERVAL_SECONDS = 60
# Voilà's lab template without its CDN stylesheets (share/voila/templates/nbreview): found
# through $JUPYTER_PATH, which the server and its kernels inherit.
SHARE = Path(__file__).parent / "share"
TEMPLATE = "nbreview"
INSTALL = 'nbreview serve needs Voilà: pip install "nbreview[serve]"'
INSTALL_MARIMO = "nbreview serve APP.py runs `marimo run`: pip install marimo"
OPEN_PAGES = (
    "nbreview serve: pages are open: anyone with the address answers under any name they "
    "give. Send private links instead with --reviewers ana,ben (or --reviewers-file FILE)."
)


def reviewer_options(command: argparse.ArgumentParser, required: bool) -> None:
    """--reviewers / --reviewers-file / --url, shared by `serve` and `links`."""
    who = command.add_mutually_exclusive_group(required=required)
    who.add_argument(
        "--reviewers",
        metavar="NAMES",
        help="comma-separated names: prints one private link per reviewer, and a page "
        "opens only through its link",
    )
    who.add_argument("--reviewers-file", metavar="FILE", help="the reviewers, one name a line")
    command.add_argument(
        "--url", help="the address reviewers open, for the links (http://localhost:PORT/)"
    )


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
    serve.add_argument(
        "notebook", help="the review notebook (.ipynb; or a marimo APP.py, run by marimo run)"
    )
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
    reviewer_options(serve, required=False)
    again = commands.add_parser(
        "links",
        help="print the reviewers' private links again",
        description="Print each reviewer's private link for NOTEBOOK served with --reviewers.",
    )
    again.add_argument("notebook", help="the review notebook (.ipynb)")
    again.add_argument("--port", type=int, default=8866, help="the port it is served on (8866)")
    again.add_argument("--store", help="the store given to nbreview serve (its secret is beside)")
    reviewer_options(again, required=True)
    return p


def print_links(args: argparse.Namespace) -> Path:
    """Sign each reviewer's name with the secret beside the store (made on first use);
    print one link a line. Returns the secret's path (handed to the kernels, never the secret)."""
    names = links.reviewer_names(args.reviewers, args.reviewers_file)
    path = links.secret_path(args.store and store_spec(args.store), args.notebook)
    secret = links.load_secret(path, create=True)
    address = args.url or f"http://localhost:{args.port}/"
    for name, link in links.links(secret, names, address):
        print(f"{name}\t{link}", flush=True)
    return path


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
        f"--template={TEMPLATE}",
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
    app = notebook.suffix == ".py"  # a marimo notebook: served by `marimo run`
    if (problem := missing_server(app)) is not None:
        print(problem, file=sys.stderr)
        return 2
    if (code := hand_to_kernels(args)) is not None:
        return code
    if app:
        return run_marimo(args, extra)
    from voila.app import Voila

    paths = [str(SHARE), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
    Voila.launch_instance(argv=voila_argv(args, extra))
    return 0


def missing_server(app: bool) -> str | None:
    """Why the page could not be served (Voilà, its kernel, or marimo missing), or None."""
    if app:
        return None if importlib.util.find_spec("marimo") else INSTALL_MARIMO
    if importlib.util.find_spec("voila") is None:
        return INSTALL
    return missing_kernel()


def hand_to_kernels(args: argparse.Namespace) -> int | None:
    """The store and the links' secret *path* in the environment every page's kernel (or
    marimo session) inherits; the private links printed. An exit code when they fail."""
    if args.store is not None:
        spec = store_spec(args.store)
        try:
            check_store(spec)
        except ValueError as exc:
            print(f"nbreview serve: {exc}", file=sys.stderr)
            return 2
        os.environ[STORE_ENV] = spec
    if args.reviewers or args.reviewers_file:
        try:
            os.environ[links.ENV] = str(print_links(args))
        except ValueError as exc:
            print(f"nbreview serve: {exc}", file=sys.stderr)
            return 2
    else:
        os.environ.pop(links.ENV, None)
        print(OPEN_PAGES, file=sys.stderr)
    if os.environ.get(ANNOTATOR_ENV, "").strip():
        print(
            f"nbreview serve: ${ANNOTATOR_ENV} is set: visitors without ?annotator= answer "
            f"as {os.environ[ANNOTATOR_ENV].strip()!r} instead of being asked their name",
            file=sys.stderr,
        )
    return None


def run_marimo(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """`marimo run APP --port PORT` with the environment above; other options are marimo's
    (--headless, --host ...). Every visitor's session runs in that one server process."""
    command = [sys.executable, "-m", "marimo", "run", str(Path(args.notebook).resolve()),
               "--port", str(args.port), *extra]  # fmt: skip
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parser().parse_known_args(argv)
    if args.command == "serve":
        return serve(args, extra)
    if args.command == "links":
        if extra:
            print(f"nbreview links: unknown options {extra!r}", file=sys.stderr)
            return 2
        if not Path(args.notebook).is_file():
            print(f"nbreview links: no notebook at {args.notebook!r}", file=sys.stderr)
            return 2
        try:
            print_links(args)
        except ValueError as exc:
            print(f"nbreview links: {exc}", file=sys.stderr)
            return 2
        return 0
    return 2  # argparse has already refused anything else


if __name__ == "__main__":
    sys.exit(main())
