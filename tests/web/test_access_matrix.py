"""Access matrix: EVERY route of the project, as every role of agency A, against agency B's objects.

The routes are enumerated from the URL resolver, so a page or API route added later is tried
automatically; a route whose path parameters cannot be filled fails the test (add the parameter
to ``b_values``) rather than being skipped. Against B, a user of A (admin, editor, viewer,
supervisor of A's province), an outsider and an anonymous user must get 404/403/401/405 or a
redirect to the login page — never the data — and nothing of B may change. Routes without an
agency in the path (home, API agency list) may answer 200 but must not mention B.

One explicit exception: ``survey_answer`` (``/s/<token>/``), a practice survey's public answer
page, is open to anyone without login by design (``PUBLIC_ROUTES``). It is found only by its
unguessable token, shows only the survey's questions and the agency's name (no link into the
agency's pages, no other data), and a post that is not a real answer form stores nothing; the
matrix still tries it with every role and method, and checks that it is the only route an
anonymous user can open.

Positive controls make sure the 404s are the access check and not a wrong URL: the system admin
reaches every one of B's routes; A's editor reads and writes A's objects through the API with a
token; A's supervisor reads A but cannot write. The Django admin is for the system admin only.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.web.conftest import ROOT

SEED = ROOT / "tests" / "data" / "seed000-2567.csv"

# Not agency data: authentication pages, static files, the schema/docs and the token endpoint.
# The Django admin has its own test below.
SKIPPED_PREFIXES = ("admin/", "login/", "logout/", "password/", "static/", "media/",
                    "api/schema/", "api/docs/", "api/token/")
# Every route known when this test was written: the matrix must cover at least these. Add a new
# route's name here when you add the route (the matrix already tries it; this keeps it honest).
KNOWN_ROUTES = {
    "home", "agency", "audit", "results_new", "results_upload", "results_template", "analysis", "results_edit",
    "plan_generate", "plan", "plan_edit", "plan_approve", "plan_reopen", "plan_memo", "plan_document", "plan_next_year",
    "api_agencies", "api_agency", "api_results", "api_result", "api_analysis", "api_plans", "api_plan",
    "api_plan_approve",
    "oit", "oit_evidence", "oit_import", "oit_template", "oit_check", "oit_run", "oit_report", "api_oit_evidence",
    "members", "member_invite", "member_update", "member_remove",
    "api_progress", "api_progress_report",
    "progress_sheet", "progress_sheet_import",
    "progress", "progress_add_round", "progress_round", "progress_measure", "progress_lock", "progress_unlock",
    "progress_memo",
    "progress_results_report", "progress_file", "progress_file_delete",
    "criteria", "criteria_sheet", "criteria_import",
    "surveys", "survey", "survey_edit", "survey_qr", "survey_poster", "survey_codes", "survey_import",
    "survey_template", "survey_prediction_pdf", "api_surveys", "api_survey_answers", "survey_answer",
    "dashboard", "dashboard_export", "dashboard_weaknesses", "dashboard_report", "national_import",
    "agency_setup", "agency_import", "agency_import_template", "supervisors", "supervisor_remove", "agency_profile",
    "agency_job", "agency_job_retry", "agency_job_cancel",
    "region_jobs", "region_job", "region_job_retry", "region_job_cancel", "region_job_download",
}
# Open to anyone by design (see the module docstring): the practice survey's answer page.
PUBLIC_ROUTES = {"survey_answer"}
# Routes without an agency in the path: the user's own list, the region (dashboard) pages that
# show only the supervisor's province/district (B is in another province) and 404 for everyone else,
# and the criteria pages (no agency's data; 404 to everyone but system admins).
# The region's background jobs (web/jobs): the province's OIT check and document batch.
REGION_JOB_ROUTES = {"region_jobs", "region_job", "region_job_retry", "region_job_cancel", "region_job_download"}
REGION_ROUTES = {"dashboard", "dashboard_export", "dashboard_weaknesses", "dashboard_report", "national_import",
                 *REGION_JOB_ROUTES}
UNSCOPED = {"home", "api_agencies", *REGION_ROUTES, "criteria", "criteria_sheet", "criteria_import",
            "agency_setup", "agency_import", "agency_import_template", "supervisors", "supervisor_remove"}
# What a supervisor may post in their own region (the province's OIT check and document batch).
SUPERVISOR_JOB_ROUTES = {"region_jobs", "region_job_retry", "region_job_cancel"}
MIN_ROUTES = len(KNOWN_ROUTES)
ROLES = ("admin", "editor", "viewer", "supervisor", "outsider", "anonymous")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
DENIED = {401, 403, 404, 405}
# A small but real PDF: the evidence upload accepts it, so a missing check would store it.
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOWNLOADS = ("plan.downloaded", "progress.downloaded")  # reading a document is audited, not a write
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


# --- The routes ------------------------------------------------------------------------------

def _pattern_text(pattern) -> str:
    text = str(pattern)
    if type(pattern).__name__ == "RegexPattern":
        text = text.removeprefix("^").removesuffix("$").replace("\\/", "/")
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    return text


def all_routes(patterns=None, prefix: str = ""):
    """(route template, URLPattern) for every endpoint, recursing through include()s."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + _pattern_text(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_routes(entry.url_patterns, text)
        elif isinstance(entry, URLPattern):
            yield text, entry
        else:  # pragma: no cover - a new kind of URL entry must be looked at
            raise AssertionError(f"unknown URL entry {entry!r} under {prefix!r}")


