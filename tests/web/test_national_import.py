"""The national results file: matched by name and province, all or nothing, idempotent."""

from __future__ import annotations

import pytest
from bench import national_file
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from itadesk.errors import InputError
from itadesk.thai import to_thai_digits

HEADER = "name,type,province,district,ITA,IIT,EIT,OIT"


def state():
    from itadesk.web.agencies.models import Agency, AuditEntry
    from itadesk.web.results.models import ResultSet

    return (sorted(Agency.objects.values_list("name", "province", "type", "district")),
            list(ResultSet.objects.order_by("pk").values_list("agency__name", "fiscal_year", "scores", "source",
                                                              "updated_at", "ita", "level")),
            AuditEntry.objects.count())


def run(text: str, year: int = 2568, **kw):
    from itadesk.web.dashboard.national import import_national

    return import_national(text.encode("utf-8"), "national.csv", year, **kw)


def test_generated_file_imports_and_reimporting_changes_nothing(db):
    from itadesk.web.agencies.models import Agency
    from itadesk.web.results.models import ResultSet

    rows = national_file.rows(2568, count=300)
    outcome = run(national_file.to_csv(rows).decode())
    assert (outcome.rows, outcome.created, outcome.added, outcome.updated) == (300, 300, 300, 0)
    first = rows[0]
    rs = ResultSet.objects.get(agency__name=first["name"], agency__province=first["province"], fiscal_year=2568)
    assert rs.ita == first["ITA"] and rs.scores["IND10"] == first["IND10"] and rs.level
    assert rs.agency.type == first["type"] and rs.agency.district == first["district"].removeprefix("อำเภอ")
    assert rs.source.startswith("ไฟล์ผลระดับประเทศ")
    before = state()
    again = run(national_file.to_csv(rows).decode())
    assert (again.created, again.added, again.updated, again.unchanged) == (0, 0, 0, 300)
    assert state() == before
    # the same file as XLSX with Thai headers and Thai digits is the same data: still nothing changes
    from itadesk.web.dashboard.national import import_national

    thai = import_national(national_file.to_xlsx(rows, thai=True), "ผลระดับประเทศ.xlsx", 2568)
    assert thai.unchanged == 300 and state()[:2] == before[:2]
    assert Agency.objects.count() == 300


def test_thai_header_and_digits_and_province_prefix(db):
    from itadesk.web.results.models import ResultSet

    text = ("ชื่อหน่วยงาน,ประเภทหน่วยงาน,จังหวัด,อำเภอ,ITA,IIT,EIT,OIT,ตัวชี้วัดที่ 9\n"
            "อบต.ตัวอย่าง ๐๐๑,อบต.,จังหวัดขอนแก่น,อำเภอพล,๙๑.๒๐,๙๕.๐๐,๙๓.๕๐,๘๗.๐๐,๘๖.๕๐\n")
    run(text)
    rs = ResultSet.objects.get()
    assert rs.agency.province == "ขอนแก่น" and rs.agency.district == "พล"
    assert rs.scores == {"ITA": 91.2, "IIT": 95.0, "EIT": 93.5, "OIT": 87.0, "IND9": 86.5}


def test_every_problem_is_reported_by_row_and_nothing_is_written(world):
    before = state()
    text = "\n".join([
        HEADER,
        "อบต.ตัวอย่าง ๐๐๑,อบต.,ขอนแก่น,พล,91,95,93,87",          # fine
        ",อบต.,ขอนแก่น,พล,91,95,93,87",                          # 3: no name
        "อบต.ตัวอย่าง ๐๐๒,อบต.,ขอนเเก่นน,พล,91,95,93,87",        # 4: not a province
        "อบต.ตัวอย่าง ๐๐๓,อบต.,ขอนแก่น,พล,191,95,93,87",          # 5: over 100
        "อบต.ตัวอย่าง ๐๐๔,อบต.,ขอนแก่น,พล,91,,93,87",             # 6: IIT missing
        "อบต.ตัวอย่าง ๐๐๑,อบต.,ขอนแก่น,พล,91,95,93,87",          # 7: duplicate of row 2
    ])
    with pytest.raises(InputError) as caught:
        run(text)
    messages = [str(p) for p in caught.value.problems]
    assert any("แถว 3" in m and "ไม่มีชื่อหน่วยงาน" in m for m in messages)
    assert any("แถว 4" in m and "ไม่ใช่ชื่อจังหวัด" in m and "ขอนแก่น" in m for m in messages)
    assert any("แถว 5" in m and "ITA" in m and "191" in m for m in messages)
    assert any("แถว 6" in m and "IIT" in m for m in messages)
    assert any("แถว 7" in m and "ซ้ำ" in m and "แถว 2" in m for m in messages)
    assert len(messages) == 5 and state() == before


def test_problems_are_bounded(db):
    text = "\n".join([HEADER] + [f"อบต.ตัวอย่าง {i},อบต.,ขอนแก่น,พล,abc,95,93,87" for i in range(200)])
    with pytest.raises(InputError) as caught:
        run(text)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 31 and "และอีก 170 รายการ" in problems[-1]


