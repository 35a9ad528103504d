"""The facilitator's screen for the room, one screen a step: the count, what matters most, the top disagreements,
the findings told as the report tells them (a story, then each of its findings), the actions that come first.

The screens take the report's shorter content (``reporting.room``), so the room hears what the report says.
Every step fits a projector whole (1280x720, 1920x1080, any shape): what does not fit at the screen's type
size goes on to the next step (:func:`paginate`), so nothing is ever below the fold and Space, which moves
on, skips nothing.

Its page asks ``screen.json`` for the round's progress: the count updates in place, and other steps say
that new answers have come in; no page ever reloads itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...models import Assessment, Finding, Gap, Since
from ...reporting.room import (
    BODY_ACTIONS,
    SCREEN_PROMPTS,
    Room,
    Topic,
    finding_prompts,
    for_the_room,
    statement_prompts,
    withheld,
)
from ...store.sqlite import Round
from ...surveys.values import whole_number
from ...wording import GROUP_LABELS, shown
from ..shared import Web
from . import lead

TOP_GAPS = 5
WITHHELD = "Details withheld to protect a small group: what lies behind this comes from answers too few to show."

# What one step holds, in lines of body text at the screen's type size (app.css: body.screen). The screen's
# type follows its height and its width at once, so these hold at 1280x720, 1920x1080 and any other shape.
# Measured in Debian's Chromium with DejaVu Sans, one of the widest common fonts, over every line of the
# demo's, the eight partners' and a troubled round's steps: a list item holds at least 72 characters a line,
# a paragraph 80, a heading 70, a title 44; these leave some spare.
BODY_CHARS = 74  # characters on a line of a paragraph
LIST_CHARS = 68  # ... of a list item (indented)
TITLE_CHARS = 42  # ... of the title, in larger bold type
HEADING_CHARS = 64  # ... of a heading, in bold
TITLE_LINE = 1.33  # a title's line, in body lines
LINES = 13.9  # body lines between a one-line title and the keys at the foot of the screen
HEADING = 0.35  # the space around a heading, besides its lines
GAP = 0.3  # the space after a paragraph or a list item


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/rounds/{round_id:int}/screen", screen),
        web.route("/lead/rounds/{round_id:int}/screen.json", screen_changes),
    ]


@dataclass(frozen=True)
class Block:
    """A run of one kind of content on a step: paragraphs, or a list under its heading."""

    kind: str  # what it is (and its class): text, since, evidence, prompts, step, remedy, roles, findings, actions
    items: tuple[str, ...]
    heading: str = ""
    tag: str = "p"  # "p": each item a paragraph; "ul" or "ol": a list
    start: int = 1  # an "ol" continued from the step before starts at its next number


def lines(text: str, width: int = BODY_CHARS) -> int:
    """How many lines a text takes at ``width`` characters a line, broken between words."""
    count, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            count, used = count + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return count


def paginate(title: str, blocks: list[Block]) -> list[tuple[Block, ...]]:
    """The blocks cut into steps that each fit the screen under ``title``.

    A block goes whole onto the step it starts on when it fits there, else whole onto the
    next; only a block longer than a whole step is cut, between its items, its heading
    repeated ("continued") on the next step. An item is never cut.
    """
    room = LINES - (lines(title, TITLE_CHARS) - 1) * TITLE_LINE
    steps: list[tuple[Block, ...]] = []
    page: list[Block] = []
    used = 0.0

    def turn() -> None:
        nonlocal page, used
        steps.append(tuple(page))
        page, used = [], 0.0

    for block in blocks:
        whole = cost(block)
        if page and used + whole > room and whole <= room:
            turn()
        if used + whole <= room:
            page.append(block)
            used += whole
            continue
        taken: list[str] = []
        first = 0
        for n, item in enumerate(block.items):
            more = cost(part_of(block, [item], n)) - (0 if not taken else heading_cost(block.heading))
            if used + more > room and (page or taken):
                if taken:
                    page.append(part_of(block, taken, first))
                turn()
                taken, first = [], n
                more = cost(part_of(block, [item], n))
            taken.append(item)
            used += more
        if taken:
            page.append(part_of(block, taken, first))
    if page or not steps:
        steps.append(tuple(page))
    return steps


def heading_cost(heading: str) -> float:
    return lines(heading, HEADING_CHARS) + HEADING if heading else 0.0


def cost(block: Block) -> float:
    """How many body lines ``block`` takes, its heading and spacing counted."""
    width = BODY_CHARS if block.tag == "p" else LIST_CHARS
    return heading_cost(block.heading) + sum(lines(item, width) + GAP for item in block.items)


def part_of(block: Block, items: list[str], first: int) -> Block:
    """The items of ``block`` from its ``first`` on, as one step shows them."""
    heading = f"{block.heading} (continued)" if block.heading and first else block.heading
    return replace(block, items=tuple(items), heading=heading, start=block.start + first)


def pages(kind: str, kicker: str, title: str, blocks: list[Block], **extra: Any) -> list[dict[str, Any]]:
    """The steps one screen's content takes, each with its kicker, title and part of the blocks."""
    cut = paginate(title, [block for block in blocks if block.items])
    return [
        {
            "kind": kind,
            "kicker": kicker if len(cut) == 1 else f"{kicker} · part {n} of {len(cut)}",
            "title": title,
            "blocks": part,
            **extra,
        }
        for n, part in enumerate(cut, 1)
    ]


