import functools
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


@pytest.fixture(scope="session")
def _shipped_criteria_parsed_once():
    """The shipped criteria files (criteria/data) read once per test run instead of once per
    test: every test starts with the loader's caches emptied (below), and reading the shipped
    files again (what each declares, then the year's criteria, validated) cost 0.3-1 s a test.
    Each test still gets its own copy of a year's criteria (a test changing one changes no other
    test's); files of a user criteria folder, and a shipped file whose mtime changed, are read as
    the program reads them."""
    import copy

    from itadesk.criteria import loader

    real_load, real_declared = loader._load_file, loader._declared
    parsed: dict = {}
    declared: dict = {}

    def shipped(path: str) -> bool:
        return Path(path).parent == loader.DATA_DIR

    @functools.lru_cache(maxsize=64)
    def load_file(path: str, mtime_ns: int, fiscal_year: int):
        if not shipped(path):
            return real_load.__wrapped__(path, mtime_ns, fiscal_year)
        key = (path, mtime_ns, fiscal_year)
        if key not in parsed:
            parsed[key] = real_load.__wrapped__(path, mtime_ns, fiscal_year)
        return copy.deepcopy(parsed[key])

    @functools.lru_cache(maxsize=256)
    def declared_by(path: str, mtime_ns: int):
        if not shipped(path):
            return real_declared.__wrapped__(path, mtime_ns)
        if (path, mtime_ns) not in declared:
            declared[path, mtime_ns] = real_declared.__wrapped__(path, mtime_ns)
        return declared[path, mtime_ns]   # (urn, version) or None: nothing a test could change

    loader._load_file, loader._declared = load_file, declared_by
    yield
    loader._load_file, loader._declared = real_load, real_declared


@pytest.fixture(autouse=True)
def _isolated_user_criteria(tmp_path_factory, monkeypatch, _shipped_criteria_parsed_once):
    """Tests never read or write the real user criteria folder."""
    monkeypatch.setenv("ITADESK_CRITERIA_DIR", str(tmp_path_factory.mktemp("user-criteria")))
    from itadesk.criteria.loader import forget_loaded_criteria

    forget_loaded_criteria()
    yield
    forget_loaded_criteria()
