"""What an assessment finds: findings, strengths, scores, aggregates and the assessment itself."""

from __future__ import annotations

import abc
import datetime
from functools import cached_property
from typing import Any, Literal

from pydantic import ConfigDict, Field, computed_field

from .common import Level, Model, Role, Severity, Source
from .inputs import QuestionnaireRef
from .rulebase import Judgement, Levels, Remedy, Story

# --- results -------------------------------------------------------------------------


class Evidence(Model):
    """One comparison that held in a finding or strength: the fact, its value, the comparison, and the same in words."""

    fact: str = Field(description="The fact that was compared, e.g. 'authority.decisions_shared:mean@core'")
    value: Any = Field(description="Its actual value")
    op: str
    threshold: Any
    text: str = Field("", description="What the answers show in plain words, to be read aloud")
    comparison: str = Field(
        "", description="What the rule compares the value with, in words ('at or above 4'): for the technical appendix"
    )


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
    """Something going well that no finding contradicts, with the evidence for it."""

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
    rwg: float | None = Field(
        None, description="How far the answers agree: rwg, 0 (no more than at random) to 1 (all the same)"
    )
    sides: bool = Field(description="Role groups' means sit on opposite sides of neutral")
    agree: int = Field(description="Answers of 4 or 5")
    neutral: int = Field(description="Answers of 3")
    disagree: int = Field(description="Answers of 1 or 2")
    dont_know: int = Field(0, description="'Don't know' answers (not counted as disagreement)")
    spread: float | None = Field(
        description="Highest minus lowest answer (None where the smallest group shown is above 1: "
        "the two are people's answers)"
    )
    role_gap: float | None = Field(description="Largest difference between two roles' means, when two roles answered")
    by_role: dict[str, float] = Field(description="Role (or 'others') -> mean answer")
    prompts: tuple[str, ...]


class SectionScore(Model):
    """A section's score from 0 to 100 and its level (strength, watch or concern)."""

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
    withheld: bool = Field(
        False, description="Too few people answered to show what they answered: every stat is None, no counts"
    )


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


class Basis(abc.ABC):
    """What an assessment's findings in words and report aggregates are built from.

    ``partnership_health.assess`` makes it (see ``core.assessment``) from the answers, the
    tally of them and the rules that fired; the :class:`Assessment` builds each part from
    it the first time the part is read.
    """

    @abc.abstractmethod
    def scores(self) -> dict[str, SectionScore]:
        """Each section's score and level."""

    @abc.abstractmethod
    def overall(self) -> SectionScore | None:
        """The mean of the section scores."""

    @abc.abstractmethod
    def partnership_type(self) -> PartnershipType | None:
        """The type lead and core agree on, from the roles shown."""

    @abc.abstractmethod
    def privacy_note(self) -> str:
        """What was merged or hidden to keep small groups anonymous."""

    @abc.abstractmethod
    def explained(self) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
        """The findings and the strengths, in words."""

    @abc.abstractmethod
    def answers(self) -> dict[str, QuestionStats]:
        """Every question's aggregates over everyone."""

    @abc.abstractmethod
    def by_role(self) -> dict[str, Group]:
        """Each role shown (or 'others') and its aggregates."""

    @abc.abstractmethod
    def by_organisation(self) -> dict[str, Group]:
        """Each organisation shown (or 'others') and its aggregates."""

    @abc.abstractmethod
    def gaps(self) -> tuple[Gap, ...]:
        """Every disputed question, least agreed first."""

    @abc.abstractmethod
    def quality(self) -> DataQuality | None:
        """Respondents per role, blanks, don't knows, caveats."""