def screens_for(web: Web, found: Round) -> tuple[list[dict[str, Any]], Assessment | None]:
    """The steps for the room: the count, what matters most, the top disagreements, the topics, the actions."""
    result = web.assessment(found)
    screens: list[dict[str, Any]] = []
    notes: dict[str, str] = {}
    told = {"gaps": 0, "topics": 0}  # how many the count and the end name
    if result:
        room = for_the_room(result, web.questionnaire)
        changed = lead.changed(web, found, result)
        notes = year_notes(changed) if changed else {}
        if room.top:
            screens += matters(room)
        gaps = result.gaps[:TOP_GAPS]
        told = {"gaps": len(gaps), "topics": len(room.topics)}
        for n, gap in enumerate(gaps, 1):
            screens += gap_steps(web, result, gap, f"Where we see things differently · {n} of {len(gaps)}", notes)
        for n, topic in enumerate(room.topics, 1):
            screens += topic_steps(web, room, topic, f"Topic {n} of {len(room.topics)}", notes)
        if room.actions:
            screens += actions(room)
    first = {"kind": "count", **told}
    return [first, *screens, {**first, "kind": "end", "since": notes.get("resolved", "")}], result


def matters(room: Room) -> list[dict[str, Any]]:
    count = len(room.top)
    things = tuple(f"{t.title} ({t.severity}{f', {len(t.findings)} findings' if t.story else ''})" for t in room.top)
    sections = ""
    if room.weakest:
        sections = "Weakest sections: " + "; ".join(f"{w.title} ({w.score.score})" for w in room.weakest) + "."
        if room.strongest:
            sections += " Strongest: " + "; ".join(f"{w.title} ({w.score.score})" for w in room.strongest) + "."
    blocks = [Block("top", things, tag="ol"), Block("text", (sections,) if sections else ())]
    return pages(
        "matters", "What matters most", f"{count} thing{'s' if count != 1 else ''} to talk about first", blocks
    )


def gap_steps(web: Web, result: Assessment, gap: Gap, kicker: str, notes: dict[str, str]) -> list[dict[str, Any]]:
    """A statement partners see differently: how they answered, by role where roles are shown, its questions."""
    stats = result.answers[gap.question]
    told = f"{stats.agree} agree{'s' if stats.agree == 1 else ''}"
    told += f", {stats.disagree} disagree{'s' if stats.disagree == 1 else ''}"
    if stats.dont_know:
        told += f", {stats.dont_know} {'does' if stats.dont_know == 1 else 'do'} not know"
    if gap.spread is not None:
        told += f"; the answers lie {shown(gap.spread)} points apart on the scale from 1 to 5"
    roles = tuple(f"{GROUP_LABELS.get(role, role)}: {shown(mean)}" for role, mean in gap.by_role.items())
    prompts = statement_prompts(gap, result.findings, web.rulebase)[:SCREEN_PROMPTS]
    blocks = [
        Block("since", (notes[f"question:{gap.question}"],) if f"question:{gap.question}" in notes else ()),
        Block("text", (told + ".",)),
        Block("roles", roles if len(roles) > 1 else (), tag="ul"),
        Block("prompts", prompts, heading="For the room", tag="ul"),
    ]
    return pages("gap", kicker, gap.text, blocks)


