"""The import-direction contracts of pyproject.toml ([tool.importlinter]), run by `lint-imports`:
the core never imports the web layer nor Django, and each web app imports only the apps below it
(ARCHITECTURE.md). CI runs this file, so an upward import fails the build."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(project: Path, src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300)


def test_the_code_keeps_every_import_contract():
    run = lint_imports(ROOT, ROOT / "src")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def _contracts_section() -> str:
    """The [tool.importlinter] tables of pyproject.toml, as written there."""
    kept, inside = [], False
    for line in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            inside = line.lstrip("[").startswith("tool.importlinter")
        if inside:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _skeleton(tmp_path: Path) -> Path:
    """A package with the project's contracts and one empty module per layer: nothing broken yet."""
    section = _contracts_section()
    (tmp_path / "pyproject.toml").write_text(section, encoding="utf-8")
    web = tmp_path / "src" / "itadesk" / "web"
    for package in (tmp_path / "src" / "itadesk", web):
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text("")
    (tmp_path / "src" / "itadesk" / "plan.py").write_text("")
    for contract in tomllib.loads(section)["tool"]["importlinter"]["contracts"]:
        for layer in contract.get("layers", []):
            for name in layer.replace(":", "|").split("|"):
                (web / name.strip()).mkdir(exist_ok=True)
                (web / name.strip() / "__init__.py").write_text("")
    # The libraries only the web layer may import, imported where they may be.
    (web / "settings.py").write_text("import django\nimport rest_framework\nimport drf_spectacular\n"
                                     "import csp\nimport dj_database_url\n")
    return tmp_path


def test_an_app_importing_an_app_above_it_breaks_the_contract(tmp_path):
    project = _skeleton(tmp_path)
    assert lint_imports(project, project / "src").returncode == 0
    (project / "src/itadesk/web/results/api.py").write_text("from itadesk.web.plans import views\n")
    (project / "src/itadesk/web/plans/views.py").write_text("")
    run = lint_imports(project, project / "src")
    assert run.returncode != 0
    assert "itadesk.web.results is not allowed to import itadesk.web.plans" in run.stdout


def test_the_core_importing_django_or_the_web_breaks_the_contract(tmp_path):
    project = _skeleton(tmp_path)
    (project / "src/itadesk/plan.py").write_text("import django\nfrom itadesk.web import results\n")
    run = lint_imports(project, project / "src")
    assert run.returncode != 0
    assert "The core never imports the web layer BROKEN" in run.stdout
    assert "Only the web layer imports Django and its libraries BROKEN" in run.stdout
    assert "itadesk.plan -> django" in run.stdout
