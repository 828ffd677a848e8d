"""The OIT checker against a local evidence website on 127.0.0.1 — and nowhere else.

The policy in these tests allows exactly 127.0.0.1/32; every other address (10.x, 192.168.x,
::1, 169.254.169.254, IPv4-mapped IPv6) must be refused before any connection is attempted.
Names are resolved by a test resolver that knows only ``localhost`` (and names a test adds),
so no real DNS lookup happens either.
"""

import asyncio
import ipaddress
import re
import socket
import time

import pytest
import yaml

from itadesk.cli import main
from itadesk.criteria import load_criteria
from itadesk.oit import safety
from itadesk.oit.checker import (
    CONNECT_ERROR,
    HTTP_ERROR,
    OK,
    REFUSED,
    TIMEOUT,
    TOO_LARGE,
    TOO_MANY_REDIRECTS,
    Checker,
    CheckSettings,
    check_register,
    find_fiscal_year,
    find_keywords,
    registrable_domain,
    same_site,
)
from itadesk.oit.evidence import EvidenceItem, EvidenceRegister
from itadesk.oit.safety import NetworkPolicy, UnsafeURL
from itadesk.oit.verdict import DOUBTFUL, FAIL, PASS, predict
from tests.test_oit_support import EvidenceSite, attempts, local_resolver, no_dns  # noqa: F401  (fixtures)

LOOPBACK_ONLY = NetworkPolicy.build(allowed_networks=["127.0.0.1/32"])
FY = 2568


@pytest.fixture
def site():
    with EvidenceSite(big_bytes=300_000, slow_seconds=2.0) as s:
        yield s




def settings(**overrides) -> CheckSettings:
    base = dict(policy=LOOPBACK_ONLY, per_host_rate=0, total_timeout=5, read_timeout=5, connect_timeout=2,
                max_bytes=100_000)
    base.update(overrides)
    return CheckSettings(**base)


def check_one(url: str, website: str, keywords=("โครงสร้าง", "แผนผัง", "อัตรากำลัง"), **overrides):
    async def go():
        async with Checker(settings(**overrides), website) as checker:
            return await checker.check("O1", url, keywords, FY), checker

    return asyncio.run(go())


# --- pure helpers ----------------------------------------------------------------------------

def test_registrable_domain_and_same_site():
    assert registrable_domain("www.example.go.th") == "example.go.th"
    assert registrable_domain("example.go.th") == "example.go.th"
    assert registrable_domain("eservice.sub.example.go.th") == "example.go.th"
    assert registrable_domain("www.facebook.com") == "facebook.com"
    assert same_site("https://www.x.go.th/a", "https://x.go.th")
    assert same_site("http://x.go.th:8080/a", "www.x.go.th")
    assert not same_site("https://www.facebook.com/x.go.th", "https://www.x.go.th")
    assert not same_site("https://y.go.th/", "https://x.go.th")        # sibling agencies differ
    assert not same_site("http://localhost:80/", "http://127.0.0.1:80")


def test_fiscal_year_found_in_thai_and_arabic_forms():
    for text in ("พ.ศ. 2568", "ปีงบประมาณ ๒๕๖๘", "ประจำปี๒๕๖๘", "ปีงบประมาณ 68"):
        assert find_fiscal_year(text, 2568)[0] == "be", text
    assert find_fiscal_year("Annual report 2025", 2568)[0] == "ce"
    assert find_fiscal_year("ปีงบประมาณ 2566 และ 25680 บาท", 2568) == (None, [2566])


def test_keywords_match_across_pdf_line_breaks_and_case():
    found, missing = find_keywords("ประกาศเจตนารมณ์ no gift\npolicy และ โครง สร้าง", ("No Gift Policy", "โครงสร้าง", "สินบน"))
    assert found == ["No Gift Policy", "โครงสร้าง"] and missing == ["สินบน"]


