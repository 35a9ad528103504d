"""Assess a partnership: ``answers -> facts -> durable-rules -> firings``, put into words when read."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import cached_property, partial
from typing import Any, Literal

from ..models import (
    Answers,
    Assessment,
    DataQuality,
    Finding,
    Gap,
    GapSettings,
    Group,
    Questionnaire,
    QuestionStats,
    Respondent,
    RespondentInfo,
    RuleBase,
    StrengthFound,
)
from . import runner
from .checks import answers_fit, check_answers, read_as_written
from .compiler import CompiledRuleBase, compile_rulebase
from .explain import explain
from .facts import (
    GroupStats,
    Tally,
    by_organisation,
    grouped,
    groups_shown,
    overall_score,
    partnership_type,
    perception_gaps,
    withheld,
)
from .loading import _raise_errors, load_questionnaire, load_rulebase
from .quality import data_quality
from .reader import Document


def assess(
    answers: Answers,
    questionnaire: Questionnaire | None = None,
    rulebase: RuleBase | None = None,
    *,
    by: Literal["respondent", "organisation"] = "respondent",
    min_group: int = 1,
    show_respondents: bool = False,
    gaps: int | None = None,
) -> Assessment:
    """Assess one partnership: section scores, findings with evidence and remedies, strengths, gaps.

    ``by="organisation"`` counts several people from one organisation once;
    ``min_group`` merges any role or organisation with fewer respondents into "others"
    in what the report shows; respondents' names are listed only with ``show_respondents``;
    ``gaps`` is how many perception gaps the report shows first (default: the rule base's
    ``gaps.show``), the rest going to the appendix.

    The rules are decided on facts computed in one pass over the answers; the report's
    aggregates (the assessment's ``answers``, ``by_role``, ``by_organisation``, ``gaps``
    and ``quality``) are built the first time one of them is read.
    """
    questionnaire = questionnaire or load_questionnaire()
    rulebase = rulebase or load_rulebase(questionnaire=questionnaire)
    answers = _checked(answers, questionnaire)
    settings = rulebase.settings
    counted = by_organisation(answers, questionnaire) if by == "organisation" else answers
    compiled = compiled_rulebase(rulebase, questionnaire)
    kind = settings.partnership_type
    kind_question = questionnaire.questions[kind.question] if kind else None
    tally = Tally(counted, questionnaire, compiled.groups)
    scores = tally.scores(settings.levels)
    firings = runner.run(compiled, tally.facts(compiled.needed, scores, settings.gaps, kind_question))
    role_members = grouped(counted.respondents, lambda r: r.role, min_group)
    organisation_members = grouped(answers.respondents, lambda r: r.organisation.strip(), min_group)
    unit_of = (lambda r: r.organisation.strip()) if by == "organisation" else (lambda r: r.id)
    held_roles, held_organisations = withheld(
        answers.respondents, questionnaire, role_members, organisation_members, min_group, unit_of
    )
    roles = list(role_members)  # the role groups the report shows
    hidden_roles = [role for role in tally.roles if role not in roles]
    hidden_organisations = sorted({r.organisation.strip() for r in answers.respondents} - set(organisation_members))
    # Evidence about a role is shown only where the report shows that role's figures.
    hidden = hidden_roles + [f"{qid}@{role}" for qid in held_roles for role in roles]
    groups = tally.groups()
    enough = len(counted.respondents) >= settings.gaps.min_respondents
    # The type lead and core agree on says what each chose: only from roles the report shows.
    type_seen = None
    if kind_question:
        shown_roles = [r for r in tally.roles if r not in hidden and f"{kind_question.id}@{r}" not in hidden]
        seen: dict[str, GroupStats] = {r: groups[r] for r in shown_roles}
        type_seen = partnership_type(kind_question, tally.stats("", kind_question.id), seen)
    people = [
        RespondentInfo(id=r.id, name=r.name, organisation=r.organisation, role=r.role) for r in answers.respondents
    ]
    # Its parts are models already: built without validating them again (pydantic's validating
    # constructor is the faster one for the small models above, model_construct for this one).
    assessment = Assessment.model_construct(
        partnership=answers.partnership,
        assessed_on=answers.assessed_on,
        questionnaire=answers.questionnaire,
        rulebase_version=settings.version,
        levels=settings.levels,
        respondents=len(answers.respondents),
        organisations=len({r.organisation.strip() for r in answers.respondents}),
        counted_by=by,
        overall=overall_score(scores, settings.levels),
        scores=scores,
        partnership_type=type_seen,
        gaps_shown=settings.gaps.show if gaps is None else gaps,
        gaps_note="" if enough else f"Perception gaps need at least {settings.gaps.min_respondents} respondents.",
        privacy_note=_privacy_note(min_group, hidden_roles + hidden_organisations, held_roles | held_organisations),
        respondent_list=tuple(people) if show_respondents else (),
        judgements=rulebase.judgements,
    )
    assessment._breakdowns = _Breakdowns(
        partial(explain, firings, compiled, rulebase, questionnaire, hidden, groups),
        answers,
        tally,
        role_members,
        organisation_members,
        held_roles,
        held_organisations,
        settings.gaps,
        enough,
    )
    return assessment


class _Breakdowns:
    """An assessment's findings in words and report aggregates, each built the first time it is read.

    See :class:`Assessment`. ``explain`` puts the firings into findings and strengths.
    """

    def __init__(
        self,
        explain: Callable[[], tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]],
        answers: Answers,
        tally: Tally,
        role_members: dict[str, list[Respondent]],
        organisation_members: dict[str, list[Respondent]],
        held_roles: set[str],
        held_organisations: set[str],
        settings: GapSettings,
        enough: bool,
    ) -> None:
        self._explain = explain
        self._answers, self._tally, self._settings, self._enough = answers, tally, settings, enough
        self._members = (role_members, organisation_members)
        self._held = (held_roles, held_organisations)

    @cached_property
    def _explained(self) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
        return self._explain()

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        return self._explained[0]

    @cached_property
    def strengths(self) -> tuple[StrengthFound, ...]:
        return self._explained[1]

    @cached_property
    def answers(self) -> dict[str, QuestionStats]:
        return dict(self._tally.group(""))

    @cached_property
    def by_role(self) -> dict[str, Group]:
        known: dict[str, GroupStats] = {role: self._tally.group(role) for role in self._tally.roles}
        return groups_shown(self._members[0], self._tally.questionnaire, self._held[0], known=known)

    @cached_property
    def by_organisation(self) -> dict[str, Group]:
        return groups_shown(self._members[1], self._tally.questionnaire, self._held[1])

    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        if not self._enough:
            return ()
        return perception_gaps(self.answers, self.by_role, self._tally.questionnaire, self._settings)

    @cached_property
    def quality(self) -> DataQuality | None:
        return data_quality(self._answers, self._tally.questionnaire)

    def replaced(self, values: Mapping[str, Any]) -> _Breakdowns:
        """A copy in which each of ``values`` (``findings``, ``gaps``, ...) reads as given."""
        changed = copy.copy(self)
        changed.__dict__.update(values)
        return changed

    def __eq__(self, other: object) -> bool:
        """Equal when every aggregate is: an assessment compares by what it shows."""
        if not isinstance(other, _Breakdowns):
            return NotImplemented
        names = ("findings", "strengths", "answers", "by_role", "by_organisation", "gaps", "quality")
        return all(getattr(self, name) == getattr(other, name) for name in names)

    __hash__ = None  # type: ignore[assignment]


def _checked(answers: Answers, questionnaire: Questionnaire) -> Answers:
    """Answers built in code, checked against the questionnaire and read as people write them.

    Answers already in the form the questionnaire wants (as ``load_answers`` returns
    them) pass as they are; any others go through the same checks as a file.
    """
    if answers_fit(answers, questionnaire):
        return answers
    data = answers.model_dump()
    before = [dict(respondent["answers"]) for respondent in data["respondents"]]
    raw = Document("<answers>", data, None)
    _raise_errors(read_as_written(raw, questionnaire) + check_answers(raw, questionnaire))
    changed = before != [respondent["answers"] for respondent in data["respondents"]]
    return Answers.model_validate(data) if changed else answers


def _privacy_note(min_group: int, hidden: list[str], held: set[str]) -> str:
    if not hidden and not held:
        return ""
    note = (
        f"Groups with fewer than {min_group} respondents are not shown on their own: {len(hidden)} merged into "
        f"'others' (with the smallest other groups, where 'others' alone would still be too small)."
    )
    if held:
        note += (
            f" {len(held)} question{'s are' if len(held) != 1 else ' is'} left out of the breakdowns by role or "
            f"organisation, where fewer than {min_group} of a group answered."
        )
    return note


_CACHE_SIZE = 8
_compiled: OrderedDict[tuple[int, int], tuple[RuleBase, Questionnaire, CompiledRuleBase]] = OrderedDict()
_compiled_lock = threading.Lock()


def compiled_rulebase(rulebase: RuleBase, questionnaire: Questionnaire) -> CompiledRuleBase:
    """The compiled form of ``rulebase``, compiled once per rule base object."""
    key = (id(rulebase), id(questionnaire))
    with _compiled_lock:
        hit = _compiled.get(key)
        if hit and hit[0] is rulebase and hit[1] is questionnaire:
            _compiled.move_to_end(key)
            return hit[2]
        result = compile_rulebase(rulebase, questionnaire)
        _compiled[key] = (rulebase, questionnaire, result)
        if len(_compiled) > _CACHE_SIZE:
            _compiled.popitem(last=False)
        return result
