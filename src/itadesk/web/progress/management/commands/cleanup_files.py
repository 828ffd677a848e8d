"""Remove what a crash left on disk; meant for cron (see README, "Files left by a crash").

- evidence files under MEDIA_ROOT/evidence that no EvidenceFile row names (a worker killed between
  writing the file and committing its row, or an outer transaction that rolled back);
- ".part" files (services._store_files): if the row committed but the rename did not happen,
  the file is given its name; otherwise it is removed;
- Django's temporary upload files in FILE_UPLOAD_TEMP_DIR (a worker killed mid-upload never
  deletes them).

Only files older than --older-than hours (default 24) are touched, so uploads in progress are
left alone. --dry-run lists what would be done and changes nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from itadesk.web.progress.models import EvidenceFile
from itadesk.web.progress.services import PART


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class Command(BaseCommand):
    help = ("ลบไฟล์ที่ค้างจากการทำงานที่หยุดกลางคัน: ไฟล์หลักฐานที่ไม่มีในฐานข้อมูล "
            "และไฟล์ชั่วคราวของการอัปโหลด (ใช้กับ cron)")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="แสดงรายการโดยไม่ลบ")
        parser.add_argument("--older-than", type=float, default=24.0, metavar="HOURS",
                            help="ลบเฉพาะไฟล์ที่เก่ากว่านี้ (ชั่วโมง ค่าเริ่มต้น 24)")

    def handle(self, *args, dry_run: bool, older_than: float, **options):
        if older_than < 0:
            raise CommandError("--older-than ต้องไม่ติดลบ")
        cutoff = time.time() - older_than * 3600
        media = Path(settings.MEDIA_ROOT)
        known = set(EvidenceFile.objects.values_list("file", flat=True))
        removed = completed = freed = 0

        def old(path: Path) -> bool:
            try:
                return path.stat().st_mtime <= cutoff
            except FileNotFoundError:
                return False

        def remove(path: Path, why: str) -> None:
            nonlocal removed, freed
            size = path.stat().st_size
            self.stdout.write(f"{'จะลบ' if dry_run else 'ลบ'} {path} ({why}, {_size(size)})")
            if not dry_run:
                path.unlink(missing_ok=True)
            removed += 1
            freed += size

        evidence = media / "evidence"    # the only files this application keeps under MEDIA_ROOT
        if evidence.is_dir():
            for path in sorted(p for p in evidence.rglob("*") if p.is_file()):
                if not old(path):
                    continue
                relative = path.relative_to(media).as_posix()
                if relative.endswith(PART):
                    final = relative.removesuffix(PART)
                    if final in known and not (media / final).exists():
                        self.stdout.write(f"{'จะตั้งชื่อ' if dry_run else 'ตั้งชื่อ'} {path} → {media / final} "
                                          "(บันทึกในฐานข้อมูลแล้ว)")
                        if not dry_run:
                            os.replace(path, media / final)
                        completed += 1
                    else:
                        remove(path, "ไฟล์ที่เขียนไม่เสร็จ")
                elif relative not in known:
                    remove(path, "ไม่มีในฐานข้อมูล")
        temp = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
        if settings.FILE_UPLOAD_TEMP_DIR and temp.is_dir():
            for path in sorted(p for p in temp.iterdir() if p.is_file()):
                if old(path):
                    remove(path, "ไฟล์ชั่วคราวของการอัปโหลด")
        verb = "จะลบ" if dry_run else "ลบ"
        self.stdout.write(f"{verb} {removed} ไฟล์ ({_size(freed)}) ตั้งชื่อไฟล์ที่บันทึกแล้ว {completed} ไฟล์")
