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
    "oit.contacts_and_qa", "oit.eservice_with_statistics", "oit.corruption_risk_assessment",
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
        assert "ไม่ทราบคำถาม IIT/EIT" in criteria.raw["meta"]["note"]
        assert {e.status for e in criteria.entries} <= {"unconfirmed", "inferred"}
        assert not [t.code for t in criteria.tools if t.status == "confirmed"]


@pytest.mark.parametrize("year", LATER_YEARS)
def test_unknown_item_names_are_left_empty_never_guessed(year):
    for entry in load_criteria(year).entries:
        assert (entry.name is None) == (entry.status == "unknown"), entry.code
        if entry.name is None:
            assert entry.topic is None, f"{entry.code} has no known name, so no known topic"
            assert entry.label == "(ยังไม่ทราบชื่อข้อ)"


def test_fy2568_has_the_28_items_of_the_research_note_with_their_names():
    items = {e.code: e for e in load_criteria(2568).entries}
    assert list(items) == [f"O{n}" for n in range(1, 29)]
    assert not [c for c, e in items.items() if e.name is None]
    assert items["O2"].name == "ข้อมูลผู้บริหาร" and items["O2"].topic == "oit.executives"
    assert items["O16"].name == "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม"
    # the agency printed its ministry's plan and report here: the generic names are inferred
    assert (items["O25"].name, items["O25"].status) == ("แผนปฏิบัติการป้องกันการทุจริต", "inferred")
    assert items["O26"].status == "inferred"


def test_fy2569_has_the_26_items_of_the_research_note_and_marks_the_probable_names():
    items = {e.code: e for e in load_criteria(2569).entries}
    assert list(items) == [f"O{n}" for n in range(1, 27)]
    assert not [c for c, e in items.items() if e.name is None]
    assert sorted((c for c, e in items.items() if e.status == "inferred"), key=lambda c: int(c[1:])) == [
        "O2", "O4", "O6", "O7",
    ]
    assert items["O5"].status == items["O8"].status == items["O9"].status == "unconfirmed"


@pytest.mark.parametrize("year", LATER_YEARS)
def test_every_later_entry_cites_a_source_of_the_research_note(year):
    criteria = load_criteria(year)
    for record in (*criteria.entries, *criteria.indicators):
        assert record.sources, record
        assert set(record.sources) <= set(criteria.sources)
    assert all("RTRDA" in key or criteria.sources[key] for key in criteria.sources)


@pytest.mark.parametrize(("year", "codes"), [
    (2568, {"O13", "O15", "O19", "O24", "O26", "O28"}),
    (2569, {"O12", "O14", "O18", "O22", "O24", "O26"}),
])
def test_report_items_that_show_the_previous_fiscal_year_say_so(year, codes):
    assert {e.code for e in load_criteria(year).entries if e.covers == "previous_fiscal_year"} == codes


@pytest.mark.parametrize("year", SHIPPED)
def test_every_indicator_has_a_topic_and_one_theme(year):
    criteria = load_criteria(year)
    for indicator in criteria.indicators:
        assert indicator.topic and indicator.topic.startswith("ind.")
        assert sum(indicator.number in t.indicators for t in criteria.themes) == 1, indicator.number


def test_a_source_key_not_in_the_source_list_is_rejected():
    data = yaml.safe_load((DATA_DIR / "ita-2569.yaml").read_text("utf-8"))
    data["items"][3]["sources"] = ["NOWHERE"]
    assert any("items/3" in m and "NOWHERE" in m for m in problems_of(data))


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


def test_fy2568_measures_and_their_report_are_o27_and_o28():
    criteria = load_criteria(2568)
    assert criteria.entry_with_function("measures_plan").code == "O27"
    assert criteria.entry_with_function("measures_report").code == "O28"


@pytest.mark.parametrize(("year", "last_of_9"), [(2568, 20), (2569, 19)])
def test_the_indicator_split_is_the_research_candidate_and_marked_inferred(year, last_of_9):
    criteria = load_criteria(year)
    assert {e.indicator for e in criteria.entries if int(e.code[1:]) <= last_of_9} == {9}
    assert {e.indicator for e in criteria.entries if int(e.code[1:]) > last_of_9} == {10}
    assert criteria.raw["meta"]["indicator_split_status"] == "inferred"
    assert f"O1–O{last_of_9}" in criteria.raw["meta"]["indicator_split_note"]


@pytest.mark.parametrize(
    ("topic", "codes"),
    [
        ("oit.prevention_plan", {2567: "O32", 2568: "O25", 2569: "O23"}),
        ("oit.complaint_channel", {2567: "O23", 2568: "O18", 2569: "O17"}),
        ("oit.eservice", {2567: "O13", 2568: "O10"}),
        ("oit.integrity_measures", {2567: "O34", 2568: "O27", 2569: "O25"}),
        ("oit.integrity_measures_report", {2567: "O35", 2568: "O28", 2569: "O26"}),
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
