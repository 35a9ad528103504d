"""Frozen pydantic models for every file format and for the results."""

from __future__ import annotations

import calendar
import datetime
import math
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Protocol, Self

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Strict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from .errors import InputError, Issue, Key, SourceLocation, data_keys, pydantic_message, subject_of

Role = Literal["lead", "core", "wider"]
ROLES: tuple[Role, ...] = ("lead", "core", "wider")
Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
Level = Literal["strength", "watch", "concern"]
AnswerType = Literal["scale", "choice", "number", "yesno", "text"]
Op = Literal["<", "<=", "==", "!=", ">=", ">", "in", "answered"]
Stat = Literal[
    "mean", "median", "min", "max", "spread", "count", "share", "mode", "distinct", "gap", "split", "disputed"
]
DONT_KNOW = "dont_know"
"""The answer "don't know / not applicable": allowed for every type but text, counted, never scored."""
# durable-rules cannot compare with inf or nan, and no answer is either: files carry finite numbers.
FiniteFloat = Annotated[float, AllowInfNan(False)]
StrictFiniteFloat = Annotated[float, Strict(), AllowInfNan(False)]
Scalar = StrictBool | StrictInt | StrictFiniteFloat | StrictStr
AnswerValue = StrictBool | StrictInt | StrictFloat | StrictStr

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", examples=["communication"])]
QuestionId = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", examples=["communication.meetings_regular"])
]
KebabId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$", examples=["all-talk.no-owners"])]


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("is blank (write it out)")
    return text


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]

STATS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "scale": ("mean", "median", "min", "max", "spread", "count", "gap", "split", "disputed"),
    "number": ("mean", "median", "min", "max", "spread", "count", "gap"),
    "yesno": ("share", "count"),
    "choice": ("mode", "distinct", "count"),
    "text": ("count",),
}
DEFAULT_STAT: dict[str, str] = {"scale": "mean", "number": "mean", "yesno": "share", "choice": "mode", "text": "count"}


class Model(BaseModel):
    """Strict, immutable base for every model."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- guides and sources ------------------------------------------------------------


class Source(Model):
    """Where in the guides something comes from."""

    guide: Text = Field(description="Short name of the guide", examples=["Participate"])
    section: Text = Field(description="A section heading of that guide, as listed in rules/guides.yaml")


class Guide(Model):
    name: Text = Field(description="Short name used in sources")
    title: Text
    file: Text = Field(description="The guide's text file in the seeds folder")
    sections: list[Text] = Field(min_length=1)


class GuidesFile(Model):
    guides: list[Guide] = Field(min_length=1)


# --- questionnaire -------------------------------------------------------------------


class Choice(Model):
    id: Identifier
    label: Text


class Question(Model):
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
    id: Identifier
    title: Text
    description: str = ""
    prompts: list[Text] = Field(
        default_factory=list,
        description="Questions a facilitator can put to the room when partners see this section differently",
    )
    questions: list[Question] = Field(min_length=1)


class Questionnaire(Model):
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

    @cached_property
    def scale_questions(self) -> dict[str, tuple[str, bool, frozenset[str]]]:
        """Scale question id -> its section's id, whether it is reverse-scored, and the roles asked it."""
        return {
            q.id: (section.id, q.reverse, self.asked[q.id])
            for section in self.sections
            for q in section.questions
            if q.type == "scale"
        }


# --- answers -------------------------------------------------------------------------


class QuestionnaireRef(Model):
    id: Text
    version: Text


class Respondent(Model):
    id: Text = Field(description="Unique within the file; never shown in reports")
    name: str | None = Field(None, description="Shown only with --show-respondents")
    organisation: Text
    role: Role
    answers: dict[str, AnswerValue] = Field(default_factory=dict)


