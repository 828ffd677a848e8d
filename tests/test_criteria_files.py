"""The shipped criteria files: every year validates, unknowns stay unknown, and the checks bite."""

import copy

import pytest
import yaml

from itadesk.criteria import available_years, load_criteria, parse_criteria
from itadesk.criteria.loader import DATA_DIR
from itadesk.errors import InputError

SHIPPED = sorted(int(p.stem.split("-")[1]) for p in DATA_DIR.glob("ita-*.yaml"))
LATER_YEARS = (2568, 2569)
THEME_KEYS = ["process", "service", "communication", "assets", "budget", "authority", "anticorruption"]
# Topics introduced after FY2567 for items that merge or reshape FY2567 items.
NEW_TOPICS = {
    "oit.structure_and_mandate", "oit.procurement_list_and_progress", "oit.ethics_code_and_drive",
    "oit.no_gift_declaration_and_culture", "oit.procurement_monthly_summary", "oit.no_gift_drive",
}


def raw_2567() -> dict:
    return yaml.safe_load((DATA_DIR / "ita-2567.yaml").read_text("utf-8"))


def problems_of(data: dict) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_criteria(data, "test.yaml")
    return [str(p) for p in caught.value.problems]


def test_fiscal_years_2567_2568_and_2569_are_shipped():
    assert {2567, 2568, 2569} <= set(SHIPPED)
    assert {2567, 2568, 2569} <= set(available_years())


@pytest.mark.parametrize("year", SHIPPED)
def test_every_shipped_year_validates(year):
    criteria = load_criteria(year)
    assert criteria.fiscal_year == year
    assert criteria.urn == f"urn:itadesk:criteria:ita:{year}"
    assert [t.code for t in criteria.tools] == ["IIT", "EIT", "OIT"]
    assert sum(t.weight for t in criteria.tools) == pytest.approx(1)


def test_fy2567_is_confirmed_and_later_years_say_they_are_not():
    assert load_criteria(2567).status == "confirmed"
    for year in LATER_YEARS:
        criteria = load_criteria(year)
        assert criteria.status == "unconfirmed"
        assert "ยังไม่ยืนยัน" in criteria.raw["meta"]["note"]
        assert not [e.code for e in criteria.entries if e.status == "confirmed"]
        assert not [t.code for t in criteria.tools if t.status == "confirmed"]


@pytest.mark.parametrize("year", LATER_YEARS)
def test_unknown_item_names_are_left_empty_never_guessed(year):
    for entry in load_criteria(year).entries:
        assert (entry.name is None) == (entry.status == "unknown"), entry.code
        if entry.name is None:
            assert entry.topic is None, f"{entry.code} has no known name, so no known topic"
            assert entry.label == "(ยังไม่ทราบชื่อข้อ)"


def test_fy2568_names_the_items_one_agency_published_and_nothing_else():
    items = {e.code: e for e in load_criteria(2568).entries}
    assert list(items) == [f"O{n}" for n in range(1, 27)]
    assert [c for c, e in items.items() if e.name is None] == ["O2", "O5", "O6", "O7"]
    assert items["O16"].name == "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม"
    assert items["O25"].name == "แผนปฏิบัติการป้องกันการทุจริต"


def test_fy2569_names_the_items_one_agency_published_and_nothing_else():
    items = {e.code: e for e in load_criteria(2569).entries}
    assert list(items) == [f"O{n}" for n in range(1, 27)]
    assert [c for c, e in items.items() if e.name is None] == ["O2", "O4", "O5", "O6", "O7", "O8", "O9"]


@pytest.mark.parametrize("year", LATER_YEARS)
def test_survey_questions_of_later_years_are_not_invented(year):
    criteria = load_criteria(year)
    assert not [e for e in criteria.entries if not e.is_oit_item]
    assert len(criteria.indicators) == 10
    assert [i.tool for i in criteria.indicators] == [i.tool for i in load_criteria(2567).indicators]


def test_fy2569_measures_and_their_report_are_o25_and_o26():
    criteria = load_criteria(2569)
    assert criteria.entry_with_function("measures_plan").code == "O25"
    assert criteria.entry_with_function("measures_plan").name == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert criteria.entry_with_function("measures_report").code == "O26"


def test_fy2567_measures_and_their_report_are_o34_and_o35():
    criteria = load_criteria(2567)
    assert criteria.entry_with_function("measures_plan").code == "O34"
    assert criteria.entry_with_function("measures_report").code == "O35"


def test_fy2568_measures_items_are_absent_while_their_codes_are_unknown():
    criteria = load_criteria(2568)
    assert criteria.entry_with_function("measures_plan") is None
    assert criteria.entry_with_function("measures_report") is None
    assert "ยังไม่ทราบรหัส" in criteria.raw["meta"]["note"]


