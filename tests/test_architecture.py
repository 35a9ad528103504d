"""The architecture holds: the import contracts in pyproject.toml (docs/architecture.md draws them).

import-linter checks that each part imports only the parts below it (nothing imports the
command line), that the core pipeline and the models import no database, web, template,
PDF or spreadsheet library, that only the store opens SQLite and only the runner drives
durable-rules, and that no part's modules import each other in a cycle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path, package_folder: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the repository's contracts, on the installed package or on a copy of it."""
    env = {**os.environ}
    if package_folder is not None:  # a folder holding a partnership_health package, found before the installed one
        env["PYTHONPATH"] = str(package_folder)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(REPO / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold(tmp_path: Path) -> None:
    result = lint_imports(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("core/facts.py", "from ..web import app", "partnership_health.core.facts -> partnership_health.web.app"),
        (
            "reporting/render.py",
            "from ..cli import program",
            "partnership_health.reporting.render -> partnership_health.cli",
        ),
        ("core/explain.py", "import sqlite3", "partnership_health.core.explain -> sqlite3"),
        ("web/shared.py", "import sqlite3", "partnership_health.web.shared -> sqlite3"),
        ("store/history.py", "import durable_rules_engine", "partnership_health.store.history -> durable_rules_engine"),
        (
            "core/checks.py",
            "from . import assessment",
            "No cycles are allowed in partnership_health.core.",
        ),
    ],
    ids=[
        "core imports the web app",
        "reporting imports the command line",
        "core opens sqlite",
        "the web app opens sqlite",
        "the store drives durable",
        "a cycle in core",
    ],
)
def test_a_planted_import_breaks_the_contracts(tmp_path: Path, module: str, planted: str, broken: str) -> None:
    copy = tmp_path / "planted" / "partnership_health"
    shutil.copytree(REPO / "engine", copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / module).open("a", encoding="utf-8") as file:
        file.write(f"\n{planted}  # planted by the test\n")

    result = lint_imports(tmp_path, package_folder=tmp_path / "planted")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and broken in result.stdout, result.stdout
