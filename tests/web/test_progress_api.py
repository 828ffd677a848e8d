"""The progress API: read every round and report; write a measure's report with the page's rules."""


import pytest

from tests.web.test_api import api


@pytest.fixture
def plan(approved_plan):
    return approved_plan


def report_url(plan, measure, months=6) -> str:
    return f"/api/agencies/{plan.agency_id}/plans/{plan.plan_year}/progress/{months}/measures/{measure.pk}/"


def progress_url(plan) -> str:
    return f"/api/agencies/{plan.agency_id}/plans/{plan.plan_year}/progress/"


def reports():
    from itadesk.web.progress.models import MeasureReport

    return list(MeasureReport.objects.values_list("measure_id", "round__months", "status", "done", "links"))


def test_editor_writes_a_report_and_a_viewer_reads_it_back(world, plan):
    from itadesk.web.agencies.models import AuditEntry

    measure = plan.measures.first()
    body = {"status": "done", "done": "อบรมเจ้าหน้าที่แล้ว ๒ รุ่น", "output": "ผู้ผ่านการอบรม ๔๒ คน",
            "links": ["https://www.example.go.th/news/1"]}
    written = api(world["users"]["editor"]).put(report_url(plan, measure), body, format="json")
    assert written.status_code == 200, written.content
    assert written.json()["status"] == "done" and written.json()["links"] == body["links"]
    assert AuditEntry.objects.filter(action="progress.reported", user=world["users"]["editor"]).exists()

    rounds = api(world["users"]["viewer"]).get(progress_url(plan)).json()
    assert [(r["months"], r["locked"]) for r in rounds] == [(6, False), (12, False)]
    [report] = rounds[0]["reports"]
    assert (report["measure"], report["done"], report["updated_by"]) == (measure.pk, body["done"], "a_editor")


@pytest.mark.parametrize("body,problem", [
    ({"status": "cancelled"}, "reason"),
    ({"status": "done", "links": ["ftp://files.example.go.th/a.pdf"]}, "links"),
    ({"status": "finished"}, "status"),
])
def test_bad_reports_are_refused_with_the_field_and_nothing_written(world, plan, body, problem):
    response = api(world["users"]["editor"]).put(report_url(plan, plan.measures.first()), body, format="json")
    assert response.status_code == 400
    assert any(p.startswith(problem) for p in response.json()["problems"])
    assert reports() == []


def test_a_locked_round_refuses_changes(world, plan):
    from itadesk.web.progress.services import ensure_rounds, lock_round

    lock_round(ensure_rounds(plan)[0], world["users"]["editor"])
    response = api(world["users"]["editor"]).put(report_url(plan, plan.measures.first()), {"status": "done"},
                                                 format="json")
    assert response.status_code == 409 and "ล็อก" in response.json()["detail"]
    assert reports() == []


def test_a_draft_plan_has_no_progress_yet(world):
    from itadesk.web.plans.services import create_plan

    draft = create_plan(world["a"], 2567, world["users"]["editor"])
    response = api(world["users"]["viewer"]).get(progress_url(draft))
    assert response.status_code == 200 and response.json() == []
    written = api(world["users"]["editor"]).put(report_url(draft, draft.measures.first()), {"status": "done"},
                                                format="json")
    assert written.status_code == 409 and "ยังไม่อนุมัติ" in written.json()["detail"]
    assert reports() == []


@pytest.mark.parametrize("who,expected", [("viewer", 403), ("supervisor", 403), ("outsider", 404)])
def test_only_the_agencys_editors_write(world, plan, who, expected):
    response = api(world["users"][who]).put(report_url(plan, plan.measures.first()), {"status": "done"}, format="json")
    assert response.status_code == expected
    assert reports() == []


def test_another_plans_measure_is_not_found(world, plan):
    from itadesk.web.plans.services import create_plan

    other = create_plan(world["b"], 2567, world["users"]["sysadmin"]).measures.first()
    response = api(world["users"]["editor"]).put(report_url(plan, other), {"status": "done"}, format="json")
    assert response.status_code == 404 and reports() == []


def test_the_schema_describes_the_progress_routes(world):
    schema = api(world["users"]["viewer"]).get("/api/schema/?format=json").json()
    assert "/api/agencies/{agency_id}/plans/{plan_year}/progress/{months}/measures/{measure_pk}/" in schema["paths"]
