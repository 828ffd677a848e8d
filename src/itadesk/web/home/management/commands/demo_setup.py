"""Create the demo agency in the current cycle and a demo login (idempotent: what the demo user
changed since is left as it is).

FY2567 is the fully known example: item-level results and the approved FY2568 plan with its
progress. FY2568 and FY2569 results are given as the ITAS summary of a year whose questions are
unknown (indicators for IIT/EIT, items for OIT); the FY2569 plan is approved with a whole year's
progress, and the FY2570 plan (the one agencies write now) is a draft started from the FY2569
scores with the FY2569 plan's unfinished measures carried over."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from itadesk.agency import load_agency
from itadesk.carryover import unfinished_measures
from itadesk.plan import plan_year_of
from itadesk.progress import load_progress
from itadesk.results import load_results
from itadesk.thai import fiscal_year_bounds
from itadesk.web.agencies.models import Membership
from itadesk.web.agencies.services import upsert_agency
from itadesk.web.plans.models import Plan
from itadesk.web.plans.services import approve_plan, carry_over, create_plan
from itadesk.web.progress.models import MeasureReport
from itadesk.web.progress.services import ensure_rounds, progress_report
from itadesk.web.results.models import ResultSet

DEMO_USER = "demo"
DEMO_PASSWORD = "itadesk-demo-2567"
DEMO_EMAIL = "demo@bansuanhom.example"


DEMO = Path(__file__).resolve().parents[6] / "demo"
RESULTS = ("results-2567.yaml", "results-2568.yaml", "results-2569.yaml")
# assessed year -> progress of the plan made from it (the plan year's measures)
PROGRESS = {2567: "progress-2568.yaml", 2568: "progress-2569.yaml"}


class Command(BaseCommand):
    help = ("สร้างหน่วยงานตัวอย่าง ผลคะแนนปี 2567–2569 มาตรการปี 2568 และ 2569 พร้อมผลการดำเนินการ "
            "ร่างมาตรการปี 2570 และผู้ใช้ demo")

    def add_arguments(self, parser):
        parser.add_argument("--agency", default=str(DEMO / "agency.yaml"))

    def handle(self, *args, **options):
        agency = upsert_agency(load_agency(options["agency"]))
        for name in RESULTS:
            results = load_results(DEMO / name)
            ResultSet.objects.update_or_create(
                agency=agency, fiscal_year=results.fiscal_year,
                defaults={"scores": results.scores, "question_indicators": results.question_indicators,
                          "source": name},
            )
        user, created = get_user_model().objects.get_or_create(username=DEMO_USER)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = DEMO_EMAIL   # reminders (send_reminders) print to the console in the demo
            user.save()
        Membership.objects.update_or_create(user=user, agency=agency, defaults={"role": Membership.ADMIN})
        self.stdout.write(f"หน่วยงานตัวอย่าง: {agency.name} (id {agency.pk})")
        plan = None
        for assessed_year, progress in PROGRESS.items():
            plan = self._plan_with_progress(agency, assessed_year, str(DEMO / progress), user)
            self.stdout.write(f"มาตรการปีงบประมาณ {plan.plan_year}: {plan.measures.count()} มาตรการ "
                              f"ผลการดำเนินการ {MeasureReport.objects.filter(round__plan=plan).count()} รายการ")
        current = self._next_plan(plan, user)
        self.stdout.write(f"มาตรการปีงบประมาณ {current.plan_year} (ร่าง): {current.measures.count()} มาตรการ")
        self.stdout.write(f"ผู้ใช้ตัวอย่าง: {DEMO_USER} / {DEMO_PASSWORD}")

    @transaction.atomic
    def _next_plan(self, plan: Plan, user) -> Plan:
        """The draft of the year after ``plan``, with its unfinished measures carried over (once)."""
        existing = Plan.objects.filter(agency=plan.agency, plan_year=plan_year_of(plan.plan_year)).first()
        if existing is not None:
            return existing
        core, progress = progress_report(plan, create_rounds=False)
        rows = {str(m.pk): m for m in plan.measures.all()}
        unfinished = [rows[u.measure.measure_id] for u in unfinished_measures(core, progress)]
        return carry_over(plan, unfinished, user).plan

    @transaction.atomic
    def _plan_with_progress(self, agency, assessed_year: int, progress_path: str, user) -> Plan:
        """The plan generated from the results, approved by the agency's approver on the first day
        of its fiscal year, with the demo progress file's reports, the first time only."""
        plan = Plan.objects.filter(agency=agency, plan_year=plan_year_of(assessed_year)).first()
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
