"""The OIT self-check behind the pages: the register in the database, validation, the check run."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from itadesk.criteria import Criteria, available_years, load_criteria
from itadesk.errors import InputError
from itadesk.links import MAX_ITEM_LINKS, url_problem
from itadesk.oit.checker import TIMEOUT, Checker, CheckRun, CheckSettings, UrlCheck, run_blocking
from itadesk.oit.evidence import EvidenceItem, EvidenceRegister
from itadesk.oit.safety import NetworkPolicy
from itadesk.oit.verdict import predict
from itadesk.web.agencies.models import record
from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry

MAX_NOTE_CHARS = 1000
# A check runs in a background job (web/jobs): each URL is bounded by the checker's own timeouts
# and by RUN_DEADLINE (URLs not finished by then are reported as timed out, nothing hangs).
RUN_DEADLINE = 120.0


def criteria_for(fiscal_year: int) -> Criteria | None:
    if fiscal_year not in available_years():
        return None
    try:
        return load_criteria(fiscal_year)
    except InputError:
        return None


def oit_entries(criteria: Criteria) -> list:
    return [e for e in criteria.entries if e.is_oit_item]


@dataclass
class ItemInput:
    code: str
    name: str
    urls: list[str]
    note: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def slots(self) -> list[str]:
        return self.urls + [""] * (MAX_ITEM_LINKS - len(self.urls))


def stored_items(agency, fiscal_year: int, criteria: Criteria) -> list[ItemInput]:
    rows = {e.code: e for e in EvidenceEntry.objects.filter(agency=agency, fiscal_year=fiscal_year)}
    items = []
    for entry in oit_entries(criteria):
        row = rows.get(entry.code)
        items.append(ItemInput(entry.code, entry.label, list(row.urls) if row else [], row.note if row else ""))
    return items


def items_from_post(post, criteria: Criteria) -> list[ItemInput]:
    """The form's values, each item validated; ``errors`` filled where something is wrong."""
    items = []
    for entry in oit_entries(criteria):
        item = ItemInput(entry.code, entry.label, [])
        for n in range(1, MAX_ITEM_LINKS + 1):
            url = post.get(f"url-{entry.code}-{n}", "").strip()
            if not url:
                continue
            reason = url_problem(url)
            if reason:
                item.errors.append(f"ลิงก์ที่ {n}: {reason}")
            if url not in item.urls:
                item.urls.append(url)
        item.note = post.get(f"note-{entry.code}", "").strip()
        if len(item.note) > MAX_NOTE_CHARS:
            item.errors.append(f"หมายเหตุยาวเกิน {MAX_NOTE_CHARS} ตัวอักษร")
        items.append(item)
    return items


def items_from_register(register: EvidenceRegister, criteria: Criteria) -> list[ItemInput]:
    items = []
    for entry in oit_entries(criteria):
        got = register.items.get(entry.code)
        items.append(ItemInput(entry.code, entry.label, list(got.urls) if got else [], got.note if got else ""))
    return items


def save_items(agency, user, fiscal_year: int, items: list[ItemInput], action: str, source: str = "") -> list[str]:
    """Store the whole register of the year (items left empty are removed); audited. Changed codes."""
    assert not any(i.errors for i in items), "save only validated items"
    changed: list[str] = []
    with transaction.atomic():
        stored = EvidenceEntry.objects.select_for_update().filter(agency=agency, fiscal_year=fiscal_year)
        rows = {e.code: e for e in stored}
        for item in items:
            row = rows.pop(item.code, None)
            if not item.urls and not item.note:
                if row is not None:
                    row.delete()
                    changed.append(item.code)
                continue
            if row is not None and row.urls == item.urls and row.note == item.note:
                continue
            EvidenceEntry.objects.update_or_create(
                agency=agency, fiscal_year=fiscal_year, code=item.code,
                defaults={"urls": item.urls, "note": item.note, "updated_by": user})
            changed.append(item.code)
        for row in rows.values():   # codes no longer in the year's criteria
            row.delete()
            changed.append(row.code)
        if changed:
            verb = "นำเข้า" if action == "oit.evidence_imported" else "บันทึก"
            record(agency, user, action,
                   f"{verb}ลิงก์หลักฐาน OIT ปีงบประมาณ {fiscal_year} ({len(changed)} ข้อ: {' '.join(changed)})",
                   fiscal_year=fiscal_year, codes=changed, source=source,
                   links=sum(len(i.urls) for i in items))
    return changed


def register_for(agency, fiscal_year: int, criteria: Criteria) -> EvidenceRegister:
    items = {}
    for item in stored_items(agency, fiscal_year, criteria):
        if item.urls or item.note:
            items[item.code] = EvidenceItem(item.code, tuple(item.urls), item.note)
    return EvidenceRegister(fiscal_year, items, agency.name, agency.website or "", "web")


# --- the check -------------------------------------------------------------------------------

def network_policy() -> NetworkPolicy:
    """ITADESK_OIT_ALLOWED_NETWORKS (Django setting, else environment): comma-separated CIDRs let
    through besides public addresses. Empty (the default): the public internet only."""
    raw = getattr(settings, "ITADESK_OIT_ALLOWED_NETWORKS", None)
    if raw is None:
        raw = os.environ.get("ITADESK_OIT_ALLOWED_NETWORKS", "")
    if isinstance(raw, (list, tuple)):
        raw = ",".join(raw)
    networks = [n.strip() for n in str(raw).split(",") if n.strip()]
    return NetworkPolicy.build(allowed_networks=networks)


