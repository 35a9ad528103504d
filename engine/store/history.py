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
from typing import TYPE_CHECKING, Any, Literal

from ..models import (
    SEVERITY_RANK,
    STATUSES,
    ActionDone,
    ActionsSince,
    Assessment,
    DisagreementSince,
    FindingPersisting,
    FindingsSince,
    FindingThen,
    FollowUp,
    PreviousRef,
    RespondentsSince,
    ScoreSince,
    Since,
    TrendPoint,
)

if TYPE_CHECKING:  # the store is not part of the core pipeline
    from .sqlite import StoredAssessment


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


def compare_saved(
    saved: Sequence[StoredAssessment],
    previous: StoredAssessment,
    current: Assessment,
    actions: Sequence[Mapping[str, Any]] | None,
) -> Since:
    """Compare with a saved assessment; those of ``saved`` (oldest first) dated before it make the trend."""
    assert previous.report is not None
    earlier = [
        {**(each.report or {}), "id": str(each.id)}
        for each in saved
        if (each.assessed_on, each.id) < (previous.assessed_on, previous.id)
    ]
    return compare(previous.report, current, str(previous.id), earlier=earlier, actions=actions)


def overall_of(report: Mapping[str, Any]) -> int | None:
    """A JSON report's overall score, worked out as the engine does: the mean of its section scores."""
    known = [v for v in (_score(s) for s in (report.get("scores") or {}).values()) if v is not None]
    return round(statistics.fmean(known)) if known else None


def _point(report: Mapping[str, Any], name: object) -> TrendPoint:
    on = report.get("assessed_on")
    return TrendPoint.model_validate(  # a report's date is text, read as the model reads it
        {
            "id": None if name is None else str(name),
            "assessed_on": on if isinstance(on, str | datetime.date) else None,
            "overall": overall_of(report),
            "scores": {k: _score(v) for k, v in (report.get("scores") or {}).items()},
        }
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
        sentence=_disagreement_sentence(
            direction, (len(then), len(now)), (len(closed), len(opened)), (spread_then, spread_now)
        ),
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
    direction: str,
    counts: tuple[int, int],
    moved: tuple[int, int],
    spreads: tuple[float | None, float | None],
) -> str:
    """One sentence a facilitator can say aloud: closer, further apart or as before, and why."""
    opening = {
        "closer": "The room has moved closer together",
        "further": "The room has moved further apart",
        "same": "The room is about as far apart as last time",
    }[direction]
    then, now = counts
    said = f"{opening}: partners saw {_questions(then)} differently last time and {now} this time"
    closed, opened = moved
    changes = []
    if closed:
        changes.append(f"{closed} of last time's differences {'has' if closed == 1 else 'have'} closed")
    if opened:
        changes.append(f"{opened} {'is' if opened == 1 else 'are'} new")
    if changes:
        said += "; " + " and ".join(changes)
    spread_then, spread_now = spreads
    if then == now and direction != "same" and spread_then is not None and spread_now is not None:
        wider = "less" if direction == "closer" else "more"
        said += (
            f", and answers to a statement are {wider} spread out "
            f"({_points(spread_now)} from highest to lowest on average, {_points(spread_then)} last time)"
        )
    return said + "."


def _points(value: float) -> str:
    return "1 point" if value == 1 else f"{value:g} points"


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
        summary=_plan_summary(plan),
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


def _plan_summary(plan: Sequence[ActionDone]) -> str:
    """How far last time's plan got, e.g. "Of the 8 actions in last time's plan, 2 are done and 1 dropped."."""
    if not plan:
        return "The plan attached has no actions."
    counts = [(n, status) for status in STATUSES if (n := sum(a.status == status for a in plan))]
    blank = sum(not a.status for a in plan)
    said = (
        f"Of the {len(plan)} actions in last time's plan" if len(plan) > 1 else "Of the one action in last time's plan"
    )
    parts = [
        f"{n} {'is' if n == 1 else 'are'} {status}" if i == 0 else f"{n} {status}"
        for i, (n, status) in enumerate(counts)
    ]
    if parts:
        said += ", " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
    if blank:
        said += f"{';' if parts else ','} {blank} {'has' if blank == 1 else 'have'} no status"
    return said + "."


def _action(row: Mapping[str, Any]) -> ActionDone:
    status = str(row.get("status") or "").strip().lower()
    return ActionDone(
        remedy_id=str(row.get("remedy_id") or ""),
        remedy=str(row.get("remedy") or ""),
        owner=str(row.get("owner") or ""),
        due=str(row.get("due") or ""),
        status=status if status in STATUSES else "",  # type: ignore[arg-type]
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
    # SEVERITY_RANK counts down from the most severe (critical 0)
    a, b = -SEVERITY_RANK.get(old.severity, 9), -SEVERITY_RANK.get(found.severity, 9)
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
    changed = _role_changes(roles_then, roles_now)
    if changed:
        caveats.append(
            f"Different people answered this time ({changed}; see “Who answered” below). "
            "Part of any change may come from who answered rather than from the partnership."
        )
    then_on, now_on = str(previous.get("assessed_on") or ""), current.assessed_on.isoformat()
    if then_on >= now_on:
        when = "the same day as" if then_on == now_on else "later than"
        caveats.append(
            f"The assessment compared with is dated {then_on}, {when} this one ({now_on}): "
            "what reads as new or resolved here is the other way round in time."
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


def _role_changes(then: Mapping[str, int], now: Mapping[str, int]) -> str:
    """How many more or fewer answered in each role, as '1 fewer in the wider role'."""
    changes = []
    for role in dict.fromkeys([*then, *now]):
        change = now.get(role, 0) - then.get(role, 0)
        if change:
            changes.append(f"{abs(change)} {'more' if change > 0 else 'fewer'} in the {role} role")
    return ", ".join(changes)


def plan_remedies(report: Mapping[str, Any]) -> set[str] | None:
    """The remedy ids of a JSON report's action plan (None for a report that does not list them)."""
    findings = report.get("findings") or ()
    if not all(isinstance(f, Mapping) and isinstance(f.get("remedies"), list) for f in findings):
        return None
    return {r["id"] for f in findings for r in f["remedies"] if isinstance(r, Mapping) and isinstance(r.get("id"), str)}