class Assessment(Model):
    """One partnership's assessment, as ``partnership_health.assess`` returns it.

    Which rules and strengths fired (on the section scores the rules read) is decided by
    ``assess``. The rest is built from the assessment's :class:`Basis` the first time it
    is read, then kept: the section ``scores`` and ``overall``, the ``partnership_type``,
    the ``privacy_note``, the findings and strengths (with their evidence and remedies)
    and the report's aggregates (``answers``, ``by_role``, ``by_organisation``, ``gaps``,
    ``quality``). They read
    like fields and appear in ``model_dump()`` as computed fields, after the fields;
    ``model_copy(update=...)`` replaces them as it replaces fields.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, arbitrary_types_allowed=True)

    partnership: str
    assessed_on: datetime.date
    questionnaire: QuestionnaireRef
    named_in_programme: bool = Field(
        False, description="The lead agrees the partnership may be named in a programme view"
    )
    rulebase_version: str
    levels: Levels = Field(description="The score thresholds the levels come from")
    respondents: int
    organisations: int = Field(description="How many different organisations answered")
    counted_by: Literal["respondent", "organisation"] = Field(
        "respondent", description="'organisation': several people from one organisation counted once"
    )
    gaps_shown: int = Field(description="How many of the gaps the report shows first; the rest go to the appendix")
    gaps_note: str = Field("", description="Why no gaps could be looked for, when that is so")
    withheld: str = Field(
        "",
        description="Why the report shows no scores, findings or figures at all: fewer people answered than the "
        "smallest group shown (empty when it shows them)",
    )
    respondent_list: tuple[RespondentInfo, ...] = Field((), description="Only when respondents are to be shown")
    judgements: tuple[Judgement, ...] = Field((), description="The rule base's judgement thresholds, for the appendix")
    stories: tuple[Story, ...] = Field((), description="The rule base's stories: failure modes the report tells as one")
    basis: Basis = Field(
        exclude=True, repr=False, description="What the findings in words and the aggregates are built from"
    )

    def __eq__(self, other: object) -> bool:
        """Equal when everything it shows is: its fields and every part built when read (its basis aside)."""
        if not isinstance(other, Assessment):
            return NotImplemented
        return self is other or self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # its parts are dicts

    @computed_field(description="The mean of the section scores")  # type: ignore[prop-decorator]
    @cached_property
    def overall(self) -> SectionScore | None:
        return self.basis.overall()

    @computed_field(description="Each section's score and level")  # type: ignore[prop-decorator]
    @cached_property
    def scores(self) -> dict[str, SectionScore]:
        return self.basis.scores()

    @computed_field(description="The type lead and core agree on, and what each role chose")  # type: ignore[prop-decorator]
    @cached_property
    def partnership_type(self) -> PartnershipType | None:
        return self.basis.partnership_type()

    @computed_field(description="What was merged or hidden to keep small groups anonymous")  # type: ignore[prop-decorator]
    @cached_property
    def privacy_note(self) -> str:
        return self.basis.privacy_note()

    @computed_field(description="One per failure mode diagnosed, most severe first")  # type: ignore[prop-decorator]
    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        return self.basis.explained()[0]

    @computed_field(description="What the partnership does well that no finding contradicts")  # type: ignore[prop-decorator]
    @cached_property
    def strengths(self) -> tuple[StrengthFound, ...]:
        return self.basis.explained()[1]

    @computed_field(description="Every disputed question, least agreed first")  # type: ignore[prop-decorator]
    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        return self.basis.gaps()

    @computed_field(description="Every question's aggregates over all respondents")  # type: ignore[prop-decorator]
    @cached_property
    def answers(self) -> dict[str, QuestionStats]:
        return self.basis.answers()

    @computed_field(description="Role (or 'others') -> its answers")  # type: ignore[prop-decorator]
    @cached_property
    def by_role(self) -> dict[str, Group]:
        return self.basis.by_role()

    @computed_field(description="Organisation (or 'others') -> its answers")  # type: ignore[prop-decorator]
    @cached_property
    def by_organisation(self) -> dict[str, Group]:
        return self.basis.by_organisation()

    @computed_field(description="Respondents per role, blanks, don't knows, caveats")  # type: ignore[prop-decorator]
    @cached_property
    def quality(self) -> DataQuality | None:
        return self.basis.quality()
