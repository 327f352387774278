"""`nbreview serve` in Chromium, as a reviewer who never sees Python uses it: the name from
the address or typed into the page, answers by keys under that name, one name in two pages
never overwriting itself, and kernels shut down once their page is gone."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from serving import free_port, kernels, script, served, wait_until

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

NOTEBOOK = """
import pandas as pd
import nbreview as nr

df = pd.DataFrame({"text": ["alpha", "beta", "gamma", "delta", "epsilon"]})
review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], id=None)
review
"""
OPEN_TIMEOUT = 60_000


@pytest.fixture
def server(tmp_path: Path):
    """`nbreview serve review.ipynb --store answers.sqlite` on a free port of 127.0.0.1."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(NOTEBOOK)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, tmp_path / "review.ipynb")
    port = free_port()
    store = tmp_path / "answers.sqlite"

    def start(*extra: str):
        command = [script("nbreview"), "serve", "review.ipynb", "--port", str(port),
                   "--store", str(store), "--no-browser", "--Voila.ip=127.0.0.1",
                   *extra]  # fmt: skip
        # (a probe of the notebook's own page would start a kernel: any other path answers)
        probe = f"http://127.0.0.1:{port}/nbreview-probe"
        return served(command, probe, tmp_path, tmp_path / "serve.log")

    start.url = f"http://127.0.0.1:{port}/"
    start.store = store
    return start


@pytest.fixture
def pages(browser: Browser, request: pytest.FixtureRequest) -> Iterator:
    """Open pages, each in a browser context of its own; screenshot each at teardown."""
    contexts = []

    def open_(url: str) -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda r: open_.requests.append(r.url))
        page.set_default_timeout(30_000)
        page.goto(url)
        return page

    open_.requests = []  # every address any page asked for, the server's own included
    yield open_
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    for i, context in enumerate(contexts, start=1):
        for page in context.pages:
            page.screenshot(path=str(ARTIFACTS_DIR / f"{request.node.name}-page{i}.png"))
        context.close()


def widget(page: Page) -> Locator:
    root = page.locator(".nbr-root")
    root.wait_for(state="visible", timeout=OPEN_TIMEOUT)
    return root


def ready(page: Page, position: int) -> Locator:
    """The widget showing row `position`, with the keyboard."""
    root = widget(page)
    expect(root).to_have_attribute("data-position", str(position), timeout=OPEN_TIMEOUT)
    root.focus()
    return root


def press(page: Page, key: str, acked: int) -> None:
    """Press a key that sends one message; wait until the kernel has stored it (its ack)."""
    page.keyboard.press(key)
    expect(page.locator(".nbr-root")).to_have_attribute("data-ack", str(acked), timeout=15_000)


def answers(store: Path) -> list[tuple[str, str, str]]:
    """(record, annotator, value) of every current answer, read as a lead would."""
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT record, annotator, value FROM answers ORDER BY updated_at")
        return [(r, a, v.strip('"')) for r, a, v in rows]


def verdicts(store: Path) -> list[str]:
    """Every verdict ever stored, in order, from the change log."""
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT value FROM events WHERE question = 'verdict' ORDER BY rowid")
        return [v.strip('"') for (v,) in rows]


def test_the_name_in_the_address_answers_by_keys(server, pages):
    with server():
        page = pages(server.url + "?annotator=zoe")
        root = ready(page, 0)
        expect(page.locator(".nbr-who")).to_have_text("Reviewing as zoe")
        assert "nr.Review" not in page.content()  # the code is hidden
        press(page, "1", 1)  # one key answers, submits and opens the next record
        expect(root).to_have_attribute("data-position", "1")
        press(page, "2", 2)
        expect(root).to_have_attribute("data-position", "2")
        found = answers(server.store)
    assert [(a, v) for _, a, v in found] == [("zoe", "good"), ("zoe", "bad")]


