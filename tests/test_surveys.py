"""Practice survey scoring against hand-computed examples (FY2567 scales: 0/33/67/100, yes/no 0/100)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from itadesk.cli import main
from itadesk.criteria import load_criteria
from itadesk.errors import InputError
from itadesk.surveys import load_definition
from itadesk.surveys.answers import read_answers
from itadesk.surveys.definition import parse_definition
from itadesk.surveys.predict import ToolInput, oit_input, predict_ita
from itadesk.surveys.scoring import sample_need, score_answers

CRITERIA = load_criteria(2567)
SURVEY = load_definition(CRITERIA)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def scored(text: str, **populations):
    sheet = read_answers(csv_bytes(text), "answers.csv", SURVEY)
    return score_answers(SURVEY, sheet.rows, populations)


def test_fy2567_scales_come_from_data_and_are_marked_estimated():
    assert SURVEY.estimated
    i1, i3, i5, e9 = (SURVEY.question_by_code[c] for c in ("i1", "i3", "i5", "e9"))
    assert [o.points for o in i1.scale.options] == [0, 33, 67, 100]
    assert (i3.scale.key, i3.reversed) == ("yes_no", True)
    assert i5.reversed and i5.scale.key == "level4"
    assert (e9.scale.key, e9.reversed) == ("ever", False)
    assert len(SURVEY.questions_of("IIT")) == 15 and len(SURVEY.questions_of("EIT")) == 9


def test_positive_item_is_the_mean_of_the_answers_points():
    # มากที่สุด 100, มาก 67, น้อย 33, น้อยที่สุดหรือไม่มีเลย 0 → 200 / 4 = 50
    s = scored("i1\nมากที่สุด\nมาก\nน้อย\nน้อยที่สุดหรือไม่มีเลย\n")
    assert s.questions["i1"].score == pytest.approx(50.0)
    assert s.questions["i1"].n == 4


def test_reverse_worded_item_counts_backwards():
    # i5 เบิกจ่ายเป็นเท็จ: มากที่สุด 0, น้อยที่สุดหรือไม่มีเลย 100, น้อย 67 → 167 / 3
    s = scored("i5\nมากที่สุด\nน้อยที่สุดหรือไม่มีเลย\nน้อย\n")
    assert s.questions["i5"].score == pytest.approx(167 / 3)


def test_yes_no_items_bad_and_good():
    # i3 (มีการเรียกรับสินบนหรือไม่, reverse): มี 0, ไม่มี 100, ไม่มี 100 → 66.67
    # e9 (เคยใช้ E-Service, positive): เคย 100, ไม่เคย 0 → 50
    s = scored("i3,e9\nมี,เคย\nไม่มี,ไม่เคย\nไม่มี,\n")
    assert s.questions["i3"].score == pytest.approx(200 / 3)
    assert s.questions["e9"].score == pytest.approx(50.0)
    assert s.questions["e9"].n == 2


def test_option_numbers_and_thai_digits_mean_the_same_as_labels():
    by_label = scored("i1,i5\nมาก,น้อย\nมากที่สุด,มาก\n")
    by_number = scored("I01,i5\n๓,2\n4,๓\n")
    assert by_number.questions == by_label.questions


def test_indicator_and_tool_are_means_of_means():
    # Indicator 1 = mean(i1, i2, i3); indicator 2 = mean(i4, i5, i6); IIT = mean(indicators 1, 2).
    # i1: 100, 67 → 83.5   i2: 67, 67 → 67   i3 (ไม่มี, ไม่มี) → 100   → IND1 = 250.5 / 3 = 83.5
    # i4: 33, 33 → 33      i5 (reverse น้อย, น้อย) → 67                → IND2 = 50   (i6 unanswered)
    s = scored("i1,i2,i3,i4,i5\nมากที่สุด,มาก,ไม่มี,น้อย,น้อย\nมาก,มาก,ไม่มี,น้อย,น้อย\n")
    assert s.indicators[1] == pytest.approx(83.5)
    assert s.indicators[2] == pytest.approx(50.0)
    assert s.indicators[3] is None
    assert s.tools["IIT"].score == pytest.approx((83.5 + 50) / 2)
    assert s.respondents == {"IIT": 2, "EIT": 0}


def test_sub_items_average_within_a_respondent_then_over_respondents():
    data = {
        "fiscal_year": 2567, "status": "estimated", "source": "test", "default_scale": "level4",
        "scales": {"level4": {"name": "4", "status": "estimated", "options": [
            {"label": "น้อยที่สุด", "points": 0}, {"label": "น้อย", "points": 33},
            {"label": "มาก", "points": 67}, {"label": "มากที่สุด", "points": 100}]}},
        "questions": {"i1": {"subitems": [{"key": "1", "text": "ตามขั้นตอน"},
                                          {"key": "2", "text": "ล่าช้า", "reversed": True}]}},
        "sample": {"IIT": {"rule": "precision", "status": "itadesk", "note": "x"},
                   "EIT": {"rule": "share", "status": "unconfirmed", "note": "x", "share": 0.1, "at_least": 30}},
    }
    survey = parse_definition(data, CRITERIA)
    assert [c.key for c in survey.question_by_code["i1"].columns] == ["i1.1", "i1.2"]
    sheet = read_answers(csv_bytes("i1.1,i1_2\nมาก,น้อย\nมากที่สุด,มากที่สุด\n"), "sub.csv", survey)
    s = score_answers(survey, sheet.rows)
    # A: 67 and (reverse น้อย) 67 → 67;  B: 100 and (reverse มากที่สุด) 0 → 50;  i1 = 58.5
    assert s.questions["i1"].score == pytest.approx(58.5)
    assert s.subitems["i1.1"].score == pytest.approx(83.5)
    assert s.subitems["i1.2"].score == pytest.approx(33.5)


def test_confidence_interval_from_spread_and_count():
    # Five 67s and five 100s: mean 83.5, sd = 16.5·√(10/9), sd/√10 = 5.5, t(9) = 2.262 → ±12.441
    s = scored("i1\n" + "มาก\n" * 5 + "มากที่สุด\n" * 5)
    q = s.questions["i1"]
    assert (q.low, q.high) == (pytest.approx(83.5 - 12.441), pytest.approx(83.5 + 12.441))
    # Known head-count 20: finite-population correction √(10/19)
    q = scored("i1\n" + "มาก\n" * 5 + "มากที่สุด\n" * 5, IIT=20).questions["i1"]
    assert q.half_width == pytest.approx(12.441 * (10 / 19) ** 0.5, abs=1e-3)
    # Everyone answered (head-count 10): no sampling error left
    q = scored("i1\n" + "มาก\n" * 5 + "มากที่สุด\n" * 5, IIT=10).questions["i1"]
    assert q.low == q.high == pytest.approx(83.5)


def test_sample_rules():
    eit, iit = SURVEY.sample["EIT"], SURVEY.sample["IIT"]
    assert eit.status == "unconfirmed" and iit.status == "itadesk"
    assert sample_need(eit, 12, 500, None).needed == 50           # 10 % of 500
    assert sample_need(eit, 12, 500, None).more == 38
    assert sample_need(eit, 0, 100, None).needed == 30            # at least 30
    assert sample_need(eit, 0, 20, None).needed == 20             # all of them below 30
    assert sample_need(eit, 0, 10_000, None).needed == 400        # at most 400
    assert sample_need(eit, 0, None, None).needed == 30
    # itadesk's precision rule: (1.96 × 25 / 5)² = 96.04 → 97; head-count 50: 96.04·50/(96.04+49) = 33.1 → 34
    assert sample_need(iit, 1, None, None).needed == 97
    assert sample_need(iit, 1, 50, None).needed == 34
    assert sample_need(iit, 0, 6, None).needed == 6


def test_bad_answers_are_reported_by_row_and_column_and_nothing_is_returned():
    text = "ลำดับ,i1,i3,x9\n1,มาก,ไม่มี,\n2,บ่อย,มี,\n3,5,ใช่,\n"
    with pytest.raises(InputError) as caught:
        read_answers(csv_bytes(text), "answers.csv", SURVEY)
    messages = [str(p) for p in caught.value.problems]
    assert any("แถว 1 คอลัมน์ D" in m and "x9" in m for m in messages), messages
    assert any("แถว 3 คอลัมน์ B (i1)" in m and "บ่อย" in m for m in messages), messages
    assert any("แถว 4 คอลัมน์ B (i1)" in m and "'5'" in m for m in messages), messages
    assert len(messages) == 3


def test_one_tool_only_refuses_the_other_tools_columns():
    with pytest.raises(InputError) as caught:
        read_answers(csv_bytes("i1,e1\nมาก,มาก\n"), "a.csv", SURVEY, tool="EIT")
    assert "คอลัมน์ A" in str(caught.value)


def test_xlsx_answers_and_bounds(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["e1", "e3"])
    sheet.append(["มากที่สุด", "ไม่เคย"])
    sheet.append([3, 2])
    path = tmp_path / "a.xlsx"
    book.save(path)
    answers = read_answers(path.read_bytes(), "a.xlsx", SURVEY, tool="EIT")
    assert answers.rows == ({"e1": 3, "e3": 0}, {"e1": 2, "e3": 1})
    with pytest.raises(InputError, match="2 MB"):
        read_answers(b"e1\n" + b"1\n" * (1024 * 1024 + 1), "big.csv", SURVEY)
    with pytest.raises(InputError, match="ยาวเกิน"):
        read_answers(csv_bytes("e1\n" + "ม" * 300 + "\n"), "long.csv", SURVEY)
    with pytest.raises(InputError, match="5,000"):
        read_answers(csv_bytes("e1\n" + "1\n" * 5001), "rows.csv", SURVEY)


def test_cli_scores_a_file_as_json(tmp_path, capsys):
    path = tmp_path / "answers.csv"
    path.write_text("i1,i5,e1\nมากที่สุด,น้อย,มาก\nมาก,มาก,\n", encoding="utf-8")
    assert main(["survey-score", str(path), "--year", "2567", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["respondents"] == 2
    assert out["questions"]["i1"] == pytest.approx(83.5)
    assert out["questions"]["i5"] == pytest.approx(50.0)      # reverse: น้อย 67, มาก 33
    assert out["indicators"]["1"] == pytest.approx(83.5)
    assert out["tools"] == {"IIT": pytest.approx((83.5 + 50) / 2), "EIT": pytest.approx(67.0)}
    assert out["estimated"] is True


def test_cli_bad_file_reports_and_exits_2(tmp_path, capsys):
    path = tmp_path / "answers.csv"
    path.write_text("i1\nบ่อย\n", encoding="utf-8")
    assert main(["survey-score", str(path), "--year", "2567"]) == 2
    err = capsys.readouterr().err
    assert "แถว 2 คอลัมน์ A (i1)" in err and "บ่อย" in err


def test_practice_scores_feed_the_seven_theme_analysis():
    from itadesk.analysis import analyze

    s = scored("i1,i13,e4\nน้อย,มากที่สุด,มาก\nน้อย,มากที่สุด,มาก\n")
    analysis = analyze(s.scorecard(), CRITERIA)
    themes = {t.theme.number: t for t in analysis.themes}
    assert themes[1].codes("urgent") == ["i1"]                # 33 < 50
    assert themes[7].codes("keep") == ["i13"]
    assert themes[3].codes("improve") == ["e4"]


def test_predicted_ita_level_range_and_next_step():
    tools = {"IIT": ToolInput(88, 85, 90), "EIT": ToolInput(80, 77, 83), "OIT": ToolInput(84, 80, 88)}
    p = predict_ita(CRITERIA, tools)
    # 0.3·88 + 0.3·80 + 0.4·84 = 84.0 → ต้องปรับปรุง; the range 80.6–87.1 spans into ผ่าน
    assert p.ita == pytest.approx(84.0)
    assert (p.low, p.high) == (pytest.approx(80.6), pytest.approx(87.1))
    assert (p.level.name, p.level_low.name, p.level_high.name) == ("ต้องปรับปรุง", "ต้องปรับปรุง", "ผ่าน")
    # 1.0 ITA point short: OIT +2.5 (÷0.4), EIT or IIT +3.4 (1/0.3 = 3.33, rounded up)
    assert [s.text() for s in p.steps] == ["OIT +2.5 → ผ่าน", "IIT +3.4 → ผ่าน", "EIT +3.4 → ผ่าน"]
    # ผ่าน → ผ่านดี needs every tool ≥ 85: only OIT below, so raising OIT alone to 85 does it
    p = predict_ita(CRITERIA, {"IIT": ToolInput(90, 90, 90), "EIT": ToolInput(86, 86, 86),
                               "OIT": ToolInput(84, 84, 84)})
    assert p.level.name == "ผ่าน" and [s.text() for s in p.steps] == ["OIT +1.0 → ผ่านดี"]


def test_oit_range_counts_doubtful_items_as_fail_and_pass():
    items = [(9, "pass"), (9, "doubtful"), (10, "fail"), (10, "pass")]
    oit = oit_input({9: 75.0, 10: 50.0}, items, {"pass": 100.0, "doubtful": 50.0, "fail": 0.0})
    assert (oit.score, oit.low, oit.high) == (62.5, 50.0, 75.0)


def test_a_bad_survey_file_is_refused_with_every_problem():
    import yaml

    from itadesk.surveys.definition import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "survey-2567.yaml").read_text("utf-8"))
    data["questions"] = {"i3": {"scale": "no_such_scale"}, "e42": {"scale": "yes_no"}}
    with pytest.raises(InputError) as caught:
        parse_definition(data, CRITERIA, "survey-2567.yaml")
    messages = " | ".join(str(p) for p in caught.value.problems)
    assert "questions/i3/scale" in messages and "ไม่มีข้อ e42 ในเกณฑ์ปีงบประมาณ 2567" in messages
    data = yaml.safe_load((DATA_DIR / "survey-2567.yaml").read_text("utf-8"))
    data["scales"]["level4"]["options"][0]["points"] = 120
    with pytest.raises(InputError, match="scales/level4/options/0/points"):
        parse_definition(data, CRITERIA, "survey-2567.yaml")


def test_a_year_without_a_survey_file_uses_the_four_level_scale_marked_estimated(monkeypatch):
    from itadesk.surveys import definition

    monkeypatch.setattr(definition, "survey_path", lambda year: None)
    definition._load.cache_clear()
    try:
        survey = definition.load_definition(CRITERIA)
        assert not survey.from_file and survey.estimated
        assert {q.scale.key for q in survey.questions} == {"level4"}
    finally:
        definition._load.cache_clear()


def test_the_eit_poster_carries_the_agencys_emblem(request):
    import io

    from pypdf import PdfReader

    from itadesk.emblem import load_emblem
    from itadesk.surveys.documents import render_poster_pdf

    qr = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    url = "https://www.example.go.th/s/token"
    with_emblem = render_poster_pdf("อบต.ทดสอบ", 2569, url, qr, None, load_emblem(request.config.rootpath / "demo" / "emblem.png"))
    without = render_poster_pdf("อบต.ทดสอบ", 2569, url, qr, None)
    assert len(PdfReader(io.BytesIO(with_emblem)).pages[0].images) == 1
    assert len(PdfReader(io.BytesIO(without)).pages[0].images) == 0
