"""Web addresses users give: an OIT item's evidence, a measure's evidence of progress, an
agency's website. One rule for what a usable address is and how many a report may list, read
by the pages, the API and the XLSX imports alike."""

from __future__ import annotations

from urllib.parse import urlsplit

from itadesk.thai import to_thai_digits

MAX_URL_CHARS = 2000          # one address
MAX_REPORT_LINKS = 20         # evidence links of one measure's report in one round
MAX_ITEM_LINKS = 5            # evidence links of one OIT item (the register's columns URL 1–5)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be used as a web address, or None."""
    if len(url) > MAX_URL_CHARS:
        return f"URL ยาวเกิน {MAX_URL_CHARS} ตัวอักษร"
    if any(ch.isspace() for ch in url):
        return "URL มีช่องว่าง"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "URL ไม่ถูกต้อง"
    if parts.scheme.lower() not in ("http", "https"):
        return "URL ต้องขึ้นต้นด้วย http:// หรือ https://"
    if not parts.hostname:
        return "URL ไม่มีชื่อเว็บไซต์"
    if parts.username or parts.password:
        return "URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน"
    return None


def too_many_report_links(count: int) -> str | None:
    """Why a measure's report cannot list ``count`` links, or None."""
    if count <= MAX_REPORT_LINKS:
        return None
    return (f"ใส่ลิงก์ได้ไม่เกิน {to_thai_digits(MAX_REPORT_LINKS)} ลิงก์ "
            f"(ขณะนี้ {to_thai_digits(count)} ลิงก์)")