def test_fy2568_indicator_split_is_the_research_candidate_o1_o20_and_o21_on():
    items = [e for e in load_criteria(2568).entries]
    assert {e.indicator for e in items if int(e.code[1:]) <= 20} == {9}
    assert {e.indicator for e in items if int(e.code[1:]) >= 21} == {10}
    assert "O1–O20" in load_criteria(2568).raw["meta"]["note"]


@pytest.mark.parametrize(
    ("topic", "codes"),
    [
        ("oit.prevention_plan", {2567: "O32", 2568: "O25", 2569: "O23"}),
        ("oit.complaint_channel", {2567: "O23", 2568: "O18", 2569: "O17"}),
        ("oit.eservice", {2567: "O13", 2568: "O10", 2569: "O10"}),
        ("oit.integrity_measures_report", {2567: "O35", 2569: "O26"}),
    ],
)
def test_an_item_is_found_by_its_topic_whatever_its_code_that_year(topic, codes):
    for year, code in codes.items():
        assert load_criteria(year).entry_by_topic[topic].code == code


@pytest.mark.parametrize("year", LATER_YEARS)
def test_later_topics_are_fy2567_topics_or_the_listed_new_ones(year):
    known = {e.topic for e in load_criteria(2567).entries if e.topic}
    topics = {e.topic for e in load_criteria(year).entries if e.topic}
    assert topics - known <= NEW_TOPICS


@pytest.mark.parametrize("year", SHIPPED)
def test_every_year_has_the_same_seven_analysis_themes(year):
    themes = load_criteria(year).themes
    assert [t.key for t in themes] == THEME_KEYS
    assert [t.name for t in themes] == [t.name for t in load_criteria(2567).themes]


@pytest.mark.parametrize("year", LATER_YEARS)
def test_an_item_sits_in_the_theme_its_fy2567_counterpart_sat_in(year):
    base = load_criteria(2567)
    theme_of_2567_topic = {base.entry_by_code[c].topic: t.key for t in base.themes for c in t.codes}
    criteria = load_criteria(year)
    placed = {c: t.key for t in criteria.themes for c in t.codes}
    for entry in criteria.entries:
        if entry.topic in theme_of_2567_topic:
            assert placed.get(entry.code) == theme_of_2567_topic[entry.topic], entry.code
        if entry.name is None:
            assert entry.code not in placed


@pytest.mark.parametrize("year", LATER_YEARS)
def test_levels_classification_and_rounds_are_as_fy2567(year):
    base, criteria = load_criteria(2567), load_criteria(year)
    assert criteria.levels == base.levels
    assert criteria.classification == base.classification
    assert criteria.rounds == base.rounds


# --- the checks catch broken files -------------------------------------------------------


def test_fy2567_as_shipped_passes_the_checks_used_below():
    assert parse_criteria(raw_2567(), "test.yaml") == load_criteria(2567)


def test_a_file_with_a_duplicate_code_is_rejected():
    data = raw_2567()
    data["items"][4]["code"] = "O1"
    messages = problems_of(data)
    assert any("รหัสข้อซ้ำ" in m and "items/4" in m and "'O1'" in m for m in messages)


def test_a_theme_referencing_a_missing_code_is_rejected():
    data = raw_2567()
    data["themes"][3]["codes"].append("O99")
    messages = problems_of(data)
    assert any("themes/3" in m and "'O99'" in m for m in messages)


def test_tool_weights_not_summing_to_one_are_rejected():
    data = raw_2567()
    data["tools"][2]["weight"] = 0.5
    messages = problems_of(data)
    assert any("รวมกันต้องเท่ากับ 1" in m for m in messages)


def test_a_repeated_topic_in_one_year_is_rejected():
    data = raw_2567()
    data["items"][1]["topic"] = data["items"][0]["topic"]
    assert any("topic" in m for m in problems_of(data))


def test_a_confirmed_item_without_a_name_is_rejected():
    data = raw_2567()
    data["items"][0]["name"] = None
    assert any("ต้องมีชื่อ" in m for m in problems_of(data))


def test_an_item_placed_under_a_survey_indicator_is_rejected():
    data = raw_2567()
    data["items"][0]["indicator"] = 1
    assert any("OIT" in m for m in problems_of(data))


def test_a_weight_written_as_text_is_rejected_by_the_schema():
    data = raw_2567()
    data["tools"][0]["weight"] = "0.3"
    assert any("tools/0/weight" in m for m in problems_of(data))


def test_a_later_year_with_an_unknown_status_word_is_rejected():
    data = yaml.safe_load((DATA_DIR / "ita-2569.yaml").read_text("utf-8"))
    broken = copy.deepcopy(data)
    broken["items"][0]["status"] = "probably"
    assert any("items/0/status" in m for m in problems_of(broken))
    assert parse_criteria(data, "ok.yaml").fiscal_year == 2569
