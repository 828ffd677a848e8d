"""manage.py import_national FILE --year YYYY: the NACC's results file for every agency."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itadesk.errors import InputError
from itadesk.thai import to_arabic_digits
from itadesk.web.dashboard.national import import_national


class Command(BaseCommand):
    help = "นำเข้าไฟล์ผลการประเมิน ITA ระดับประเทศ (CSV/XLSX หนึ่งแถวต่อหน่วยงาน) ทั้งไฟล์หรือไม่นำเข้าเลย"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", required=True, help="ปีงบประมาณ พ.ศ. เช่น 2568")
        parser.add_argument("--accept-new", action="store_true",
                            help="ชื่อที่ใกล้เคียงกับหน่วยงานที่มีอยู่ให้สร้างเป็นหน่วยงานใหม่")

    def handle(self, *args, **options):
        path = Path(options["file"])
        year = to_arabic_digits(options["year"]).strip()
        if not year.isdigit() or not 2500 <= int(year) <= 2700:
            raise CommandError(f"--year ต้องเป็นปีงบประมาณ พ.ศ. เช่น 2568 (ค่าที่พบ: {options['year']!r})")
        try:
            data = path.read_bytes()
        except OSError:
            raise CommandError(f"{path}: อ่านไฟล์ไม่ได้ (ไม่พบไฟล์หรือไม่มีสิทธิ์อ่าน)") from None
        try:
            outcome = import_national(data, path.name, int(year), accept_new=options["accept_new"])
        except InputError as exc:
            raise CommandError("ไม่ได้นำเข้า (ไม่มีการบันทึกใด ๆ):\n" + str(exc)) from None
        self.stdout.write(
            f"{path.name}: {outcome.rows} แถว · สร้างหน่วยงานใหม่ {outcome.created} · เพิ่มผลคะแนน {outcome.added} · "
            f"แก้ไข {outcome.updated} · ไม่เปลี่ยนแปลง {outcome.unchanged}")
