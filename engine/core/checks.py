"""Cross-file checks. Each check returns a list of located issues and raises nothing."""

from __future__ import annotations

import difflib
import functools
import math
import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Issue, Key, shorten, subject_of
from ..models import (
    DEFAULT_STAT,
    DONT_KNOW,
    ROLES,
    STATS_BY_TYPE,
    AllCondition,
    Answers,
    AnyCondition,
    AtLeastCondition,
    Condition,
    FactCondition,
    GuidesFile,
    Leaf,
    NotCondition,
    PartnerCondition,
    Question,
    QuestionCondition,
    Questionnaire,
    RemediesFile,
    Rule,
    RulebaseFile,
    RulesFile,
    ScoreCondition,
    Source,
    Strength,
    respondent_label,
)
from .reader import Document, read_text

NEGATED_OP = {
    "<": ">=",
    "<=": ">",
    "==": "!=",
    "!=": "==",
    ">=": "<",
    ">": "<=",
    "in": "not in",
    "answered": "unanswered",
}
ORDER_OPS = ("<", "<=", ">=", ">")


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when something close to ``word`` is known, else ``''``."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def stat_of(question: Question, condition: QuestionCondition) -> str:
    """The stat a condition compares: its own, or the answer type's default."""
    return condition.stat or DEFAULT_STAT[question.type]


# --- questionnaire -------------------------------------------------------------------


def check_questionnaire(doc: Document[Questionnaire]) -> list[Issue]:
    """Section ids and question ids are unique, and each question id starts with its section's.

    A section with agreement statements but no prompts for a facilitator is a warning.
    """
    issues: list[Issue] = []
    sections: set[str] = set()
    questions: set[str] = set()
    for s, section in enumerate(doc.model.sections):
        if not section.prompts and any(q.type == "scale" for q in section.questions):
            issues.append(
                doc.issue(
                    ("sections", s, "id"),
                    f"section '{section.id}'",
                    "has statements but no 'prompts' for gaps",
                    warning=True,
                )
            )
        if section.id in sections:
            issues.append(doc.issue(("sections", s, "id"), f"sections[{s}].id", f"duplicate section id '{section.id}'"))
        sections.add(section.id)
        for q, question in enumerate(section.questions):
            keys: tuple[Key, ...] = ("sections", s, "questions", q, "id")
            if question.id in questions:
                issues.append(doc.issue(keys, question.id, "duplicate question id"))
            questions.add(question.id)
            if not question.id.startswith(section.id + "."):
                issues.append(
                    doc.issue(keys, question.id, f"a question id must start with its section id '{section.id}.'")
                )
    return issues


# --- answers -------------------------------------------------------------------------


def check_answers(doc: Document[Any], questionnaire: Questionnaire) -> list[Issue]:
    """Every answer fits its question; respondents are unique; the questionnaire matches.

    ``doc.model`` is the answers file as plain data (the parsed YAML or a model dump), so
    these checks run even when the file also has structural problems: every problem in
    the file is reported at once. Parts of the wrong shape are left to the model's checks.
    """
    data = doc.model if isinstance(doc.model, dict) else {}
    issues: list[Issue] = []
    ref = data.get("questionnaire")
    other_version = False
    if isinstance(ref, dict) and (str(ref.get("id")), str(ref.get("version"))) != (
        questionnaire.id,
        questionnaire.version,
    ):
        other_version = str(ref.get("id")) == questionnaire.id
        if other_version:
            from .migrate import FROM, TO  # only for a file of another version: migration is not loaded otherwise

            old = str(ref.get("version"))
            upgrade = (
                "'partnership-health migrate' upgrades it (README 'Upgrading answers')"
                if old in FROM and questionnaire.version == TO
                else "see README 'Upgrading answers'"
            )
            message = f"answers are for questionnaire {ref.get('version')}, this is {questionnaire.version}; {upgrade}"
        else:
            message = (
                f"answers are for questionnaire '{ref.get('id')}' version {ref.get('version')}, "
                f"this is '{questionnaire.id}' version {questionnaire.version}"
            )
        issues.append(doc.issue(("questionnaire",), "questionnaire", message))
    respondents = data.get("respondents")
    fits = answer_fits(questionnaire)
    ids: Counter[str] = Counter()
    first: dict[tuple[str, str], str] = {}
    for r, respondent in enumerate(respondents if isinstance(respondents, list) else []):
        if not isinstance(respondent, dict):
            continue
        who = respondent_label(respondent, r)
        ids[str(respondent.get("id"))] += 1
        if "id" in respondent and ids[str(respondent["id"])] == 2:
            issues.append(doc.issue(("respondents", r, "id"), who, "duplicate respondent id"))
        name, organisation = respondent.get("name"), respondent.get("organisation")
        if isinstance(name, str) and name.strip() and isinstance(organisation, str):
            person = (" ".join(name.split()).casefold(), " ".join(organisation.split()).casefold())
            if person in first:  # named by id: an error message may be shared where names may not
                message = f"has the same name and organisation as {first[person]}: one person answers twice"
                issues.append(doc.issue(("respondents", r, "name"), who, message))
            first.setdefault(person, who)
        answers = respondent.get("answers")
        role = respondent.get("role")
        for question_id, value in answers.items() if isinstance(answers, dict) else []:
            fit = fits.get(question_id)
            if fit is not None and isinstance(role, str) and role in fit[0] and fit[1](value):
                continue  # valid, in its type and asked of the role: the quick test of answers_fit
            keys: tuple[Key, ...] = ("respondents", r, "answers", str(question_id))
            question = questionnaire.questions.get(str(question_id))
            if question is None:
                if not other_version:  # the version's error says it all; a list of every old id would bury it
                    hint = did_you_mean(str(question_id), questionnaire.questions)
                    subject = f"{who}: {shorten(question_id, quote=False)}"
                    issues.append(doc.issue(keys, subject, f"unknown question{hint}", key=True))
                continue
            problem = answer_problem(question, value) if isinstance(value, (bool, int, float, str)) else None
            if not problem and role in ROLES and not question.asks(role):
                problem = f"is not asked of the {role} role (only of {', '.join(question.roles or ())})"
            if problem:
                issues.append(doc.issue(keys, f"{who}: {question_id}", problem))
    return issues


