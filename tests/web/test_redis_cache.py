"""The Redis cache as deployed (ITADESK_REDIS_URL): one client per pool, shared by threads, and
sessions that outlive an emptied Redis."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid

import pytest

from itadesk.web.redis_cache import ReusedClientRedisCache
from tests.web.worker import REDIS_URL, ensure_redis


@pytest.fixture
def cache():
    ensure_redis()
    cache = ReusedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"itadesk-test-{uuid.uuid4().hex[:8]}"})
    yield cache
    cache.delete_many(["a", "b", "n"])


def test_every_call_uses_the_same_client_and_the_values_round_trip(cache):
    client = cache._cache.get_client()
    cache.set("a", {"body": "ภาพรวม ITA"}, 60)
    cache.set("n", 1, 60)
    assert cache.incr("n") == 2
    assert cache.get_many(["a", "b", "n"]) == {"a": {"body": "ภาพรวม ITA"}, "n": 2}
    assert cache._cache.get_client(write=True) is client


def test_threads_share_the_client_without_mixing_their_answers(cache):
    found, errors = {}, []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.set(f"t{n}", (n, i), 60)
                assert cache.get(f"t{n}") == (n, i)
            found[n] = cache.get(f"t{n}")
        except Exception as exc:   # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cache.delete_many([f"t{n}" for n in range(4)])
    assert errors == [] and found == {n: (n, 49) for n in range(4)}


def test_with_redis_the_settings_keep_sessions_in_redis_and_the_database():
    code = ("from django.conf import settings; import django; django.setup(); "
            "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])")
    env = {"DJANGO_SETTINGS_MODULE": "itadesk.web.settings", "ITADESK_REDIS_URL": REDIS_URL, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["django.contrib.sessions.backends.cached_db",
                                  "itadesk.web.redis_cache.ReusedClientRedisCache"]


@pytest.mark.django_db
def test_a_session_outlives_an_emptied_cache(cache, settings):
    from django.contrib.sessions.backends.cached_db import SessionStore

    settings.CACHES = {"default": {"BACKEND": "itadesk.web.redis_cache.ReusedClientRedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": cache.key_prefix}}
    session = SessionStore()
    session["_auth_user_id"] = "7"
    session.save()
    from django.core.cache import caches

    caches["default"].delete(session.cache_key)   # as when Redis is restarted or evicts it
    assert SessionStore(session.session_key).load()["_auth_user_id"] == "7"
