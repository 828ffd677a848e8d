"""Scores and levels as an ITA officer would check them against the ITAS report."""

import pytest

from itadesk.criteria import load_criteria
from itadesk.results import Results, load_results
from itadesk.scoring import rate, score

CRITERIA = load_criteria(2567)


def test_seed000_scores_reproduce_ita_7297_and_level_needs_improvement(seed000_csv):
    card = score(load_results(seed000_csv), CRITERIA)
    assert round(card.ita, 2) == 72.97
    assert card.level.name == "ต้องปรับปรุง"
    assert card.passed is False


def test_seed000_indicator_10_mismatch_is_reported_and_official_value_kept(seed000_csv):
    card = score(load_results(seed000_csv), CRITERIA)
    assert [m.code for m in card.mismatches] == ["IND10"]
    mismatch = card.mismatches[0]
    assert mismatch.official == 45 and round(mismatch.recomputed, 2) == 40.00
    assert card.indicators[10] == 45


def test_seed000_tools_recomputed_from_questions_when_only_questions_given(seed000_csv):
    results = load_results(seed000_csv)
    only_entries = {c: v for c, v in results.scores.items() if c[0] in "ieO"}
    card = score(Results(2567, only_entries), CRITERIA)
    assert round(card.indicators[8], 2) == 75.81
    assert round(card.indicators[9], 2) == 50.00
    assert round(card.tools["IIT"], 2) == 92.37
    assert card.mismatches == []


def test_ita_is_weighted_30_30_40_from_tools_only():
    card = score(Results(2567, {"IIT": 90, "EIT": 80, "OIT": 50}), CRITERIA)
    assert card.ita == pytest.approx(0.3 * 90 + 0.3 * 80 + 0.4 * 50)


def test_official_ita_that_disagrees_with_tools_is_reported():
    card = score(Results(2567, {"ITA": 90, "IIT": 90, "EIT": 80, "OIT": 50}), CRITERIA)
    assert card.ita == 90
    assert [m.code for m in card.mismatches] == ["ITA"]


def test_difference_within_rounding_is_not_a_mismatch():
    card = score(Results(2567, {"IND1": 50.004, "i1": 50, "i2": 50, "i3": 50}), CRITERIA)
    assert card.mismatches == []


def test_nothing_computed_when_parts_are_missing():
    card = score(Results(2567, {"i1": 80}), CRITERIA)
    assert card.indicators[1] is None and card.ita is None and card.level is None


@pytest.mark.parametrize(
    ("ita", "iit", "eit", "oit", "expected"),
    [
        (95.00, 95.00, 95.00, 95.00, "ผ่านดีเยี่ยม"),
        (96.00, 99.00, 99.00, 94.99, "ผ่านดี"),          # one tool below 95
        (94.99, 99.00, 99.00, 99.00, "ผ่านดี"),
        (85.00, 85.00, 85.00, 85.00, "ผ่านดี"),
        (90.00, 99.00, 84.99, 90.00, "ผ่าน"),            # one tool below 85
        (85.00, 99.00, 99.00, 70.00, "ผ่าน"),
        (84.99, 99.00, 99.00, 99.00, "ต้องปรับปรุง"),
        (84.994, 99.00, 99.00, 99.00, "ต้องปรับปรุง"),   # printed 84.99
        (84.995, 99.00, 99.00, 99.00, "ผ่านดี"),         # printed 85.00
        (70.00, 70.00, 70.00, 70.00, "ต้องปรับปรุง"),
        (69.99, 70.00, 70.00, 70.00, "ต้องปรับปรุงโดยด่วน"),
        (0.00, 0.00, 0.00, 0.00, "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_every_rating_boundary(ita, iit, eit, oit, expected):
    level = rate(ita, {"IIT": iit, "EIT": eit, "OIT": oit}, CRITERIA)
    assert level.name == expected
    assert level.passed is (ita >= 84.995)
