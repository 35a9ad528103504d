"""Read a cell as the person answered it: a scale label or 1-5, Yes/No, "6 weeks", a choice.

``dont_know`` is the answer value of "Don't know / not applicable" (shared contract); it
is offered for every type but text, as far as the engine accepts it.
"""

from __future__ import annotations

import re
import unicodedata

from ..core.checks import answer_problem, did_you_mean
from ..models import DONT_KNOW, AnswerValue, Question, Questionnaire
from ..wording import DONT_KNOW_LABEL

_DONT_KNOW_TEXTS = {
    "dont know",
    "don t know",
    "dont know not applicable",
    "don t know not applicable",
    "do not know",
    "not applicable",
    "n a",
    "na",
    "dont_know",
    "dont know n a",
    "not sure",
}
# The usual agreement labels, beside the questionnaire's own (which win).
_SCALE_TEXTS = {
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neither agree or disagree": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
}
_YES = {"yes", "y", "true", "1", "oui", "ja"}
_NO = {"no", "n", "false", "0", "non", "nein"}
# A number as people write it: ASCII digits only (not ², ①, ٤ or ４, which str.isdigit() and \\d take),
# a sign, and a decimal point or comma (12,5 is twelve and a half, as most of Europe writes it).
NUMBER = r"[-+]?[0-9]+(?:[.,][0-9]+)?"
_NUMBER = re.compile(rf"^\s*({NUMBER})\s*(.*?)\s*$")
_WHOLE = re.compile(r"[0-9]+")
MAX_DIGITS = 20  # float() would make 400 digits infinite, and int() would then fail


def parse_number(text: str) -> int | float | None:
    """``text`` as a number (``12`` -> 12, ``12,5`` and ``12.5`` -> 12.5, ``12.0`` -> 12), or None when it is not
    one: the one reading of a number the survey import and the web form share."""
    text = text.strip()
    if len(text) > MAX_DIGITS or not re.fullmatch(NUMBER, text):
        return None
    number = float(text.replace(",", "."))
    return int(number) if number.is_integer() else number


def whole_number(text: str) -> int | None:
    """``text`` as a whole number of ASCII digits (a scale answer, a byte count), or None."""
    text = text.strip()
    return int(text) if len(text) <= MAX_DIGITS and _WHOLE.fullmatch(text) else None


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: "Don’t  know!" -> "don t know"."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.replace("'", "").casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def accepts_dont_know(question: Question) -> bool:
    """Whether the engine takes ``dont_know`` as an answer to ``question``."""
    return question.type != "text" and answer_problem(question, DONT_KNOW) is None


def scale_labels(questionnaire: Questionnaire) -> dict[int, str]:
    labels = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree", 5: "Strongly agree"}
    return {**labels, **questionnaire.scale}


def read_value(question: Question, raw: str, questionnaire: Questionnaire) -> tuple[AnswerValue | None, str | None]:
    """``(value, None)``, ``(None, None)`` for an empty cell, or ``(None, problem)``."""
    text = raw.strip()
    if not text:
        return None, None
    if question.type == "text":
        return text, None
    key = normalise(text)
    if key in _DONT_KNOW_TEXTS or text == DONT_KNOW:
        if answer_problem(question, DONT_KNOW) is None:
            return DONT_KNOW, None
        return None, f"'{text}' (don't know) is not an accepted answer to a {question.type} question"
    value, problem = _typed(question, text, key, questionnaire)
    if problem is None and value is not None:
        problem = answer_problem(question, value)
    return (value, None) if problem is None else (None, problem)


def _typed(
    question: Question, text: str, key: str, questionnaire: Questionnaire
) -> tuple[AnswerValue | None, str | None]:
    kind = question.type
    if kind == "scale":
        labels = {normalise(label): number for number, label in scale_labels(questionnaire).items()}
        labels = {**{normalise(k): v for k, v in _SCALE_TEXTS.items()}, **labels}
        if key in labels:
            return labels[key], None
        number = re.match(r"^([1-5])(?:\.0+)?(?:\s*[-=:.)]\s*(.*))?$", text)
        if number and (number[2] is None or normalise(number[2]) in labels):
            return int(number[1]), None
        shown = ", ".join(scale_labels(questionnaire).values())
        return None, f"'{text}' is not an answer on the agreement scale ({shown}, 1 to 5{_or_dont_know(question)})"
    if kind == "yesno":
        if key in _YES:
            return True, None
        if key in _NO:
            return False, None
        return None, f"'{text}' is not Yes or No{_or_dont_know(question, ' (or ', ')')}"
    if kind == "number":
        return _number(question, text)
    if kind == "choice":
        for choice in question.choices:
            if key in (normalise(choice.id), normalise(choice.label)):
                return choice.id, None
        choice_labels = [choice.label for choice in question.choices]
        hint = did_you_mean(text, choice_labels) or did_you_mean(text, question.choice_ids)
        offered = "; ".join(choice_labels) + _or_dont_know(question, "; ")
        return None, f"'{text}' is not one of the choices ({offered}){hint}"
    return text, None


def _or_dont_know(question: Question, before: str = ", or ", after: str = "") -> str:
    return f"{before}{DONT_KNOW_LABEL}{after}" if accepts_dont_know(question) else ""


def _number(question: Question, text: str) -> tuple[AnswerValue | None, str | None]:
    match = _NUMBER.match(text)
    unit = question.unit or ""
    if not match:
        return None, f"'{text}' is not a number{f' of {unit}' if unit else ''}"
    if match[2] and not _same_unit(match[2], unit):
        wanted = f"a number of {unit}, such as '{match[1]}' or '{match[1]} {unit}'" if unit else "a plain number"
        return None, f"'{text}' is not {wanted}: '{match[2]}' is not a unit this question counts in"
    number = parse_number(match[1])
    if number is None:
        return (
            None,
            f"'{shorten_text(text)}' is too long a number for {'a number of ' + unit if unit else 'this question'}",
        )
    return number, None


def shorten_text(text: str, width: int = 30) -> str:
    """A user's text cut to ``width`` characters for a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _same_unit(given: str, unit: str) -> bool:
    """'6 weeks' for weeks, '1 week', '12 hours' for hours a month."""
    said, wanted = normalise(given).split(), normalise(unit).split()
    if not said or not wanted:
        return False
    stem = wanted[0].rstrip("s")
    return said[0].rstrip("s") == stem and (len(said) == 1 or said == wanted)
