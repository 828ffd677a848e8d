"""Approved means frozen: what an approved plan's documents are made from, kept at approval.

At approval the plan keeps a JSON snapshot of the scores it was analysed from (the assessed year
and the year before, for the changes) and of the agency profile (names, departments, signatories,
emblem). Until an admin reopens the plan, its documents are built from that snapshot, never from
the scores or profile as they are now, and the first documents rendered after approval are kept
(``FrozenDocument``), so every later download is byte-identical.
"""

from __future__ import annotations

import base64

from itadesk import agency as core
from itadesk.emblem import read_emblem
from itadesk.results import Results
from itadesk.web.results.services import results_json

VERSION = 1


def profile_json(profile: core.Agency) -> dict:
    return {
        "name": profile.name, "type": profile.type, "district": profile.district, "province": profile.province,
        "office": profile.office, "reference": profile.reference, "website": profile.website,
        "departments": [{"name": d.name, "roles": list(d.roles)} for d in profile.departments],
        "signatories": {role: {"name": p.name, "position": p.position} for role, p in profile.signatories.items()},
        "emblem": base64.b64encode(profile.emblem.data).decode("ascii") if profile.emblem else None,
    }


def profile_from_json(data: dict) -> core.Agency:
    emblem = read_emblem(base64.b64decode(data["emblem"]), "ตราหน่วยงาน") if data.get("emblem") else None
    return core.Agency(
        name=data["name"], type=data["type"], district=data["district"], province=data["province"],
        office=data["office"], reference=data["reference"], website=data["website"],
        departments=tuple(core.Department(d["name"], tuple(d["roles"])) for d in data["departments"]),
        signatories={role: core.Person(p["name"], p["position"]) for role, p in data["signatories"].items()},
        emblem=emblem,
    )


def snapshot(results: Results, previous: Results | None, profile: core.Agency) -> dict:
    return {"version": VERSION, "results": results_json(results), "previous": results_json(previous),
            "profile": profile_json(profile)}
