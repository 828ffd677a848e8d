"""A GENERATED national results file, shaped like the NACC's (for tests, the demo and benchmarks).

Nothing in it is real: every agency and district name reads as generated ("อบต.ตัวอย่าง ๐๐๑",
"อำเภอตัวอย่าง ๐๑"). What is modelled on the real exercise: the 77 provinces; the agency types and
about how many there are (5,300 อบต., 2,247 เทศบาลตำบล, 195 เทศบาลเมือง, 30 เทศบาลนคร, 76 อบจ.,
กรุงเทพมหานคร, เมืองพัทยา and about 475 central agencies: 8,325 in all, as in FY2567); the largest
province with 330 local governments; and scores like the published national figures (FY2567:
average about 93.05, 92.4 % at 85 or more; FY2568: 93.82 and 94.17 %), with each agency's
standing carried from one year to the next.

    python bench/national_file.py --year 2568 --out national-2568.csv [--agencies 8325] [--thai]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from itadesk.provinces import PROVINCES  # noqa: E402
from itadesk.thai import to_thai_digits  # noqa: E402

COUNTRY = 8325
LARGEST = "นครราชสีมา"
LARGEST_SIZE = 330
# Local governments outside Bangkok, by type: (type, name prefix, how many in the country).
LOCAL = (("อบจ.", "อบจ.", 76), ("เทศบาลนคร", "เทศบาลนคร", 30), ("เทศบาลเมือง", "เทศบาลเมือง", 195),
         ("เทศบาลตำบล", "เทศบาลตำบล", 2247), ("อบต.", "อบต.", 5300))
LARGEST_MIX = {"อบจ.": 1, "เทศบาลนคร": 1, "เทศบาลเมือง": 4, "เทศบาลตำบล": 85, "อบต.": 239}
CENTRAL = (("ส่วนราชการ", "ส่วนราชการตัวอย่าง", 0.42), ("รัฐวิสาหกิจ", "รัฐวิสาหกิจตัวอย่าง", 0.12),
           ("องค์การมหาชน", "องค์การมหาชนตัวอย่าง", 0.13), ("สถาบันอุดมศึกษา", "มหาวิทยาลัยตัวอย่าง", 0.2),
           ("หน่วยงานอื่นของรัฐ", "หน่วยงานตัวอย่าง", 0.13))
SPREAD = ("สถาบันอุดมศึกษา", "องค์การมหาชน")
# Targets per year: national average ITA and share at 85 or more (published figures).
TARGETS = {2567: (93.05, 0.924), 2568: (93.82, 0.942)}
HEADER_EN = ["name", "type", "province", "district", "ITA", "IIT", "EIT", "OIT"] + [f"IND{n}" for n in range(1, 11)]
HEADER_TH = ["ชื่อหน่วยงาน", "ประเภทหน่วยงาน", "จังหวัด", "อำเภอ", "ITA", "IIT", "EIT", "OIT"] + \
            [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` (largest remainder), so the parts add up exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [math.floor(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    return parts


def agencies(count: int = COUNTRY, seed: int = 2567) -> list[dict]:
    """The generated agencies (name, type, province, district), the same for every year of a seed.
    With ``count`` below the country's size, provinces are scaled down (the largest keeps its lead)."""
    rng = random.Random(seed)
    scale = min(1.0, count / COUNTRY)
    others = [p for p in PROVINCES if p not in (LARGEST, "กรุงเทพมหานคร")]
    weights = [rng.uniform(0.4, 1.6) for _ in others]
    rows: list[dict] = []

    def add(province: str, type_: str, prefix: str, n: int, districts: int) -> None:
        for i in range(1, n + 1):
            rows.append({"name": f"{prefix}ตัวอย่าง {to_thai_digits(f'{i:03d}')}" if not prefix.endswith("ตัวอย่าง")
                         else f"{prefix} {to_thai_digits(f'{i:03d}')}",
                         "type": type_, "province": province,
                         "district": f"อำเภอตัวอย่าง {to_thai_digits(f'{rng.randint(1, districts):02d}')}"})

    add(LARGEST, "อบจ.", "อบจ.", 1, 32)
    for type_, prefix, _ in LOCAL[1:]:
        add(LARGEST, type_, prefix, max(0, round(LARGEST_MIX[type_] * scale)), 32)
    sizes = {p: rng.randint(8, 25) for p in others}
    for type_, prefix, total in LOCAL:
        left = max(0, round((total - LARGEST_MIX[type_]) * scale)) if type_ != "อบจ." else len(others)
        for province, n in zip(others, _split(left, weights), strict=True):
            add(province, type_, prefix, n, sizes[province])
    rows.append({"name": "กรุงเทพมหานคร", "type": "กรุงเทพมหานคร", "province": "กรุงเทพมหานคร", "district": ""})
    rows.append({"name": "เมืองพัทยา", "type": "เมืองพัทยา", "province": "ชลบุรี", "district": "บางละมุง"})
    central = max(0, count - len(rows))
    for (type_, prefix, _), n in zip(CENTRAL, _split(central, [w for *_, w in CENTRAL]), strict=True):
        add("กรุงเทพมหานคร", type_, prefix, n, 1)
        for row in rows[-n:] if n else []:
            row["district"] = ""
            if type_ in SPREAD:   # universities and public organisations are all over the country
                row["province"] = rng.choice(others)
    return rows[:count]


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def scores(count: int, year: int, seed: int = 2567) -> list[dict[str, float]]:
    """ITA, tools and ten indicators per agency; an agency's standing persists across years."""
    mean_target, _ = TARGETS.get(year, TARGETS[2568])
    standing = random.Random(seed)           # the agency's own level, the same every year
    noise = random.Random(seed * 10_000 + year)
    shift = (mean_target - 93.05) / 0.4      # later years publish more (OIT carries the change)
    out = []
    for _ in range(count):
        quality = standing.gauss(0, 1)
        weak = standing.random() < 0.095    # about one agency in 10 publishes little (OIT far lower)
        iit = [_clip(noise.gauss(95.5 + 1.2 * quality, 2.5)) for _ in range(5)]
        eit = [_clip(noise.gauss(94.0 + 1.5 * quality, 3.0)) for _ in range(3)]
        oit_level = (noise.uniform(15, 80) if weak and noise.random() < 0.8 else
                     _clip(noise.gauss(94.0 + shift + 2.0 * quality, 4.0)))
        oit = [_clip(noise.gauss(oit_level, 3.0)) for _ in range(2)]
        ind = [round(v, 2) for v in iit + eit + oit]
        tools = {"IIT": round(sum(ind[:5]) / 5, 2), "EIT": round(sum(ind[5:8]) / 3, 2),
                 "OIT": round(sum(ind[8:]) / 2, 2)}
        ita = round(0.3 * tools["IIT"] + 0.3 * tools["EIT"] + 0.4 * tools["OIT"], 2)
        out.append({"ITA": ita, **tools, **{f"IND{n}": v for n, v in enumerate(ind, 1)}})
    return out