# --- safety: refused before any connection ------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.5.4/", "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/", "http://[fe80::1]/",
    "http://0.0.0.0/", "http://224.0.0.1/", "http://100.64.0.1/", "http://127.0.0.2/",
    "http://167772161/", "http://0x0a.0.0.1/", "http://[fd00::1]/", "http://[2002:c0a8:0101::1]/",
])
def test_private_addresses_are_refused_without_connecting(url, attempts):
    result, checker = check_one(url, "http://127.0.0.1")
    assert result.outcome == REFUSED, result
    assert attempts == [] and checker.connections == []


def test_only_http_and_https():
    for url in ("ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/"):
        with pytest.raises(UnsafeURL):
            asyncio.run(safety.check_url(url, LOOPBACK_ONLY))


def test_allow_private_opens_private_ranges_but_not_metadata():
    policy = NetworkPolicy.build(allow_private=True)
    assert asyncio.run(safety.check_url("http://10.0.0.1/", policy)) == ["10.0.0.1"]
    assert asyncio.run(safety.check_url("http://[::1]/", policy)) == ["::1"]
    with pytest.raises(UnsafeURL):
        asyncio.run(safety.check_url("http://169.254.169.254/", policy))
    with pytest.raises(UnsafeURL):
        asyncio.run(safety.check_url("http://10.0.0.1/", NetworkPolicy()))


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata", "/to-ipv6-loopback", "/to-mapped", "/to-ftp"])
def test_redirect_to_a_forbidden_place_is_refused(site, attempts, path):
    result, _ = check_one(site.url(path), site.base)
    assert result.outcome == REFUSED
    assert [h.url for h in result.redirects] == [site.url(path)]      # the hop is recorded
    assert set(attempts) == {"127.0.0.1"}                             # only the allowed server was contacted


def test_dns_rebinding_is_refused_at_connection_time(site, attempts, caplog):
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])                     # check says loopback, connect says private
    safety.set_resolver(local_resolver({"rebind.test": lambda: next(answers)}))
    with caplog.at_level("WARNING", logger="itadesk.oit"):
        result, checker = check_one(site.url("/good.html", host="rebind.test"), site.base)
    assert result.outcome == REFUSED and result.detail == safety.INTERNAL
    assert "10.0.0.1" not in result.detail and "10.0.0.1" in caplog.text      # the address: log only
    assert attempts == [] and checker.connections == []


# --- the checker on the local site ---------------------------------------------------------

def test_good_html_page(site):
    result, _ = check_one(site.url("/good.html"), site.base)
    assert result.outcome == OK and result.status == 200 and result.kind == "html"
    assert result.on_main_domain is True
    assert result.keywords_found == ["โครงสร้าง", "แผนผัง", "อัตรากำลัง"]
    assert result.year_match == "be" and result.years_found == [2568]    # 2599 in <script> ignored
    path, host, agent = site.requests[-1]
    assert agent.startswith("itadesk-oit-check/") and site.base in agent
    assert result.checked_at


def test_same_site_redirect_is_followed_and_recorded(site):
    result, _ = check_one(site.url("/same-site-redirect"), site.base)
    assert result.outcome == OK and result.final_url == site.url("/good.html")
    assert [(h.status, h.location) for h in result.redirects] == [(301, site.url("/good.html"))]


def test_redirect_to_another_site_is_off_domain(site):
    result, _ = check_one(site.url("/away"), site.base)
    assert result.outcome == OK and result.url_on_main_domain is True
    assert result.final_url == site.url("/good.html", host="localhost") and result.on_main_domain is False


def test_pdfs_with_and_without_the_fiscal_year(site):
    keywords = ("มาตรการ", "คุณธรรม", "ความโปร่งใส")
    good, _ = check_one(site.url("/plan-2568.pdf"), site.base, keywords)
    old, _ = check_one(site.url("/plan-2566.pdf"), site.base, keywords)
    assert good.kind == old.kind == "pdf"
    assert "มาตรการ" in good.keywords_found and good.year_match == "be"
    assert old.year_match is None and old.years_found == [2566]


def test_thai_windows_874_page_is_decoded(site):
    result, _ = check_one(site.url("/tis620.html"), site.base, ("ข่าว", "ประชาสัมพันธ์"))
    assert result.keywords_found == ["ข่าว", "ประชาสัมพันธ์"] and result.year_match == "be"


