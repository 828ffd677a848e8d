"""A real itadesk server in a subprocess (gunicorn, several worker processes) on a temp DATA_DIR.

pytest-django's test database is in memory (SQLite) and one process, so it cannot show what
several workers writing one database file do; these helpers run the application the way it is
deployed: `manage.py migrate` (which makes the cache tables too), then gunicorn on 127.0.0.1.

On PostgreSQL (DATABASE_URL set to postgres://…) the server gets its own database, named after
the test one with a "_live" suffix, created here and dropped afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _database(data_dir: Path):
    """The DATABASE_URL the server uses: a SQLite file in data_dir, or a fresh PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    base, _, name = url.rpartition("/")
    live = f"{name or 'itadesk'}_live"
    admin = dict(conninfo=f"{base}/postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{live}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{live}"')
    try:
        yield f"{base}/{live}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{live}" WITH (FORCE)')


def kill_group(process: subprocess.Popen | None) -> None:
    """SIGKILL a process started with ``start_new_session`` and everything it started."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def stop_group(process: subprocess.Popen | None, grace: float) -> None:
    """SIGTERM the process group; SIGKILL it if it has not ended after ``grace`` seconds."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            kill_group(process)


class Server:
    def __init__(self, data_dir: Path, database_url: str | None):
        self.data_dir = data_dir
        self.env = {**os.environ, "ITADESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src"),
                    "DJANGO_SETTINGS_MODULE": "itadesk.web.settings"}
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process: subprocess.Popen | None = None
        self.url = ""

    def manage(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def python(self, code: str) -> dict:
        """Run code in the server's Django environment; it prints one JSON object, returned here."""
        out = self.manage("shell", "-c", code)
        return json.loads(out.strip().splitlines()[-1])

    def start(self, workers: int = 3) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(self.data_dir / "server.log", "wb")
        self.process = subprocess.Popen(
            [GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
             "--graceful-timeout", "1", "itadesk.web.wsgi:application"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.data_dir / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{self.url}/login/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("the server did not start: " + (self.data_dir / "server.log").read_text()[-3000:])

    def kill(self) -> None:
        """SIGKILL the whole server (master and workers), as a crash or the OOM killer would."""
        kill_group(self.process)

    def stop(self) -> None:
        stop_group(self.process, grace=15)
        if getattr(self, "log", None):
            self.log.close()

    def server_errors(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")


@contextmanager
def running_server(data_dir: Path, workers: int = 3):
    """A migrated, empty itadesk serving on 127.0.0.1, as deployed: ``migrate`` alone makes the
    tables, the caches' included; yields Server."""
    with _database(data_dir) as database_url:
        server = Server(data_dir, database_url)
        server.manage("migrate", "--no-input", "-v", "0")
        try:
            yield server
        finally:
            server.stop()


def session_client(server: Server, username: str, password: str) -> httpx.Client:
    """An httpx client logged in through the login page (session + CSRF cookie)."""
    client = httpx.Client(base_url=server.url, timeout=120, follow_redirects=False)
    client.get("/login/")
    answer = client.post("/login/", data={"username": username, "password": password,
                                          "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    assert answer.status_code == 302, answer.text[:500]
    return client


def csrf(client: httpx.Client) -> str:
    return client.cookies["csrftoken"]
