"""Shared fixtures: the bundled inputs, loaded once, a helper to write files, and the browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.core.reader import bundled_path

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "mini"
EVERY_ANSWER = ph.AssessOptions(min_group=1)
"""The lead's choice to show every group, however small: the tests of how rules read one person's answers use it."""


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests (and the commands they start) keep the checked inputs in a folder of their own, not in ~/.cache."""
    from partnership_health.cli.cache import CACHE_VARIABLE

    before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop(CACHE_VARIABLE, None)
    else:
        os.environ[CACHE_VARIABLE] = before


@pytest.fixture(scope="session")
def questionnaire() -> ph.Questionnaire:
    return ph.load_questionnaire()


@pytest.fixture(scope="session")
def rulebase(questionnaire: ph.Questionnaire) -> ph.RuleBase:
    return ph.load_rulebase(questionnaire=questionnaire)


@pytest.fixture(scope="session")
def mini_questionnaire() -> ph.Questionnaire:
    return ph.load_questionnaire(MINI / "questionnaire.yaml")


@pytest.fixture(scope="session")
def mini_rulebase(mini_questionnaire: ph.Questionnaire) -> ph.RuleBase:
    return ph.load_rulebase(MINI / "rules", mini_questionnaire)


@pytest.fixture
def write(tmp_path: Path):
    """Write ``{relative path: text}`` under tmp_path and return tmp_path."""

    def write_files(files: dict[str, str]) -> Path:
        for name, text in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return tmp_path

    return write_files


def examples() -> list[Path]:
    return sorted(bundled_path("examples").glob("*.yaml"))


# Chromium as the browser tests start it: headless, and quiet on this machine's closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def tool(name: str) -> str:
    """The path of a command-line tool, or skip (fail in CI) when it is not installed."""
    found = shutil.which(name)
    if not found:
        missing(f"{name} is not installed (Debian: see .ci/run)")
    return str(found)


def missing(reason: str) -> None:
    if os.environ.get("PARTNERSHIP_HEALTH_REQUIRE_TOOLS"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def hand_written(questionnaire: ph.Questionnaire) -> ph.Answers:
    """The hand-written answers of five people the survey exports are made from."""
    return ph.load_answers(REPO / "examples" / "riverside.yaml", questionnaire)


@pytest.fixture(scope="session")
def xlsform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled questionnaire's XLSForm, exported once."""
    from partnership_health.cli import main

    path = tmp_path_factory.mktemp("xlsform") / "partnership-health.xlsx"
    assert main(["export", "xlsform", "--output", str(path)]) == 0
    return path
