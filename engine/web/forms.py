"""A page of the respondent's form -> answers, with each problem said in the respondent's words.

What a browser sends is text; each question's field is turned into the value an
answers file would hold (a whole number for the agreement scale, a number read as
``import`` reads it, yes/no as a boolean, a choice id, text) and then checked by
:func:`partnership_health.core.checks.answer_problem`, the engine's own check; a
problem is told as what to do ("Write a number, such as 12 or 12.5 ..."), not in the
answers file's terms.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..core.checks import MAX_TEXT_LENGTH, answer_problem
from ..errors import control_problem, printable
from ..models import DONT_KNOW, AnswerValue, Question, Questionnaire, Section
from ..store.sqlite import text_problem
from ..surveys.values import parse_number, whole_number
from ..wording import DONT_KNOW_LABEL

# "Don't know / not applicable" is the answer value DONT_KNOW shared with the engine,
# allowed for every question type except free text.

# The time one answer takes, in seconds, as the README reckons the questionnaire's length
# (10 seconds a statement, 8 a yes/no, 20 a number or choice, a minute a free-text box).
SECONDS_TO_ANSWER = {"scale": 10, "yesno": 8, "number": 20, "choice": 20, "text": 60}


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


def minutes_to_answer(sections: Iterable[Section]) -> int:
    """About how many minutes answering ``sections`` takes (at least 1), reckoned as the README does."""
    seconds = sum(SECONDS_TO_ANSWER[question.type] for section in sections for question in section.questions)
    return max(1, round(seconds / 60))


def control_errors(typed: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """A field error for each of ``names`` whose text holds a control character (ESC, BEL ...) or is too long.

    The longest each field may be is the store's (``TEXT_LIMITS``: a name, an organisation ...).
    """
    problems = {
        name: control_problem(typed.get(name, "").replace("\r\n", "\n")) or text_problem(name, typed.get(name))
        for name in names
    }
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
    """One field's text -> (value, None), or (None, what the respondent should do)."""
    if question.type == "number" and unknown:
        if raw:
            return None, f"Write a number or choose “{DONT_KNOW_LABEL}”, not both"
        return DONT_KNOW, None
    if raw == "":
        return None, None
    control = control_problem(raw.replace("\r\n", "\n"))  # a textarea sends its lines with CR LF
    if control:
        return None, control
    value: AnswerValue = raw.replace("\r\n", "\n")
    number = whole_number(raw) if question.type == "scale" else parse_number(raw)  # ² ① ٤ ４ are no numbers
    if question.type in ("scale", "number") and number is not None:
        value = number  # 12,5 is 12.5, as import reads it
    elif question.type == "yesno" and raw in ("yes", "no"):
        value = raw == "yes"
    if answer_problem(question, value) is None:
        return value, None
    return None, _in_words(question, value)


def _in_words(question: Question, value: AnswerValue) -> str:
    """What to do about an answer the engine refuses, in the respondent's words."""
    dont_know = f"“{DONT_KNOW_LABEL}”"
    if question.type == "number":
        low, high = question.bounds or (0, 0)
        unit = f" {question.unit}" if question.unit else ""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return f"Write a number from {low:g} to {high:g}{unit} (you wrote {value:g}), or choose {dont_know}"
        return f"Write a number, such as 12 or 12.5, or choose {dont_know}"
    if question.type == "scale":
        return f"Choose how much you agree, or {dont_know}"
    if question.type == "yesno":
        return f"Choose Yes or No, or {dont_know}"
    if question.type == "choice":
        return f"Choose one of the answers, or {dont_know}"
    if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
        return f"Write at most {MAX_TEXT_LENGTH:,} characters (you wrote {len(value):,})"
    return str(answer_problem(question, value))


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
