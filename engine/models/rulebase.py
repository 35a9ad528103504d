"""The rule base: guides, rules and strengths with their conditions, remedies, failure modes, settings."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    computed_field,
    field_serializer,
    field_validator,
    model_validator,
)

from .common import (
    ROLES,
    FiniteFloat,
    Identifier,
    KebabId,
    Level,
    Model,
    Op,
    QuestionId,
    Role,
    Scalar,
    Severity,
    Source,
    Stat,
    StrictFiniteFloat,
    Text,
)
from .inputs import Questionnaire

T = TypeVar("T")
Age = Literal["young", "established", "unknown"]
"""A partnership's age as the rules' ``age`` and ``not_age`` guards name it (see ``PartnershipAgeSettings``)."""
_KEPT = 4  # questionnaires a rule base keeps itself compiled for


class Guide(Model):
    """One of the five guides: its short name, title, seed file, and the section headings sources may cite."""

    name: Text = Field(description="Short name used in sources")
    title: Text
    file: Text = Field(description="The guide's text file in the seeds folder")
    sections: list[Text] = Field(min_length=1)


class GuidesFile(Model):
    """``rules/guides.yaml``: the guides and their citable sections."""

    guides: list[Guide] = Field(min_length=1)


# --- rule base -----------------------------------------------------------------------


def _finite_value(value: Any) -> Any:
    """One clear message for inf and nan, rather than one per member of a union."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("must be a finite number")
    return value


class Traced(Model):
    """A threshold or a remedy step, traced: a guide that gives it, or a judgement with its reason."""

    source: Source | None = Field(None, description="The guide and section that give it")
    judgement: bool = Field(False, description="It is the tool's own judgement or practice, not the guides'")
    reason: str | None = Field(None, min_length=1, description="With judgement: why, in one line")

    @model_validator(mode="after")
    def _traced_once(self) -> Traced:
        if self.judgement != (self.reason is not None):
            raise ValueError("'judgement: true' needs a one-line 'reason', and 'reason' goes only with it")
        if self.judgement and self.source is not None:
            raise ValueError("it is either cited ('source') or a 'judgement', not both")
        return self

    @property
    def traced(self) -> bool:
        """Whether it cites a guide or is marked a judgement."""
        return self.source is not None or self.judgement


class QuestionCondition(Traced):
    """A comparison on an aggregate of one question's answers (its mean, share, ...), over everyone or some roles."""

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
    """A comparison on a section's score (0 to 100)."""

    score: Identifier = Field(description="A section id: its score from 0 to 100")
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    value: StrictInt | StrictFiniteFloat

    _finite = field_validator("value", mode="before")(_finite_value)


PartnerSignal = Literal["below_rest", "dont_know_high", "neutral_high", "own_side_low", "withdrawing", "type_drift"]
PARTNER_SIGNALS: tuple[str, ...] = PartnerSignal.__args__  # type: ignore[attr-defined]


class PartnerCondition(Traced):
    """A comparison on how many partner organisations show a signal that a whole-partnership figure averages away.

    Signals (the rule base's ``partners`` settings give their thresholds):
    ``below_rest``, its answers sit well below the other organisations';
    ``dont_know_high``, it answers "don't know" far more often than the others;
    ``neutral_high``, it answers "neither agree nor disagree" far more often than the others;
    ``own_side_low``, its own lowest answer on its own side of the partnership (its board's
    backing, its commitment) is a disagreement; ``withdrawing``, ``own_side_low`` and at
    least one of the first three together (a newcomer answering neutral throughout shows
    only the first three);
    ``type_drift``, the type it signed up for is not the type it sees today.
    """

    partners: PartnerSignal = Field(description="The signal: how many partner organisations show it is compared")
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    value: StrictInt = Field(ge=0)


class FactCondition(Model):
    """A derived fact: true once a rule asserting it has fired."""

    fact: Identifier = Field(description="A derived fact, true once a rule asserting it has fired")


class AllCondition(Model):
    """Every condition in ``all`` holds."""

    all: list[Condition] = Field(min_length=1)


