"""System administrators set up the agencies: create them one by one or from an XLSX list (each
first admin invited by e-mail), and name the province and district supervisors.

Creating from a list is all or nothing: every problem of the file (row, column, value) and every
name already in use is shown, and nothing is written unless the whole list is good.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from itadesk import limits
from itadesk.agency_list import AgencyRow, agency_list_template, read_agency_list
from itadesk.errors import InputError
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.access import system_admin_view
from itadesk.web.agencies.members import _send_invitation
from itadesk.web.agencies.models import Agency, Membership, Supervision, record
from itadesk.web.downloads import XLSX, download


class AgencyCreateForm(forms.ModelForm):
    admin_email = forms.EmailField(label="อีเมลผู้ดูแลหน่วยงานคนแรก (ได้รับอีเมลเชิญให้ตั้งรหัสผ่าน)")
    website = forms.URLField(label="เว็บไซต์หลัก", required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["name", "type", "province", "district", "website"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Agency.objects.filter(name=name).exists():
            raise forms.ValidationError("มีหน่วยงานชื่อนี้อยู่แล้ว")
        return name


class ImportForm(forms.Form):
    file = forms.FileField(label=f"ไฟล์รายชื่อหน่วยงาน (.xlsx ไม่เกิน {limits.size_text(limits.LIMITS.max_bytes)})")


class SupervisorForm(forms.Form):
    username = forms.CharField(label="ชื่อผู้ใช้หรืออีเมลของผู้กำกับดูแล", max_length=150)
    province = forms.CharField(label="จังหวัด", max_length=100)
    district = forms.CharField(label="อำเภอ (เว้นว่าง = ทั้งจังหวัด)", max_length=100, required=False)

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        User = get_user_model()
        user = (User.objects.filter(username__iexact=value).first()
                or User.objects.filter(email__iexact=value).order_by("pk").first())
        if user is None:
            raise forms.ValidationError("ไม่พบผู้ใช้นี้ (สร้างบัญชีก่อน เช่น เชิญเป็นสมาชิกของหน่วยงานหนึ่ง หรือในหน้าผู้ดูแลระบบ)")
        return user


def _setup_page(request, create_form=None, import_form=None, problems=(), status=200):
    return render(request, "agencies/setup.html", {
        "create_form": create_form or AgencyCreateForm(), "import_form": import_form or ImportForm(),
        "problems": list(problems), "agency_count": Agency.objects.count(),
    }, status=status)


def _admin_for(email: str):
    """(user, invited): the account the e-mail names, created without a password when there is none."""
    User = get_user_model()
    email = email.strip()
    user = User.objects.filter(username__iexact=email).first() or User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(username=email.lower()[:150], email=email)
    user.set_unusable_password()
    user.save()
    return user, True


def _create(request, rows: list[AgencyRow]) -> list[tuple]:
    """Create the agencies with their first admins (one transaction); returns what to invite."""
    invitations = []
    with transaction.atomic():
        for row in rows:
            agency = Agency.objects.create(name=row.name, type=row.type, province=row.province,
                                           district=row.district, website=row.website)
            user, invited = _admin_for(row.admin_email)
            Membership.objects.create(user=user, agency=agency, role=Membership.ADMIN)
            record(agency, request.user, "agency.created",
                   f"สร้างหน่วยงาน {agency.name} ผู้ดูแลหน่วยงาน {user.email or user.username}",
                   name=agency.name, admin=user.username, invited=invited)
            if invited:
                invitations.append((user, agency))
    return invitations


def _invite_all(request, invitations) -> None:
    for user, agency in invitations:
        _send_invitation(request, user, agency)


@system_admin_view
def agency_setup(request):
    if request.method != "POST":
        return _setup_page(request)
    form = AgencyCreateForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, create_form=form, status=400)
    data = form.cleaned_data
    row = AgencyRow(0, data["name"], data["type"].strip(), data["province"].strip(), data["district"].strip(),
                    data["website"], data["admin_email"])
    invitations = _create(request, [row])
    _invite_all(request, invitations)
    agency = Agency.objects.get(name=row.name)
    messages.success(request, f"สร้าง{agency.name}แล้ว"
                     + (f" และส่งอีเมลเชิญไปที่ {row.admin_email}" if invitations else
                        f" ({row.admin_email} มีบัญชีอยู่แล้ว จึงเป็นผู้ดูแลหน่วยงานทันที)"))
    return redirect("agency", agency_id=agency.pk)


@system_admin_view
@require_POST
def agency_import(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _setup_page(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    too_big = limits.upload_problem(upload.name, upload.size)
    if too_big:
        return _setup_page(request, problems=[too_big], status=400)
    try:
        rows = read_agency_list(upload.read(limits.active().max_bytes + 1), upload.name)
    except InputError as exc:
        return _setup_page(request, problems=[str(p) for p in exc.problems], status=400)
    taken = set(Agency.objects.filter(name__in=[r.name for r in rows]).values_list("name", flat=True))
    if taken:
        return _setup_page(request, status=400, problems=[
            f"{upload.name}, แถว {to_thai_digits(r.row)}: มีหน่วยงานชื่อนี้อยู่แล้ว (ค่าที่พบ: {r.name})"
            for r in rows if r.name in taken])
    invitations = _create(request, rows)
    _invite_all(request, invitations)
    messages.success(request, f"สร้างหน่วยงาน {to_thai_digits(len(rows))} แห่งแล้ว "
                              f"ส่งอีเมลเชิญผู้ดูแลหน่วยงาน {to_thai_digits(len(invitations))} ฉบับ")
    return redirect("home")


@system_admin_view
def agency_import_template(request):
    return download(agency_list_template(), XLSX, "agencies.xlsx")


def _supervisors_page(request, form=None, status=200):
    rows = Supervision.objects.select_related("user").order_by("province", "district", "user__username")
    return render(request, "agencies/supervisors.html", {
        "rows": rows, "form": form or SupervisorForm(),
        "provinces": sorted(set(Agency.objects.values_list("province", flat=True))),
    }, status=status)


@system_admin_view
def supervisors(request):
    if request.method != "POST":
        return _supervisors_page(request)
    form = SupervisorForm(request.POST)
    if not form.is_valid():
        return _supervisors_page(request, form, status=400)
    data = form.cleaned_data
    province, district = data["province"].strip(), data["district"].strip()
    _, created = Supervision.objects.get_or_create(user=data["username"], province=province, district=district)
    where = f"จังหวัด{province}" + (f" อำเภอ{district}" if district else " ทั้งจังหวัด")
    messages.success(request, f"{data['username'].username} กำกับดูแล{where}แล้ว" if created
                     else f"{data['username'].username} กำกับดูแล{where}อยู่แล้ว")
    return redirect("supervisors")


@system_admin_view
@require_POST
def supervisor_remove(request, supervision_id: int):
    supervision = get_object_or_404(Supervision.objects.select_related("user"), pk=supervision_id)
    supervision.delete()
    messages.success(request, f"ยกเลิกการกำกับดูแลของ {supervision.user.username} แล้ว")
    return redirect("supervisors")
