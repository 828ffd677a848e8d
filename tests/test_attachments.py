"""Evidence files: the type is read from the content, the extension must agree, size limits hold."""

from __future__ import annotations

import io
import zipfile

import pytest

from itadesk.attachments import DOCX, JPEG, PDF, PNG, check_evidence, detect_kind
from itadesk.errors import InputError

MAX = 1024
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX_BYTES = zip_bytes(["[Content_Types].xml", "word/document.xml", "_rels/.rels"])


class CountingStream(io.BytesIO):
    """Remembers how much was asked for, to show an oversized file is not read whole."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size=-1):
        self.asked.append(size)
        return super().read(size)


def refused(name: str, data: bytes, max_bytes: int = MAX) -> str:
    with pytest.raises(InputError) as info:
        check_evidence(name, io.BytesIO(data), max_bytes)
    (problem,) = info.value.problems
    assert problem.source == name.split("/")[-1]
    return str(problem)


@pytest.mark.parametrize("name,data,kind", [
    ("รายงาน.pdf", PDF_BYTES, PDF), ("ภาพกิจกรรม.PNG", PNG_BYTES, PNG), ("ภาพ.jpg", JPEG_BYTES, JPEG),
    ("ภาพ.jpeg", JPEG_BYTES, JPEG), ("บันทึก.docx", DOCX_BYTES, DOCX),
])
def test_real_files_of_the_allowed_types_pass_with_size_and_checksum(name, data, kind):
    upload = check_evidence(name, io.BytesIO(data), MAX)
    assert (upload.name, upload.kind, upload.data, upload.size) == (name, kind, data, len(data))
    assert len(upload.sha256) == 64
    assert upload.content_type in ("application/pdf", "image/png", "image/jpeg",
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def test_a_path_sent_by_an_old_browser_keeps_only_the_file_name():
    assert check_evidence("C:\\Users\\สมชาย\\รายงาน.pdf", io.BytesIO(PDF_BYTES), MAX).name == "รายงาน.pdf"


@pytest.mark.parametrize("name,value", [("setup.exe", ".exe"), ("บันทึก.txt", ".txt"), ("ภาพ.gif", ".gif"),
                                        ("README", "ไม่มีนามสกุล")])
def test_other_types_are_refused_by_name_before_reading(name, value):
    text = refused(name, b"MZ\x90\x00")
    assert "ชนิดไฟล์ไม่รองรับ" in text and "PDF, PNG, JPEG" in text and value in text


@pytest.mark.parametrize("data,seems", [
    (b"MZ\x90\x00\x03" + b"\x00" * 60, "โปรแกรม Windows"),
    (zip_bytes(["a.txt"]), "ZIP"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
    (b"just some text", "ข้อความ"),
])
def test_a_fake_pdf_is_refused_and_what_it_really_is_is_named(data, seems):
    text = refused("หลักฐาน.pdf", data)
    assert "นามสกุลไม่ตรงกับชนิดไฟล์" in text and "ปลอม" not in text and "ไม่ใช่ PDF" in text and seems in text


def test_a_png_renamed_pdf_is_refused_with_the_right_extension_suggested():
    text = refused("หลักฐาน.pdf", PNG_BYTES)
    assert "นามสกุล .pdf ไม่ตรงกับเนื้อหาจริงซึ่งเป็น PNG" in text and "ต้องใช้นามสกุล .png" in text


def test_a_zip_renamed_docx_without_word_parts_is_not_a_docx():
    assert detect_kind(zip_bytes(["[Content_Types].xml"])) is None
    assert detect_kind(b"PK\x03\x04 broken zip") is None
    assert "นามสกุลไม่ตรงกับชนิดไฟล์" in refused("บันทึก.docx", zip_bytes(["word/document.xml"]))


def test_a_docx_renamed_pdf_is_refused():
    assert "ซึ่งเป็น DOCX" in refused("หลักฐาน.pdf", DOCX_BYTES)


def test_empty_file_is_refused():
    assert "ไฟล์ว่างเปล่า" in refused("ว่าง.pdf", b"")


def test_oversized_file_is_refused_after_reading_at_most_one_byte_more_than_allowed():
    stream = CountingStream(PDF_BYTES + b"0" * (5 * MAX))
    with pytest.raises(InputError) as info:
        check_evidence("ใหญ่.pdf", stream, MAX)
    assert stream.asked == [MAX + 1]
    assert "ใหญ่.pdf" in str(info.value) and "ไม่เกิน 1 KB" in str(info.value)
    exactly = PDF_BYTES + b"0" * (MAX - len(PDF_BYTES))
    assert check_evidence("พอดี.pdf", io.BytesIO(exactly), MAX).size == MAX


def test_overlong_name_is_refused():
    assert "ชื่อไฟล์ยาวเกิน" in refused("ก" * 300 + ".pdf", PDF_BYTES)
