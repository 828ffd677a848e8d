"""Send the day's reminders by e-mail; meant for a daily cron job (see README, "Reminders")."""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from itadesk.reminders import LEAD_DAYS
from itadesk.thai import BE_OFFSET, thai_date, to_arabic_digits
from itadesk.web.agencies.models import Agency
from itadesk.web.progress.reminders import send_reminders

BE_YEARS_FROM = 2400   # a year this large is a Buddhist-era year typed by mistake


def day(text: str) -> dt.date:
    """YYYY-MM-DD (Christian era, Thai digits accepted)."""
    value = to_arabic_digits(text).strip()
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"วันที่ไม่ถูกต้อง: {text!r} (ใช้รูปแบบ ปี-เดือน-วัน แบบ ค.ศ. เช่น 2025-03-24)") from None
    if parsed.year >= BE_YEARS_FROM:
        raise argparse.ArgumentTypeError(
            f"ปี {parsed.year} เป็นปีพุทธศักราช: ใช้ปีคริสต์ศักราช เช่น {parsed.year - BE_OFFSET}{value[4:]}")
    return parsed


def lead_days(text: str) -> int:
    try:
        value = int(to_arabic_digits(text))
    except ValueError:
        value = -1
    if not 0 <= value <= 366:
        raise argparse.ArgumentTypeError(f"จำนวนวันไม่ถูกต้อง: {text!r} (ใช้จำนวนเต็ม 0–366)")
    return value


class Command(BaseCommand):
    help = ("ส่งอีเมลแจ้งเตือนผู้รับผิดชอบมาตรการ: รอบรายงานที่ใกล้สิ้นสุดและมาตรการที่เกินกำหนด "
            "(รันวันละครั้งด้วย cron; รันซ้ำในวันเดียวกันจะไม่ส่งซ้ำ)")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=day, help="ถือว่าวันนี้คือวันที่นี้ (YYYY-MM-DD, ค่าเริ่มต้น: วันนี้)")
        parser.add_argument("--dry-run", action="store_true", help="แสดงว่าจะส่งอะไรถึงใคร โดยไม่ส่งและไม่บันทึก")
        parser.add_argument("--lead-days", type=lead_days, default=LEAD_DAYS,
                            help=f"เตือนก่อนสิ้นรอบรายงานกี่วัน (ค่าเริ่มต้น {LEAD_DAYS})")
        parser.add_argument("--agency", type=int, help="เฉพาะหน่วยงานนี้ (id)")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        agency_id = options["agency"]
        if agency_id is not None and not Agency.objects.filter(pk=agency_id).exists():
            raise CommandError(f"ไม่พบหน่วยงาน id {agency_id}")
        dry_run = options["dry_run"]
        result = send_reminders(today, options["lead_days"], agency_id, dry_run)

        for plan, measure in result.unaddressed:
            self.stderr.write(f"ไม่มีผู้รับอีเมล: {plan.agency.name} ปีงบประมาณ {plan.plan_year}, "
                              f"มาตรการ \"{measure.name}\" (ผู้รับผิดชอบ: {measure.responsible}) — "
                              "ไม่มีผู้ใช้ของหน่วยนี้หรือผู้ดูแลหน่วยงานที่มีอีเมล")
        for email in result.emails:
            status = f"ส่งไม่สำเร็จ: {email.error}" if email.error else ("จะส่ง" if dry_run else "ส่งแล้ว")
            line = f"  {email.recipient}: {len(email.reminders)} รายการ ({status})"
            (self.stderr if email.error else self.stdout).write(line)
        sent = len(result.emails) - len(result.failed)
        when = thai_date(today, thai=False)
        if dry_run:
            self.stdout.write(f"ทดลอง (ไม่ได้ส่งและไม่ได้บันทึก): วันที่ {when} จะส่งอีเมล {sent} ฉบับ "
                              f"แจ้งเตือน {result.reminder_count} รายการ")
        elif result.emails:
            self.stdout.write(f"วันที่ {when} ส่งอีเมลแล้ว {sent} ฉบับ แจ้งเตือน {result.reminder_count} รายการ")
        else:
            self.stdout.write(f"วันที่ {when} ไม่มีการแจ้งเตือนที่ต้องส่ง")
        if result.failed:
            raise CommandError(f"ส่งอีเมลไม่สำเร็จ {len(result.failed)} ฉบับ (จะลองส่งใหม่ในการรันครั้งถัดไป)")
