"""The words the reports, pages and messages use for roles, comparisons and values: written once here.

Pure data and small functions; the core, the reports, the web app and the survey
exports all read them from this module.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

ROLE_LABELS = {"lead": "Lead partner", "core": "Core partner", "wider": "Wider partner"}
"""A person's role, as forms, sheets and the web app's pages label it (the partner types of Help through Crisis)."""
GROUP_LABELS = {"lead": "Lead partner", "core": "Core partners", "wider": "Wider partners", "others": "Others"}
"""A role's group of respondents, as tables and headings name it ('others': small groups merged)."""
ONE_OF_GROUP = {"lead": "lead partner", "core": "core partner", "wider": "wider partner", "others": "other"}
"""One person of a group, in a sentence: "1 core partner"."""
MANY_OF_GROUP = {"lead": "lead partners", "core": "core partners", "wider": "wider partners", "others": "others"}
"""Two or more people of a group, in a sentence: "2 lead partners"."""
GROUP_SHORT = {"lead": "Lead", "core": "Core", "wider": "Wider", "others": "Others"}
"""A group in a narrow table column."""
GROUP_IN_LINE = {"lead": "lead", "core": "core partners", "wider": "wider partners", "others": "others"}
"""A group before its figure in a line of figures: "core partners 2.5"."""
DONT_KNOW_LABEL = "Don't know / not applicable"
"""How forms and sheets offer the answer ``dont_know``."""

OP_WORDS = {
    "<": "below",
    "<=": "at or below",
    ">": "above",
    ">=": "at or above",
    "==": "exactly",
    "!=": "anything but",
    "in": "one of",
    "not in": "none of",
}
"""A comparison in words: ``>=`` is "at or above"."""

ROLE_WORDS = {None: "partners", "lead": "the lead partner", "core": "core partners", "wider": "wider partners"}
"""Who answered, in a sentence: "core partners answered ..." (``None`` is everyone)."""

ONE_OF_ROLE = {
    None: "the one respondent",
    "lead": "the lead partner",
    "core": "the one core partner",
    "wider": "the one wider partner",
}
"""A group of one person, in a sentence."""


def shown(value: Any) -> str:
    """A value as a person reads it: 2.5, 3 (not 3.0), lists joined with commas."""
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    return str(value)


@lru_cache(maxsize=64)
def group_words(group: str | None) -> str:
    """A role or roles in a sentence: ``core`` -> "core partners", ``lead+core`` -> "the lead and core partners"."""
    if group is None or "+" not in group:
        return ROLE_WORDS.get(group, f"{group} respondents")
    return "the " + " and ".join(group.split("+")) + " partners"


def who(role: str | None, people: int | None, *, average: bool = False) -> str:
    """Who answered, in words: "core partners", or "the one core partner" for a group of one."""
    if people == 1:
        return ONE_OF_ROLE.get(role, f"the one respondent of {group_words(role)}")
    words = group_words(role)
    return f"{words} on average" if average and role != "lead" else words


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: "1 topic", "2 topics" (``plural`` when it is not the singular with an s)."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
