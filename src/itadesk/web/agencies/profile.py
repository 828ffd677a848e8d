"""The agency profile, edited by its admins: names, type, website, what the memos print (office,
number prefix, signatories), departments with the work they cover, and the emblem.

Every change is written to the audit log with the fields before and after. Departments are
updated in place (members keep their unit); the emblem is checked by ``itadesk.emblem``.
An approved plan's documents keep the profile as it was at approval (plans/frozen.py).
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from itadesk.emblem import read_emblem
from itadesk.errors import InputError
from itadesk.knowledge import load_knowledge
from itadesk.web.agencies.access import ADMIN, agency_view
from itadesk.web.agencies.models import Agency, Department, Signatory, record

SIGNATORY_LABELS = dict(Signatory.ROLES)


class ProfileForm(forms.ModelForm):
    emblem_file = forms.FileField(label="ตราหน่วยงาน (ตราครุฑหรือตราของหน่วยงาน: PNG หรือ JPEG ไม่เกิน 2 MB)",
                                  required=False)
    emblem_remove = forms.BooleanField(label="ลบตราที่มีอยู่", required=False)
    website = forms.URLField(label="เว็บไซต์หลัก", required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["name", "type", "province", "district", "website", "office", "reference"]
        labels = {"office": "ส่วนราชการที่จัดทำบันทึกข้อความ", "reference": "เลขที่หนังสือ (ที่) เช่น นม ๗๘๙๐๑"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in Signatory.ROLES:
            self.fields[f"sig_{role}_name"] = forms.CharField(label=f"{label}: ชื่อ (ตามที่พิมพ์ในบันทึก)",
                                                              max_length=200, required=False)
            self.fields[f"sig_{role}_position"] = forms.CharField(label=f"{label}: ตำแหน่ง", max_length=200,
                                                                  required=False)
        if not self.is_bound:
            for s in self.instance.signatories.all():
                self.initial[f"sig_{s.role}_name"], self.initial[f"sig_{s.role}_position"] = s.name, s.position

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Agency.objects.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("มีหน่วยงานอื่นชื่อนี้อยู่แล้ว")
        return name

    def clean_emblem_file(self):
        upload = self.cleaned_data.get("emblem_file")
        if not upload:
            return None
        if upload.name.lower().endswith(".svg"):
            raise forms.ValidationError("ยังรับตราแบบ SVG ไม่ได้ กรุณาบันทึกตราเป็นไฟล์ PNG หรือ JPEG แล้วเลือกใหม่")
        try:
            return read_emblem(upload.read(), upload.name)
        except InputError as exc:
            raise forms.ValidationError(f"{exc} กรุณาเลือกไฟล์ใหม่") from None

    def clean(self):
        data = super().clean()
        for role, label in Signatory.ROLES:
            name, position = data.get(f"sig_{role}_name", "").strip(), data.get(f"sig_{role}_position", "").strip()
            if bool(name) != bool(position):
                self.add_error(f"sig_{role}_name" if not name else f"sig_{role}_position",
                               f"{label}: กรอกทั้งชื่อและตำแหน่ง หรือเว้นว่างทั้งสองช่อง")
        return data

    def signatories(self) -> dict[str, tuple[str, str]]:
        out = {}
        for role, _ in Signatory.ROLES:
            name = self.cleaned_data[f"sig_{role}_name"].strip()
            if name:
                out[role] = (name, self.cleaned_data[f"sig_{role}_position"].strip())
        return out


def role_choices() -> list[tuple[str, str]]:
    return [(rid, role.name) for rid, role in load_knowledge().roles.items()]


class DepartmentForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="ชื่อหน่วย", max_length=200, required=False)
    roles = forms.MultipleChoiceField(label="งานที่รับผิดชอบ", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices()


DepartmentFormSet = forms.formset_factory(DepartmentForm, extra=2, can_delete=True, max_num=50, absolute_max=60)


def _snapshot(agency: Agency) -> dict:
    """What the audit log compares: the profile's fields, departments and signatories."""
    return {
        **{f: getattr(agency, f) for f in ProfileForm.Meta.fields},
        "departments": [{"name": d.name, "roles": list(d.roles)} for d in agency.departments.all()],
        "signatories": {s.role: f"{s.name} ({s.position})" for s in agency.signatories.all()},
        "emblem": bool(agency.emblem),
    }