class Answers(Model):
    """A partnership's answers: who answered, in which role, and what.

    Built in code, bad values raise :class:`~engine.errors.InputError` naming each
    respondent and field (``engine.load_answers`` also checks the answers against the
    questionnaire and reads them as people write them).
    """

    partnership: Text
    assessed_on: datetime.date = Field(description="Written YYYY-MM-DD", examples=["2026-03-14"])
    questionnaire: QuestionnaireRef
    respondents: list[Respondent] = Field(min_length=1)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
            return
        except ValidationError as error:
            errors = error.errors()
        data = plain(data)
        if text_where_wanted(data, errors):
            try:
                super().__init__(**data)
                return
            except ValidationError as error:
                errors = error.errors()
        raise InputError(answers_issues("<Answers>", data, errors)) from None

    # Only a call to Answers(...) raises InputError: model_validate, which the loaders use to
    # locate each problem in its file, keeps pydantic's ValidationError. (This is pydantic's
    # own mark for an __init__ that validation need not call.)
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

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


def answers_issues(path: str, data: dict[str, Any], errors: list[Any]) -> list[Issue]:
    """Pydantic's errors about answers given as data (no file): one issue per field, respondents named."""
    merged: dict[str, list[Any]] = {}
    for error in errors:
        merged.setdefault(subject_of(data_keys(data, tuple(error["loc"]))), []).append(error)
    return [
        name_respondent(Issue(SourceLocation(path), subject, pydantic_message(group)), data)
        for subject, group in merged.items()
    ]


# --- rule base -----------------------------------------------------------------------


def _finite_value(value: Any) -> Any:
    """One clear message for inf and nan, rather than one per member of a union."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("must be a finite number")
    return value


class Traced(Model):
    """A comparison's threshold, traced: a guide that gives it, or a judgement with its reason."""

    source: Source | None = Field(None, description="The guide and section that give this threshold")
    judgement: bool = Field(False, description="The threshold is the tool's judgement, not the guides'")
    reason: str | None = Field(None, min_length=1, description="With judgement: why this value, in one line")

    @model_validator(mode="after")
    def _traced_once(self) -> Traced:
        if self.judgement != (self.reason is not None):
            raise ValueError("'judgement: true' needs a one-line 'reason', and 'reason' goes only with it")
        if self.judgement and self.source is not None:
            raise ValueError("a threshold is either cited ('source') or a 'judgement', not both")
        return self


class QuestionCondition(Traced):
    question: QuestionId
    stat: Stat | None = Field(None, description="Aggregate to compare; the answer type's default if left out")
    role: Role | None = Field(None, description="Only the answers of respondents in this role (same as roles: [role])")
    roles: list[Role] | None = Field(
        None,
        min_length=1,
        description="Only the answers of respondents in these roles; with stat 'gap', exactly two roles, "
        "and the stat is the first role's mean minus the second's",
        examples=[["lead", "core"]],
    )
    op: Op
    value: Scalar | list[Scalar] | None = None

    _finite = field_validator("value", mode="before")(_finite_value)

    @model_validator(mode="after")
    def _value_fits_op(self) -> QuestionCondition:
        _check_value(self.op, self.value)
        if self.role and self.roles:
            raise ValueError("give 'role' or 'roles', not both")
        if self.roles and len(set(self.roles)) != len(self.roles):
            raise ValueError("'roles' names a role twice")
        if self.stat == "gap" and (self.roles is None or len(self.roles) != 2):
            raise ValueError("stat 'gap' needs 'roles' with exactly two roles (first minus second)")
        return self

    @property
    def group(self) -> str | None:
        """The respondents whose answers count, as named in a fact key.

        None for everyone, ``lead`` for one role, ``lead+core`` for several (in the order
        lead, core, wider), ``lead-core`` for the pair a gap compares (in the order given).
        """
        if self.stat == "gap":
            assert self.roles is not None
            return "-".join(self.roles)
        chosen = [self.role] if self.role else self.roles
        if not chosen or set(chosen) == set(ROLES):
            return None
        return "+".join(role for role in ROLES if role in chosen)


class ScoreCondition(Traced):
    score: Identifier = Field(description="A section id: its score from 0 to 100")
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    value: StrictInt | StrictFiniteFloat

    _finite = field_validator("value", mode="before")(_finite_value)


class FactCondition(Model):
    fact: Identifier = Field(description="A derived fact, true once a rule asserting it has fired")


class AllCondition(Model):
    all: list[Condition] = Field(min_length=1)


class AnyCondition(Model):
    any: list[Condition] = Field(min_length=1)