Fit = Callable[[object], bool]
AnswerFits = dict[str, tuple[frozenset[str], Fit]]
"""Per question id: the roles asked it, and a test that an answer is valid and already in its type."""


_CHECKED: dict[int, tuple[weakref.ref[Answers], Questionnaire]] = {}
_CHECKED_LOCK = threading.Lock()


def mark_checked(answers: Answers, questionnaire: Questionnaire) -> Answers:
    """Note that ``answers`` (as :func:`load_answers` returns them) passed every check against ``questionnaire``.

    :func:`checked_for` then tells ``assess`` so, and it does not check them again. The
    note is about this object only (not a copy, not another object with equal contents),
    and it goes when the object does. ``Answers`` is frozen; answers changed in place
    (a respondent's ``answers`` dict edited after loading) are not supported.
    """
    key = id(answers)

    def gone(_: object, key: int = key) -> None:
        with _CHECKED_LOCK:
            _CHECKED.pop(key, None)

    with _CHECKED_LOCK:
        _CHECKED[key] = (weakref.ref(answers, gone), questionnaire)
    return answers


def checked_for(answers: Answers, questionnaire: Questionnaire) -> bool:
    """Whether :func:`mark_checked` noted that these very answers passed the checks against this questionnaire."""
    kept = _CHECKED.get(id(answers))
    return kept is not None and kept[0]() is answers and kept[1] is questionnaire


def answers_fit(answers: Answers, questionnaire: Questionnaire, fits: AnswerFits | None = None) -> bool:
    """Whether validated answers are exactly as :func:`read_as_written` and :func:`check_answers` want them.

    True when the questionnaire matches, respondent ids are unique, no one answers twice,
    and every answer is already in its question's type, valid, and asked of the
    respondent's role (so reading it as written would change nothing). A fast test: it
    names no problem; when it says False, the full checks find and locate them.
    ``fits`` is :func:`answer_fits` of the questionnaire, when it is kept.
    """
    if (answers.questionnaire.id, answers.questionnaire.version) != (questionnaire.id, questionnaire.version):
        return False
    if fits is None:
        fits = answer_fits(questionnaire)
    ids: set[str] = set()
    people: set[tuple[str, str]] = set()
    for respondent in answers.respondents:
        if respondent.id in ids:
            return False
        ids.add(respondent.id)
        name = respondent.name
        if name is not None and name.strip():
            person = (" ".join(name.split()).casefold(), " ".join(respondent.organisation.split()).casefold())
            if person in people:
                return False
            people.add(person)
        role = respondent.role
        for question_id, value in respondent.answers.items():
            fit = fits.get(question_id)
            if fit is None or role not in fit[0] or not fit[1](value):
                return False
    return True


def answer_fits(questionnaire: Questionnaire) -> AnswerFits:
    """For each question, the roles asked it and a test that :func:`answer_problem` accepts an answer
    and :func:`as_written` leaves it as it is (plain functions, so what keeps them can be pickled)."""
    return {qid: (questionnaire.asked[qid], _fit(question)) for qid, question in questionnaire.questions.items()}


def _fit(question: Question) -> Fit:
    kind = question.type
    if kind == "text":
        return _fits_text
    if kind == "scale":
        return _fits_scale
    if kind == "yesno":
        return _fits_yesno
    if kind == "choice":
        return functools.partial(_fits_choice, frozenset(question.choice_ids))
    low, high = question.bounds or (0.0, 0.0)
    return functools.partial(_fits_number, low, high)


def _fits_text(value: object) -> bool:
    return type(value) is str and len(value) <= MAX_TEXT_LENGTH