def test_a_page_without_a_name_asks_for_one_and_remembers_it(server, pages):
    with server():
        page = pages(server.url)
        name = page.locator(".nbr-ask-name")
        name.wait_for(state="visible", timeout=OPEN_TIMEOUT)
        expect(page.locator(".nbr-fields")).to_be_hidden()  # no review before a name
        expect(page.locator(".nbr-ask-label")).to_contain_text("Who is reviewing?")
        name.fill("yan")
        page.keyboard.press("Enter")
        root = ready(page, 0)
        expect(page.locator(".nbr-who")).to_have_text("Reviewing as yan")
        press(page, "2", 1)
        expect(root).to_have_attribute("data-position", "1")
        assert [(a, v) for _, a, v in answers(server.store)] == [("yan", "bad")]
        page.reload()  # a new kernel: the page remembers the name and does not ask
        root = ready(page, 1)
        expect(page.locator(".nbr-who")).to_have_text("Reviewing as yan")
        expect(name).to_be_hidden()
        press(page, "1", 1)
        expect(root).to_have_attribute("data-position", "2")
        found = answers(server.store)
    assert [(a, v) for _, a, v in found] == [("yan", "bad"), ("yan", "good")]


def test_one_name_in_two_pages_is_told_and_overwrites_nothing(server, pages):
    with server():
        first = pages(server.url + "?annotator=alice")
        a = ready(first, 0)
        second = pages(server.url + "?annotator=alice")
        b = ready(second, 1)  # record 1 is the first page's
        told = second.locator(".nbr-presence")
        expect(told).to_have_text(
            "alice is also reviewing in another window, on record 1 (kept for that window)."
        )
        press(second, "ArrowLeft", 1)  # onto the first page's record
        expect(b).to_have_attribute("data-position", "0")
        expect(told).to_have_attribute("data-blocked", "true")
        press(second, "2", 2)
        expect(second.locator(".nbr-notice")).to_contain_text(
            "alice is reviewing this record in another window"
        )
        assert answers(server.store) == []
        press(first, "1", 1)  # the first page answers its record and moves on
        expect(a).not_to_have_attribute("data-position", "0")
        press(second, "2", 3)  # the second still has the old view of it: refused once
        expect(second.locator(".nbr-notice")).to_contain_text("just with alice's other window")
        selected = b.locator('.nbr-option.nbr-selected[data-value="good"]')
        expect(selected).to_be_visible()  # it shows what the first page stored
        found, history = answers(server.store), verdicts(server.store)
    assert [(a, v) for _, a, v in found] == [("alice", "good")]
    assert history == ["good"]  # nothing was ever superseded


def test_a_closed_page_frees_its_record_and_its_kernel(server, pages):
    # 8 s, not less: a new page's kernel is idle (and culled) between Voila running the
    # notebook and the page connecting, which on a busy machine took over 2 s.
    with server("--cull-after", "8") as proc:
        page = pages(server.url + "?annotator=kim")
        ready(page, 0)
        assert kernels(proc) == 1
        page.goto("about:blank")  # the reviewer leaves
        wait_until(lambda: kernels(proc) == 0, 60, "the closed page's kernel to be culled")
        again = pages(server.url + "?annotator=kim")
        ready(again, 0)  # its record is free: nobody else is on it
        time.sleep(1)
        expect(again.locator(".nbr-presence")).to_be_hidden()


def printed_links(log: Path) -> dict[str, str]:
    """name -> private link, as `nbreview serve --reviewers` printed them for the lead."""
    found = {}
    for line in log.read_text().splitlines():
        name, sep, link = line.partition("\t")
        if sep and link.startswith("http"):
            found[name] = link
    return found


