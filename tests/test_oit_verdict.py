"""Verdicts, predicted indicator 9 / 10 / OIT and the fix-first order, from checks built by hand."""

import pytest

from itadesk.criteria import load_criteria
from itadesk.oit.checker import OK, TIMEOUT, CheckRun, UrlCheck
from itadesk.oit.verdict import DOUBTFUL, FAIL, PASS, OitPrediction, compare, predict

SEED000_OIT = {  # seed 000's FY2567 OIT item scores
    **{f"O{n}": 100 for n in (1, 3, 6, 10, 11, 13, 20, 21, 22, 23, 24, 25, 26, 28, 29, 32)},
    **{f"O{n}": 0 for n in (2, 4, 5, 7, 9, 12, 14, 15, 16, 17, 18, 19, 27, 30, 31, 33, 34, 35)},
    "O8": 50,
}
SITE = "https://www.example.go.th"


def good(code: str, url: str | None = None, **kw) -> UrlCheck:
    base = dict(code=code, url=url or f"{SITE}/{code}", outcome=OK, status=200, kind="html", text_chars=500,
                on_main_domain=True, url_on_main_domain=True, keywords_found=["x"], year_match="be",
                years_found=[2567])
    base.update(kw)
    return UrlCheck(**base)


def run_of(checks, when="2024-10-01T00:00:00+00:00") -> CheckRun:
    return CheckRun("ทดสอบ", SITE, 2567, 2567, when, when, checks)


def seed_like_run() -> CheckRun:
    checks = []
    for code, score in SEED000_OIT.items():
        if score == 100:
            checks.append(good(code))
        elif score == 50:
            checks.append(good(code, keywords_found=[]))          # doubtful
        # score 0: no URL at all
    return run_of(checks)


def test_seed_like_data_predicts_seed_indicators():
    criteria = load_criteria(2567)
    prediction = predict(seed_like_run(), criteria)
    assert prediction.indicators[9] == pytest.approx(50.0)    # as seed 000 prints
    assert prediction.indicators[10] == pytest.approx(40.0)   # the items' mean (seed prints 45)
    assert prediction.oit == pytest.approx(45.0)
    assert prediction.counts() == {PASS: 16, DOUBTFUL: 1, FAIL: 18}


def test_fix_first_is_ordered_by_ita_points():
    prediction = predict(seed_like_run(), load_criteria(2567))
    order = [(i.code, round(i.gain, 3)) for i in prediction.fix_first]
    # indicator 10 items are worth 0.40 × ½ × 1/10 × 100 = 2 points, indicator 9 items 0.8
    assert order[:6] == [("O27", 2.0), ("O30", 2.0), ("O31", 2.0), ("O33", 2.0), ("O34", 2.0), ("O35", 2.0)]
    assert order[6] == ("O2", 0.8)
    assert order[-1] == ("O8", 0.4)                       # doubtful: half an item to gain
    assert sum(g for _, g in order) == pytest.approx(100 * 0.4 - prediction.oit * 0.4)


def test_item_rules():
    criteria = load_criteria(2567)
    checks = [
        good("O1", year_match=None, years_found=[]),               # structure: year not required → pass
        good("O7", year_match="ce", years_found=[]),               # CE only → doubtful
        good("O8", outcome=TIMEOUT, kind=None, text_chars=0),      # all dead → fail
        good("O9", url="https://www.facebook.com/x", url_on_main_domain=False, on_main_domain=False),
        good("O10", on_main_domain=False),                         # redirected away → doubtful
        good("O11", keywords_found=[]), good("O11", url=f"{SITE}/b"),   # union of evidence → pass
        good("O12", outcome="too_large", kind=None, text_chars=0, detail="ไฟล์ใหญ่"),
    ]
    verdicts = {i.code: i for i in predict(run_of(checks), criteria).items}
    assert verdicts["O1"].verdict == PASS and verdicts["O1"].notes
    assert verdicts["O7"].verdict == DOUBTFUL and "ค.ศ. 2024" in verdicts["O7"].reasons[0]
    assert verdicts["O8"].verdict == FAIL
    assert verdicts["O9"].verdict == FAIL and "facebook.com" in verdicts["O9"].reasons[0]
    assert verdicts["O10"].verdict == DOUBTFUL
    assert verdicts["O11"].verdict == PASS
    assert verdicts["O12"].verdict == DOUBTFUL and "ไฟล์ใหญ่" in verdicts["O12"].reasons[0]


def test_compare_two_runs():
    criteria = load_criteria(2567)
    before = predict(seed_like_run(), criteria)
    later = seed_like_run()
    later.checks.append(good("O34"))
    later.finished_at = "2024-11-01T00:00:00+00:00"
    after = predict(later, criteria)
    diff = compare(before, after)
    assert [(c.code, c.before, c.after, c.score_delta) for c in diff.changes] == [("O34", FAIL, PASS, 100.0)]
    assert diff.oit_delta == pytest.approx(5.0) and diff.indicator_deltas == {9: 0.0, 10: 10.0}
    assert "O34" in diff.summary()[1]
    # predictions survive a JSON round trip for later comparison
    again = OitPrediction.from_dict(before.to_dict())
    assert compare(again, before).changes == [] and again.checked_at == before.checked_at
    assert CheckRun.from_dict(later.to_dict()).checks[-1].code == "O34"