def _fits_scale(value: object) -> bool:
    return (type(value) is int and 1 <= value <= 5) or value == DONT_KNOW


def _fits_yesno(value: object) -> bool:
    return type(value) is bool or value == DONT_KNOW


def _fits_choice(choices: frozenset[str], value: object) -> bool:
    return type(value) is str and (value in choices or value == DONT_KNOW)


def _fits_number(low: float, high: float, value: object) -> bool:
    return (type(value) in (int, float) and math.isfinite(value) and low <= value <= high) or value == DONT_KNOW  # type: ignore[arg-type,operator]


YES_NO_WORDS = {"yes": True, "true": True, "no": False, "false": False}
_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")


def read_as_written(doc: Document[Any], questionnaire: Questionnaire) -> list[Issue]:
    """Turn answers as people write them into the type their question wants, in place.

    ``doc.model`` is the answers file as plain data. Yes/no answers may be yes, no,
    true or false in any case; numbers may be written in any JSON form (``6``, ``6.0``,
    ``6e0``, also quoted); a whole number on the 1-5 scale may be written ``3.0``; a
    choice may be written in any case; "don't know" may be written ``dont_know``,
    ``don't know`` or ``dont know`` in any case (not for free text); a free-text answer written as a number or a
    yes/no word keeps the text as written. Anything else is left for
    :func:`answer_problem` to name. An answer left empty is an issue and is dropped.
    """
    issues: list[Issue] = []
    data = doc.model if isinstance(doc.model, dict) else {}
    respondents = data.get("respondents")
    for r, respondent in enumerate(respondents if isinstance(respondents, list) else []):
        answers: Any = respondent.get("answers") if isinstance(respondent, dict) else None
        written: dict[str, str] | None = None  # the answers as written, read off the node tree when one needs it
        for question_id, value in list(answers.items()) if isinstance(answers, dict) else []:
            question = questionnaire.questions.get(str(question_id))
            keys: tuple[Key, ...] = ("respondents", r, "answers", str(question_id))
            if value is None:
                who = respondent_label(respondent, r)
                message = "has no answer (write one, or leave the question out)"
                issues.append(doc.issue(keys, f"{who}: {question_id}", message))
                del answers[question_id]
            elif question is not None:
                kind = question.type
                if (type(value) is int and kind in ("scale", "number")) or (type(value) is bool and kind == "yesno"):
                    continue  # already as the question wants it: as_written would leave it as it is
                if written is None and kind in ("text", "choice") and not isinstance(value, str):
                    written = doc.written_under(("respondents", r, "answers"))  # only these read it
                text = written.get(str(question_id)) if written is not None else None
                answers[question_id] = as_written(question, value, text)
    return issues


DONT_KNOW_WORDS = frozenset({"dont_know", "don't know", "dont know", "don't_know"})


def as_written(question: Question, value: object, written: str | None = None) -> object:
    """``value`` in the type ``question`` wants, when it is written in a way people write it.

    ``written`` is the answer's text as it stands in the file (None for plain data).
    """
    kind = question.type
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        if kind in ("text", "choice") and written is not None:
            return as_written(question, written)
        return value
    if isinstance(value, str):
        text = value.strip()
        if kind != "text" and text.casefold().replace("’", "'") in DONT_KNOW_WORDS:
            return DONT_KNOW
        if kind == "yesno":
            return YES_NO_WORDS.get(text.casefold(), value)
        if kind == "choice":
            return next((choice for choice in question.choice_ids if choice == text.casefold()), value)
        if kind in ("number", "scale") and _NUMBER.match(text):
            number = float(text)
            value = int(text) if text.lstrip("+-").isdigit() else number
    if kind in ("text", "choice") and not isinstance(value, str):
        return written if written is not None else str(value)
    if kind == "scale" and isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


MAX_TEXT_LENGTH = 10_000  # characters in one free-text answer (README, "Limits")
# The agreement scale's usual labels: written in an answers file, they get the number to write instead.
_SCALE_WORDS = {
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
}


