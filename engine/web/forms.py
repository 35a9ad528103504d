"""A page of the respondent's form -> answers, checked with the engine's own messages.

What a browser sends is text; each question's field is turned into the value an
answers file would hold (a whole number for the agreement scale, a number, yes/no as
a boolean, a choice id, text) and then checked by :func:`partnership_health.core.checks.answer_problem`,
so a respondent reads the same words as the command line prints for a bad file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.checks import answer_problem
from ..errors import control_problem, printable
from ..models import DONT_KNOW, AnswerValue, Question, Questionnaire, Section
from ..wording import DONT_KNOW_LABEL

# "Don't know / not applicable" is the answer value DONT_KNOW shared with the engine,
# allowed for every question type except free text.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def field_id(question: Question) -> str:
    """The HTML id of a question's input (or of its first radio button)."""
    return "q-" + question.id.replace(".", "-").replace("_", "-")


def allows_dont_know(question: Question) -> bool:
    return question.type != "text"


def sections_for(questionnaire: Questionnaire, role: str) -> list[Section]:
    """The sections a respondent in ``role`` answers, each with only the questions asked of that role."""
    chosen = []
    for section in questionnaire.sections:
        questions = [question for question in section.questions if question.asks(role)]
        if questions:
            chosen.append(
                section
                if len(questions) == len(section.questions)
                else section.model_copy(update={"questions": questions})
            )
    return chosen


@dataclass
class Page:
    """One section as submitted: the answers to save, the problems, and what was typed."""

    answers: dict[str, AnswerValue | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)


def control_errors(typed: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """A field error for each of ``names`` whose text holds a control character (ESC, BEL ...)."""
    problems = {name: control_problem(typed.get(name, "").replace("\r\n", "\n")) for name in names}
    return {name: problem for name, problem in problems.items() if problem}


def read_section(section: Section, form: Mapping[str, str]) -> Page:
    """Turn a submitted section into answers (None: left blank) and field errors."""
    page = Page()
    for question in section.questions:
        raw = str(form.get(question.id, "")).strip()
        unknown = form.get(question.id + ".dont_know") == DONT_KNOW
        page.typed[question.id] = printable(raw.replace("\r\n", "\n"))  # shown back: never a control character
        if unknown:
            page.typed[question.id + ".dont_know"] = DONT_KNOW
        value, problem = read_answer(question, raw, unknown)
        if problem:
            page.errors[question.id] = problem
        else:
            page.answers[question.id] = value
    return page


def read_answer(question: Question, raw: str, unknown: bool = False) -> tuple[AnswerValue | None, str | None]:
    """One field's text -> (value, None), or (None, the problem in the engine's words)."""
    if question.type == "number" and unknown:
        if raw:
            return None, f"give a number or choose “{DONT_KNOW_LABEL}”, not both (got {raw!r})"
        return DONT_KNOW, None
    if raw == "":
        return None, None
    control = control_problem(raw.replace("\r\n", "\n"))  # a textarea sends its lines with CR LF
    if control:
        return None, control
    value: AnswerValue = raw.replace("\r\n", "\n")
    if question.type == "scale" and raw.isdigit():
        value = int(raw)
    elif question.type == "number" and _NUMBER.match(raw.replace(",", "")):
        number = float(raw.replace(",", ""))
        value = int(number) if number.is_integer() and "." not in raw else number
    elif question.type == "yesno" and raw in ("yes", "no"):
        value = raw == "yes"
    problem = answer_problem(question, value)
    return (None, problem) if problem else (value, None)


def shown_answer(question: Question, value: AnswerValue | None, scale: Mapping[int, str]) -> str:
    """An answer as the respondent chose it, for the 'check your answers' page."""
    if value is None:
        return "Not answered"
    if value == DONT_KNOW and allows_dont_know(question):
        return DONT_KNOW_LABEL
    if question.type == "scale" and isinstance(value, int):
        label = scale.get(value)
        return f"{value} – {label}" if label else str(value)
    if question.type == "yesno":
        return "Yes" if value is True else "No"
    if question.type == "choice":
        return next((choice.label for choice in question.choices if choice.id == value), str(value))
    if question.type == "number":
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number} {question.unit or ''}".strip()
    return str(value)


def form_value(question: Question, value: AnswerValue | None) -> str:
    """A saved answer as the text its field holds when the page is shown again."""
    if value is None or (question.type == "number" and value == DONT_KNOW):
        return ""
    if question.type == "yesno" and isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
