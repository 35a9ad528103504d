"""Frozen pydantic models for every file format and for the results."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

Role = Literal["lead", "core", "wider"]
ROLES: tuple[Role, ...] = ("lead", "core", "wider")
Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
Level = Literal["strength", "watch", "concern"]
AnswerType = Literal["scale", "choice", "number", "yesno", "text"]
Op = Literal["<", "<=", "==", "!=", ">=", ">", "in", "answered"]
Stat = Literal["mean", "median", "min", "max", "spread", "count", "share", "mode", "distinct", "gap"]
Scalar = StrictBool | StrictInt | StrictFloat | StrictStr
AnswerValue = StrictBool | StrictInt | StrictFloat | StrictStr

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", examples=["communication"])]
QuestionId = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", examples=["communication.meetings_regular"])
]
KebabId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$", examples=["all-talk.no-owners"])]
Text = Annotated[str, Field(min_length=1)]

STATS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "scale": ("mean", "median", "min", "max", "spread", "count", "gap"),
    "number": ("mean", "median", "min", "max", "spread", "count", "gap"),
    "yesno": ("share", "count"),
    "choice": ("mode", "distinct", "count"),
    "text": ("count",),
}
DEFAULT_STAT: dict[str, str] = {"scale": "mean", "number": "mean", "yesno": "share", "choice": "mode", "text": "count"}


class Model(BaseModel):
    """Strict, immutable base for every model."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
    min: float | None = Field(None, description="Number only: smallest allowed answer")
    max: float | None = Field(None, description="Number only: largest allowed answer")
    choices: list[Choice] = Field(default_factory=list, description="Choice only")
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
        return self

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
    partnership: Text
    assessed_on: datetime.date
    questionnaire: QuestionnaireRef
    respondents: list[Respondent] = Field(min_length=1)


# --- rule base -----------------------------------------------------------------------


class QuestionCondition(Model):
    question: QuestionId
    stat: Stat | None = Field(None, description="Aggregate to compare; the answer type's default if left out")
    role: Role | None = Field(None, description="Only the answers of respondents in this role")
    roles: tuple[Role, Role] | None = Field(
        None, description="With stat 'gap': the first role's mean minus the second's", examples=[["lead", "core"]]
    )
    op: Op
    value: Scalar | list[Scalar] | None = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> QuestionCondition:
        _check_value(self.op, self.value)
        if (self.stat == "gap") != (self.roles is not None):
            raise ValueError("stat 'gap' needs 'roles' (two roles), and 'roles' goes only with stat 'gap'")
        if self.stat == "gap" and self.role:
            raise ValueError("stat 'gap' compares 'roles'; it takes no 'role'")
        return self


class ScoreCondition(Model):
    score: Identifier = Field(description="A section id: its score from 0 to 100")
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    value: StrictInt | StrictFloat


class FactCondition(Model):
    fact: Identifier = Field(description="A derived fact, true once a rule asserting it has fired")


class AllCondition(Model):
    all: list[Condition] = Field(min_length=1)


class AnyCondition(Model):
    any: list[Condition] = Field(min_length=1)


class NotCondition(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    negated: Condition = Field(alias="not")


def _condition_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        for key in ("all", "any", "not", "question", "score", "fact"):
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
    | Annotated[NotCondition, Tag("not")]
    | Annotated[QuestionCondition, Tag("question")]
    | Annotated[ScoreCondition, Tag("score")]
    | Annotated[FactCondition, Tag("fact")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of the keys all, any, not, question, score or fact",
    ),
]
_CONDITION_CLASSES = {
    "all": AllCondition,
    "any": AnyCondition,
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
    strength: float = Field(70, ge=0, le=100, description="A section score at or above this is a strength")
    watch: float = Field(50, ge=0, le=100, description="At or above this (and below strength) is one to watch")

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
    """When partners' answers to a question count as a perception gap."""

    spread: float = Field(2, gt=0, description="Highest minus lowest answer on a 1-5 scale, at or above this")
    role_gap: float = Field(1.5, gt=0, description="Largest difference between two roles' means, at or above this")
    min_respondents: int = Field(2, ge=2, description="Fewer respondents than this: no gaps are looked for")


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


class RuleBase(Model):
    """A complete, checked rule base: rules, remedies, failure modes and settings."""

    settings: RulebaseSettings
    failure_modes: tuple[FailureMode, ...]
    remedies: tuple[Remedy, ...]
    rules: tuple[Rule, ...]
    guides: tuple[Guide, ...]
    strengths: tuple[Strength, ...] = ()

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


class Gap(Model):
    """A question partners answer differently, with prompts for the room."""

    question: str
    text: str
    spread: float
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


class Group(Model):
    """The answers of one role, one organisation, or 'others' (small groups merged)."""

    respondents: int
    answers: dict[str, QuestionStats]


class RespondentInfo(Model):
    """Shown only when the report is asked to show respondents."""

    id: str
    name: str | None
    organisation: str
    role: Role


class Assessment(Model):
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
    findings: tuple[Finding, ...]
    strengths: tuple[StrengthFound, ...] = ()
    partnership_type: PartnershipType | None = None
    gaps: tuple[Gap, ...] = ()
    gaps_note: str = Field("", description="Why no gaps could be looked for, when that is so")
    answers: dict[str, QuestionStats] = Field(description="Every question's aggregates over all respondents")
    by_role: dict[str, Group] = Field(description="Role (or 'others') -> its answers")
    by_organisation: dict[str, Group] = Field(description="Organisation (or 'others') -> its answers")
    privacy_note: str = Field("", description="What was merged or hidden to keep small groups anonymous")
    respondent_list: tuple[RespondentInfo, ...] = Field((), description="Only when respondents are to be shown")
