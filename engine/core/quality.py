"""How much the answers can bear: respondents per role, blanks and "don't know", caveats."""

from __future__ import annotations

from collections.abc import Collection

from ..models import DONT_KNOW, ROLES, Answers, DataQuality, Questionnaire
from ..wording import GROUP_LABELS, ONE_OF_GROUP


def data_quality(answers: Answers, questionnaire: Questionnaire, hidden_roles: Collection[str] = ()) -> DataQuality:
    """Count who answered and what was left blank or answered "don't know", and say what that means.

    Every question but free text counts, for each respondent whose role it is asked of.
    A caveat is given when one person answered, when a role has one person (and others
    answered too), and when a third or more of the questions asked were left blank or
    answered "don't know". A role too small to show (``hidden_roles``) is not one
    person's view in the report: its caveat says it is not shown apart.
    """
    questions = [q for q in questionnaire.questions.values() if q.type != "text"]
    counted = {role: sum(r.role == role for r in answers.respondents) for role in ROLES}
    by_role: dict[str, int] = {role: n for role, n in counted.items() if n}
    # For each role, the questions asked of it that count (not free text).
    asked_of = {role: frozenset(q.id for q in questions if not q.roles or role in q.roles) for role in ROLES}
    asked = unanswered = dont_know = 0
    for respondent in answers.respondents:
        mine, given = asked_of[respondent.role], respondent.answers
        asked += len(mine)
        unanswered += len(mine) - len(mine.intersection(given))
        if DONT_KNOW in given.values():
            dont_know += sum(1 for qid, value in given.items() if value == DONT_KNOW and qid in mine)
    respondents = len(answers.respondents)
    caveats = []
    if respondents == 1:
        caveats.append(
            "Only one person answered, so this report is one view of the partnership, not a shared one: "
            "ask the other partners to answer before acting on it."
        )
    else:
        apart = [
            f"{GROUP_LABELS[role].lower()} ({by_role[role]})"
            for role in ROLES
            if role in hidden_roles and role in by_role
        ]
        if apart:
            listed = ", ".join(apart[:-1]) + " and " + apart[-1] if len(apart) > 1 else apart[0]
            caveats.append(
                f"Answers are not shown by role for the {listed}: too few answered in some roles to show them "
                "without singling someone out. Everyone's answers count in the whole partnership's figures."
            )
        single = [ONE_OF_GROUP[role] for role, n in by_role.items() if n == 1 and role not in hidden_roles]
        if len(single) == 1:
            caveats.append(
                f"One person answered as the {single[0]}: what the report says about that role is one person's view."
            )
        elif single:
            # One person in each of two or three roles, not one person in all of them.
            clauses = [f"Only one person answered as the {single[0]}"]
            clauses += [f"only one as the {name}" for name in single[1:]]
            caveats.append(
                ", ".join(clauses[:-1]) + f", and {clauses[-1]}: "
                "what the report says about each of those roles is one person's view."
            )
    blank = round(unanswered / asked, 3) if asked else 0.0
    unknown = round(dont_know / asked, 3) if asked else 0.0
    if asked and blank >= 1 / 3:
        caveats.append(
            f"{_percent(blank)} of the questions asked were left unanswered: "
            "the scores and findings rest on the few that were answered."
        )
    if asked and unknown >= 1 / 3:
        caveats.append(
            f"{_percent(unknown)} of the questions asked were answered “don't know”: "
            "partners may not see enough of the partnership to judge it yet."
        )
    return DataQuality(
        respondents=respondents,
        by_role=by_role,
        asked=asked,
        unanswered=unanswered,
        dont_know=dont_know,
        unanswered_share=blank,
        dont_know_share=unknown,
        caveats=tuple(caveats),
    )


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"
