"""Check every evidence URL the way an NACC consultant would open it, politely and safely.

For each URL: follow redirects one hop at a time (each hop recorded and checked by
:mod:`itadesk.oit.safety` before any connection), stop downloading at ``max_bytes``, extract
the text of HTML (standard-library ``html.parser``; scripts and styles dropped, nothing is
executed) and PDF (pypdf, in a thread, at most ``max_pdf_pages`` pages), then look for the
item's keywords and the fiscal year. Concurrency is bounded overall and per host, and each
host gets at most ``per_host_rate`` requests per second. Proxies from the environment are
ignored (``trust_env=False``) so nothing bypasses the address checks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import logging
import re
import time
import zlib
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import cast
from urllib.parse import urljoin, urlsplit

import httpx

from itadesk import limits
from itadesk.criteria import Criteria
from itadesk.oit.evidence import EvidenceRegister
from itadesk.oit.safety import NetworkPolicy, SafeNetworkBackend, UnsafeURL, check_url, parse_ip
from itadesk.thai import ce_year, to_arabic_digits

log = logging.getLogger("itadesk.oit")

REDIRECT_STATUSES = {301, 302, 303, 307, 308}

# outcome of one URL
OK = "ok"                      # 2xx and the body was read
HTTP_ERROR = "http_error"      # 4xx / 5xx
TIMEOUT = "timeout"
CONNECT_ERROR = "connect_error"
REFUSED = "refused"            # the safety policy refused this URL or a redirect hop
TOO_LARGE = "too_large"        # larger than max_bytes: content not checked
TOO_MANY_REDIRECTS = "too_many_redirects"
ERROR = "error"                # anything else (bad response, TLS failure …)
INLINE_PARSE_BYTES = 64 * 1024
DEAD_OUTCOMES = {HTTP_ERROR, TIMEOUT, CONNECT_ERROR, TOO_MANY_REDIRECTS, ERROR}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("itadesk")
    except Exception:  # pragma: no cover - not installed
        return "0"


@dataclass(frozen=True)
class CheckSettings:
    concurrency: int = 16                 # URLs in flight overall
    per_host_concurrency: int = 4         # requests in flight per host
    per_host_rate: float = 5.0            # requests per second per host (0 = unlimited)
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0           # one URL, all hops and the download
    max_bytes: int = limits.OIT_PAGE_BYTES
    max_redirects: int = 5
    max_pdf_pages: int = 60
    max_text_chars: int = 1_000_000
    verify_tls: bool = True
    policy: NetworkPolicy = field(default_factory=NetworkPolicy)
    contact: str | None = None            # shown in the User-Agent; default: the agency website

    def user_agent(self, website: str | None = None) -> str:
        contact = self.contact or website or "itadesk"
        return f"itadesk-oit-check/{_version()} (+{contact})"


@dataclass
class Hop:
    url: str
    status: int | None
    location: str | None = None


@dataclass
class UrlCheck:
    code: str
    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    redirects: list[Hop] = field(default_factory=list)
    on_main_domain: bool | None = None     # final URL on the agency's registrable domain
    url_on_main_domain: bool | None = None  # the URL as the agency gave it
    content_type: str | None = None
    kind: str | None = None                # html / pdf / text / other
    size: int = 0
    text_chars: int = 0
    keywords_found: list[str] = field(default_factory=list)
    keywords_missing: list[str] = field(default_factory=list)
    year_match: str | None = None          # "be" (พ.ศ./ปีงบประมาณ), "ce" (ค.ศ. only) or None
    years_found: list[int] = field(default_factory=list)
    detail: str = ""
    elapsed: float = 0.0
    checked_at: str = ""

    @property
    def dead(self) -> bool:
        return self.outcome in DEAD_OUTCOMES

    @property
    def reachable(self) -> bool:
        return self.outcome in (OK, TOO_LARGE)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> UrlCheck:
        data = dict(data)
        data["redirects"] = [Hop(**h) for h in data.get("redirects", [])]
        return cls(**data)


# --- domains -------------------------------------------------------------------------------

_SECOND_LEVEL = {"go", "ac", "co", "or", "in", "mi", "net", "com", "org", "gov", "edu", "nic", "ne", "gob"}


def _ascii_host(host: str) -> str:
    host = host.lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def registrable_domain(host: str) -> str:
    """``www.x.go.th`` → ``x.go.th``; ``a.b.example.com`` → ``example.com``; IPs stay as they are.

    A small built-in rule (two-letter country code under a known second level such as go.th,
    ac.th, co.uk) rather than the full public suffix list: enough for agency websites.
    """
    host = _ascii_host(host)
    if not host or parse_ip(host) is not None:
        return host
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url: str, website: str) -> bool:
    """Whether ``url`` is on the agency's main website (same registrable domain; any port)."""
    try:
        a, b = urlsplit(url).hostname, urlsplit(website if "//" in website else f"//{website}").hostname
    except ValueError:
        return False
    return bool(a and b) and registrable_domain(a or "") == registrable_domain(b or "")


