"""A local evidence website on 127.0.0.1 for the OIT checker tests and benchmark.

Nothing here touches any other address: names are resolved by :func:`local_resolver`, which
knows only the names listed in it and otherwise accepts numeric hosts alone (no DNS).
"""

from __future__ import annotations

import socket
import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from itadesk.oit import safety

GOOD_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>โครงสร้างหน่วยงาน</title>
<script>var hidden = "ของขวัญ 2599";</script><style>.x{}</style></head>
<body><h1>แผนผังโครงสร้างองค์กร</h1><p>อัตรากำลัง ประจำปีงบประมาณ พ.ศ. ๒๕๖๘</p></body></html>"""
NO_KEYWORDS_HTML = """<html><body><p>ยินดีต้อนรับ ปีงบประมาณ 2568</p></body></html>"""
OLD_YEAR_HTML = """<html><body><h1>แผนยุทธศาสตร์การพัฒนา</h1><p>ปีงบประมาณ พ.ศ. 2566</p></body></html>"""
CE_ONLY_HTML = """<html><body><h1>แผนยุทธศาสตร์</h1><p>Strategic plan 2025</p></body></html>"""
TIS620_HTML = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=tis-620"></head>'
               '<body>ข่าวประชาสัมพันธ์ ปีงบประมาณ 2568</body></html>').encode("cp874")


@cache
def typst_pdf(text: str) -> bytes:
    """A one-line PDF in Sarabun (Thai), made by Typst; pypdf extracts it."""
    import fontpkg_sarabun
    import typst

    source = f'#set text(font: "Sarabun", lang: "th")\n{text}'
    return typst.compile(source.encode("utf-8"), font_paths=[str(fontpkg_sarabun.ROOT / "files")],
                         ignore_system_fonts=True)


class EvidenceSite:
    """ThreadingHTTPServer on 127.0.0.1 with the routes the tests need; records every request."""

    def __init__(self, big_bytes: int = 200_000, slow_seconds: float = 3.0) -> None:
        self.requests: list[tuple[str, str, str]] = []   # (path, host header, user agent)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                site.requests.append((self.path, self.headers.get("Host", ""), self.headers.get("User-Agent", "")))
                site.route(self)

        self.big_bytes = big_bytes
        self.slow_seconds = slow_seconds
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> EvidenceSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- routes --------------------------------------------------------------------------

    def route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        if path == "/good.html" or path.startswith("/page/"):
            return self.send(h, 200, GOOD_HTML.encode(), "text/html; charset=utf-8")
        if path == "/no-keywords.html":
            return self.send(h, 200, NO_KEYWORDS_HTML.encode(), "text/html; charset=utf-8")
        if path == "/old-year.html":
            return self.send(h, 200, OLD_YEAR_HTML.encode(), "text/html; charset=utf-8")
        if path == "/ce-only.html":
            return self.send(h, 200, CE_ONLY_HTML.encode(), "text/html; charset=utf-8")
        if path == "/tis620.html":
            return self.send(h, 200, TIS620_HTML, "text/html")
        if path == "/plan-2568.pdf":
            return self.send(h, 200, typst_pdf("มาตรการส่งเสริมคุณธรรม ปีงบประมาณ พ.ศ. ๒๕๖๘"), "application/pdf")
        if path == "/plan-2566.pdf":
            return self.send(h, 200, typst_pdf("มาตรการส่งเสริมคุณธรรม ปีงบประมาณ พ.ศ. 2566"), "application/pdf")
        if path == "/scan.pdf":  # a PDF with no text at all (like a scan)
            return self.send(h, 200, typst_pdf("#rect(width: 2cm, height: 1cm)"), "application/pdf")
        if path == "/image.png":
            return self.send(h, 200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        if path == "/same-site-redirect":
            return self.redirect(h, 301, "/good.html")
        if path == "/away":  # the agency's link leads to another site
            return self.redirect(h, 302, self.url("/good.html", host="localhost"))
        if path == "/to-private":
            return self.redirect(h, 302, "http://10.0.0.1/secret")
        if path == "/to-metadata":
            return self.redirect(h, 302, "http://169.254.169.254/latest/meta-data/")
        if path == "/to-ipv6-loopback":
            return self.redirect(h, 302, f"http://[::1]:{self.port}/good.html")
        if path == "/to-mapped":
            return self.redirect(h, 302, "http://[::ffff:192.168.1.1]/")
        if path == "/to-ftp":
            return self.redirect(h, 302, "ftp://127.0.0.1/file")
        if path == "/loop":
            return self.redirect(h, 302, "/loop")
        if path == "/slow":
            time.sleep(self.slow_seconds)
            return self.send(h, 200, GOOD_HTML.encode(), "text/html; charset=utf-8")
        if path == "/big-declared.pdf":
            h.send_response(200)
            h.send_header("Content-Type", "application/pdf")
            h.send_header("Content-Length", str(self.big_bytes))
            h.end_headers()
            try:
                h.wfile.write(b"%PDF-1.4\n" + b"0" * (self.big_bytes - 9))
            except OSError:
                pass
            return
        if path == "/big-stream.pdf":  # no Content-Length: the checker must stop on its own
            h.send_response(200)
            h.send_header("Content-Type", "application/pdf")
            h.send_header("Connection", "close")
            h.end_headers()
            h.close_connection = True
            try:
                h.wfile.write(b"%PDF-1.4\n")
                for _ in range(self.big_bytes // 8192 + 1):
                    h.wfile.write(b"0" * 8192)
            except OSError:
                pass
            return
        return self.send(h, 404, b"<html><body>not found</body></html>", "text/html")

    @staticmethod
    def send(h, status: int, body: bytes, ctype: str) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    @staticmethod
    def redirect(h, status: int, location: str) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()


def local_resolver(names: dict[str, list[str]] | None = None):
    """Resolver for tests: listed names only; numeric hosts parsed without DNS; anything else fails."""
    names = {"localhost": ["127.0.0.1"], **(names or {})}

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            value = names[host]
            return list(value() if callable(value) else value)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [i[4][0] for i in infos]

    return resolve


@pytest.fixture(autouse=True)
def no_dns():
    """Import into a test module: no real name lookups there, only the fake resolver."""
    safety.set_resolver(local_resolver())
    yield
    safety.set_resolver(None)


@pytest.fixture
def attempts(monkeypatch):
    """Every address the HTTP stack really tried to connect to."""
    seen: list[str] = []
    original = httpcore.AnyIOBackend.connect_tcp

    async def spy(self, host, port, *args, **kwargs):
        seen.append(host)
        return await original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", spy)
    return seen
