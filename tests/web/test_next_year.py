"""Next year's page: FY2568 scores against FY2567's weak items, and the unfinished measures of
the approved FY2568 plan carried into the FY2569 plan with their history."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from itadesk.thai import fiscal_year_period

pytestmark = pytest.mark.django_db

# FY2568 scores (codes of FY2568): service statistics (O12 → O11) now full, contacts (O4 → O3)
# better but weak, news (O5 → O4) still zero.
FY2568_SCORES = {"O11": 100, "O3": 60, "O4": 0, "O8": 100, "O9": 100, "O14": 0, "O15": 100}
HAND_ADDED = "อบรมคุณธรรมและจริยธรรมให้บุคลากรทุกกอง"
AGENCY_WORDING = "ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์ (ตามที่หน่วยงานแก้ไข)"


def url(agency, plan_year=2568):
    return f"/agencies/{agency.pk}/plans/{plan_year}/next/"


def approve(plan, user):
    from itadesk.web.plans.services import approve_plan

    return approve_plan(plan, plan.version, "นายกเทศมนตรี", dt.date(2024, 10, 15), user)


def report(measure, rounds, months, status, done="", **extra):
    from itadesk.web.progress.models import MeasureReport

    MeasureReport.objects.create(round=rounds[months], measure=measure, status=status, done=done, **extra)


@pytest.fixture
def year(world):
    """Agency A: the FY2568 plan (from FY2567 scores) approved and reported, FY2568 scores in."""
    from itadesk.web.plans.models import PlanMeasure
    from itadesk.web.plans.services import create_plan
    from itadesk.web.progress.services import ensure_rounds
    from itadesk.web.results.models import ResultSet

    a, editor = world["a"], world["users"]["editor"]
    plan = create_plan(a, 2567, editor)
    plan.measures.filter(measure_id="website_basic_info").update(name=AGENCY_WORDING)
    PlanMeasure.objects.create(plan=plan, order=99, theme=6, name=HAND_ADDED, steps=["จัดอบรม"],
                               responsible="สำนักปลัด", period="ทั้งปี", monitoring="รายงานผู้บริหาร")
    plan = approve(plan, editor)
    rounds = {r.months: r for r in ensure_rounds(plan)}
    measures = {m.measure_id or "hand": m for m in plan.measures.all()}
    unfinished = {"service_statistics", "development_plan", "website_basic_info", "hand"}
    for key, measure in measures.items():
        if key == "annual_report":
            report(measure, rounds, 12, "cancelled", reason="รวมกับรายงานประจำปีของจังหวัด")
        elif key not in unfinished:
            report(measure, rounds, 12, "done", done="ดำเนินการแล้ว")
    report(measures["service_statistics"], rounds, 6, "in_progress", done="เก็บสถิติไตรมาสแรกแล้ว")
    report(measures["service_statistics"], rounds, 12, "in_progress", done="ยังขาดสถิติของกองช่าง",
           problems="กองช่างไม่ได้ส่งข้อมูล")
    report(measures["website_basic_info"], rounds, 6, "in_progress", done="ปรับหน้าโครงสร้างแล้ว")
    ResultSet.objects.create(agency=a, fiscal_year=2568, scores=FY2568_SCORES, source="ITAS 2568")
    return {"plan": plan, "measures": measures, "unfinished": {k: measures[k] for k in unfinished}}


def checked_measures(response) -> list[str]:
    """The values of the checked, enabled measure checkboxes, as a browser would post them."""
    boxes = re.findall(r'<input type="checkbox" name="measure" value="(\d+)"([^>]*)>', response.content.decode())
    return [value for value, rest in boxes if "checked" in rest and "disabled" not in rest]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_page_shows_which_weak_items_improved_and_the_unfinished_measures_with_history(world, year, login):
    response = login(world["users"]["viewer"]).get(url(world["a"]))
    assert response.status_code == 200
    page = response.content.decode()
    rows = dict(re.findall(r'<tr data-code="(\w+)">(.*?)</tr>', page, re.S))
    assert "ผ่านเกณฑ์แล้ว" in rows["O12"] and "ข้อ O11" in rows["O12"] and "๑๐๐.๐๐" in rows["O12"]
    assert "ดีขึ้นแต่ยังต้องพัฒนา" in rows["O4"] and "ข้อ O3" in rows["O4"]
    assert "ไม่ดีขึ้น" in rows["O5"]
    assert "ไม่พบข้อเดียวกันในเกณฑ์ปีนี้" in rows["e9"]            # FY2568 lists no survey questions
    assert "O1" not in rows                                             # full marks in FY2567
    words = text(response)
    # With scores both years: O12, O19 now pass, O4 better; O5, O18 (→ O14) not better.
    assert "ดีขึ้น ๓ จาก ๕ ข้อที่มีคะแนนทั้งสองปี อีก ๑๖ ข้อไม่มีคะแนน" in words
    assert "มาตรการปี ๒๕๖๘ ที่ยังไม่แล้วเสร็จ (๔)" in words
    assert "รอบ ๖ เดือน: อยู่ระหว่างดำเนินการ — เก็บสถิติไตรมาสแรกแล้ว" in words
    assert "รอบ ๑๒ เดือน: อยู่ระหว่างดำเนินการ — ยังขาดสถิติของกองช่าง (ปัญหาอุปสรรค: กองช่างไม่ได้ส่งข้อมูล)" in words
    assert HAND_ADDED in words and "ยังไม่เคยรายงานผล" in words
    done = year["measures"]["hr_plan"].name
    assert done not in words and year["measures"]["annual_report"].name not in words  # done / cancelled
    assert "เริ่มปีงบประมาณ ๒๕๖๙</button>" not in page                # a viewer cannot start the year


def test_carry_over_starts_the_next_plan_with_the_unfinished_measures_and_their_history(world, year, login):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.plans.models import Plan

    client = login(world["users"]["editor"])
    page = client.get(url(world["a"]))
    chosen = checked_measures(page)
    assert sorted(chosen) == sorted(str(m.pk) for m in year["unfinished"].values())  # all checked by default

    response = client.post(url(world["a"]), {"measure": chosen})
    assert response.status_code == 302 and response["Location"].endswith("/plans/2569/")
    new = Plan.objects.get(agency=world["a"], plan_year=2569)
    assert (new.status, new.assessed_year) == (Plan.DRAFT, 2568)
    carried = {m.carried_from.measure_id or "hand": m for m in new.measures.filter(carried_from__isnull=False)}
    assert set(carried) == set(year["unfinished"])
    for key, row in carried.items():
        old = year["unfinished"][key]
        assert row.carried_from == old
        assert (row.theme, row.name, row.steps, row.responsible, row.monitoring) == \
            (old.theme, old.name, old.steps, old.responsible, old.monitoring)

    statistics = carried["service_statistics"]
    assert statistics.period == fiscal_year_period(2569) and statistics.due_on == dt.date(2026, 9, 30)
    assert statistics.targets == [{"code": "O11", "name": "ข้อมูลสถิติการให้บริการ", "score": 100,
                                   "status": "maintain"}]
    plan_first = carried["development_plan"]   # first quarter in the knowledge base, now of FY2569
    assert plan_first.due_on == dt.date(2025, 12, 31) and plan_first.period == "๑ ตุลาคม ๒๕๖๘ ถึง ๓๑ ธันวาคม ๒๕๖๘"
    assert carried["hand"].period == fiscal_year_period(2569) and carried["hand"].measure_id == ""
    # Generated again from FY2568's weak O3: one measure, the continuation, in the agency's wording.
    website = new.measures.filter(measure_id="website_basic_info")
    assert website.count() == 1 and website.get().name == AGENCY_WORDING
    assert [t["code"] for t in website.get().targets] == ["O3"]
    entry = AuditEntry.objects.get(agency=world["a"], action="plan.carried_over")
    assert entry.user == world["users"]["editor"] and entry.details["from_plan_year"] == 2568
    assert len(entry.details["added"]) + len(entry.details["linked"]) == 4

    words = text(client.get(response["Location"]))
    assert ("ต่อเนื่องจากปีงบประมาณ ๒๕๖๘: รอบ ๖ เดือน อยู่ระหว่างดำเนินการ — เก็บสถิติไตรมาสแรกแล้ว; "
            "รอบ ๑๒ เดือน อยู่ระหว่างดำเนินการ — ยังขาดสถิติของกองช่าง") in words
    assert "ต่อเนื่องจากปีงบประมาณ ๒๕๖๘: ยังไม่เคยรายงานผล" in words

    count = new.measures.count()
    again = client.post(url(world["a"]), {"measure": chosen}, follow=True)
    assert "ไม่มีมาตรการที่ต้องยกมาเพิ่ม" in text(again)
    assert new.measures.count() == count
    assert AuditEntry.objects.filter(action="plan.carried_over").count() == 1
    assert checked_measures(client.get(url(world["a"]))) == []  # the page shows them as carried


def test_a_second_run_adds_only_what_was_left_out_and_keeps_the_edited_draft(world, year, login):
    from itadesk.web.plans.models import Plan

    client = login(world["users"]["editor"])
    statistics = year["unfinished"]["service_statistics"]
    assert client.post(url(world["a"]), {"measure": [statistics.pk]}).status_code == 302
    new = Plan.objects.get(agency=world["a"], plan_year=2569)
    assert [m.carried_from for m in new.measures.filter(carried_from__isnull=False)] == [statistics]
    new.measures.filter(measure_id="news_publication").update(name="ข่าวสารทุกสัปดาห์")
    version = new.version

    assert client.post(url(world["a"]), {"measure": checked_measures(client.get(url(world["a"])))}).status_code == 302
    new.refresh_from_db()
    assert new.measures.filter(carried_from__isnull=False).count() == 4
    assert new.measures.filter(carried_from=statistics).count() == 1
    assert new.measures.get(measure_id="news_publication").name == "ข่าวสารทุกสัปดาห์"
    assert new.version == version + 1   # an editor with the draft open is told it changed


def test_refused_when_the_next_plan_is_already_approved(world, year, login):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.plans.models import PlanMeasure
    from itadesk.web.plans.services import create_plan

    approve(create_plan(world["a"], 2568, world["users"]["editor"]), world["users"]["editor"])
    measures, audit = PlanMeasure.objects.count(), AuditEntry.objects.count()
    client = login(world["users"]["admin"])
    page = client.get(url(world["a"]))
    assert "มาตรการปีงบประมาณ ๒๕๖๙ อนุมัติแล้ว" in text(page)
    assert "เริ่มปีงบประมาณ ๒๕๖๙</button>" not in page.content.decode()

    chosen = [m.pk for m in year["unfinished"].values()]
    response = client.post(url(world["a"]), {"measure": chosen})
    assert response.status_code == 409
    assert "ไม่ได้บันทึก: มาตรการปีงบประมาณ ๒๕๖๙ อนุมัติแล้ว" in text(response)
    assert (PlanMeasure.objects.count(), AuditEntry.objects.count()) == (measures, audit)
    assert not PlanMeasure.objects.filter(carried_from__isnull=False).exists()


@pytest.mark.parametrize("role", ["viewer", "supervisor"])
def test_readers_cannot_carry_over(world, year, login, role):
    from itadesk.web.plans.models import Plan

    client = login(world["users"][role])
    assert client.get(url(world["a"])).status_code == 200
    response = client.post(url(world["a"]), {"measure": [m.pk for m in year["unfinished"].values()]})
    assert response.status_code == 403
    assert not Plan.objects.filter(plan_year=2569).exists()


def test_another_agencys_plan_is_not_found(world, year, login):
    from itadesk.web.plans.models import Plan
    from itadesk.web.plans.services import create_plan

    b_plan = approve(create_plan(world["b"], 2567, world["users"]["sysadmin"]), world["users"]["sysadmin"])
    client = login(world["users"]["admin"])
    assert client.get(url(world["b"])).status_code == 404
    assert client.post(url(world["b"]), {"measure": [m.pk for m in b_plan.measures.all()]}).status_code == 404
    assert not Plan.objects.filter(plan_year=2569).exists()


def test_without_the_years_scores_the_page_says_so_and_links_to_the_import(world, year, login):
    from itadesk.web.plans.models import Plan
    from itadesk.web.results.models import ResultSet

    ResultSet.objects.filter(agency=world["a"], fiscal_year=2568).delete()
    client = login(world["users"]["editor"])
    page = client.get(url(world["a"]))
    body = page.content.decode()
    assert "ยังไม่มีผลคะแนน ITA ปีงบประมาณ ๒๕๖๘" in text(page)
    assert f'href="/agencies/{world["a"].pk}/results/upload/"' in body
    assert f'href="/agencies/{world["a"].pk}/results/new/?year=2568"' in body
    assert "เริ่มปีงบประมาณ ๒๕๖๙</button>" not in body
    assert "ยังขาดสถิติของกองช่าง" in text(page)   # the unfinished measures are listed all the same

    response = client.post(url(world["a"]), {"measure": [m.pk for m in year["unfinished"].values()]})
    assert response.status_code == 409 and "กรุณานำเข้าผลคะแนนก่อน" in text(response)
    assert not Plan.objects.filter(plan_year=2569).exists()


def test_a_measure_that_is_finished_or_of_another_plan_is_refused_and_nothing_written(world, year, login):
    from itadesk.web.plans.models import Plan

    client = login(world["users"]["editor"])
    for tampered in ([year["measures"]["hr_plan"].pk], ["abc"]):
        response = client.post(url(world["a"]), {"measure": tampered})
        assert response.status_code == 400 and "ยังไม่ได้บันทึกข้อมูลใด ๆ" in text(response)
    assert not Plan.objects.filter(plan_year=2569).exists()


def test_a_draft_plan_cannot_start_the_next_year(world, login):
    from itadesk.web.plans.models import Plan
    from itadesk.web.plans.services import create_plan

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    client = login(world["users"]["editor"])
    assert "ยังเป็นร่าง" in text(client.get(url(world["a"])))
    response = client.post(url(world["a"]), {"measure": [m.pk for m in plan.measures.all()]})
    assert response.status_code == 409 and "ยังไม่ได้อนุมัติ" in text(response)
    assert not Plan.objects.filter(plan_year=2569).exists()
