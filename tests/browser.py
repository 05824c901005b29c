"""Check HTML pages in a real headless browser (Debian's Chromium) from pytest.

This is a helper module for tests, not a test file. It drives ``/usr/bin/chromium``
(installed by ``scripts/install-browser``) through the ``playwright`` Python package.
Playwright is only the driver here: it is never asked to download a browser
(``playwright install`` cannot work on this project's closed network).

Typical use::

    from browser import Browser          # tests/ is on sys.path under pytest

    def test_page_is_clean(tmp_path):
        page = tmp_path / "index.html"
        page.write_text("<h1>hello</h1>")
        with Browser(block_network=True) as browser:
            report = browser.open(page)
            assert report.errors == []               # console errors + uncaught exceptions
            assert report.network_requests == []     # nothing but file:/data:/blob:/about:
            assert report.evaluate("document.querySelector('h1').textContent") == "hello"
            report.screenshot(tmp_path / "page.png")

Missing browser or driver: ``require_browser()`` (called by ``Browser``) skips the
test with an instruction to run ``scripts/install-browser``; when the environment
variable ``CI`` is ``true`` it fails the test instead, so CI can never go green by
skipping every browser test.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CHROMIUM_FLAGS",
    "DEFAULT_RESOLVE_HOSTS",
    "PLAYWRIGHT_REQUIREMENT",
    "LOCAL_SCHEMES",
    "LOOPBACK_HOSTS",
    "Browser",
    "ConsoleMessage",
    "PageReport",
    "chromium_path",
    "find_chromium",
    "is_network_url",
    "require_browser",
]

#: Flags Chromium needs on this machine. ``--headless`` is added by Playwright itself
#: (``headless=True``) and so is a fresh, empty, temporary ``--user-data-dir`` for every
#: ``Browser`` (Playwright refuses a ``--user-data-dir`` in ``args``). Without the
#: background-networking flags Chromium keeps trying to reach Google's hosts, which
#: the closed network refuses.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
)

#: Host names Chromium may resolve by default; every other name fails at once with
#: net::ERR_NAME_NOT_RESOLVED and *no DNS query is sent* (Chromium otherwise looks up
#: accounts.google.com and update.googleapis.com at every start, even with the flags
#: above). The rules apply to IP literals too, hence the loopback addresses here.
DEFAULT_RESOLVE_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "[::1]")

#: URL schemes that never touch the network; anything else counts as a network request.
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about", "chrome-error", "devtools"})

#: Hosts that are this machine.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

#: The playwright (PyPI) versions this harness was tested with against Chromium 156.
PLAYWRIGHT_MIN = "1.65.0"
PLAYWRIGHT_REQUIREMENT = f">={PLAYWRIGHT_MIN},<2"

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_INSTALL_HINT = "run scripts/install-browser (installs Debian's chromium via apt-get)"


# --------------------------------------------------------------------------- lookup


def find_chromium() -> str | None:
    """Return the path of a Chromium binary, or None. No pytest side effects.

    ``$CHROMIUM_PATH`` wins if set; otherwise ``chromium`` (Debian's package) and a
    few other names are looked up on ``$PATH``, then ``/usr/bin/chromium``.
    """
    env = os.environ.get("CHROMIUM_PATH")
    if env:
        return env if os.access(env, os.X_OK) else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str, hint: str = _INSTALL_HINT) -> None:
    """Skip locally; fail under CI=true (browser tests must not silently vanish in CI)."""
    import pytest

    if _in_ci():
        pytest.fail(f"browser tests cannot run: {reason}; {hint} (CI=true, so this is a failure)",
                    pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}; {hint}")


def chromium_path() -> str:
    """Path of the Chromium binary, for use inside a test or fixture.

    Skips the calling test when Chromium is missing (failing it instead under
    ``CI=true``), with an instruction to run ``scripts/install-browser``.
    """
    path = find_chromium()
    if path is None:
        _unavailable("no chromium binary found (looked for $CHROMIUM_PATH, "
                     + ", ".join(_CANDIDATES) + ", /usr/bin/chromium)")
    return path  # type: ignore[return-value]


def require_browser() -> str:
    """Check both Chromium and the ``playwright`` package; return Chromium's path.

    Skips (locally) or fails (``CI=true``) the calling test if either is missing.
    """
    path = chromium_path()
    hint = (f"pip install 'playwright{PLAYWRIGHT_REQUIREMENT}' (and do NOT run "
            "'playwright install': the browser is Debian's chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed", hint)
    from importlib.metadata import version

    installed = version("playwright")
    if _version_tuple(installed) < _version_tuple(PLAYWRIGHT_MIN):
        _unavailable(f"playwright {installed} is too old for Debian's current chromium "
                     f"(1.49.1 hangs closing a blocked WebSocket)", hint)
    return path


def _version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in v.split(".")[:3])


# --------------------------------------------------------------------------- report


@dataclass
class ConsoleMessage:
    """One ``console.*`` call (or browser-generated console line) in the page."""

    level: str  # "error", "warning", "log", "info", "debug", ...
    text: str
    location: str = ""  # "url:line:column" when Chromium knows it

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"[{self.level}] {self.text}{where}"


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_network_url(url: str) -> bool:
    """True if loading ``url`` would touch the network (scheme not file/data/blob/about)."""
    return _scheme(url) not in LOCAL_SCHEMES


@dataclass
class PageReport:
    """What happened while a page was open, plus handles to act on it.

    The lists keep filling while the page stays open (e.g. after ``click``);
    read them after the action you care about. ``page`` is the underlying
    Playwright ``Page`` for anything this small API does not cover.
    """

    url: str
    page: Any = field(repr=False)
    timeout: float = 15.0
    #: every console message, all levels, in order
    console: list[ConsoleMessage] = field(default_factory=list)
    #: uncaught exceptions / unhandled rejections in the page ("pageerror")
    page_errors: list[str] = field(default_factory=list)
    #: URL of every request the page made (all schemes, including the page itself),
    #: plus every WebSocket it opened, in order
    requests: list[str] = field(default_factory=list)
    #: requests aborted by ``block_network`` (they are also in ``requests``)
    blocked: list[str] = field(default_factory=list)
    #: "url: reason" for every request that failed (blocked ones included)
    failed: list[str] = field(default_factory=list)

    # -- derived views -------------------------------------------------------

    @property
    def console_errors(self) -> list[str]:
        """Text of console messages with level ``error``.

        Ignored (still in ``console``): the 404 of the browser's own automatic
        ``/favicon.ico`` request for http pages, which is no fault of the page.
        """
        return [m.text for m in self.console if m.level == "error" and not _is_favicon_miss(m)]

    @property
    def errors(self) -> list[str]:
        """Console errors followed by uncaught page errors; empty for a clean page."""
        return self.console_errors + self.page_errors

    @property
    def network_requests(self) -> list[str]:
        """Requests whose scheme is not file:/data:/blob:/about: (attempted, even if blocked).

        For a page opened over http this includes the page itself and its own
        assets; see ``external_requests`` for "left this machine".
        """
        return [u for u in self.requests if is_network_url(u)]

    @property
    def external_requests(self) -> list[str]:
        """Network requests to any host other than localhost/127.0.0.1/::1."""
        return [u for u in self.network_requests if _host(u) not in LOOPBACK_HOSTS]

    def assert_clean(self, *, allow_network: bool = False) -> None:
        """Fail with a readable summary if the page logged errors or used the network."""
        problems = [f"error: {e}" for e in self.errors]
        if not allow_network:
            problems += [f"network request: {u}" for u in self.network_requests]
        assert not problems, f"page {self.url} is not clean:\n  " + "\n  ".join(problems)

    # -- acting on the page --------------------------------------------------

    def evaluate(self, js: str, arg: Any = None) -> Any:
        """Evaluate a JS expression (``"document.title"``) or function
        (``"(x) => x * 2"``, given ``arg``) in the page; returns the JSON-able result."""
        return self.page.evaluate(js, arg)

    def wait_for(self, js_predicate: str, timeout: float | None = None, arg: Any = None) -> Any:
        """Wait until a JS expression/function is truthy; return its value.

        ``timeout`` is in seconds (default: the browser's timeout). Raises
        ``TimeoutError`` with the predicate and the page's errors on timeout.
        Pages whose Content-Security-Policy forbids eval (the offline maps do)
        cannot run a predicate: wait for a selector on ``page`` instead.
        """
        from playwright.sync_api import TimeoutError as PWTimeout

        secs = self.timeout if timeout is None else timeout
        try:
            handle = self.page.wait_for_function(js_predicate, arg=arg, timeout=secs * 1000)
            return handle.json_value()
        except PWTimeout:
            raise TimeoutError(
                f"{js_predicate!r} not true after {secs}s on {self.url}; errors: {self.errors}"
            ) from None

    def wait(self, seconds: float) -> None:
        """Let the page run for a while (and deliver pending events to this report)."""
        self.page.wait_for_timeout(seconds * 1000)

    def click(self, selector: str) -> None:
        """Click the element matching a CSS (or Playwright) selector; waits for it."""
        self.page.click(selector, timeout=self.timeout * 1000)

    def type_into(self, selector: str, text: str, *, clear: bool = True) -> None:
        """Type ``text`` into an input/textarea/contenteditable as a user would
        (real key events). ``clear=True`` empties a fillable field first."""
        loc = self.page.locator(selector).first
        loc.wait_for(timeout=self.timeout * 1000)
        if clear:
            try:
                loc.fill("", timeout=self.timeout * 1000)
            except Exception:  # not fillable (e.g. a CodeMirror div): just type
                pass
        loc.press_sequentially(text, timeout=self.timeout * 1000)

    def press(self, selector: str, key: str) -> None:
        """Press a key (``"Enter"``, ``"Control+Enter"``) in the matching element."""
        self.page.press(selector, key, timeout=self.timeout * 1000)

    def text(self, selector: str = "body") -> str:
        """Visible text (innerText) of the first matching element."""
        return self.page.locator(selector).first.inner_text(timeout=self.timeout * 1000)

    def screenshot(self, path: str | os.PathLike, *, full_page: bool = False) -> Path:
        """Save a PNG of the page (viewport, or the whole page) and return its path."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(out), full_page=full_page, timeout=self.timeout * 1000)
        return out

    def __enter__(self) -> PageReport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close this page and its browser context (Browser.close does it too;
        ``with browser.open(...) as report:`` does it at the end of the block)."""
        try:
            self.page.context.close()
        except Exception:
            pass


# --------------------------------------------------------------------------- browser

# Playwright's sync API allows one running driver per thread, so all Browser objects
# share one, started by the first and stopped when the last one closes.
_driver: Any = None
_driver_users = 0


def _driver_acquire() -> Any:
    global _driver, _driver_users
    if _driver is None:
        from playwright.sync_api import sync_playwright

        _driver = sync_playwright().start()
    _driver_users += 1
    return _driver


def _driver_release() -> None:
    global _driver, _driver_users
    _driver_users -= 1
    if _driver_users <= 0 and _driver is not None:
        driver, _driver, _driver_users = _driver, None, 0
        driver.stop()


def _to_url(target: str | os.PathLike) -> str:
    """A URL is passed through; anything else is a local file path -> file:// URL."""
    if not isinstance(target, os.PathLike):
        text = str(target)
        if "://" in text or _scheme(text) in {"data", "about", "blob"}:
            return text
    path = Path(target).resolve()
    if not path.exists():
        raise FileNotFoundError(f"no such page: {path}")
    return path.as_uri()


class Browser:
    """A headless Debian Chromium, driven by Playwright; a context manager.

    ``Browser()`` launches lazily on first ``open`` (or ``start``); ``close`` (or leaving
    the ``with`` block) shuts everything down and removes the temporary profile.
    Each ``open`` gets a fresh, isolated browser context (no shared cookies/storage),
    so one ``Browser`` can be shared by many tests (e.g. a module-scoped fixture).

    ``block_network=True`` aborts every request whose scheme is not
    file:/data:/blob:/about: -- except to the opened page's own origin (so an
    http://localhost page still loads its own assets) and to ``allow_hosts`` --
    while still recording it in ``PageReport.requests`` / ``.blocked``, so a test can
    assert that nothing was even attempted. WebSockets are blocked by the same rule
    and service workers are disabled so nothing escapes the interception.

    ``allow_hosts`` entries are a host (``"localhost"``: any port) or ``host:port``.
    For Neo4j Browser use ``Browser(block_network=True, allow_hosts=["localhost"])``
    so its Bolt WebSocket (ws://localhost:7687) is let through too.

    Independently of blocking, Chromium resolves only ``resolve_hosts`` (default:
    localhost, 127.0.0.1, [::1]): other names and addresses fail at once with
    ERR_NAME_NOT_RESOLVED, and no DNS query leaves the machine. Pass
    ``resolve_hosts=None`` to use the system resolver.
    ``executable`` overrides the Chromium binary, ``extra_args`` adds flags,
    ``timeout`` (seconds) applies to navigation, waits and actions.
    """

    def __init__(
        self,
        *,
        block_network: bool = False,
        allow_hosts: Iterable[str] = (),
        viewport: tuple[int, int] = (1280, 800),
        timeout: float = 15.0,
        executable: str | None = None,
        extra_args: Iterable[str] = (),
        resolve_hosts: Iterable[str] | None = DEFAULT_RESOLVE_HOSTS,
    ) -> None:
        self.block_network = block_network
        self.allow_hosts = {h.lower() for h in allow_hosts}
        self.viewport = viewport
        self.timeout = timeout
        self.executable = executable
        self.extra_args = list(extra_args)
        if resolve_hosts is not None:  # None: use the system resolver for every name
            rules = ", ".join(["MAP * ~NOTFOUND", *(f"EXCLUDE {h}" for h in resolve_hosts)])
            self.extra_args.insert(0, f"--host-resolver-rules={rules}")
        self.launch_seconds: float | None = None  # measured by start()
        self._pw = None  # the shared Playwright driver while this Browser holds it
        self._browser = None
        self._reports: list[PageReport] = []

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> Browser:
        """Launch Chromium now (idempotent). Skips/fails the test if it is missing."""
        if self._browser is not None:
            return self
        exe = self.executable or require_browser()
        t0 = time.monotonic()
        self._pw = _driver_acquire()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=exe,
                headless=True,
                args=[*CHROMIUM_FLAGS, *self.extra_args],
                timeout=60_000,
            )
        except Exception:
            self._pw = None
            _driver_release()
            raise
        self.launch_seconds = time.monotonic() - t0
        return self

    @property
    def version(self) -> str:
        """Chromium's version string, e.g. ``156.0.8078.108``."""
        return self.start()._browser.version  # type: ignore[union-attr]

    def close(self) -> None:
        for report in self._reports:
            report.close()
        self._reports.clear()
        if self._browser is not None:
            try:
                self._browser.close()
            finally:
                self._browser = None
        if self._pw is not None:
            self._pw = None
            _driver_release()

    def __enter__(self) -> Browser:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pages ----------------------------------------------------------------

    def open(
        self,
        target: str | os.PathLike,
        *,
        block_network: bool | None = None,
        wait_until: str = "load",
    ) -> PageReport:
        """Open a URL (``http://...``, ``file://...``, ``data:...``) or a local file path.

        Waits for the ``load`` event (``wait_until`` may be "domcontentloaded",
        "load", "networkidle" or "commit") and returns a live ``PageReport``.
        ``block_network`` overrides the browser-wide setting for this page.
        Navigation errors (e.g. connection refused) raise.
        """
        self.start()
        url = _to_url(target)
        block = self.block_network if block_network is None else block_network
        allowed = set(self.allow_hosts)
        if is_network_url(url):
            allowed.add(urlsplit(url).netloc.lower())  # the page's own host:port

        context = self._browser.new_context(  # type: ignore[union-attr]
            viewport={"width": self.viewport[0], "height": self.viewport[1]},
            service_workers="block" if block else "allow",
        )
        context.set_default_timeout(self.timeout * 1000)
        page = context.new_page()
        report = PageReport(url=url, page=page, timeout=self.timeout)
        self._reports.append(report)

        def permitted(req_url: str) -> bool:
            if not is_network_url(req_url):
                return True
            parts = urlsplit(req_url)
            return parts.netloc.lower() in allowed or (parts.hostname or "").lower() in allowed

        # recording (context-level: also catches popups and workers)
        context.on("request", lambda req: report.requests.append(req.url))
        context.on("requestfailed",
                   lambda req: report.failed.append(f"{req.url}: {req.failure}"))
        page.on("console", lambda msg: report.console.append(ConsoleMessage(
            level=msg.type, text=msg.text, location=_location(msg))))
        page.on("pageerror", lambda err: report.page_errors.append(_error_text(err)))
        if not block:  # (routed WebSockets fire no "websocket" event; recorded below)
            page.on("websocket", lambda ws: report.requests.append(ws.url))

        if block:
            def route(r: Any) -> None:
                if permitted(r.request.url):
                    r.fallback()  # let it through (or to a route the test added later)
                else:
                    report.blocked.append(r.request.url)
                    r.abort("blockedbyclient")

            def ws_route(ws: Any) -> None:
                report.requests.append(ws.url)
                if permitted(ws.url):
                    ws.connect_to_server()
                else:
                    report.blocked.append(ws.url)
                    ws.close(code=1008, reason="blocked by test harness")

            context.route("**/*", route)
            context.route_web_socket("**/*", ws_route)

        page.goto(url, wait_until=wait_until, timeout=self.timeout * 1000)
        return report


def _is_favicon_miss(m: ConsoleMessage) -> bool:
    url = m.location.rsplit(":", 2)[0] if m.location else ""
    return urlsplit(url).path == "/favicon.ico" and m.text.startswith("Failed to load resource")


def _location(msg: Any) -> str:
    try:
        loc = msg.location or {}
    except Exception:
        return ""
    if not loc or not loc.get("url"):
        return ""
    return f"{loc.get('url')}:{loc.get('lineNumber', 0)}:{loc.get('columnNumber', 0)}"


def _error_text(err: Any) -> str:
    name = getattr(err, "name", "") or ""
    message = getattr(err, "message", None) or str(err)
    return f"{name}: {message}" if name and not message.startswith(name) else message
