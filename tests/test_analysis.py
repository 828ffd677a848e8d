"""The per-theme analysis an officer reads before writing measures."""

import dataclasses
import json

from itadesk.analysis import analyze, classify
from itadesk.cli import main
from itadesk.criteria import load_criteria
from itadesk.results import Results, load_results
from itadesk.scoring import score

CRITERIA = load_criteria(2567)


def seed_analysis(seed000_csv):
    return analyze(score(load_results(seed000_csv), CRITERIA), CRITERIA)


def test_thresholds_keep_85_urgent_below_50_and_oit_zero():
    entry = CRITERIA.entry_by_code
    assert classify(entry["i1"], 85.0, CRITERIA) == "keep"
    assert classify(entry["i1"], 84.99, CRITERIA) == "improve"
    assert classify(entry["e9"], 49.99, CRITERIA) == "urgent"
    assert classify(entry["e9"], 50.0, CRITERIA) == "improve"
    assert classify(entry["O8"], 50.0, CRITERIA) == "improve"
    assert classify(entry["O7"], 0.0, CRITERIA) == "urgent"


def test_seed000_weak_points_fall_in_the_right_themes(seed000_csv):
    themes = {t.theme.number: t for t in seed_analysis(seed000_csv).themes}
    assert themes[1].codes("urgent") == ["O7", "O9"] and themes[1].codes("improve") == ["O8"]
    assert themes[2].codes("urgent") == ["e9", "O12"]
    assert themes[4].codes("improve") == ["i10"] and themes[4].codes("keep") == ["i11", "i12"]
    assert themes[5].codes("urgent") == ["O14", "O15", "O16", "O17"]
    assert "O34" in themes[7].codes("urgent")


def test_every_scored_code_appears_in_exactly_one_theme(seed000_csv):
    analysis = seed_analysis(seed000_csv)
    listed = [r.entry.code for t in analysis.themes for r in t.rows]
    assert sorted(listed) == sorted(analysis.card.entries)


def test_weakest_first_order_urgent_before_improve(seed000_csv):
    theme1 = seed_analysis(seed000_csv).themes[0]
    assert [r.entry.code for r in theme1.weak] == ["O7", "O9", "O8"]


def test_year_over_year_change_matched_by_topic_not_code(seed000_csv):
    this_year = load_results(seed000_csv)
    last_year = Results(2567, {**this_year.scores, "i10": 70.56, "O8": 0.0})
    analysis = analyze(score(this_year, CRITERIA), CRITERIA, score(last_year, CRITERIA), CRITERIA)
    rows = {r.entry.code: r for t in analysis.themes for r in t.rows}
    assert round(rows["i10"].change, 2) == 5.00
    assert rows["O8"].change == 50.0


def test_last_years_indicator_is_found_by_what_it_measures_not_by_its_number():
    """Last year's criteria numbered the first two indicators the other way round."""
    first, second = CRITERIA.indicators[:2]
    last_criteria = dataclasses.replace(CRITERIA, indicators=(
        dataclasses.replace(first, number=second.number), dataclasses.replace(second, number=first.number),
        *CRITERIA.indicators[2:]))
    this_year = Results(2567, {"IND1": 70.0, "IND2": 80.0})
    last_year = Results(2566, {"IND1": 50.0, "IND2": 60.0})
    analysis = analyze(score(this_year, CRITERIA), CRITERIA, score(last_year, last_criteria), last_criteria)
    assert analysis.previous_indicator(first) == 60.0 and analysis.previous_indicator(second) == 50.0
    rows = {r.entry.code: r for t in analysis.themes for r in t.rows}
    assert rows["IND1"].change == 10.0 and rows["IND2"].change == 30.0


def test_unscored_codes_are_listed_not_guessed():
    analysis = analyze(score(Results(2567, {"i1": 90}), CRITERIA), CRITERIA)
    theme1 = analysis.themes[0]
    assert [r.entry.code for r in theme1.rows] == ["i1"]
    assert "O7" in theme1.unscored


def test_cli_json_has_the_promised_fields(seed000_csv, capsys):
    assert main(["analyze", str(seed000_csv), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fiscal_year"] == 2567
    assert round(data["scores"]["ita"], 2) == 72.97
    assert set(data["scores"]["tools"]) == {"IIT", "EIT", "OIT"}
    assert len(data["scores"]["indicators"]) == 10
    assert data["level"] == "ต้องปรับปรุง" and data["passed"] is False
    assert data["mismatches"][0]["code"] == "IND10"
    assert [t["no"] for t in data["themes"]] == [1, 2, 3, 4, 5, 6, 7]
    assert data["themes"][0]["urgent"] == ["O7", "O9"]