# --- text ----------------------------------------------------------------------------------

class _TextParser(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(body: bytes, header_charset: str | None) -> str:
    """Decode with the header charset, else <meta charset>, else UTF-8, else Thai Windows-874."""
    candidates = [header_charset]
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates += ["utf-8", "cp874"]
    for name in candidates:
        if not name:
            continue
        name = {"tis-620": "cp874", "tis620": "cp874", "windows-874": "cp874", "x-windows-874": "cp874"}.get(
            name.lower(), name)
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def html_text(body: bytes, charset: str | None = None) -> str:
    parser = _TextParser()
    try:
        parser.feed(decode_html(body, charset))
        parser.close()
    except Exception:  # html.parser is lenient; a pathological page just yields less text
        pass
    return " ".join(parser.title) + "\n" + "".join(parser.parts)


def pdf_text(body: bytes, max_pages: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    parts = []
    for page in reader.pages[:max_pages]:
        try:
            parts.append(page.extract_text() or "")
        except Exception:  # one damaged page must not hide the others
            continue
    return "\n".join(parts)


_SPACE = re.compile(r"[\s\x00-\x1f\x7f\u200b\u200c\u200d\ufeff]+")


def _squeeze(text: str) -> str:
    """Text for matching: no whitespace or zero-width characters (PDF text breaks Thai words), casefolded."""
    return _SPACE.sub("", text).casefold()


def find_keywords(text: str, keywords: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    squeezed = _squeeze(text)
    found = [k for k in keywords if _squeeze(k) in squeezed]
    return found, [k for k in keywords if k not in found]


def find_fiscal_year(text: str, fiscal_year: int) -> tuple[str | None, list[int]]:
    """('be' | 'ce' | None, Buddhist-era years mentioned). Thai and Arabic digits alike.

    'be': the BE year (2568, ๒๕๖๘, พ.ศ. 2568, ปีงบประมาณ 2568) or its short form after
    ปีงบประมาณ/ปีงบ/พ.ศ. (ปีงบประมาณ 68). 'ce': only the Christian-era year (2025), weaker.
    """
    arabic = to_arabic_digits(text)
    years = sorted({int(y) for y in re.findall(r"(?<!\d)(25[4-9]\d)(?!\d)", arabic)})
    if re.search(rf"(?<!\d){fiscal_year}(?!\d)", arabic):
        return "be", years
    short = f"{fiscal_year % 100:02d}"
    if re.search(rf"(?:ปีงบประมาณ|ปีงบ|พ\.\s?ศ\.?)\s*{short}(?!\d)", arabic):
        return "be", years
    if re.search(rf"(?<!\d){ce_year(fiscal_year)}(?!\d)", arabic):
        return "ce", years
    return None, years


# --- the checker ---------------------------------------------------------------------------

class _HostGate:
    """Per-host concurrency and rate: at most ``rate`` request starts per second."""

    def __init__(self, concurrency: int, rate: float) -> None:
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.lock = asyncio.Lock()
        self.next_at = 0.0

    async def turn(self) -> None:
        if not self.interval:
            return
        loop = asyncio.get_running_loop()
        async with self.lock:
            now = loop.time()
            if self.next_at > now:
                await asyncio.sleep(self.next_at - now)
                now = loop.time()
            self.next_at = max(now, self.next_at) + self.interval


class _SafeTransport(httpx.AsyncHTTPTransport):
    """httpx transport whose connections all go through :class:`SafeNetworkBackend`."""

    def __init__(self, settings: CheckSettings, limits: httpx.Limits) -> None:
        import httpcore

        super().__init__(verify=settings.verify_tls, limits=limits, trust_env=False, retries=0)
        self.backend = SafeNetworkBackend(settings.policy)
        old = self._pool
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=old._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True, http2=False, retries=0,
            # duck-typed: SafeNetworkBackend has the backend's methods, wrapping AnyIO's
            network_backend=cast("httpcore.AsyncNetworkBackend", self.backend),
        )


class Checker:
    """Use as ``async with Checker(settings, website) as c: await c.check(code, url, keywords, year)``.

    Checkers of one batch (several agencies checked side by side in one event loop) pass the same
    ``gates`` dict, so the per-host concurrency and rate hold across the whole batch."""

    def __init__(self, settings: CheckSettings | None = None, website: str | None = None,
                 gates: dict | None = None) -> None:
        self.settings = settings or CheckSettings()
        self.website = website
        self._gates: dict[str, _HostGate] = {} if gates is None else gates
        self._slots = asyncio.Semaphore(max(1, self.settings.concurrency))
        s = self.settings
        per_host = max(s.concurrency, 1)
        limits = httpx.Limits(max_connections=per_host * 2, max_keepalive_connections=per_host)
        self.transport = _SafeTransport(s, limits)
        self.client = httpx.AsyncClient(
            transport=self.transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            headers={"User-Agent": s.user_agent(website), "Accept-Encoding": "identity",
                     "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5",
                     "Accept-Language": "th,en;q=0.5"},
        )

    @property
    def connections(self) -> list[tuple[str, str]]:
        """(host, address) of every TCP connection attempted so far."""
        return self.transport.backend.connections

    async def __aenter__(self) -> Checker:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    def _gate(self, url: str) -> _HostGate:
        host = (urlsplit(url).hostname or "").lower()
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = _HostGate(self.settings.per_host_concurrency, self.settings.per_host_rate)
        return gate

    async def check(self, code: str, url: str, keywords=(), fiscal_year: int | None = None) -> UrlCheck:
        result = UrlCheck(code=code, url=url, outcome=ERROR,
                          checked_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        if self.website:
            result.url_on_main_domain = same_site(url, self.website)
        started = time.perf_counter()
        async with self._slots:
            try:
                async with asyncio.timeout(self.settings.total_timeout):
                    await self._fetch(result, keywords, fiscal_year)
            except TimeoutError:
                result.outcome, result.detail = TIMEOUT, f"เกินเวลา {self.settings.total_timeout:g} วินาที"
            # What the user reads says what is wrong; addresses and library errors go to the log.
            except UnsafeURL as exc:
                log.warning("OIT check of %s refused: %s", url, exc.detail)
                result.outcome, result.detail = REFUSED, str(exc)
            except httpx.TimeoutException:
                result.outcome, result.detail = TIMEOUT, "หมดเวลารอเว็บไซต์"
            except httpx.ConnectError as exc:
                text = str(exc)
                if text.startswith("refused:"):   # SafeNetworkBackend logged the detail
                    result.outcome, result.detail = REFUSED, text.removeprefix("refused: ")
                else:
                    log.info("OIT check of %s: cannot connect: %s", url, text)
                    result.outcome, result.detail = CONNECT_ERROR, "เชื่อมต่อเว็บไซต์ไม่ได้ (เว็บไซต์ไม่ตอบ)"
            except (httpx.HTTPError, OSError, ValueError) as exc:
                log.info("OIT check of %s failed: %s: %s", url, type(exc).__name__, exc)
                result.outcome, result.detail = ERROR, f"อ่านคำตอบของเว็บไซต์ไม่ได้ ({type(exc).__name__})"
        result.elapsed = round(time.perf_counter() - started, 3)
        if result.final_url is None:
            result.final_url = result.redirects[-1].url if result.redirects else url
        if self.website and result.final_url:
            result.on_main_domain = same_site(result.final_url, self.website)
        return result

    async def _fetch(self, result: UrlCheck, keywords, fiscal_year: int | None) -> None:
        s = self.settings
        current = result.url
        for _hop in range(s.max_redirects + 1):
            await check_url(current, s.policy)          # before any connection, every hop
            gate = self._gate(current)
            async with gate.slots:
                await gate.turn()
                request = self.client.build_request("GET", current)
                response = await self.client.send(request, stream=True)
                try:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        target = urljoin(current, location.strip())
                        result.redirects.append(Hop(current, response.status_code, target))
                        current = target
                        continue
                    result.final_url = current
                    result.status = response.status_code
                    result.content_type = response.headers.get("content-type", "").split(";")[0].strip().lower() or None
                    if response.status_code >= 400 or response.status_code < 200:
                        result.outcome, result.detail = HTTP_ERROR, f"เปิดไม่ได้ (รหัสตอบกลับ {response.status_code})"
                        return
                    body = await self._read_capped(response, result)
                    charset = response.charset_encoding
                finally:
                    await response.aclose()
            if body is None:
                return
            await self._analyse(result, body, charset, keywords, fiscal_year)
            return
        result.final_url = current
        result.outcome, result.detail = TOO_MANY_REDIRECTS, f"เปลี่ยนเส้นทางเกิน {s.max_redirects} ครั้ง"

    async def _read_capped(self, response: httpx.Response, result: UrlCheck) -> bytes | None:
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            result.outcome, result.size = TOO_LARGE, int(declared)
            result.detail = f"ไฟล์ใหญ่ {int(declared) / 1e6:.1f} MB เกินที่ตั้งไว้ {cap / 1e6:g} MB"
            return None
        chunks, size = [], 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > cap:
                result.outcome, result.size = TOO_LARGE, size
                result.detail = f"ไฟล์ใหญ่เกินที่ตั้งไว้ {cap / 1e6:g} MB (หยุดดาวน์โหลด)"
                return None
            chunks.append(chunk)
        result.size = size
        body = b"".join(chunks)
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            try:  # decompressed size capped too: no decompression bombs
                inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
                body = inflater.decompress(body, cap + 1)
            except zlib.error:
                result.outcome, result.detail = ERROR, "เนื้อหาที่บีบอัดเสียหาย"
                return None
            if len(body) > cap or inflater.unconsumed_tail:
                result.outcome, result.size = TOO_LARGE, len(body)
                result.detail = f"เนื้อหาเมื่อคลายการบีบอัดใหญ่เกิน {cap / 1e6:g} MB"
                return None
        return body

    async def _analyse(self, result: UrlCheck, body: bytes, charset, keywords, fiscal_year) -> None:
        ctype = result.content_type or ""
        result.outcome = OK
        try:
            if body[:1024].lstrip().startswith(b"%PDF") or ctype == "application/pdf":
                result.kind = "pdf"
                text = await asyncio.to_thread(pdf_text, body, self.settings.max_pdf_pages)
            elif "html" in ctype or (not ctype and body[:512].lstrip()[:1] == b"<"):
                result.kind = "html"
                if len(body) <= INLINE_PARSE_BYTES:   # a thread hop costs more than parsing a small page
                    text = html_text(body, charset)
                else:
                    text = await asyncio.to_thread(html_text, body, charset)
            elif ctype.startswith("text/"):
                result.kind = "text"
                text = decode_html(body, charset)
            else:
                result.kind = "other"
                result.detail = f"ไม่ได้อ่านเนื้อหาไฟล์ชนิด {ctype or 'ไม่ทราบ'}"
                return
        except Exception as exc:  # a damaged PDF is the agency's problem to fix, not a crash
            result.kind = result.kind or "other"
            result.detail = f"อ่านเนื้อหาไม่ได้ ({type(exc).__name__})"
            return
        text = text[: self.settings.max_text_chars]
        result.text_chars = len(text.strip())
        result.keywords_found, result.keywords_missing = find_keywords(text, keywords)
        if fiscal_year:
            result.year_match, result.years_found = find_fiscal_year(text, fiscal_year)


@dataclass
class CheckRun:
    """Every URL checked for one register, with when it ran."""

    agency: str
    website: str
    fiscal_year: int
    criteria_year: int
    started_at: str
    finished_at: str
    checks: list[UrlCheck]

    def of_item(self, code: str) -> list[UrlCheck]:
        return [c for c in self.checks if c.code == code]

    def to_dict(self) -> dict:
        return {**{k: getattr(self, k) for k in ("agency", "website", "fiscal_year", "criteria_year",
                                                   "started_at", "finished_at")},
                "checks": [c.to_dict() for c in self.checks]}

    @classmethod
    def from_dict(cls, data: dict) -> CheckRun:
        return cls(**{**data, "checks": [UrlCheck.from_dict(c) for c in data["checks"]]})


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def check_register_async(register: EvidenceRegister, criteria: Criteria, website: str,
                               settings: CheckSettings | None = None,
                               fiscal_year: int | None = None) -> tuple[CheckRun, Checker]:
    year = fiscal_year or register.fiscal_year
    started = _now()
    async with Checker(settings, website) as checker:
        jobs = []
        for code, item in register.items.items():
            entry = criteria.entry_by_code.get(code)
            keywords = entry.keywords if entry else ()
            shown_year = entry.evidence_year(year) if entry else year
            jobs += [checker.check(code, url, keywords, shown_year) for url in item.urls]
        checks = list(await asyncio.gather(*jobs))
    run = CheckRun(register.agency, website, year, criteria.fiscal_year, started, _now(), checks)
    return run, checker


def check_register(register: EvidenceRegister, criteria: Criteria, website: str,
                   settings: CheckSettings | None = None, fiscal_year: int | None = None) -> CheckRun:
    """Check every URL of the register (blocking). ``website`` is the agency's main website."""
    run, _ = run_blocking(lambda: check_register_async(register, criteria, website, settings, fiscal_year))
    return run


def run_blocking(make_coroutine):
    """Run a coroutine to completion from synchronous code, also where this thread already runs an
    event loop (a Django async context, a test tool): then in a short-lived worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()
