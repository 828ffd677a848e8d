"""The agencies list: what a province office sees of every agency at a glance."""

import datetime as dt

from itadesk.thai import to_thai_digits
from tests.web.conftest import on_day


def test_supervisor_sees_each_agencys_next_plan_and_how_far_it_is(world, login, approved_plan, monkeypatch):
    """A province office's home is the region dashboard (tests/web/test_dashboard.py): for the
    year of the results, the plan that follows them and how far its measures are."""
    from itadesk.web.progress.models import MeasureReport
    from itadesk.web.progress.services import ensure_rounds

    measures = list(approved_plan.measures.all())
    approved_plan.measures.update(due_on=dt.date(2025, 9, 30))
    early_done, early_late = measures[0], measures[1]
    for m in (early_done, early_late):
        m.due_on = dt.date(2025, 1, 31)
        m.save()
    six = ensure_rounds(approved_plan)[0]
    MeasureReport.objects.create(round=six, measure=early_done, status="done", done="ทำแล้ว")
    MeasureReport.objects.create(round=six, measure=early_late, status="in_progress", done="กำลังทำ")
    on_day(monkeypatch, dt.date(2025, 4, 15))

    body = login(world["users"]["supervisor"]).get("/?year=2567").content.decode()
    assert world["a"].name in body and world["b"].name not in body   # B is in another province
    assert f'/agencies/{world["a"].pk}/plans/2568/">อนุมัติแล้ว</a>' in body
    assert f">๑/{to_thai_digits(len(measures))}</a>" in body
    assert "เกินกำหนด ๑" in body
    assert f"/agencies/{world['a'].pk}/plans/2568/progress/" in body
    behind = login(world["users"]["supervisor"]).get("/?year=2567&behind=1").content.decode()
    assert world["a"].name in behind   # approved, but a measure is past its due date


def test_an_agency_without_an_approved_plan_shows_no_progress(world, login):
    from itadesk.web.plans.services import create_plan

    create_plan(world["a"], 2567, world["users"]["editor"])
    body = login(world["users"]["viewer"]).get("/").content.decode()
    assert "(ร่าง)" in body and "แล้วเสร็จ" not in body


def test_the_list_is_paged_and_queries_do_not_grow_with_agencies(world, login, django_assert_max_num_queries,
                                                                 settings, monkeypatch):
    from itadesk.web.agencies.models import Agency, Membership
    from itadesk.web.home import views

    monkeypatch.setattr(views, "AGENCIES_PER_PAGE", 3)
    created = Agency.objects.bulk_create([Agency(name=f"อบต.ทดสอบ{i}", type="อบต.", district="พล",
                                                 province="ขอนแก่น") for i in range(6)])
    viewer = world["users"]["viewer"]   # a member of A and of the six: 7 agencies, 3 pages
    Membership.objects.bulk_create([Membership(user=viewer, agency=a, role="viewer") for a in created])
    client = login(viewer)
    with django_assert_max_num_queries(12):
        first = client.get("/").content.decode()
    assert "หน้า ๑ จาก ๓" in first
    assert "หน้า ๓ จาก ๓" in client.get("/?page=3").content.decode()
