"""Approved means frozen: an approved plan's documents stay what was approved.

Replacing the scores the plan was made from, or renaming a signatory, changes nothing in the
approved plan's PDF and DOCX (byte for byte) until an agency admin reopens it. Replacing scores
that a plan uses is asked first (page and API), and the replaced scores stay in the history.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.support.pdf_text import norm, pdf_text
from tests.web.conftest import ROOT

pytestmark = pytest.mark.django_db

SEED000 = ROOT / "tests" / "data" / "seed000-2567.csv"
# The same agency's FY2567 scores with every OIT item published: ITA and the weak points change.
BETTER = b"\n".join(
    line if not line.startswith(b"O") or b"," not in line else line.split(b",")[0] + b",100"
    for line in SEED000.read_bytes().splitlines()
)


def download(client, agency, plan_year: int, fmt: str) -> bytes:
    response = client.get(f"/agencies/{agency.pk}/plans/{plan_year}/documents/{fmt}/")
    assert response.status_code == 200, response.content[:300]
    return response.content


def upload(client, agency, content: bytes, **extra):
    return client.post(f"/agencies/{agency.pk}/results/upload/", {
        "file": SimpleUploadedFile("scores-2567.csv", content, content_type="text/csv"), "fiscal_year": "", **extra})


def test_replacing_scores_asks_first_and_the_approved_pdf_stays_the_same(world, login, approved_plan):
    from itadesk.web.agencies.models import AuditEntry

    a = world["a"]
    client = login(world["users"]["admin"])
    pdf_before, docx_before = download(client, a, 2568, "pdf"), download(client, a, 2568, "docx")
    assert "๗๒.๙๗" in pdf_text(pdf_before)

    asked = upload(client, a, BETTER)
    text = asked.content.decode()
    assert asked.status_code == 200 and "ยืนยันแทนที่ผลคะแนน" in text
    assert "มาตรการปีงบประมาณ ๒๕๖๘ (อนุมัติแล้ว)" in text
    assert a.result_sets.get(fiscal_year=2567).scores["O8"] == 50  # nothing replaced yet

    confirmed = client.post(f"/agencies/{a.pk}/results/upload/", {"confirm": "1"})
    assert confirmed.status_code == 302
    assert a.result_sets.get(fiscal_year=2567).scores["O8"] == 100
    entry = AuditEntry.objects.get(agency=a, action="results.replaced")
    assert entry.user == world["users"]["admin"] and entry.details["plans"] == [2568]
    assert entry.details["previous"]["scores"]["O8"] == 50 and entry.details["previous"]["saved_at"]

    assert download(client, a, 2568, "pdf") == pdf_before
    assert download(client, a, 2568, "docx") == docx_before
    # The analysis page shows the year's history: the replaced set, who replaced it and when.
    history = client.get(f"/agencies/{a.pk}/results/2567/").content.decode()
    assert "ประวัติผลคะแนนปีนี้" in history and "โดย a_admin" in history and "ITA ๗๒.๙๗" in history


def test_a_signatory_renamed_after_approval_reaches_the_memo_only_after_reopening(world, login, approved_plan):
    from itadesk.web.plans.models import Plan
    from itadesk.web.plans.services import plan_file

    a = world["a"]
    client = login(world["users"]["admin"])
    before = norm(pdf_text(download(client, a, 2568, "pdf")))
    assert "นายสมศักดิ์รักษ์ถิ่น" in before
    a.signatories.filter(role="approver").update(name="นายสมชาย ใจซื่อ")
    assert norm(pdf_text(download(client, a, 2568, "pdf"))) == before

    response = client.post(f"/agencies/{a.pk}/plans/2568/reopen/", {"reason": "แก้ชื่อผู้อนุมัติ"})
    assert response.status_code == 302
    plan = Plan.objects.get(pk=approved_plan.pk)
    assert plan.status == Plan.DRAFT and plan.frozen is None and not plan.frozen_documents.exists()
    assert "นายสมชายใจซื่อ" in norm(pdf_text(plan_file(plan, "pdf")))


def test_a_draft_plans_documents_follow_the_scores(world, login):
    from itadesk.web.plans.services import create_plan, plan_file

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    world["a"].result_sets.filter(fiscal_year=2567).update(scores={**world["a"].result_sets.get().scores, "ITA": 80.5})
    assert "๘๐.๕๐" in norm(pdf_text(plan_file(plan, "pdf")))


def test_the_api_refuses_to_replace_scores_a_plan_uses_without_confirm(world, approved_plan):
    from itadesk.results import load_results
    from itadesk.web.agencies.models import AuditEntry

    a = world["a"]
    token, _ = Token.objects.get_or_create(user=world["users"]["editor"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    scores = {**load_results(SEED000).scores, "O8": 100}
    refused = client.put(f"/api/agencies/{a.pk}/results/2567/", {"scores": scores}, format="json")
    assert refused.status_code == 409
    assert "มาตรการปีงบประมาณ ๒๕๖๘" in refused.json()["detail"] and "confirm" in refused.json()["detail"]
    assert a.result_sets.get(fiscal_year=2567).scores["O8"] == 50
    assert not AuditEntry.objects.filter(action="results.replaced").exists()

    done = client.put(f"/api/agencies/{a.pk}/results/2567/", {"scores": scores, "confirm": True}, format="json")
    assert done.status_code == 200, done.content
    assert a.result_sets.get(fiscal_year=2567).scores["O8"] == 100
    # The approved plan keeps its own scores: its analysis is the one approved.
    approved_plan.refresh_from_db()
    assert approved_plan.frozen["results"]["scores"]["O8"] == 50


def test_the_results_form_asks_before_replacing_and_keeps_what_was_typed(world, login, approved_plan):
    a = world["a"]
    client = login(world["users"]["editor"])
    values = {code: str(score) for code, score in a.result_sets.get(fiscal_year=2567).scores.items()}
    values["O8"] = "100"
    asked = client.post(f"/agencies/{a.pk}/results/2567/edit/", values)
    assert asked.status_code == 200 and "ยืนยันแทนที่ผลคะแนน" in asked.content.decode()
    assert 'name="O8" value="100"' in asked.content.decode()
    assert a.result_sets.get(fiscal_year=2567).scores["O8"] == 50
    done = client.post(f"/agencies/{a.pk}/results/2567/edit/", {**values, "confirm": "1"})
    assert done.status_code == 302 and a.result_sets.get(fiscal_year=2567).scores["O8"] == 100


def test_scores_no_plan_uses_are_replaced_without_asking(world, login):
    client = login(world["users"]["editor"])
    response = upload(client, world["a"], BETTER)
    assert response.status_code == 302
    assert world["a"].result_sets.get(fiscal_year=2567).scores["O8"] == 100


def test_the_emblem_is_part_of_what_was_approved(world, approved_plan):
    from itadesk.web.plans.services import plan_inputs

    demo_emblem = (ROOT / "demo" / "emblem.png").read_bytes()
    assert world["a"].profile().emblem.data == demo_emblem
    world["a"].__class__.objects.filter(pk=world["a"].pk).update(emblem=None)
    approved_plan.refresh_from_db()
    assert plan_inputs(approved_plan)[1].emblem.data == demo_emblem


@pytest.mark.parametrize("fmt, other", [("pdf", "render_measures_docx"), ("docx", "render_measures_pdf")])
def test_a_download_makes_only_the_format_asked_for(world, login, approved_plan, monkeypatch, fmt, other):
    import itadesk.documents.measures_docx as measures_docx
    import itadesk.documents.measures_pdf as measures_pdf

    def not_asked(doc):
        raise AssertionError(f"{other} was called for a {fmt} download")

    monkeypatch.setattr(measures_docx if "docx" in other else measures_pdf, other, not_asked)
    data = download(login(world["users"]["admin"]), world["a"], 2568, fmt)
    assert data.startswith(b"%PDF" if fmt == "pdf" else b"PK")
    assert set(approved_plan.frozen_documents.values_list("fmt", flat=True)) == {fmt}   # kept, the other not made


def test_the_province_batch_gives_the_approved_documents_and_builds_the_model_once(world, login, approved_plan,
                                                                                   monkeypatch):
    """A batch's ZIP carries the approved plan's bytes, the same as its downloads; the plan's
    document model is built once for both formats."""
    from itadesk.web.plans import services

    built = []
    real = services.build_measures_document
    monkeypatch.setattr(services, "build_measures_document", lambda *a, **k: built.append(1) or real(*a, **k))
    files = services.draft_documents(world["a"], 2567)
    assert set(files) == {"docx", "pdf"} and len(built) == 1
    client = login(world["users"]["viewer"])
    assert download(client, world["a"], 2568, "pdf") == files["pdf"]
    assert download(client, world["a"], 2568, "docx") == files["docx"]
    assert len(built) == 1   # the downloads gave the kept documents