def test_private_links_let_each_reviewer_in_and_refuse_a_forged_one(server, pages, tmp_path):
    with server("--reviewers", "ana,ben,chloé", "--url", server.url):
        links = printed_links(tmp_path / "serve.log")
        assert list(links) == ["ana", "ben", "chloé"]
        opened = [pages(links[name]) for name in links]
        keys = [("ana", "1"), ("ben", "2"), ("chloé", "1")]
        for page, (name, key) in zip(opened, keys, strict=True):
            ready(page, 0)
            expect(page.locator(".nbr-who")).to_have_text(f"Reviewing as {name}")
            press(page, key, 1)
        ben_token = links["ben"].split("token=")[1]
        forged = pages(f"{server.url}?annotator=ana&token={ben_token}")  # ben's, for ana
        refused = forged.locator(".nbr-ask-error")
        expect(refused).to_have_text("This link is not valid: ask for yours", timeout=OPEN_TIMEOUT)
        expect(forged.locator(".nbr-fields")).to_be_hidden()
        expect(forged.locator(".nbr-ask-name")).to_be_hidden()  # no name can be typed
        bare = pages(server.url + "?annotator=ben")  # an open page's address: no token
        expect(bare.locator(".nbr-ask-error")).to_have_text(
            "This link is not valid: ask for yours", timeout=OPEN_TIMEOUT
        )
        found = answers(server.store)
        log = (tmp_path / "serve.log").read_text()
    expected = [("ana", "good"), ("ben", "bad"), ("chloé", "good")]
    assert sorted((a, v) for _, a, v in found) == expected
    assert "refused: a private link whose token is not this name's (annotator 'ana')" in log
    assert "refused: a private link without a token (annotator 'ben')" in log
    assert ben_token not in log.split("\n", 3)[-1]  # only the printed links carry tokens


def test_a_served_page_asks_nothing_from_outside_the_server(server, pages):
    with server():
        page = pages(server.url + "?annotator=zoe")
        ready(page, 0)
        press(page, "1", 1)
        requested = list(pages.requests)
    here = urlsplit(server.url).netloc
    # data: and blob: are made inside the page (anywidget's module is a blob of this origin)
    outside = [u for u in requested if urlsplit(u.removeprefix("blob:")).netloc not in (here, "")]
    assert len(requested) > 10, requested  # the page, Voilà's scripts, the widget, the kernel
    assert outside == []


QUALIFY_NOTEBOOK = """
import pandas as pd
import nbreview as nr

df = pd.DataFrame({"text": ["alpha", "beta", "gamma", "delta", "epsilon"],
                   "g": ["good", "bad", None, None, None]})
review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"], gold="g")], id=None,
                   qualify=nr.Qualify(records=2, min_accuracy=1.0))
review
"""


def test_a_reviewer_who_fails_qualification_is_stopped(server, pages, tmp_path):
    nb = nbformat.read(tmp_path / "review.ipynb", as_version=4)
    nb.cells[0].source = QUALIFY_NOTEBOOK
    nbformat.write(nb, tmp_path / "review.ipynb")
    with server():
        page = pages(server.url + "?annotator=una")
        root = widget(page)
        expect(root).to_have_attribute("data-position", re.compile("^[01]$"), timeout=OPEN_TIMEOUT)
        root.focus()
        first = int(root.get_attribute("data-position"))
        press(page, "2" if first == 0 else "1", 1)  # wrong: row 0 is good, row 1 bad
        expect(page.locator(".nbr-feedback")).to_be_visible()  # the expected answer, shown
        expect(page.locator(".nbr-feedback")).to_contain_text("Gold record just submitted")
        press(page, "1" if first == 0 else "2", 2)  # the second one right: 1 of 2 < 1.0
        stop = page.locator(".nbr-ask-error")
        expect(stop).to_have_text("You did not qualify for this review", timeout=30_000)
        expect(page.locator(".nbr-fields")).to_be_hidden()
        page.reload()  # a new kernel: still stopped
        expect(page.locator(".nbr-ask-error")).to_have_text(
            "You did not qualify for this review", timeout=OPEN_TIMEOUT
        )
        found = answers(server.store)
    assert len(found) == 2  # the two qualification answers, nothing after
