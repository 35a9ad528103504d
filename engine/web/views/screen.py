"""The facilitator's screen for the room, one screen a step: the count, what matters most, the top disagreements,
the findings told as the report tells them (a story's findings together), the actions that come first.

The screens take the report's shorter content (``reporting.room``), so the room hears what the report says.

Its page asks ``screen.json`` for the round's progress and reloads when answers change.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...models import Assessment, Since
from ...reporting.room import BODY_ACTIONS, SCREEN_PROMPTS, Room, Topic, for_the_room, gap_prompts
from ...store.sqlite import Round
from ..shared import Web
from . import lead

TOP_GAPS = 5


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/rounds/{round_id:int}/screen", screen),
        web.route("/lead/rounds/{round_id:int}/screen.json", screen_changes),
    ]


def screens_for(web: Web, found: Round) -> tuple[list[dict[str, Any]], Assessment | None]:
    """The screens for the room: the count, what matters most, the top disagreements, the topics, the actions."""
    result = web.assessment(found)
    screens: list[dict[str, Any]] = [{"kind": "count"}]
    notes: dict[str, str] = {}
    if result:
        room = for_the_room(result, web.questionnaire)
        changed = lead.changed(web, found, result)
        notes = year_notes(changed) if changed else {}
        if room.top:
            screens.append({"kind": "matters", "room": room})
        screens += [
            {
                "kind": "gap",
                "gap": gap,
                "rank": n,
                "since": notes.get(f"question:{gap.question}", ""),
                "prompts": gap_prompts(gap)[:SCREEN_PROMPTS],
            }
            for n, gap in enumerate(result.gaps[:TOP_GAPS], 1)
        ]
        screens += [
            {
                "kind": "topic",
                "topic": topic,
                "rank": n,
                "since": {f.id: notes.get(f"finding:{f.title}", "") for f in topic.findings},
                "room": room,
                # a story's screen names its findings too, so it asks one question fewer
                "prompts": topic.prompts[: SCREEN_PROMPTS - 1 if topic.story else SCREEN_PROMPTS],
                "first_step": first_step(room, topic),
            }
            for n, topic in enumerate(room.topics, 1)
        ]
        if room.actions:
            screens.append({"kind": "actions", "room": room})
    screens.append({"kind": "end", "since": notes.get("resolved", "")})
    return screens, result


def first_step(room: Room, topic: Topic) -> str:
    """A topic's first step, as the room can find it: an action on the action-plan screen by number, else by title."""
    if not topic.remedies:
        return ""
    remedy = topic.remedies[0]
    number = room.number[remedy.id]
    if number <= BODY_ACTIONS:
        return f"action {number}, {remedy.title}"
    return f"{remedy.title} (action {number}, in the report's appendix)"


def screen(web: Web, request: Request) -> Response:
    lead.lead_session(web, request)
    found = web.store.get_round(request.path_params["round_id"])
    web.check_questionnaire(found)
    screens, result = screens_for(web, found)
    wanted = request.query_params.get("step", "1")
    step = min(max(int(wanted) if wanted.isdigit() else 1, 1), len(screens))
    return web.page(
        "screen.html",
        round=found,
        status=web.store.status(found.id),
        screens=screens,
        current=screens[step - 1],
        step=step,
        result=result,
        changes=web.store.changes(found.id),
        gap_count=sum(s["kind"] == "gap" for s in screens),
        topic_count=sum(s["kind"] == "topic" for s in screens),
    )


def screen_changes(web: Web, request: Request) -> Response:
    lead.lead_session(web, request)
    found = web.store.get_round(request.path_params["round_id"])
    status = web.store.status(found.id)
    return JSONResponse(
        {"changes": web.store.changes(found.id), "started": status.started, "finished": status.finished},
        headers={"cache-control": "no-store"},
    )


def year_notes(changed: Since) -> dict[str, str]:
    """What the facilitator's screens say about last time, in words to say aloud.

    Keyed ``finding:TITLE`` (new, or found last time too, with what was done about it),
    ``question:ID`` (seen differently last time too, or not) and ``resolved``.
    """
    on = changed.previous.assessed_on.isoformat() if changed.previous.assessed_on else "last time"
    notes = {f"finding:{f.title}": f"New since {on}." for f in changed.findings.new}
    done = {follow.finding: follow.actions for follow in changed.actions.follow_up} if changed.actions else {}
    for f in changed.findings.persisting:
        then = f" (then {f.previous_severity})" if f.severity_change != "same" else ""
        actions = "; ".join(f"{a.remedy}: {a.status or 'no status given'}" for a in done.get(f.title, ()))
        planned = f" What was planned: {actions}." if actions else ""
        notes[f"finding:{f.title}"] = f"Also found on {on}{then}.{planned}"
    if changed.disagreement:
        before = set(changed.disagreement.then)
        for question in changed.disagreement.now:
            notes[f"question:{question}"] = (
                f"Also seen differently on {on}." if question in before else f"Not seen differently on {on}."
            )
    if changed.findings.resolved:
        titles = "; ".join(f.title for f in changed.findings.resolved)
        notes["resolved"] = f"Found on {on} and not this time: {titles}."
    return notes