def matrix_routes():
    return [(t, p) for t, p in all_routes() if not t.startswith(SKIPPED_PREFIXES)]


def params(template: str) -> list[str]:
    return [m["name"] for m in _PARAM.finditer(template)]


def fill(template: str, values: dict) -> str:
    missing = [name for name in params(template) if name not in values]
    if missing:
        raise KeyError(missing)
    return "/" + _PARAM.sub(lambda m: str(values[m["name"]]), template)


def route_id(template: str, pattern: URLPattern) -> str:
    return pattern.name or template


# --- The world: B's objects ------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Evidence files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def b_plan(world):
    """B's plan, approved, with its rounds, a report and an evidence file (round 6 left unlocked,
    so the report, upload, delete and lock routes would really write if a check were missing)."""
    from itadesk.web.plans.services import approve_plan, create_plan

    sysadmin = world["users"]["sysadmin"]
    plan = create_plan(world["b"], 2567, sysadmin)
    approve_plan(plan, plan.version, "MATRIX-APPROVER", timezone.localdate(), sysadmin)
    progress_for(plan)
    return plan


def progress_for(plan):
    """The plan's rounds and, in round 6, a report on its first measure with one evidence file."""
    from itadesk.attachments import PDF, EvidenceUpload
    from itadesk.web.progress.models import EvidenceFile
    from itadesk.web.progress.services import ensure_rounds, save_report

    existing = EvidenceFile.objects.filter(report__round__plan=plan).first()
    if existing is not None:
        return existing
    six = next(r for r in ensure_rounds(plan) if r.months == 6)
    measure = plan.measures.order_by("pk").first()
    values = {"status": "in_progress", "done": "อบรมแล้ว ๑ ครั้ง", "output": "", "outcome": "", "problems": "",
              "suggestions": "", "reason": "", "links": ["https://www.example.go.th/news/1"]}
    save_report(six, measure, values, [EvidenceUpload("หลักฐาน.pdf", PDF, EVIDENCE_PDF)], None)
    return EvidenceFile.objects.get(report__round__plan=plan)


def oit_run_for(agency):
    """A stored OIT check run of ``agency`` (FY2567, one link) for the run and report routes."""
    import datetime as dt

    from itadesk.criteria import load_criteria
    from itadesk.oit.checker import CheckRun, UrlCheck
    from itadesk.oit.verdict import predict
    from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry

    existing = CheckRunRecord.objects.filter(agency=agency).first()
    if existing is not None:
        return existing
    EvidenceEntry.objects.get_or_create(agency=agency, fiscal_year=2567, code="O1",
                                        defaults={"urls": ["https://www.example.go.th/o1"]})
    stamp = "2025-01-01T03:00:00+00:00"
    run = CheckRun(agency.name, "https://www.example.go.th", 2567, 2567, stamp, stamp,
                   [UrlCheck("O1", "https://www.example.go.th/o1", "http_error", 404, detail="เปิดไม่ได้ (รหัสตอบกลับ 404)")])
    prediction = predict(run, load_criteria(2567))
    when = dt.datetime.fromisoformat(stamp)
    return CheckRunRecord.objects.create(agency=agency, fiscal_year=2567, started_at=when, finished_at=when,
                                         run=run.to_dict(), prediction=prediction.to_dict(), oit=prediction.oit,
                                         urls=1)


