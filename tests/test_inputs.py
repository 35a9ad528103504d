"""Bad input gets one clear, located line per problem, all at once, and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main

from .conftest import MINI

MINI_ARGS = ["--rules", str(MINI / "rules"), "--questionnaire", str(MINI / "questionnaire.yaml")]

THREE_MISTAKES = """\
partnership: Mini partnership
assessed_on: 2026-10-01
questionnaire: {id: mini, version: "1"}
respondents:
  - id: lead
    organisation: Library
    role: lead
    answers:
      delivery.actions_have_ownrs: 2
      authority.decisions_shared: 7
  - id: core1
    organisation: Youth Trust
    role: partner
    answers:
      authority.agreement: yes
"""


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_three_mistakes_are_all_named_with_their_lines_and_nothing_is_written(write, capsys) -> None:
    folder = write({"answers.yaml": THREE_MISTAKES})
    output = folder / "report.md"

    code, out, err = run("assess", str(folder / "answers.yaml"), "--output", str(output), *MINI_ARGS, capsys=capsys)

    assert code == 1
    assert "answers.yaml:9:7: respondent 'lead': delivery.actions_have_ownrs: unknown question" in err
    assert "(did you mean 'delivery.actions_have_owners'?)" in err
    assert "answers.yaml:10:35: respondent 'lead': authority.decisions_shared: must be from 1 to 5 (got 7)" in err
    assert "answers.yaml:13:11: respondent 'core1': role:" in err and "'partner'" in err
    assert err.startswith("3 problems found:")
    assert "Traceback" not in err
    assert not output.exists()


def test_a_failed_run_leaves_an_earlier_report_untouched(write, capsys) -> None:
    folder = write({"answers.yaml": THREE_MISTAKES, "report.md": "last year's report\n"})

    code, _, _ = run(
        "assess", str(folder / "answers.yaml"), "--output", str(folder / "report.md"), *MINI_ARGS, capsys=capsys
    )

    assert code == 1
    assert (folder / "report.md").read_text() == "last year's report\n"


def test_answers_for_another_questionnaire_version_are_refused(write, mini_questionnaire) -> None:
    folder = write({"answers.yaml": (MINI / "answers.yaml").read_text().replace('version: "1"', 'version: "2"')})

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(folder / "answers.yaml", mini_questionnaire)

    assert (
        "answers.yaml:3:16: questionnaire: answers are for questionnaire 2, this is 1; see README 'Upgrading answers'"
        in str(error.value)
    )
    assert len(error.value.issues) == 1, "the version is the one problem named, not every answer it explains"


def test_duplicate_respondents_and_repeated_answers_are_reported(write, mini_questionnaire) -> None:
    text = """\
partnership: P
assessed_on: 2026-10-01
questionnaire: {id: mini, version: "1"}
respondents:
  - {id: a, name: Sam Jones, organisation: Library, role: lead, answers: {delivery.talk_only: 2}}
  - {id: a, organisation: School, role: core, answers: {delivery.talk_only: 2, delivery.talk_only: 3}}
  - {id: c, name: sam jones, organisation: Library, role: core}
"""
    folder = write({"answers.yaml": text})

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(folder / "answers.yaml", mini_questionnaire)

    messages = str(error.value)
    assert "answers.yaml:6:10: respondent 'a': duplicate respondent id" in messages
    assert "answers.yaml:6:80: delivery.talk_only: appears twice in the same mapping" in messages
    assert (
        "answers.yaml:7:19: respondent 'c': has the same name and organisation as respondent 'a': "
        "one person answers twice" in messages
    )
    assert "sam jones" not in messages.casefold()  # names are never printed


def test_answers_of_the_wrong_type_name_what_was_expected(write, mini_questionnaire) -> None:
    text = """\
partnership: P
assessed_on: 2026-10-01
questionnaire: {id: mini, version: "1"}
respondents:
  - id: a
    organisation: Library
    role: lead
    answers:
      delivery.talk_only: 3.5
      authority.meeting_weeks: 60
      authority.type: joint
      authority.agreement: maybe
