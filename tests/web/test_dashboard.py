"""The region dashboard: what a province/district supervisor (and a system admin) sees of every agency."""

from __future__ import annotations

import io
import random

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itadesk.analysis import classify
from itadesk.criteria import load_criteria
from itadesk.status import IMPROVE, URGENT
from itadesk.thai import sort_key, to_thai_digits
from itadesk.web import dataversion

PROVINCE = "นครราชสีมา"   # agency A's province (the world's supervisor oversees it)


def make_agencies(n: int, province: str = PROVINCE, district: str = "โนนสูง", year: int = 2567,
                  seed: int = 1, type_: str = "อบต.", entries: bool = True):
    """``n`` agencies with FY``year`` results: seed 000's scores moved at random, per-item too."""
    from itadesk.results import load_results
    from itadesk.web.agencies.models import Agency
    from itadesk.web.results.models import EntryScore, ResultSet, entry_rows
    from tests.web.conftest import ROOT

    base = load_results(ROOT / "tests" / "data" / "seed000-2567.csv").scores
    rng = random.Random(seed)
    agencies = Agency.objects.bulk_create([
        Agency(name=f"{type_}ทดสอบ {to_thai_digits(f'{seed:02d}-{i:04d}')}", type=type_, province=province,
               district=district, sort_key=sort_key(f"{type_}ทดสอบ {seed:02d}-{i:04d}")) for i in range(n)])
    sets, rows = [], []
    for agency in agencies:
        scores = {code: (max(0.0, min(100.0, round(v + rng.uniform(-30, 30), 2))) if code[0] in "ieO" else v)
                  for code, v in base.items() if entries or code[0] not in "ieO"}
        scores.pop("ITA", None)
        for code in [c for c in scores if c.startswith("IND") or c in ("IIT", "EIT", "OIT")]:
            scores.pop(code)   # recomputed from the items, so the level follows them
        rs = ResultSet(agency=agency, fiscal_year=year, scores=scores, source="test")
        summary = rs.apply_summary()
        sets.append((rs, summary))
    ResultSet.objects.bulk_create([rs for rs, _ in sets], batch_size=500)
    for rs, summary in sets:
        rows += entry_rows(rs, summary)
    EntryScore.objects.bulk_create(rows, batch_size=2000)
    dataversion.changed()   # as every bulk writer does (bulk_create sends no signals)
    return agencies


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


# --- Who sees what ---------------------------------------------------------------------------

def test_province_supervisor_home_is_the_dashboard_of_their_province_only(world, login):
    make_agencies(3, district="เมืองนครราชสีมา")
    make_agencies(2, province="ขอนแก่น", district="พล", seed=2)
    body = page(login(world["users"]["supervisor"]), "/")
    assert "ภาพรวมผลการประเมิน ITA" in body and "จังหวัดนครราชสีมา" in body
    assert world["a"].name in body and "ทดสอบ ๐๑-๐๐๐๐" in body
    assert world["b"].name not in body and "ทดสอบ ๐๒-" not in body


def test_agency_users_keep_their_own_list(world, login):
    body = page(login(world["users"]["viewer"]), "/")
    assert "ภาพรวมผลการประเมิน" not in body and world["a"].name in body
    assert login(world["users"]["viewer"]).get("/region/").status_code == 404
    assert login(world["users"]["outsider"]).get("/region/export.xlsx").status_code == 404


def test_district_supervisor_sees_only_the_district_on_the_page_and_in_the_export(world, login, django_user_model):
    from itadesk.web.agencies.models import Supervision

    make_agencies(2, district="โนนสูง", seed=3)
    make_agencies(2, district="เมืองนครราชสีมา", seed=4)
    user = django_user_model.objects.create_user("district_sup")
    Supervision.objects.create(user=user, province=PROVINCE, district="โนนสูง")
    client = login(user)
    body = page(client, "/?district=เมืองนครราชสีมา")   # asking for another district shows nothing of it
    assert "ทดสอบ ๐๔-" not in body
    body = page(client, "/")
    assert "ทดสอบ ๐๓-๐๐๐๐" in body and world["a"].name in body and "ทดสอบ ๐๔-" not in body
    rows = xlsx_rows(client.get("/region/export.xlsx"))
    names = {r[0] for r in rows[3:]}
    assert names == {world["a"].name, "อบต.ทดสอบ ๐๓-๐๐๐๐", "อบต.ทดสอบ ๐๓-๐๐๐๑"}
    assert all(r[2] == PROVINCE and r[3] == "โนนสูง" for r in rows[3:])


