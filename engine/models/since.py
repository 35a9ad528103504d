"""Year on year: what changed since an earlier assessment (see store.history)."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import (
    Field,
)

from .common import Model

# --- year on year: what changed since an earlier assessment (made by store.history) ---


class PreviousRef(Model):
    """Which earlier assessment a report is compared with."""

    id: str = Field(description="Which earlier assessment: a stored id or the report file's name")
    assessed_on: datetime.date | None


class FindingThen(Model):
    """A finding of one of the two assessments compared (new, or resolved)."""

    id: str
    title: str
    failure_mode: str
    severity: str


class FindingPersisting(Model):
    """A finding of both assessments compared: the same failure mode then and now."""

    id: str
    title: str
    failure_mode: str
    severity: str
    previous_id: str = Field(description="The rule that found it last time (another id after a rule was renamed)")
    previous_title: str
    previous_severity: str
    severity_change: Literal["higher", "lower", "same"]


class FindingsSince(Model):
    """The findings new, resolved and persisting since the earlier assessment."""

    new: tuple[FindingThen, ...]
    resolved: tuple[FindingThen, ...]
    persisting: tuple[FindingPersisting, ...]


class ScoreSince(Model):
    """A section's score then, now, and the change."""

    then: int | float | None
    now: int | float | None
    change: int | float | None


class RespondentsSince(Model):
    """How many answered in each role, then and now."""

    then: dict[str, int] = Field(description="Role -> respondents last time")
    now: dict[str, int]


class TrendPoint(Model):
    """One assessment in the trend: its date, overall score and section scores."""

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
STATUSES = ("done", "in progress", "not started", "dropped")
"""What an action plan's Status column may say (or be blank)."""


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
    """Last time's action plan, how far it got, and what was done about each finding."""

    plan: tuple[ActionDone, ...] = Field(description="Every row of last time's plan, in its order")
    summary: str = Field(description="How far the plan got, in one sentence")
    follow_up: tuple[FollowUp, ...] = Field(description="Each persisting, then each resolved finding, with its actions")


class Since(Model):
    """What changed since an earlier assessment (the "since last time" part of a report)."""

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