def member_of(agency):
    """A viewer membership of ``agency`` (B has no members in the world) for the member routes."""
    from django.contrib.auth import get_user_model

    from itadesk.web.agencies.models import Membership

    user, _ = get_user_model().objects.get_or_create(username=f"member_of_{agency.pk}")
    return Membership.objects.get_or_create(user=user, agency=agency, defaults={"role": "viewer"})[0]


def surveys_for(agency):
    """``agency``'s practice EIT and IIT (with one-time codes) of FY2567, open today, each with
    ten answers, so its results, poster and predicted ITA (with the OIT run) all exist."""
    import datetime as dt

    from itadesk.web.surveys.models import Survey, SurveyAnswer

    existing = Survey.objects.filter(agency=agency, tool="EIT").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    for tool in ("IIT", "EIT"):
        survey = Survey.objects.create(agency=agency, fiscal_year=2567, tool=tool, uses_codes=tool == "IIT",
                                       opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=30))
        SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=survey, answered_on=today, answers={"e1": 2, "i1": 2},
                                                       source="import") for _ in range(10)])
    return Survey.objects.get(agency=agency, tool="EIT")


def supervision_of(agency):
    """A supervision of ``agency``'s province (the system admin's pages list and remove them)."""
    from django.contrib.auth import get_user_model

    from itadesk.web.agencies.models import Supervision

    user, _ = get_user_model().objects.get_or_create(username=f"supervisor_of_{agency.pk}")
    return Supervision.objects.get_or_create(user=user, province=agency.province, district="")[0]


def jobs_of(agency) -> tuple:
    """``agency``'s finished OIT check job and a finished documents job of its province with its ZIP
    (the job pages, retry, cancel and the download)."""
    from django.conf import settings

    from itadesk.web.jobs.models import DONE, Job

    run = oit_run_for(agency)
    check, _ = Job.objects.get_or_create(kind=Job.OIT_CHECK, agency=agency, fiscal_year=2567,
                                         defaults={"state": DONE, "result": {"run_id": run.pk}})
    batch = Job.objects.filter(kind=Job.DOCUMENTS, province=agency.province).first()
    if batch is None:
        batch = Job.objects.create(kind=Job.DOCUMENTS, province=agency.province, fiscal_year=2567, state=DONE,
                                   finished_at=timezone.now(), result={"agencies": 1, "without_results": []},
                                   result_file=f"jobs/matrix-{agency.pk}.zip")
        path = settings.MEDIA_ROOT / batch.result_file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return check, batch


def values_for(agency, plan) -> dict:
    """Path parameters pointing at objects that exist for ``agency``."""
    measure = plan.measures.order_by("pk").first()
    survey = surveys_for(agency)
    check_job, batch_job = jobs_of(agency)
    return {
        "job_id": check_job.pk, "batch_id": batch_job.pk,
        "survey_id": survey.pk, "token": survey.token,
        "agency_id": agency.pk, "year": 2567, "fiscal_year": 2567, "assessed_year": 2567,
        "plan_year": plan.plan_year, "fmt": "pdf",
        "measure_id": measure.pk, "measure_pk": measure.pk, "measure": measure.pk,
        "run_id": oit_run_for(agency).pk, "months": 6, "member_id": member_of(agency).pk,
        "supervision_id": supervision_of(agency).pk,
        # A draft plan has no progress yet (its pages lead to the overview before looking at the file).
        "file_id": progress_for(plan).pk if plan.status == plan.APPROVED else 1,
    }


def seed_scores() -> dict:
    from itadesk.results import load_results

    return load_results(SEED).scores


def json_payload(plan) -> str:
    """A body every API write of this project would accept, so a missing check would really write."""
    measures = [{"id": m.pk, "theme": m.theme, "name": "MATRIX-WRITE", "steps": ["x"]} for m in plan.measures.all()]
    return json.dumps({
        "fiscal_year": 2567, "assessed_year": 2567, "version": plan.version, "scores": seed_scores(),
        "source": "MATRIX-WRITE", "measures": measures, "approved_by": "MATRIX-WRITE",
        "approved_on": timezone.localdate().isoformat(), "reason": "MATRIX-WRITE",
        "status": "done", "done": "MATRIX-WRITE", "links": ["https://www.example.go.th/matrix"],
    })