def answer_problem(question: Question, value: object) -> str | None:
    """Why ``value`` is not a valid answer to ``question``, or None."""
    kind = question.type
    if value == DONT_KNOW and kind != "text":
        return None
    if kind == "scale":
        if type(value) is not int:
            said = " ".join(value.casefold().replace("-", " ").split()) if isinstance(value, str) else ""
            hint = (
                f"; write {value} as {_SCALE_WORDS[said]} (1 Strongly disagree ... 5 Strongly agree)"
                if said in _SCALE_WORDS
                else ""
            )
            return f"must be a whole number from 1 to 5, or {DONT_KNOW} (got {shorten(value)}){hint}"
        if not 1 <= value <= 5:
            return f"must be from 1 to 5 (got {shorten(value)})"
    elif kind == "number":
        if type(value) not in (int, float):
            return f"must be a number, or {DONT_KNOW} (got {shorten(value)})"
        if not math.isfinite(value):  # type: ignore[arg-type]
            return f"must be a finite number (got {value})"
        low, high = question.bounds or (0, 0)
        if not low <= value <= high:  # type: ignore[operator]
            return f"must be from {low:g} to {high:g} {question.unit or ''} (got {shorten(value)})".replace("  ", " ")
    elif kind == "yesno":
        if type(value) is not bool:
            return f"must be yes, no or {DONT_KNOW} (got {shorten(value)})"
    elif kind == "choice":
        if value not in question.choice_ids:
            hint = did_you_mean(str(value), question.choice_ids)
            return f"must be one of {', '.join(question.choice_ids)} or {DONT_KNOW} (got {shorten(value)}){hint}"
    elif kind == "text":
        if type(value) is not str:
            return f"must be text (got {shorten(value)})"
        if len(value) > MAX_TEXT_LENGTH:
            return f"is {len(value):,} characters long; a free-text answer may have at most {MAX_TEXT_LENGTH:,}"
    return None


# --- rule base -----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSource:
    """The rule base as read: one document per file, so every issue can be located."""

    settings: Document[RulebaseFile]
    remedies: Document[RemediesFile]
    guides: Document[GuidesFile]
    rule_files: tuple[Document[RulesFile], ...]

    def rules(self) -> Iterator[tuple[Document[RulesFile], int, Rule]]:
        for doc in self.rule_files:
            for index, rule in enumerate(doc.model.rules):
                yield doc, index, rule

    def strengths(self) -> Iterator[tuple[Document[RulesFile], int, Strength]]:
        for doc in self.rule_files:
            for index, strength in enumerate(doc.model.strengths):
                yield doc, index, strength


def leaves(
    condition: Condition, keys: tuple[Key, ...] = ("when",), negated: bool = False
) -> Iterator[tuple[tuple[Key, ...], Leaf, bool]]:
    """Every comparison in a condition tree with its path and whether it sits under an odd number of ``not``."""
    if isinstance(condition, AllCondition):
        for i, child in enumerate(condition.all):
            yield from leaves(child, (*keys, "all", i), negated)
    elif isinstance(condition, AnyCondition):
        for i, child in enumerate(condition.any):
            yield from leaves(child, (*keys, "any", i), negated)
    elif isinstance(condition, AtLeastCondition):
        for i, child in enumerate(condition.of):
            yield from leaves(child, (*keys, "of", i), negated)
    elif isinstance(condition, NotCondition):
        yield from leaves(condition.negated, (*keys, "not"), not negated)
    else:
        yield keys, condition, negated


def check_rulebase(source: RuleSource, questionnaire: Questionnaire) -> list[Issue]:
    """Every cross-reference of a rule base resolves, and every comparison can hold."""
    issues: list[Issue] = []
    failure_modes = {mode.id for mode in source.settings.model.failure_modes}
    remedies = {remedy.id for remedy in source.remedies.model.remedies}
    sections = {section.id for section in questionnaire.sections}
    asserted = {fact for _, _, rule in source.rules() for fact in rule.asserts}

    issues += _duplicates(((doc, ("rules", i, "id"), rule.id) for doc, i, rule in source.rules()), "rule id")
    issues += _duplicates(((doc, ("strengths", i, "id"), s.id) for doc, i, s in source.strengths()), "strength id")
    issues += _duplicates(
        ((source.remedies, ("remedies", i, "id"), r.id) for i, r in enumerate(source.remedies.model.remedies)),
        "remedy id",
    )
    issues += _duplicates(
        (
            (source.settings, ("failure_modes", i, "id"), m.id)
            for i, m in enumerate(source.settings.model.failure_modes)
        ),
        "failure mode id",
    )
    used_remedies: set[str] = set()
    used_modes: set[str] = set()
    for doc, i, rule in source.rules():
        at: tuple[Key, ...] = ("rules", i)
        if rule.failure_mode not in failure_modes:
            hint = did_you_mean(rule.failure_mode, failure_modes)
            issues.append(
                doc.issue(
                    (*at, "failure_mode"), f"rule '{rule.id}'", f"unknown failure mode '{rule.failure_mode}'{hint}"
                )
            )
        used_modes.add(rule.failure_mode)
        for r, remedy_id in enumerate(rule.remedies):
            used_remedies.add(remedy_id)
            if remedy_id not in remedies:
                hint = did_you_mean(remedy_id, remedies)
                message = f"unknown remedy '{remedy_id}'{hint}"
                issues.append(doc.issue((*at, "remedies", r), f"rule '{rule.id}'", message))
        for keys, leaf, negated in leaves(rule.when):
            problem = _leaf_problem(leaf, negated, questionnaire, sections, asserted)
            if problem:
                issues.append(doc.issue((*at, *keys), f"rule '{rule.id}': {subject_of(keys)}", problem))
        issues += _guard_problems(doc, at, f"rule '{rule.id}'", rule, source, questionnaire)
    for doc, i, strength in source.strengths():
        issues += _guard_problems(doc, ("strengths", i), f"strength '{strength.id}'", strength, source, questionnaire)
        for j, mode_id in enumerate(strength.contradicts):
            if mode_id not in failure_modes:
                hint = did_you_mean(mode_id, failure_modes)
                issues.append(
                    doc.issue(
                        ("strengths", i, "contradicts", j),
                        f"strength '{strength.id}'",
                        f"unknown failure mode '{mode_id}'{hint}",
                    )
                )
        for keys, leaf, negated in leaves(strength.when):
            problem = _leaf_problem(leaf, negated, questionnaire, sections, asserted)
            if problem:
                issues.append(
                    doc.issue(("strengths", i, *keys), f"strength '{strength.id}': {subject_of(keys)}", problem)
                )
    issues += _settings_problems(source, questionnaire)
    issues += _story_problems(source, failure_modes)
    issues += _fact_loops(source)
    for i, remedy in enumerate(source.remedies.model.remedies):
        issues += _untraced_steps(source, i)
        for n, other in enumerate(remedy.not_with):
            if other not in remedies or other == remedy.id:
                hint = did_you_mean(other, remedies) if other != remedy.id else ""
                problem = "names the remedy itself" if other == remedy.id else f"unknown remedy '{other}'{hint}"
                issues.append(source.remedies.issue(("remedies", i, "not_with", n), f"remedy '{remedy.id}'", problem))
        if remedy.id not in used_remedies:
            issues.append(
                source.remedies.issue(
                    ("remedies", i, "id"), f"remedy '{remedy.id}'", "no rule prescribes it", warning=True
                )
            )
    for i, mode in enumerate(source.settings.model.failure_modes):
        if mode.id not in used_modes:
            issues.append(
                source.settings.issue(
                    ("failure_modes", i, "id"), f"failure mode '{mode.id}'", "no rule diagnoses it", warning=True
                )
            )
    return issues


