"""The measures knowledge base and the plan generated from it."""

import pytest

from itadesk.agency import load_agency
from itadesk.criteria import available_years, load_criteria
from itadesk.knowledge import load_knowledge
from itadesk.plan import MAINTAIN, generate_plan, period_text
from itadesk.results import Results
from itadesk.workflow import analyze_files, analyze_results

KB = load_knowledge()


@pytest.mark.parametrize("year", available_years())
def test_every_topic_of_every_shipped_year_has_advice_and_a_measure(year):
    assert KB.missing_for(load_criteria(year)) == []


def test_every_measure_is_used_and_has_two_to_four_steps():
    used = {m for t in KB.topics.values() for m in t.measures} | set(KB.theme_measures.values())
    assert used == set(KB.measures)
    assert all(2 <= len(m.steps) <= 4 for m in KB.measures.values())


def test_every_theme_of_2567_has_an_upkeep_measure():
    assert {t.key for t in load_criteria(2567).themes} <= set(KB.theme_measures)


def test_default_period_is_the_whole_plan_fiscal_year():
    assert period_text("fiscal_year", 2568) == "๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘"
    assert period_text("quarter1", 2568) == "๑ ตุลาคม ๒๕๖๗ ถึง ๓๑ ธันวาคม ๒๕๖๗"
    assert period_text("half2", 2568, thai=False) == "1 เมษายน 2568 ถึง 30 กันยายน 2568"


def test_seed000_plan_answers_every_weak_code_once(seed000_csv, demo_agency):
    analysis = analyze_files(seed000_csv)
    plan = generate_plan(analysis, KB, load_agency(demo_agency))
    assert plan.assessed_year == 2567 and plan.plan_year == 2568
    targeted = {t.code for m in plan.measures for t in m.targets if t.status != MAINTAIN}
    weak = {r.entry.code for t in analysis.themes for r in t.weak}
    assert targeted == weak
    assert len({m.measure_id for m in plan.measures}) == len(plan.measures)


def test_perfect_scores_still_give_one_upkeep_measure_per_theme(demo_agency):
    criteria = load_criteria(2567)
    analysis = analyze_results(Results(2567, {e.code: 100.0 for e in criteria.entries}))
    plan = generate_plan(analysis, KB, load_agency(demo_agency))
    assert sorted(m.theme for m in plan.measures) == [1, 2, 3, 4, 5, 6, 7]
    assert all(t.status == MAINTAIN for m in plan.measures for t in m.targets)


def test_responsible_units_follow_the_agency_profile(seed000_csv, demo_agency, tmp_path):
    profile = demo_agency.read_text(encoding="utf-8").replace("  - name: กองคลัง", "  - name: กองการคลัง")
    path = tmp_path / "agency.yaml"
    (tmp_path / "emblem.png").write_bytes((demo_agency.parent / "emblem.png").read_bytes())
    path.write_text(profile, encoding="utf-8")
    (tmp_path / "emblem.png").write_bytes((demo_agency.parent / "emblem.png").read_bytes())  # the profile names it
    plan = generate_plan(analyze_files(seed000_csv), KB, load_agency(path))
    procurement = next(m for m in plan.measures if any(t.code == "O14" for t in m.targets))
    assert procurement.responsible.split(" / ")[0] == "กองการคลัง"


def test_a_kind_of_work_no_department_does_is_named_generically_never_as_an_invented_unit(seed000_csv, demo_agency):
    from dataclasses import replace

    from itadesk.agency import Department

    agency = load_agency(demo_agency)
    agency = replace(agency, departments=tuple(
        Department(d.name, tuple(r for r in d.roles if r != "legal")) for d in agency.departments))
    plan = generate_plan(analyze_files(seed000_csv), KB, agency)
    units = {u for m in plan.measures for u in m.responsible.split(" / ")}
    own = {d.name for d in agency.departments}
    assert "ผู้รับผิดชอบงานด้านกฎหมาย" in units
    assert units <= own | {role.generic for role in KB.roles.values()}
    assert not any("งานนิติการ" in u for u in units)


def _other_agency(demo_agency):
    """A เทศบาลตำบล whose departments differ from the demo's: no legal or internal audit unit,
    planning and the website in a กอง of their own, and no head_of_office signatory."""
    from dataclasses import replace

    from itadesk.agency import Department, Person

    demo = load_agency(demo_agency)
    return replace(
        demo, name="เทศบาลตำบลหนองน้ำใส", type="เทศบาลตำบล", office="สำนักปลัดเทศบาล",
        departments=(Department("สำนักปลัดเทศบาล", ("general_admin", "hr", "public_relations", "service")),
                     Department("กองยุทธศาสตร์และงบประมาณ", ("planning", "it")),
                     Department("กองการคลัง", ("finance", "procurement", "assets")),
                     Department("กองช่าง")),
        signatories={"preparer": demo.signatories["preparer"],
                     "endorser": Person("นายสมชาย ใจงาม", "ปลัดเทศบาลตำบลหนองน้ำใส"),
                     "approver": Person("นางสมใจ ดีงาม", "นายกเทศมนตรีตำบลหนองน้ำใส")},
    )


def _published_names_problems(texts, agency) -> list[str]:
    """Texts naming a unit the agency does not have (a knowledge-base role's own name, or one of
    the demo's departments) or a bare "ปลัด" that is not part of a full title or a unit's name,
    and texts with a placeholder's brace left in."""
    own = sorted({d.name for d in agency.departments}
                 | {p.position for p in agency.signatories.values()} | {"หัวหน้าสำนักปลัดเทศบาล"},
                 key=len, reverse=True)
    foreign = [r.name for r in KB.roles.values() if r.name != r.generic]
    foreign += ["สำนักปลัด", "กองคลัง", "หน่วยตรวจสอบภายใน", "ปลัด"]
    problems = []
    for text in texts:
        rest = text
        for name in own:
            rest = rest.replace(name, "")
        problems += [f"{name} in {text}" for name in foreign if name in rest]
        if "{" in text or "}" in text:
            problems.append(f"brace in {text}")
    return problems


