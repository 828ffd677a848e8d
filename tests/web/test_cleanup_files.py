"""Evidence files are written so that a crash leaves nothing a cleanup cannot find, and
`manage.py cleanup_files` removes files without rows and stale temporary upload files."""

from __future__ import annotations

import io
import os
import re
import threading
import time

import httpx
import pytest
from django.core.management import call_command
from django.urls import reverse

from .serve import csrf, running_server, session_client
from .test_progress_pages import PDF_BYTES

OLD = time.time() - 48 * 3600


@pytest.fixture(autouse=True)
def dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR


def files_under(folder) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def report_with_files(plan, user, *names):
    from itadesk.attachments import check_evidence
    from itadesk.web.progress.models import Round
    from itadesk.web.progress.services import ensure_rounds, save_report

    ensure_rounds(plan)
    rnd = Round.objects.get(plan=plan, months=6)
    uploads = [check_evidence(name, io.BytesIO(PDF_BYTES + name.encode()), 10_000) for name in names]
    values = {"status": "done", "done": "ทำแล้ว", "output": "", "outcome": "", "problems": "", "suggestions": "",
              "reason": "", "links": []}
    return rnd, save_report(rnd, plan.measures.first(), values, uploads, user)


def run_cleanup(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_files", *args, stdout=out)
    return out.getvalue()


def test_stored_evidence_has_its_name_and_no_part_file_once_committed(approved_plan, world, dirs):
    from itadesk.web.progress.models import EvidenceFile

    media, _ = dirs
    report_with_files(approved_plan, world["users"]["editor"], "ก.pdf", "ข.pdf")
    names = set(EvidenceFile.objects.values_list("file", flat=True))
    assert len(names) == 2 and files_under(media) == names


def test_a_failure_after_writing_leaves_no_file(approved_plan, world, dirs, monkeypatch):
    from itadesk.web.progress import services
    from itadesk.web.progress.models import EvidenceFile

    media, _ = dirs

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        report_with_files(approved_plan, world["users"]["editor"], "ก.pdf", "ข.pdf")
    assert files_under(media) == set() and not EvidenceFile.objects.exists()


def test_cleanup_removes_orphans_and_stale_temp_files_and_completes_committed_renames(approved_plan, world, dirs):
    from itadesk.web.progress.models import EvidenceFile

    media, temp = dirs
    report_with_files(approved_plan, world["users"]["editor"], "ก.pdf", "ข.pdf")
    kept, unrenamed = sorted(EvidenceFile.objects.values_list("file", flat=True))
    folder = media / kept.rsplit("/", 1)[0]
    # What a crash leaves: a file whose row never committed, a half-written ".part", a committed
    # row whose rename did not happen, Django's temp file of an upload the worker never finished.
    (folder / "0123abcd.pdf").write_bytes(b"orphan")
    (folder / "4567ef.pdf.part").write_bytes(b"half")
    os.replace(media / unrenamed, media / (unrenamed + ".part"))
    (temp / "tmpx1y2.upload").write_bytes(b"x" * 1000)
    young = folder / "89ab.pdf.part"            # an upload being written right now
    young.write_bytes(b"now")
    for path in [*media.rglob("*"), *temp.iterdir()]:
        if path.is_file() and path != young:
            os.utime(path, (OLD, OLD))

    before = files_under(media) | {f"tmp/{n}" for n in files_under(temp)}
    listing = run_cleanup("--dry-run")
    assert files_under(media) | {f"tmp/{n}" for n in files_under(temp)} == before    # nothing changed
    assert "0123abcd.pdf" in listing and "tmpx1y2.upload" in listing and "จะลบ 3 ไฟล์" in listing

    summary = run_cleanup()
    assert "ลบ 3 ไฟล์" in summary and "ตั้งชื่อไฟล์ที่บันทึกแล้ว 1 ไฟล์" in summary
    assert files_under(media) == {kept, unrenamed, young.relative_to(media).as_posix()}
    assert files_under(temp) == set()
    assert (media / unrenamed).read_bytes().startswith(b"%PDF")
    # With --older-than 0 the young one goes too.
    run_cleanup("--older-than", "0")
    assert files_under(media) == {kept, unrenamed}


def test_cleanup_refuses_a_negative_age(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run_cleanup("--older-than", "-1")


# --- kill -9 during an upload ------------------------------------------------------------------

SETUP = """
import json
from django.contrib.auth import get_user_model
from itadesk.agency import load_agency
from itadesk.results import load_results
from itadesk.web.agencies.models import Membership
from itadesk.web.agencies.services import upsert_agency
from itadesk.web.plans.services import approve_plan, create_plan
from itadesk.web.progress.services import ensure_rounds
from itadesk.web.results.models import ResultSet
import datetime as dt
agency = upsert_agency(load_agency("{root}/demo/agency.yaml"))
results = load_results("{root}/tests/data/seed000-2567.csv")
ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=results.scores, source="seed000")
user = get_user_model().objects.create_user("uploader", password="kill-nine-2567")
Membership.objects.create(user=user, agency=agency, role=Membership.EDITOR)
plan = create_plan(agency, 2567, user)
plan = approve_plan(plan, plan.version, "นายก", dt.date(2024, 10, 15), user)
ensure_rounds(plan)
print(json.dumps({{"agency": agency.pk, "plan_year": plan.plan_year, "measure": plan.measures.first().pk}}))
"""

COUNT = """
import json
from itadesk.web.progress.models import EvidenceFile
print(json.dumps({"files": sorted(EvidenceFile.objects.values_list("file", flat=True))}))
"""

MB = 1024 * 1024


def multipart(fields: dict, files: list[tuple[str, bytes]], boundary: str) -> list[bytes]:
    """The body of a multipart/form-data POST, cut into one piece per field and per file."""
    pieces = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
              for k, v in fields.items()]
    for name, data in files:
        pieces.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                      "Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    pieces.append(f"--{boundary}--\r\n".encode())
    return pieces


def _post_in_background(client, url, pieces, boundary, pause_after=None, gate=None):
    answers = []

    def body():
        for i, piece in enumerate(pieces):
            if pause_after is not None and i == pause_after:
                gate.wait(60)                   # stall mid-body until the server is killed
            for start in range(0, len(piece), 256 * 1024):
                yield piece[start:start + 256 * 1024]

    def send():
        try:
            answers.append(client.post(url, content=body(), headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(sum(map(len, pieces)))}).status_code)
        except httpx.HTTPError as exc:
            answers.append(type(exc).__name__)

    thread = threading.Thread(target=send)
    thread.start()
    return thread, answers


