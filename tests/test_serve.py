"""Who is answering (argument, page, $NBREVIEW_ANNOTATOR, login name; a served page asks),
$NBREVIEW_STORE, and the `nbreview serve` command line, without starting a server."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pytest

import nbreview as nr
from nbreview._serve import annotator as who
from nbreview._serve import cli
from nbreview.store import SQLiteStore, open_store

VOILA_VARS = ("VOILA_PREHEAT", "SERVER_SOFTWARE", "QUERY_STRING")


@pytest.fixture(autouse=True)
def plain_kernel(monkeypatch):
    """No Voilà, no marimo, no $NBREVIEW_*: a notebook kernel as JupyterLab starts it."""
    for name in (*VOILA_VARS, "NBREVIEW_ANNOTATOR", "NBREVIEW_STORE", "NBREVIEW_LINKS",
                 "JUPYTERHUB_USER"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "marimo", raising=False)
    monkeypatch.setattr(who, "login_name", lambda: "login-user")


def voila(monkeypatch, query: str | None = "") -> None:
    """The environment Voilà gives a page's kernel (QUERY_STRING from its address)."""
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    if query is not None:
        monkeypatch.setenv("QUERY_STRING", query)


def marimo(monkeypatch, params: dict, mode: str = "run") -> None:
    """A stand-in for marimo's module as a running marimo app sees it."""
    fake = types.ModuleType("marimo")
    fake.running_in_notebook = lambda: True
    fake.query_params = lambda: params
    fake.app_meta = lambda: types.SimpleNamespace(mode=mode)
    monkeypatch.setitem(sys.modules, "marimo", fake)


# -- resolution order ---------------------------------------------------------------------------


def test_the_argument_comes_first(monkeypatch):
    voila(monkeypatch, "annotator=page")
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "env")
    assert who.resolve_annotator("arg") == "arg"


def test_the_page_parameter_comes_before_the_environment(monkeypatch):
    voila(monkeypatch, "x=1&annotator=zoe%20k")
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "env")
    assert who.resolve_annotator(None) == "zoe k"


def test_the_environment_comes_before_the_login_name(monkeypatch):
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "  carol  ")
    assert who.resolve_annotator(None) == "carol"


def test_the_login_name_last_in_a_notebook():
    assert who.resolve_annotator(None) == "login-user"


def test_a_served_page_without_a_name_asks(monkeypatch):
    voila(monkeypatch, "")
    assert who.resolve_annotator(None) is None
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "lead")  # a lead may set one for everyone
    assert who.resolve_annotator(None) == "lead"


def test_a_query_string_outside_voila_is_not_a_page(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "annotator=mallory")  # a CGI script, say
    assert who.resolve_annotator(None) == "login-user"


def test_a_made_up_name_in_the_address_is_not_taken(monkeypatch):
    voila(monkeypatch, "annotator=%1B%5B31mred")
    with pytest.warns(UserWarning, match="control characters"):
        assert who.resolve_annotator(None) is None  # asked instead
    voila(monkeypatch, "annotator=" + "x" * 101)
    with pytest.warns(UserWarning, match="longer than 100"):
        assert who.resolve_annotator(None) is None


def test_a_preheated_voila_kernel_waits_for_its_page(monkeypatch):
    voila(monkeypatch, None)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    utils = types.ModuleType("voila.utils")
    utils.get_query_string = lambda url=None: "annotator=ravi"
    monkeypatch.setitem(sys.modules, "voila.utils", utils)
    assert who.resolve_annotator(None) == "ravi"


def test_marimo_reads_its_own_query_params(monkeypatch):
    marimo(monkeypatch, {"annotator": "mia"})
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "env")
    assert who.resolve_annotator(None) == "mia"
    marimo(monkeypatch, {"annotator": ["first", "second"]})
    assert who.resolve_annotator(None) == "first"


def test_marimo_run_asks_marimo_edit_takes_the_login_name(monkeypatch):
    marimo(monkeypatch, {}, mode="run")
    assert who.resolve_annotator(None) is None
    marimo(monkeypatch, {}, mode="edit")
    assert who.resolve_annotator(None) == "login-user"


def test_marimo_imported_but_not_running_is_ignored(monkeypatch):
    marimo(monkeypatch, {"annotator": "mia"})
    sys.modules["marimo"].running_in_notebook = lambda: False
    assert who.resolve_annotator(None) == "login-user"


