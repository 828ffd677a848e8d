"""Password guessing is slowed down on the real client address, with counters every worker shares."""

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from itadesk.web.client_ip import client_ip, parse_trusted_proxies

from .conftest import PASSWORD


def login(client, username, password, **headers):
    return client.post("/login/", {"username": username, "password": password}, **headers)


@pytest.mark.django_db
def test_login_locks_a_username_and_address_out_after_five_wrong_passwords(world, settings):
    client = Client(REMOTE_ADDR="198.51.100.7")
    answers = [login(client, "a_editor", f"guess-{i}").status_code for i in range(settings.AXES_FAILURE_LIMIT - 1)]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1)        # the form again, with the error
    locked = login(client, "a_editor", "guess-last")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page and "ครบ ๕ ครั้ง" in page and "๑๕ นาที" in page
    # Now even the right password is refused, from that address, for that username.
    right = login(client, "a_editor", PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # Another user from the same address, and the same user from another address, still log in.
    assert login(Client(REMOTE_ADDR="198.51.100.7"), "a_viewer", PASSWORD).status_code == 302
    assert login(Client(REMOTE_ADDR="203.0.113.9"), "a_editor", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_escape_the_login_lockout(world, settings):
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [login(client, "a_editor", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.{i}.1").status_code
             for i in range(settings.AXES_FAILURE_LIMIT + 2)]
    assert codes[-1] == 429 and codes.count(429) == 3


@pytest.mark.django_db
def test_a_right_password_before_the_limit_resets_the_count(world, settings):
    client = Client(REMOTE_ADDR="198.51.100.8")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "a_editor", f"guess-{i}")
    assert login(client, "a_editor", PASSWORD).status_code == 302
    client.logout()
    assert login(client, "a_editor", "typo").status_code == 200   # counting starts again


@pytest.mark.django_db
def test_forty_token_attempts_with_spoofed_forwarded_for_get_429(world):
    """X-Forwarded-For is not believed by default: 40 attempts each claiming another address are
    counted against the one real address (10 a minute), and the right password gets 429 too."""
    client = APIClient(REMOTE_ADDR="198.51.100.20")
    codes = [client.post("/api/token/", {"username": "a_editor", "password": f"g{i}"}, format="json",
                         HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(40)]
    assert codes[:10] == [400] * 10 and set(codes[10:]) == {429}
    late = client.post("/api/token/", {"username": "a_editor", "password": PASSWORD}, format="json",
                       HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert late.status_code == 429 and "ส่งคำขอบ่อยเกินไป" in late.json()["detail"]
    assert int(late["Retry-After"]) > 0
    # Another real address is not blocked by the first one's attempts.
    other = APIClient(REMOTE_ADDR="198.51.100.21")
    assert other.post("/api/token/", {"username": "a_editor", "password": PASSWORD}, format="json").status_code == 200


@pytest.mark.django_db
def test_the_token_counter_is_in_the_shared_database_cache(world, settings):
    """Counters live in the database cache table every worker process reads, not in a process."""
    from django.core.cache import cache
    from django.db import connection

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    APIClient(REMOTE_ADDR="198.51.100.30").post("/api/token/", {"username": "x", "password": "y"}, format="json")
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("198.51.100.30" in key for key in keys)
    cache.clear()


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(world, settings):
    settings.TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.0/8")
    codes = []
    for i in range(12):
        # Every request comes through our proxy 10.0.0.5 but from a different real client.
        client = APIClient(REMOTE_ADDR="10.0.0.5")
        codes.append(client.post("/api/token/", {"username": "a_editor", "password": "bad"}, format="json",
                                 HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code)
    assert set(codes) == {400}     # 12 clients, one attempt each: nobody throttled
    client = APIClient(REMOTE_ADDR="10.0.0.5")
    same = [client.post("/api/token/", {"username": "a_editor", "password": "bad"}, format="json",
                        HTTP_X_FORWARDED_FOR="evil, 198.51.100.99").status_code for _ in range(11)]
    assert same[-1] == 429         # one client, 11 attempts, whatever it prepends


class _Req:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize("trusted, remote, forwarded, expected", [
    ("", "192.0.2.1", "203.0.113.5", "192.0.2.1"),                       # nobody trusted
    ("1", "10.0.0.2", "203.0.113.5", "203.0.113.5"),                    # one proxy
    ("1", "10.0.0.2", "6.6.6.6, 203.0.113.5", "203.0.113.5"),           # spoofed left part ignored
    ("2", "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
    ("1", "10.0.0.2", None, "10.0.0.2"),                                 # no header: the socket
    ("10.0.0.0/8", "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
    ("10.0.0.0/8", "192.0.2.1", "203.0.113.5", "192.0.2.1"),            # not from our proxy
    ("10.0.0.0/8,::1/128", "::1", "2001:db8::7", "2001:db8::7"),
    ("1", "10.0.0.2", "not-an-address", "10.0.0.2"),
])
def test_client_ip(trusted, remote, forwarded, expected):
    with override_settings(TRUSTED_PROXIES=parse_trusted_proxies(trusted)):
        assert client_ip(_Req(remote, forwarded)) == expected


def test_a_malformed_trusted_proxies_setting_is_refused():
    with pytest.raises(ValueError):
        parse_trusted_proxies("10.0.0.0/33")


@pytest.mark.django_db
def test_wrong_token_passwords_count_towards_the_same_lockout(world, settings):
    client = APIClient(REMOTE_ADDR="198.51.100.40")
    for i in range(settings.AXES_FAILURE_LIMIT):
        assert client.post("/api/token/", {"username": "a_editor", "password": f"g{i}"}, format="json").status_code == 400
    right = client.post("/api/token/", {"username": "a_editor", "password": PASSWORD}, format="json")
    assert right.status_code == 400 and "token" not in right.json()
    assert login(Client(REMOTE_ADDR="198.51.100.40"), "a_editor", PASSWORD).status_code == 429
