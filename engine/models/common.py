"""The base model, the types every file format shares, and citations of the guides."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

from ..vocabulary import ROLES as ROLES
from ..vocabulary import Role as Role

Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
Level = Literal["strength", "watch", "concern"]
AnswerType = Literal["scale", "choice", "number", "yesno", "text"]
Op = Literal["<", "<=", "==", "!=", ">=", ">", "in", "answered"]
Stat = Literal[
    "mean", "median", "min", "max", "spread", "count", "share", "mode", "distinct", "gap", "split", "rwg", "disputed"
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
    "scale": ("mean", "median", "min", "max", "spread", "count", "gap", "split", "rwg", "disputed"),
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
