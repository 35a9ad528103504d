"""Answers for an older questionnaire -> answers for the current one (1.0 -> 2.0 -> 2.1).

A pure function over the answers as plain data, so ``partnership-health migrate`` and
tests share it. Each step takes a file one version on; a 1.0 file goes through both.

1.0 -> 2.0: the ids that kept their meaning carry over. Where 1.0 asked two things in
one statement and 2.0 asks them apart, the one answer is carried to both halves (an
answer to the whole is the best evidence there is for each part); where 2.0 asks
something new in place of an old question, the old answer is dropped and the note says
what to ask again.

2.0 -> 2.1: every 2.0 question kept its id and meaning; 2.1 only adds questions
(:data:`NEW_IN_2_1`), which the migrated file leaves unanswered, with a note saying so.
Nothing is guessed.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

FROM: tuple[str, ...] = ("1.0", "2.0")
"""The versions ``migrate`` reads."""
TO = "2.1"
"""The version it writes."""

SPLIT: dict[str, tuple[str, ...]] = {
    "governance.structure_clear": ("governance.final_decisions_clear", "governance.day_to_day_clear"),
    "authority.board_support": ("authority.trustees_support", "authority.chief_exec_support"),
    "authority.colleagues_agree": ("authority.colleagues_back_partners", "authority.colleagues_back_approach"),
    "risk.risks_identified": ("risk.risks_named", "risk.risks_managed"),
}
"""1.0 statements asked in two parts in 2.0: the answer is carried to both."""

ASK_AGAIN: dict[str, tuple[str, ...]] = {
    "goals.realistic_timeline": ("goals.timeline_agreed", "goals.timeline_realistic"),
    "relationships.partners_left": ("relationships.partners_departed", "relationships.partner_restructured"),
    "funding.motive_funding_only": ("funding.motive_money", "funding.motive_requirement"),
    "funding.bid_driven_origin": ("funding.origin",),
    "delivery.partnership_count": ("delivery.partnership_overload",),
    "governance.type_agreed": ("governance.type_signed_up",),
}
"""1.0 questions with no 2.0 equivalent: dropped, with the 2.0 questions to ask instead."""

NEW_IN_2_1: tuple[str, ...] = (
    "governance.partnership_age",
    "governance.type_suits_work",
    "governance.membership_basis",
    "governance.ground_rules",
    "governance.running_in_place",
    "roles.time_in_post",
    "roles.complementary_strengths",
    "communication.subgroups_report",
    "relationships.attendance",
    "relationships.representatives_change",
    "funding.running_costs_agreed",
    "funding.resources_running_out",
    "funding.reach_gained",
    "funding.expertise_gained",
    "funding.less_duplication",
    "risk.mistakes_put_right",
)
"""The questions 2.1 adds to 2.0: a migrated file leaves them unanswered."""


def migrate(
    data: Mapping[str, Any], lead_and_core_only: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[str]]:
    """The 2.1 answers for a 1.0 or 2.0 answers file, and one note per question not carried over as it was.

    ``lead_and_core_only`` are the questions wider partners are not asked; a wider
    partner's answer to one of them is dropped. Raises ``ValueError`` when ``data`` is
    not a 1.0 or 2.0 answers file.
    """
    version = version_of(data)
    if version not in FROM:
        raise ValueError(
            f"migrate reads answers for questionnaire {' or '.join(FROM)} (this file is for {version or 'no version'})"
        )
    notes: list[str] = []
    if version == "1.0":
        data, notes = _from_1_0(data, lead_and_core_only)
    new = copy.deepcopy(dict(data))
    new["questionnaire"] = {**dict(new["questionnaire"]), "version": TO}
    notes.append(f"new in {TO}, left unanswered (ask them at the next round): {', '.join(NEW_IN_2_1)}")
    return new, notes


def version_of(data: Mapping[str, Any]) -> str | None:
    """The questionnaire version an answers file names, as text (None if it names none)."""
    ref = data.get("questionnaire")
    return str(ref.get("version")) if isinstance(ref, Mapping) else None


def _from_1_0(data: Mapping[str, Any], lead_and_core_only: frozenset[str]) -> tuple[dict[str, Any], list[str]]:
    """A 1.0 answers file as a 2.0 one, with its notes."""
    new = copy.deepcopy(dict(data))
    new["questionnaire"] = {**dict(data["questionnaire"]), "version": "2.0"}
    affected: dict[str, list[str]] = {}  # note -> the respondents it applies to, in file order
    respondents = new.get("respondents")
    for respondent in respondents if isinstance(respondents, list) else []:
        if not isinstance(respondent, dict) or not isinstance(respondent.get("answers"), dict):
            continue
        who = str(respondent.get("id"))
        answers: dict[str, Any] = {}
        for qid, value in respondent["answers"].items():
            if qid in SPLIT:
                answers.update(dict.fromkeys(SPLIT[qid], value))
                affected.setdefault(f"{qid}: carried to {' and '.join(SPLIT[qid])}", []).append(who)
            elif qid in ASK_AGAIN:
                note = f"{qid}: not carried over (its meaning changed); ask {', '.join(ASK_AGAIN[qid])} instead"
                affected.setdefault(note, []).append(who)
            else:
                answers[qid] = value
        if respondent.get("role") == "wider":
            for qid in sorted(set(answers) & lead_and_core_only):
                del answers[qid]
                affected.setdefault(f"{qid}: dropped, as 2.0 does not ask wider partners", []).append(who)
        respondent["answers"] = answers
    notes = [f"{note} (respondents {', '.join(people)})" for note, people in affected.items()]
    return new, notes
