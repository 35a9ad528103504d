"""The error tree and located issues. No I/O happens here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a file, printed as ``path:line:col``."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, order=True)
class Issue:
    """One problem found in an input file.

    ``subject`` names what the problem is about in the file's own words, e.g.
    ``respondent 'r2': communication.meetings_regular`` or ``rules[3].when``.
    """

    location: SourceLocation
    subject: str
    message: str
    severity: Severity = field(default="error", compare=False)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.location}: {prefix}{self.subject}: {self.message}"


class EngineError(Exception):
    """The root of every error this package raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(EngineError, ValueError):
    """One or more input files are invalid; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]) -> None:
        self.issues = tuple(sorted(issues))
        count = len(self.issues)
        header = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([header, *(str(issue) for issue in self.issues)]))


class RuleEngineError(EngineError, RuntimeError):
    """The rule engine failed while assessing (a rule action raised, or durable-rules did)."""
