"""A real Celery worker in a subprocess beside the real server of serve.py, against Redis.

Redis must listen on 127.0.0.1:6379 (ITADESK_TEST_REDIS_URL to change); if it does not, the
`redis-server` of Debian is started (scripts/setup.sh installs it). Each test run uses its own
queue and key prefix in Redis, so runs side by side (and anything else on that Redis) never see
each other's messages. Short leases and visibility timeouts make a killed worker's job come back
within seconds instead of the production minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.web.serve import PYTHON, ROOT, kill_group, stop_group

REDIS_URL = os.environ.get("ITADESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _ping() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis() -> None:
    """Redis answering on REDIS_URL, started here if it is not (fails under CI if it cannot be)."""
    if _ping():
        return
    server = shutil.which("redis-server")
    if server:
        subprocess.run([server, "--port", "6379", "--bind", "127.0.0.1", "--daemonize", "yes",
                        "--save", "", "--appendonly", "no"], check=False, capture_output=True, timeout=30)
        for _ in range(50):
            if _ping():
                return
            time.sleep(0.1)
    reason = f"Redis is not running at {REDIS_URL} and could not be started (apt-get install redis-server)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def worker_env(data_dir: Path) -> dict[str, str]:
    """What the web server and the workers share: the broker, a queue of their own, short leases."""
    tag = uuid.uuid4().hex[:12]
    return {
        "ITADESK_BROKER_URL": REDIS_URL,
        "ITADESK_JOBS_MODE": "celery",
        "ITADESK_JOBS_QUEUE": f"itadesk-test-{tag}",
        "ITADESK_BROKER_KEY_PREFIX": f"itadesk-test-{tag}:",
        "ITADESK_JOBS_LEASE_SECONDS": "2",
        "ITADESK_BROKER_VISIBILITY_TIMEOUT": "2",
        "ITADESK_BROKER_RESTORE_INTERVAL": "1",
        "ITADESK_JOBS_DOCUMENTS_PER_PART": "2",
        # The local evidence website of the tests is on 127.0.0.1; only the tests allow it.
        "ITADESK_OIT_ALLOWED_NETWORKS": "127.0.0.1/32",
    }


class Worker:
    """`celery worker` with the server's environment; SIGKILL-able as a whole (master and pool)."""

    def __init__(self, env: dict[str, str], log_path: Path, concurrency: int = 1) -> None:
        self.env, self.log_path, self.concurrency = env, log_path, concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "itadesk.web.worker", "worker", "--loglevel", "INFO",
             "--concurrency", str(self.concurrency), "--pool", "prefork", "-Q", self.env["ITADESK_JOBS_QUEUE"],
             "--without-gossip", "--without-mingle", "--hostname", f"test-{uuid.uuid4().hex[:6]}@%h"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self) -> None:
        kill_group(self.process)

    def stop(self) -> None:
        stop_group(self.process, grace=20)
        if getattr(self, "log", None):
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")
