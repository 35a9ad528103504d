"""Year on year: what changed between an earlier JSON report and the current assessment.

Pure functions over data. The earlier assessment is read as the JSON report contract
(``assess --format json``), so a report from another version of the rule base or from
another machine compares as well as a stored one. Findings are matched by failure mode,
so a rule renamed or split in a rule-base upgrade keeps its finding "persisting".
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping, Sequence
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


class TrendPoint(Model):
    id: str | None = Field(description="The stored id or report file's name where known; null for this assessment")
    assessed_on: datetime.date | None
    overall: int | float | None = Field(description="The mean of the section scores, 0 to 100")
    scores: dict[str, int | float | None] = Field(description="Section id -> its score")


class DisagreementSince(Model):
    """Did the room move closer together? The questions partners saw differently then and now."""

    then: tuple[str, ...] = Field(description="Question ids seen differently last time, most split first")
    now: tuple[str, ...] = Field(description="Question ids seen differently this time, most split first")
    closed: tuple[str, ...] = Field(description="Seen differently then, no longer (and still asked)")
    opened: tuple[str, ...] = Field(description="Seen differently now, not last time")
    spread_then: float | None = Field(
        description="Mean spread (highest minus lowest answer) over the scale questions, last time"
    )
    spread_now: float | None = Field(description="The same, this time")
    direction: Literal["closer", "further", "same"] = Field(description="Whether the room moved closer together")
    sentence: str = Field(description="One plain sentence a facilitator can say aloud")


Status = Literal["done", "in progress", "not started", "dropped", ""]


class ActionDone(Model):
    """One row of last time's action plan, as the lead filled it in."""

    remedy_id: str
    remedy: str
    owner: str = ""
    due: str = Field("", description="The due date as written in the plan")
    status: Status = Field("", description="Blank when the plan does not say")


class FollowUp(Model):
    """A finding of last time set beside what was done about it."""

    finding: str = Field(description="The finding's title (this time's, when it persists)")
    failure_mode: str
    outcome: Literal["persisting", "resolved"]
    actions: tuple[ActionDone, ...] = Field(description="The plan's rows for the remedies last time's finding named")


class ActionsSince(Model):
    plan: tuple[ActionDone, ...] = Field(description="Every row of last time's plan, in its order")
    follow_up: tuple[FollowUp, ...] = Field(description="Each persisting, then each resolved finding, with its actions")


class Since(Model):
    previous: PreviousRef
    findings: FindingsSince
    scores: dict[str, ScoreSince]
    respondents: RespondentsSince
    caveats: tuple[str, ...] = Field(description="What makes the two harder to compare, said plainly")
    trend: tuple[TrendPoint, ...] = Field(
        (), description="Every assessment compared, oldest first, this one last: overall and section scores"
    )
    disagreement: DisagreementSince | None = None
    actions: ActionsSince | None = Field(None, description="Last time's action plan, when one was attached")


def compare(
    previous: Mapping[str, Any],
    current: Assessment,
    previous_id: str,
    *,
    earlier: Sequence[Mapping[str, Any]] = (),
    actions: Sequence[Mapping[str, Any]] | None = None,
) -> Since:
    """What changed since ``previous`` (a JSON report, as data) in ``current``.

    ``earlier``: JSON reports older than ``previous``, oldest first, for the trend over
    all years (a report's ``id`` key, if the caller adds one, names it). ``actions``: the
    rows of the action plan filled in after ``previous`` (see :func:`read_plan`).
    """
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
        trend=(
            *(_point(report, report.get("id")) for report in earlier),
            _point(previous, previous_id),
            TrendPoint(
                id=None,
                assessed_on=current.assessed_on,
                overall=current.overall.score if current.overall else None,
                scores={k: v.score for k, v in current.scores.items()},
            ),
        ),
        disagreement=compare_disagreement(previous, current),
        actions=None if actions is None else follow_up(previous, findings, actions),
    )


def _point(report: Mapping[str, Any], name: object) -> TrendPoint:
    scores = {k: _score(v) for k, v in (report.get("scores") or {}).items()}
    known = [v for v in scores.values() if v is not None]
    on = report.get("assessed_on")
    return TrendPoint(
        id=None if name is None else str(name),
        assessed_on=on if isinstance(on, str | datetime.date) else None,
        overall=round(statistics.fmean(known)) if known else None,  # as the engine's overall score
        scores=scores,
    )


