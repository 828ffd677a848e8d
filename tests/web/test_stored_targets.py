"""A plan's measures keep their targets as JSON. Rows written by today's code load, and so do
rows with a key a later version added or without one it no longer writes: adding a field to the
core ``Target`` never breaks the plans already stored."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_targets_written_today_load_back_as_generated(world):
    from itadesk.knowledge import load_knowledge
    from itadesk.plan import generate_plan
    from itadesk.web.plans.models import PlanMeasure
    from itadesk.web.plans.services import create_plan
    from itadesk.web.results.services import year_analysis

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    stored = list(PlanMeasure.objects.filter(plan=plan).values_list("targets", flat=True))
    assert stored and all(stored)
    assert set(stored[0][0]) == {"code", "name", "score", "status"}   # the shape written today

    generated = generate_plan(year_analysis(world["a"], 2567), load_knowledge(), world["a"].profile())
    loaded = plan.as_core_plan()
    assert [m.targets for m in loaded.measures] == [m.targets for m in generated.measures]


def test_a_key_unknown_today_is_ignored_and_a_missing_one_defaulted(world):
    from itadesk.plan import MAINTAIN
    from itadesk.web.plans.models import PlanMeasure
    from itadesk.web.plans.services import create_plan

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    row = plan.measures.first()
    first = dict(row.targets[0])
    later = {**first, "weight": 2.5, "source": "ITAS"}        # written by a later version
    earlier = {"code": first["code"], "score": first["score"]}  # without name and status
    PlanMeasure.objects.filter(pk=row.pk).update(targets=[later, earlier])

    plan.refresh_from_db()
    targets = next(m for m in plan.as_core_plan().measures if m.measure_id == row.measure_id).targets
    assert (targets[0].code, targets[0].name, targets[0].score, targets[0].status) == (
        first["code"], first["name"], first["score"], first["status"])
    assert (targets[1].code, targets[1].name, targets[1].score, targets[1].status) == (
        first["code"], "", first["score"], MAINTAIN)
