"""E-mail reminders about approved plans: a round about to close, a measure past its due date.

``itadesk.reminders`` decides what is due; this module finds who gets it (the agency's users of
the measure's responsible unit, else its admins), writes one e-mail per address listing all of
it, sends it through Django's configured e-mail backend and logs every reminder in
ReminderSent, so running again the same day sends nothing twice. Run daily by the
``send_reminders`` command.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string

from itadesk.reminders import LEAD_DAYS, OVERDUE, ROUND_CLOSING, Reminder, Sent, due_items, responsible_units, to_send
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.models import Membership
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.progress.models import ReminderSent, Round
from itadesk.web.progress.services import measure_key, progress_report

SUBJECT_PREFIX = "[itadesk] "


def progress_url(plan: Plan) -> str:
    """The plan's progress page, absolute (the page's URL name is not relied on: a fixed path)."""
    return f"{settings.SITE_URL.rstrip('/')}/agencies/{plan.agency_id}/plans/{plan.plan_year}/progress/"


def measure_recipients(plan: Plan, measures: list[PlanMeasure]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each measure's addresses (by measure key) and each address's display name.

    A measure goes to the agency's active users with an e-mail address whose unit is named in
    its responsible text; when there are none, to the agency's admins. Nobody outside the
    agency's memberships (supervisors, other agencies) is ever a recipient."""
    members = (Membership.objects.filter(agency_id=plan.agency_id, user__is_active=True)
               .exclude(user__email="").select_related("user", "department").order_by("user__username"))
    by_unit: dict[str, list[str]] = defaultdict(list)
    admins: list[str] = []
    names: dict[str, str] = {}
    for member in members:
        address = member.user.email.strip()
        names.setdefault(address, member.user.get_full_name() or member.user.username)
        if member.department is not None:
            by_unit[member.department.name].append(address)
        if member.role == Membership.ADMIN:
            admins.append(address)
    unit_names = list(plan.agency.departments.values_list("name", flat=True))
    recipients = {}
    for measure in measures:
        addresses = [a for unit in responsible_units(measure.responsible, unit_names) for a in by_unit[unit]]
        recipients[measure_key(measure)] = list(dict.fromkeys(addresses or admins))
    return recipients, names


@dataclass
class PlanReminders:
    """One plan's reminders to send, and the measures with something due but nobody to mail it to."""

    plan: Plan
    reminders: list[Reminder]
    unaddressed: list[PlanMeasure]
    measures: dict[str, PlanMeasure]
    rounds: dict[int, Round]
    names: dict[str, str]


def plan_reminders(plan: Plan, today: dt.date, lead_days: int = LEAD_DAYS) -> PlanReminders:
    core_plan, progress = progress_report(plan)
    measures = {measure_key(m): m for m in plan.measures.all()}
    rounds = {r.months: r for r in plan.rounds.all()}
    deadlines = {key: m.due_on for key, m in measures.items() if m.due_on}
    locked = {months for months, r in rounds.items() if r.is_locked}
    items = due_items(core_plan, progress, deadlines, locked, today, lead_days)
    recipients, names = measure_recipients(plan, list(measures.values()))
    sent = [Sent(s.kind, str(s.measure_id), s.round.months if s.round else None, s.recipient, s.sent_on)
            for s in ReminderSent.objects.filter(measure__plan=plan).select_related("round")]
    unaddressed = list({i.measure_key: measures[i.measure_key] for i in items
                        if not recipients.get(i.measure_key)}.values())
    return PlanReminders(plan, to_send(items, recipients, sent, today), unaddressed, measures, rounds, names)


@dataclass
class Email:
    recipient: str
    subject: str
    body: str
    reminders: list[tuple[PlanReminders, Reminder]]
    error: str = ""          # why sending failed


@dataclass
class RunResult:
    day: dt.date
    emails: list[Email] = field(default_factory=list)
    unaddressed: list[tuple[Plan, PlanMeasure]] = field(default_factory=list)

    @property
    def failed(self) -> list[Email]:
        return [e for e in self.emails if e.error]

    @property
    def reminder_count(self) -> int:
        """Reminders in the e-mails sent (or, dry, to be sent)."""
        return sum(len(e.reminders) for e in self.emails if not e.error)


