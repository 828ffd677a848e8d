"""ลืมรหัสผ่าน: a Thai reset e-mail with a SITE_URL link, throttled per e-mail and network address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.http import HttpRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://itadesk.example.go.th"
    settings.PASSWORD_RESET_RATE = 2
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = 3
    cache.clear()
    yield
    cache.clear()


def test_forgotten_password_is_reset_from_the_emailed_link(world, client):
    user = world["users"]["viewer"]
    user.email = "viewer@example.go.th"
    user.save()
    assert "ลืมรหัสผ่าน" in client.get("/login/").content.decode()
    response = client.post("/password/reset/", {"email": "viewer@example.go.th"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/done/"
    [message] = mail.outbox
    assert message.subject == "itadesk: ตั้งรหัสผ่านใหม่" and "ชื่อผู้ใช้ a_viewer" in message.body
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith("https://itadesk.example.go.th/password/set/")
    page = client.get(link.removeprefix("https://itadesk.example.go.th"), follow=True)
    done = client.post(page.redirect_chain[-1][0], {"new_password1": "ใหม่-2569-ยาวพอ", "new_password2": "ใหม่-2569-ยาวพอ"})
    assert done.status_code == 302
    assert client.login(request=HttpRequest(), username="a_viewer", password="ใหม่-2569-ยาวพอ")


def test_reset_requests_are_throttled_and_say_nothing_about_accounts(world, client):
    user = world["users"]["viewer"]
    user.email = "viewer@example.go.th"
    user.save()
    for _ in range(4):
        assert client.post("/password/reset/", {"email": "viewer@example.go.th"})["Location"] == "/password/reset/done/"
    assert len(mail.outbox) == 2  # PASSWORD_RESET_RATE for one e-mail from one address
    # An unknown address gets the same answer and no mail; the address's own limit (3) stops the rest.
    assert client.post("/password/reset/", {"email": "nobody@example.go.th"})["Location"] == "/password/reset/done/"
    user2 = world["users"]["editor"]
    user2.email = "editor@example.go.th"
    user2.save()
    client.post("/password/reset/", {"email": "editor@example.go.th"})
    assert len(mail.outbox) == 2
    other = client.post("/password/reset/", {"email": "editor@example.go.th"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302 and len(mail.outbox) == 3
