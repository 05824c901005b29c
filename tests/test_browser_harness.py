"""Tests of the headless-browser harness (tests/browser.py) itself, in real Chromium.

Needs Debian's chromium (scripts/install-browser) and the 'playwright' package;
without them these tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import socket
import socketserver
import threading
from pathlib import Path

import pytest

try:  # tests/ on sys.path (pytest's default rootdir-relative "prepend" import mode)
    from browser import Browser, chromium_path, find_chromium, is_network_url
except ImportError:  # tests/ is a package
    from tests.browser import Browser, chromium_path, find_chromium, is_network_url

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.browser  # registered in pyproject.toml


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; every open() gets a fresh isolated context."""
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def offline_browser():
    """Chromium that aborts (but records) every request that would leave the page's origin."""
    with Browser(block_network=True) as b:
        yield b


def write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def http_server(tmp_path):
    """python's http.server on an ephemeral loopback port serving tmp_path/site."""
    root = tmp_path / "site"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output clean
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield root, f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


CLEAN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>clean</title>
<style>body{font-family:sans-serif;background:#f4f7ff} h1{color:#1a4dab}
.box{width:200px;height:80px;background:#2ca02c;border-radius:8px}</style></head>
<body><h1>Offline page</h1><p id="p">rendered by headless Chromium</p>
<div class="box"></div>
<input id="name"><button id="go" onclick="
  document.getElementById('out').textContent = 'hello ' + document.getElementById('name').value
">go</button><p id="out"></p>
<script>document.title = 'clean ' + (1 + 1);</script>
</body></html>
"""


# --------------------------------------------------------------------- (a) clean page


def test_clean_offline_page_has_no_errors_and_no_network(offline_browser, tmp_path):
    report = offline_browser.open(write(tmp_path, "clean.html", CLEAN_PAGE))
    assert report.errors == []
    assert report.network_requests == []
    assert report.blocked == []
    assert report.requests and report.requests[0].startswith("file://")  # the page itself
    report.assert_clean()


def test_clean_page_without_blocking_too(browser, tmp_path):
    with browser.open(write(tmp_path, "clean.html", CLEAN_PAGE)) as report:
        report.assert_clean()
    assert report.page.is_closed()


# --------------------------------------------------------------------- (b) CDN script


CDN_PAGE = """<!doctype html><html><head>
<script src="https://cdn.example.invalid/x.js"></script>
<link rel="stylesheet" href="http://fonts.example.invalid/f.css">
</head><body><p>needs a CDN</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</body></html>
"""


def test_cdn_request_is_recorded_and_blocked(offline_browser, tmp_path):
    report = offline_browser.open(write(tmp_path, "cdn.html", CDN_PAGE))
    assert "https://cdn.example.invalid/x.js" in report.network_requests
    assert "http://fonts.example.invalid/f.css" in report.network_requests
    assert "https://cdn.example.invalid/x.js" in report.blocked
    assert any("cdn.example.invalid" in f and "BLOCKED" in f.upper() for f in report.failed)
    assert not any(u.startswith("data:") for u in report.network_requests)
    with pytest.raises(AssertionError, match="cdn.example.invalid"):
        report.assert_clean()


def test_cdn_request_is_recorded_without_blocking(browser, tmp_path):
    report = browser.open(write(tmp_path, "cdn.html", CDN_PAGE))
    assert "https://cdn.example.invalid/x.js" in report.network_requests
    assert report.blocked == []
    assert report.external_requests  # it did try to leave the machine
    # ...but Chromium resolves no name except localhost, so it fails without a DNS query
    assert any("ERR_NAME_NOT_RESOLVED" in f for f in report.failed), report.failed


def test_fetch_and_websocket_attempts_are_recorded_and_blocked(offline_browser, tmp_path):
    page = write(tmp_path, "dyn.html", """<!doctype html><body><script>
      window.done = false;
      fetch('https://api.example.invalid/data').catch(() => {}).finally(() => {
        const ws = new WebSocket('wss://ws.example.invalid/socket');
        ws.onclose = ws.onerror = () => { window.done = true; };
      });
    </script></body>""")
    report = offline_browser.open(page)
    report.wait_for("window.done === true", timeout=10)
    assert "https://api.example.invalid/data" in report.blocked
    assert "wss://ws.example.invalid/socket" in report.network_requests
    assert "wss://ws.example.invalid/socket" in report.blocked


# --------------------------------------------------------------------- (c) errors


def test_uncaught_exception_is_a_page_error(browser, tmp_path):
    page = write(tmp_path, "throws.html", """<!doctype html><body><script>
      function boom() { throw new Error('kaput from the page'); }
      boom();
    </script></body>""")
    report = browser.open(page)
    assert any("kaput from the page" in e for e in report.page_errors), report.page_errors
    assert any("kaput from the page" in e for e in report.errors)
    with pytest.raises(AssertionError, match="kaput"):
        report.assert_clean()


def test_console_error_and_late_errors_are_recorded(browser, tmp_path):
    page = write(tmp_path, "console.html", """<!doctype html><body><script>
      console.log('just a log');
      console.warn('just a warning');
      console.error('something went wrong', 42);
      setTimeout(() => Promise.reject(new Error('late rejection')), 50);
    </script></body>""")
    report = browser.open(page)
    report.wait(0.3)
    assert report.console_errors == ["something went wrong 42"]
    assert {m.level for m in report.console} >= {"log", "warning", "error"}
    assert any("late rejection" in e for e in report.page_errors), report.page_errors


# --------------------------------------------------------------------- (d) evaluate, screenshot


def test_evaluate_wait_for_type_click_and_screenshot(browser, tmp_path):
    report = browser.open(write(tmp_path, "clean.html", CLEAN_PAGE))
    assert report.evaluate("document.title") == "clean 2"
    assert report.evaluate("(x) => x * 21", 2) == 42
    assert report.evaluate("getComputedStyle(document.querySelector('.box')).width") == "200px"

    report.type_into("#name", "graph")
    report.click("#go")
    assert report.wait_for("document.getElementById('out').textContent") == "hello graph"
    assert report.text("#out") == "hello graph"

    with pytest.raises(TimeoutError, match="never"):
        report.wait_for("window.never === true", timeout=0.3)

    png = report.screenshot(tmp_path / "shots" / "clean.png")
    data = png.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 1000
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == browser.viewport
    report.assert_clean()


# --------------------------------------------------------------------- (e) localhost http


def test_localhost_http_page(http_server, offline_browser):
    root, base = http_server
    (root / "app.js").write_text("document.getElementById('s').textContent = 'js ran';")
    (root / "index.html").write_text("""<!doctype html><html><body>
      <p id="s">js did not run</p>
      <script src="/app.js"></script>
      <script src="https://cdn.example.invalid/lib.js"></script>
    </body></html>""")
    report = offline_browser.open(f"{base}/index.html")
    assert report.text("#s") == "js ran"  # own-origin asset was allowed through
    assert f"{base}/app.js" in report.network_requests
    assert report.external_requests == ["https://cdn.example.invalid/lib.js"]
    assert report.blocked == ["https://cdn.example.invalid/lib.js"]
    assert report.page_errors == []


def test_localhost_http_page_unblocked(http_server, browser):
    root, base = http_server
    (root / "index.html").write_text("<!doctype html><title>served</title><p>ok</p>")
    report = browser.open(f"{base}/")
    assert report.evaluate("document.title") == "served"
    assert report.external_requests == []
    report.wait(0.5)  # let Chromium's automatic /favicon.ico request 404 (not a page error)
    report.assert_clean(allow_network=True)


def test_navigation_error_raises(browser):
    with socket.socket() as s:  # a loopback port on which nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Exception, match="ERR_CONNECTION_REFUSED"):
        browser.open(f"http://127.0.0.1:{port}/")


class _HelloWebSocket(socketserver.BaseRequestHandler):
    """Minimal RFC 6455 server: handshake, send one text frame "hello", then wait."""

    def handle(self):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        key = next(line.split(b":", 1)[1].strip() for line in data.split(b"\r\n")
                   if line.lower().startswith(b"sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1(
            key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        self.request.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept
                             + b"\r\n\r\n")
        self.request.sendall(b"\x81\x05hello")
        self.request.settimeout(5)
        try:
            self.request.recv(1024)  # until the client closes (or 5 s)
        except OSError:
            pass


@pytest.fixture
def ws_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _HelloWebSocket)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"ws://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_allowed_localhost_websocket_passes_through_blocking(http_server, ws_server, tmp_path):
    """Like Neo4j Browser (page on :7474, Bolt WebSocket on :7687) with allow_hosts."""
    root, base = http_server
    (root / "index.html").write_text(f"""<!doctype html><body><script>
      window.got = null;
      const ws = new WebSocket({ws_server!r});
      ws.onmessage = (e) => {{ window.got = e.data; ws.close(); }};
      new WebSocket('ws://ws.example.invalid:7687/');
    </script></body>""")
    with Browser(block_network=True, allow_hosts=["localhost"]) as b:
        report = b.open(f"{base}/index.html")
        assert report.wait_for("window.got", timeout=10) == "hello"
        assert ws_server in report.network_requests
        assert report.blocked == ["ws://ws.example.invalid:7687/"]
        assert report.external_requests == ["ws://ws.example.invalid:7687/"]


# --------------------------------------------------------------------- lookup / CI behaviour


def test_chromium_is_found():
    path = chromium_path()
    assert Path(path).exists()


def test_is_network_url():
    assert not is_network_url("file:///tmp/x.html")
    assert not is_network_url("data:text/plain,hi")
    assert not is_network_url("blob:file:///abc")
    assert not is_network_url("about:blank")
    assert is_network_url("http://localhost:7474/browser/")
    assert is_network_url("wss://x.example.invalid/")


def test_missing_browser_skips_locally(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.delenv("CI", raising=False)
    assert find_chromium() is None
    with pytest.raises(pytest.skip.Exception, match="scripts/install-browser"):
        chromium_path()


def test_missing_browser_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        chromium_path()
    with pytest.raises(pytest.fail.Exception):
        Browser().start()
