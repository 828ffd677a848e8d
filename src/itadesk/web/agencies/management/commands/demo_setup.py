"""Create the demo agency, its FY2567 results and a demo login (idempotent)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from itadesk.agency import load_agency
from itadesk.results import load_results
from itadesk.web.agencies.models import Membership
from itadesk.web.agencies.services import upsert_agency
from itadesk.web.results.models import ResultSet

DEMO_USER = "demo"
DEMO_PASSWORD = "itadesk-demo-2567"


class Command(BaseCommand):
    help = "สร้างหน่วยงานตัวอย่าง ผลคะแนนปี 2567 และผู้ใช้ demo"

    def add_arguments(self, parser):
        root = Path(__file__).resolve().parents[6]
        parser.add_argument("--agency", default=str(root / "demo" / "agency.yaml"))
        parser.add_argument("--results", default=str(root / "demo" / "results-2567.yaml"))

    def handle(self, *args, **options):
        agency = upsert_agency(load_agency(options["agency"]))
        results = load_results(options["results"])
        ResultSet.objects.update_or_create(
            agency=agency, fiscal_year=results.fiscal_year,
            defaults={"scores": results.scores, "source": Path(options["results"]).name},
        )
        user, created = get_user_model().objects.get_or_create(username=DEMO_USER)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.update_or_create(user=user, agency=agency, defaults={"role": Membership.ADMIN})
        self.stdout.write(f"หน่วยงานตัวอย่าง: {agency.name} (id {agency.pk})")
        self.stdout.write(f"ผู้ใช้ตัวอย่าง: {DEMO_USER} / {DEMO_PASSWORD}")
