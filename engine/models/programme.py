"""The programme view: many partnerships at once, counted, never ranked (``partnership-health programme``).

Every figure about partnerships is a :class:`Count` of them; a count resting on 1 to
``min_partnerships - 1`` partnerships is hidden, with enough others that none can be
worked back out (see ``programme.suppress`` and the README). ``partnership-health schema
programme`` prints this contract's JSON Schema.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .common import Model, Severity, Source
from .properties import QuestionnaireProperties

PROGRAMME_FORMAT = "partnership-health-programme"
PROGRAMME_VERSION = 1


class Count(Model):
    """How many partnerships are in one group: shown, or hidden (``value`` null)."""

    key: str = Field(description="The group's id within its breakdown, e.g. 'coordinated', 'high', '50-59'")
    label: str = Field(description="The group in words")
    value: int | None = Field(description="How many partnerships; null when hidden")
    hidden: bool = Field(
        False,
        description="Hidden to protect a small group: never zero, unless every count of its breakdown is hidden",
    )


class Breakdown(Model):
    """The partnerships split one way (by type, by size ...): counts that add up to ``total``."""

    key: str
    title: str
    total: int = Field(description="The partnerships the counts add up to")
    counts: tuple[Count, ...]


class RemedyRef(Model):
    """A remedy of the rule base, with the guide sections its steps come from."""

    id: str
    title: str
    sources: tuple[Source, ...]


class FailureModeFigures(Model):
    """How often one failure mode is diagnosed (at each partnership's latest assessment), and since last time."""

    id: str
    title: str
    description: str
    sources: tuple[Source, ...] = Field(description="The guide sections that describe it")
    remedies: tuple[RemedyRef, ...] = Field(description="The remedies the rule base prescribes for it")
    diagnosed: Count
    not_diagnosed: Count
    severity: tuple[Count, ...] = Field(description="Of those diagnosed: low, medium, high, critical")
    since: tuple[Count, ...] | None = Field(
        None,
        description="Year on year, as a report's 'since last time' means it: persisting, resolved, new, neither "
        "(of the partnerships with an earlier assessment), diagnosed and not diagnosed at a first assessment",
    )


class GroupColumn(Model):
    """A column of a failure-mode table by group: a group of "Who takes part", or the groups hidden there, together."""

    key: str = Field(description="The group's key, or the keys of the groups it joins with '+'")
    label: str
    partnerships: int = Field(description="The partnerships in it: shown in 'Who takes part', or what they leave")
    groups: tuple[str, ...] = Field(description="The keys of the groups of 'Who takes part' it holds")


class FailureModeRow(Model):
    """One failure mode across the columns: how many partnerships of each have it diagnosed."""

    id: str
    title: str
    diagnosed: Count = Field(description="The row's total: the failure mode's 'diagnosed', as in failure_modes")
    counts: tuple[Count, ...] = Field(description="One a column, in the columns' order (key: the column's)")


class FailureModesBy(Model):
    """Failure modes by type, size or age: which are common in which kinds of partnership."""

    key: str = Field(description="The breakdown of 'Who takes part' it splits by: type, size or age")
    title: str
    columns: tuple[GroupColumn, ...] = Field(
        description="Groups with partnerships, each with its count; the groups whose count is hidden are one column"
    )
    rows: tuple[FailureModeRow, ...] = Field(description="The failure modes, in the order of failure_modes")
    min_column: int = Field(description="The fewest partnerships a column holds: a smaller group shares one")


class SectionFigures(Model):
    """One section's scores over the partnerships, as counts in bands (never a partnership's own score)."""

    section: str
    title: str
    bands: tuple[Count, ...] = Field(description="Scores in bands of ten points, and 'no score'")
    levels: tuple[Count, ...] = Field(description="Concern, watch, strength, and 'no score'")


class QualityFigures(Model):
    """How much the answers can bear: pooled over every partnership, and partnerships in bands."""

    respondents: int | None = Field(
        description="People who answered, over every partnership's latest assessment; null where a count of "
        "'by respondents' is hidden (with the bands, the total could tell it)"
    )
    unanswered_share: float | None = Field(
        description="Questions left blank of those asked, pooled (0 to 1); null when none were asked, or where "
        "a count of 'by share unanswered' is hidden"
    )
    dont_know_share: float | None = Field(
        description="'Don't know' answers of the questions asked, pooled; null as unanswered_share is"
    )
    withheld: tuple[str, ...] = Field(
        (), description="Why a pooled figure is not given, in words: one sentence for each figure withheld"
    )
    breakdowns: tuple[Breakdown, ...] = Field(
        description="Partnerships by respondents, by share unanswered, by share 'don't know', by response rate"
    )


class RemedyFigures(Model):
    """How many partnerships planned a remedy (in a filled-in action plan), and how many marked it done."""

    id: str
    title: str
    sources: tuple[Source, ...]
    planned: Count
    not_planned: Count = Field(description="Not in any plan of theirs, or no plan attached")
    done: Count = Field(description="Of those who planned it: marked 'done' in a plan")
    not_done: Count


class YearOnYear(Model):
    """Whether the year-on-year figures are shown, and why not when they are not."""

    shown: bool
    partnerships: int | None = Field(description="Partnerships with an earlier assessment (null when not shown)")
    note: str


class Programme(Model):
    """The programme view (``partnership-health programme --format json``): keys may be added, none removed."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Partnership Health programme view")

    format: Literal["partnership-health-programme"] = "partnership-health-programme"
    version: int = PROGRAMME_VERSION
    partnerships: int = Field(description="Partnerships counted: each at its latest assessment")
    min_partnerships: int = Field(ge=3, description="No count rests on fewer partnerships than this (never below 3)")
    left_out: int = Field(description="Assessments left out because their lead has not shared them")
    named: tuple[str, ...] = Field(
        description="Partnerships whose lead agreed to be named, A to Z (nothing beside them)"
    )
    not_named: int = Field(description="Partnerships counted but not named")
    profile: tuple[Breakdown, ...] = Field(description="By type, size, age, history and action plan")
    failure_modes: tuple[FailureModeFigures, ...] = Field(
        description="Shown counts first (most often diagnosed first), then those hidden, in the rule base's order"
    )
    failure_modes_by: tuple[FailureModesBy, ...] = Field(
        (),
        description="Failure modes by type, size and age (each left out where it has fewer than two columns)",
    )
    year_on_year: YearOnYear
    scores: tuple[SectionFigures, ...]
    quality: QualityFigures
    actions: tuple[RemedyFigures, ...] = Field(
        description="Remedies planned, shown counts first (most often planned first), then those hidden"
    )
    properties: QuestionnaireProperties | None = Field(
        None, description="How the questionnaire behaves on the pooled answers (where answers were read)"
    )
    notes: tuple[str, ...] = Field(description="How to read the figures, and what protects the partnerships")


SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
