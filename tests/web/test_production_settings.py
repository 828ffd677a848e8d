"""Production settings come from the environment: HTTPS, secret key, CSP; `check --deploy` is clean."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "itadesk" / "web" / "templates"
KEY = "k" * 20 + "-production-secret-" + "z" * 30


def run(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "ITADESK_DATA_DIR": str(tmp_path),
                   "DJANGO_SETTINGS_MODULE": "itadesk.web.settings", **env}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


PRODUCTION = {"ITADESK_PRODUCTION": "1", "ITADESK_HTTPS": "1", "ITADESK_SECRET_KEY": KEY,
              "ITADESK_ALLOWED_HOSTS": "ita.example.go.th"}


def test_check_deploy_with_the_production_environment_prints_no_warning(tmp_path):
    done = run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_the_deploy_folders_environment_passes_check_deploy(tmp_path):
    """deploy/itadesk.env.example as systemd reads it (KEY=value, quotes stripped), with a real key."""
    env = {}
    for line in (ROOT / "deploy" / "itadesk.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value.strip('"')
    assert {"ITADESK_BROKER_URL", "DATABASE_URL", "ITADESK_SECRET_KEY", "ITADESK_HTTPS"} <= set(env)
    env.update(ITADESK_SECRET_KEY=KEY, ITADESK_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL")      # the example's server does not exist here; the checks need no database
    done = run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_without_https_names_what_is_missing(tmp_path):
    """The same check fails when ITADESK_HTTPS is not set: the test above is not vacuous."""
    env = {k: v for k, v in PRODUCTION.items() if k != "ITADESK_HTTPS"}
    done = run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert done.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in done.stderr + done.stdout


@pytest.mark.parametrize("env", [
    {"ITADESK_PRODUCTION": "1"},
    {"ITADESK_PRODUCTION": "1", "ITADESK_DEBUG": "1"},
    {"ITADESK_PRODUCTION": "1", "ITADESK_SECRET_KEY": "dev-only-" + "x" * 40},
    {"ITADESK_PRODUCTION": "1", "ITADESK_SECRET_KEY": "short"},
], ids=["no key", "no key with DEBUG", "the old public key", "a short key"])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, env):
    done = run(tmp_path, "manage.py", "check", **env)
    assert done.returncode != 0 and "ITADESK_SECRET_KEY" in done.stderr


SHOW = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({n: "
        "getattr(s, n, None) for n in ('SECRET_KEY', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS')}))")


def settings_with(tmp_path, **env) -> dict:
    done = run(tmp_path, "-c", SHOW, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_https_turns_on_hsts_redirect_and_secure_cookies(tmp_path):
    plain = settings_with(tmp_path)
    assert not plain["SECURE_SSL_REDIRECT"] and not plain["SESSION_COOKIE_SECURE"] and not plain["SECURE_HSTS_SECONDS"]
    https = settings_with(tmp_path, ITADESK_HTTPS="1")
    assert https["SECURE_SSL_REDIRECT"] and https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"]
    assert https["SECURE_HSTS_SECONDS"] == 31536000 and https["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert https["SECURE_PROXY_SSL_HEADER"] is None       # no proxy trusted: X-Forwarded-Proto ignored
    proxied = settings_with(tmp_path, ITADESK_HTTPS="1", ITADESK_TRUSTED_PROXIES="1", ITADESK_HSTS_SECONDS="600",
                            ITADESK_CSRF_TRUSTED_ORIGINS="https://ita.example.go.th")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["SECURE_HSTS_SECONDS"] == 600
    assert proxied["CSRF_TRUSTED_ORIGINS"] == ["https://ita.example.go.th"]


def test_outside_production_the_key_is_random_and_kept_in_the_data_dir(tmp_path, tmp_path_factory):
    first = settings_with(tmp_path)["SECRET_KEY"]
    assert first == settings_with(tmp_path)["SECRET_KEY"]             # kept between starts
    assert len(first) >= 50 and not first.startswith("dev-only-")
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0     # readable by the owner only
    other = tmp_path_factory.mktemp("other-install")
    assert settings_with(other)["SECRET_KEY"] != first              # another installation, another key
    assert settings_with(tmp_path, ITADESK_SECRET_KEY=KEY)["SECRET_KEY"] == KEY


# --- Content-Security-Policy --------------------------------------------------------------------

def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_csp_that_allows_only_their_own_scripts(world, login):
    from itadesk.web.plans.services import create_plan

    editor = world["users"]["editor"]
    plan = create_plan(world["a"], 2567, editor)
    client = login(editor)
    page = client.get(f"/agencies/{world['a'].pk}/plans/{plan.plan_year}/edit/")
    assert page.status_code == 200
    rules = policy(page)
    assert "'unsafe-inline'" not in rules["script-src"] and "'self'" in rules["script-src"]
    assert rules["object-src"] == "object-src 'none'" and rules["frame-ancestors"] == "frame-ancestors 'none'"
    nonce = re.search(r"'nonce-([^']+)'", rules["script-src"]).group(1)
    html = page.content.decode()
    inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)   # the editor's script runs
    assert "/static/itadesk/site.js" in html
    # A new nonce for every answer.
    assert re.search(r"'nonce-([^']+)'", policy(client.get(page.wsgi_request.path))["script-src"]).group(1) != nonce
    assert "Content-Security-Policy" in client.get("/login/")


def test_no_template_has_inline_event_handlers_or_javascript_urls():
    """The CSP refuses inline handlers (onclick=, onsubmit=…); pages use site.js's data- attributes."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(path.name)
        for attrs in re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", text):
            if "csp_nonce" not in attrs:
                offenders.append(f"{path.name}: inline script without nonce")
    assert not offenders


@pytest.mark.django_db
def test_swagger_ui_is_left_out_of_the_policy(world, login):
    answer = login(world["users"]["editor"]).get("/api/docs/")
    assert answer.status_code == 200 and "Content-Security-Policy" not in answer