def form_payload(plan) -> dict:
    """A form post every page of this project would accept (results form, upload, plan editor, approval,
    a measure's progress report with an evidence file, adding a round, unlocking a round)."""
    data = {
        "fiscal_year": "2567", "year": "2567", "assessed_year": "2567", "version": str(plan.version),
        "approved_by": "MATRIX-WRITE", "approved_on": timezone.localdate().isoformat(), "reason": "MATRIX-WRITE",
        "file": SimpleUploadedFile("seed.csv", SEED.read_bytes(), content_type="text/csv"),
        "status": "done", "done": "MATRIX-WRITE", "output": "MATRIX-WRITE", "outcome": "MATRIX-WRITE",
        "problems": "", "suggestions": "", "links": "https://www.example.go.th/matrix", "months": "3",
        "files": SimpleUploadedFile("matrix.pdf", EVIDENCE_PDF, content_type="application/pdf"),
    }
    data.update({code: str(score) for code, score in seed_scores().items()})
    data.update({"username": "matrix_invitee", "email": "matrix@example.go.th", "role": "admin"})
    # The agency set-up and profile pages (a new agency, a supervisor, a renamed agency).
    data.update({"name": "MATRIX-WRITE", "type": "MATRIX-WRITE", "province": "MATRIX-WRITE",
                 "district": "MATRIX-WRITE", "admin_email": "matrix-admin@example.go.th", "office": "MATRIX-WRITE",
                 "reference": "MATRIX-WRITE", "dept-TOTAL_FORMS": "0", "dept-INITIAL_FORMS": "0"})
    data.update({f"m{m.pk}-role": "admin" for m in plan.agency.memberships.all()})
    measures = list(plan.measures.all())
    data.update({"form-TOTAL_FORMS": str(len(measures)), "form-INITIAL_FORMS": str(len(measures)),
                 "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"})
    for i, m in enumerate(measures):
        data.update({f"form-{i}-id": str(m.pk), f"form-{i}-theme": str(m.theme), f"form-{i}-name": "MATRIX-WRITE",
                     f"form-{i}-steps": "x", f"form-{i}-order": str(i + 1)})
    return data


