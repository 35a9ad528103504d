"""partnership-health migrate: answers for questionnaire 1.0 or 2.0 become answers for 2.1 (1.0 -> 2.0 -> 2.1)."""

from __future__ import annotations

import yaml

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.migrate import NEW_IN_2_1, migrate

from .conftest import EVERY_ANSWER, REPO

OLD = """\
partnership: Riverside Youth Partnership
assessed_on: 2026-10-05
questionnaire: {id: partnership-health, version: "1.0"}
respondents:
  - id: lead
    organisation: Riverside Library
    role: lead
    answers:
      governance.structure_clear: 2
      goals.purpose_clear: 5
      funding.motive_funding_only: 4
      authority.decisions_shared: 5
  - id: jobcentre
    organisation: Riverside Jobcentre
    role: wider
    answers:
      authority.decisions_shared: 3
      relationships.trust: 4
"""


def test_a_1_0_file_becomes_a_2_1_file_that_says_what_it_left_behind(tmp_path, capsys, questionnaire) -> None:
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    new = tmp_path / "new.yaml"

    assert main(["migrate", str(tmp_path / "old.yaml"), "--output", str(new)]) == 0

    assert "2 respondents written" in capsys.readouterr().out
    answers = ph.load_answers(new, questionnaire)
    lead, wider = (r.answers for r in answers.respondents)
    assert answers.questionnaire.version == "2.1"
    assert lead["governance.final_decisions_clear"] == lead["governance.day_to_day_clear"] == 2
    assert lead["goals.purpose_clear"] == 5 and lead["authority.decisions_shared"] == 5
    assert not {"funding.motive_money", "funding.motive_requirement", "funding.motive_funding_only"} & set(lead)
    assert wider == {"relationships.trust": 4}, "a wider partner is not asked how core decisions are shared"
    notes = [line for line in new.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert any("funding.motive_funding_only: not carried over" in n and "funding.motive_money" in n for n in notes)
    assert any(n.startswith("# authority.decisions_shared: dropped") and "jobcentre" in n for n in notes)
    assert "governance.partnership_age" not in lead, "a question new in 2.1 is left unanswered"
    assert any(n.startswith("# new in 2.1, left unanswered") and "governance.partnership_age" in n for n in notes)
    assert ph.assess(answers, questionnaire, ph.load_rulebase(questionnaire=questionnaire), EVERY_ANSWER).findings


CURRENT = """\
partnership: Hillside Advice Partnership
assessed_on: 2026-11-02
questionnaire: {id: partnership-health, version: "2.0"}
respondents:
  - id: lead
    organisation: Hillside Citizens Advice
    role: lead
    answers:
      governance.agreement_exists: yes
      governance.agreement_reviewed: no
      goals.purpose_clear: 4
      relationships.trust: 2
  - id: foodbank
    organisation: Hillside Food Bank
    role: wider
    answers:
      relationships.trust: 3
"""


def test_a_2_0_file_is_refused_by_assess_with_a_pointer_to_migrate(tmp_path, capsys) -> None:
    (tmp_path / "answers.yaml").write_text(CURRENT, encoding="utf-8")

    assert main(["assess", str(tmp_path / "answers.yaml")]) == 1

    err = capsys.readouterr().err
    assert f"{tmp_path / 'answers.yaml'}:3:" in err, "the problem is located on the questionnaire line"
    assert "answers are for questionnaire 2.0, this is 2.1; 'partnership-health migrate' upgrades it" in err


def test_a_2_0_file_becomes_a_2_1_file_with_every_answer_and_the_new_questions_unanswered(
    tmp_path, capsys, questionnaire
) -> None:
    (tmp_path / "old.yaml").write_text(CURRENT, encoding="utf-8")
    new = tmp_path / "new.yaml"

    assert main(["migrate", str(tmp_path / "old.yaml"), "--output", str(new)]) == 0

    answers = ph.load_answers(new, questionnaire)
    assert answers.questionnaire.version == "2.1"
    before = yaml.safe_load(CURRENT)["respondents"]
    assert [dict(r.answers) for r in answers.respondents] == [r["answers"] for r in before]
    text = new.read_text(encoding="utf-8")
    assert text.startswith("# Migrated from old.yaml (questionnaire 2.0) by partnership-health migrate.")
    notes = [line for line in text.splitlines() if line.startswith("# ")]
    assert len(notes) == 2 and "funding.less_duplication" in notes[1] and "roles.time_in_post" in notes[1]
    # unanswered, the partnership's age is unknown: the "not reviewed" rules still apply
    fired = {rule for f in ph.assess(answers, questionnaire, options=EVERY_ANSWER).findings for rule in f.rules}
    assert "agreement.not-reviewed" in fired and "trust.low-trust" in fired


def test_the_questions_new_in_2_1_are_the_ones_a_2_0_file_cannot_answer(questionnaire) -> None:
    assert set(NEW_IN_2_1) <= set(questionnaire.questions)
    assert [qid for qid in questionnaire.questions if qid in NEW_IN_2_1] == list(NEW_IN_2_1), "in questionnaire order"
    healthy = yaml.safe_load((REPO / "examples" / "healthy.yaml").read_text(encoding="utf-8"))
    healthy["questionnaire"]["version"] = "2.0"
    for respondent in healthy["respondents"]:
        respondent["answers"] = {q: a for q, a in respondent["answers"].items() if q not in NEW_IN_2_1}
    new, notes = migrate(healthy)
    assert new["questionnaire"]["version"] == "2.1" and len(notes) == 1
    assert ph.assess(ph.Answers.model_validate(new), questionnaire).findings == ()


def test_a_file_that_is_not_for_1_0_or_2_0_is_refused_and_nothing_is_written(tmp_path, capsys) -> None:
    current = yaml.safe_load(OLD)
    current["questionnaire"]["version"] = "2.1"
    (tmp_path / "current.yaml").write_text(yaml.safe_dump(current), encoding="utf-8")

    code = main(["migrate", str(tmp_path / "current.yaml"), "--output", str(tmp_path / "new.yaml")])

    assert code == 1
    assert "migrate reads answers for questionnaire 1.0 or 2.0 (this file is for 2.1)" in capsys.readouterr().err
    assert not (tmp_path / "new.yaml").exists()
