"""The few words every part shares, with nothing heavy imported: roles, how answers are counted, the smallest group.

The command line builds its options from these before it imports the engine
(``partnership-health --help`` and ``COMMAND --help`` import neither pydantic nor the
core); the models (:mod:`.models`) and the options (:mod:`.options`) are defined with them.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["lead", "core", "wider"]
ROLES: tuple[Role, ...] = ("lead", "core", "wider")

By = Literal["respondent", "organisation"]
"""How answers are counted: every respondent, or several people from one organisation once."""
COUNTED_BY: tuple[By, ...] = ("respondent", "organisation")
DEFAULT_BY: By = "respondent"

MIN_GROUP = 3
"""The smallest group whose answers a report shows, unless the lead chooses otherwise.

Three, because with two a member of the pair works out the other's answer from the
pair's mean and their own; with three, a member learns only the other two's sum. The
web app's rounds use the same default.
"""