LABELS = {"name": "ชื่อหน่วยงาน", "type": "ประเภท", "province": "จังหวัด", "district": "อำเภอ",
          "website": "เว็บไซต์", "office": "ส่วนราชการ", "reference": "เลขที่หนังสือ",
          "departments": "หน่วยงานภายใน", "signatories": "ผู้ลงนาม", "emblem": "ตรา"}


def _save(agency: Agency, before: dict, form: ProfileForm, departments, user) -> list[str]:
    """Write the profile; returns the Thai names of what changed (empty: nothing did). ``before``
    is taken before the form is validated (a model form changes its instance while validating)."""
    with transaction.atomic():
        agency = form.save(commit=False)
        emblem = form.cleaned_data.get("emblem_file")
        if emblem is not None:
            agency.emblem = emblem.data
        elif form.cleaned_data.get("emblem_remove"):
            agency.emblem = None
        agency.save()
        existing = {d.pk: d for d in agency.departments.all()}
        order = 0
        for dform in departments.forms:
            data = dform.cleaned_data
            if not data:
                continue
            row = existing.get(data.get("id"))
            name = data.get("name", "").strip()
            if data.get("DELETE") or not name:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                row = Department(agency=agency)
            row.name, row.roles, row.order = name, list(data.get("roles") or []), order
            row.save()
            order += 1
        wanted = form.signatories()
        agency.signatories.exclude(role__in=wanted).delete()
        for role, (name, position) in wanted.items():
            Signatory.objects.update_or_create(agency=agency, role=role, defaults={"name": name, "position": position})
        after = _snapshot(agency)
        changed = [key for key in before if before[key] != after[key]]
        if changed:
            record(agency, user, "agency.profile_changed",
                   "แก้ไขข้อมูลหน่วยงาน: " + ", ".join(LABELS[k] for k in changed),
                   changed=[LABELS[k] for k in changed],
                   before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return [LABELS[k] for k in changed]


def _emblem_src(agency: Agency) -> str:
    """The stored emblem as a data: URL for the page's preview (no extra route to guard)."""
    emblem = agency.emblem_image() if agency.emblem else None
    if emblem is None:
        return ""
    mime = "image/png" if emblem.kind == "png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(emblem.data).decode('ascii')}"


def _initial_departments(agency: Agency) -> list[dict]:
    return [{"id": d.pk, "name": d.name, "roles": list(d.roles)} for d in agency.departments.all()]


@agency_view(ADMIN)
def agency_profile(request, agency):
    if request.method == "POST":
        before = _snapshot(agency)
        form = ProfileForm(request.POST, request.FILES, instance=agency)
        departments = DepartmentFormSet(request.POST, prefix="dept")
        if form.is_valid() and departments.is_valid():
            changed = _save(agency, before, form, departments, request.user)
            messages.success(request, "บันทึกข้อมูลหน่วยงานแล้ว: " + ", ".join(changed) if changed
                             else "ไม่มีการเปลี่ยนแปลง จึงไม่ได้บันทึก")
            return redirect("agency_profile", agency_id=agency.pk)
        agency.refresh_from_db()
        status = 400
    else:
        form = ProfileForm(instance=agency)
        departments = DepartmentFormSet(initial=_initial_departments(agency), prefix="dept")
        status = 200
    return render(request, "agencies/profile.html", {
        "agency": agency, "form": form, "departments": departments,
        "signatory_rows": [(label, form[f"sig_{role}_name"], form[f"sig_{role}_position"])
                           for role, label in Signatory.ROLES],
        "emblem_src": _emblem_src(agency),
        "error_count": len(form.errors) + sum(len(f.errors) for f in departments.forms) if form.is_bound else 0,
    }, status=status)