def compare_disagreement(previous: Mapping[str, Any], current: Assessment) -> DisagreementSince:
    """The questions seen differently then and now, which closed and which opened, in one sentence."""
    then = tuple(str(g.get("question")) for g in previous.get("gaps") or () if isinstance(g, Mapping))
    now = tuple(gap.question for gap in current.gaps)
    closed = tuple(q for q in then if q not in now and q in current.answers)
    opened = tuple(q for q in now if q not in then)
    answers_then = (previous.get("aggregates") or {}).get("answers") or {}
    spread_then = _mean_spread(v.get("values") for v in answers_then.values() if isinstance(v, Mapping))
    spread_now = _mean_spread(stats.values for stats in current.answers.values())
    if len(now) != len(then):
        direction: Literal["closer", "further", "same"] = "closer" if len(now) < len(then) else "further"
    elif spread_then is not None and spread_now is not None and abs(spread_now - spread_then) >= SPREAD_MOVED:
        direction = "closer" if spread_now < spread_then else "further"
    else:
        direction = "same"
    return DisagreementSince(
        then=then,
        now=now,
        closed=closed,
        opened=opened,
        spread_then=spread_then,
        spread_now=spread_now,
        direction=direction,
        sentence=_disagreement_sentence(direction, then, now, closed, opened),
    )


SPREAD_MOVED = 0.2  # a change in the mean spread of answers (points on the 1-5 scale) worth saying


def _mean_spread(values: Iterable[Any]) -> float | None:
    """The mean of 'spread' over scale questions (those with a 'split' stat) that have one."""
    spreads = [
        float(v["spread"])
        for v in values
        if isinstance(v, Mapping) and "split" in v and isinstance(v.get("spread"), int | float)
    ]
    return round(statistics.fmean(spreads), 2) if spreads else None


def _disagreement_sentence(
    direction: str, then: Sequence[str], now: Sequence[str], closed: Sequence[str], opened: Sequence[str]
) -> str:
    counts = f"{_questions(len(then))} seen differently last time, {len(now)} this time"
    moved = []
    if closed:
        moved.append(f"{len(closed)} no longer")
    if opened:
        moved.append(f"{len(opened)} newly")
    detail = f" ({', '.join(moved)})" if moved else ""
    if direction == "closer":
        return f"The room has moved closer together: {counts}{detail}."
    if direction == "further":
        return f"The room has moved further apart: {counts}{detail}."
    return f"The room is about as far apart as last time: {counts}{detail}."


def _questions(n: int) -> str:
    return "1 question" if n == 1 else f"{n} questions"


def follow_up(previous: Mapping[str, Any], findings: FindingsSince, rows: Sequence[Mapping[str, Any]]) -> ActionsSince:
    """Last time's plan, and each persisting or resolved finding beside the actions on its remedies."""
    plan = tuple(_action(row) for row in rows)
    by_remedy: dict[str, list[ActionDone]] = {}
    for action in plan:
        by_remedy.setdefault(action.remedy_id, []).append(action)
    remedies = {
        str(f.get("id")): [str(r.get("id")) for r in f.get("remedies") or () if isinstance(r, Mapping)]
        for f in previous.get("findings") or ()
        if isinstance(f, Mapping)
    }

    def done_about(rule: str) -> tuple[ActionDone, ...]:
        return tuple(a for remedy in remedies.get(rule, ()) for a in by_remedy.get(remedy, ()))

    return ActionsSince(
        plan=plan,
        follow_up=(
            *(
                FollowUp(
                    finding=f.title,
                    failure_mode=f.failure_mode,
                    outcome="persisting",
                    actions=done_about(f.previous_id),
                )
                for f in findings.persisting
            ),
            *(
                FollowUp(finding=f.title, failure_mode=f.failure_mode, outcome="resolved", actions=done_about(f.id))
                for f in findings.resolved
            ),
        ),
    )


def _action(row: Mapping[str, Any]) -> ActionDone:
    status = str(row.get("status") or "").strip().lower()
    return ActionDone(
        remedy_id=str(row.get("remedy_id") or ""),
        remedy=str(row.get("remedy") or ""),
        owner=str(row.get("owner") or ""),
        due=str(row.get("due") or ""),
        status=status if status in STATUSES else "",  # type: ignore[arg-type]
    )


STATUSES = ("done", "in progress", "not started", "dropped")


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