def test_dead_slow_big_and_looping_links(site):
    assert check_one(site.url("/missing"), site.base)[0].outcome == HTTP_ERROR
    started = time.perf_counter()
    slow, _ = check_one(site.url("/slow"), site.base, total_timeout=0.5)
    assert slow.outcome == TIMEOUT and time.perf_counter() - started < 1.8
    declared, _ = check_one(site.url("/big-declared.pdf"), site.base)
    assert declared.outcome == TOO_LARGE and declared.size == 300_000
    streamed, _ = check_one(site.url("/big-stream.pdf"), site.base)
    # Stopped within one network read (at most 64 KiB) past the cap, not read to the end (300 KB).
    assert streamed.outcome == TOO_LARGE and 100_000 < streamed.size <= 100_000 + 65_536
    assert "0.1 MB" in streamed.detail
    loop, _ = check_one(site.url("/loop"), site.base, max_redirects=3)
    assert loop.outcome == TOO_MANY_REDIRECTS and len(loop.redirects) == 4


def test_closed_port_is_a_connection_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result, _ = check_one(f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}")
    assert result.outcome == CONNECT_ERROR


def test_per_host_rate_limit(site):
    async def go():
        async with Checker(settings(per_host_rate=20), site.base) as checker:
            started = time.perf_counter()
            await asyncio.gather(*(checker.check("O1", site.url(f"/page/{i}"), (), FY) for i in range(6)))
            return time.perf_counter() - started

    assert asyncio.run(go()) >= 5 / 20 - 0.02     # 6 starts at 20/s need at least 0.25 s


# --- whole register: verdicts and predicted scores -------------------------------------------

def register_for(site) -> EvidenceRegister:
    u = site.url
    items = {
        "O1": (u("/good.html"),),                                   # pass
        "O2": (u("/missing"), u("/loop")),                          # fail: all dead
        "O3": (u("/no-keywords.html"),),                            # doubtful: keywords missing
        "O5": (u("/away"),),                                        # doubtful: ends off-site
        "O6": (u("/good.html", host="localhost"),),                 # fail: given off-site
        "O7": (u("/old-year.html"),),                               # doubtful: wrong year
        "O9": (u("/big-declared.pdf"),),                            # doubtful: too large to check
        "O10": (u("/slow"),),                                       # fail: timeout
        "O12": ("http://192.168.1.1/stats",),                       # fail: refused
        "O13": (u("/scan.pdf"),),                                   # doubtful: no text
        "O34": (u("/plan-2568.pdf"), u("/missing")),                # pass, with a note on the dead link
        "O35": (u("/plan-2566.pdf"),),                              # doubtful: fiscal year not found
    }
    return EvidenceRegister(FY, {c: EvidenceItem(c, urls) for c, urls in items.items()}, "ทดสอบ", site.base)


def test_register_verdicts_and_prediction(site, attempts):
    criteria = load_criteria(2567)
    run = check_register(register_for(site), criteria, site.base, settings(total_timeout=1.0))
    prediction = predict(run, criteria)
    verdict = {i.code: i for i in prediction.items}
    expected = {"O1": PASS, "O2": FAIL, "O3": DOUBTFUL, "O5": DOUBTFUL, "O6": FAIL, "O7": DOUBTFUL,
                "O9": DOUBTFUL, "O10": FAIL, "O12": FAIL, "O13": DOUBTFUL, "O34": PASS, "O35": DOUBTFUL,
                "O4": FAIL}
    assert {c: verdict[c].verdict for c in expected} == expected
    assert any("คำสำคัญ" in r for r in verdict["O3"].reasons)
    assert any("นอกเว็บไซต์หลัก" in r for r in verdict["O5"].reasons)
    assert any("2566" in r for r in verdict["O7"].reasons)
    assert any("ลิงก์เปิดไม่ได้" in n for n in verdict["O34"].notes)
    assert verdict["O4"].reasons == ["ไม่มีลิงก์หลักฐาน"]
    assert "192.168.1.1" not in attempts
    # indicator 9: O1 pass; O3 O5 O7 O9 O13 doubtful; 19 others fail → (100 + 5·50) / 25
    assert prediction.indicators[9] == pytest.approx(350 / 25)
    # indicator 10: O34 pass, O35 doubtful, 8 fail → 150 / 10
    assert prediction.indicators[10] == pytest.approx(15.0)
    assert prediction.oit == pytest.approx((14 + 15) / 2)
    assert prediction.fix_first[0].code == "O26"          # a failing indicator-10 item: 2 ITA points


