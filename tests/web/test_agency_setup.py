"""Setting up a real office without a programmer: a system administrator creates agencies (one
by one or from an XLSX list; each first admin invited) and names supervisors; the agency admin
edits the whole profile (audited); the agency page says what to do next."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from openpyxl import Workbook

from tests.web.conftest import ROOT

pytestmark = pytest.mark.django_db

HEADER = ["ชื่อหน่วยงาน", "ประเภท", "จังหวัด", "อำเภอ", "เว็บไซต์", "อีเมลผู้ดูแล"]
EMBLEM = (ROOT / "demo" / "emblem.png").read_bytes()


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://itadesk.example.go.th"


@pytest.fixture
def sysadmin(world, login):
    return login(world["users"]["sysadmin"])


def import_list(client, content: bytes, name="รายชื่อ.xlsx"):
    return client.post("/agencies/new/import/", {"file": SimpleUploadedFile(name, content)})


def test_a_system_admin_creates_agencies_from_a_list_and_each_first_admin_is_invited(world, sysadmin):
    from django.test import Client

    from itadesk.web.agencies.models import Agency, AuditEntry, Membership

    client = Client()
    assert "ดาวน์โหลดแบบฟอร์ม" in sysadmin.get("/agencies/new/").content.decode()
    template = sysadmin.get("/agencies/new/template/")
    assert template.status_code == 200 and template.content.startswith(b"PK")
    rows = [["เทศบาลตำบลนาดี", "เทศบาลตำบล", "อุดรธานี", "เมืองอุดรธานี", "https://www.nadee.go.th", "admin@nadee.go.th"],
            ["องค์การบริหารส่วนตำบลหนองบัว", "องค์การบริหารส่วนตำบล", "อุดรธานี", "กุมภวาปี", "", "nb@example.go.th"]]
    response = import_list(sysadmin, xlsx(rows))
    assert response.status_code == 302
    nadee = Agency.objects.get(name="เทศบาลตำบลนาดี")
    assert (nadee.province, nadee.district, nadee.website) == ("อุดรธานี", "เมืองอุดรธานี", "https://www.nadee.go.th")
    admin = Membership.objects.get(agency=nadee, role="admin").user
    assert admin.email == "admin@nadee.go.th" and not admin.has_usable_password()
    assert AuditEntry.objects.filter(agency=nadee, action="agency.created").exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@nadee.go.th", "nb@example.go.th"]
    message = next(m for m in mail.outbox if m.to == ["admin@nadee.go.th"])
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith("https://itadesk.example.go.th/password/set/")  # SITE_URL, not 127.0.0.1
    # The invited admin sets a password and is the agency's admin.
    page = client.get(link.split("example.go.th", 1)[1], follow=True)
    assert "ตั้งรหัสผ่าน" in page.content.decode()
    done = client.post(page.redirect_chain[-1][0], {"new_password1": "นาดี-2568-strong!", "new_password2": "นาดี-2568-strong!"})
    assert done.status_code == 302
    assert client.login(request=HttpRequest(), username="admin@nadee.go.th", password="นาดี-2568-strong!")
    assert client.get(f"/agencies/{nadee.pk}/profile/").status_code == 200


def test_a_bad_list_names_every_problem_by_row_and_creates_nothing(world, sysadmin):
    from itadesk.web.agencies.models import Agency

    before = Agency.objects.count()
    rows = [["เทศบาลตำบลนาดี", "เทศบาลตำบล", "อุดรธานี", "เมือง", "www.nadee", "admin@nadee.go.th"],
            ["", "เทศบาลตำบล", "อุดรธานี", "เมือง", "", "not-an-email"],
            ["เทศบาลตำบลนาดี", "เทศบาลตำบล", "อุดรธานี", "เมือง", "", "x@nadee.go.th"],
            ["เทศบาลตำบลสวนผึ้ง", "เทศบาลตำบล", "ราชบุรี", "สวนผึ้ง", "", "ok@example.go.th"]]
    response = import_list(sysadmin, xlsx(rows))
    body = response.content.decode()
    assert response.status_code == 400 and "ยังไม่ได้สร้างหน่วยงานใด ๆ" in body
    assert "แถว ๒" in body and "“เว็บไซต์” ต้องขึ้นต้นด้วย https://" in body
    assert "แถว ๓" in body and "ต้องกรอก “ชื่อหน่วยงาน”" in body and "ไม่ใช่อีเมล" in body
    assert "แถว ๔" in body and "ชื่อหน่วยงานซ้ำกับแถว ๒" in body
    assert Agency.objects.count() == before and not mail.outbox

    # A name already in use is refused the same way.
    taken = import_list(sysadmin, xlsx([[world["a"].name, "อบต.", "นครราชสีมา", "โนนสูง", "", "a@example.go.th"]]))
    assert taken.status_code == 400 and "มีหน่วยงานชื่อนี้อยู่แล้ว" in taken.content.decode()
    # Not an XLSX, or without the header row.
    assert "ไม่ใช่ไฟล์ Excel" in import_list(sysadmin, b"name,type\n").content.decode()
    no_header = import_list(sysadmin, xlsx([["x"] * 6], header=["a", "b", "c", "d", "e", "f"]))
    assert "ไม่พบคอลัมน์" in no_header.content.decode()
    assert Agency.objects.count() == before


def test_the_list_reader_is_bounded(monkeypatch):
    import dataclasses

    from itadesk import agency_list, limits
    from itadesk.errors import InputError

    row = ["เทศบาล", "เทศบาลตำบล", "จังหวัด", "อำเภอ", "", "a@example.go.th"]
    monkeypatch.setattr(limits, "AGENCY_LIST", dataclasses.replace(limits.AGENCY_LIST, rows=3))
    many = xlsx([[f"เทศบาล {i}", *row[1:]] for i in range(5)])
    with pytest.raises(InputError, match="ไฟล์มีเกิน ๓ หน่วยงาน"):
        agency_list.read_agency_list(many, "x.xlsx")
    with pytest.raises(InputError, match="ยาวเกิน"):
        agency_list.read_agency_list(xlsx([["ก" * 400, *row[1:]]]), "x.xlsx")
    monkeypatch.setattr(limits, "AGENCY_LIST", dataclasses.replace(limits.AGENCY_LIST, unpacked=1000))
    with pytest.raises(InputError, match="แตกไฟล์แล้วใหญ่เกินไป"):
        agency_list.read_agency_list(xlsx([row]), "x.xlsx")
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, max_bytes=100))
    with pytest.raises(InputError, match="ไฟล์ใหญ่เกิน"):
        agency_list.read_agency_list(xlsx([row]), "x.xlsx")


def test_one_agency_from_the_form(world, sysadmin):
    from itadesk.web.agencies.models import Agency, Membership

    response = sysadmin.post("/agencies/new/", {
        "name": "เทศบาลตำบลสวนผึ้ง", "type": "เทศบาลตำบล", "province": "ราชบุรี", "district": "สวนผึ้ง",
        "website": "https://www.suanphueng.go.th", "admin_email": "admin@suanphueng.go.th"})
    agency = Agency.objects.get(name="เทศบาลตำบลสวนผึ้ง")
    assert response.status_code == 302 and response["Location"] == f"/agencies/{agency.pk}/"
    assert Membership.objects.filter(agency=agency, role="admin", user__email="admin@suanphueng.go.th").exists()
    assert [m.to for m in mail.outbox] == [["admin@suanphueng.go.th"]]
    again = sysadmin.post("/agencies/new/", {"name": "เทศบาลตำบลสวนผึ้ง", "type": "x", "province": "x",
                                             "district": "x", "admin_email": "b@example.go.th"})
    assert again.status_code == 400 and "มีหน่วยงานชื่อนี้อยู่แล้ว" in again.content.decode()


def test_only_system_admins_set_up_agencies(world, login):
    for role in ("admin", "editor", "supervisor"):
        client = login(world["users"][role])
        assert client.get("/agencies/new/").status_code == 404
        assert client.get("/agencies/supervisors/").status_code == 404


def test_a_system_admin_names_a_province_supervisor_who_then_sees_the_province(world, sysadmin, django_user_model):
    from django.test import Client

    from itadesk.web.agencies.models import Supervision

    client = Client()
    officer = django_user_model.objects.create_user("khonkaen_office", email="kk@example.go.th", password="x")
    response = sysadmin.post("/agencies/supervisors/", {"username": "kk@example.go.th", "province": "ขอนแก่น",
                                                        "district": ""})
    assert response.status_code == 302
    supervision = Supervision.objects.get(user=officer)
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert world["b"].name in home and world["a"].name not in home
    assert client.get(f"/agencies/{world['b'].pk}/").status_code == 200
    unknown = sysadmin.post("/agencies/supervisors/", {"username": "nobody-here", "province": "ขอนแก่น"})
    assert unknown.status_code == 400 and "ไม่พบผู้ใช้นี้" in unknown.content.decode()
    assert sysadmin.post(f"/agencies/supervisors/{supervision.pk}/remove/").status_code == 302
    assert client.get(f"/agencies/{world['b'].pk}/").status_code == 404


def profile_post(agency, **changes) -> dict:
    """The profile form as the page shows it, with ``changes``."""
    data = {"name": agency.name, "type": agency.type, "province": agency.province, "district": agency.district,
            "website": agency.website, "office": agency.office, "reference": agency.reference}
    for s in agency.signatories.all():
        data[f"sig_{s.role}_name"], data[f"sig_{s.role}_position"] = s.name, s.position
    departments = list(agency.departments.all())
    data.update({"dept-TOTAL_FORMS": str(len(departments) + 1), "dept-INITIAL_FORMS": "0"})
    for i, d in enumerate(departments):
        data[f"dept-{i}-id"], data[f"dept-{i}-name"] = str(d.pk), d.name
        data[f"dept-{i}-roles"] = list(d.roles)
    data.update(changes)
    return data


def test_the_agency_admin_edits_the_whole_profile_and_every_change_is_audited(world, login):
    from itadesk.web.agencies.models import AuditEntry

    a = world["a"]
    client = login(world["users"]["admin"])
    page = client.get(f"/agencies/{a.pk}/profile/")
    assert page.status_code == 200 and "นายสมศักดิ์ รักษ์ถิ่น" in page.content.decode()
    keeps_unit = a.departments.get(name="กองคลัง")
    n = a.departments.count()
    response = client.post(f"/agencies/{a.pk}/profile/", profile_post(
        a, sig_approver_name="นายสมชาย ใจซื่อ", reference="นม ๗๘๙๐๒",
        **{f"dept-{n}-name": "กองการศึกษา", f"dept-{n}-roles": ["service"]},
        emblem_file=SimpleUploadedFile("ตรา.png", EMBLEM)))
    assert response.status_code == 302, response.content.decode()[:2000]
    a.refresh_from_db()
    profile = a.profile()
    assert profile.signatories["approver"].name == "นายสมชาย ใจซื่อ" and profile.reference == "นม ๗๘๙๐๒"
    assert ("กองการศึกษา", ("service",)) in [(d.name, d.roles) for d in profile.departments]
    assert profile.emblem is not None and profile.emblem.data == EMBLEM
    assert a.departments.get(name="กองคลัง").pk == keeps_unit.pk  # members keep their unit
    entry = AuditEntry.objects.get(agency=a, action="agency.profile_changed")
    assert entry.user == world["users"]["admin"]
    assert set(entry.details["changed"]) == {"เลขที่หนังสือ", "หน่วยงานภายใน", "ผู้ลงนาม"}
    assert "นายสมชาย ใจซื่อ" in entry.details["after"]["signatories"]["approver"]
    assert "นายสมศักดิ์ รักษ์ถิ่น" in entry.details["before"]["signatories"]["approver"]


def test_a_bad_profile_says_what_is_wrong_and_saves_nothing(world, login):
    from itadesk.web.agencies.models import AuditEntry

    a = world["a"]
    client = login(world["users"]["admin"])
    before = (a.profile(), AuditEntry.objects.count())
    svg = SimpleUploadedFile("ตรา.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = client.post(f"/agencies/{a.pk}/profile/", profile_post(
        a, sig_endorser_position="", name=world["b"].name, emblem_file=svg))
    body = response.content.decode()
    assert response.status_code == 400
    assert "ยังรับตราแบบ SVG ไม่ได้" in body and "กรอกทั้งชื่อและตำแหน่ง" in body and "มีหน่วยงานอื่นชื่อนี้อยู่แล้ว" in body
    a.refresh_from_db()
    assert (a.profile(), AuditEntry.objects.count()) == before
    broken = client.post(f"/agencies/{a.pk}/profile/", profile_post(
        a, emblem_file=SimpleUploadedFile("ตรา.png", b"\x89PNG not really")))
    assert broken.status_code == 400 and "PNG หรือ JPEG" in broken.content.decode()


def test_editors_do_not_edit_the_profile(world, login):
    client = login(world["users"]["editor"])
    assert client.get(f"/agencies/{world['a'].pk}/profile/").status_code == 404


def test_the_agency_page_shows_the_next_step(world, login):
    import datetime as dt

    from itadesk.web.plans.services import approve_plan, create_plan

    a = world["a"]
    client = login(world["users"]["admin"])

    def step():
        return re.sub(r"\s+", " ", client.get(f"/agencies/{a.pk}/").content.decode())

    assert "จัดทำมาตรการจากผลการวิเคราะห์" in step()
    plan = create_plan(a, 2567, world["users"]["editor"])
    assert "ตรวจ แก้ไข และอนุมัติมาตรการปีงบประมาณ ๒๕๖๘" in step()
    approve_plan(plan, plan.version, "นายก", dt.date(2024, 10, 15), world["users"]["editor"])
    assert "บันทึกผลการดำเนินการตามมาตรการปีงบประมาณ ๒๕๖๘" in step()
    a.result_sets.all().delete()
    a.plans.all().delete()
    assert "อัปโหลดผลคะแนน ITA" in step()
    a.signatories.filter(role="approver").delete()
    assert "กรอกข้อมูลหน่วยงานให้ครบ: ผู้ลงนาม" in step()
