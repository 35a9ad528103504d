"""Shared fixtures: the bundled inputs, loaded once, and a helper to write files."""

from __future__ import annotations

from pathlib import Path

import pytest

import engine
from engine.loading import bundled_path

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "mini"


@pytest.fixture(scope="session")
def questionnaire() -> engine.Questionnaire:
    return engine.load_questionnaire()


@pytest.fixture(scope="session")
def rulebase(questionnaire: engine.Questionnaire) -> engine.RuleBase:
    return engine.load_rulebase(questionnaire=questionnaire)


@pytest.fixture(scope="session")
def mini_questionnaire() -> engine.Questionnaire:
    return engine.load_questionnaire(MINI / "questionnaire.yaml")


@pytest.fixture(scope="session")
def mini_rulebase(mini_questionnaire: engine.Questionnaire) -> engine.RuleBase:
    return engine.load_rulebase(MINI / "rules", mini_questionnaire)


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
