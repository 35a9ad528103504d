"""Saved assessments as a file: what ``history export`` writes and ``history import`` reads."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import Field

from ..options import AssessOptions
from .common import Model
from .inputs import Answers

EXPORT_FORMAT = "partnership-health assessments"
EXPORT_VERSION = 1


class ComparedWith(Model):
    """What a saved assessment was compared with when it was saved: another saved one, or a JSON report."""

    id: int | None = Field(None, description="A saved assessment's id in the database it was saved to")
    file: str | None = Field(None, description="An earlier JSON report's file name")
    assessed_on: datetime.date | None = None


class SavedOptions(AssessOptions):
    """The options an assessment was saved with, and what it was compared with then."""

    compared_with: ComparedWith | None = None


class ExportedAssessment(Model):
    """One saved assessment in an export file: its answers, its report, its options and action plan."""

    id: int | None = Field(None, description="Its id in the database it was exported from")
    saved_at: str
    rulebase_version: str = Field(min_length=1)
    options: SavedOptions = Field(default_factory=SavedOptions)
    answers: Answers
    report: dict[str, Any] = Field(description="The JSON report as assess --format json wrote it")
    action_plan: list[dict[str, Any]] | None = Field(None, description="The action plan attached, its rows")
    shared_with_programme: bool = Field(False, description="Its lead shares it with the programme view")


class ExportFile(Model):
    """What ``history export`` writes and ``history import`` reads."""

    format: Literal["partnership-health assessments"]
    version: Literal[1]  # EXPORT_VERSION
    exported_at: str | None = None
    assessments: list[ExportedAssessment]