def test_cli_oit_check_writes_a_report(site, tmp_path, capsys):
    import openpyxl

    evidence = tmp_path / "evidence.yaml"
    evidence.write_text(yaml.safe_dump({
        "agency": "เทศบาลทดสอบ", "fiscal_year": FY,
        "items": {"O1": [site.url("/good.html")], "O34": [site.url("/plan-2568.pdf")], "O35": site.url("/missing")},
    }, allow_unicode=True), "utf-8")
    out = tmp_path / "report.xlsx"
    # --allow-private opens loopback for the CLI; the evidence only names 127.0.0.1
    code = main(["oit-check", str(evidence), "--year", "2567", "--website", site.base,
                 "--allow-private", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "O1" in printed and "ผ่าน" in printed and "OIT" in printed and "แก้ก่อน" in printed
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["สรุป", "แก้ก่อน", "ลิงก์"]
    assert book["ลิงก์"].max_row == 1 + 3
    code = main(["oit-check", str(evidence), "--year", "2567", "--website", site.base, "--allow-private", "--json"])
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["prediction"]["counts"]["pass"] == 2 and data["run"]["checks"][0]["checked_at"]


def test_cli_refuses_loopback_without_allow_private(site, tmp_path, capsys):
    evidence = tmp_path / "evidence.yaml"
    evidence.write_text(yaml.safe_dump({"fiscal_year": FY, "items": {"O1": [site.url("/good.html")]}}), "utf-8")
    assert main(["oit-check", str(evidence), "--year", "2567", "--website", site.base]) == 0
    assert "ที่อยู่นี้อยู่ในเครือข่ายภายใน ไม่ตรวจให้" in capsys.readouterr().out and site.requests == []


def test_cli_bad_evidence_file_is_an_input_error(tmp_path, capsys):
    evidence = tmp_path / "evidence.yaml"
    evidence.write_text("fiscal_year: 2568\nitems:\n  O99: [ftp://x.go.th/a]\n", "utf-8")
    assert main(["oit-check", str(evidence), "--year", "2567", "--website", "https://www.x.go.th"]) == 2
    err = capsys.readouterr().err
    assert "O99" in err and "Traceback" not in err


def test_a_report_item_of_the_previous_fiscal_year_is_checked_for_that_year(site, attempts):
    """FY2569's results report (O26) shows FY2568's work; its measures plan (O25) this year's."""
    criteria = load_criteria(2569)
    plan_2568 = site.url("/plan-2568.pdf")
    register = EvidenceRegister(2569, {c: EvidenceItem(c, (plan_2568,)) for c in ("O25", "O26")}, "ทดสอบ", site.base)
    verdict = {i.code: i for i in predict(check_register(register, criteria, site.base, settings()), criteria).items}
    assert verdict["O26"].verdict == PASS
    assert verdict["O25"].verdict == DOUBTFUL
    assert any("พ.ศ. 2569" in r for r in verdict["O25"].reasons)


# --- what a refusal tells the user, and the allow-list's ports -----------------------------

@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:9/", safety.INTERNAL), ("http://10.1.2.3/", safety.INTERNAL),
    ("http://169.254.169.254/latest/", safety.INTERNAL), ("http://[::ffff:192.168.0.1]/", safety.INTERNAL),
    ("http://224.0.0.1/", safety.NOT_PUBLIC), ("http://[ff02::1]/", safety.NOT_PUBLIC),
    ("http://0.0.0.0/", safety.INTERNAL),
    ("http://localhost/", safety.INTERNAL),
])
def test_refusals_say_what_is_wrong_without_addresses(url, message, caplog):
    safety.set_resolver(local_resolver({"localhost": lambda: ["127.0.0.1", "::1"]}))
    with caplog.at_level("WARNING", logger="itadesk.oit"):
        with pytest.raises(UnsafeURL) as refused:
            asyncio.run(safety.check_url(url, NetworkPolicy()))
    assert str(refused.value) == message
    assert not re.search(r"\d+\.\d+\.\d+\.\d+|::|loopback|private|Errno", str(refused.value))
    assert re.search(r"\d+\.\d+\.\d+\.\d+|::", refused.value.detail)     # the detail names the address


