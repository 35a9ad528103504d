"""What the room is shown: findings told as stories, the few things that matter most, the actions that come first.

The HTML report (and so the PDF), the Markdown report and the facilitator's screen all
take their shorter content from :func:`for_the_room`, so they say the same things in the
same order. Pure: an assessment and its questionnaire in, plain values out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.compiler import FactKey
from ..models import (
    SEVERITY_RANK,
    AllCondition,
    AnyCondition,
    Assessment,
    AtLeastCondition,
    Condition,
    Finding,
    Gap,
    QuestionCondition,
    Questionnaire,
    Remedy,
    RuleBase,
    SectionScore,
    Story,
)

TOP_THINGS = 3  # what page 1 opens with: at most three things that matter most
BODY_ACTIONS = 5  # the action plan in the body; the rest are in the appendix
BODY_FINDINGS = 10  # the body tells topics in full up to this many findings; the rest are in the appendix
NAMED_SECTIONS = 3  # the strongest and the weakest sections page 1 names
SCREEN_PROMPTS = 3  # questions for the room on one facilitator's screen, so a topic fits a projector
SERIOUS = ("critical", "high")  # a finding this severe keeps its sections from being called a strength


@dataclass(frozen=True)
class Action:
    """One row of the action plan: a remedy and every finding that prescribes it."""

    remedy: Remedy
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Topic:
    """Something to talk over: a story with the findings it joins, or one finding told on its own."""

    anchor: str = ""
    title: str = ""
    description: str = ""
    findings: tuple[Finding, ...] = ()
    story: Story | None = None

    @property
    def severity(self) -> str:
        return min((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)

    @property
    def prompts(self) -> tuple[str, ...]:
        """Questions for the room: the first of each finding's, then the others, each once."""
        firsts = [f.prompts[0] for f in self.findings if f.prompts]
        rest = [p for f in self.findings for p in f.prompts[1:]]
        return tuple(dict.fromkeys(firsts + rest))

    @property
    def remedies(self) -> tuple[Remedy, ...]:
        """The remedies of its findings, each once, the most severe finding's first."""
        seen: dict[str, Remedy] = {}
        for finding in self.findings:
            for remedy in finding.remedies:
                seen.setdefault(remedy.id, remedy)
        return tuple(seen.values())


@dataclass(frozen=True)
class SectionLevel:
    """A section's score and the level the report calls it, with why that differs from the score's level."""

    id: str
    title: str
    score: SectionScore
    level: str
    held_back: tuple[Finding, ...] = ()  # serious findings that keep a strength-level score from being called one


@dataclass(frozen=True)
class Room:
    """The shorter content every format shows the room."""

    topics: tuple[Topic, ...]
    top: tuple[Topic, ...]
    actions: tuple[Action, ...]
    number: dict[str, int]  # remedy id -> its action's number
    sections: tuple[SectionLevel, ...]
    strongest: tuple[SectionLevel, ...]
    weakest: tuple[SectionLevel, ...]
    topic_of: dict[str, Topic]  # finding id -> the topic it is told in
    told: tuple[Topic, ...] = ()  # the topics the body tells in full (the others by title, in full in the appendix)

    @property
    def more_topics(self) -> tuple[Topic, ...]:
        """The topics the body names by title only; the appendix tells them in full."""
        return self.topics[len(self.told) :]

    @property
    def body_actions(self) -> tuple[Action, ...]:
        return self.actions[:BODY_ACTIONS]

    @property
    def more_actions(self) -> tuple[Action, ...]:
        return self.actions[BODY_ACTIONS:]

    def level(self, section_id: str) -> str | None:
        return next((s.level for s in self.sections if s.id == section_id), None)


def for_the_room(assessment: Assessment, questionnaire: Questionnaire) -> Room:
    """The topics (most serious first), the top three, the actions in order of importance, the sections' levels."""
    topics = tell(assessment.findings, assessment.stories)
    actions = action_plan(assessment.findings, topics)
    sections = section_levels(assessment, questionnaire)
    strong = [s for s in sections if s.level == "strength"]
    weak = [s for s in sections if s.level != "strength"]
    return Room(
        topics=topics,
        top=topics[:TOP_THINGS],
        actions=actions,
        number={action.remedy.id: n for n, action in enumerate(actions, 1)},
        sections=sections,
        strongest=tuple(sorted(strong, key=lambda s: -s.score.score)[:NAMED_SECTIONS]),
        weakest=tuple(sorted(weak, key=lambda s: s.score.score)[:NAMED_SECTIONS]),
        topic_of={finding.id: topic for topic in topics for finding in topic.findings},
        told=told_in_full(topics),
    )


