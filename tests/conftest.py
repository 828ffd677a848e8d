from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def seed000_csv() -> Path:
    """Seed 000's real FY2567 scores (a real agency's ITAS report)."""
    return DATA / "seed000-2567.csv"


@pytest.fixture
def demo_agency() -> Path:
    return ROOT / "demo" / "agency.yaml"


@pytest.fixture
def demo_results() -> Path:
    return ROOT / "demo" / "results-2567.yaml"


@pytest.fixture(autouse=True)
def _isolated_user_criteria(tmp_path_factory, monkeypatch):
    """Tests never read or write the real user criteria folder."""
    monkeypatch.setenv("ITADESK_CRITERIA_DIR", str(tmp_path_factory.mktemp("user-criteria")))
    from itadesk.criteria.loader import forget_loaded_criteria

    forget_loaded_criteria()
    yield
    forget_loaded_criteria()
