"""The app in a real browser: `streamlit run` on a free port, headless Chromium via playwright.

Timings (first paint after start-up, Enter to answer shown) are printed, not asserted: run with
`-s` to see them. Screenshots land in the test's tmp folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Error, Locator, Page, expect, sync_playwright

from ingest.index import PassageIndex
from tests.conftest import CORPUS, ROOT, free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"desktop": 1280, "phone": 390}
SUPERVISION = "How often was the Baby R social worker supervised?"


def ensure_chromium() -> str:
    """Debian's chromium, installed when missing (as `make browser-deps` does)."""
    if not Path(CHROMIUM).exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing and could not be installed: run `make browser-deps`")
    return CHROMIUM


class Server:
    """`streamlit run app.py` on localhost, with the moment it was started."""

    def __init__(self, index_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, REVIEWQA_INDEX_DIR=str(index_dir), HF_HUB_OFFLINE="1")
        command = [
            str(Path(sys.executable).with_name("streamlit")),
            "run",
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ]
        self.log = log.open("w")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def server(corpus_index: PassageIndex, tmp_path: Path) -> Iterator[Server]:
    assert corpus_index.cache_dir is not None
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index.cache_dir, index_dir)
    srv = Server(index_dir, tmp_path / "streamlit.log")
    yield srv
    srv.stop()


def open_page(browser: Browser, srv: Server, width: int) -> tuple[Page, float]:
    """A page on the app once the server answers, and seconds from start-up to first paint."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    deadline = time.monotonic() + 60
    while True:
        try:
            page.goto(srv.url, timeout=5000)
            break
        except Error:
            if time.monotonic() > deadline or srv.process.poll() is not None:
                raise
            time.sleep(0.2)
    expect(page.get_by_role("heading", name="reviewqa")).to_be_visible(timeout=30_000)
    return page, time.perf_counter() - srv.started


def wait_until_ready(page: Page) -> None:
    """The page is drawn and the search model is loaded (its spinner came and went)."""
    expect(page.get_by_role("button", name="What was said about supervision?")).to_be_visible(
        timeout=30_000
    )
    preparing = page.get_by_text("Preparing the search…")
    # the spinner may never show when the model loads before its delay runs out
    with contextlib.suppress(AssertionError, Error):
        expect(preparing).to_be_visible(timeout=5_000)
    expect(preparing).to_be_hidden(timeout=120_000)


def ask_question(page: Page, question: str) -> float:
    """Type a question, press Enter; seconds until the answer and its first source card show."""
    before = page.locator(".rq-card, .rq-refusal").count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    expect(page.locator(".rq-card, .rq-refusal")).not_to_have_count(before, timeout=60_000)
    return time.perf_counter() - started


def screenshot(page: Page, path: Path, show: Locator | None = None, height: int = 2400) -> None:
    """A tall screenshot (Streamlit scrolls inside its own container), `show` scrolled into view."""
    width = (page.viewport_size or {"width": 1280})["width"]
    page.set_viewport_size({"width": width, "height": height})
    if show is not None:
        show.scroll_into_view_if_needed()
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("layout", list(WIDTHS))
def test_a_question_gets_an_answer_with_source_cards_in_the_browser(
    server: Server, tmp_path: Path, layout: str
) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        page, first_paint = open_page(browser, server, WIDTHS[layout])
        wait_until_ready(page)
        ready = time.perf_counter() - server.started
        screenshot(page, tmp_path / f"empty-{layout}.png", height=1100)

        seconds = ask_question(page, SUPERVISION)

        answer = page.get_by_test_id("stChatMessage").last
        expect(answer).to_contain_text(
            "The allocated social worker had supervision only every 10 weeks"
        )
        card = answer.locator(".rq-card").first
        expect(card).to_contain_text("Serious Case Review: Baby R")
        expect(card).to_contain_text(
            "10 Analysis > Management oversight and supervision · ¶10.13 · p.8"
        )
        expect(card.locator("mark")).to_have_count(1)
        context = answer.get_by_test_id("stExpander").first
        context.get_by_text("Show the surrounding text").click()
        expect(context).to_contain_text("¶10.12")
        with page.expect_download() as original:
            answer.get_by_role("button", name="Original (PDF)").first.click()
        assert Path(original.value.path()).read_bytes() == (CORPUS / "baby-r.pdf").read_bytes()
        href = answer.get_by_role("link", name="Open at page 8").first.get_attribute("href") or ""
        assert href.endswith(".pdf#page=8")
        served = page.request.get(urljoin(server.url, href))
        assert served.headers["content-type"] == "application/pdf"
        assert served.body() == (CORPUS / "baby-r.pdf").read_bytes()
        sidebar = page.get_by_test_id("stSidebar")
        opener = page.get_by_test_id("stExpandSidebarButton")
        if opener.is_visible():  # on a phone the sidebar starts closed
            opener.click()
        screenshot(page, tmp_path / f"sidebar-{layout}.png", height=1100)
        with page.expect_download() as export:
            sidebar.get_by_role("button", name="Markdown").click()
        exported = Path(export.value.path()).read_text(encoding="utf-8")
        assert "> The allocated social worker had supervision only every 10 weeks" in exported
        screenshot(page, tmp_path / f"answer-{layout}.png", answer.get_by_text("Sources"))

        markup_seconds = ask_question(page, "What did the message with call me say?")
        answer = page.get_by_test_id("stChatMessage").last
        expect(answer).to_contain_text('"<b>call me</b> or I will come round and make you"')
        expect(answer).to_contain_text("[click here](http://example.invalid)")
        assert answer.locator("b, a[href*='example.invalid'], img").count() == 0

        refusal_seconds = ask_question(page, "What is the recipe for banana bread?")
        refusal = page.locator(".rq-refusal").last
        expect(refusal).to_contain_text("Possibly related:")
        screenshot(page, tmp_path / f"refusal-{layout}.png", refusal, 1200)
        browser.close()
    print(
        f"\n[{layout} {WIDTHS[layout]} px] first paint {first_paint:.1f} s after start, "
        f"model ready {ready:.1f} s; Enter to answer shown: {seconds:.2f} s (supervision), "
        f"{markup_seconds:.2f} s (markup), {refusal_seconds:.2f} s (refusal); screenshots in {tmp_path}"
    )
