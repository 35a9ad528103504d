"""Answers for questionnaire 1.0 -> answers for 2.0: the ids that kept their meaning carry over.

A pure function over the answers as plain data, so ``partnership-health migrate`` and
tests share it. Where 1.0 asked two things in one statement and 2.0 asks them apart,
the one answer is carried to both halves (an answer to the whole is the best evidence
there is for each part); where 2.0 asks something new in place of an old question, the
old answer is dropped and the note says what to ask again. Nothing is guessed.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

FROM, TO = "1.0", "2.0"

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


def migrate(
    data: Mapping[str, Any], lead_and_core_only: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[str]]:
    """The 2.0 answers for a 1.0 answers file, and one note per question not carried over as it was.

    ``lead_and_core_only`` are the 2.0 questions wider partners are not asked; a wider
    partner's answer to one of them is dropped. Raises ``ValueError`` when ``data`` is
    not a 1.0 answers file.
    """
    ref = data.get("questionnaire")
    version = str(ref.get("version")) if isinstance(ref, Mapping) else None
    if version != FROM:
        raise ValueError(f"migrate reads answers for questionnaire {FROM} (this file is for {version or 'no version'})")
    new = copy.deepcopy(dict(data))
    new["questionnaire"] = {**dict(ref), "version": TO}  # type: ignore[arg-type]
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