def rows(year: int, count: int = COUNTRY, seed: int = 2567) -> list[dict]:
    return [{**a, **s} for a, s in zip(agencies(count, seed), scores(count, year, seed), strict=True)]


def _cells(row: dict, thai: bool) -> list[str]:
    fmt = (lambda v: to_thai_digits(f"{v:.2f}")) if thai else (lambda v: f"{v:.2f}")
    return [row["name"], row["type"], row["province"], row["district"]] + \
           [fmt(row[c]) for c in HEADER_EN[4:]]


def to_csv(data: list[dict], thai: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER_TH if thai else HEADER_EN)
    for row in data:
        writer.writerow(_cells(row, thai))
    return buffer.getvalue().encode("utf-8")


def to_xlsx(data: list[dict], thai: bool = False) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("ผล ITA")
    sheet.append(HEADER_TH if thai else HEADER_EN)
    for row in data:
        sheet.append(_cells(row, thai) if thai else [*_cells(row, False)[:4], *(row[c] for c in HEADER_EN[4:])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2568)
    parser.add_argument("--agencies", type=int, default=COUNTRY)
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--thai", action="store_true", help="Thai header and Thai digits")
    parser.add_argument("--out", required=True, help="file.csv or file.xlsx")
    args = parser.parse_args(argv)
    data = rows(args.year, args.agencies, args.seed)
    out = Path(args.out)
    out.write_bytes(to_xlsx(data, args.thai) if out.suffix == ".xlsx" else to_csv(data, args.thai))
    ita = [r["ITA"] for r in data]
    print(f"{out}: {len(data)} generated agencies, FY{args.year}, average ITA {sum(ita) / len(ita):.2f}, "
          f"{100 * sum(v >= 85 for v in ita) / len(ita):.1f} % at 85 or more", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