class AnyCondition(Model):
    """At least one condition in ``any`` holds."""

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
    """The condition under ``not`` does not hold (pushed down to the comparisons when compiled)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    negated: Condition = Field(alias="not")


def _condition_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        for key in ("all", "any", "at_least", "not", "question", "score", "partners", "fact"):
            if key in data:
                return key
        return None
    return next((kind for kind, cls in _CONDITION_CLASSES.items() if isinstance(data, cls)), None)


Condition = Annotated[
    Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[AtLeastCondition, Tag("at_least")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[QuestionCondition, Tag("question")]
    | Annotated[ScoreCondition, Tag("score")]
    | Annotated[PartnerCondition, Tag("partners")]
    | Annotated[FactCondition, Tag("fact")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition needs one of the keys all, any, at_least, not, question, score, partners "
        "or fact",
    ),
]
_CONDITION_CLASSES = {
    "all": AllCondition,
    "any": AnyCondition,
    "at_least": AtLeastCondition,
    "not": NotCondition,
    "question": QuestionCondition,
    "score": ScoreCondition,
    "partners": PartnerCondition,
    "fact": FactCondition,
}
Leaf = QuestionCondition | ScoreCondition | PartnerCondition | FactCondition


def _check_value(op: str, value: Any) -> None:
    if op == "answered":
        if value is not None:
            raise ValueError("'answered' takes no 'value'")
    elif op == "in":
        if not isinstance(value, list) or not value:
            raise ValueError("'in' needs a non-empty list as 'value'")
    elif value is None or isinstance(value, list):
        raise ValueError(f"'{op}' needs a single 'value'")


class Unattributed(Model):
    """A finding's words when the groups its evidence compares are too small to show: what the answers show,
    without saying which group (or which one person) holds which view."""

    title: Text = Field(examples=["Partners see how decisions are shared very differently"])
    explanation: Text


class Rule(Model):
    """A diagnosis: when its condition holds, a finding of its failure mode.

    With its severity, explanation, remedies and prompts, cited from a guide.
    """

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
    age: list[Age] | None = Field(
        None,
        min_length=1,
        description="Applies only when the partnership's age is one of these (young, established or unknown)",
        examples=[["young"]],
    )
    not_age: list[Age] | None = Field(
        None,
        min_length=1,
        description="Does not apply when the partnership's age is one of these; 'not_age: [young]' holds back "
        "what a partnership under a year old cannot yet have done, and still applies when the age is unknown",
        examples=[["young"]],
    )
    asserts: list[Identifier] = Field(default_factory=list, description="Derived facts other rules can match")
    remedies: list[KebabId] = Field(min_length=1)
    prompts: list[Text] = Field(default_factory=list, description="Questions a facilitator can put to the room")
    unattributed: Unattributed | None = Field(
        None,
        description="The title and explanation when the report cannot show a group its evidence rests on (one "
        "lead partner, say), worded so that they attribute no view to it; without them, the failure mode's title "
        "and description",
    )


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
    age: list[Age] | None = Field(
        None, min_length=1, description="Shown only when the partnership's age is one of these"
    )
    not_age: list[Age] | None = Field(
        None, min_length=1, description="Not shown when the partnership's age is one of these"
    )


class RulesFile(Model):
    """A rule file of ``rules/``: rules, strengths or both."""

    rules: list[Rule] = Field(default_factory=list)
    strengths: list[Strength] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> RulesFile:
        if not self.rules and not self.strengths:
            raise ValueError("a rule file needs a 'rules' or a 'strengths' list")
        return self


class Step(Traced):
    """One step of a remedy: its text, and the guide section that says it or the judgement it is.

    A step written as plain text is read as one with neither (``rules lint`` reports it).
    """

    text: Text = Field(description="What to do, in the tool's words (paraphrase the guide; never copy it)")

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    def __str__(self) -> str:
        return self.text  # templates that print a step as text keep working


class Remedy(Model):
    """What to do about a finding: its steps, each citing the guide section that says it or marked a judgement.

    In a dump (and the JSON report) ``steps`` are the steps' texts, ``traced_steps`` the
    steps with their source or judgement, and ``sources`` the sections the steps cite.
    """

    id: KebabId
    title: Text
    steps: list[Step] = Field(
        min_length=1,
        description="What to do, in order; each step cites a 'source' or is a 'judgement' with a 'reason' "
        "(in the JSON report: the steps' texts, with traced_steps beside them)",
    )
    not_with: list[KebabId] = Field(
        default_factory=list,
        description="Left out of every finding (and so of the action plan) when a finding of the same assessment "
        "prescribes one of these remedies; a finding left with none is pointed to the remedies that displaced it",
        examples=[["end-partnership-well"]],
    )

    @model_validator(mode="before")
    @classmethod
    def _no_remedy_sources(cls, data: Any) -> Any:
        if isinstance(data, dict) and "sources" in data:
            raise ValueError("a remedy's 'sources' come from its steps now: give each step its own 'source'")
        return data

    @field_serializer("steps")
    def _step_texts(self, steps: list[Step]) -> list[str]:
        return [step.text for step in steps]

    @computed_field(description="Each step with the guide section that says it, or the judgement it is")  # type: ignore[prop-decorator]
    @property
    def traced_steps(self) -> list[Step]:
        return list(self.steps)

    @computed_field(description="The guide sections the steps cite, each once, in the order cited")  # type: ignore[prop-decorator]
    @property
    def sources(self) -> list[Source]:
        cited = [step.source for step in self.steps if step.source is not None]
        return [source for n, source in enumerate(cited) if source not in cited[:n]]


class RemediesFile(Model):
    """``rules/remedies.yaml``: every remedy the rules prescribe."""

    remedies: list[Remedy] = Field(min_length=1)


class FailureMode(Model):
    """One way the guides say a partnership fails (all talk and no action, power imbalance, ...), with its sources."""

    id: Identifier
    title: Text
    description: str = ""
    sources: list[Source] = Field(min_length=1)


class Story(Traced):
    """Failure modes that share one cause, told to the room as one story (the report groups their findings).

    The grouping is traced like a threshold, but must be: cited (``source``: a guide
    section that ties them together) or the tool's judgement (``judgement: true`` with a
    one-line ``reason``). A failure mode belongs to at most one story; one in no story is
    told on its own.
    """

    id: Identifier
    title: Text = Field(
        description="What is going on, in describing words",
        examples=["Decisions and their benefits are not shared evenly"],
    )
    description: Text = Field(description="The shared cause in a sentence or two, to be read aloud")
    failure_modes: list[Identifier] = Field(min_length=2, description="The failure modes it joins")

    @model_validator(mode="after")
    def _cited_or_judged(self) -> Story:
        if self.source is None and not self.judgement:
            raise ValueError("a story is either cited ('source') or a 'judgement' with its 'reason', one of the two")
        return self


class Levels(Model):
    """The section-score thresholds of the levels strength and watch (below watch: concern)."""

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

    A question is disputed when someone agrees (4-5) and someone disagrees (1-2) and the
    answers' agreement ``rwg`` (James, Demaree and Wolf 1984: one minus their variance
    over that of answers spread evenly over the five points) is at or below
    ``agreement``, or when one role group's mean is at or below ``low`` while another's
    is at or above ``high``. Neutral and "don't know" answers are not disagreement.
    """

    agreement: FiniteFloat = Field(
        0.5,
        ge=0,
        lt=1,
        description="rwg at or below this is disputed (LeBreton and Senter 2008: up to 0.50 is weak or no agreement)",
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


class PartnerSettings(Model):
    """How a partner organisation is told apart from the rest (the ``partners`` conditions' signals).

    Each organisation's figure (its mean answer on the agreement statements, counted the
    healthy way round; its share of "don't know"; its share of neutral answers) is
    compared with the others' by the modified z-score of Iglewicz and Hoaglin (1993):
    M = 0.6745 (x - median) / MAD, with MAD the median absolute deviation (when it is 0,
    1.253314 times the mean absolute deviation, as IBM SPSS Modeler does). An organisation
    stands out when |M| is above ``outlier`` and its figure is also ``apart`` from the median.
    """

    outlier: FiniteFloat = Field(3.5, gt=0, description="|M| above this stands out (Iglewicz and Hoaglin: 3.5)")
    min_organisations: int = Field(3, ge=3, description="Fewer organisations than this: no one is compared")
    min_answers: int = Field(10, ge=1, description="An organisation with fewer statements answered is not compared")
    below: FiniteFloat = Field(0.75, gt=0, description="Mean answer at least this far below the median (points)")
    dont_know: FiniteFloat = Field(
        0.2, gt=0, le=1, description="Share of 'don't know' at least this, and above the median"
    )
    neutral: FiniteFloat = Field(
        0.5, gt=0, le=1, description="Share of neutral answers at least this, and above the median"
    )
    own_side: list[QuestionId] = Field(
        default_factory=list,
        description="Scale questions each partner answers about its own side (board backing, commitment)",
    )


class PartnershipTypeSettings(Model):
    """Which choice question asks the partnership's type (rules' ``type`` and ``not_type`` read it)."""

    question: QuestionId = Field(description="The choice question that asks which type the partnership works as")
    signed_up: QuestionId | None = Field(
        None, description="The choice question, with the same choices, that asks which type a partner signed up for"
    )


class PartnershipAgeSettings(Model):
    """Which choice question asks the partnership's age, and which of its choices make it young.

    The rules' ``age`` and ``not_age`` read the age: ``young`` when most lead and core
    respondents who answered chose one of ``young``, ``established`` when most chose
    another choice, ``unknown`` when none of them answered or they split evenly.
    """

    question: QuestionId = Field(description="The choice question that asks how long the partnership has worked")
    young: list[Identifier] = Field(min_length=1, description="The choices that make the partnership young")


class RulebaseSettings(Model):
    """The rule base's version, score levels, gap settings, partnership-type and partnership-age questions."""

    version: Text
    levels: Levels = Levels()
    gaps: GapSettings = GapSettings()
    partners: PartnerSettings = PartnerSettings()
    partnership_type: PartnershipTypeSettings | None = None
    partnership_age: PartnershipAgeSettings | None = None


class RulebaseFile(Model):
    """``rules/rulebase.yaml``: the settings and the failure modes."""

    rulebase: RulebaseSettings
    failure_modes: list[FailureMode] = Field(min_length=1)
    stories: list[Story] = Field(default_factory=list, description="Failure modes told as one story in the report")


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
    stories: tuple[Story, ...] = Field((), description="Failure modes told as one story in the report")

    @cached_property
    def remedy(self) -> dict[str, Remedy]:
        return {remedy.id: remedy for remedy in self.remedies}

    @cached_property
    def rule(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def failure_mode(self) -> dict[str, FailureMode]:
        return {mode.id: mode for mode in self.failure_modes}

    def compiled_for(self, questionnaire: Questionnaire, compile: Callable[[RuleBase, Questionnaire], T]) -> T:
        """``compile(self, questionnaire)``, made once and kept on this rule base (for the last few questionnaires).

        The core keeps the rule base compiled for a questionnaire here (``core.assessment.prepare``),
        so assessing with the same two objects never compiles them again. What is kept is
        not part of the rule base's value: not compared, not dumped. Each entry is read
        whole, so threads never mix two entries; two threads compiling at once both
        compile, and one result is kept.
        """
        kept = self._compiled  # (questionnaire, rule base, compiled): a copy of this model shares the list
        for entry in tuple(kept):
            if entry[0] is questionnaire and entry[1] is self:
                return entry[2]  # type: ignore[no-any-return]
        compiled = compile(self, questionnaire)
        kept[:] = [(questionnaire, self, compiled), *kept[: _KEPT - 1]]
        return compiled

    @cached_property
    def _compiled(self) -> list[tuple[Questionnaire, RuleBase, Any]]:
        return []
