"""Agency admins manage their members: invite by e-mail, change role and unit, remove."""

import re

import pytest
from django.core import mail
from django.http import HttpRequest

from itadesk.web.agencies.models import AuditEntry, Membership


@pytest.fixture
def admin_client(world, login):
    return login(world["users"]["admin"])


def members_url(agency) -> str:
    return f"/agencies/{agency.pk}/members/"


def invite(client, agency, **fields):
    data = {"username": "somchai", "email": "somchai@example.go.th", "first_name": "สมชาย", "last_name": "ใจดี",
            "role": "editor", "department": ""}
    data.update(fields)
    return client.post(members_url(agency) + "invite/", data)


def test_admin_invites_a_new_user_who_sets_a_password_with_the_emailed_link(world, admin_client, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a = world["a"]
    department = a.departments.first()
    response = invite(admin_client, a, department=str(department.pk))
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="somchai", agency=a)
    assert (membership.role, membership.department) == ("editor", department)
    assert not membership.user.has_usable_password()
    assert AuditEntry.objects.filter(agency=a, action="member.added", user=world["users"]["admin"]).exists()

    [message] = mail.outbox
    assert message.to == ["somchai@example.go.th"] and a.name in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    form_page = client.get("/" + path, follow=True)
    assert "ตั้งรหัสผ่าน" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
                       {"new_password1": "ita-2568-strong!", "new_password2": "ita-2568-strong!"})
    assert done.status_code == 302
    assert client.login(request=HttpRequest(), username="somchai", password="ita-2568-strong!")  # django-axes wants the request
    # The link works once.
    client.logout()
    assert "ใช้ไม่ได้แล้ว" in client.get("/" + path, follow=True).content.decode()


def test_the_invitation_does_not_tell_whether_an_account_exists_elsewhere(world, admin_client, django_user_model,
                                                                          settings):
    """A person with an account in another agency is found by e-mail and added with the same answer
    as a new person; a username is never confirmed, nor whose e-mail it has."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a = world["a"]
    django_user_model.objects.create_user("kanya", email="kanya@other.go.th", password="x")

    def answer(**fields):
        response = invite(admin_client, a, **fields)
        page = admin_client.get(members_url(a)).content.decode() if response.status_code == 302 else ""
        return response.status_code, re.findall(r'<li class="success">([^<]*)</li>', page)

    # A guessed e-mail with a taken username: "cannot be used", as for any unusable name.
    response = invite(admin_client, a, username="kanya", email="guess@example.go.th")
    body = response.content.decode()
    assert response.status_code == 400 and "ชื่อผู้ใช้นี้ใช้ไม่ได้" in body
    assert "มีอยู่แล้ว" not in body and "kanya@other.go.th" not in body and "อีเมลให้ตรง" not in body
    assert not Membership.objects.filter(user__username="kanya", agency=a).exists()

    # The existing account's e-mail (any username typed) and a brand-new person read the same.
    existing = answer(username="anything", email="KANYA@other.go.th")
    new = answer(username="malee", email="malee@example.go.th")
    assert existing[0] == new[0] == 302 and len(new[1]) == 1
    assert [m.replace("KANYA@other.go.th", "X") for m in existing[1]] == [m.replace("malee@example.go.th", "X")
                                                                         for m in new[1]]
    assert Membership.objects.filter(user__username="kanya", agency=a, role="editor").exists()
    assert not django_user_model.objects.filter(username="anything").exists()
    # Both got an e-mail: the new person a link to set a password, kanya a note to log in.
    notices = {m.to[0]: m.body for m in mail.outbox}
    assert "/password/set/" in notices["malee@example.go.th"]
    assert "/login/" in notices["kanya@other.go.th"] and "/password/set/" not in notices["kanya@other.go.th"]


def test_bad_invitation_says_which_field_and_writes_nothing(world, admin_client, django_user_model):
    users = django_user_model.objects.count()
    response = invite(admin_client, world["a"], username="สมชาย", email="not-an-email")
    body = response.content.decode()
    assert response.status_code == 400
    assert "ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ" in body and "อีเมล" in body
    assert django_user_model.objects.count() == users


def test_role_and_unit_change_and_removal_are_audited(world, admin_client):
    a, viewer = world["a"], world["users"]["viewer"]
    membership = Membership.objects.get(user=viewer, agency=a)
    department = a.departments.last()
    prefix = f"m{membership.pk}"
    response = admin_client.post(f"{members_url(a)}{membership.pk}/",
                                 {f"{prefix}-role": "editor", f"{prefix}-department": str(department.pk)})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.department) == ("editor", department)
    assert admin_client.post(f"{members_url(a)}{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = list(AuditEntry.objects.filter(agency=a).values_list("action", flat=True))
    assert "member.changed" in actions and "member.removed" in actions


def test_the_last_admin_can_be_neither_demoted_nor_removed(world, admin_client):
    a = world["a"]
    mine = Membership.objects.get(user=world["users"]["admin"], agency=a)
    admin_client.post(f"{members_url(a)}{mine.pk}/", {f"m{mine.pk}-role": "viewer", f"m{mine.pk}-department": ""})
    admin_client.post(f"{members_url(a)}{mine.pk}/remove/")
    mine.refresh_from_db()
    assert mine.role == "admin"


@pytest.mark.parametrize("who", ["editor", "viewer", "supervisor", "outsider"])
def test_only_the_agencys_admins_manage_members(world, login, who):
    a = world["a"]
    client = login(world["users"][who])
    before = Membership.objects.count()
    assert client.get(members_url(a)).status_code == 404
    assert invite(client, a).status_code == 404
    assert Membership.objects.count() == before


def test_an_admin_of_one_agency_cannot_touch_another_agencys_members(world, admin_client, django_user_model):
    b = world["b"]
    other = Membership.objects.create(user=django_user_model.objects.create_user("b_admin"), agency=b, role="admin")
    a = world["a"]
    # B's membership through A's URL, and B's own URLs: neither works.
    assert admin_client.post(f"{members_url(a)}{other.pk}/remove/").status_code == 404
    assert admin_client.post(f"{members_url(b)}{other.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