@pytest.mark.parametrize("results", ["tests/data/seed000-2567.csv", "demo/results-2567.yaml",
                                     "demo/results-2568.yaml", "demo/results-2569.yaml"])
@pytest.mark.parametrize("which", ["demo", "other"])
def test_the_published_plan_names_only_the_agencys_own_units_and_full_titles(results, which, demo_agency, request):
    import datetime as dt

    from itadesk.workflow import prepare_measures
    from tests.test_published_text import measures_texts

    agency = load_agency(demo_agency) if which == "demo" else _other_agency(demo_agency)
    package = prepare_measures(analyze_files(request.config.rootpath / results), agency, day=dt.date(2026, 11, 20))
    assert _published_names_problems(measures_texts(package.document), agency) == []


def test_placeholders_are_filled_from_the_profile_else_generically(demo_agency):
    from dataclasses import replace

    from itadesk.plan import fill_placeholders

    demo = load_agency(demo_agency)
    text = "{legal}รวบรวมเรื่อง และ{internal_audit}สอบทาน แล้วรายงานต่อ{endorser}ก่อนเสนอ{approver} และแจ้ง{head_of_office}"
    assert fill_placeholders(text, KB, demo) == (
        "สำนักปลัดรวบรวมเรื่อง และหน่วยตรวจสอบภายในสอบทาน แล้วรายงานต่อปลัดองค์การบริหารส่วนตำบลบ้านสวนหอม"
        "ก่อนเสนอนายกองค์การบริหารส่วนตำบลบ้านสวนหอม และแจ้งหัวหน้าสำนักปลัด")
    other = _other_agency(demo_agency)
    assert fill_placeholders(text, KB, replace(other, signatories={})) == (
        "ผู้รับผิดชอบงานด้านกฎหมายรวบรวมเรื่อง และผู้ตรวจสอบภายในสอบทาน แล้วรายงานต่อปลัดเทศบาลตำบลหนองน้ำใส"
        "ก่อนเสนอนายกเทศมนตรีตำบลหนองน้ำใส และแจ้งหัวหน้าสำนักปลัดเทศบาล")


@pytest.mark.parametrize(("name", "office", "endorser", "approver", "head"), [
    ("องค์การบริหารส่วนจังหวัดนครราชสีมา", "สำนักปลัด", "ปลัดองค์การบริหารส่วนจังหวัดนครราชสีมา",
     "นายกองค์การบริหารส่วนจังหวัดนครราชสีมา", "หัวหน้าสำนักปลัด"),
    ("เทศบาลเมืองบัวใหญ่", "กองยุทธศาสตร์และงบประมาณ", "ปลัดเทศบาลเมืองบัวใหญ่", "นายกเทศมนตรีเมืองบัวใหญ่",
     "ผู้อำนวยการกองยุทธศาสตร์และงบประมาณ"),
    ("กรุงเทพมหานคร", "สำนักยุทธศาสตร์และประเมินผล", "ปลัดกรุงเทพมหานคร", "ผู้ว่าราชการกรุงเทพมหานคร",
     "หัวหน้าสำนักยุทธศาสตร์และประเมินผล"),
    ("สำนักงานสาธารณสุขจังหวัดนครราชสีมา", "กลุ่มงานบริหารทั่วไป", "ผู้บริหารที่ได้รับมอบหมาย", "หัวหน้าหน่วยงาน",
     "หัวหน้ากลุ่มงานบริหารทั่วไป"),
])
def test_a_missing_signatory_is_named_by_the_title_its_post_has_in_an_agency_of_that_kind(
        name, office, endorser, approver, head, demo_agency):
    from dataclasses import replace

    agency = replace(load_agency(demo_agency), name=name, office=office, signatories={})
    assert [agency.position_of(r) for r in ("endorser", "approver", "head_of_office")] == [endorser, approver, head]


def _kb_with(monitoring: str, step: str = "ขั้นตอนที่สอง", improve: str = "ข้อความ") -> dict:
    return {
        "roles": {"legal": {"name": "งานนิติการ", "generic": "ผู้รับผิดชอบงานด้านกฎหมาย"}},
        "measures": {"complaint_handling": {"name": "จัดการเรื่องร้องเรียน", "steps": ["ขั้นตอนแรก", step],
                                            "roles": ["legal"], "monitoring": monitoring}},
        "topics": {"oit.complaint": {"improve": improve, "keep": "คงไว้", "measures": ["complaint_handling"]}},
    }


def test_the_knowledge_base_loads_only_known_placeholders_in_the_monitoring_text():
    from itadesk.errors import InputError
    from itadesk.knowledge import parse_knowledge

    assert parse_knowledge(_kb_with("{legal}รายงานต่อ{endorser}"), "kb.yaml").measures["complaint_handling"]
    with pytest.raises(InputError) as raised:
        parse_knowledge(_kb_with("{lawyer}รายงานต่อ{mayor}"), "kb.yaml")
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == 2 and all("measures.complaint_handling.monitoring" in p for p in problems)
    assert "{lawyer}" in problems[0] and "{mayor}" in problems[1]
    for broken in (_kb_with("{legalรายงาน"), _kb_with("{legal}", step="แจ้ง{legal}"),
                   _kb_with("{legal}", improve="ให้{legal}ดำเนินการ")):
        with pytest.raises(InputError) as raised:
            parse_knowledge(broken, "kb.yaml")
        assert len(raised.value.problems) == 1 and "ปีกกา" in raised.value.problems[0].message
