"""Year on year: what changed between an earlier JSON report and the current assessment.

Pure functions over data. The earlier assessment is read as the JSON report contract
(``assess --format json``), so a report from another version of the rule base or from
another machine compares as well as a stored one. Findings are matched by failure mode,
so a rule renamed or split in a rule-base upgrade keeps its finding "persisting".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from .models import Assessment, Model

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}


class PreviousRef(Model):
    id: str = Field(description="Which earlier assessment: a stored id or the report file's name")
    assessed_on: datetime.date | None


class FindingThen(Model):
    id: str
    title: str
    failure_mode: str
    severity: str


class FindingPersisting(Model):
    id: str
    title: str
    failure_mode: str
    severity: str
    previous_id: str = Field(description="The rule that found it last time (another id after a rule was renamed)")
    previous_title: str
    previous_severity: str
    severity_change: Literal["higher", "lower", "same"]


class FindingsSince(Model):
    new: tuple[FindingThen, ...]
    resolved: tuple[FindingThen, ...]
    persisting: tuple[FindingPersisting, ...]


class ScoreSince(Model):
    then: int | float | None
    now: int | float | None
    change: int | float | None


class RespondentsSince(Model):
    then: dict[str, int] = Field(description="Role -> respondents last time")
    now: dict[str, int]


class Since(Model):
    previous: PreviousRef
    findings: FindingsSince
    scores: dict[str, ScoreSince]
    respondents: RespondentsSince
    caveats: tuple[str, ...] = Field(description="What makes the two harder to compare, said plainly")


def compare(previous: Mapping[str, Any], current: Assessment, previous_id: str) -> Since:
    """What changed since ``previous`` (a JSON report, as data) in ``current``."""
    then = [_finding(f) for f in previous.get("findings") or ()]
    now = [
        FindingThen(id=f.id, title=f.title, failure_mode=f.failure_mode, severity=f.severity) for f in current.findings
    ]
    findings = match_findings(then, now)
    scores = compare_scores(
        {k: _score(v) for k, v in (previous.get("scores") or {}).items()},
        {k: v.score for k, v in current.scores.items()},
    )
    roles_then = dict((previous.get("data_quality") or {}).get("by_role") or {})
    roles_now = dict(current.quality.by_role) if current.quality else {}
    return Since(
        previous=PreviousRef(id=previous_id, assessed_on=previous.get("assessed_on")),
        findings=findings,
        scores=scores,
        respondents=RespondentsSince(then=roles_then, now=roles_now),
        caveats=tuple(_caveats(previous, current, roles_then, roles_now)),
    )


def match_findings(then: list[FindingThen], now: list[FindingThen]) -> FindingsSince:
    """Pair findings by rule id first, then by failure mode; the unpaired are resolved (then) or new (now)."""
    left = list(then)
    pairs: list[tuple[FindingThen, FindingThen]] = []
    unpaired: list[FindingThen] = []
    for finding in now:  # the same rule
        match = next((old for old in left if old.id == finding.id), None)
        if match is None:
            unpaired.append(finding)
        else:
            left.remove(match)
            pairs.append((match, finding))
    new: list[FindingThen] = []
    for finding in unpaired:  # the same failure mode, found by another rule (renamed or split)
        match = next((old for old in left if old.failure_mode == finding.failure_mode), None)
        if match is None:
            new.append(finding)
        else:
            left.remove(match)
            pairs.append((match, finding))
    order = {f.id: i for i, f in enumerate(now)}
    pairs.sort(key=lambda pair: order[pair[1].id])
    return FindingsSince(
        new=tuple(new),
        resolved=tuple(left),
        persisting=tuple(_persisting(old, found) for old, found in pairs),
    )


def compare_scores(
    then: Mapping[str, int | float | None], now: Mapping[str, int | float | None]
) -> dict[str, ScoreSince]:
    """Each section's score then and now, with the change (None where either is missing)."""
    sections = list(now) + [s for s in then if s not in now]
    result = {}
    for section in sections:
        a, b = then.get(section), now.get(section)
        change = None if a is None or b is None else round(b - a, 2)
        result[section] = ScoreSince(then=a, now=b, change=change)
    return result


def _persisting(old: FindingThen, found: FindingThen) -> FindingPersisting:
    a, b = SEVERITY_RANK.get(old.severity, 0), SEVERITY_RANK.get(found.severity, 0)
    return FindingPersisting(
        **found.model_dump(),
        previous_id=old.id,
        previous_title=old.title,
        previous_severity=old.severity,
        severity_change="higher" if b > a else "lower" if b < a else "same",
    )


def _finding(data: Mapping[str, Any]) -> FindingThen:
    return FindingThen(
        id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        failure_mode=str(data.get("failure_mode", "")),
        severity=str(data.get("severity", "")),
    )


def _score(value: Any) -> int | float | None:
    score = value.get("score") if isinstance(value, Mapping) else value
    return score if isinstance(score, int | float) and not isinstance(score, bool) else None


def _caveats(
    previous: Mapping[str, Any], current: Assessment, roles_then: dict[str, int], roles_now: dict[str, int]
) -> list[str]:
    caveats = []
    if roles_then != roles_now:
        caveats.append(
            f"Different people answered: last time {_roles(roles_then)}; this time {_roles(roles_now)}. "
            "Part of any change may come from who answered rather than from the partnership."
        )
    name = previous.get("partnership")
    if name and name != current.partnership:
        caveats.append(f"The earlier report is of “{name}”, not “{current.partnership}”.")
    rules_then = (previous.get("rulebase") or {}).get("version")
    if rules_then and rules_then != current.rulebase_version:
        caveats.append(
            f"The rule base changed from version {rules_then} to {current.rulebase_version}; "
            "findings are matched by failure mode, so a renamed rule's finding still counts as persisting."
        )
    asked_then = (previous.get("questionnaire") or {}).get("version")
    if asked_then and asked_then != current.questionnaire.version:
        caveats.append(
            f"The questionnaire changed from version {asked_then} to {current.questionnaire.version}; "
            "section scores rest on different questions."
        )
    return caveats


def _roles(counts: Mapping[str, int]) -> str:
    names = {"lead": "lead", "core": "core", "wider": "wider", "others": "others"}
    parts = [f"{n} {names.get(role, role)}" for role, n in counts.items() if n]
    return ", ".join(parts) or "nobody"
