"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live_server.

Playwright's own browser download does not work on our machines, so the tests launch the system
chromium (scripts/setup-browser.sh installs it and the pinned Playwright). Without chromium or
Playwright the tests are skipped with the reason, except under CI (CI=true), where they must run.

Screenshots go to $ITADESK_SCREENSHOTS if set, else to a folder under pytest's basetemp
(outside the repository); the path is printed in the test summary.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; the Django ORM calls that the
# tests make to set up data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ITADESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "browser-test-2567"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser (chromium + Playwright)")


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (run scripts/setup-browser.sh)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"chromium not found at {CHROMIUM} (run scripts/setup-browser.sh: apt-get install chromium)"
    return None


@pytest.fixture(scope="package")  # closed before other packages run: its event loop must not leak
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="th-TH", accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def phone_context(browser):
    """A phone-sized context; call it with a storage_state to be logged in already."""
    contexts = []

    def make(storage_state=None):
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale="th-TH", storage_state=storage_state)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("ITADESK_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def editor_world(transactional_db, django_user_model):
    """A fresh agency (the demo profile) with no results yet, and an editor of it."""
    from itadesk.agency import load_agency
    from itadesk.web.agencies.models import Membership
    from itadesk.web.agencies.services import upsert_agency

    agency = upsert_agency(load_agency(ROOT / "demo" / "agency.yaml"))
    user = django_user_model.objects.create_user("editor", password=PASSWORD, first_name="สมชาย",
                                                 last_name="ใจดี")
    Membership.objects.create(user=user, agency=agency, role=Membership.EDITOR)
    return {"agency": agency, "user": user, "username": "editor", "password": PASSWORD}