def test_an_unknown_name_is_a_dns_problem_not_a_resolver_error(attempts, caplog):
    def fail(host, port):
        raise socket.gaierror(-2, "Name or service not known")

    safety.set_resolver(fail)
    with caplog.at_level("WARNING", logger="itadesk.oit"):
        result, _ = check_one("http://no-such-site.example.go.th/", "http://127.0.0.1")
    assert result.outcome == REFUSED and result.detail == "ไม่พบชื่อเว็บไซต์นี้ (DNS)"
    assert "Errno" not in result.detail and "Name or service not known" in caplog.text


def test_a_connection_failure_does_not_show_the_library_error(site):
    with socket.socket() as s:          # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result, _ = check_one(f"http://127.0.0.1:{port}/", site.base)
    assert result.outcome == "connect_error", result
    assert result.detail == "เชื่อมต่อเว็บไซต์ไม่ได้ (เว็บไซต์ไม่ตอบ)"


@pytest.mark.parametrize("entry, network, port", [
    ("10.0.0.0/8", "10.0.0.0/8", None), ("127.0.0.1/32:8080", "127.0.0.1/32", 8080),
    ("127.0.0.1:8080", "127.0.0.1/32", 8080), ("[::1]:8443", "::1/128", 8443),
    ("[fd00::]/8:443", "fd00::/8", 443), ("fd00::/8", "fd00::/8", None),
])
def test_allowed_network_entries_may_name_a_port(entry, network, port):
    assert safety.parse_allowed(entry) == (ipaddress.ip_network(network), port)


@pytest.mark.parametrize("entry", ["127.0.0.1/32:0", "127.0.0.1/32:99999", "127.0.0.1/32:http", "not-a-network"])
def test_malformed_allowed_entries_are_refused(entry):
    with pytest.raises(ValueError):
        safety.parse_allowed(entry)


def test_an_allowed_network_with_a_port_lets_only_that_port_through():
    policy = NetworkPolicy.build(allowed_networks=["127.0.0.1/32:8080", "10.0.0.0/8"])
    assert asyncio.run(safety.check_url("http://127.0.0.1:8080/", policy)) == ["127.0.0.1"]
    with pytest.raises(UnsafeURL):
        asyncio.run(safety.check_url("http://127.0.0.1:8081/", policy))
    with pytest.raises(UnsafeURL):
        asyncio.run(safety.check_url("http://127.0.0.1/", policy))          # port 80
    assert asyncio.run(safety.check_url("http://10.9.9.9:1234/", policy)) == ["10.9.9.9"]   # no port: any


def test_the_port_rule_holds_for_a_real_fetch(site, attempts):
    """The local site's port is allowed; with another port allowed instead, nothing is fetched."""
    port = int(site.base.rsplit(":", 1)[1])
    policy = NetworkPolicy.build(allowed_networks=[f"127.0.0.1/32:{port}"])
    result, _ = check_one(site.url("/good.html"), site.base, policy=policy)
    assert result.outcome == OK
    other = NetworkPolicy.build(allowed_networks=[f"127.0.0.1/32:{port + 1}"])
    result, _ = check_one(site.url("/good.html"), site.base, policy=other)
    assert result.outcome == REFUSED and attempts == ["127.0.0.1"]
