"""A generated, very troubled partnership: four partners who disagree on much and rate the rest low.

Every agreement statement is answered low, or split (two partners at 1, two at 5) on
every third statement; yes/no questions are answered no, numbers high, choices with the
first choice. The round is a stress test of how much the report's body tells.
"""

from __future__ import annotations

import datetime

import partnership_health as ph

ROLES = ("lead", "core", "core", "wider")


def troubled_answers(questionnaire: ph.Questionnaire, partners: int = 4) -> ph.Answers:
    respondents = []
    for n in range(partners):
        role = ROLES[n % len(ROLES)]
        answers: dict[str, object] = {}
        for index, (qid, question) in enumerate(questionnaire.questions.items()):
            if question.roles and role not in question.roles:
                continue
            if question.type == "scale":
                answers[qid] = (1 if n % 2 else 5) if index % 3 == 0 else (5 if question.reverse else 2)
            elif question.type == "yes_no":
                answers[qid] = False
            elif question.type == "number":
                answers[qid] = 26 + n
            elif question.type == "choice":
                answers[qid] = question.choices[(index + n) % len(question.choices)].id
        respondents.append({"id": f"p{n}", "organisation": f"Partner {n + 1}", "role": role, "answers": answers})
    return ph.Answers.model_validate(
        {
            "partnership": "Troubled partnership",
            "assessed_on": datetime.date(2026, 12, 1),
            "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
            "respondents": respondents,
        }
    )
