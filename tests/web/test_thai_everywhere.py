"""Thai everywhere: every page a user can reach (the access matrix's URL list, as every role of
agency A on A's own objects), the auth pages and the error pages show no English UI words outside
a small allow-list. User data (user names, e-mails, URLs, file names, codes such as O8 or IND1)
is not UI and is left out before looking."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.web.test_access_matrix import fill, matrix_routes, values_for

pytestmark = pytest.mark.django_db

ALLOWED = {"ITA", "IIT", "EIT", "OIT", "PDF", "DOCX", "XLSX", "ZIP", "API", "E-Service", "URL", "itadesk", "ITAS",
           # file types and sizes named on the upload pages next to XLSX; the program officers open them in
           "CSV", "YAML", "YML", "JSON", "PNG", "JPEG", "SVG", "MB", "KB", "Excel",
           # names of government systems the measures tell officers to use
           "e-GP", "e-PlanNACC", "QR", "Code"}
ALLOWED_UPPER = {w.upper() for w in ALLOWED}
# Codes (O8, IND1, i1, e12, fiscal_year in the results sheet's instructions), URLs, e-mails.
NOT_WORDS = re.compile(r"https?://\S*|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b(?:IND|O|i|e)\d+\b|\b[\w.-]+\.(?:xlsx|csv|pdf|docx|png|json|yaml|yml)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")


class VisibleText(HTMLParser):
    """The text a person sees: body text, button values and a few attributes; no script/style/code."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "title"):
            self.hidden += 1
        attrs = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "title") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str, data_words: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = NOT_WORDS.sub(" ", " ".join(parser.parts))
    return {w for w in WORD.findall(text) if w.upper() not in ALLOWED_UPPER and w.lower() not in data_words}


def data_words() -> set[str]:
    """Words that are data, not UI: user names, results sources, and the official names of the
    criteria items as the NACC writes them (No Gift Policy, e-PlanNACC, QR Code)."""
    from django.contrib.auth import get_user_model

    from itadesk.criteria import available_years, load_criteria
    from itadesk.web.results.models import ResultSet

    official = [text for year in available_years() for e in load_criteria(year).entries
                for text in (e.label, getattr(e, "name", "") or "")]
    words = set()
    for text in [*get_user_model().objects.values_list("username", flat=True),
                 *ResultSet.objects.values_list("source", flat=True), *official]:
        words |= {w.lower() for w in WORD.findall(text)}
    return words


@pytest.fixture
def a_plan(world):
    from django.utils import timezone

    from itadesk.web.plans.services import approve_plan, create_plan

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    return approve_plan(plan, plan.version, "นายกองค์การบริหารส่วนตำบล", timezone.localdate(), world["users"]["editor"])


def page_routes():
    return [(t, p) for t, p in matrix_routes() if not t.startswith("api/")]


def test_every_page_as_every_role_is_in_thai(world, a_plan):
    values = values_for(world["a"], a_plan)
    known = data_words()
    found: dict[str, set[str]] = {}
    visited = 0
    for role in ("sysadmin", "admin", "editor", "viewer", "supervisor"):
        client = Client()
        client.force_login(world["users"][role])
        for template, _pattern in page_routes():
            url = fill(template, values)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            visited += 1
            for word in english_words(response.content.decode(), known):
                found.setdefault(word, set()).add(f"{role} {url}")
    assert visited >= 40
    assert not found, "English words on pages:\n" + "\n".join(
        f"  {w}: {sorted(where)[:3]}" for w, where in sorted(found.items()))


def test_auth_and_error_pages_are_in_thai(world, client, settings):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    known = data_words()
    pages = {}
    for url in ("/login/", "/password/reset/", "/password/reset/done/", "/password/set/xx/bad-token/",
                "/no-such-page/"):
        pages[url] = client.get(url, follow=True)
    user = world["users"]["viewer"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = client.get(f"/password/set/{uid}/{default_token_generator.make_token(user)}/", follow=True)
    pages["set password"] = link
    refused = client.post(link.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"})
    assert refused.status_code == 200
    pages["set password, refused"] = refused
    body = refused.content.decode()
    assert "รหัสผ่านนี้สั้นเกินไป" in body and "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in body
    client.force_login(user)
    pages["/password/"] = client.get("/password/")
    pages["/password/ refused"] = client.post("/password/", {"old_password": "x", "new_password1": "a",
                                                              "new_password2": "b"})
    pages["404 logged in"] = client.get(f"/agencies/{world['b'].pk}/")
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(user)
    pages["csrf"] = csrf.post(f"/agencies/{world['a'].pk}/results/upload/")
    assert pages["csrf"].status_code == 403 and "หน้านี้หมดอายุ" in pages["csrf"].content.decode()
    assert pages["/no-such-page/"].status_code == 404 and "กลับหน้าแรก" in pages["/no-such-page/"].content.decode()

    from django.test import RequestFactory
    from django.views.defaults import permission_denied, server_error

    pages["500"] = server_error(RequestFactory().get("/"))
    pages["403"] = permission_denied(RequestFactory().get("/"), exception=None)
    found = {name: english_words(r.content.decode(), known) for name, r in pages.items()}
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    assert "ระบบขัดข้อง" in pages["500"].content.decode() and "itadesk" in pages["500"].content.decode()


def test_swagger_ui_comes_from_the_projects_own_static_files(world, login):
    from django.contrib.staticfiles import finders

    page = login(world["users"]["editor"]).get("/api/docs/").content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert scripts and not [s for s in scripts if s.startswith(("http://", "https://", "//"))], scripts
    bundle = next(s for s in scripts if "swagger-ui-bundle" in s)
    assert finders.find(bundle.removeprefix("/static/")) is not None
