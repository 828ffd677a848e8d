"""Lay out DOCX files with LibreOffice as a stand-in for Word with TH SarabunPSK.

Government Word installs have TH SarabunPSK; a Debian machine has Laksaman, TLWG's copy of
TH Sarabun New. But TLWG scaled Laksaman's glyphs up by 150.42 % "for Garuda X-Height
compatibility" (fonts-tlwg changelog, 2014-05-01), so Laksaman at 16 pt is TH Sarabun at 24 pt
and a document laid out with it is about twice as long as in Word. The stand-in undoes that
scaling: the same outlines with 1504 units to the em instead of 1000, named "TH SarabunPSK",
in a fonts folder of a throw-away home directory that only the soffice call sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

LAKSAMAN_DIR = Path("/usr/share/fonts/truetype/tlwg")
LAKSAMAN_STYLES = {"Laksaman.ttf": "Regular", "Laksaman-Bold.ttf": "Bold",
                   "Laksaman-Italic.ttf": "Italic", "Laksaman-BoldItalic.ttf": "Bold Italic"}
TLWG_SCALE = 1.5042   # fonts-tlwg: "Scale up glyphs by 150.42% for Garuda X-Height compatibility"
FAMILY = "TH SarabunPSK"


def missing() -> str | None:
    """Why the layout cannot be made here, or None."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "LibreOffice (soffice) is not installed: bash scripts/setup.sh installs libreoffice-writer-nogui"
    if not (LAKSAMAN_DIR / "Laksaman.ttf").is_file():
        return "the Laksaman font is not installed: bash scripts/setup.sh installs fonts-tlwg-laksaman"
    return None


def write_standin_fonts(folder: Path) -> None:
    """TH SarabunPSK-sized copies of the four Laksaman faces in ``folder``."""
    from fontTools.ttLib import TTFont

    folder.mkdir(parents=True, exist_ok=True)
    for source, style in LAKSAMAN_STYLES.items():
        font = TTFont(LAKSAMAN_DIR / source)
        font["head"].unitsPerEm = round(font["head"].unitsPerEm * TLWG_SCALE)
        full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = FAMILY
            elif record.nameID in (4, 3):
                record.string = full
            elif record.nameID == 6:
                record.string = "THSarabunPSK-" + style.replace(" ", "")
        font.save(folder / f"THSarabunPSK-{style.replace(' ', '')}.ttf")


def docx_to_pdf(files: dict[str, bytes], workdir: Path) -> dict[str, bytes]:
    """Convert DOCX files ({stem: bytes}) to PDF in one LibreOffice run; {stem: PDF bytes}."""
    home = workdir / "home"
    write_standin_fonts(home / ".fonts")
    sources = []
    for stem, data in files.items():
        path = workdir / f"{stem}.docx"
        path.write_bytes(data)
        sources.append(str(path))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    env = {**os.environ, "HOME": str(home)}
    subprocess.run([soffice, f"-env:UserInstallation=file://{workdir / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(workdir / "pdf"), *sources],
                   env=env, capture_output=True, check=True, timeout=300)
    return {stem: (workdir / "pdf" / f"{stem}.pdf").read_bytes() for stem in files}