def _story_problems(source: RuleSource, failure_modes: set[str]) -> list[Issue]:
    """Each story joins known failure modes, and a failure mode is told in at most one story."""
    stories = source.settings.model.stories
    issues = _duplicates(
        ((source.settings, ("stories", i, "id"), story.id) for i, story in enumerate(stories)), "story id"
    )
    told_in: dict[str, str] = {}
    for i, story in enumerate(stories):
        for j, mode_id in enumerate(story.failure_modes):
            at = ("stories", i, "failure_modes", j)
            if mode_id not in failure_modes:
                message = f"unknown failure mode '{mode_id}'{did_you_mean(mode_id, failure_modes)}"
                issues.append(source.settings.issue(at, f"story '{story.id}'", message))
            elif mode_id in told_in:
                message = f"failure mode '{mode_id}' is already told in story '{told_in[mode_id]}'"
                issues.append(source.settings.issue(at, f"story '{story.id}'", message))
            else:
                told_in[mode_id] = story.id
    return issues


def _untraced_steps(source: RuleSource, i: int) -> list[Issue]:
    """Each step of the i-th remedy cites the guide section that says it, or is marked a judgement."""
    remedy = source.remedies.model.remedies[i]
    return [
        source.remedies.issue(
            ("remedies", i, "steps", j),
            f"remedy '{remedy.id}': steps[{j}]",
            "the step cites no guide: add 'source: {guide, section}' or 'judgement: true' with a one-line 'reason'",
        )
        for j, step in enumerate(remedy.steps)
        if not step.traced
    ]


def _guard_problems(
    doc: Document[RulesFile],
    at: tuple[Key, ...],
    subject: str,
    item: Rule | Strength,
    source: RuleSource,
    questionnaire: Questionnaire,
) -> list[Issue]:
    """A rule's ``type`` and ``not_type`` name choices of the partnership-type question."""
    issues = []
    kind = source.settings.model.rulebase.partnership_type
    question = questionnaire.questions.get(kind.question) if kind else None
    for field in ("type", "not_type"):
        for n, choice in enumerate(getattr(item, field) or []):
            if question is None:
                message = "needs 'partnership_type: {question: ...}' in rulebase.yaml naming a choice question"
                issues.append(doc.issue((*at, field), f"{subject}: {field}", message))
                break
            if choice not in question.choice_ids:
                hint = did_you_mean(choice, question.choice_ids)
                message = f"'{choice}' is not a choice of {question.id} ({', '.join(question.choice_ids)}){hint}"
                issues.append(doc.issue((*at, field, n), f"{subject}: {field}", message))
    overlap = set(item.type or ()) & set(item.not_type or ())
    if overlap:
        issues.append(doc.issue((*at, "not_type"), f"{subject}: not_type", f"'{sorted(overlap)[0]}' is also in 'type'"))
    for field in ("age", "not_age"):
        if getattr(item, field) and source.settings.model.rulebase.partnership_age is None:
            message = "needs 'partnership_age: {question: ..., young: [...]}' in rulebase.yaml naming a choice question"
            issues.append(doc.issue((*at, field), f"{subject}: {field}", message))
    ages = set(item.age or ()) & set(item.not_age or ())
    if ages:
        issues.append(doc.issue((*at, "not_age"), f"{subject}: not_age", f"'{sorted(ages)[0]}' is also in 'age'"))
    return issues


