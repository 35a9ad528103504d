"""How the questionnaire behaves on many partnerships' answers: consistency, agreement, ICCs.

Made by :func:`partnership_health.programme.properties.compute_properties`; every figure
carries what it rests on (``n``) and, when it is not shown, why.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Identifier, Model, QuestionId, Text

FigureStatus = Literal["shown", "not enough data", "not computable"]
Unit = Literal["respondents", "partnerships"]


class Figure(Model):
    """One figure: its value when there is enough data to show it, otherwise why there is none."""

    status: FigureStatus
    value: float | None = Field(None, description="Only when shown: never NaN or infinite")
    n: int | None = Field(
        ge=0,
        description="How many respondents or partnerships the figure rests on; null where the exact number would "
        "tell how many partnerships (1 to min_partnerships - 1) lack the figure: n_words says it then",
    )
    unit: Unit
    n_words: str | None = Field(
        None, description="The n in words where it is not given exactly, e.g. 'all but fewer than 3 of the 200'"
    )
    reason: str | None = Field(None, description="Why the figure is not shown (plain words, with the n)")

    @model_validator(mode="after")
    def _value_or_reason(self) -> Figure:
        if (self.status == "shown") != (self.value is not None):
            raise ValueError("a figure has a value exactly when it is shown")
        if (self.status == "shown") == bool(self.reason):
            raise ValueError("a figure not shown says why; a figure shown needs no reason")
        return self


class ItemProperties(Model):
    """One agreement statement of a section, on the respondents who answered every statement of it."""

    question: QuestionId
    text: Text
    reverse: bool = Field(description="Reverse-scored: recoded 6 - x before anything is computed")
    answered: int | None = Field(
        None, ge=0, description="Answers on the 1-5 scale, pooled; null when they come from too few partnerships"
    )
    dont_know: int | None = Field(
        None, ge=0, description='"Don\'t know" answers (left out of every figure); null as answered is'
    )
    item_rest: Figure = Field(description="Corrected item-rest correlation: with the sum of the section's other items")
    alpha_if_deleted: Figure = Field(description="The section's alpha without this statement")


class FlaggedItem(Model):
    """A statement that behaves badly, and every reason it is listed."""

    question: QuestionId
    text: Text
    reasons: tuple[Text, ...] = Field(min_length=1)


class SectionProperties(Model):
    """One questionnaire section's figures, each with the n it rests on."""

    section: Identifier
    title: Text
    items: int = Field(ge=1, description="Agreement statements in the section (the only questions that enter)")
    respondents: int = Field(ge=0, description="Respondents who answered at least one of its statements on the scale")
    complete: int = Field(ge=0, description="Respondents who answered every statement of it (listwise): alpha's n")
    complete_partnerships: int | None = Field(
        ge=0,
        description="Partnerships those complete respondents come from; null where the exact number would tell "
        "how many partnerships (1 to min_partnerships - 1) have none: complete_partnerships_words says it then",
    )
    complete_partnerships_words: str | None = Field(
        None, description="complete_partnerships in words where it is not given exactly"
    )
    alpha: Figure = Field(description="Cronbach's alpha, listwise")
    item_list: tuple[ItemProperties, ...]
    agreement: Figure = Field(description="Mean rwg of respondents' section means over partnerships")
    icc1: Figure = Field(description="ICC(1) of respondents' section means nested in partnerships (one-way ANOVA)")
    icc2: Figure = Field(description="ICC(2): the reliability of a partnership's mean, at the mean partnership size")
    mean_group_size: float | None = Field(None, description="Respondents per partnership in the ICC's ANOVA (N / J)")
    flagged: tuple[FlaggedItem, ...] = Field(description="Statements that behave badly, with the reasons")


class Minimums(Model):
    """How much data each figure needs before it is shown (see docs/questionnaire-properties.md)."""

    complete_respondents: int = Field(100, ge=2, description="Alpha, item-rest r, alpha if deleted")
    partnerships: int = Field(
        3, ge=3, description="Every figure rests on this many partnerships or more (never below 3)"
    )
    agreement_respondents: int = Field(3, ge=2, description="A partnership's rwg counts with this many respondents")
    icc_partnerships: int = Field(10, ge=3, description="ICC(1) and ICC(2): partnerships with two or more respondents")


class Thresholds(Model):
    """The readings the figures are compared with, each explained in docs/questionnaire-properties.md."""

    alpha: float = Field(0.70, description="Nunnally (1978): modest reliability, enough for describing groups")
    item_rest: float = Field(0.30, description="The tool's judgement: below it an item shares < 9% of its variance")
    alpha_rise: float = Field(0.02, description="The tool's judgement: alpha rising this much without an item lists it")
    agreement: float = Field(0.70, description="rwg above 0.70: strong agreement (LeBreton and Senter 2008)")
    icc2: float = Field(
        0.70, description="The tool's judgement: Nunnally's 0.70 for alpha, read for a partnership's mean"
    )
    dont_know: float = Field(0.20, description="The tool's judgement: one person in five cannot answer the item")


class QuestionnaireProperties(Model):
    """How the questionnaire behaves on pooled answers, per section, with the minimums and thresholds used."""

    questionnaire: Text = Field(description="The questionnaire's id")
    version: Text
    partnerships: int = Field(ge=0, description="Partnerships pooled")
    respondents: int | None = Field(
        ge=0,
        description="Respondents pooled, over every partnership; null where the programme view withholds its "
        "total of respondents (see QualityFigures), respondents_note says why",
    )
    respondents_note: str | None = Field(None, description="Why the respondents pooled are not given")
    minimums: Minimums
    thresholds: Thresholds
    sections: tuple[SectionProperties, ...] = Field(description="Sections with agreement statements, in order")
