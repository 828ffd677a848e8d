"""Files attached to the measures' progress reports (their evidence): what may be uploaded and how it is
recognised. (An OIT item's evidence is links, in ``oit/evidence.py``.)

Allowed: PDF, PNG, JPEG and DOCX, up to a size limit. The type is read from the content itself
(its magic bytes; for DOCX a readable zip holding ``[Content_Types].xml`` and
``word/document.xml``), and the file name's extension must say the same thing, so a program or
a web page renamed ``.pdf`` is refused. Nothing here stores anything: the caller stores what
passes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from itadesk.errors import InputError, Problem
from itadesk.limits import size_text

PDF, PNG, JPEG, DOCX = "pdf", "png", "jpg", "docx"
KIND_LABEL = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: "DOCX"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX}
ACCEPT = ",".join(EXTENSIONS)  # for <input type=file accept=...>
ALLOWED_TEXT = "PDF, PNG, JPEG (.jpg .jpeg) หรือ DOCX"
MAX_NAME_CHARS = 255

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
# What a refused file most often really is, to name it in the message.
_OTHER_SIGNATURES = (
    (b"MZ", "โปรแกรม Windows (EXE/DLL)"),
    (b"\x7fELF", "โปรแกรม (ELF)"),
    (b"PK\x03\x04", "ไฟล์ ZIP"),
    (b"PK\x05\x06", "ไฟล์ ZIP"),
    (b"GIF8", "ภาพ GIF"),
    (b"Rar!", "ไฟล์ RAR"),
    (b"7z\xbc\xaf", "ไฟล์ 7z"),
    (b"\xd0\xcf\x11\xe0", "เอกสาร Office รุ่นเก่า (.doc/.xls)"),
)


@dataclass(frozen=True)
class EvidenceUpload:
    """A file that passed every check."""

    name: str       # as the uploader named it
    kind: str       # PDF / PNG / JPEG / DOCX
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False
    return all(part in names for part in _DOCX_PARTS)


def detect_kind(data: bytes) -> str | None:
    """PDF / PNG / JPEG / DOCX from the content, or None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return DOCX
    return None


def describe(data: bytes) -> str:
    """What a file that is not evidence seems to be, in Thai (for the error message)."""
    for signature, label in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return label
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "หน้าเว็บ (HTML)"
    if head.startswith(b"<"):
        return "ไฟล์ข้อความ XML/HTML"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "ไฟล์ชนิดที่ไม่รู้จัก"
    return "ไฟล์ข้อความธรรมดา"


def check_evidence(name: str, stream: BinaryIO, max_bytes: int) -> EvidenceUpload:
    """Read ``stream`` (at most ``max_bytes`` + 1 bytes) and return it if it is acceptable evidence.

    Raises InputError naming the file, what was found and what is expected: an extension that
    is not allowed, an empty or oversized file, content that is none of the allowed types, or
    an extension that does not match the content (a fake extension).
    """
    name = PurePath(name.replace("\\", "/")).name.strip()

    def refuse(message: str, value: object = None) -> InputError:
        return InputError([Problem(message, name or "(ไม่มีชื่อไฟล์)", None, value)])

    if not name:
        raise refuse(f"ไฟล์ไม่มีชื่อ ต้องเป็นไฟล์ {ALLOWED_TEXT}")
    if len(name) > MAX_NAME_CHARS:
        raise refuse(f"ชื่อไฟล์ยาวเกิน {MAX_NAME_CHARS} ตัวอักษร กรุณาเปลี่ยนชื่อให้สั้นลง", f"{len(name)} ตัวอักษร")
    extension = PurePath(name).suffix.lower()
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise refuse(f"ชนิดไฟล์ไม่รองรับ ใช้ได้เฉพาะ {ALLOWED_TEXT}", extension or "ไม่มีนามสกุล")
    data = stream.read(max_bytes + 1)
    if not data:
        raise refuse("ไฟล์ว่างเปล่า (0 ไบต์) ต้องเป็นไฟล์ที่มีเนื้อหา", "0 ไบต์")
    if len(data) > max_bytes:
        raise refuse(f"ไฟล์ใหญ่เกินกำหนด ต้องไม่เกิน {size_text(max_bytes)}", f"มากกว่า {size_text(max_bytes)}")
    actual = detect_kind(data)
    if actual is None:
        raise refuse(f"เนื้อหาไฟล์ไม่ใช่ {KIND_LABEL[claimed]} ตามนามสกุล {extension} (นามสกุลไม่ตรงกับชนิดไฟล์) "
                     f"ต้องเป็นไฟล์ {ALLOWED_TEXT} จริง", describe(data))
    if actual != claimed:
        expected = " หรือ ".join(ext for ext, kind in EXTENSIONS.items() if kind == actual)
        raise refuse(f"นามสกุล {extension} ไม่ตรงกับเนื้อหาจริงซึ่งเป็น {KIND_LABEL[actual]} (นามสกุลไม่ตรงกับชนิดไฟล์) "
                     f"ต้องใช้นามสกุล {expected}", extension)
    return EvidenceUpload(name, actual, data)