def _settings_problems(source: RuleSource, questionnaire: Questionnaire) -> list[Issue]:
    issues = []
    kind = source.settings.model.rulebase.partnership_type
    if kind:
        question = questionnaire.questions.get(kind.question)
        keys = ("rulebase", "partnership_type", "question")
        if question is None:
            hint = did_you_mean(kind.question, questionnaire.questions)
            issues.append(source.settings.issue(keys, "partnership_type", f"unknown question '{kind.question}'{hint}"))
        elif question.type != "choice":
            issues.append(
                source.settings.issue(keys, "partnership_type", f"'{kind.question}' is not a choice question")
            )
        if kind.signed_up is not None:
            signed_up = questionnaire.questions.get(kind.signed_up)
            keys = ("rulebase", "partnership_type", "signed_up")
            if signed_up is None:
                hint = did_you_mean(kind.signed_up, questionnaire.questions)
                message = f"unknown question '{kind.signed_up}'{hint}"
                issues.append(source.settings.issue(keys, "partnership_type", message))
            elif question is not None and signed_up.choice_ids != question.choice_ids:
                message = f"'{kind.signed_up}' must have the choices of '{kind.question}'"
                issues.append(source.settings.issue(keys, "partnership_type", message))
    for n, qid in enumerate(source.settings.model.rulebase.partners.own_side):
        found = questionnaire.questions.get(qid)
        if found is None or found.type != "scale":
            what = (
                "not a scale question" if found else f"an unknown question{did_you_mean(qid, questionnaire.questions)}"
            )
            issues.append(
                source.settings.issue(("rulebase", "partners", "own_side", n), "partners", f"'{qid}' is {what}")
            )
    age = source.settings.model.rulebase.partnership_age
    if age:
        issues += _choice_question_problems(source, questionnaire, "partnership_age", age.question, age.young)
    return issues


def _choice_question_problems(
    source: RuleSource, questionnaire: Questionnaire, setting: str, qid: str, choices: Sequence[str] = ()
) -> list[Issue]:
    """A setting of rulebase.yaml names a choice question, and ``choices`` that are its choices."""
    question = questionnaire.questions.get(qid)
    keys = ("rulebase", setting, "question")
    if question is None:
        hint = did_you_mean(qid, questionnaire.questions)
        return [source.settings.issue(keys, setting, f"unknown question '{qid}'{hint}")]
    if question.type != "choice":
        return [source.settings.issue(keys, setting, f"'{qid}' is not a choice question")]
    issues = []
    for n, choice in enumerate(choices):
        if choice not in question.choice_ids:
            hint = did_you_mean(choice, question.choice_ids)
            message = f"'{choice}' is not a choice of {question.id} ({', '.join(question.choice_ids)}){hint}"
            issues.append(source.settings.issue(("rulebase", setting, "young", n), setting, message))
    return issues


_ALL_OR_NOT_ALL = {(">", 1), (">=", 2), ("==", 1), ("!=", 1), ("<=", 1), ("<", 2)}


def needs_trace(leaf: Leaf, questionnaire: Questionnaire, levels: tuple[float, ...]) -> bool:
    """Whether a comparison's value is a threshold that must cite a guide or be marked a judgement.

    Standard cut-offs need neither: points of the agreement scale (a scale question's
    mean, median, min or max), a section score at a level's boundary, a share of yes
    answers of 0, 0.5 or 1, a count of 0 or 1, "all chose the same" (distinct 1), a
    choice, "answered", and ``disputed`` (its thresholds are the rule base's ``gaps``
    settings). Everything else is a threshold: every value compared on a number
    question, spreads, gaps between roles, ``split`` shares, other shares and counts.
    """
    if isinstance(leaf, FactCondition):
        return False
    if isinstance(leaf, PartnerCondition):
        return leaf.value not in (0, 1)
    if isinstance(leaf, ScoreCondition):
        return leaf.value not in levels
    question = questionnaire.questions.get(leaf.question)
    if question is None or leaf.op == "answered":
        return False
    stat = stat_of(question, leaf)
    if stat in ("mode", "disputed"):
        return False
    if stat == "count":
        return leaf.value not in (0, 1)
    if stat == "share":
        return leaf.value not in (0, 0.5, 1)
    if stat == "distinct":
        return (leaf.op, leaf.value) not in _ALL_OR_NOT_ALL
    if question.type == "scale" and stat in ("mean", "median", "min", "max"):
        return False
    return True