def test_system_admin_sees_the_country_and_filters_by_province(world, login):
    client = login(world["users"]["sysadmin"])
    body = page(client, "/")
    assert "ทั้งประเทศ" in body and world["a"].name in body and world["b"].name in body
    assert "ระดับผลการประเมินรายจังหวัด" in body and 'name="district"' not in body   # the country: by province
    body = page(client, "/?province=ขอนแก่น")
    assert world["b"].name in body and world["a"].name not in body
    assert "ระดับผลการประเมินรายอำเภอ" in body


# --- Filters, sort, search, paging --------------------------------------------------------------

def test_filters_search_and_thai_order(world, login):
    from itadesk.web.agencies.models import Agency

    for name, district in (("เทศบาลตำบลโคกกรวด", "เมืองนครราชสีมา"), ("อบต.กระโทก", "โชคชัย"),
                           ("อบต.ไผ่", "โนนไทย"), ("อบต.ขามทะเลสอ", "ขามทะเลสอ")):
        Agency.objects.create(name=name, type="อบต." if name.startswith("อบต") else "เทศบาลตำบล",
                              province=PROVINCE, district=district)
    client = login(world["users"]["supervisor"])
    body = page(client, "/?sort=name")
    order = [body.index(n) for n in ("อบต.กระโทก", "อบต.ขามทะเลสอ", "อบต.ไผ่")]
    assert order == sorted(order)               # ไผ่ sorts under ผ, after ข (not after every อ…)
    assert body.index("เทศบาลตำบลโคกกรวด") < body.index("อบต.กระโทก")   # เทศบาล sorts under ท
    districts = body[body.index('name="district"'):]
    districts = districts[:districts.index("</select>")]
    assert [districts.index(d) for d in ("ขามทะเลสอ", "โชคชัย", "โนนไทย", "โนนสูง", "เมืองนครราชสีมา")] == \
        sorted(districts.index(d) for d in ("ขามทะเลสอ", "โชคชัย", "โนนไทย", "โนนสูง", "เมืองนครราชสีมา"))
    body = page(client, "/?district=โชคชัย")
    assert "อบต.กระโทก" in body and "อบต.ไผ่" not in body and world["a"].name not in body
    body = page(client, "/?type=เทศบาลตำบล")
    assert "เทศบาลตำบลโคกกรวด" in body and "อบต.กระโทก" not in body
    body = page(client, "/?q=ไผ่")
    assert "อบต.ไผ่" in body and "อบต.กระโทก" not in body
    body = page(client, "/?level=none")            # no results this year
    assert "อบต.ไผ่" in body and world["a"].name not in body
    body = page(client, "/?level=improve_urgently")  # seed 000: 72.97 is ต้องปรับปรุง, not urgent
    assert world["a"].name not in body
    assert world["a"].name in page(client, "/?level=improve")


def test_search_matches_thai_and_arabic_digits(world, login):
    make_agencies(3, seed=7)
    client = login(world["users"]["supervisor"])
    assert "อบต.ทดสอบ ๐๗-๐๐๐๒" in page(client, "/?q=07-0002")
    assert "อบต.ทดสอบ ๐๗-๐๐๐๑" not in page(client, "/?q=07-0002")


def test_sort_by_ita_and_change_and_paging(world, login, monkeypatch):
    from itadesk.web.dashboard import views
    from itadesk.web.results.models import ResultSet

    make_agencies(7, seed=5)
    monkeypatch.setattr(views, "PER_PAGE", 3)
    client = login(world["users"]["supervisor"])
    itas = sorted(((rs.ita, rs.agency.name) for rs in ResultSet.objects.filter(agency__province=PROVINCE)),
                  reverse=True)   # the 7 and agency A: 8 rows, 3 pages
    body = page(client, "/?sort=ita")
    assert "หน้า ๑ จาก ๓" in body and itas[0][1] in body and itas[-1][1] not in body
    assert body.index(itas[0][1]) < body.index(itas[1][1]) < body.index(itas[2][1])
    assert itas[-1][1] in page(client, "/?sort=ita&page=3")
    assert "sort=ita" in body[body.index("ถัดไป") - 200:body.index("ถัดไป")]   # the pager keeps the filters


def test_change_on_last_year_and_behind(world, login, approved_plan):
    from itadesk.web.results.models import ResultSet

    a = world["a"]
    last = ResultSet.objects.get(agency=a, fiscal_year=2567)
    ResultSet.objects.create(agency=a, fiscal_year=2566, scores={**last.scores, "ITA": 70.0}, source="t")
    make_agencies(1, seed=6)
    client = login(world["users"]["supervisor"])
    body = page(client, "/?year=2567")
    assert "+๒.๙๗" in body   # 72.97 − 70.00
    behind = page(client, "/?year=2567&behind=1")
    assert "อบต.ทดสอบ ๐๖-๐๐๐๐" in behind          # no plan
    assert a.name not in behind                    # approved plan, nothing overdue yet


