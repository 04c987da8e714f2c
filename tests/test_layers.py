"""The layers contract (import-linter, ``pyproject.toml``) holds, and catches what it must."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "organisations", "incidents")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's code, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def add_function(path: Path, body: str) -> None:
    path.write_text(path.read_text() + f"\n\ndef _added():\n    {body}\n")


def test_the_project_keeps_its_layers(project):
    result = lint_imports(project)
    assert result.returncode == 0, result.stdout
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(project):
    add_function(project / "tracker" / "access.py", "from incidents.models import Raid")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "tracker.access -> incidents.models" in result.stdout


def test_organisations_may_not_import_incidents(project):
    add_function(project / "organisations" / "merging.py", "import incidents.reports")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "organisations.merging -> incidents.reports" in result.stdout


def test_a_cycle_between_modules_of_a_package_breaks_the_contract(project):
    add_function(project / "tracker" / "review.py", "from tracker.models import PurgeLog")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "No cycles are allowed in tracker" in result.stdout
