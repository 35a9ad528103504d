"""The questionnaire and the answers: what partners are asked and what they said."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from pydantic import (
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from ..errors import Issue, Key
from .common import (
    ROLES,
    AnswerType,
    AnswerValue,
    FiniteFloat,
    Identifier,
    KebabId,
    Model,
    QuestionId,
    Role,
    Source,
    Text,
)

# --- questionnaire -------------------------------------------------------------------


class Choice(Model):
    """One answer a choice question offers: a stable id and the label people read."""

    id: Identifier
    label: Text


class Question(Model):
    """One question: its stable id (``section.name``), text and answer type.

    By type also its scale direction, unit, bounds or choices; the roles asked it; the
    guide section it comes from.
    """

    id: QuestionId
    text: Text
    type: AnswerType
    reverse: bool = Field(False, description="Scale only: agreeing is the unhealthy answer")
    help: str | None = None
    unit: str | None = Field(None, description="Number only")
    min: FiniteFloat | None = Field(None, description="Number only: smallest allowed answer")
    max: FiniteFloat | None = Field(None, description="Number only: largest allowed answer")
    choices: list[Choice] = Field(default_factory=list, description="Choice only")
    roles: list[Role] | None = Field(
        None,
        min_length=1,
        description="The roles asked this question (default: every role); an answer from another role is an error",
        examples=[["lead", "core"]],
    )
    source: Source

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        if self.reverse and self.type != "scale":
            raise ValueError("'reverse' is only for scale questions")
        if (self.choices and self.type != "choice") or (self.type == "choice" and len(self.choices) < 2):
            raise ValueError("a choice question needs at least two 'choices'; other types take none")
        if self.type != "number" and (self.unit or self.min is not None or self.max is not None):
            raise ValueError("'unit', 'min' and 'max' are only for number questions")
        if self.type == "number" and (self.min is None or self.max is None or self.min > self.max):
            raise ValueError("a number question needs 'min' <= 'max'")
        if self.roles is not None and len(set(self.roles)) != len(self.roles):
            raise ValueError("'roles' names a role twice")
        return self

    def asks(self, role: str) -> bool:
        """Whether respondents in ``role`` are asked this question."""
        return self.roles is None or role in self.roles

    @property
    def bounds(self) -> tuple[float, float] | None:
        """The range an answer can take, for numeric types."""
        if self.type == "scale":
            return (1, 5)
        if self.type == "number":
            assert self.min is not None and self.max is not None
            return (self.min, self.max)
        return None

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(choice.id for choice in self.choices)


class Section(Model):
    """A part of the questionnaire: its questions, and prompts a facilitator can put to the room."""

    id: Identifier
    title: Text
    description: str = ""
    prompts: list[Text] = Field(
        default_factory=list,
        description="Questions a facilitator can put to the room when partners see this section differently",
    )
    questions: list[Question] = Field(min_length=1)


class Questionnaire(Model):
    """The questionnaire (``questionnaires/partnership-health.yaml``): sections of questions with their sources.

    Derived views (every question by id, the roles asked each) are cached attributes."""

    id: Identifier | KebabId
    version: Text
    title: Text
    scale: dict[int, Text] = Field(default_factory=dict, description="Labels of the agreement scale 1-5")
    sections: list[Section] = Field(min_length=1)

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question by id, in questionnaire order."""
        return {question.id: question for section in self.sections for question in section.questions}

    @cached_property
    def asked(self) -> dict[str, frozenset[str]]:
        """Question id -> the roles asked it."""
        return {qid: frozenset(question.roles or ROLES) for qid, question in self.questions.items()}


# --- answers -------------------------------------------------------------------------


class QuestionnaireRef(Model):
    """Which questionnaire, and which version of it, answers were given to."""

    id: Text
    version: Text


class Respondent(Model):
    """One person who answered: their organisation, their role in the partnership and their answers by question id."""

    id: Text = Field(description="Unique within the file; never shown in reports")
    name: str | None = Field(None, description="Shown only with --show-respondents")
    organisation: Text
    role: Role
    answers: dict[str, AnswerValue] = Field(default_factory=dict)