# --- Scale --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, url", [
    ("supervisor", "/"), ("supervisor", "/?sort=ita&behind=1"), ("supervisor", "/region/export.xlsx"),
    ("supervisor", "/region/weaknesses/"), ("supervisor", "/region/weaknesses/?code=O2&status=urgent"),
    ("sysadmin", "/"), ("sysadmin", "/?province=นครราชสีมา&sort=-ita")])
def test_query_counts_do_not_grow_with_agencies(world, login, role, url):
    """Computed (the first request after a change) and from the cache (the next ones)."""
    client = login(world["users"][role])
    counts, hits = [], []
    for n in (10, 1000):
        make_agencies(n if not counts else n - 10, seed=10 + len(counts), entries=True)
        for into in (counts, hits):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            into.append(len(ctx))
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries at 10 agencies, {counts[1]} at 1,000"
    assert hits[0] == hits[1], f"{url}: {hits[0]} queries at 10 agencies, {hits[1]} at 1,000 (cached)"
    if "export" not in url:   # a download is made anew each time
        assert hits[0] <= 5 < counts[0], f"{url}: {hits[0]} queries from the cache, {counts[0]} computed"


# --- Export -------------------------------------------------------------------------------------

def test_export_has_every_filtered_agency_and_neutralises_formulas(world, login, monkeypatch):
    from itadesk.web.agencies.models import Agency
    from itadesk.web.dashboard import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    make_agencies(4, seed=8)
    Agency.objects.create(name="=HYPERLINK(\"http://x\")", type="อบต.", province=PROVINCE, district="โนนสูง")
    response = login(world["users"]["supervisor"]).get("/region/export.xlsx?type=อบต.")
    rows = xlsx_rows(response)
    assert rows[2][0] == "หน่วยงาน" and rows[1][0] == "ตัวกรอง: ประเภท อบต."
    names = [r[0] for r in rows[3:]]
    assert len(names) == 5 and '=HYPERLINK("http://x")' in names      # shown as typed …
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).worksheets[0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)   # … but never a formula
    assert world["a"].name not in names   # องค์การบริหารส่วนตำบล is another type
    a_rows = xlsx_rows(login(world["users"]["supervisor"]).get("/region/export.xlsx?q=บ้านสวนหอม"))
    assert a_rows[3][0] == world["a"].name and a_rows[3][4] == 72.97 and a_rows[3][5] == "ต้องปรับปรุง"


# --- Common weaknesses ------------------------------------------------------------------------

def test_common_weakness_counts_equal_a_recomputation(world, login):
    from itadesk.web.results.models import ResultSet

    make_agencies(25, seed=9, district="โนนสูง")
    make_agencies(5, seed=11, district="เมืองนครราชสีมา")
    make_agencies(5, seed=12, province="ขอนแก่น", district="พล")   # another province: not counted
    criteria = load_criteria(2567)
    expected: dict[str, dict[str, int]] = {}
    for rs in ResultSet.objects.filter(agency__province=PROVINCE, agency__district="โนนสูง", fiscal_year=2567):
        for code, value in rs.scores.items():
            if code in criteria.entry_by_code:
                status = classify(criteria.entry_by_code[code], float(value), criteria)
                expected.setdefault(code, {URGENT: 0, IMPROVE: 0})
                if status in (URGENT, IMPROVE):
                    expected[code][status] += 1
    body = page(login(world["users"]["supervisor"]), "/region/weaknesses/?year=2567&district=โนนสูง")
    assert "นับจากหน่วยงานที่มีคะแนนรายข้อ ๒๖ แห่ง" in body   # 25 + agency A
    checked = 0
    for code, counts in expected.items():
        row = body[body.index(f'data-code="{code}"'):]
        row = row[:row.index("</tr>")]
        cells = [c.split(">")[-1] for c in row.split("</a>")] if "</a>" in row else []
        for status in (URGENT, IMPROVE):
            shown = to_thai_digits(counts[status])
            if counts[status]:
                assert f"status={status}\">{shown}</a>" in row, (code, status, counts[status])
                checked += 1
            else:
                assert f"status={status}\"" not in row
    assert checked > 20 and cells is not None
    # The list behind a count: exactly the agencies the recomputation found.
    code = max(expected, key=lambda c: expected[c][URGENT])
    detail = page(login(world["users"]["supervisor"]),
                  f"/region/weaknesses/?year=2567&district=โนนสูง&code={code}&status=urgent")
    listed = detail[detail.index('data-testid="weakness-detail"'):]
    assert f"เร่งด่วน {to_thai_digits(expected[code][URGENT])} แห่ง" in listed
    assert "ทดสอบ ๑๒-" not in listed and "ทดสอบ ๑๑-" not in listed


