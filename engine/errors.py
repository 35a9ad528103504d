"""The error tree and located issues. No I/O happens here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Key = str | int


@dataclass(frozen=True)
class SourceLocation:
    """A place in a file, printed as ``path:line:col``.

    Locations sort by file, then line, then column; a whole file (no line) or a whole
    line (no column) comes before the places in it.
    """

    path: str
    line: int | None = None
    column: int | None = None

    def _order(self) -> tuple[str, int, int]:
        return (self.path, -1 if self.line is None else self.line, -1 if self.column is None else self.column)

    def __lt__(self, other: SourceLocation) -> bool:
        return self._order() < other._order()

    def __le__(self, other: SourceLocation) -> bool:
        return self._order() <= other._order()

    def __gt__(self, other: SourceLocation) -> bool:
        return self._order() > other._order()

    def __ge__(self, other: SourceLocation) -> bool:
        return self._order() >= other._order()

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


def data_keys(data: Any, loc: tuple[Key, ...]) -> tuple[Key, ...]:
    """The part of a pydantic error's ``loc`` that exists in ``data`` (union member tags dropped)."""
    used: list[Key] = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, (list, tuple)) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and hasattr(type(data), "model_fields") and part in type(data).model_fields:
            data = getattr(data, part)
        else:
            if part == loc[-1] and isinstance(part, str) and isinstance(data, dict):
                used.append(part)  # a missing field: name it
            break
        used.append(part)
    return tuple(used)


def subject_of(keys: tuple[Key, ...]) -> str:
    """``('rules', 1, 'when')`` -> ``rules[1].when``."""
    text = ""
    for part in keys:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


_EXPECTED = re.compile(r"^Input should be (?:a valid |an? )?(.+?)(?:,.*)?$")


def pydantic_message(errors: list[Any]) -> str:
    """One message for the errors pydantic reports about one place.

    A value that fits no member of a union gets one line ("must be boolean, integer,
    number or string"), not one per member; an empty value gets "has no value".
    """
    error = errors[0]
    last = str(error["loc"][-1]) if error["loc"] else ""
    value = error.get("input")
    if error["type"] == "missing":
        return "is required" if last.isidentifier() else f"'{last}' is required"
    if error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "is blank (write it out)"
    if error["type"] == "extra_forbidden":
        return f"unknown field '{last}'"
    if value is None and all(e.get("input") is None for e in errors):
        return "has no value (write one, or leave the field out where it is optional)"
    if isinstance(value, (dict, list)) and all(e["type"].endswith("_type") for e in errors):
        return f"must be a single value, not a {'list' if isinstance(value, list) else 'mapping'}"
    messages = [re.sub(r"^(Value|Assertion) error, ", "", e["msg"]) for e in errors]
    expected = [match[1] for m in messages if (match := _EXPECTED.match(m))]
    if len(errors) > 1 and len(expected) == len(messages):
        words = list(dict.fromkeys(expected))
        message = "must be " + (words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1])
    else:
        message = "; ".join(dict.fromkeys(messages))
    return message if isinstance(value, (dict, list)) else f"{message} (got {shorten(value)})"


SHORT = 80  # characters of a user's value shown in an error message


def shorten(value: object, *, quote: bool = True, width: int = SHORT) -> str:
    """``value`` as shown in a message: its repr (or text), cut to ``width`` characters and '…'."""
    text = repr(value) if quote else str(value)
    return text if len(text) <= width else text[:width].rstrip() + "…"


# C0 and C1 control characters but tab and line feed, and DEL: what a terminal may act on
# (ESC c resets it, OSC sets its title, CSI moves the cursor). Refused in every text that
# comes from outside, and escaped wherever text is printed.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def control_name(char: str) -> str:
    """``'\x1b'`` -> ``U+001B (ESC)``."""
    code = ord(char)
    return f"U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")


def control_problem(text: str) -> str | None:
    """``control character U+001B (ESC) is not allowed; remove it``, or None for clean text."""
    found = CONTROL.search(text)
    return f"control character {control_name(found.group())} is not allowed; remove it" if found else None


_PRINTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_PRINTED_WITH_CR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str, *, carriage_return: bool = False) -> str:
    """``text`` with every control character a terminal would act on written out (``\\x1b``).

    Tab, line feed and a carriage return before a line feed stay as they are; with
    ``carriage_return`` every carriage return does (a progress bar redraws its line with one).
    """
    pattern = _PRINTED_WITH_CR if carriage_return else _PRINTED
    return pattern.sub(lambda found: f"\\x{ord(found.group()):02x}", text) if pattern.search(text) else text
