"""Private links (`nbreview serve --reviewers`): signed tokens, the secret beside the store,
pages refused without a valid token, and no name changed from the browser."""

from __future__ import annotations

import os
import stat
import sys
import types
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

import nbreview as nr
from nbreview._serve import annotator as who
from nbreview._serve import cli, links

VARS = ("VOILA_PREHEAT", "SERVER_SOFTWARE", "QUERY_STRING", "NBREVIEW_ANNOTATOR",
        "NBREVIEW_STORE", "NBREVIEW_LINKS", "JUPYTERHUB_USER")  # fmt: skip


@pytest.fixture(autouse=True)
def plain_kernel(monkeypatch):
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "marimo", raising=False)
    monkeypatch.setattr(who, "login_name", lambda: "login-user")


@pytest.fixture
def served(tmp_path, monkeypatch, capsys):
    """`nbreview links` run for ana, ben and chloé; returns a function opening a page."""
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    store = tmp_path / "answers.sqlite"
    assert cli.main(["links", str(nb), "--store", str(store), "--reviewers", "ana,ben,chloé"]) == 0
    printed = capsys.readouterr().out.splitlines()
    found = {}
    for line in printed:
        name, link = line.split("\t")
        found[name] = parse_qs(urlsplit(link).query)
    secret = store.with_name("answers.sqlite" + links.SECRET_SUFFIX)

    def page(query: str):
        monkeypatch.setenv("VOILA_PREHEAT", "False")
        monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
        monkeypatch.setenv("QUERY_STRING", query)
        monkeypatch.setenv("NBREVIEW_LINKS", str(secret))
        df = pd.DataFrame({"text": ["a", "b", "c"]})
        return nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], store=store)

    page.links = found
    page.secret = secret
    page.store = store
    return page


def token_of(served, name: str) -> str:
    return served.links[name]["token"][0]


def test_one_link_per_reviewer_each_with_its_own_token(served):
    assert list(served.links) == ["ana", "ben", "chloé"]
    tokens = {token_of(served, n) for n in served.links}
    assert len(tokens) == 3
    assert all(len(t) == links.TOKEN_LENGTH for t in tokens)
    assert served.links["chloé"]["annotator"] == ["chloé"]


def test_the_secret_is_a_0600_file_beside_the_store_kept_across_runs(served, tmp_path, capsys):
    mode = stat.S_IMODE(os.stat(served.secret).st_mode)
    assert mode == 0o600
    before = served.secret.read_text()
    nb = tmp_path / "review.ipynb"
    store = str(served.store)
    assert cli.main(["links", str(nb), "--store", store, "--reviewers", "ana"]) == 0
    again = parse_qs(urlsplit(capsys.readouterr().out.split("\t")[1].strip()).query)
    assert again["token"] == served.links["ana"]["token"]  # printed again, the same link
    assert served.secret.read_text() == before
    assert before not in again["token"][0]


def test_a_valid_link_answers_under_its_name(served):
    review = served(f"annotator=ben&token={token_of(served, 'ben')}")
    assert review.annotator == "ben"
    assert review.widget.visitor["annotator"] == "ben"
    assert "closed" not in review.widget.visitor


@pytest.mark.parametrize(
    "query",
    [
        "annotator=ben",  # no token
        "annotator=ben&token=" + "A" * 43,  # forged
        "annotator=mallory&token={ana}",  # ana's token reused for another name
        "annotator=ana&token={ana_cut}",  # truncated
        "annotator=ana%07&token={ana}",  # a control character
        "token={ana}",  # no name
        "",  # nothing at all
    ],
)
def test_a_page_without_a_valid_token_is_refused_and_stores_nothing(served, query, caplog):
    ana = token_of(served, "ana")
    review = served(query.format(ana=ana, ana_cut=ana[:-3]))
    assert review.live.annotator is None
    w = review.widget
    assert w.visitor["closed"] == "This link is not valid: ask for yours"
    assert w.record == {}  # no record reaches the page
    w._on_message(w, {"type": "annotator", "name": "ana"}, [])  # typing a name changes nothing
    w._on_message(w, {"type": "answer", "question": "verdict", "value": "good", "seq": 1}, [])
    assert review.live.annotator is None
    assert review.store.answers(review.name) == []
    assert review.store.records(review.name) == []
    logged = caplog.text  # for the lead (the server's terminal), never on the page
    assert "refused: a private link" in logged
    assert "refused: a name typed on a page" in logged
    assert ana not in logged  # never the token


def test_the_browser_cannot_set_a_trait(served, caplog):
    review = served(f"annotator=ana&token={token_of(served, 'ana')}")
    w = review.widget
    before = (dict(w.config), dict(w.visitor), dict(w.record))
    w.set_state({"config": {**w.config, "annotator": "ben"}, "visitor": {"annotator": "ben"}})
    assert (w.config, w.visitor, w.record) == before
    assert review.annotator == "ana"
    assert "the browser tried to set ['config', 'visitor']" in caplog.text


def test_without_the_secret_file_every_link_is_refused(served):
    query = f"annotator=ana&token={token_of(served, 'ana')}"
    served.secret.unlink()
    assert served(query).live.annotator is None