def counts(querysets: dict) -> dict[str, int]:
    """The row count of each queryset, all in one SELECT (one round trip instead of one each: the
    matrix takes a snapshot after each of its thousands of requests)."""
    from django.db import connection

    parts, values = [], []
    for queryset in querysets.values():
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        values.extend(params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), values)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def snapshot(agency=None, ignore_downloads: bool = False) -> dict:
    """Row counts of everything writable, and the fingerprint of ``agency``'s data (updates show too).
    ``ignore_downloads`` (the agency's supervisor: reading is audited, and the region's jobs are the
    supervisor's own to start and retry) leaves those out."""
    from django.db import models

    from itadesk.web.agencies.models import Agency, AuditEntry, Membership, Supervision
    from itadesk.web.jobs.models import Job
    from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry
    from itadesk.web.plans.models import Plan, PlanMeasure
    from itadesk.web.progress.models import EvidenceFile, MeasureReport, ReminderSent, Round
    from itadesk.web.results.models import ResultSet
    from itadesk.web.surveys.models import Survey, SurveyAnswer, SurveyCode

    audit = AuditEntry.objects.exclude(action__in=DOWNLOADS) if ignore_downloads else AuditEntry.objects.all()
    state = counts({"ResultSet": ResultSet.objects.all(), "Plan": Plan.objects.all(),
                    "PlanMeasure": PlanMeasure.objects.all(), "AuditEntry": audit,
                    "EvidenceEntry": EvidenceEntry.objects.all(), "CheckRunRecord": CheckRunRecord.objects.all(),
                    "Membership": Membership.objects.all(), "Round": Round.objects.all(),
                    "MeasureReport": MeasureReport.objects.all(),
                    "EvidenceFile": EvidenceFile.objects.all(), "ReminderSent": ReminderSent.objects.all(),
                    "Survey": Survey.objects.all(), "SurveyAnswer": SurveyAnswer.objects.all(),
                    "SurveyCode": SurveyCode.objects.all(),
                    "Agency": Agency.objects.all(), "Supervision": Supervision.objects.all(),
                    "Job": Job.objects.all() if not ignore_downloads else Job.objects.filter(agency__isnull=False)})
    if agency is not None:
        state["results"] = list(ResultSet.objects.filter(agency=agency).values_list(
            "fiscal_year", "scores", "source", "updated_at"))
        state["plans"] = list(Plan.objects.filter(agency=agency).values_list(
            "plan_year", "status", "version", "approved_by", "updated_at", "memo_number", "memo_date"))
        state["rounds"] = list(Round.objects.filter(plan__agency=agency).order_by("pk").values_list(
            "months", "locked_at", "memo_number", "memo_date"))
        state["measures"] = list(PlanMeasure.objects.filter(plan__agency=agency).values_list(
            "pk", "theme", "order", "name", "steps", "responsible", "period", "monitoring"))
        state["oit_evidence"] = list(EvidenceEntry.objects.filter(agency=agency).values_list(
            "fiscal_year", "code", "urls", "note", "updated_at"))
        state["oit_runs"] = list(CheckRunRecord.objects.filter(agency=agency).values_list("pk", "started_at", "oit"))
        state["agency"] = list(Agency.objects.filter(pk=agency.pk).values_list(
            "name", "type", "province", "district", "office", "reference", "website", "emblem"))
        state["departments"] = list(agency.departments.values_list("pk", "name", "roles"))
        state["signatories"] = list(agency.signatories.values_list("role", "name", "position"))
        state["members"] = list(Membership.objects.filter(agency=agency).values_list("pk", "user", "role", "department"))
        state["rounds"] = list(Round.objects.filter(plan__agency=agency).values_list(
            "pk", "months", "name", "ends_on", "locked_at", "locked_by"))
        state["reports"] = list(MeasureReport.objects.filter(round__plan__agency=agency).values_list(
            "pk", "status", "done", "output", "outcome", "problems", "suggestions", "reason", "links", "updated_at"))
        state["evidence_files"] = list(EvidenceFile.objects.filter(report__round__plan__agency=agency).values_list(
            "pk", "file", "name", "sha256"))
        state["surveys"] = list(Survey.objects.filter(agency=agency).values_list(
            "pk", "tool", "opens_on", "closes_on", "population", "uses_codes", "token"))
        jobs = Job.objects.filter(agency=agency)
        if not ignore_downloads:   # a supervisor may retry and cancel their own region's jobs
            jobs = Job.objects.filter(models.Q(agency=agency) | models.Q(agency__isnull=True, province=agency.province))
        state["jobs"] = list(jobs.order_by("pk").values_list("pk", "state", "attempts", "cancel_requested"))
        state["survey_codes"] = list(SurveyCode.objects.filter(survey__agency=agency).values_list("code_hash", "used"))
    return state


# --- Clients ---------------------------------------------------------------------------------

def clients_for(user, api: bool) -> dict[str, Client]:
    """Session client for pages; for API routes a token client too (and the session one)."""
    if user is None:
        return {"anonymous": APIClient() if api else Client()}
    session = Client()
    session.force_login(user)
    if not api:
        return {"session": session}
    token, _ = Token.objects.get_or_create(user=user)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return {"token": with_token, "session": session}


def send(client: Client, method: str, url: str, api: bool, plan):
    if method == "GET":
        return client.get(url)
    if method == "POST" and not api:
        return client.post(url, form_payload(plan))
    return getattr(client, method.lower())(url, data=json_payload(plan), content_type="application/json")


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def mentions(response, agency) -> bool:
    body = response.content.decode("utf-8", "replace")
    return agency.name in body or f"/agencies/{agency.pk}/" in body


# --- The matrix ------------------------------------------------------------------------------

