"""The options that shape an assessment, defined once: :class:`AssessOptions`.

``partnership_health.assess`` takes them; the command line's options (``--by``,
``--min-group``, ``--show-respondents``, ``--gaps``), ``assess-many``, the saved
assessments of the store and the web app's rounds all build them, so each option has
one name, one default and one check.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .vocabulary import DEFAULT_BY, MIN_GROUP, By

__all__ = ["DEFAULT_OPTIONS", "MIN_GROUP", "AssessOptions"]  # MIN_GROUP: see .vocabulary


class AssessOptions(BaseModel):
    """How an assessment counts, groups and shows the answers; the defaults are what ``assess`` does unasked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    by: By = Field(
        DEFAULT_BY,
        description="'organisation': several people from one organisation are counted once (their mean answer, "
        "their majority, their most common choice)",
    )
    min_group: int = Field(
        MIN_GROUP,
        ge=1,
        description="Roles and organisations with fewer respondents than this are merged into 'others', no "
        "figure shown rests on fewer people's answers, and a partnership with fewer respondents gets no figures "
        "at all (1: every answer may be shown)",
    )
    show_respondents: bool = Field(False, description="List respondents' names in the report")
    gaps: int | None = Field(
        None,
        ge=0,
        description="How many perception gaps the report shows first, the rest in the appendix "
        "(None: the rule base's gaps.show)",
    )

    def changed(self) -> dict[str, object]:
        """The options that differ from the defaults, by name (what is worth saving with an assessment)."""
        return self.model_dump(exclude_defaults=True)


DEFAULT_OPTIONS = AssessOptions()