def check_settings() -> CheckSettings:
    return CheckSettings(policy=network_policy(), total_timeout=30.0, connect_timeout=10.0, read_timeout=20.0)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class CheckCancelled(Exception):
    """Raised inside a check when its job was cancelled: the URLs under way are dropped."""


@dataclass
class CheckTarget:
    """One agency's register to check (a batch has many, checked side by side)."""
    agency: object
    register: EvidenceRegister

    @property
    def urls(self) -> int:
        return sum(len(item.urls) for item in self.register.items.values())


async def _check_one(checker: Checker, target: CheckTarget, criteria: Criteria, deadline: float,
                     on_url) -> CheckRun:
    started = _now()
    register = target.register
    year = register.fiscal_year

    async def one(code: str, url: str) -> UrlCheck:
        keywords = criteria.entry_by_code[code].keywords if code in criteria.entry_by_code else ()
        try:
            return await asyncio.wait_for(checker.check(code, url, keywords, year), deadline)
        except TimeoutError:
            return UrlCheck(code=code, url=url, outcome=TIMEOUT, final_url=url, checked_at=_now(),
                            detail=f"ตรวจไม่ทันในเวลารวม {deadline:g} วินาที",
                            url_on_main_domain=None)
        finally:
            on_url()

    jobs = [one(code, url) for code, item in register.items.items() for url in item.urls]
    checks = list(await asyncio.gather(*jobs))
    return CheckRun(register.agency, target.agency.website, year, criteria.fiscal_year, started, _now(), checks)


async def _check_all(targets: list[CheckTarget], criteria: Criteria, cs: CheckSettings, deadline: float,
                     on_url, cancelled) -> list[CheckRun]:
    """Every target's links; one set of per-host gates for all, so the politeness per host holds
    across a whole province's batch."""
    gates: dict = {}
    checkers = [Checker(cs, t.agency.website, gates=gates) for t in targets]
    work = asyncio.ensure_future(asyncio.gather(*(_check_one(c, t, criteria, deadline, on_url)
                                                  for c, t in zip(checkers, targets, strict=False))))
    try:
        while not work.done():
            await asyncio.wait({work}, timeout=0.5)
            if not work.done() and cancelled():
                work.cancel()
                raise CheckCancelled()
        return list(work.result())
    finally:
        for checker in checkers:
            await checker.client.aclose()


def check_links(targets: list[CheckTarget], criteria: Criteria, on_url=lambda: None,
                cancelled=lambda: False) -> list[CheckRun]:
    """Check the targets' links (blocking; each URL bounded by the checker's timeouts and
    RUN_DEADLINE). ``on_url`` is called after each URL, ``cancelled`` twice a second (True: the
    URLs under way are dropped, CheckCancelled). Runs in a background job, never in a request."""
    cs = check_settings()
    return run_blocking(lambda: _check_all(targets, criteria, cs, RUN_DEADLINE, on_url, cancelled))


def store_run(agency, user, fiscal_year: int, criteria: Criteria, run: CheckRun, seconds: float) -> CheckRunRecord:
    """Store a finished run and its prediction; audited. Call inside the job's transaction."""
    prediction = predict(run, criteria)
    with transaction.atomic():
        saved = CheckRunRecord.objects.create(
            agency=agency, fiscal_year=fiscal_year, started_by=user,
            started_at=dt.datetime.fromisoformat(run.started_at),
            finished_at=dt.datetime.fromisoformat(run.finished_at),
            run=run.to_dict(), prediction=prediction.to_dict(), oit=prediction.oit, urls=len(run.checks))
        counts = prediction.counts()
        record(agency, user, "oit.checked",
               f"ตรวจหลักฐาน OIT ปีงบประมาณ {fiscal_year}: {len(run.checks)} ลิงก์ OIT คาดการณ์ {prediction.oit:.2f} "
               f"(ผ่าน {counts['pass']} ไม่แน่ใจ {counts['doubtful']} ไม่ผ่าน {counts['fail']})",
               fiscal_year=fiscal_year, run_id=saved.pk, oit=round(prediction.oit, 2), seconds=round(seconds, 1))
    return saved


def check_problem(agency, fiscal_year: int) -> str | None:
    """Why the agency's links of the year cannot be checked (Thai), or None."""
    if not agency.website:
        return ("ยังไม่ได้ระบุเว็บไซต์หลักของหน่วยงาน จึงตรวจไม่ได้ "
                "(ผู้ดูแลหน่วยงานกรอกได้ที่หน้าข้อมูลหน่วยงาน)")
    try:
        network_policy()
    except ValueError:
        return ("ตั้งค่า ITADESK_OIT_ALLOWED_NETWORKS ไม่ถูกต้อง (ต้องเป็น CIDR คั่นด้วยจุลภาค ระบุพอร์ตได้ "
                "เช่น 127.0.0.1/32:8080) แจ้งผู้ดูแลระบบ")
    if not EvidenceEntry.objects.filter(agency=agency, fiscal_year=fiscal_year).exclude(urls=[]).exists():
        return "ยังไม่มีลิงก์หลักฐาน กรุณากรอกลิงก์ก่อนตรวจสอบ"
    return None