def test_every_route_is_enumerated_and_fillable(world, b_plan):
    values = values_for(world["b"], b_plan)
    routes = matrix_routes()
    print(f"\naccess matrix: {len(routes)} routes x {len(ROLES)} roles x {len(METHODS)} methods")
    unfillable = []
    for template, pattern in routes:
        try:
            url = fill(template, values)
        except KeyError as exc:
            unfillable.append(f"/{template} ({pattern.name}): no value for {exc.args[0]}")
            continue
        match = resolve(url)
        assert match.func is pattern.callback, f"{url} resolves to {match.view_name}, not {pattern.name}"
        print(f"  {'API ' if template.startswith('api/') else 'page'} {pattern.name or '-':<18} {url}")
    skipped = [t for t, _ in all_routes() if t.startswith(SKIPPED_PREFIXES)]
    print(f"  skipped ({len(skipped)}): the Django admin (tested below) and "
          + ", ".join("/" + t for t in skipped if not t.startswith("admin/")))
    assert not unfillable, "routes whose parameters the matrix cannot fill (add them to values_for):\n" + \
        "\n".join(unfillable)
    names = {route_id(t, p) for t, p in routes}
    assert len(routes) >= MIN_ROUTES, f"only {len(routes)} routes enumerated, expected at least {MIN_ROUTES}"
    assert KNOWN_ROUTES <= names, f"routes no longer enumerated: {sorted(KNOWN_ROUTES - names)}"
    assert all("agency_id" in params(t) for t, p in routes if p.name not in UNSCOPED | PUBLIC_ROUTES), \
        "a new route without agency_id: check what it shows and add it to the leak checks"


@pytest.mark.parametrize("role", ROLES)
def test_nobody_from_agency_a_reads_or_writes_agency_b(world, b_plan, role):
    b = world["b"]
    user = None if role == "anonymous" else world["users"][role]
    values = values_for(b, b_plan)
    failures, tried = [], 0
    # Each request is compared with the state just before it: the state after the previous one
    # (nothing else writes in between; logging in and tokens are not in the snapshot).
    before = snapshot(b)
    for template, pattern in matrix_routes():
        url = fill(template, values)
        api = template.startswith("api/")
        scoped = "agency_id" in params(template)
        for how, client in clients_for(user, api).items():
            for method in METHODS:
                response = send(client, method, url, api, b_plan)
                tried += 1
                where = f"{role}/{how} {method} {url} ({pattern.name})"
                after = snapshot(b)
                if after != before:
                    failures.append(f"{where}: WROTE data (answered {response.status_code})")
                before = after
                if response.status_code in DENIED or is_login_redirect(response):
                    continue
                if pattern.name in PUBLIC_ROUTES and response.status_code in (200, 400) \
                        and "/agencies/" not in response.content.decode("utf-8", "replace"):
                    continue  # the public answer page: its questions, no way into B's data
                if not scoped and response.status_code == 200 and not mentions(response, b):
                    continue  # a list of the user's own agencies
                failures.append(f"{where}: answered {response.status_code} {response.get('Location', '')}".rstrip()
                                + (" and shows agency B" if mentions(response, b) else ""))
    print(f"\n{role}: {tried} requests against agency B, {len(failures)} failures")
    assert tried >= MIN_ROUTES * len(METHODS)
    assert not failures, "\n".join(failures)


def test_system_admin_reaches_every_route_of_b_so_the_404s_above_are_the_access_check(world, b_plan):
    sysadmin = world["users"]["sysadmin"]
    values = values_for(world["b"], b_plan)
    failures = []
    for template, pattern in matrix_routes():
        url = fill(template, values)
        api = template.startswith("api/")
        client = clients_for(sysadmin, api)["token" if api else "session"]
        response = client.get(url)
        if response.status_code not in (200, 302, 405):
            failures.append(f"GET {url} ({pattern.name}) as system admin: {response.status_code}")
        elif "agency_id" in params(template) and response.status_code == 302 and is_login_redirect(response):
            failures.append(f"GET {url} ({pattern.name}) as system admin: sent to login")
    assert not failures, "the matrix's URLs do not point at B's objects:\n" + "\n".join(failures)


def test_the_public_answer_page_is_the_only_route_anonymous_users_can_open(world, b_plan):
    values = values_for(world["b"], b_plan)
    opened = []
    for template, pattern in matrix_routes():
        response = Client().get(fill(template, values))
        if response.status_code == 200:
            opened.append(pattern.name)
    assert opened == sorted(PUBLIC_ROUTES)


def test_one_time_codes_of_b_cannot_be_printed_by_a(world, b_plan):
    from itadesk.web.surveys.models import Survey, SurveyCode

    surveys_for(world["b"])
    iit = Survey.objects.get(agency=world["b"], tool="IIT")
    for role in ("admin", "editor", "viewer", "supervisor", "outsider"):
        client = clients_for(world["users"][role], api=False)["session"]
        response = client.post(f"/agencies/{world['b'].pk}/surveys/{iit.pk}/codes/", {"count": "5"})
        assert response.status_code == 404, role
    assert not SurveyCode.objects.exists()
    root = clients_for(world["users"]["sysadmin"], api=False)["session"]
    assert root.post(f"/agencies/{world['b'].pk}/surveys/{iit.pk}/codes/", {"count": "5"}).status_code == 200
    assert SurveyCode.objects.count() == 5


