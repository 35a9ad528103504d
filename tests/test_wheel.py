"""A wheel built from the repository works in a new virtual environment outside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import engine

from .conftest import REPO


def test_an_installed_wheel_runs_the_demo_outside_the_repository(tmp_path: Path) -> None:
    dist, venv, work = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    work.mkdir()
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], check=True, capture_output=True
    )
    wheel = next(dist.glob("partnership_health-*.whl"))
    assert "engine/py.typed" in zipfile.ZipFile(wheel).namelist()  # type checkers see the package's types
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)

    result = subprocess.run(
        [str(venv / "bin" / "partnership-health"), "demo", "--output", "report.html"],
        cwd=work,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "<svg" in (work / "report.html").read_text()
    version = subprocess.run(
        [str(venv / "bin" / "partnership-health"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"partnership-health {engine.__version__}"