@pytest.mark.parametrize(
    ("names", "problem"),
    [("ana,ana", "given twice"), ("ana,b\x07b", "control characters"), (",", "no reviewer")],
)
def test_bad_reviewer_names_are_refused_before_anything(tmp_path, capsys, names, problem):
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    assert cli.main(["links", str(nb), "--reviewers", names]) == 2
    assert problem in capsys.readouterr().err
    assert not list(tmp_path.glob("*" + links.SECRET_SUFFIX))


def test_reviewers_from_a_file_and_a_default_store(tmp_path, capsys):
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    names = tmp_path / "team.txt"
    names.write_text("ana\n\n ben \n")
    assert cli.main(["links", str(nb), "--reviewers-file", str(names), "--port", "9000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["ana", "ben"]
    assert lines[0].split("\t")[1].startswith("http://localhost:9000/?annotator=ana&token=")
    assert (tmp_path / ("nbreview.sqlite" + links.SECRET_SUFFIX)).exists()


def test_serve_without_reviewers_says_pages_are_open(tmp_path, capsys, monkeypatch):
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    launched = []
    import voila.app

    monkeypatch.setattr(voila.app.Voila, "launch_instance", lambda argv: launched.append(argv))
    assert cli.main(["serve", str(nb)]) == 0
    assert "pages are open" in capsys.readouterr().err
    assert "NBREVIEW_LINKS" not in os.environ
    assert cli.main(["serve", str(nb), "--reviewers", "ana", "--url", "http://h/"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ana\thttp://h/?annotator=ana&token=")
    assert os.environ.pop("NBREVIEW_LINKS").endswith(links.SECRET_SUFFIX)
    assert len(launched) == 2


def test_a_jupyterhub_login_comes_after_the_argument_before_the_page(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    monkeypatch.setenv("NBREVIEW_ANNOTATOR", "env-name")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("QUERY_STRING", "annotator=zoe")
    assert who.resolve_annotator(None) == "hubuser"
    assert who.resolve_annotator("given") == "given"


def test_served_pages_use_a_template_without_cdn_links(tmp_path):
    nb = tmp_path / "review.ipynb"
    nb.write_text("{}")
    args, extra = cli.parser().parse_known_args(["serve", str(nb)])
    assert f"--template={cli.TEMPLATE}" in cli.voila_argv(args, extra)
    template = cli.SHARE / "voila" / "templates" / cli.TEMPLATE
    assert "http" not in (template / "index.html.j2").read_text()
    assert (template / "conf.json").read_text().strip() == '{"base_template": "lab"}'


def marimo_page(served, monkeypatch, params: dict) -> nr.Review:
    """A session of `marimo run` started by `nbreview serve app.py --reviewers`: marimo's
    module as the app sees it (its per-session query parameters), the secret's path set."""
    fake = types.ModuleType("marimo")
    fake.running_in_notebook = lambda: True
    fake.query_params = lambda: params
    fake.app_meta = lambda: types.SimpleNamespace(mode="run")
    monkeypatch.setitem(sys.modules, "marimo", fake)
    monkeypatch.setenv("NBREVIEW_LINKS", str(served.secret))
    df = pd.DataFrame({"text": ["a", "b", "c"]})
    return nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], store=served.store)


def test_a_marimo_app_takes_a_valid_link_and_refuses_the_rest(served, monkeypatch, caplog):
    ana, ben = token_of(served, "ana"), token_of(served, "ben")
    good = marimo_page(served, monkeypatch, {"annotator": "ana", "token": ana})
    assert good.annotator == "ana"
    w = good.widget
    w.set_state({"visitor": {"annotator": "ben"}})  # marimo hands browser updates here
    assert good.annotator == "ana"
    assert w.visitor["annotator"] == "ana"
    for params in ({"annotator": "ana", "token": ben}, {"annotator": "ana"}, {}):
        refused = marimo_page(served, monkeypatch, params)
        assert refused.live.annotator is None
        assert refused.widget.visitor["closed"] == "This link is not valid: ask for yours"
        refused.widget._on_message(refused.widget, {"type": "annotator", "name": "ana"}, [])
        assert refused.live.annotator is None  # and no name can be typed in
    assert "refused: a private link whose token is not this name's (annotator 'ana')" in (
        caplog.text
    )
    assert ben not in caplog.text


def test_serve_runs_a_marimo_app_with_the_links(tmp_path, capsys, monkeypatch):
    app = tmp_path / "app.py"
    app.write_text("import marimo\napp = marimo.App()\n")
    ran = []
    for name in ("NBREVIEW_LINKS", "NBREVIEW_STORE"):  # what serve sets, undone after the test
        monkeypatch.setenv(name, "")
    monkeypatch.setattr(
        cli.subprocess, "call", lambda command: ran.append((command, dict(os.environ))) or 0
    )
    store = tmp_path / "answers.sqlite"
    argv = ["serve", str(app), "--store", str(store), "--reviewers", "ana", "--port", "2718"]
    assert cli.main([*argv, "--headless"]) == 0
    command, env = ran[0]
    assert command[1:5] == ["-m", "marimo", "run", str(app.resolve())]
    assert command[5:] == ["--port", "2718", "--headless"]  # marimo's own options pass on
    assert env["NBREVIEW_LINKS"] == str(store) + links.SECRET_SUFFIX  # the path, not the secret
    assert env["NBREVIEW_STORE"] == str(store.resolve())
    assert capsys.readouterr().out.startswith("ana\thttp://localhost:2718/?annotator=ana&token=")