@pytest.mark.parametrize(
    ("raw", "name"), [("  ann  lee ", "ann lee"), ("Zoë", "Zoë"), ("李华", "李华")]
)
def test_clean_name_keeps_a_readable_name(raw, name):
    assert who.clean_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "a text"),
        ("a\u202eb", "control"),
        ("x" * 101, "100"),
    ],
)
def test_clean_name_refuses_what_cannot_be_a_name(raw, problem):
    with pytest.raises(ValueError, match=problem):
        who.clean_name(raw)


# -- the Review ---------------------------------------------------------------------------------


def small(tmp_path: Path, **kwargs) -> nr.Review:
    df = pd.DataFrame({"text": ["a", "b", "c"]})
    kwargs.setdefault("store", tmp_path / "s.sqlite")
    return nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], **kwargs)


def test_review_takes_the_page_name(tmp_path, monkeypatch):
    voila(monkeypatch, "annotator=zoe")
    review = small(tmp_path)
    assert review.annotator == "zoe"
    assert review.widget.config["annotator"] == "zoe"


def test_review_on_a_served_page_waits_for_a_name(tmp_path, monkeypatch):
    voila(monkeypatch, "")
    review = small(tmp_path)
    assert "asking who answers" in repr(review)
    with pytest.raises(ValueError, match=r"no annotator yet.*\?annotator=NAME"):
        review.annotator  # noqa: B018
    review.queue(sort="text")  # kept, and saved under the name once it is known
    review.live.answer_as("yan")
    assert review.annotator == "yan"
    assert review.store.setting(review.name, "yan", "queue") == {"sort": "text"}


def test_review_layout_is_checked(tmp_path):
    assert small(tmp_path).widget.config["layout"] == "auto"
    assert small(tmp_path, layout="stacked").widget.config["layout"] == "stacked"
    with pytest.raises(ValueError, match=r"layout must be one of \('auto', 'stacked'\)"):
        small(tmp_path, layout="side")


# -- $NBREVIEW_STORE ------------------------------------------------------------------------------


def test_store_none_takes_nbreview_store(tmp_path, monkeypatch):
    path = tmp_path / "served.sqlite"
    monkeypatch.setenv("NBREVIEW_STORE", str(path))
    review = small(tmp_path, store=None)
    assert isinstance(review.store, SQLiteStore)
    assert Path(review.store.url) == path
    assert path.exists()


def test_store_none_without_the_variable_is_the_default_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_store(None)
    assert Path(store.url).name == "nbreview.sqlite"
    store.close()


def test_a_given_store_beats_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("NBREVIEW_STORE", str(tmp_path / "served.sqlite"))
    review = small(tmp_path, store=tmp_path / "mine.sqlite")
    assert Path(review.store.url).name == "mine.sqlite"
    assert not (tmp_path / "served.sqlite").exists()


def test_a_bad_nbreview_store_is_named(monkeypatch):
    monkeypatch.setenv("NBREVIEW_STORE", "mysql://db/x")
    with pytest.raises(ValueError, match="unknown kind of URL"):
        open_store(None)


# -- nbreview serve's command line ---------------------------------------------------------------


def test_serve_argv_sets_culling_and_passes_voila_options_after(tmp_path):
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    args, extra = cli.parser().parse_known_args(
        ["serve", str(nb), "--port", "9001", "--theme=dark", "--cull-after", "120"]
    )
    argv = cli.voila_argv(args, extra)
    assert argv[0] == str(nb.resolve())
    assert "--port=9001" in argv
    assert "--MappingKernelManager.cull_idle_timeout=120" in argv
    assert "--MappingKernelManager.cull_interval=60" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv
    assert "--strip_sources=True" in argv
    assert argv[-1] == "--theme=dark"  # Voilà's own options come last: they win


def test_serve_store_paths_become_absolute_urls_stay(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.store_spec("answers.sqlite") == str(tmp_path / "answers.sqlite")
    url = "postgresql://u:secret@db/reviews"
    assert cli.store_spec(url) == url


def test_serve_refuses_a_missing_notebook_or_store(tmp_path, capsys):
    assert cli.main(["serve", str(tmp_path / "nope.ipynb")]) == 2
    assert "no notebook" in capsys.readouterr().err
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    bad = tmp_path / "missing-folder" / "s.sqlite"
    assert cli.main(["serve", str(nb), "--store", str(bad)]) == 2
    assert "does not exist" in capsys.readouterr().err
