"""Create the demo agency, its FY2567 results, its approved FY2568 plan with the demo progress,
and a demo login (idempotent: what the demo user changed since is left as it is)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from itadesk.agency import load_agency
from itadesk.progress import load_progress
from itadesk.results import load_results
from itadesk.thai import fiscal_year_bounds
from itadesk.web.agencies.models import Membership
from itadesk.web.agencies.services import upsert_agency
from itadesk.web.plans.models import Plan
from itadesk.web.plans.services import approve_plan, create_plan
from itadesk.web.progress.models import MeasureReport
from itadesk.web.progress.services import ensure_rounds
from itadesk.web.results.models import ResultSet

DEMO_USER = "demo"
DEMO_PASSWORD = "itadesk-demo-2567"
DEMO_EMAIL = "demo@bansuanhom.example"


class Command(BaseCommand):
    help = "สร้างหน่วยงานตัวอย่าง ผลคะแนนปี 2567 มาตรการปี 2568 พร้อมผลการดำเนินการ และผู้ใช้ demo"

    def add_arguments(self, parser):
        root = Path(__file__).resolve().parents[6]
        parser.add_argument("--agency", default=str(root / "demo" / "agency.yaml"))
        parser.add_argument("--results", default=str(root / "demo" / "results-2567.yaml"))
        parser.add_argument("--progress", default=str(root / "demo" / "progress-2568.yaml"))

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
            user.email = DEMO_EMAIL   # reminders (send_reminders) print to the console in the demo
            user.save()
        Membership.objects.update_or_create(user=user, agency=agency, defaults={"role": Membership.ADMIN})
        plan = self._plan_with_progress(agency, results.fiscal_year, options["progress"], user)
        self.stdout.write(f"หน่วยงานตัวอย่าง: {agency.name} (id {agency.pk})")
        self.stdout.write(f"มาตรการปีงบประมาณ {plan.plan_year}: {plan.measures.count()} มาตรการ "
                          f"ผลการดำเนินการ {MeasureReport.objects.filter(round__plan=plan).count()} รายการ")
        self.stdout.write(f"ผู้ใช้ตัวอย่าง: {DEMO_USER} / {DEMO_PASSWORD}")

    @transaction.atomic
    def _plan_with_progress(self, agency, assessed_year: int, progress_path: str, user) -> Plan:
        """The plan generated from the results, approved by the agency's approver on the first day
        of its fiscal year, with the demo progress file's reports, the first time only."""
        plan = Plan.objects.filter(agency=agency, plan_year=assessed_year + 1).first()
        if plan is None:
            plan = create_plan(agency, assessed_year, user)
        if plan.status != Plan.APPROVED and not plan.rounds.exists():
            approver = agency.signatories.filter(role="approver").first()
            approve_plan(plan, plan.version, approver.name if approver else DEMO_USER,
                         fiscal_year_bounds(plan.plan_year)[0], user)
        rounds = {r.months: r for r in ensure_rounds(plan)}
        if MeasureReport.objects.filter(round__plan=plan).exists():
            return plan
        progress = load_progress(progress_path, plan.as_core_plan())
        measures = {m.measure_id: m for m in plan.measures.all() if m.measure_id}
        MeasureReport.objects.bulk_create([
            MeasureReport(round=rounds[months], measure=measures[measure_id], status=entry.status, done=entry.done,
                          output=entry.output, outcome=entry.outcome, problems=entry.problems,
                          suggestions=entry.suggestions, reason=entry.reason, links=entry.evidence, updated_by=user)
            for measure_id, by_round in progress.entries.items()
            for months, entry in by_round.items() if months in rounds
        ])
        return plan
