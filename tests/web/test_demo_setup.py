"""The demo the README's first command sets up: the current cycle (FY2569 results → FY2570 draft,
the FY2569 plan's year of progress) and FY2567 → FY2568 as the fully known example."""

import pytest
from django.core.management import call_command


@pytest.fixture
def run_demo_setup(db):
    def run():
        from io import StringIO

        out = StringIO()
        call_command("demo_setup", stdout=out)
        return out.getvalue()
    return run


def test_demo_has_an_approved_plan_with_the_demo_progress(run_demo_setup):
    from itadesk.web.plans.models import Plan
    from itadesk.web.progress.models import MeasureReport

    output = run_demo_setup()
    plan = Plan.objects.get(plan_year=2568)
    assert plan.status == Plan.APPROVED and plan.approved_by
    assert [r.months for r in plan.rounds.all()] == [6, 12]
    manual = MeasureReport.objects.get(measure__measure_id="staff_manual", round__months=6)
    assert manual.status == "done" and "คู่มือการปฏิบัติงาน 9 เรื่อง" in manual.output
    assert manual.links == ["https://www.bansuanhom.go.th/ita/2568/staff-manual"]
    assert "ผู้ใช้ตัวอย่าง: demo" in output


def test_running_it_again_keeps_what_the_demo_user_changed(run_demo_setup):
    from itadesk.web.progress.models import MeasureReport

    run_demo_setup()
    count = MeasureReport.objects.count()
    report = MeasureReport.objects.get(measure__measure_id="staff_manual", round__months=12)
    report.outcome = "แก้ไขโดยผู้ใช้"
    report.save()
    run_demo_setup()
    assert MeasureReport.objects.count() == count
    assert MeasureReport.objects.get(pk=report.pk).outcome == "แก้ไขโดยผู้ใช้"


def test_demo_shows_the_current_cycle_fy2569_results_and_the_fy2570_draft(run_demo_setup):
    from itadesk.web.plans.models import Plan
    from itadesk.web.progress.models import MeasureReport
    from itadesk.web.results.models import ResultSet

    output = run_demo_setup()
    assert sorted(ResultSet.objects.values_list("fiscal_year", flat=True)) == [2567, 2568, 2569]
    fy2569 = Plan.objects.get(plan_year=2569)
    assert fy2569.status == Plan.APPROVED and fy2569.assessed_year == 2568
    assert MeasureReport.objects.filter(round__plan=fy2569, round__months=12).exists()
    draft = Plan.objects.get(plan_year=2570)
    assert draft.status == Plan.DRAFT and draft.assessed_year == 2569 and draft.measures.exists()
    # the FY2569 measure still in progress after 12 months continues in FY2570
    carried = draft.measures.filter(carried_from__plan=fy2569)
    assert [m.measure_id for m in carried] == ["eservice_promotion"]
    assert "มาตรการปีงบประมาณ 2570 (ร่าง)" in output
    run_demo_setup()
    assert Plan.objects.get(plan_year=2570).measures.count() == draft.measures.count()
