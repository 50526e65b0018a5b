"""Browser fixtures: a live server, one headless Chromium, tabs that stay on 127.0.0.1."""

# Every test in this folder is marked `browser`. Without a Chromium the tests are
# skipped, unless COURSEHUB_REQUIRE_BROWSER=1 (CI), which makes that an error.

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.factories import PASSWORD

if TYPE_CHECKING:  # Playwright is imported where a browser runs, so a missing one skips
    from playwright.sync_api import BrowserContext, Page

SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
# Tabs log CSP violations to the console with this prefix; BrowserEvents collects them.
_CSP_PREFIX = "coursehub:csp-violation "
_REPORT_CSP_VIOLATIONS = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  console.warn({_CSP_PREFIX!r} + event.effectiveDirective + " " + (event.blockedURI || "inline"));
}});
"""
_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _no_browser(reason: str) -> None:
    """Skip, or fail where a browser is required (CI sets COURSEHUB_REQUIRE_BROWSER=1)."""
    if os.environ.get("COURSEHUB_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason} (COURSEHUB_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False
        )
    pytest.skip(reason)


def _executable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def _playwright_chromium() -> str | None:
    """The Chromium that `playwright install chromium` downloaded, if any."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:
        return None
    return path if _executable(path) else None


@pytest.fixture(scope="session")
def browser_path() -> str:
    """CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own Chromium."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if not _executable(configured):
            pytest.fail(f"CHROMIUM_PATH={configured!r} is not an executable file", pytrace=False)
        return configured
    if _executable(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    bundled = _playwright_chromium()
    if bundled:
        return bundled
    _no_browser(
        "no Chromium found: set CHROMIUM_PATH to a Chromium or Chrome executable, "
        f"install one at {SYSTEM_CHROMIUM} (apt-get install chromium), "
        "or run `playwright install chromium`"
    )


@pytest.fixture(scope="session")
def browser(browser_path: str):
    """One headless Chromium for the whole run; tests get fresh contexts from it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright for Python is not installed: pip install -e '.[test]'")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=browser_path, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        playwright.stop()
        _no_browser(f"Chromium at {browser_path} did not start: {error}")
    yield chromium
    chromium.close()
    playwright.stop()


class _QuietHandler(WSGIRequestHandler):
    """Logs only server errors: a page load is dozens of requests."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).startswith("5"):
            super().log_request(code, size)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served by a threaded WSGI server on a free port of 127.0.0.1.

    It uses the suite's test database, emptied before each test: commit what a test
    creates (the factories do) so the server's threads can read it. Yields the base URL.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class BrowserEvents:
    """What happened in one browser context, for tests to assert on."""

    dialogs: list[str] = field(default_factory=list)  # "alert: 1"
    console: list[str] = field(default_factory=list)  # "warning: text"
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    csp_violations: list[str] = field(default_factory=list)  # "script-src-elem inline"
    requests: list[str] = field(default_factory=list)  # every URL asked for, in order
    refused: list[str] = field(default_factory=list)  # URLs off the live server, aborted
    popups: list[str] = field(default_factory=list)  # pages opened by the content

    def clear(self) -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).clear()


@dataclass
class Tab:
    """A page in a context of its own, with what happened in it."""

    page: "Page"
    context: "BrowserContext"
    events: BrowserEvents
    base_url: str
    strip_csp: bool


def _keep_local(base_url: str, events: BrowserEvents, strip_csp: bool):
    """A route handler: the live server's requests go through, everything else is aborted.

    With strip_csp, documents are fetched and handed to the page without their
    Content-Security-Policy header, to test what the markup alone allows.
    """
    origin = urlsplit(base_url)

    def route(route, request) -> None:
        parts = urlsplit(request.url)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            events.refused.append(request.url)
            route.abort("blockedbyclient")
        elif strip_csp and request.resource_type == "document":
            response = route.fetch(max_redirects=0)
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() != "content-security-policy"
            }
            route.fulfill(response=response, headers=headers)
        else:
            route.continue_()

    return route


def _watch(context, events: BrowserEvents) -> None:
    def on_dialog(dialog) -> None:
        events.dialogs.append(f"{dialog.type}: {dialog.message}")
        try:
            dialog.dismiss()
        except Exception:  # the page went away meanwhile
            pass

    def on_console(message) -> None:
        if message.text.startswith(_CSP_PREFIX):
            events.csp_violations.append(message.text.removeprefix(_CSP_PREFIX))
        else:
            events.console.append(f"{message.type}: {message.text}")

    context.on("dialog", on_dialog)
    context.on("console", on_console)
    context.on("weberror", lambda error: events.page_errors.append(str(error.error)))
    context.on("request", lambda request: events.requests.append(request.url))
    context.add_init_script(script=_REPORT_CSP_VIOLATIONS)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_response(
        lambda response: (
            response.request.method == "POST" and urlsplit(response.url).path == "/accounts/login"
        )
    ) as posted:
        page.locator("main form").get_by_role("button", name="Sign in").click()
    if posted.value.status != 302:
        page.wait_for_load_state()
        text = " ".join(page.locator("main").inner_text().split())
        pytest.fail(f"signing in as {username!r} failed: {text}", pytrace=False)
    page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/login")


@pytest.fixture
def open_tab(browser, live_server: str) -> Iterator[Callable[..., Tab]]:
    """open_tab(username=None, password=PASSWORD, *, strip_csp=False) -> Tab.

    Each call opens a fresh context (its own cookies), signed in as `username` when
    given. Requests off the live server are aborted and listed in `tab.events.refused`.
    """
    contexts = []

    def open_(
        username: str | None = None, password: str = PASSWORD, *, strip_csp: bool = False
    ) -> Tab:
        context = browser.new_context(
            base_url=live_server, viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        events = BrowserEvents()
        _watch(context, events)
        context.route("**/*", _keep_local(live_server, events, strip_csp))
        page = context.new_page()
        context.on("page", lambda popup: events.popups.append(popup.url or "about:blank"))
        if username is not None:
            sign_in(page, username, password)
        return Tab(page, context, events, live_server, strip_csp)

    yield open_
    for context in contexts:
        context.unroute_all(behavior="ignoreErrors")
        context.close()


@pytest.fixture
def page(open_tab):
    """A Playwright page of an anonymous visitor; page.goto("/path") is on the live server."""
    return open_tab().page


@pytest.fixture
def signed_in_page(open_tab) -> Callable[..., "Page"]:
    """signed_in_page(username, password=PASSWORD, *, strip_csp=False) -> a signed-in page."""

    def open_(username: str, password: str = PASSWORD, *, strip_csp: bool = False):
        return open_tab(username, password, strip_csp=strip_csp).page

    return open_
