"""Thai order of names, and where a value stands among its peers."""

from statistics import quantiles

from itadesk.peers import spread, summarize
from itadesk.results import Results
from itadesk.thai import sort_key


def test_thai_names_sort_by_the_consonant_after_a_leading_vowel():
    names = ["เมืองนครราชสีมา", "โนนสูง", "กระนวน", "ไทรน้อย", "พลับพลา", "พล", "บ้านไผ่", "บานไผ่", "เกาะคา",
             "กา", "โนนไทย", "แวงใหญ่"]
    assert sorted(names, key=sort_key) == ["กระนวน", "กา", "เกาะคา", "ไทรน้อย", "โนนไทย", "โนนสูง", "บานไผ่",
                                           "บ้านไผ่", "พล", "พลับพลา", "เมืองนครราชสีมา", "แวงใหญ่"]
    assert sort_key("อบต.ตัวอย่าง ๐๐๑") == sort_key("อบต.ตัวอย่าง 001")   # Thai digits sort as digits
    assert set(sort_key("เทศบาลตำบลโคกกรวด")) <= set("0123456789abcdef")  # any collation orders it alike


def test_spread_gives_inclusive_quartiles_and_a_percentile_with_ties_counted_half():
    values = [60.0, 70.0, 80.0, 80.0, 90.0, 95.0, 99.0]
    s = spread(values, 80.0)
    assert (s.q1, s.median, s.q3) == tuple(quantiles(values, n=4, method="inclusive"))
    assert s.count == 7 and s.percentile == 100 * (2 + 1) / 7
    assert spread([], 80.0).median is None and spread([70.0], None).percentile is None


def test_summary_of_a_year_without_criteria_keeps_the_official_ita():
    summary = summarize(Results(2560, {"ITA": 88.5, "OIT": 80.0}))
    assert summary.ita == 88.5 and summary.tools["OIT"] == 80.0 and summary.level == ""
    known = summarize(Results(2568, {"ITA": 96.0, "IIT": 97.0, "EIT": 96.0, "OIT": 95.5}))
    assert known.level == "excellent" and known.passed is True