def check_thresholds(source: RuleSource, questionnaire: Questionnaire) -> list[Issue]:
    """Every threshold cites a guide (``source``) or is marked ``judgement: true`` with a ``reason``."""
    levels = source.settings.model.rulebase.levels
    cut_offs = (levels.watch, levels.strength)
    issues = []
    items: list[tuple[Document[RulesFile], tuple[Key, ...], str, Rule | Strength]] = [
        (doc, ("rules", i), f"rule '{r.id}'", r) for doc, i, r in source.rules()
    ]
    items += [(doc, ("strengths", i), f"strength '{r.id}'", r) for doc, i, r in source.strengths()]
    for doc, at, subject, item in items:
        for keys, leaf, _ in leaves(item.when):
            if needs_trace(leaf, questionnaire, cut_offs) and not (leaf.source or leaf.judgement):  # type: ignore[union-attr]
                value = leaf.value  # type: ignore[union-attr]
                message = (
                    f"the threshold {value!r} cites no guide: add 'source: {{guide, section}}' "
                    "or 'judgement: true' with a one-line 'reason'"
                )
                issues.append(doc.issue((*at, *keys), f"{subject}: {subject_of(keys)}", message))
    return issues


def check_sources(source: RuleSource, questionnaire_doc: Document[Questionnaire] | None = None) -> list[Issue]:
    """Every cited guide and section exists in rules/guides.yaml."""
    sections = {guide.name: set(guide.sections) for guide in source.guides.model.guides}
    cited: list[tuple[Document, tuple[Key, ...], Source]] = []  # type: ignore[type-arg]
    for doc, i, rule in source.rules():
        cited.append((doc, ("rules", i, "source"), rule.source))
    for doc, i, strength in source.strengths():
        cited.append((doc, ("strengths", i, "source"), strength.source))
    for doc, at, item in [(d, ("rules", i), r) for d, i, r in source.rules()] + [
        (d, ("strengths", i), r) for d, i, r in source.strengths()
    ]:
        for keys, leaf, _ in leaves(item.when):
            if not isinstance(leaf, FactCondition) and leaf.source:
                cited.append((doc, (*at, *keys, "source"), leaf.source))
    for i, remedy in enumerate(source.remedies.model.remedies):
        cited += [
            (source.remedies, ("remedies", i, "steps", j, "source"), step.source)
            for j, step in enumerate(remedy.steps)
            if step.source is not None
        ]
    for i, mode in enumerate(source.settings.model.failure_modes):
        cited += [(source.settings, ("failure_modes", i, "sources", j), s) for j, s in enumerate(mode.sources)]
    for i, story in enumerate(source.settings.model.stories):
        if story.source:
            cited.append((source.settings, ("stories", i, "source"), story.source))
    if questionnaire_doc is not None:
        for s, section in enumerate(questionnaire_doc.model.sections):
            for q, question in enumerate(section.questions):
                cited.append((questionnaire_doc, ("sections", s, "questions", q, "source"), question.source))
    issues = []
    for doc, keys, cite in cited:
        if cite.guide not in sections:
            message = f"unknown guide '{cite.guide}'{did_you_mean(cite.guide, sections)}"
            issues.append(doc.issue((*keys, "guide"), subject_of(keys), message))
        elif cite.section not in sections[cite.guide]:
            message = (
                f"'{cite.guide}' has no section '{cite.section}'{did_you_mean(cite.section, sections[cite.guide])}"
            )
            issues.append(doc.issue((*keys, "section"), subject_of(keys), message))
    return issues


def _leaf_problem(
    leaf: Leaf, negated: bool, questionnaire: Questionnaire, sections: set[str], asserted: set[str]
) -> str | None:
    if isinstance(leaf, FactCondition):
        if leaf.fact not in asserted:
            return f"no rule asserts the fact '{leaf.fact}'{did_you_mean(leaf.fact, asserted)}"
        if negated:
            return "'not' over a derived fact is not supported (facts are never retracted)"
        return None
    op = NEGATED_OP[leaf.op] if negated else leaf.op
    if isinstance(leaf, PartnerCondition):
        return _unsatisfiable(op, leaf.value, (0, float("inf")), f"the number of partners {leaf.partners}")
    if isinstance(leaf, ScoreCondition):
        if leaf.score not in sections:
            return f"unknown section '{leaf.score}'{did_you_mean(leaf.score, sections)}"
        return _unsatisfiable(op, leaf.value, (0, 100), "a section score (0 to 100)")
    question = questionnaire.questions.get(leaf.question)
    if question is None:
        return f"unknown question '{leaf.question}'{did_you_mean(leaf.question, questionnaire.questions)}"
    stat = stat_of(question, leaf)
    if stat not in STATS_BY_TYPE[question.type]:
        return f"a {question.type} question has no stat '{stat}' (it has {', '.join(STATS_BY_TYPE[question.type])})"
    named = [leaf.role] if leaf.role else (leaf.roles or [])
    not_asked = [role for role in named if not question.asks(role)]
    if not_asked:
        return f"{question.id} is not asked of the {not_asked[0]} role (only of {', '.join(question.roles or ())})"
    if leaf.op == "answered":
        return None if leaf.stat is None else "'answered' takes no 'stat'"
    if stat == "disputed":
        if leaf.op not in ("==", "!=") or not isinstance(leaf.value, bool):
            return "'disputed' is true or false: compare it with == or != and true or false"
        return None
    if stat == "mode":
        if leaf.op in ORDER_OPS:
            return f"'{leaf.op}' cannot compare choices; use ==, != or in"
        values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
        unknown = [v for v in values if v not in question.choice_ids]
        if unknown:
            return f"{unknown[0]!r} is not a choice of {question.id} ({', '.join(question.choice_ids)})"
        return None
    if leaf.op == "in" or isinstance(leaf.value, (bool, str)):
        return f"the {stat} of {question.id} is a number: compare it with <, <=, ==, !=, >= or > and a number"
    return _unsatisfiable(op, leaf.value, _stat_range(question, stat), f"the {stat} of {question.id}")


