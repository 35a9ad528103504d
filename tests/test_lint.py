"""The rule linter: the bundled rule base is clean, and every planted mistake is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from partnership_health.cli import main

from .conftest import REPO


def test_the_bundled_rule_base_passes_the_linter(capsys) -> None:
    code = main(["rules", "lint"])

    assert code == 0
    assert capsys.readouterr().out == "the bundled rule base: 0 problems\n"


def plant(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"cannot plant into {path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1))


def test_a_broken_copy_fails_with_every_planted_mistake_named(tmp_path, capsys) -> None:
    rules = Path(shutil.copytree(REPO / "rules", tmp_path / "rules"))
    shutil.copytree(REPO / "features", tmp_path / "features")
    delivery = rules / "delivery.yaml"
    plant(delivery, "question: delivery.actions_have_owners\n", "question: delivery.actions_have_ownr\n")
    plant(delivery, "{fact: meetings_without_actions}", "{fact: meetings_without_action}")
    plant(delivery, "remedies: [appoint-action-owners, draw-up", "remedies: [appoint-action-ownrs, draw-up")
    remedies = rules / "remedies.yaml"
    plant(
        remedies,
        "remedies:\n",
        "remedies:\n  - {id: unused-extra, title: Extra,"
        " steps: [{text: Do it., source: {guide: WRC, section: Lead partners}}]}\n",
    )
    plant(
        remedies,
        "Give every agreed action a named owner\n    steps:\n",
        "Give every agreed action a named owner\n    steps:\n      - Do as we always do.\n",
    )
    (rules / "planted.yaml").write_text(
        """\
rules:
  - id: all-talk.talking-shop
    title: A duplicate id
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "4. Characteristics of effective partnerships: a) All talk no action"}
    explanation: Planted.
    when: {question: communication.core_meeting_weeks, op: ">", value: 60}
    remedies: [appoint-action-owners]
  - id: planted.loop-a
    title: Loop A
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "4. Characteristics of effective partnerships: a) All talk no action"}
    explanation: Planted.
    when: {fact: planted_b}
    asserts: [planted_a]
    remedies: [appoint-action-owners]
  - id: planted.loop-b
    title: Loop B
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "4. Characteristics of effective partnerships: a) All talk no action"}
    explanation: Planted.
    when: {fact: planted_a}
    asserts: [planted_b]
    remedies: [appoint-action-owners]
"""
    )

    code = main(["rules", "lint", str(rules)])

    err = capsys.readouterr().err
    assert code == 1
    expected = [
        "unknown question 'delivery.actions_have_ownr' (did you mean 'delivery.actions_have_owners'?)",
        "no rule asserts the fact 'meetings_without_action' (did you mean 'meetings_without_actions'?)",
        "unknown remedy 'appoint-action-ownrs' (did you mean 'appoint-action-owners'?)",
        "remedy 'appoint-action-owners': steps[0]: the step cites no guide",
        "remedy 'unused-extra': no rule prescribes it",
        "rule id 'all-talk.talking-shop': duplicate rule id",
        "derived facts form a loop: planted_a -> planted_b -> planted_a",
        "no answer can satisfy '> 60': the mean of communication.core_meeting_weeks runs from 0 to 52",
        "rule 'planted.loop-a': no scenario in",
    ]
    missing = [message for message in expected if message not in err]
    assert not missing, err
    assert all(line.startswith(str(rules)) and ".yaml:" in line for line in err.splitlines())


def rules_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO / "rules", tmp_path / "rules"))


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def drop_line_after(path: Path, text: str) -> None:
    """Delete the line that follows the first line containing ``text``."""
    lines = path.read_text().splitlines(keepends=True)
    del lines[line_of(path, text)]
    path.write_text("".join(lines))


def lint_fails(rules: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``rules lint`` prints for a rule base it fails."""
    code = main(["rules", "lint", str(rules), "--features", str(REPO / "features")])
    err = capsys.readouterr().err
    assert code == 1, "the linter passed a broken rule base"
    return err


def test_a_remedy_step_with_neither_source_nor_judgement_is_reported_with_its_file_and_line(tmp_path, capsys) -> None:
    rules = rules_copy(tmp_path)
    remedies = rules / "remedies.yaml"
    drop_line_after(remedies, "Hold a joint planning meeting")  # its source
    line = line_of(remedies, "Hold a joint planning meeting")

    assert lint_fails(rules, capsys).splitlines() == [
        f"{remedies}:{line}:9: remedy 'joint-planning-session': steps[0]: the step cites no guide: "
        "add 'source: {guide, section}' or 'judgement: true' with a one-line 'reason'"
    ]


def test_a_remedy_step_citing_a_section_the_guide_lacks_is_reported_where_it_cites(tmp_path, capsys) -> None:
    rules = rules_copy(tmp_path)
    remedies = rules / "remedies.yaml"
    plant(
        remedies,
        'section: "4. Characteristics of effective partnerships: g) Lack of authority"}',
        'section: "g) Lack of authorty"}',
    )
    line = line_of(remedies, "g) Lack of authorty")

    assert lint_fails(rules, capsys).splitlines() == [
        f"{remedies}:{line}:47: remedies[11].steps[0].source: 'Participate' has no section 'g) Lack of authorty'"
    ]


def test_a_judgement_step_needs_its_reason_and_old_remedy_sources_are_named(tmp_path, capsys) -> None:
    rules = rules_copy(tmp_path)
    remedies = rules / "remedies.yaml"
    drop_line_after(remedies, "Have a senior manager of each partner sign it")  # a reason without 'judgement: true'
    plant(
        remedies,
        "  - id: agree-shared-outcomes\n",
        "  - id: agree-shared-outcomes\n    sources: [{guide: WRC, section: Lead partners}]\n",
    )

    err = lint_fails(rules, capsys)
    assert f"{remedies}:{line_of(remedies, 'Have a senior manager of each partner sign it')}:" in err
    assert "'judgement: true' needs a one-line 'reason'" in err
    assert f"{remedies}:{line_of(remedies, '- id: agree-shared-outcomes')}:" in err
    assert "a remedy's 'sources' come from its steps now: give each step its own 'source'" in err


def test_the_coverage_table_in_rules_readme_is_up_to_date(capsys) -> None:
    code = main(["rules", "coverage"])

    assert code == 0
    assert capsys.readouterr().out == (REPO / "rules" / "README.md").read_text(), (
        "rules/README.md is stale: run partnership-health rules coverage > rules/README.md"
    )


def test_every_failure_mode_is_diagnosed_by_a_rule(rulebase) -> None:
    diagnosed = {rule.failure_mode for rule in rulebase.rules}

    assert len(rulebase.failure_modes) == 30
    assert {mode.id for mode in rulebase.failure_modes} == diagnosed


def test_the_readme_states_the_questionnaire_length(questionnaire) -> None:
    readme = (REPO / "README.md").read_text()

    assert f"The questionnaire has {len(questionnaire.questions)} questions" in readme
