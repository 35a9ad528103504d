"""``--version`` and ``--help`` are answered before the engine is imported; the version is the package metadata's."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

from partnership_health.cli import installed_version

from .test_start import imported_by

# What telling a command's options needs none of: the models and the core (pydantic), YAML,
# Jinja, durable-rules, the store, the web app, PDF and spreadsheets.
ENGINE = (
    "partnership_health.core",
    "partnership_health.models",
    "partnership_health.options",
    "partnership_health.reporting.render",
    "partnership_health.store.sqlite",
    "partnership_health.surveys.importing",
    "partnership_health.web",
    "pydantic",
    "yaml",
    "jinja2",
    "durable",
    "durable_rules_engine",
    "sqlite3",
    "starlette",
    "weasyprint",
    "openpyxl",
)


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


def test_help_of_the_program_and_of_every_command_is_told_without_importing_the_engine() -> None:
    """Every command line ``partnership-health [COMMAND [ACTION]] --help``, all in one fresh process."""
    code = (
        "import argparse, io, json, sys\n"
        "from partnership_health.cli import main\n"
        "from partnership_health.cli.program import _parser\n"
        "def commands(parser, words):\n"
        "    yield words\n"
        "    for action in parser._actions:\n"
        "        if isinstance(action, argparse._SubParsersAction):\n"
        "            for name, sub in action.choices.items():\n"
        "                yield from commands(sub, [*words, name])\n"
        "told = {}\n"
        "for words in commands(_parser(), []):\n"
        "    out = io.StringIO()\n"
        "    sys.stdout = out\n"
        "    code = main([*words, '--help'], out)\n"
        "    sys.stdout = sys.__stdout__\n"
        "    told[' '.join(words)] = (code, out.getvalue())\n"
        "print(json.dumps({'told': told, 'modules': sorted(sys.modules)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    told = found["told"]
    assert {"", "assess", "demo", "assess-many", "round create", "history show", "lead add", "import"} <= set(told)
    for command, (code, text) in told.items():
        assert code == 0 and text.startswith(f"usage: partnership-health {command}".rstrip()), command
    assert "--min-group N" in told["assess"][1] and "{csv,html,json,md,pdf}" in told["assess"][1]
    assert sorted(m for m in found["modules"] if m.startswith(ENGINE)) == []
