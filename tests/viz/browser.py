"""Helpers to drive the offline pages in Debian's headless Chromium with Playwright.

The browser tests need the ``playwright`` Python package (``pip install playwright``;
its own browser download is never used) and a Chromium binary, by default Debian's
``/usr/bin/chromium`` (``apt-get install chromium``), or the one named by the
``TWINLAC_CHROMIUM`` environment variable. Without them the tests are skipped with
the reason, unless ``TWINLAC_REQUIRE_BROWSER=1`` is set, which turns the skip
into a failure (for CI, where both are installed).

Every page is served from a throw-away ``http.server`` bound to 127.0.0.1. All
requests go through ``page.route("**/*")``: the page itself is let through, every
other request is aborted and recorded, and the tests assert that there is none.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str):
    if os.environ.get("TWINLAC_REQUIRE_BROWSER", "").strip() not in ("", "0"):
        pytest.fail(f"TWINLAC_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The Chromium binary to drive, or skip (fail if TWINLAC_REQUIRE_BROWSER) when there is none."""
    path = os.environ.get("TWINLAC_CHROMIUM", DEFAULT_CHROMIUM)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _unavailable(f"no Chromium binary at {path} (apt-get install chromium, or set TWINLAC_CHROMIUM)")
    return path


@contextmanager
def launch_browser() -> Iterator[Any]:
    """A headless Chromium browser, or a skip with the reason it cannot start."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install playwright)")
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class PageProbe:
    """What one page did: console errors, uncaught exceptions, dialogs, other requests."""

    page: Any
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    other_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.other_requests == [], "the page tried to fetch something"
        assert self.console_errors == [], "console errors"
        assert self.page_errors == [], "uncaught exceptions"
        assert self.dialogs == [], "a dialog was opened (alert/confirm/prompt)"

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def wait_for(self, expression: str, arg: Any = None, *, timeout: float = 30.0) -> Any:
        """Poll `expression` until it is truthy.

        Not ``page.wait_for_function``: that evaluates a string predicate with
        ``eval`` in the page, which the page's Content-Security-Policy forbids.
        """
        deadline = time.monotonic() + timeout
        while True:
            value = self.page.evaluate(expression, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {timeout} s waiting for {expression}")
            time.sleep(0.05)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=False)
        return path


class PageServer:
    """Opens HTML documents in fresh, fully offline browser pages."""

    def __init__(self, browser: Any, directory: Path, base_url: str) -> None:
        self.browser = browser
        self.directory = directory
        self.base_url = base_url
        self._count = 0

    @contextmanager
    def open(self, html: str, *, ready: str | None = "window.twinlacNetwork && window.twinlacNetwork.ready",
             viewport: tuple[int, int] = (1400, 900)) -> Iterator[PageProbe]:
        self._count += 1
        name = f"page{self._count}.html"
        (self.directory / name).write_text(html, encoding="utf-8")
        url = f"{self.base_url}/{name}"
        context = self.browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        probe = PageProbe(page, url)

        def route(route_, request):
            if request.url == url:
                route_.continue_()
            else:
                probe.other_requests.append(request.url)
                route_.abort()

        def on_request(request):
            # Requests that never reach the router (e.g. refused by the page's
            # CSP) are still reported here.
            if request.url != url and request.url not in probe.other_requests:
                probe.other_requests.append(request.url)

        def on_dialog(dialog):
            probe.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.route("**/*", route)
        page.on("request", on_request)
        page.on("console", lambda m: m.type == "error" and probe.console_errors.append(m.text))
        page.on("pageerror", lambda e: probe.page_errors.append(str(e)))
        page.on("dialog", on_dialog)
        try:
            page.goto(url)
            if ready:
                probe.wait_for(ready)
            yield probe
        finally:
            context.close()


@contextmanager
def page_server(tmp_dir: Path) -> Iterator[PageServer]:
    with launch_browser() as browser, serve_directory(tmp_dir) as base_url:
        yield PageServer(browser, tmp_dir, base_url)