# --- Peer comparison on the analysis page -----------------------------------------------------

def test_analysis_page_compares_with_the_same_type_in_province_and_country(world, login):
    from statistics import quantiles

    from itadesk.web.results.models import ResultSet

    a = world["a"]
    make_agencies(9, type_=a.type, seed=13)                                   # same province and type
    make_agencies(6, type_=a.type, seed=14, province="ขอนแก่น", district="พล")  # same type, elsewhere
    make_agencies(4, type_="เทศบาลตำบล", seed=15)                             # another type: not a peer
    body = page(login(world["users"]["supervisor"]), f"/agencies/{a.pk}/results/2567/")
    peers = body[body.index('data-testid="peers"'):]
    # 10 in the province (with A); 17 in the country (with B, of the same type in ขอนแก่น)
    assert "จังหวัดนครราชสีมา (๑๐ แห่ง)" in peers and "ทั้งประเทศ (๑๗ แห่ง)" in peers
    province = sorted(ResultSet.objects.filter(agency__type=a.type, agency__province=PROVINCE).values_list("ita", flat=True))
    q1, median, q3 = quantiles(province, n=4, method="inclusive")
    below = sum(v < 72.97 for v in province) + 0.5 * sum(v == 72.97 for v in province)
    ita_row = peers[peers.index('data-tool="ITA"'):]
    ita_row = ita_row[:ita_row.index("</tr>")]
    from itadesk.thai import format_score
    assert f"{format_score(q1)}–{format_score(q3)}" in ita_row and format_score(median) in ita_row
    assert f">{to_thai_digits(round(100 * below / len(province)))}<" in ita_row


def test_analysis_page_queries_do_not_grow_with_peers(world, login):
    client = login(world["users"]["supervisor"])
    counts = []
    for n in (10, 500):
        make_agencies(n - (10 if counts else 0), type_=world["a"].type, seed=20 + len(counts))
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/agencies/{world['a'].pk}/results/2567/")
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# --- Summary report ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_summary_report_covers_the_filtered_region(world, login, fmt):

    from tests.support.docx_text import docx_text
    from tests.support.pdf_text import pdf_text

    make_agencies(6, seed=16, district="โนนสูง")
    make_agencies(3, seed=17, district="เมืองนครราชสีมา")
    response = login(world["users"]["supervisor"]).get(f"/region/summary.{fmt}?year=2567&district=โนนสูง")
    assert response.status_code == 200
    if fmt == "pdf":
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
    else:
        text = docx_text(response.content)
    flat = "".join(text.split())
    assert "บันทึกข้อความ" in flat and "อำเภอโนนสูงจังหวัดนครราชสีมา" in flat
    assert "นายอำเภอโนนสูง" in flat or "ผู้ว่าราชการจังหวัดนครราชสีมา" in flat
    assert "หน่วยงานในอำเภอโนนสูงจังหวัดนครราชสีมาจำนวน๗แห่ง" in flat     # 6 + agency A
    assert "ทดสอบ๑๗-" not in flat and world["b"].name not in flat
    assert "จุดอ่อนร่วม" in flat and "แนวทางส่งเสริม" in flat
    assert world["a"].name in flat                                            # 72.97: below 85, listed
    from itadesk.knowledge import load_knowledge

    measures = ["".join(m.name.split()) for m in load_knowledge().measures.values()]
    assert sum(name in flat for name in measures) >= 2                        # suggested from the knowledge base


def test_sorted_by_ita_each_agency_shows_its_rank_within_its_type(world, login):
    from itadesk.web.results.models import ResultSet

    make_agencies(4, seed=40, type_="อบต.")
    make_agencies(3, seed=41, type_="เทศบาลตำบล")
    body = page(login(world["users"]["supervisor"]), "/?year=2567&sort=ita")
    assert "อันดับในประเภท" in body
    for type_ in ("อบต.", "เทศบาลตำบล"):
        ranked = sorted(ResultSet.objects.filter(agency__type=type_, agency__province=PROVINCE),
                        key=lambda rs: -rs.ita)
        for position, rs in enumerate(ranked, 1):
            row = body[body.index(rs.agency.name):]
            row = row[:row.index("</tr>")]
            assert f'data-label="อันดับในประเภท" class="num">{to_thai_digits(position)}<' in row
    assert "อันดับในประเภท" not in page(login(world["users"]["supervisor"]), "/?year=2567")