def told_in_full(topics: tuple[Topic, ...]) -> tuple[Topic, ...]:
    """The most serious topics, told in full in the body while they hold at most :data:`BODY_FINDINGS` findings.

    The first topic is always told in full, so a troubled partnership's body stays short
    enough to read in a session and the rest is in the appendix.
    """
    told: list[Topic] = []
    count = 0
    for topic in topics:
        if told and count + len(topic.findings) > BODY_FINDINGS:
            break
        told.append(topic)
        count += len(topic.findings)
    return tuple(told)


def tell(findings: Iterable[Finding], stories: Iterable[Story]) -> tuple[Topic, ...]:
    """The findings as topics: those of one story together under it (a story with one finding is that finding).

    Most serious first: by the most severe finding, then by how many findings a topic
    joins, then in the findings' own order.
    """
    findings = tuple(findings)
    story_of = {mode: story for story in stories for mode in story.failure_modes}
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        story = story_of.get(finding.failure_mode)
        grouped.setdefault(story.id if story else f"finding:{finding.id}", []).append(finding)
    topics = []
    for members in grouped.values():
        story = story_of.get(members[0].failure_mode)
        if story and len(members) > 1:
            topics.append(
                Topic(
                    "story-" + story.id.replace("_", "-"), story.title, story.description.strip(), tuple(members), story
                )
            )
        else:
            (only,) = members
            topics.append(Topic(anchor_of(only), only.title, only.explanation, (only,)))
    first = {finding.id: n for n, finding in enumerate(findings)}
    return tuple(sorted(topics, key=lambda t: (SEVERITY_RANK[t.severity], -len(t.findings), first[t.findings[0].id])))


def anchor_of(finding: Finding) -> str:
    """A finding's place in the HTML report, named by its failure mode (one finding each), not by a rule."""
    return "finding-" + finding.failure_mode.replace("_", "-")


def action_plan(findings: Iterable[Finding], topics: Iterable[Topic] = ()) -> tuple[Action, ...]:
    """One action per prescribed remedy, most important first.

    First the first remedy of each of the :data:`TOP_THINGS` topics (so each thing page 1
    names has its first step in the body's plan); then the others by the most severe
    finding prescribing them, then by their topic's place, then in the findings' order.
    """
    findings = tuple(findings)
    topics = tuple(topics) or tell(findings, ())
    plan: dict[str, tuple[Remedy, list[Finding]]] = {}
    for finding in findings:  # most severe first
        for remedy in finding.remedies:
            plan.setdefault(remedy.id, (remedy, []))[1].append(finding)
    first = [topic.remedies[0].id for topic in topics[:TOP_THINGS] if topic.remedies]
    place = {finding.id: n for n, topic in enumerate(topics) for finding in topic.findings}
    order = {remedy_id: n for n, remedy_id in enumerate(plan)}

    def importance(entry: tuple[Remedy, list[Finding]]) -> tuple[int, int, int, int]:
        remedy, found = entry
        if remedy.id in first:
            return (0, first.index(remedy.id), 0, 0)
        severity = min(SEVERITY_RANK[f.severity] for f in found)
        return (1, severity, min(place.get(f.id, len(place)) for f in found), order[remedy.id])

    return tuple(Action(remedy, tuple(found)) for remedy, found in sorted(plan.values(), key=importance))


def sections_read(finding: Finding, questionnaire: Questionnaire) -> set[str]:
    """The sections a finding sits in: those whose questions (or score) its evidence reads."""
    section_of = {qid: section.id for section in questionnaire.sections for qid in (q.id for q in section.questions)}
    read = set()
    for evidence in finding.evidence:
        key = FactKey(evidence.fact)
        if key.kind == "score":
            read.add(key.name)
        elif key.question_id in section_of:
            read.add(section_of[key.question_id])
    return read