def _stat_range(question: Question, stat: str) -> tuple[float, float]:
    low, high = question.bounds or (0, 0)
    if stat == "share":
        return (0, 1)
    if stat == "count":
        return (0, float("inf"))
    if stat == "distinct":
        return (1, len(question.choices))
    if stat == "spread":
        return (0, high - low)
    if stat == "split":
        return (0, 0.5)
    if stat == "gap":
        return (low - high, high - low)
    return (low, high)


def _unsatisfiable(op: str, value: object, bounds: tuple[float, float], what: str) -> str | None:
    low, high = bounds
    assert isinstance(value, (int, float))
    possible = {
        "<": low < value,
        "<=": low <= value,
        ">": high > value,
        ">=": high >= value,
        "==": low <= value <= high,
        "!=": not (low == high == value),
    }[op]
    if possible:
        return None
    return f"no answer can satisfy '{op} {value:g}': {what} runs from {low:g} to {high:g}"


def _duplicates(places: Iterable[tuple[Document, tuple[Key, ...], str]], what: str) -> list[Issue]:  # type: ignore[type-arg]
    seen: set[str] = set()
    issues = []
    for doc, keys, value in places:
        if value in seen:
            issues.append(doc.issue(keys, f"{what} '{value}'", f"duplicate {what}"))
        seen.add(value)
    return issues


def _fact_loops(source: RuleSource) -> list[Issue]:
    """A derived fact that depends, through the rules asserting it, on itself."""
    needs: dict[str, set[str]] = {}
    where: dict[str, tuple[Document[RulesFile], int, Rule]] = {}
    for doc, i, rule in source.rules():
        required = {leaf.fact for _, leaf, _ in leaves(rule.when) if isinstance(leaf, FactCondition)}
        for fact in rule.asserts:
            needs.setdefault(fact, set()).update(required)
            where.setdefault(fact, (doc, i, rule))
    issues = []
    reported: set[frozenset[str]] = set()
    for start in sorted(needs):
        path = _cycle_from(start, needs)
        if path and frozenset(path) not in reported:
            reported.add(frozenset(path))
            doc, i, rule = where[start]
            chain = " -> ".join([*path, path[0]])
            issues.append(
                doc.issue(("rules", i, "asserts"), f"rule '{rule.id}'", f"derived facts form a loop: {chain}")
            )
    return issues


def _cycle_from(start: str, needs: dict[str, set[str]]) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        fact, path = stack.pop()
        for required in sorted(needs.get(fact, ())):
            if required == start:
                return path
            if required not in path:
                stack.append((required, [*path, required]))
    return None


_FIRES = re.compile(r'the (?:finding|strength) "([^"]+)" is reported')
_MISSES = re.compile(r'the (?:finding|strength) "([^"]+)" is not reported')


def check_scenarios(source: RuleSource, features: Path) -> list[Issue]:
    """Every rule has a feature scenario that fires it and a near miss that does not."""
    fires: set[str] = set()
    misses: set[str] = set()
    issues = []
    for feature in sorted(features.glob("*.feature")):
        text, problems = read_text(feature)
        issues += problems
        if text is None:
            continue
        fires.update(_FIRES.findall(text))
        misses.update(_MISSES.findall(text))
    checked = [(doc, ("rules", i, "id"), f"rule '{r.id}'", r.id) for doc, i, r in source.rules()]
    checked += [(doc, ("strengths", i, "id"), f"strength '{r.id}'", r.id) for doc, i, r in source.strengths()]
    for doc, keys, subject, rule_id in checked:
        lacking = [what for what, ids in (("fires it", fires), ("is a near miss", misses)) if rule_id not in ids]
        if lacking:
            message = f"no scenario in {features} that {' and none that '.join(lacking)}"
            issues.append(doc.issue(keys, subject, message))
    return issues