class Answers(Model):
    """A partnership's answers: who answered, in which role, and what.

    Built in code, ``Answers(...)`` validates like any pydantic model (a
    ``ValidationError``); ``partnership_health.load_answers`` takes the same data as a
    mapping, reads the answers as people write them, checks them against the
    questionnaire and names each problem's respondent and field in an
    :class:`~partnership_health.errors.InputError`. ``assess`` checks answers built in
    code against the questionnaire too.
    """

    partnership: Text
    assessed_on: datetime.date = Field(description="Written YYYY-MM-DD", examples=["2026-03-14"])
    questionnaire: QuestionnaireRef
    respondents: list[Respondent] = Field(min_length=1)
    named_in_programme: StrictBool = Field(
        False,
        description="The partnership's lead agrees that a programme view (partnership-health programme) may name"
        " the partnership; off by default, when it is counted but never named",
    )

    @field_validator("assessed_on", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError as error:
                raise ValueError(f"is not a real date ({error})") from None
        hint = _date_hint(value) if isinstance(value, str) else ""
        raise ValueError(f"must be a date written YYYY-MM-DD{hint}")


def plain(data: Any) -> Any:
    """A copy of ``data`` with every mapping a dict and every sequence a list, as if read from a file."""
    if isinstance(data, Mapping):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [plain(value) for value in data]
    return data


def text_where_wanted(
    data: Any, errors: list[Any], written: Callable[[tuple[Key, ...]], str | None] | None = None
) -> bool:
    """Put text in place of numbers where a text field wants it (``version: 1.0``); True if any.

    ``written(loc)`` gives the value's text as written in its file (a yes/no word too);
    without a file, a number's own text is used. ``data`` is changed in place.
    """
    changed = False
    for error in errors:
        value, loc = error.get("input"), tuple(error["loc"])
        if error["type"] != "string_type" or not isinstance(value, (bool, int, float)) or not loc:
            continue
        parent: Any = data
        for part in loc[:-1]:
            parent = parent[part] if isinstance(parent, (dict, list)) else None
        text = written(loc) if written else (None if isinstance(value, bool) else str(value))
        if isinstance(parent, (dict, list)) and text is not None:
            parent[loc[-1]] = text
            changed = True
    return changed


def _date_hint(text: str) -> str:
    """`` (did you mean 2026-03-14?)`` for a date written another way, when it can be read."""
    months = {name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name}
    words = re.findall(r"[A-Za-z]+|\d+", text)
    numbers = [int(w) for w in words if w.isdigit()]
    named = [months[w[:3].casefold()] for w in words if w.isalpha() and w[:3].casefold() in months]
    readings: list[tuple[int, int, int]] = []
    if len(named) == 1 and len(numbers) == 2:
        year, day = (numbers[1], numbers[0]) if numbers[1] > 31 else (numbers[0], numbers[1])
        readings = [(year, named[0], day)]
    elif len(numbers) == 3 and not named and numbers[0] > 31:
        readings = [(numbers[0], numbers[1], numbers[2])]
    elif len(numbers) == 3 and not named and numbers[2] > 31:
        first, second, year = numbers
        readings = [(year, second, first), (year, first, second)]  # day first, then month first
    dates = []
    for year, month, day in readings:
        try:
            dates.append(datetime.date(year, month, day).isoformat())
        except ValueError:
            pass
    dates = list(dict.fromkeys(dates))
    return f" (did you mean {' or '.join(dates)}?)" if dates else ""


def respondent_label(respondent: object, index: int) -> str:
    """``respondent 'r2'``, or ``respondent 2`` when it has no usable id."""
    label = respondent.get("id") if isinstance(respondent, dict) else getattr(respondent, "id", None)
    return f"respondent '{label}'" if isinstance(label, (str, int)) else f"respondent {index + 1}"


def name_respondent(issue: Issue, data: object) -> Issue:
    """``respondents[1].role`` -> ``respondent 'r2': role``, ``respondents[1].answers.q`` -> ``respondent 'r2': q``."""
    match = re.match(r"respondents\[(\d+)\]\.?(?:answers\.)?(.*)", issue.subject)
    people = data.get("respondents") if isinstance(data, dict) else None
    if not match or not isinstance(people, (list, tuple)) or int(match[1]) >= len(people):
        return issue
    who = respondent_label(people[int(match[1])], int(match[1]))
    return Issue(issue.location, f"{who}: {match[2]}" if match[2] else who, issue.message)
