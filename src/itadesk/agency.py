"""Agency profile: who the agency is, its departments and who signs its documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from itadesk.datafile import read_yaml_or_json
from itadesk.emblem import Emblem, load_emblem
from itadesk.errors import InputError, Problem

SIGNATORY_ROLES = ("preparer", "head_of_office", "endorser", "approver")
REQUIRED_SIGNATORIES = ("preparer", "endorser", "approver")
# A local government's full name opens with its kind; the title of its chief executive (approver)
# is built from the rest of the name. Every one of them has a ปลัด (the endorser).
_LOCAL_EXECUTIVES = (
    ("องค์การบริหารส่วน", "นายกองค์การบริหารส่วน"),  # นายกองค์การบริหารส่วนตำบล…
    ("เทศบาล", "นายกเทศมนตรี"),                    # เทศบาลตำบล… -> นายกเทศมนตรีตำบล…
    ("เมืองพัทยา", "นายกเมืองพัทยา"),
    ("กรุงเทพมหานคร", "ผู้ว่าราชการกรุงเทพมหานคร"),
)


@dataclass(frozen=True)
class Person:
    name: str
    position: str


@dataclass(frozen=True)
class Department:
    name: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agency:
    name: str                      # องค์การบริหารส่วนตำบลบ้านสวนหอม
    type: str                      # อบต. / เทศบาลตำบล / …
    district: str
    province: str
    office: str                    # unit that prepares the documents (ส่วนราชการ of the memo)
    reference: str                 # memo number prefix (ที่), e.g. "นม ๗๘๙๐๑"
    departments: tuple[Department, ...]
    signatories: dict[str, Person] = field(default_factory=dict)
    website: str = ""
    emblem: Emblem | None = None   # printed at the top left of every memo

    @property
    def place(self) -> str:
        return f"อำเภอ{self.district} จังหวัด{self.province}"

    def department_for(self, role: str) -> str | None:
        return next((d.name for d in self.departments if role in d.roles), None)

    def position_of(self, role: str) -> str:
        """The full title of the profile's ``role`` signatory (head_of_office, endorser, approver),
        else the title the post has in an agency of this kind: ปลัด and นายก with the local
        government's name, the head of the preparing office, or a generic wording elsewhere."""
        person = self.signatories.get(role)
        if person is not None:
            return person.position
        if role == "head_of_office":
            return ("ผู้อำนวยการ" if self.office.startswith("กอง") else "หัวหน้า") + self.office
        local = next(((kind, title) for kind, title in _LOCAL_EXECUTIVES if self.name.startswith(kind)), None)
        if role == "endorser":
            return f"ปลัด{self.name}" if local else "ผู้บริหารที่ได้รับมอบหมาย"
        if role == "approver":
            return local[1] + self.name[len(local[0]):] if local else "หัวหน้าหน่วยงาน"
        raise ValueError(f"no position for signatory role {role!r}")


def _text(data: dict, key: str, source: str, problems: list[Problem], required: bool = True) -> str:
    value = data.get(key)
    if value is None or str(value).strip() == "":
        if required:
            problems.append(Problem(f"ต้องระบุ {key}", source, key))
        return ""
    if not isinstance(value, (str, int)):
        problems.append(Problem(f"{key} ต้องเป็นข้อความ", source, key, value))
        return ""
    return str(value).strip()


def parse_agency(data: object, source: str, base: Path | None = None) -> Agency:
    """``base``: the folder an ``emblem: file.png`` path is relative to (the profile's folder)."""
    if not isinstance(data, dict):
        raise InputError.single("โปรไฟล์หน่วยงานต้องเป็นรายการ key: value", source)
    problems: list[Problem] = []
    name = _text(data, "name", source, problems)
    agency_type = _text(data, "type", source, problems)
    district = _text(data, "district", source, problems)
    province = _text(data, "province", source, problems)
    office = _text(data, "office", source, problems)
    reference = _text(data, "reference", source, problems, required=False)
    website = _text(data, "website", source, problems, required=False)

    departments = []
    raw_departments = data.get("departments") or []
    if not isinstance(raw_departments, list) or not raw_departments:
        problems.append(Problem("ต้องมีรายการ departments อย่างน้อยหนึ่งหน่วย", source, "departments"))
        raw_departments = []
    for i, raw in enumerate(raw_departments, start=1):
        if not isinstance(raw, dict) or not raw.get("name"):
            problems.append(Problem("แต่ละหน่วยต้องมี name", source, f"departments รายการที่ {i}", raw))
            continue
        roles = raw.get("roles") or []
        if not isinstance(roles, list):
            problems.append(Problem("roles ต้องเป็นรายการ", source, f"departments รายการที่ {i}", roles))
            roles = []
        departments.append(Department(str(raw["name"]), tuple(str(r) for r in roles)))

    signatories: dict[str, Person] = {}
    raw_signatories = data.get("signatories") or {}
    if not isinstance(raw_signatories, dict):
        problems.append(Problem("signatories ต้องเป็นรายการตามบทบาท", source, "signatories"))
        raw_signatories = {}
    for role, person in raw_signatories.items():
        if role not in SIGNATORY_ROLES:
            problems.append(Problem(
                f"ไม่รู้จักบทบาทผู้ลงนาม (ใช้ {', '.join(SIGNATORY_ROLES)})", source, "signatories", role
            ))
            continue
        if not isinstance(person, dict) or not person.get("name") or not person.get("position"):
            problems.append(Problem("ผู้ลงนามต้องมี name และ position", source, f"signatories.{role}", person))
            continue
        signatories[role] = Person(str(person["name"]), str(person["position"]))
    for role in REQUIRED_SIGNATORIES:
        if role not in signatories and not any(p.row == f"signatories.{role}" for p in problems):
            problems.append(Problem(f"ต้องมีผู้ลงนามบทบาท {role}", source, "signatories"))

    emblem = None
    emblem_path = _text(data, "emblem", source, problems, required=False)
    if emblem_path:
        try:
            emblem = load_emblem((base or Path.cwd()) / emblem_path)
        except InputError as exc:
            problems += [Problem(f"emblem: {p.message}", source, "emblem", emblem_path) for p in exc.problems]

    if problems:
        raise InputError(problems)
    return Agency(name, agency_type, district, province, office, reference, tuple(departments), signatories,
                  website, emblem)


def load_agency(path: str | Path) -> Agency:
    path = Path(path)
    return parse_agency(read_yaml_or_json(path, "ไม่พบไฟล์โปรไฟล์หน่วยงาน"), str(path), path.parent)