class AtLeastCondition(Model):
    """At least ``at_least`` of the conditions in ``of`` hold (e.g. two of four serious problems)."""

    at_least: int = Field(ge=1, description="How many of 'of' must hold")
    of: list[Condition] = Field(min_length=2)

    @model_validator(mode="after")
    def _possible(self) -> AtLeastCondition:
        if self.at_least > len(self.of):
            raise ValueError(f"'at_least' is {self.at_least} but 'of' has only {len(self.of)} conditions")
        return self


class NotCondition(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    negated: Condition = Field(alias="not")


def _condition_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        for key in ("all", "any", "at_least", "not", "question", "score", "fact"):
            if key in data:
                return key
        return None
    for kind, cls in _CONDITION_CLASSES.items():
        if isinstance(data, cls):
            return kind
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[AtLeastCondition, Tag("at_least")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[QuestionCondition, Tag("question")]
    | Annotated[ScoreCondition, Tag("score")]
    | Annotated[FactCondition, Tag("fact")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of the keys all, any, at_least, not, question, score or fact",
    ),
]
_CONDITION_CLASSES = {
    "all": AllCondition,
    "any": AnyCondition,
    "at_least": AtLeastCondition,
    "not": NotCondition,
    "question": QuestionCondition,
    "score": ScoreCondition,
    "fact": FactCondition,
}
Leaf = QuestionCondition | ScoreCondition | FactCondition


def _check_value(op: str, value: Any) -> None:
    if op == "answered":
        if value is not None:
            raise ValueError("'answered' takes no 'value'")
    elif op == "in":
        if not isinstance(value, list) or not value:
            raise ValueError("'in' needs a non-empty list as 'value'")
    elif value is None or isinstance(value, list):
        raise ValueError(f"'{op}' needs a single 'value'")


class Rule(Model):
    id: KebabId
    title: Text
    failure_mode: Identifier
    severity: Severity
    source: Source
    explanation: Text
    when: Condition
    type: list[Identifier] | None = Field(
        None,
        min_length=1,
        description="Applies only when the lead and core respondents agree the partnership is one of these types",
        examples=[["coordinated", "collaborative"]],
    )
    not_type: list[Identifier] | None = Field(
        None,
        min_length=1,
        description="Does not apply when the lead and core respondents agree the partnership is one of these types",
        examples=[["secondment"]],
    )
    asserts: list[Identifier] = Field(default_factory=list, description="Derived facts other rules can match")
    remedies: list[KebabId] = Field(min_length=1)
    prompts: list[Text] = Field(default_factory=list, description="Questions a facilitator can put to the room")


class Strength(Model):
    """Something going well: a critical success factor the answers show."""

    id: KebabId
    title: Text
    factor: Text = Field(description="The guides' name for the success factor", examples=["Trust"])
    contradicts: list[Identifier] = Field(
        default_factory=list,
        description="Failure modes that contradict it: while a finding of one of them is reported, it is not shown",
        examples=[["power_imbalance"]],
    )
    source: Source
    explanation: Text
    when: Condition
    type: list[Identifier] | None = Field(
        None, min_length=1, description="Shown only when the lead and core respondents agree on one of these types"
    )
    not_type: list[Identifier] | None = Field(
        None, min_length=1, description="Not shown when the lead and core respondents agree on one of these types"
    )


class RulesFile(Model):
    rules: list[Rule] = Field(default_factory=list)
    strengths: list[Strength] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> RulesFile:
        if not self.rules and not self.strengths:
            raise ValueError("a rule file needs a 'rules' or a 'strengths' list")
        return self


class Remedy(Model):
    id: KebabId
    title: Text
    steps: list[Text] = Field(min_length=1)
    sources: list[Source] = Field(default_factory=list, description="At least one (checked with the rule base)")


class RemediesFile(Model):
    remedies: list[Remedy] = Field(min_length=1)


class FailureMode(Model):
    id: Identifier
    title: Text
    description: str = ""
    sources: list[Source] = Field(min_length=1)


class Levels(Model):
    strength: FiniteFloat = Field(70, ge=0, le=100, description="A section score at or above this is a strength")
    watch: FiniteFloat = Field(50, ge=0, le=100, description="At or above this (and below strength) is one to watch")

    @model_validator(mode="after")
    def _ordered(self) -> Levels:
        if self.watch > self.strength:
            raise ValueError("'watch' must not be above 'strength'")
        return self

    def level(self, score: float) -> Level:
        if score >= self.strength:
            return "strength"
        return "watch" if score >= self.watch else "concern"


class GapSettings(Model):
    """When a question is disputed: a perception gap, and what the stat ``disputed`` means.

    A question is disputed when at least ``share`` of the respondents who answered agree
    (4 or 5) and at least ``share`` disagree (1 or 2), or when one role group's mean is at
    or below ``low`` while another's is at or above ``high``. Neutral answers (3) and
    "don't know" are not disagreement.
    """

    share: FiniteFloat = Field(
        0.25, gt=0, le=0.5, description="Both the share agreeing and the share disagreeing at least this"
    )
    low: FiniteFloat = Field(
        2.5, ge=1, le=5, description="A role group's mean at or below this sits on the disagree side"
    )
    high: FiniteFloat = Field(
        3.5, ge=1, le=5, description="A role group's mean at or above this sits on the agree side"
    )
    show: int = Field(5, ge=0, description="How many gaps the report shows first (the rest go to the appendix)")
    min_respondents: int = Field(2, ge=2, description="Fewer respondents than this: no gaps are looked for")

    @model_validator(mode="after")
    def _sides_apart(self) -> GapSettings:
        if self.low >= self.high:
            raise ValueError("'low' must be below 'high'")
        return self


class PartnershipTypeSettings(Model):
    question: QuestionId = Field(description="The choice question that asks which type the partnership works as")


class RulebaseSettings(Model):
    version: Text
    levels: Levels = Levels()
    gaps: GapSettings = GapSettings()
    partnership_type: PartnershipTypeSettings | None = None


class RulebaseFile(Model):
    rulebase: RulebaseSettings
    failure_modes: list[FailureMode] = Field(min_length=1)


class Judgement(Model):
    """A threshold that is the tool's judgement rather than the guides', with its reason."""

    rule: str = Field(description="The rule or strength id")
    fact: str = Field(description="What is compared, e.g. 'communication.core_meeting_weeks:mean'")
    op: str
    value: Any
    reason: str


class RuleBase(Model):
    """A complete, checked rule base: rules, remedies, failure modes and settings."""

    settings: RulebaseSettings
    failure_modes: tuple[FailureMode, ...]
    remedies: tuple[Remedy, ...]
    rules: tuple[Rule, ...]
    guides: tuple[Guide, ...]
    strengths: tuple[Strength, ...] = ()
    judgements: tuple[Judgement, ...] = Field((), description="Every threshold marked 'judgement', for the appendix")

    @cached_property
    def remedy(self) -> dict[str, Remedy]:
        return {remedy.id: remedy for remedy in self.remedies}

    @cached_property
    def rule(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def failure_mode(self) -> dict[str, FailureMode]:
        return {mode.id: mode for mode in self.failure_modes}


# --- results -------------------------------------------------------------------------


class Evidence(Model):
    fact: str = Field(description="The fact that was compared, e.g. 'authority.decisions_shared:mean@core'")
    value: Any = Field(description="Its actual value")
    op: str
    threshold: Any
    text: str = Field("", description="The same in plain words, to be read aloud")


class Signal(Model):
    """One rule of a finding's failure mode that fired."""

    rule: str = Field(description="The rule's id")
    title: str
    severity: Severity


class Finding(Model):
    """One failure mode diagnosed: every rule of it that fired is one of its signals."""

    id: str = Field(description="The id of its leading rule: the most severe signal, first in the rule base")
    title: str = Field(description="The leading rule's title")
    failure_mode: str
    severity: Severity = Field(description="The highest severity among its signals")
    explanation: str = Field(description="The leading rule's explanation")
    evidence: tuple[Evidence, ...] = Field(description="Every comparison that held in any signal, each fact once")
    remedies: tuple[Remedy, ...] = Field(description="The remedies of every signal, each once")
    prompts: tuple[str, ...] = ()
    rules: tuple[str, ...] = Field((), description="The ids of the rules that fired, the leading one first")
    signals: tuple[Signal, ...] = Field((), description="The rules that fired, the leading one first")
    respondents: int = Field(0, description="The most respondents behind any one piece of its evidence")


class StrengthFound(Model):
    id: str
    title: str
    factor: str
    explanation: str
    evidence: tuple[Evidence, ...]
    source: Source


class PartnershipType(Model):
    """Which of the guides' partnership types the respondents say the partnership works as."""

    question: str
    chosen: str | None = Field(description="The type most respondents chose (None when nobody answered)")
    label: str | None
    distribution: dict[str, int] = Field(description="Type id -> how many respondents chose it")
    labels: dict[str, str] = Field(description="Type id -> its description")
    agreed: bool = Field(description="Every respondent who answered chose the same type")
    lead_and_core: str | None = Field(
        None, description="The type every lead and core respondent who answered chose (what rules' 'type' matches)"
    )


class Gap(Model):
    """A question partners are split on, with prompts for the room."""

    question: str
    text: str
    split: float = Field(
        description="The smaller of the shares agreeing and disagreeing, 0 to 0.5: how split the room is"
    )
    sides: bool = Field(description="Role groups' means sit on opposite sides of neutral")
    agree: int = Field(description="Answers of 4 or 5")
    neutral: int = Field(description="Answers of 3")
    disagree: int = Field(description="Answers of 1 or 2")
    dont_know: int = Field(0, description="'Don't know' answers (not counted as disagreement)")
    spread: float = Field(description="Highest minus lowest answer")
    role_gap: float | None = Field(description="Largest difference between two roles' means, when two roles answered")
    by_role: dict[str, float] = Field(description="Role (or 'others') -> mean answer")
    prompts: tuple[str, ...]


class SectionScore(Model):
    score: int = Field(ge=0, le=100)
    level: Level


class QuestionStats(Model):
    """Aggregates of one question's answers over a group of respondents."""

    count: int
    values: dict[str, float | str | None] = Field(description="Each stat of the answer type, None when unanswered")
    distribution: dict[str, int] = Field(
        default_factory=dict, description="Choice and yes/no answers: how many chose each"
    )
    texts: tuple[str, ...] = Field((), description="Free-text answers, in file order")
    agree: int = Field(0, description="Scale answers of 4 or 5")
    disagree: int = Field(0, description="Scale answers of 1 or 2")
    dont_know: int = Field(0, description="'Don't know' answers: not in count, nor in any stat")


class Group(Model):
    """The answers of one role, one organisation, or 'others' (small groups merged)."""

    respondents: int
    answers: dict[str, QuestionStats]


class DataQuality(Model):
    """How much the answers can bear, with plain caveats for the summary."""

    respondents: int
    by_role: dict[str, int] = Field(description="Role -> how many respondents answered as it")
    asked: int = Field(description="Questions asked (free text aside), summed over the respondents")
    unanswered: int = Field(description="Of those, how many were left blank")
    dont_know: int = Field(description="Of those, how many were answered 'dont_know'")
    unanswered_share: float = Field(description="unanswered / asked, 0 to 1")
    dont_know_share: float = Field(description="dont_know / asked, 0 to 1")
    caveats: tuple[str, ...] = Field(
        (), description="One person answered, a role has one person, or a third or more blank or don't know"
    )


class RespondentInfo(Model):
    """Shown only when the report is asked to show respondents."""

    id: str
    name: str | None
    organisation: str
    role: Role


class Breakdowns(Protocol):
    """What an :class:`Assessment` builds only when it is read: findings in words and the report's aggregates."""

    @property
    def findings(self) -> tuple[Finding, ...]: ...

    @property
    def strengths(self) -> tuple[StrengthFound, ...]: ...

    @property
    def answers(self) -> dict[str, QuestionStats]: ...

    @property
    def by_role(self) -> dict[str, Group]: ...

    @property
    def by_organisation(self) -> dict[str, Group]: ...

    @property
    def gaps(self) -> tuple[Gap, ...]: ...

    @property
    def quality(self) -> DataQuality | None: ...

    def replaced(self, values: Mapping[str, Any]) -> Breakdowns: ...


class Assessment(Model):
    """One partnership's assessment, as ``engine.assess`` returns it.

    Scores, the partnership type and which rules and strengths fired are decided by
    ``assess``. What is put into words or aggregated for a report is built the first time
    it is read, then kept: the findings and strengths (with their evidence and remedies)
    and the report's aggregates (``answers``, ``by_role``, ``by_organisation``, ``gaps``,
    ``quality``). They are properties, not fields, and appear in ``model_dump()`` as
    computed fields, after the fields. An assessment comes from ``engine.assess``; it is
    not built by hand.
    """

    partnership: str
    assessed_on: datetime.date
    questionnaire: QuestionnaireRef
    rulebase_version: str
    levels: Levels = Field(description="The score thresholds the levels come from")
    respondents: int
    organisations: int = Field(description="How many different organisations answered")
    counted_by: Literal["respondent", "organisation"] = Field(
        "respondent", description="'organisation': several people from one organisation counted once"
    )
    overall: SectionScore | None = Field(description="The mean of the section scores")
    scores: dict[str, SectionScore]
    partnership_type: PartnershipType | None = None
    gaps_shown: int = Field(5, description="How many of the gaps the report shows first; the rest go to the appendix")
    gaps_note: str = Field("", description="Why no gaps could be looked for, when that is so")
    privacy_note: str = Field("", description="What was merged or hidden to keep small groups anonymous")
    respondent_list: tuple[RespondentInfo, ...] = Field((), description="Only when respondents are to be shown")
    judgements: tuple[Judgement, ...] = Field((), description="The rule base's judgement thresholds, for the appendix")
    _breakdowns: Breakdowns | None = PrivateAttr(None)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, with ``update`` replacing fields and what is built when read (``findings``, ``gaps``, ...)."""
        fields = dict(update or {})
        built = {name: fields.pop(name) for name in list(fields) if name in type(self).model_computed_fields}
        changed = super().model_copy(update=fields, deep=deep)
        if built:
            changed._breakdowns = self._built().replaced(built)
        return changed

    def _built(self) -> Breakdowns:
        if self._breakdowns is None:
            raise AttributeError("this assessment has no answers to aggregate: assessments come from engine.assess")
        return self._breakdowns

    @computed_field(description="One per failure mode diagnosed, most severe first")  # type: ignore[prop-decorator]
    @property
    def findings(self) -> tuple[Finding, ...]:
        return self._built().findings

    @computed_field(description="What the partnership does well that no finding contradicts")  # type: ignore[prop-decorator]
    @property
    def strengths(self) -> tuple[StrengthFound, ...]:
        return self._built().strengths

    @computed_field(description="Every disputed question, most split first")  # type: ignore[prop-decorator]
    @property
    def gaps(self) -> tuple[Gap, ...]:
        return self._built().gaps

    @computed_field(description="Every question's aggregates over all respondents")  # type: ignore[prop-decorator]
    @property
    def answers(self) -> dict[str, QuestionStats]:
        return self._built().answers

    @computed_field(description="Role (or 'others') -> its answers")  # type: ignore[prop-decorator]
    @property
    def by_role(self) -> dict[str, Group]:
        return self._built().by_role

    @computed_field(description="Organisation (or 'others') -> its answers")  # type: ignore[prop-decorator]
    @property
    def by_organisation(self) -> dict[str, Group]:
        return self._built().by_organisation

    @computed_field(description="Respondents per role, blanks, don't knows, caveats")  # type: ignore[prop-decorator]
    @property
    def quality(self) -> DataQuality | None:
        return self._built().quality


# --- year on year: what changed since an earlier assessment (engine.history) -------


class PreviousRef(Model):
    id: str = Field(description="Which earlier assessment: a stored id or the report file's name")
    assessed_on: datetime.date | None


class FindingThen(Model):
    id: str
    title: str
    failure_mode: str
    severity: str


class FindingPersisting(Model):
    id: str
    title: str
    failure_mode: str
    severity: str
    previous_id: str = Field(description="The rule that found it last time (another id after a rule was renamed)")
    previous_title: str
    previous_severity: str
    severity_change: Literal["higher", "lower", "same"]


class FindingsSince(Model):
    new: tuple[FindingThen, ...]
    resolved: tuple[FindingThen, ...]
    persisting: tuple[FindingPersisting, ...]


class ScoreSince(Model):
    then: int | float | None
    now: int | float | None
    change: int | float | None


class RespondentsSince(Model):
    then: dict[str, int] = Field(description="Role -> respondents last time")
    now: dict[str, int]


class TrendPoint(Model):
    id: str | None = Field(description="The stored id or report file's name where known; null for this assessment")
    assessed_on: datetime.date | None
    overall: int | float | None = Field(description="The mean of the section scores, 0 to 100")
    scores: dict[str, int | float | None] = Field(description="Section id -> its score")


class DisagreementSince(Model):
    """Did the room move closer together? The questions partners saw differently then and now."""

    then: tuple[str, ...] = Field(description="Question ids seen differently last time, most split first")
    now: tuple[str, ...] = Field(description="Question ids seen differently this time, most split first")
    closed: tuple[str, ...] = Field(description="Seen differently then, no longer (and still asked)")
    opened: tuple[str, ...] = Field(description="Seen differently now, not last time")
    spread_then: float | None = Field(
        description="Mean spread (highest minus lowest answer) over the scale questions, last time"
    )
    spread_now: float | None = Field(description="The same, this time")
    direction: Literal["closer", "further", "same"] = Field(description="Whether the room moved closer together")
    sentence: str = Field(description="One plain sentence a facilitator can say aloud")


ActionStatus = Literal["done", "in progress", "not started", "dropped", ""]


class ActionDone(Model):
    """One row of last time's action plan, as the lead filled it in."""

    remedy_id: str
    remedy: str
    owner: str = ""
    due: str = Field("", description="The due date as written in the plan")
    status: ActionStatus = Field("", description="Blank when the plan does not say")


class FollowUp(Model):
    """A finding of last time set beside what was done about it."""

    finding: str = Field(description="The finding's title (this time's, when it persists)")
    failure_mode: str
    outcome: Literal["persisting", "resolved"]
    actions: tuple[ActionDone, ...] = Field(description="The plan's rows for the remedies last time's finding named")


class ActionsSince(Model):
    plan: tuple[ActionDone, ...] = Field(description="Every row of last time's plan, in its order")
    summary: str = Field(description="How far the plan got, in one sentence")
    follow_up: tuple[FollowUp, ...] = Field(description="Each persisting, then each resolved finding, with its actions")


class Since(Model):
    previous: PreviousRef
    findings: FindingsSince
    scores: dict[str, ScoreSince]
    respondents: RespondentsSince
    caveats: tuple[str, ...] = Field(description="What makes the two harder to compare, said plainly")
    trend: tuple[TrendPoint, ...] = Field(
        (), description="Every assessment compared, oldest first, this one last: overall and section scores"
    )
    disagreement: DisagreementSince | None = None
    actions: ActionsSince | None = Field(None, description="Last time's action plan, when one was attached")


# --- the JSON report -----------------------------------------------------------------


class RulebaseRef(Model):
    version: str


class GapShown(Model):
    question: str
    spread: float
    by_role: dict[str, float] = Field(description="Role (or 'others') -> mean answer")
    prompts: tuple[str, ...]


class Aggregates(Model):
    counted_by: Literal["respondent", "organisation"]
    privacy_note: str
    answers: dict[str, QuestionStats] = Field(description="Question id -> its aggregates over all respondents")
    by_role: dict[str, Group] = Field(description="Role (or 'others') -> its respondents and aggregates")
    by_organisation: dict[str, Group] = Field(
        description="Organisation (or 'others') -> its respondents and aggregates"
    )


class JsonReport(Model):
    """The JSON report (``--format json``), the machine contract: keys may be added, none removed."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Partnership Health JSON report")

    partnership: str
    assessed_on: datetime.date
    questionnaire: QuestionnaireRef
    rulebase: RulebaseRef
    respondents: int = Field(description="How many people answered")
    scores: dict[str, SectionScore] = Field(description="Section id -> its score")
    findings: tuple[Finding, ...] = Field(description="Most severe first")
    strengths: tuple[StrengthFound, ...]
    partnership_type: PartnershipType | None
    gaps: tuple[GapShown, ...] = Field(description="Most split first")
    respondent_list: tuple[RespondentInfo, ...] = Field(description="Only with --show-respondents")
    aggregates: Aggregates
    data_quality: DataQuality | None = Field(
        None, description="Respondents per role, share unanswered and don't know, plain caveats"
    )
    since: Since | None = Field(
        None, description="Only when compared with an earlier assessment: what changed since (engine.history)"
    )
