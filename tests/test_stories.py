"""Stories in the rule base: failure modes that share a cause, told to the room as one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import partnership_health as ph
from partnership_health.cli import main

from .conftest import REPO
from .test_lint import plant


def test_every_story_joins_known_failure_modes_each_told_once(rulebase: ph.RuleBase) -> None:
    modes = {mode.id for mode in rulebase.failure_modes}
    told = [mode for story in rulebase.stories for mode in story.failure_modes]
    assert rulebase.stories, "the bundled rule base tells stories"
    assert set(told) <= modes
    assert len(told) == len(set(told))
    for story in rulebase.stories:
        assert story.source or (story.judgement and story.reason), story.id


def test_the_linter_names_a_story_with_an_unknown_or_twice_told_failure_mode(tmp_path: Path, capsys) -> None:
    rules = Path(shutil.copytree(REPO / "rules", tmp_path / "rules"))
    shutil.copytree(REPO / "features", tmp_path / "features")
    settings = rules / "rulebase.yaml"
    plant(settings, "failure_modes: [power_imbalance, ", "failure_modes: [power_imbalanse, ")
    plant(settings, "failure_modes: [bureaucracy_overload, ", "failure_modes: [poor_communication, ")

    assert main(["rules", "lint", str(rules)]) != 0
    out = capsys.readouterr().err
    assert re.search(
        r"rulebase\.yaml:\d+:\d+: .*story 'power_held_by_one'.*unknown failure mode 'power_imbalanse'", out
    )
    assert "did you mean 'power_imbalance'" in out
    assert re.search(r"story 'time_stretched'.*'poor_communication' is already told in story 'out_of_touch'", out)


def test_a_story_must_cite_a_guide_or_be_marked_as_judgement(tmp_path: Path, capsys) -> None:
    rules = Path(shutil.copytree(REPO / "rules", tmp_path / "rules"))
    plant(
        rules / "rulebase.yaml",
        '    source: {guide: Help through Crisis, section: "How to make partnerships work: 1. Co-operation"}\n',
        "",
    )
    assert main(["rules", "lint", str(rules)]) != 0
    assert re.search(r"rulebase\.yaml:\d+:\d+: stories\[0\].*a story is either cited", capsys.readouterr().err)
