"""``--version`` is answered before the engine is imported, and says what the package metadata says."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from partnership_health.cli import installed_version

from .test_start import imported_by


def test_the_version_is_told_without_importing_the_engine() -> None:
    imported = imported_by("--version")
    engine = sorted(m for m in imported if m.startswith(("partnership_health.", "pydantic", "yaml", "jinja2")))
    assert engine == ["partnership_health.cli"]


def test_the_version_told_quickly_is_the_package_metadata_s(tmp_path) -> None:
    assert installed_version() == metadata.version("partnership-health")
    for where in (tmp_path, None):  # from another folder, and from the checkout (which may hold an egg-info)
        result = subprocess.run(
            [sys.executable, "-m", "partnership_health.cli", "--version"], capture_output=True, text=True, cwd=where
        )
        assert result.stdout == f"partnership-health {metadata.version('partnership-health')}\n"
        assert result.returncode == 0