# --- Positive checks on agency A -------------------------------------------------------------

def test_editor_reads_and_writes_own_agency_through_the_api_with_a_token(world):
    from itadesk.web.plans.services import create_plan

    a, editor = world["a"], world["users"]["editor"]
    plan = create_plan(a, 2567, editor)
    values = values_for(a, plan)
    client = clients_for(editor, api=True)["token"]
    for template, pattern in matrix_routes():
        if template.startswith("api/"):
            status = client.get(fill(template, values)).status_code
            assert status in (200, 405), f"{pattern.name}: {status}"
    base = f"/api/agencies/{a.pk}"
    before = snapshot(a)
    # The draft plan uses these scores: replacing them is confirmed.
    assert client.put(f"{base}/results/2567/", {"scores": seed_scores()}, format="json").status_code == 409
    assert client.put(f"{base}/results/2567/", {"scores": seed_scores(), "confirm": True},
                      format="json").status_code == 200
    assert client.post(f"{base}/plans/", {"assessed_year": 2567}, format="json").status_code == 201
    read = client.get(f"{base}/plans/2568/").json()
    measures = [{**m, "name": f"แก้ไข {m['name']}"} for m in read["measures"]]
    assert client.put(f"{base}/plans/2568/", {"version": read["version"], "measures": measures},
                      format="json").status_code == 200
    version = client.get(f"{base}/plans/2568/").json()["version"]
    assert client.post(f"{base}/plans/2568/approve/", {"version": version}, format="json").status_code == 200
    measure = client.get(f"{base}/plans/2568/").json()["measures"][0]["id"]
    assert client.put(f"{base}/plans/2568/progress/6/measures/{measure}/", {"status": "done", "done": "ทำแล้ว"},
                      format="json").status_code == 200
    after = snapshot(a)
    assert after["AuditEntry"] == before["AuditEntry"] + 5
    assert after["plans"] != before["plans"] and after["results"] != before["results"]
    assert after["reports"] != before["reports"]


def test_supervisor_reads_agency_a_but_cannot_write(world):
    from itadesk.web.plans.services import create_plan

    a = world["a"]
    plan = create_plan(a, 2567, world["users"]["editor"])
    values = values_for(a, plan)
    supervisor = world["users"]["supervisor"]
    failures = []
    before = snapshot(a, ignore_downloads=True)   # then the state after the previous request, as above
    for template, pattern in matrix_routes():
        url = fill(template, values)
        api = template.startswith("api/")
        for how, client in clients_for(supervisor, api).items():
            for method in METHODS:
                response = send(client, method, url, api, plan)
                where = f"supervisor/{how} {method} {url} ({pattern.name})"
                after = snapshot(a, ignore_downloads=True)
                if after != before:
                    failures.append(f"{where}: WROTE data")
                before = after
                if method == "GET":
                    if api and response.status_code not in (200, 405):
                        failures.append(f"{where}: cannot read ({response.status_code})")
                    continue
                if pattern.name in PUBLIC_ROUTES:
                    continue  # anyone may post an answer; the matrix's post is not one (checked: no write)
                if pattern.name in SUPERVISOR_JOB_ROUTES:
                    continue  # the region's own jobs: a supervisor starts, retries and cancels them
                # Writes: refused. A page that only reads may answer a POST like a GET (200).
                allowed = {403, 404, 405} | (set() if api else {200})
                if response.status_code not in allowed:
                    failures.append(f"{where}: answered {response.status_code}")
    for name in ("agency", "analysis", "plan"):
        template = next(t for t, p in matrix_routes() if p.name == name)
        assert clients_for(supervisor, False)["session"].get(fill(template, values)).status_code == 200, name
    assert not failures, "\n".join(failures)


# --- The Django admin ------------------------------------------------------------------------

def admin_urls(user) -> list[str]:
    fillers = {"object_id": user.pk, "id": user.pk, "content_type_id": 1, "app_label": "auth"}
    urls = []
    for template, _pattern in all_routes():
        if not template.startswith("admin/") or template in ("admin/login/", "admin/logout/"):
            continue
        try:
            urls.append(fill(template, fillers))
        except KeyError:
            continue  # the catch-all
    return urls


