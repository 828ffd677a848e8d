"""Members of an agency, managed by its admins: invite by e-mail, change role and unit, remove.

An invited person gets an account without a password and an e-mail with a one-time link to set
one (Django's password-reset token). Someone who already has an account (anywhere) is found by
the e-mail typed, never by the username, and is added with the same answer on the page as a new
person; the e-mail tells them to log in with their account. So the page never tells an admin
whether an e-mail has an account, in which agency, or which e-mail a username has. A username
taken by an account with another e-mail is refused with "ใช้ไม่ได้" (usernames are unique, so
that much cannot be hidden), never "exists" or whose it is.
The last admin of an agency cannot be removed or demoted, so the agency is never orphaned.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_POST

from itadesk.web.agencies.access import ADMIN, agency_view
from itadesk.web.agencies.models import Membership, record


class MemberForm(forms.Form):
    role = forms.ChoiceField(label="บทบาท", choices=Membership.ROLES)
    department = forms.ModelChoiceField(label="สังกัด (รับการแจ้งเตือนของมาตรการที่หน่วยนี้รับผิดชอบ)",
                                        queryset=None, required=False, empty_label="- ไม่ระบุ -")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = agency.departments.all()


class InviteForm(MemberForm):
    username = forms.RegexField(label="ชื่อผู้ใช้ (ภาษาอังกฤษ)", regex=r"^[A-Za-z0-9.@+_-]+$", max_length=150,
                                error_messages={"invalid": "ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และ . @ + - _"})
    email = forms.EmailField(label="อีเมล")
    first_name = forms.CharField(label="ชื่อ", max_length=150, required=False)
    last_name = forms.CharField(label="นามสกุล", max_length=150, required=False)
    field_order = ["username", "email", "first_name", "last_name", "role", "department"]


def _members_page(request, agency, invite_form=None, status=200):
    members = agency.memberships.select_related("user", "department").order_by("user__username")
    return render(request, "agencies/members.html", {
        "agency": agency,
        "rows": [(m, MemberForm(agency=agency, prefix=f"m{m.pk}",
                                initial={"role": m.role, "department": m.department_id})) for m in members],
        "invite_form": invite_form or InviteForm(agency=agency, initial={"role": Membership.EDITOR}),
    }, status=status)


@agency_view(ADMIN)
def members(request, agency):
    return _members_page(request, agency)


def _send_invitation(request, user, agency) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])
    inviter = request.user.get_full_name() or request.user.get_username()
    send_mail(
        f"itadesk: คำเชิญเข้าใช้งานของ{agency.name}",
        f"เรียน {user.get_full_name() or user.username}\n\n"
        f"{inviter} เพิ่มท่านเป็นผู้ใช้ itadesk ของ{agency.name} ด้วยชื่อผู้ใช้ {user.username}\n"
        f"โปรดตั้งรหัสผ่านที่ลิงก์นี้ (ใช้ได้ครั้งเดียว):\n{link}\n",
        None, [user.email],
    )


@agency_view(ADMIN)
@require_POST
def member_invite(request, agency):
    form = InviteForm(request.POST, agency=agency)
    if not form.is_valid():
        return _members_page(request, agency, invite_form=form, status=400)
    data = form.cleaned_data
    User = get_user_model()
    with transaction.atomic():
        same_email = list(User.objects.filter(email__iexact=data["email"])[:2])
        user = same_email[0] if len(same_email) == 1 else None
        if user is None and User.objects.filter(username__iexact=data["username"]).exists():
            form.add_error("username", "ชื่อผู้ใช้นี้ใช้ไม่ได้ โปรดเลือกชื่อผู้ใช้อื่น")
            return _members_page(request, agency, invite_form=form, status=400)
        if user is not None and Membership.objects.filter(user=user, agency=agency).exists():
            form.add_error("email", "ผู้ใช้ที่มีอีเมลนี้เป็นสมาชิกของหน่วยงานอยู่แล้ว")
            return _members_page(request, agency, invite_form=form, status=400)
        invited = user is None
        if invited:
            user = User(username=data["username"], email=data["email"], first_name=data["first_name"],
                        last_name=data["last_name"])
            user.set_unusable_password()
            user.save()
        Membership.objects.create(user=user, agency=agency, role=data["role"], department=data["department"])
        record(agency, request.user, "member.added",
               f"เพิ่มผู้ใช้ {user.username} ({dict(Membership.ROLES)[data['role']]})",
               username=user.username, role=data["role"], invited=invited)
    if invited:
        _send_invitation(request, user, agency)
    else:
        _send_added_notice(request, user, agency)
    # The same words whether the person is new or already had an account.
    messages.success(request, f"เพิ่มสมาชิกแล้ว และส่งอีเมลแจ้งไปที่ {data['email']}")
    return redirect("members", agency_id=agency.pk)


def _send_added_notice(request, user, agency) -> None:
    inviter = request.user.get_full_name() or request.user.get_username()
    send_mail(
        f"itadesk: คำเชิญเข้าใช้งานของ{agency.name}",
        f"เรียน {user.get_full_name() or user.username}\n\n"
        f"{inviter} เพิ่มท่านเป็นผู้ใช้ itadesk ของ{agency.name}\n"
        f"โปรดเข้าสู่ระบบด้วยบัญชีเดิมของท่าน (ชื่อผู้ใช้ {user.username}):\n"
        f"{settings.SITE_URL.rstrip('/')}{reverse('login')}\n",
        None, [user.email],
    )


def _is_last_admin(membership: Membership) -> bool:
    return (membership.role == Membership.ADMIN
            and not membership.agency.memberships.filter(role=Membership.ADMIN).exclude(pk=membership.pk).exists())


@agency_view(ADMIN)
@require_POST
def member_update(request, agency, member_id: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_id, agency=agency)
    form = MemberForm(request.POST, agency=agency, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, "ข้อมูลไม่ถูกต้อง: " + "; ".join(m for errs in form.errors.values() for m in errs))
        return redirect("members", agency_id=agency.pk)
    role, department = form.cleaned_data["role"], form.cleaned_data["department"]
    if role != Membership.ADMIN and _is_last_admin(membership):
        messages.error(request, "เปลี่ยนบทบาทไม่ได้: หน่วยงานต้องมีผู้ดูแลอย่างน้อย ๑ คน")
        return redirect("members", agency_id=agency.pk)
    if (role, department) != (membership.role, membership.department):
        before = {"role": membership.role, "department": membership.department.name if membership.department else ""}
        membership.role, membership.department = role, department
        membership.save()
        record(agency, request.user, "member.changed",
               f"เปลี่ยน {membership.user.username}: {membership.get_role_display()}"
               + (f" สังกัด{department.name}" if department else ""),
               username=membership.user.username, before=before,
               after={"role": role, "department": department.name if department else ""})
        messages.success(request, f"บันทึกการเปลี่ยนแปลงของ {membership.user.username} แล้ว")
    return redirect("members", agency_id=agency.pk)


@agency_view(ADMIN)
@require_POST
def member_remove(request, agency, member_id: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_id, agency=agency)
    if _is_last_admin(membership):
        messages.error(request, "นำออกไม่ได้: หน่วยงานต้องมีผู้ดูแลอย่างน้อย ๑ คน")
        return redirect("members", agency_id=agency.pk)
    username = membership.user.username
    membership.delete()
    record(agency, request.user, "member.removed", f"นำ {username} ออกจากหน่วยงาน", username=username)
    messages.success(request, f"นำ {username} ออกจากหน่วยงานแล้ว (บัญชีผู้ใช้ยังอยู่)")
    return redirect("members", agency_id=agency.pk)
