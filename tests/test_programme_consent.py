"""Consent for the programme view: whether a lead shares an assessment, and whether it may be named.

Both are off by default and kept with the assessment: in the answers file and its JSON report
(``named_in_programme``), and in the store (shared and named, per kept assessment and per round).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.reader import bundled_path
from partnership_health.reporting.render import contract
from partnership_health.store.sqlite import Store

EXAMPLES = bundled_path("examples")


@pytest.fixture(scope="module")
def riverside(questionnaire: ph.Questionnaire) -> ph.Answers:
    return ph.load_answers(EXAMPLES / "riverside.yaml", questionnaire)


def named(answers: ph.Answers) -> ph.Answers:
    return answers.model_copy(update={"named_in_programme": True})


def test_the_json_report_says_named_in_programme_only_when_the_lead_agreed(
    riverside: ph.Answers, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    plain = contract(ph.assess(riverside, questionnaire, rulebase))
    agreed = contract(ph.assess(named(riverside), questionnaire, rulebase))

    assert "named_in_programme" not in plain  # off by default, and earlier reports keep their bytes
    assert agreed["named_in_programme"] is True
    assert {k: v for k, v in agreed.items() if k != "named_in_programme"} == plain


def test_an_answers_file_can_say_the_lead_agrees_to_be_named(tmp_path: Path, questionnaire: ph.Questionnaire) -> None:
    text = (EXAMPLES / "riverside.yaml").read_text(encoding="utf-8")
    path = tmp_path / "named.yaml"
    path.write_text(text.replace("assessed_on: 2026-10-05", "assessed_on: 2026-10-05\nnamed_in_programme: true"))
    assert ph.load_answers(path, questionnaire).named_in_programme is True

    path.write_text(text.replace("assessed_on: 2026-10-05", "assessed_on: 2026-10-05\nnamed_in_programme: maybe"))
    with pytest.raises(ph.InputError) as caught:
        ph.load_answers(path, questionnaire)
    assert "named_in_programme" in str(caught.value) and "named.yaml" in str(caught.value)


@pytest.mark.parametrize("said", ['"yes"', '"true"', "1", '"on"'])
def test_consent_to_be_named_is_true_or_false_never_a_word_or_number_taken_for_it(
    tmp_path: Path, said: str, riverside: ph.Answers, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    # Lax parsing would take "yes", "true", 1 or "on" for consent; naming a partnership
    # needs the lead's plain true (YAML's unquoted yes is already true when the file is read).
    text = (EXAMPLES / "riverside.yaml").read_text(encoding="utf-8")
    path = tmp_path / "named.yaml"
    path.write_text(text.replace("assessed_on: 2026-10-05", f"assessed_on: 2026-10-05\nnamed_in_programme: {said}"))
    with pytest.raises(ph.InputError) as caught:
        ph.load_answers(path, questionnaire)
    assert "named_in_programme" in str(caught.value) and "named.yaml" in str(caught.value)

    report = contract(ph.assess(named(riverside), questionnaire, rulebase))
    folder = tmp_path / "reports"
    folder.mkdir()
    for number in range(3):
        copy = dict(report, partnership=f"Partnership {number}")
        if number == 0:
            copy["named_in_programme"] = json.loads(said)
        (folder / f"p{number}.json").write_text(json.dumps(copy), encoding="utf-8")
    written = tmp_path / "view.json"
    assert main(["programme", str(folder), "--format", "json", "--jobs", "1", "--output", str(written)]) == 2
    assert not written.exists()


def test_a_kept_assessment_reaches_the_programme_only_once_its_lead_shares_it(
    tmp_path: Path, riverside: ph.Answers
) -> None:
    store = Store(tmp_path / "h.db")
    kept = store.save_assessment(named(riverside), {"partnership": riverside.partnership}, rulebase_version="2.1")

    found, left_out = store.programme_assessments()
    assert (found, left_out) == ([], 1)  # saved, but not shared: left out, and counted as left out
    assert store.get_assessment(kept).named_in_programme  # the answers file's consent is kept with it

    store.set_programme_consent(kept, shared=True, named=False)
    found, left_out = store.programme_assessments()
    assert [(a.id, a.shared_with_programme, a.named_in_programme) for a in found] == [(kept, True, False)]
    assert left_out == 0 and found[0].answers is not None and found[0].report is not None

    store.set_programme_consent(kept, shared=False, named=True)  # naming needs sharing
    assert not store.get_assessment(kept).named_in_programme


def test_saving_the_same_answers_again_is_still_recognised(tmp_path: Path, riverside: ph.Answers) -> None:
    store = Store(tmp_path / "h.db")
    kept = store.save_assessment(riverside, {}, rulebase_version="2.1")
    assert store.same_assessment(riverside) == kept
    other = store.save_assessment(named(riverside), {}, rulebase_version="2.1")
    assert store.same_assessment(named(riverside)) == other


def test_a_rounds_choice_goes_to_its_kept_assessment(tmp_path: Path, riverside: ph.Answers) -> None:
    store = Store(tmp_path / "h.db")
    made = store.create_round(riverside.partnership, riverside.assessed_on, riverside.questionnaire)
    store.set_round_programme_consent(made.id, shared=True, named=True)
    store.close_round(made.id)
    kept, _ = store.keep_round_assessment(made.id, riverside, {}, rulebase_version="2.1")
    assessment = store.get_assessment(kept)
    assert (assessment.shared_with_programme, assessment.named_in_programme) == (True, True)

    store.set_round_programme_consent(made.id, shared=False, named=False)  # the lead changes their mind later
    assessment = store.get_assessment(kept)
    assert (assessment.shared_with_programme, assessment.named_in_programme) == (False, False)


def test_export_and_import_keep_the_leads_choices(
    tmp_path: Path, riverside: ph.Answers, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    first = Store(tmp_path / "a.db")
    report = contract(ph.assess(riverside, questionnaire, rulebase))
    kept = first.save_assessment(riverside, report, rulebase_version="2.1")
    first.set_programme_consent(kept, shared=True, named=True)
    exported = tmp_path / "out.json"
    assert main(["history", "--db", str(tmp_path / "a.db"), "export", "--output", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["assessments"][0]["shared_with_programme"] is True
    assert data["assessments"][0]["answers"]["named_in_programme"] is True

    assert main(["history", "--db", str(tmp_path / "b.db"), "import", str(exported)]) == 0
    found, left_out = Store(tmp_path / "b.db").programme_assessments()
    assert left_out == 0 and [(a.shared_with_programme, a.named_in_programme) for a in found] == [(True, True)]


def test_a_lead_on_the_command_line_shares_a_saved_assessment_names_it_and_takes_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without the web app, `assess --save` kept assessments that nothing could share: a programme
    # view of the database left every one of them out.
    db = str(tmp_path / "h.db")
    for name in ("Alder", "Birch", "Cedar"):
        answers = tmp_path / f"{name}.yaml"
        text = (EXAMPLES / "riverside.yaml").read_text(encoding="utf-8")
        answers.write_text(text.replace("Riverside Youth Partnership", f"{name} Partnership"), encoding="utf-8")
        assert main(["assess", str(answers), "--save", "--db", db, "--output", str(tmp_path / f"{name}.html")]) == 0
    capsys.readouterr()

    assert main(["history", "--db", db, "share", "1", "--named"]) == 0
    assert "Alder Partnership" in capsys.readouterr().out
    assert main(["history", "--db", db, "share", "2"]) == 0
    assert main(["history", "--db", db, "share", "3"]) == 0
    view = tmp_path / "view.json"
    assert main(["programme", db, "--format", "json", "--output", str(view)]) == 0
    shown = json.loads(view.read_text(encoding="utf-8"))
    assert (shown["partnerships"], shown["named"], shown["left_out"]) == (3, ["Alder Partnership"], 0)

    assert main(["history", "--db", db, "share", "3", "--off"]) == 0
    store = Store(tmp_path / "h.db")
    assert [(a.shared_with_programme, a.named_in_programme) for a in store.assessments(full=True)] == [
        (True, True),
        (True, False),
        (False, False),
    ]
    capsys.readouterr()
    assert main(["history", "--db", db, "share", "9"]) == 1  # as history delete 9 does
    assert "9" in capsys.readouterr().err
    assert main(["history", "--db", db, "share", "2", "--named", "--off"]) == 2