"""
    folder = write({"answers.yaml": text})

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(folder / "answers.yaml", mini_questionnaire)

    assert [issue.message for issue in error.value.issues] == [
        "must be a whole number from 1 to 5, or dont_know (got 3.5)",
        "must be from 0 to 52 weeks (got 60)",
        "must be one of cooperative, collaborative or dont_know (got 'joint')",
        "must be yes, no or dont_know (got 'maybe')",
    ]
    assert [issue.location.line for issue in error.value.issues] == [9, 10, 11, 12]


def test_a_json_answers_file_works_like_yaml(write, mini_questionnaire) -> None:
    text = """{"partnership": "P", "assessed_on": "2026-10-01", "questionnaire": {"id": "mini", "version": "1"},
 "respondents": [{"id": "a", "organisation": "Library", "role": "lead", "answers": {"delivery.talk_only": 2}}]}"""
    folder = write({"answers.json": text})

    answers = ph.load_answers(folder / "answers.json", mini_questionnaire)

    assert answers.respondents[0].answers == {"delivery.talk_only": 2}


def test_a_yaml_syntax_error_is_located(write, mini_questionnaire) -> None:
    folder = write({"answers.yaml": "partnership: P\nrespondents: [\n  - id: a\n"})

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(folder / "answers.yaml", mini_questionnaire)

    assert str(error.value.issues[0]).startswith(f"{folder / 'answers.yaml'}:3:")


def copy_mini_rules(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI / "rules", tmp_path / "rules"))


def test_rule_mistakes_are_located_with_a_suggestion(tmp_path, mini_questionnaire) -> None:
    rules = copy_mini_rules(tmp_path)
    core = rules / "core.yaml"
    core.write_text(
        core.read_text()
        .replace("delivery.actions_have_owners, op", "delivery.actions_have_ownr, op")
        .replace("remedies: [share-decisions]", "remedies: [share-decision]")
        .replace('role: core, op: "<=", value: 2.5', 'role: core, op: ">", value: 5')
    )

    with pytest.raises(ph.InputError) as error:
        ph.load_rulebase(rules, mini_questionnaire)

    lines = [str(issue) for issue in error.value.issues]
    assert any(
        line.startswith(
            f"{core}:10:11: rule 'talk.no-owners': when.any[0]: unknown question 'delivery.actions_have_ownr'"
        )
        and "did you mean 'delivery.actions_have_owners'" in line
        for line in lines
    ), lines
    assert any("unknown remedy 'share-decision' (did you mean 'share-decisions'?)" in line for line in lines), lines
    assert any(
        "when.all[1]: no answer can satisfy '> 5': the mean of authority.decisions_shared runs from 1 to 5" in line
        for line in lines
    ), lines


def test_a_loop_of_derived_facts_is_refused(tmp_path, mini_questionnaire) -> None:
    rules = copy_mini_rules(tmp_path)
    (rules / "loop.yaml").write_text(
        """\
rules:
  - id: loop.a
    title: A
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: A needs B.
    when: {fact: fact_b}
    asserts: [fact_a]
    remedies: [name-action-owners]
  - id: loop.b
    title: B
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: B needs A.
    when: {fact: fact_a}
    asserts: [fact_b]
    remedies: [name-action-owners]
"""
    )

    with pytest.raises(ph.InputError) as error:
        ph.load_rulebase(rules, mini_questionnaire)

    assert "derived facts form a loop: fact_a -> fact_b -> fact_a" in str(error.value)


def test_a_condition_without_a_known_key_is_located(tmp_path, mini_questionnaire) -> None:
    rules = copy_mini_rules(tmp_path)
    core = rules / "core.yaml"
    core.write_text(
        core.read_text().replace("- not: {question: authority.agreement", "- nott: {question: authority.agreement")
    )

    with pytest.raises(ph.InputError) as error:
        ph.load_rulebase(rules, mini_questionnaire)

    assert [str(issue) for issue in error.value.issues] == [
        f"{core}:23:11: rules[1].when.all[1]: "
        "a condition needs one of the keys all, any, at_least, not, question, score, partners or fact"
    ]


def test_an_unknown_guide_section_is_reported(tmp_path, mini_questionnaire) -> None:
    rules = copy_mini_rules(tmp_path)
    remedies = rules / "remedies.yaml"
    remedies.write_text(remedies.read_text().replace('section: "Appendix 2"', 'section: "Appendix 3"'))

    with pytest.raises(ph.InputError) as error:
        ph.load_rulebase(rules, mini_questionnaire)

    assert "'Participate' has no section 'Appendix 3' (did you mean 'Appendix 2'?)" in str(error.value)


def test_an_impossible_date_is_a_located_error(write, mini_questionnaire) -> None:
    folder = write({"answers.yaml": (MINI / "answers.yaml").read_text().replace("2026-10-01", "2026-13-01")})

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(folder / "answers.yaml", mini_questionnaire)

    assert str(error.value.issues[0]).startswith(
        f"{folder / 'answers.yaml'}:2:14: assessed_on: is not a real date (month must be in 1..12)"
    )


def test_a_written_report_can_be_read_by_others_like_any_new_file(write, capsys) -> None:
    import os
    import stat

    folder = write({})
    report = folder / "report.md"

    assert main(["assess", str(MINI / "answers.yaml"), "--output", str(report), *MINI_ARGS]) == 0

    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(report.stat().st_mode) == 0o666 & ~umask
