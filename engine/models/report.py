"""The JSON report, the machine contract (``partnership-health schema report`` prints its schema)."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
)

from .common import Model
from .inputs import QuestionnaireRef
from .results import (
    DataQuality,
    Finding,
    Group,
    PartnershipType,
    QuestionStats,
    RespondentInfo,
    SectionScore,
    StrengthFound,
)
from .since import Since

# --- the JSON report -----------------------------------------------------------------


class RulebaseRef(Model):
    """Which version of the rule base made a report."""

    version: str


class GapShown(Model):
    """A perception gap as the JSON report gives it."""

    question: str
    spread: float | None
    rwg: float | None = Field(None, description="How far the answers agree (rwg): 0 none beyond chance, 1 all alike")
    by_role: dict[str, float] = Field(description="Role (or 'others') -> mean answer")
    prompts: tuple[str, ...]


class Aggregates(Model):
    """Every question's aggregates over everyone, per role and per organisation, as the JSON report gives them."""

    counted_by: Literal["respondent", "organisation"]
    privacy_note: str
    answers: dict[str, QuestionStats] = Field(description="Question id -> its aggregates over all respondents")
    by_role: dict[str, Group] = Field(description="Role (or 'others') -> its respondents and aggregates")
    by_organisation: dict[str, Group] = Field(
        description="Organisation (or 'others') -> its respondents and aggregates"
    )


class AgreedAction(Model):
    """An action agreed for the plan (in a live session, or a plan filled in and attached), with its owner."""

    remedy_id: str = Field(description="The remedy the action carries out")
    remedy: str = ""
    action: str = Field("", description="What was agreed, starting from the remedy's steps")
    for_findings: str = ""
    owner: str = Field("", description="The organisation that owns it")
    due: str = ""
    status: str = ""
    note: str = ""


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
    gaps: tuple[GapShown, ...] = Field(description="Least agreed first")
    respondent_list: tuple[RespondentInfo, ...] = Field(description="Only with --show-respondents")
    aggregates: Aggregates
    data_quality: DataQuality | None = Field(
        None, description="Respondents per role, share unanswered and don't know, plain caveats"
    )
    since: Since | None = Field(None, description="Only when compared with an earlier assessment: what changed since")
    agreed_actions: tuple[AgreedAction, ...] | None = Field(
        None, description="Only when actions were agreed for this assessment's plan: each with its owner and due date"
    )
    named_in_programme: StrictBool | None = Field(
        None,
        description="Only when true: the partnership's lead agrees that a programme view may name the partnership"
        " (without it, a programme view counts the partnership but never names it)",
    )
