"""The agency profile file an officer fills in once."""

import pytest

from itadesk.agency import load_agency
from itadesk.errors import InputError


def test_demo_profile_maps_roles_to_the_agencys_departments(demo_agency):
    agency = load_agency(demo_agency)
    assert agency.department_for("procurement") == "กองคลัง"
    assert agency.department_for("internal_audit") == "หน่วยตรวจสอบภายใน"
    assert agency.department_for("nonexistent") is None
    assert agency.place == "อำเภอโนนสูง จังหวัดนครราชสีมา"
    assert agency.signatories["approver"].position.startswith("นายก")


def test_missing_fields_and_signatories_are_all_reported(tmp_path):
    path = tmp_path / "agency.yaml"
    path.write_text("name: อบต.ทดสอบ\ndepartments: []\nsignatories:\n  preparer: {name: ก}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_agency(path)
    text = str(caught.value)
    for expected in ("district", "province", "office", "departments", "signatories.preparer", "approver"):
        assert expected in text
    assert "agency.yaml" in text


def test_unknown_signatory_role_is_named(tmp_path, demo_agency):
    text = demo_agency.read_text(encoding="utf-8") + "  treasurer: {name: ข, position: ค}\n"
    path = tmp_path / "agency.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="treasurer"):
        load_agency(path)


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "agency.yaml"
    path.write_text("name: [x\n", encoding="utf-8")
    with pytest.raises(InputError, match="บรรทัด"):
        load_agency(path)


def test_the_emblem_named_in_the_profile_is_read_and_checked(tmp_path, demo_agency):
    from itadesk.agency import load_agency

    agency = load_agency(demo_agency)
    assert agency.emblem is not None and agency.emblem.kind == "png" and agency.emblem.width >= 16
    profile = tmp_path / "agency.yaml"
    (tmp_path / "emblem.png").write_bytes(b"GIF89a not an emblem")
    profile.write_text(demo_agency.read_text("utf-8"), "utf-8")
    with pytest.raises(InputError) as caught:
        load_agency(profile)
    (problem,) = caught.value.problems
    assert problem.row == "emblem" and "PNG หรือ JPEG" in problem.message