def topic_steps(web: Web, room: Room, topic: Topic, kicker: str, notes: dict[str, str]) -> list[dict[str, Any]]:
    """A topic: a story's own step naming its findings, then each finding's steps; or its one finding's steps."""
    if not topic.story:
        return finding_steps(web, room, topic.findings[0], kicker, notes)
    count = len(topic.findings)
    named = tuple(f"{f.title} ({f.severity})" for f in topic.findings)
    blocks = [Block("text", (topic.description,)), Block("findings", named, heading=f"{count} findings", tag="ul")]
    steps = pages("story", f"{kicker} · {count} findings, one story", topic.title, blocks, severity=topic.severity)
    for n, finding in enumerate(topic.findings, 1):
        steps += finding_steps(web, room, finding, f"{kicker} · finding {n} of {count}", notes)
    return steps


def finding_steps(web: Web, room: Room, finding: Finding, kicker: str, notes: dict[str, str]) -> list[dict[str, Any]]:
    """A finding: what the answers show, its questions for the room, its first step and how to take it.

    A finding all of whose evidence comes from groups too small to show is told by its
    title (which then says no group's view) and its remedies only.
    """
    since = notes.get(f"finding:{finding.title}", "")
    blocks = [Block("since", (since,) if since else ())]
    if withheld(finding):
        blocks.append(Block("withheld", (WITHHELD,)))
    else:
        blocks += [
            Block("text", (finding.explanation,)),
            Block(
                "evidence", tuple(e.text for e in finding.evidence if e.text), heading="What the answers show", tag="ul"
            ),
            Block("prompts", finding_prompts(finding, web.rulebase)[:SCREEN_PROMPTS], heading="For the room", tag="ul"),
        ]
    if finding.remedies:
        first, *others = finding.remedies
        blocks += [
            Block(
                "remedy",
                tuple(step.text for step in first.steps),
                heading=f"First step: {action_words(room, first.id, first.title)}",
                tag="ol",
            ),
            Block(
                "more",
                tuple(action_words(room, r.id, r.title) for r in others),
                heading="Also for this finding",
                tag="ul",
            ),
        ]
    return pages("finding", kicker, finding.title, blocks, severity=finding.severity)


def action_words(room: Room, remedy_id: str, title: str) -> str:
    """An action as the room can find it: by its number on the action-plan step, else by title in the appendix."""
    number = room.number[remedy_id]
    if number <= BODY_ACTIONS:
        return f"action {number}, {title}"
    return f"{title} (action {number}, in the report's appendix)"


def actions(room: Room) -> list[dict[str, Any]]:
    count = len(room.body_actions)
    more = f" The report's appendix has the other {len(room.more_actions)}." if room.more_actions else ""
    blocks = [
        Block("actions", tuple(a.remedy.title for a in room.body_actions), tag="ol"),
        Block("text", (f"Agree who owns each and by when.{more}",)),
    ]
    return pages("actions", "The action plan", f"The {count} action{'s' if count != 1 else ''} that come first", blocks)


def screen(web: Web, request: Request) -> Response:
    lead.lead_session(web, request)
    found = web.store.get_round(request.path_params["round_id"])
    web.check_questionnaire(found)
    screens, result = screens_for(web, found)
    wanted = request.query_params.get("step", "1")
    step = min(max(whole_number(wanted) or 1, 1), len(screens))  # '²' or '٤' is no step
    return web.page(
        "screen.html",
        round=found,
        status=web.store.status(found.id),
        screens=screens,
        current=screens[step - 1],
        step=step,
        result=result,
        changes=web.store.changes(found.id),
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
