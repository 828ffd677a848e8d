"""The demo the README's first command sets up: agency, results, approved FY2568 plan with progress."""

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
