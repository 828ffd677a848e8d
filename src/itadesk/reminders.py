"""Which reminders are due: a round about to close, a measure past its due date.

Pure selection, no sending: the web side gathers the plan (measures keyed as in the progress
report), the rounds' locks, the recipients of each measure and the reminders already sent, and
e-mails what ``to_send`` returns. A daily run therefore sends

- ``round_closing`` once per measure, round and recipient, from ``lead_days`` before the end of an
  unlocked round, for a measure neither finished nor reported in that round;
- ``overdue`` at most once every ``OVERDUE_EVERY_DAYS`` per measure and recipient, for a measure
  past its due date whose latest report is not done or cancelled, until the plan's last round is
  locked (the year's report is closed: nothing can be reported any more).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from itadesk.plan import MeasuresPlan
from itadesk.progress import ProgressReport, deadline, is_finished, overdue

ROUND_CLOSING = "round_closing"
OVERDUE = "overdue"
LEAD_DAYS = 7
OVERDUE_EVERY_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    """Something to remind about: ``months`` is the round (None for an overdue measure); ``date``
    is the round's end or the measure's due date."""

    kind: str
    measure_key: str
    months: int | None
    date: dt.date


@dataclass(frozen=True)
class Sent:
    """A reminder e-mailed before: what, about which measure and round, to whom, on which day."""

    kind: str
    measure_key: str
    months: int | None
    recipient: str
    day: dt.date


@dataclass(frozen=True)
class Reminder:
    item: DueItem
    recipient: str


def due_items(plan: MeasuresPlan, progress: ProgressReport, deadlines: Mapping[str, dt.date],
              locked_months: Collection[int], today: dt.date, lead_days: int = LEAD_DAYS) -> list[DueItem]:
    """What is due today for ``plan``'s measures, whoever it goes to.

    ``deadlines`` maps a measure to its due date (a measure without one is due at the end of the
    fiscal year); ``locked_months`` are the rounds already locked."""
    items: list[DueItem] = []
    last_day = today + dt.timedelta(days=lead_days)
    for rnd in progress.rounds:
        if rnd.months in locked_months or not today <= rnd.end <= last_day:
            continue
        for measure in plan.measures:
            key = measure.measure_id
            reported = rnd.months in progress.entries.get(key, {})
            if not reported and not is_finished(progress.entry(key, rnd).status):
                items.append(DueItem(ROUND_CLOSING, key, rnd.months, rnd.end))
    year_closed = bool(progress.rounds) and progress.rounds[-1].months in locked_months
    if not year_closed:
        for key in overdue(plan, progress, deadlines, today):
            items.append(DueItem(OVERDUE, key, None, deadline(key, deadlines, plan.plan_year)))
    return items


def to_send(items: Iterable[DueItem], recipients: Mapping[str, Sequence[str]], sent: Iterable[Sent],
            today: dt.date) -> list[Reminder]:
    """Each due item for each of its measure's recipients, less what was already sent: a round's
    closing once, an overdue measure again only after ``OVERDUE_EVERY_DAYS``."""
    already: set[tuple[str, str, int | None, str]] = set()
    for s in sent:
        recent = (today - s.day).days < OVERDUE_EVERY_DAYS
        if s.kind == ROUND_CLOSING or recent:
            already.add((s.kind, s.measure_key, s.months, s.recipient.lower()))
    return [Reminder(item, address)
            for item in items
            for address in dict.fromkeys(recipients.get(item.measure_key, ()))
            if (item.kind, item.measure_key, item.months, address.lower()) not in already]


def responsible_units(responsible: str, unit_names: Iterable[str]) -> list[str]:
    """The agency's units named in a measure's responsible text, in the order they appear.

    "สำนักปลัด (งานประชาสัมพันธ์) / กองคลัง (งานพัสดุ)" names สำนักปลัด and กองคลัง. Thai has no
    spaces between words, so a unit is found as a substring; a name found only inside a longer
    unit's name ("กองช่าง" in "กองช่างสุขาภิบาล") does not count."""
    text = _squeeze(responsible)
    found: list[tuple[int, int, str]] = []
    for name in dict.fromkeys(unit_names):
        needle = _squeeze(name)
        if needle:
            found.extend((m.start(), m.start() + len(needle), name)
                         for m in re.finditer(re.escape(needle), text))
    kept = [(start, end, name) for start, end, name in found
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)]
    return list(dict.fromkeys(name for _, _, name in sorted(kept)))


def _squeeze(text: str) -> str:
    return " ".join(text.split())
