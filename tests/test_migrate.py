"""partnership-health migrate: answers for questionnaire 1.0 become answers for 2.0."""

from __future__ import annotations

import yaml

import partnership_health as ph
from partnership_health.cli import main

from .conftest import EVERY_ANSWER

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


def test_a_1_0_file_becomes_a_2_0_file_that_says_what_it_left_behind(tmp_path, capsys, questionnaire) -> None:
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    new = tmp_path / "new.yaml"

    assert main(["migrate", str(tmp_path / "old.yaml"), "--output", str(new)]) == 0

    assert "2 respondents written" in capsys.readouterr().out
    answers = ph.load_answers(new, questionnaire)
    lead, wider = (r.answers for r in answers.respondents)
    assert answers.questionnaire.version == "2.0"
    assert lead["governance.final_decisions_clear"] == lead["governance.day_to_day_clear"] == 2
    assert lead["goals.purpose_clear"] == 5 and lead["authority.decisions_shared"] == 5
    assert not {"funding.motive_money", "funding.motive_requirement", "funding.motive_funding_only"} & set(lead)
    assert wider == {"relationships.trust": 4}, "a wider partner is not asked how core decisions are shared"
    notes = [line for line in new.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert any("funding.motive_funding_only: not carried over" in n and "funding.motive_money" in n for n in notes)
    assert any(n.startswith("# authority.decisions_shared: dropped") and "jobcentre" in n for n in notes)
    assert ph.assess(answers, questionnaire, ph.load_rulebase(questionnaire=questionnaire), EVERY_ANSWER).findings


def test_a_file_that_is_not_for_1_0_is_refused_and_nothing_is_written(tmp_path, capsys) -> None:
    current = yaml.safe_load(OLD)
    current["questionnaire"]["version"] = "2.0"
    (tmp_path / "current.yaml").write_text(yaml.safe_dump(current), encoding="utf-8")

    code = main(["migrate", str(tmp_path / "current.yaml"), "--output", str(tmp_path / "new.yaml")])

    assert code == 1
    assert "migrate reads answers for questionnaire 1.0 (this file is for 2.0)" in capsys.readouterr().err
    assert not (tmp_path / "new.yaml").exists()
