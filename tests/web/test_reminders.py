"""E-mail reminders: who gets them, what they say, and the daily send_reminders command."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from itadesk.progress import IN_PROGRESS

H1_END = dt.date(2025, 3, 31)     # end of the 6-month round of FY2568
SITE = "https://itadesk.example.go.th"


@pytest.fixture
def plan_world(world, django_user_model, settings):
    """Agency a's approved FY2568 plan cut to four measures with known units and due dates, and
    users in (and out of) its units."""
    from itadesk.web.agencies.models import Department, Membership, Supervision
    from itadesk.web.plans.models import PlanMeasure
    from itadesk.web.plans.services import approve_plan, create_plan
    from itadesk.web.progress.services import ensure_rounds

    settings.SITE_URL = SITE + "/"
    a, b, users = world["a"], world["b"], world["users"]
    admin = users["admin"]
    plan = create_plan(a, 2567, admin)
    finance, shared, staff = list(plan.measures.all())[:3]
    plan.measures.exclude(pk__in=[finance.pk, shared.pk, staff.pk]).delete()
    for measure, responsible, due in (
        (finance, "กองคลัง (งานพัสดุ)", dt.date(2024, 12, 31)),
        (shared, "สำนักปลัด (งานประชาสัมพันธ์) / กองคลัง (งานการเงินและบัญชี)", dt.date(2025, 9, 30)),
        (staff, "สำนักปลัด (งานการเจ้าหน้าที่)", H1_END),
    ):
        measure.responsible, measure.due_on = responsible, due
        measure.save()
    handmade = PlanMeasure.objects.create(plan=plan, order=9, theme=7, name="ทบทวนคู่มือการปฏิบัติงานด้านจริยธรรม",
                                          responsible="คณะทำงานส่งเสริมคุณธรรม", period="ตลอดปี", monitoring="-")
    plan = approve_plan(plan, plan.version, "นายสมศักดิ์ รักษ์ถิ่น", dt.date(2024, 10, 15), admin)
    rounds = {r.months: r for r in ensure_rounds(plan)}

    def unit(agency, name):
        return Department.objects.get(agency=agency, name=name)

    def member(username, agency, role, department, email="", **extra):
        user = django_user_model.objects.create_user(username, email=email, **extra)
        Membership.objects.create(user=user, agency=agency, role=role, department=department)
        return user

    admin.email = "admin@bansuanhom.go.th"
    admin.save()
    member("nok", a, Membership.EDITOR, unit(a, "กองคลัง"), "nok@bansuanhom.go.th", first_name="กนกพร")
    member("somchai", a, Membership.VIEWER, unit(a, "สำนักปลัด"), "somchai@bansuanhom.go.th")
    member("retired", a, Membership.EDITOR, unit(a, "กองคลัง"), "retired@bansuanhom.go.th", is_active=False)
    Membership.objects.filter(user=users["viewer"]).update(department=unit(a, "สำนักปลัด"))   # no e-mail
    Membership.objects.filter(user=users["editor"]).update(department=unit(a, "หน่วยตรวจสอบภายใน"))  # no e-mail
    member("b_finance", b, Membership.ADMIN, unit(b, "กองคลัง"), "finance@nongnamsai.go.th")
    users["supervisor"].email = "supervisor@province.go.th"
    users["supervisor"].save()
    assert Supervision.objects.filter(user=users["supervisor"]).exists()
    return {"plan": plan, "rounds": rounds, "finance": finance, "shared": shared, "staff": staff,
            "handmade": handmade, "a": a, "b": b}


def _report(measure, round, status):
    from itadesk.web.progress.models import MeasureReport
    return MeasureReport.objects.create(round=round, measure=measure, status=status)


def _run(*args):
    from io import StringIO
    out, err = StringIO(), StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _by_recipient():
    assert all(len(m.to) == 1 for m in mail.outbox)
    return {m.to[0]: m for m in mail.outbox}


def _sent_log():
    from itadesk.web.progress.models import ReminderSent
    return sorted((r.kind, r.measure_id, r.round.months if r.round else None, r.recipient, r.sent_on)
                  for r in ReminderSent.objects.select_related("round"))


def test_recipients_are_the_units_users_with_an_email_else_the_admins(plan_world):
    from itadesk.web.progress.reminders import measure_recipients
    w = plan_world
    audit = w["staff"]
    audit.responsible = "หน่วยตรวจสอบภายใน"   # its only member (a_editor) has no e-mail address
    recipients, names = measure_recipients(w["plan"], [w["finance"], w["shared"], w["staff"], w["handmade"]])
    assert recipients[str(w["finance"].pk)] == ["nok@bansuanhom.go.th"]   # not the inactive user, not agency b's
    assert recipients[str(w["shared"].pk)] == ["somchai@bansuanhom.go.th", "nok@bansuanhom.go.th"]
    assert recipients[str(audit.pk)] == ["admin@bansuanhom.go.th"]
    assert recipients[str(w["handmade"].pk)] == ["admin@bansuanhom.go.th"]   # no unit of the agency named
    assert names["nok@bansuanhom.go.th"] == "กนกพร"


def test_the_daily_run_mails_each_recipient_once_with_all_their_items(plan_world):
    w = plan_world
    _report(w["finance"], w["rounds"][6], IN_PROGRESS)   # reported this round, but overdue since 31 Dec
    out, err = _run("--date", "2025-03-25")
    assert "ส่งอีเมลแล้ว 3 ฉบับ แจ้งเตือน 5 รายการ" in out and err == ""
    emails = _by_recipient()
    assert set(emails) == {"nok@bansuanhom.go.th", "somchai@bansuanhom.go.th", "admin@bansuanhom.go.th"}

    nok = emails["nok@bansuanhom.go.th"]
    assert nok.subject == ("[itadesk] แจ้งเตือนใกล้สิ้นรอบรายงาน และ มาตรการเกินกำหนด: "
                           "องค์การบริหารส่วนตำบลบ้านสวนหอม ปีงบประมาณ ๒๕๖๘")
    body = nok.body
    assert body.startswith("เรียน กนกพร")
    assert "รอบ ๖ เดือน สิ้นสุดวันที่ ๓๑ มีนาคม ๒๕๖๘ (อีก ๖ วัน)" in body
    closing, overdue = body.split("มาตรการที่เกินกำหนดแล้วเสร็จ")
    assert w["shared"].name in closing and w["finance"].name not in closing
    assert (f"{w['finance'].name}\n     กำหนดแล้วเสร็จ ๓๑ ธันวาคม ๒๕๖๗ (เกินกำหนด ๘๔ วัน) "
            "ผู้รับผิดชอบ: กองคลัง (งานพัสดุ)") in overdue
    assert w["staff"].name not in body and w["handmade"].name not in body
    assert f"{SITE}/agencies/{w['a'].pk}/plans/2568/progress/" in body

    somchai = emails["somchai@bansuanhom.go.th"].body
    assert w["shared"].name in somchai and w["staff"].name in somchai and "เกินกำหนด" not in somchai
    assert w["handmade"].name in emails["admin@bansuanhom.go.th"].body
    assert len(_sent_log()) == 5

    # Run again the same day, and the next days: nothing new until something falls due.
    for day in ("2025-03-25", "2025-03-26", "2025-03-31"):
        out, _ = _run("--date", day)
        assert "ไม่มีการแจ้งเตือนที่ต้องส่ง" in out
    assert len(mail.outbox) == 3 and len(_sent_log()) == 5


def test_overdue_is_repeated_weekly_and_round_closing_never(plan_world):
    w = plan_world
    _run("--date", "2025-03-25")
    mail.outbox.clear()
    # 1 Apr: the round is over; finance's overdue reminder is a week old, staff (due 31 Mar) is newly overdue.
    _run("--date", "2025-04-01")
    emails = _by_recipient()
    assert set(emails) == {"nok@bansuanhom.go.th", "somchai@bansuanhom.go.th"}
    assert w["finance"].name in emails["nok@bansuanhom.go.th"].body
    assert w["shared"].name not in emails["nok@bansuanhom.go.th"].body
    assert "มาตรการเกินกำหนด" in emails["somchai@bansuanhom.go.th"].subject
    assert "ใกล้สิ้นรอบ" not in emails["somchai@bansuanhom.go.th"].subject


def test_a_hand_added_measure_without_due_date_is_overdue_after_the_fiscal_year(plan_world):
    w = plan_world
    _run("--date", "2025-09-30")
    mail.outbox.clear()
    _run("--date", "2025-10-01")
    admin_mail = _by_recipient()["admin@bansuanhom.go.th"].body
    assert f"{w['handmade'].name}\n     กำหนดแล้วเสร็จ ๓๐ กันยายน ๒๕๖๘ (เกินกำหนด ๑ วัน)" in admin_mail


def test_locked_rounds_and_draft_plans_get_no_reminders(plan_world):
    from itadesk.web.plans.services import reopen_plan
    w = plan_world
    w["rounds"][6].locked_at = timezone.now()
    w["rounds"][6].save()
    _run("--date", "2025-03-25")
    assert "ใกล้สิ้นรอบ" not in " ".join(m.subject for m in mail.outbox)
    assert set(_by_recipient()) == {"nok@bansuanhom.go.th"}      # only finance's overdue reminder
    mail.outbox.clear()
    reopen_plan(w["plan"], "แก้ไขผู้รับผิดชอบ", None)
    out, _ = _run("--date", "2025-04-15")
    assert mail.outbox == [] and "ไม่มีการแจ้งเตือนที่ต้องส่ง" in out


def test_dry_run_sends_and_logs_nothing(plan_world):
    out, _ = _run("--date", "2025-03-25", "--dry-run")
    # Nothing reported: nok's finance measure is both unreported at the round's close and overdue.
    assert "ทดลอง" in out and "จะส่งอีเมล 3 ฉบับ แจ้งเตือน 6 รายการ" in out
    assert "nok@bansuanhom.go.th: 3 รายการ (จะส่ง)" in out
    assert mail.outbox == [] and _sent_log() == []


def test_lead_days_and_agency_filter(plan_world):
    w = plan_world
    out, _ = _run("--date", "2025-03-20", "--agency", str(w["b"].pk))
    assert mail.outbox == []
    # 11 days before the round closes: with the default 7 only the overdue measure, with 14 all of them.
    _run("--date", "2025-03-20", "--agency", str(w["a"].pk))
    assert set(_by_recipient()) == {"nok@bansuanhom.go.th"}
    mail.outbox.clear()
    _run("--date", "2025-03-20", "--lead-days", "14")
    assert set(_by_recipient()) == {"nok@bansuanhom.go.th", "somchai@bansuanhom.go.th", "admin@bansuanhom.go.th"}


@pytest.mark.parametrize("args, message", [
    (("--date", "2025-02-30"), "วันที่ไม่ถูกต้อง: '2025-02-30'"),
    (("--date", "25/03/2025"), "ใช้รูปแบบ ปี-เดือน-วัน"),
    (("--date", "2568-03-25"), "ใช้ปีคริสต์ศักราช เช่น 2025-03-25"),
    (("--lead-days", "-3"), "จำนวนวันไม่ถูกต้อง"),
    (("--agency", "999999"), "ไม่พบหน่วยงาน id 999999"),
])
def test_bad_arguments_are_explained_and_nothing_is_sent(plan_world, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert mail.outbox == [] and _sent_log() == []


def test_thai_digits_in_the_date_are_accepted(plan_world):
    out, _ = _run("--date", "๒๐๒๕-๐๓-๒๕", "--dry-run")
    assert "25 มีนาคม 2568" in out


class RefusingBackend(EmailBackend):
    """Delivers like locmem, except to nok, whose server refuses."""

    def send_messages(self, messages):
        for message in messages:
            if "nok@bansuanhom.go.th" in message.to:
                raise smtplib.SMTPRecipientsRefused({"nok@bansuanhom.go.th": (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def test_a_failed_email_is_not_logged_and_goes_out_on_the_next_run(plan_world, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(CommandError, match="ส่งอีเมลไม่สำเร็จ 1 ฉบับ"):
        _run("--date", "2025-03-25")
    assert set(_by_recipient()) == {"somchai@bansuanhom.go.th", "admin@bansuanhom.go.th"}
    assert {r[3] for r in _sent_log()} == {"somchai@bansuanhom.go.th", "admin@bansuanhom.go.th"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    out, _ = _run("--date", "2025-03-25")
    assert set(_by_recipient()) == {"nok@bansuanhom.go.th"} and "ส่งอีเมลแล้ว 1 ฉบับ" in out


def test_one_email_per_address_covers_every_plan_it_is_due_for(plan_world, django_user_model):
    from itadesk.web.agencies.models import Department, Membership
    from itadesk.web.plans.services import approve_plan, create_plan
    w = plan_world
    b_admin = django_user_model.objects.get(username="b_finance")
    b_plan = create_plan(w["b"], 2567, b_admin)
    approve_plan(b_plan, b_plan.version, "นายก", dt.date(2024, 10, 20), b_admin)
    nok = django_user_model.objects.get(username="nok")
    Membership.objects.create(user=nok, agency=w["b"], role=Membership.VIEWER,
                              department=Department.objects.get(agency=w["b"], name="กองคลัง"))
    _run("--date", "2025-03-25")
    emails = _by_recipient()
    assert set(emails) == {"nok@bansuanhom.go.th", "somchai@bansuanhom.go.th", "admin@bansuanhom.go.th",
                           "finance@nongnamsai.go.th"}
    nok_mail = emails["nok@bansuanhom.go.th"]
    assert nok_mail.subject.endswith(": ๒ แผนมาตรการ")
    assert "องค์การบริหารส่วนตำบลบ้านสวนหอม — มาตรการปีงบประมาณ ๒๕๖๘" in nok_mail.body
    assert "เทศบาลตำบลหนองน้ำใส — มาตรการปีงบประมาณ ๒๕๖๘" in nok_mail.body
    assert f"/agencies/{w['b'].pk}/plans/2568/progress/" in nok_mail.body
    # Agency b's own finance user hears only about agency b's plan.
    assert "บ้านสวนหอม" not in emails["finance@nongnamsai.go.th"].body