def section_levels(assessment: Assessment, questionnaire: Questionnaire) -> tuple[SectionLevel, ...]:
    """Each scored section with the level the report calls it.

    A section scored at strength level is not called a strength while a high or critical
    finding sits in it: it is called one to watch, and the finding is named as the reason.
    """
    serious = [f for f in assessment.findings if f.severity in SERIOUS]
    read = {f.id: sections_read(f, questionnaire) for f in serious}
    levels = []
    for section in questionnaire.sections:
        score = assessment.scores.get(section.id)
        if score is None:
            continue
        held = tuple(f for f in serious if section.id in read[f.id]) if score.level == "strength" else ()
        levels.append(SectionLevel(section.id, section.title, score, "watch" if held else score.level, held))
    return tuple(levels)


# Asked of a statement partners see differently when none of its section's questions is about it.
GAP_PROMPTS = (
    "What do those who agree see that those who disagree do not?",
    "What would help us all answer this the same way next time?",
)
# Words that say nothing about what a statement or a question is about.
_COMMON = frozenset(
    "partner partners partnership partnership's organisation organisations organisation's "
    "about also does each every from have into just know look make many more most much other others "
    "same some take taken takes than that their them they there this what when where which with would your".split()
)


def _topics_of(text: str) -> set[str]:
    """The words a sentence is about, cut to their first five letters ("decisions", "decision-making": "decis")."""
    words = re.findall(r"[a-z']+", text.lower())
    return {word[:5] for word in words if len(word) >= 4 and word not in _COMMON}


# Asked of a finding whose own questions were written for a view the report may not attribute.
FINDING_PROMPTS = (
    "How does this look from each partner's seat?",
    "What would help most, and who could take it on?",
)


def withheld(finding: Finding) -> bool:
    """Whether all that lies behind a finding comes from groups too small to show: no line of its evidence says more."""
    return all(not evidence.fact for evidence in finding.evidence)


def finding_prompts(finding: Finding, rulebase: RuleBase | None = None) -> tuple[str, ...]:
    """Questions for the room on one finding: those of its signals told as written, each once.

    A signal told without saying whose view is whose (its group is too small to show)
    keeps its questions back: they were written for the view it does not attribute
    ("How do the lead and the core partners each ...?" beside "1 agrees" would name the
    one who agrees). A finding left with none of its own gets :data:`FINDING_PROMPTS`.
    """
    if rulebase is None:
        return finding.prompts
    asked: list[str] = []
    for signal in finding.signals:
        rule = rulebase.rule.get(signal.rule)
        if rule is not None and signal.title == rule.title:
            asked += rule.prompts
    return tuple(dict.fromkeys(asked)) or (FINDING_PROMPTS if finding.prompts else ())


def statement_prompts(gap: Gap, findings: Iterable[Finding] = (), rulebase: RuleBase | None = None) -> tuple[str, ...]:
    """Questions for the room on one statement partners see differently: those about it, each once.

    First the questions of the rules that fired on the statement's answers (and are told
    as written: see :func:`finding_prompts`), then those of its section that share a word
    with it. When there are none, two questions that fit any split (:data:`GAP_PROMPTS`).
    """
    own: list[str] = []
    if rulebase is not None:
        for finding in findings:
            for signal in finding.signals:
                rule = rulebase.rule.get(signal.rule)
                if rule is not None and signal.title == rule.title and gap.question in questions_read(rule.when):
                    own += rule.prompts
    about = _topics_of(gap.text)
    fitting = [p for p in gap.prompts if _topics_of(p) & about]
    return tuple(dict.fromkeys(own + fitting)) or GAP_PROMPTS


def questions_read(condition: Condition) -> set[str]:
    """The questions whose answers a rule's condition compares."""
    if isinstance(condition, QuestionCondition):
        return {condition.question}
    if isinstance(condition, AllCondition):
        parts = condition.all
    elif isinstance(condition, AnyCondition):
        parts = condition.any
    elif isinstance(condition, AtLeastCondition):
        parts = condition.of
    else:
        return set()
    return set().union(*(questions_read(part) for part in parts))