def _section(found: PlanReminders, reminders: list[Reminder], today: dt.date) -> dict:
    """One plan's part of an e-mail: rounds closing (with their unreported measures), then overdue measures."""
    closing: dict[int, list[PlanMeasure]] = defaultdict(list)
    overdue = []
    position = {key: i for i, key in enumerate(found.measures)}   # the plan's order
    for r in sorted(reminders, key=lambda r: (r.item.date, position[r.item.measure_key])):
        measure = found.measures[r.item.measure_key]
        if r.item.kind == ROUND_CLOSING:
            closing[r.item.months].append(measure)
        else:
            overdue.append({"measure": measure, "due": r.item.date, "days_late": (today - r.item.date).days})
    rounds = [{"round": found.rounds[months], "days_left": (found.rounds[months].ends_on - today).days,
               "measures": measures} for months, measures in closing.items()]
    return {"plan": found.plan, "rounds": rounds, "overdue": overdue, "url": progress_url(found.plan)}


def compose(recipient: str, name: str, parts: list[tuple[PlanReminders, list[Reminder]]], today: dt.date) -> Email:
    sections = [_section(found, reminders, today) for found, reminders in parts]
    if len(parts) == 1:
        plan = parts[0][0].plan
        about = f"{plan.agency.name} ปีงบประมาณ {to_thai_digits(plan.plan_year)}"
    else:
        about = f"{to_thai_digits(len(parts))} แผนมาตรการ"
    kinds = {r.item.kind for _, reminders in parts for r in reminders}
    what = " และ ".join(label for kind, label in ((ROUND_CLOSING, "ใกล้สิ้นรอบรายงาน"), (OVERDUE, "มาตรการเกินกำหนด"))
                        if kind in kinds)
    subject = f"{SUBJECT_PREFIX}แจ้งเตือน{what}: {about}"
    body = render_to_string("progress/email/reminders.txt", {"name": name, "sections": sections, "today": today})
    return Email(recipient, subject, body, [(found, r) for found, reminders in parts for r in reminders])


def collect(today: dt.date, lead_days: int = LEAD_DAYS, agency_id: int | None = None) -> RunResult:
    """Every approved plan's due reminders, one e-mail per address (nothing sent or logged)."""
    plans = Plan.objects.filter(status=Plan.APPROVED).select_related("agency").order_by("agency_id", "plan_year")
    if agency_id is not None:
        plans = plans.filter(agency_id=agency_id)
    result = RunResult(today)
    by_address: dict[str, list[tuple[PlanReminders, list[Reminder]]]] = defaultdict(list)
    spelled: dict[str, tuple[str, str]] = {}
    for plan in plans:
        found = plan_reminders(plan, today, lead_days)
        result.unaddressed.extend((plan, m) for m in found.unaddressed)
        grouped: dict[str, list[Reminder]] = defaultdict(list)
        for reminder in found.reminders:
            key = reminder.recipient.lower()
            grouped[key].append(reminder)
            spelled.setdefault(key, (reminder.recipient, found.names.get(reminder.recipient, "")))
        for key, reminders in grouped.items():
            by_address[key].append((found, reminders))
    for key, parts in by_address.items():
        address, name = spelled[key]
        result.emails.append(compose(address, name, parts, today))
    return result


def _log(email: Email, day: dt.date) -> None:
    ReminderSent.objects.bulk_create([
        ReminderSent(kind=r.item.kind, measure=found.measures[r.item.measure_key],
                     round=found.rounds[r.item.months] if r.item.months is not None else None,
                     recipient=email.recipient, sent_on=day)
        for found, r in email.reminders
    ])


def send_reminders(today: dt.date, lead_days: int = LEAD_DAYS, agency_id: int | None = None,
                   dry_run: bool = False) -> RunResult:
    """Send (or, dry, only find) today's reminders. Each e-mail is logged as soon as it is sent,
    so an address whose e-mail failed gets it on the next run and the others do not get it twice."""
    if dry_run:
        with transaction.atomic():   # finding the reminders may create a plan's default rounds
            result = collect(today, lead_days, agency_id)
            transaction.set_rollback(True)
        return result
    result = collect(today, lead_days, agency_id)
    if not result.emails:
        return result
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:     # smtplib's errors are OSErrors too
        for email in result.emails:
            email.error = str(error)
        return result
    try:
        for email in result.emails:
            message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.recipient],
                                   connection=connection)
            try:
                message.send()
            except OSError as error:
                email.error = str(error)
                continue
            _log(email, today)
    finally:
        connection.close()
    return result
