"""Files the pages send: one way to name them (the Content-Disposition header) and the types."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_TYPES = {"docx": DOCX, "pdf": PDF}   # the formats every document comes in


def content_disposition_header(filename: str, thai_name: str | None = None) -> str:
    """An attachment with the plain ASCII ``filename`` every client reads and, when given, the
    Thai ``thai_name`` that current browsers save the file under (RFC 6266)."""
    header = f'attachment; filename="{filename}"'
    return header + (f"; filename*=UTF-8''{quote(thai_name)}" if thai_name else "")


def download(data: bytes, content_type: str, filename: str, thai_name: str | None = None) -> HttpResponse:
    """A response carrying ``data`` as a file named by ``content_disposition_header``."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(filename, thai_name)
    return response