def test_django_admin_is_for_the_system_admin_only(world, django_user_model):
    staff = django_user_model.objects.create_user("staff_not_superuser", password="x", is_staff=True)
    users = {**world["users"], "staff": staff}
    urls = admin_urls(world["users"]["outsider"])
    assert len(urls) >= 10
    failures = []
    for role in ("admin", "editor", "viewer", "supervisor", "outsider", "staff", "anonymous"):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        for url in urls:
            response = client.get(url)
            if not (response.status_code == 302 and "/admin/login/" in response["Location"]):
                failures.append(f"{role} GET {url}: {response.status_code}")
        assert client.post("/admin/auth/user/add/", {"username": "x", "password1": "p-4!Qwerty",
                                                     "password2": "p-4!Qwerty"}).status_code == 302
    assert not django_user_model.objects.filter(username="x").exists()
    assert not failures, "\n".join(failures)
    root = Client()
    root.force_login(world["users"]["sysadmin"])
    assert root.get("/admin/").status_code == 200
    assert root.get("/admin/auth/user/").status_code == 200


# --- The region (dashboard) routes: their downloads, read as a user reads them ---------------

def _download_text(response) -> str:
    """What a user reads in a region download: the XLSX cells, the DOCX text, the PDF text."""
    import io

    kind = response["Content-Type"]
    if "spreadsheetml" in kind:
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    if "wordprocessingml" in kind:
        from tests.support.docx_text import docx_text

        return docx_text(response.content)
    if kind == "application/pdf":
        from tests.support.pdf_text import pdf_text

        return pdf_text(response.content)
    return response.content.decode("utf-8", "replace")


def test_region_routes_show_a_supervisor_only_their_region_and_nobody_else_anything(world):
    from itadesk.web.results.models import ResultSet

    ResultSet.objects.filter(agency=world["b"]).update(ita=60.0)   # B would be listed below 85 if it leaked
    urls = {name: fill(t, {"fmt": "pdf"}) for t, p in matrix_routes()
            if (name := p.name) in REGION_ROUTES and name not in REGION_JOB_ROUTES}
    urls["dashboard_report_docx"] = urls["dashboard_report"].replace(".pdf", ".docx")
    supervisor = clients_for(world["users"]["supervisor"], False)["session"]
    sysadmin = clients_for(world["users"]["sysadmin"], False)["session"]
    for name, url in urls.items():
        if name == "national_import":
            assert supervisor.get(url).status_code == 404   # system administrators only
            assert sysadmin.get(url).status_code == 200
            continue
        seen = _download_text(supervisor.get(url))
        assert world["a"].name in "".join(seen.split()) or name == "dashboard_weaknesses", name
        assert world["b"].name not in "".join(seen.split()), f"{name}: the supervisor of A's province sees B"
        assert world["b"].name in "".join(_download_text(sysadmin.get(url)).split()) or \
            name == "dashboard_weaknesses", f"{name}: the system admin should see the country"
    for role in ("admin", "editor", "viewer", "outsider"):
        client = clients_for(world["users"][role], False)["session"]
        for name, url in urls.items():
            assert client.get(url).status_code == 404, f"{role} {name}"
    for url in urls.values():
        assert is_login_redirect(Client().get(url))


def test_region_jobs_show_a_supervisor_only_their_regions_jobs(world):
    """The job pages themselves are in the matrix above (B's province's job: 404); the list of the
    region's jobs shows A's province's job to its supervisor and not B's."""
    _, mine = jobs_of(world["a"])
    _, theirs = jobs_of(world["b"])
    supervisor = clients_for(world["users"]["supervisor"], False)["session"]
    listed = supervisor.get("/region/jobs/").content.decode()
    assert f"/region/jobs/{mine.pk}/" in listed and f"/region/jobs/{theirs.pk}/" not in listed
    assert supervisor.get(f"/region/jobs/{mine.pk}/download/").status_code == 200
    assert supervisor.get(f"/region/jobs/{theirs.pk}/download/").status_code == 404
    everything = clients_for(world["users"]["sysadmin"], False)["session"].get("/region/jobs/").content.decode()
    assert f"/region/jobs/{mine.pk}/" in everything and f"/region/jobs/{theirs.pk}/" in everything