def test_a_missing_column_is_named(db):
    with pytest.raises(InputError, match="ต้องมีคอลัมน์ จังหวัด, OIT"):
        run("name,type,ITA,IIT,EIT\nx,อบต.,1,2,3\n")


def test_near_matches_are_reported_not_guessed(world):
    from itadesk.web.agencies.models import Agency

    a = world["a"]   # องค์การบริหารส่วนตำบลบ้านสวนหอม, นครราชสีมา
    before = state()
    text = f"{HEADER}\nอบต.บ้านสวนหอม,อบต.,นครราชสีมา,โนนสูง,91,95,93,87\n"
    with pytest.raises(InputError) as caught:
        run(text)
    message = str(caught.value)
    assert "แถว 2" in message and f'"{a.name}"' in message and state() == before
    # numbered names differ by their number: not near-matches of each other
    Agency.objects.create(name="อบต.ตัวอย่าง ๐๐๑", type="อบต.", province="ขอนแก่น", district="พล")
    assert run(f"{HEADER}\nอบต.ตัวอย่าง ๐๐๒,อบต.,ขอนแก่น,พล,91,95,93,87\n").created == 1
    # confirmed as new: created
    assert run(text, accept_new=True).created == 1
    assert Agency.objects.filter(name="อบต.บ้านสวนหอม").exists()


def test_an_agencys_own_item_scores_are_kept(world):
    from itadesk.web.results.models import ResultSet

    a = world["a"]
    rs = ResultSet.objects.get(agency=a, fiscal_year=2567)
    items = {k: v for k, v in rs.scores.items() if k[0] in "ie" or k[1:].isdigit() and k[0] == "O"}
    outcome = run(f"{HEADER}\n{a.name},{a.type},{a.province},{a.district},80.50,92.37,87.53,65.00\n", year=2567)
    assert outcome.updated == 1 and outcome.created == 0
    rs.refresh_from_db()
    assert rs.scores["ITA"] == 80.5 and rs.scores["OIT"] == 65.0 and rs.ita == 80.5
    assert {k: v for k, v in rs.scores.items() if k[0] in "ie" or k[1:].isdigit() and k[0] == "O"} == items
    assert rs.entry_scores.count() == len(items)


def test_the_command(db, tmp_path, capsys):
    path = tmp_path / "ผล-2568.csv"
    path.write_bytes(national_file.to_csv(national_file.rows(2568, count=50), thai=True))
    call_command("import_national", str(path), "--year", "๒๕๖๘")
    assert "50 แถว" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nx,อบต.,ไม่มีจังหวัดนี้,,1,2,3,4\n", encoding="utf-8")
    with pytest.raises(CommandError, match="(?s)ไม่ได้นำเข้า.*แถว 2"):
        call_command("import_national", str(bad), "--year", "2568")
    with pytest.raises(CommandError, match="อ่านไฟล์ไม่ได้"):
        call_command("import_national", str(tmp_path / "none.csv"), "--year", "2568")


def test_the_page_is_for_system_admins_only(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from itadesk.web.agencies.models import Agency

    csv = national_file.to_csv(national_file.rows(2568, count=20))
    for role in ("supervisor", "admin", "outsider"):
        response = login(world["users"][role]).post(
            "/region/national/", {"year": "2568", "file": SimpleUploadedFile("n.csv", csv)})
        assert response.status_code == 404
    assert Agency.objects.count() == 2
    client = login(world["users"]["sysadmin"])
    # The import is a background job (run inline here): its page shows every problem, or the outcome.
    bad = client.post("/region/national/", {"year": "2568", "file": SimpleUploadedFile(
        "n.csv", f"{HEADER}\nx,อบต.,ขอนแก่น,,1,2,3,๑๐๑\n".encode())}, follow=True)
    body = bad.content.decode()
    assert "n.csv: ไฟล์มีปัญหา จึงไม่ได้นำเข้า" in body and "แถว 2" in body and "ลองใหม่" in body
    assert Agency.objects.count() == 2
    ok = client.post("/region/national/", {"year": "2568", "file": SimpleUploadedFile("n.csv", csv)}, follow=True)
    assert "นำเข้า n.csv แล้ว: ๒๐ แถว สร้างหน่วยงานใหม่ ๒๐" in ok.content.decode() and Agency.objects.count() == 22


def test_generated_names_read_as_generated_and_the_country_is_shaped_like_thailand():
    rows = national_file.rows(2567)
    assert len(rows) == 8325 and len({r["province"] for r in rows}) == 77
    sizes: dict[str, int] = {}
    for r in rows:
        sizes[r["province"]] = sizes.get(r["province"], 0) + 1
    assert max(sizes.values()) == 330 == sizes["นครราชสีมา"]
    assert sum(r["type"] == "อบต." for r in rows) == 5300
    generic = [r for r in rows if r["name"] not in ("กรุงเทพมหานคร", "เมืองพัทยา")]
    assert all("ตัวอย่าง" in r["name"] for r in generic)
    ita = [r["ITA"] for r in rows]
    assert 92 <= sum(ita) / len(ita) <= 94.5 and 0.9 <= sum(v >= 85 for v in ita) / len(ita) <= 0.96
    assert to_thai_digits("001") in rows[0]["name"]
