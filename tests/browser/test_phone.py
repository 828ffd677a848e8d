"""Phone-first pages: at 390 px wide, on the OIT results, plan, progress overview and agencies
pages, no table cell with text is narrower than a readable width and no link or button lies
off-screen (a table that scrolls sideways says so; a link inside it counts only if the table
cannot be scrolled to it)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_walkthrough import SEED000, Visit, log_in

READABLE_PX = 64      # about four Thai characters of the body font: narrower cells break words apart

MEASURE = """(readable) => {
  const vw = window.innerWidth, problems = [];
  const scroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p); if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.scrollWidth > p.clientWidth) return p; }
    return null; };
  for (const cell of document.querySelectorAll('main td, main th')) {
    const r = cell.getBoundingClientRect(), text = cell.innerText.trim();
    if (r.width === 0 || r.height === 0 || text.length < 5) continue;
    if (r.width < readable) problems.push(`cell ${Math.round(r.width)}px wide: ${text.slice(0, 40)}`);
  }
  for (const link of document.querySelectorAll('main a, main button, header a, header button')) {
    const r = link.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(link).visibility === 'hidden') continue;
    if (link.closest('details:not([open])')) continue;
    if (r.left >= 0 && r.right <= vw + 1) continue;
    const box = scroller(link);
    if (box && box.querySelector('.scroll-cue, [data-scroll-cue]') !== null) continue;
    if (box && box.previousElementSibling && box.previousElementSibling.matches('.scroll-cue')) continue;
    problems.push(`link off-screen (${Math.round(r.left)}–${Math.round(r.right)} px): ${link.innerText.trim().slice(0, 40)}`);
  }
  return problems;
}"""


@pytest.fixture
def phone_world(editor_world, settings, tmp_path):
    """The editor's agency with FY2567 scores, the approved FY2568 plan with its rounds, and an OIT
    check of FY2567 in which many items fail (long reasons in the table)."""
    from itadesk.criteria import load_criteria
    from itadesk.oit.checker import CheckRun, UrlCheck
    from itadesk.oit.verdict import predict
    from itadesk.results import load_results
    from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry
    from itadesk.web.plans.services import approve_plan, create_plan
    from itadesk.web.progress.services import ensure_rounds
    from itadesk.web.results.models import ResultSet

    settings.MEDIA_ROOT = tmp_path / "media"
    agency, user = editor_world["agency"], editor_world["user"]
    ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=load_results(SEED000).scores, source="seed000")
    plan = approve_plan(create_plan(agency, 2567, user), 2, "นายกองค์การบริหารส่วนตำบล", dt.date(2024, 10, 20), user)
    ensure_rounds(plan)
    stamp = "2025-01-01T03:00:00+00:00"
    checks = []
    for n in range(1, 34):
        url = f"https://www.bansuanhom.go.th/ita/2567/o{n}/ประกาศเรื่องการเปิดเผยข้อมูลสาธารณะ"
        EvidenceEntry.objects.create(agency=agency, fiscal_year=2567, code=f"O{n}", urls=[url])
        checks.append(UrlCheck(f"O{n}", url, "http_error" if n % 3 else "ok", 404 if n % 3 else 200,
                               detail="เปิดไม่ได้ (รหัสตอบกลับ 404)" if n % 3 else ""))
    run = CheckRun(agency.name, agency.website, 2567, 2567, stamp, stamp, checks)
    when = dt.datetime.fromisoformat(stamp)
    prediction = predict(run, load_criteria(2567))
    saved = CheckRunRecord.objects.create(agency=agency, fiscal_year=2567, started_at=when, finished_at=when,
                                          run=run.to_dict(), prediction=prediction.to_dict(), oit=prediction.oit,
                                          urls=len(checks))
    return {**editor_world, "plan": plan, "run": saved}


@pytest.mark.browser
def test_phone_pages_keep_cells_readable_and_links_on_screen(live_server, phone_world, phone_context, shots):
    from itadesk.web.agencies.models import Membership

    agency, plan = phone_world["agency"], phone_world["plan"]
    Membership.objects.filter(user=phone_world["user"], agency=agency).update(role=Membership.ADMIN)  # the audit log
    phone = Visit(phone_context(), live_server.url, shots, "phone")
    log_in(phone, phone_world["username"], phone_world["password"])
    pages = {
        "agencies": "/",
        "oit-results": f"/agencies/{agency.pk}/oit/runs/{phone_world['run'].pk}/",
        "plan": f"/agencies/{agency.pk}/plans/{plan.plan_year}/",
        "progress-overview": f"/agencies/{agency.pk}/plans/{plan.plan_year}/progress/",
        "audit": f"/agencies/{agency.pk}/audit/",
    }
    problems = {}
    for name, path in pages.items():
        phone.page.goto(phone.url(path))
        phone.check(f"50-phone-{name}")
        found = phone.page.evaluate(MEASURE, READABLE_PX)
        if found:
            problems[name] = found[:8]
        height = phone.page.evaluate("document.documentElement.scrollHeight")
        print(f"{name}: {height} px tall at 390 px")
    assert not problems, problems