def _wait_for(predicate, seconds=60.0, step=0.001):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(step)
    return None


def test_kill_9_during_a_multi_file_upload_leaves_nothing_after_the_cleanup(tmp_path):
    from tests.web.serve import ROOT

    data = tmp_path / "data"
    data.mkdir()
    media, temp = data / "media", data / "tmp"
    with running_server(data) as server:
        world = server.python(SETUP.format(root=ROOT))
        url = reverse("progress_measure", kwargs={"agency_id": world["agency"], "plan_year": world["plan_year"],
                                                  "months": 6, "measure_pk": world["measure"]})
        fields = {"status": "done", "done": "อัปโหลดแล้ว", "output": "", "outcome": "", "problems": "",
                  "suggestions": "", "reason": "", "links": ""}
        boundary = "itadeskboundary7MA4YWxkTrZu0gW"

        # 1. Killed while the body is still arriving: Django has spooled the first files to
        #    temporary files in FILE_UPLOAD_TEMP_DIR (DATA_DIR/tmp) and never gets to delete them.
        server.start(workers=1)
        client = session_client(server, "uploader", "kill-nine-2567")
        fields["csrfmiddlewaretoken"] = csrf(client)
        files = [(f"หลักฐาน-{i}.pdf", PDF_BYTES + bytes([48 + i]) * (3 * MB)) for i in range(6)]
        gate = threading.Event()
        thread, answers = _post_in_background(client, url, multipart(fields, files, boundary), boundary,
                                              pause_after=len(fields) + 4, gate=gate)
        spooled = _wait_for(lambda: [p for p in temp.iterdir() if p.stat().st_size >= 3 * MB] or None)
        server.kill()
        gate.set()
        thread.join(60)
        assert spooled, "no temporary upload file appeared before the kill"
        assert files_under(temp), "the killed upload left no temporary file (nothing for the cleanup to do)"

        # 2. Killed while the view writes the evidence files, before their row commits.
        server.start(workers=1)
        client = session_client(server, "uploader", "kill-nine-2567")
        fields["csrfmiddlewaretoken"] = csrf(client)
        files = [(f"ไฟล์-{i}.pdf", PDF_BYTES + bytes([65 + i]) * (2 * MB)) for i in range(10)]
        thread, answers = _post_in_background(client, url, multipart(fields, files, boundary), boundary)
        seen = _wait_for(lambda: files_under(media) or None, step=0.0005)
        server.kill()
        thread.join(60)
        assert seen, f"the upload finished or failed before any evidence file was written: {answers}"
        left = files_under(media)
        rows = server.python(COUNT)["files"]
        partial = {name for name in left if name.endswith(".part")}
        # Whatever moment the kill hit, no file has its real name without a committed row.
        assert {n for n in left if not n.endswith(".part")} <= set(rows)

        out = server.manage("cleanup_files", "--older-than", "0")
        rows = server.python(COUNT)["files"]
        left = files_under(media)

    assert re.search(r"ลบ \d+ ไฟล์", out)
    assert left == set(rows), (left, rows)           # every file has its row and every row its file
    assert not any(name.endswith(".part") for name in left)
    assert files_under(temp) == set()
    print(f"kill during the view: {len(partial)} partial files at the kill, {len(rows)} committed")
