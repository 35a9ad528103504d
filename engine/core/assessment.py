"""Assess a partnership: ``answers -> facts -> durable-rules -> firings``, put into words when read.

:func:`prepare` compiles a rule base for a questionnaire once (the compiled rule base is
kept on the rule base itself); :func:`assess` then decides the scores, the type and
which rules fire, and returns an :class:`~partnership_health.models.Assessment` whose
findings in words and report aggregates are built from its basis when first read.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..models import (
    DONT_KNOW,
    Answers,
    AnswerValue,
    Assessment,
    Basis,
    DataQuality,
    Finding,
    Gap,
    GapSettings,
    Group,
    PartnershipType,
    Questionnaire,
    QuestionStats,
    Respondent,
    RespondentInfo,
    RuleBase,
    RulebaseSettings,
    SectionScore,
    StrengthFound,
)
from ..options import DEFAULT_OPTIONS, AssessOptions
from . import runner
from .checks import AnswerFits, answer_fits, answers_fit, check_answers, checked_for, mark_checked, read_as_written
from .compiler import CompiledRuleBase, compile_rulebase
from .explain import ExplainPlan, Hidden, explain
from .facts import (
    Counts,
    FactPlan,
    GroupStats,
    Tally,
    agreement_over,
    by_organisation,
    grouped,
    groups_shown,
    means_not_shown,
    overall_score,
    partnership_type,
    perception_gaps,
    private,
    private_gap,
    withheld,
)
from .loading import load_questionnaire, load_rulebase, raise_errors
from .quality import data_quality
from .reader import Document
from .runner import Firing


@dataclass(frozen=True, eq=False)
class Prepared:
    """A rule base compiled for a questionnaire, and everything an assessment derives from the two.

    Made once by :func:`prepare` and kept on the rule base: the compiled branches (what
    durable-rules matches), the tests that answers built in code fit the questionnaire,
    the plan of the facts the rules read, and the plan of the words that explain them.
    """

    questionnaire: Questionnaire
    rulebase: RuleBase
    compiled: CompiledRuleBase
    fits: AnswerFits
    facts: FactPlan
    words: ExplainPlan


def prepare(rulebase: RuleBase, questionnaire: Questionnaire) -> Prepared:
    """``rulebase`` compiled for ``questionnaire``: made once, then kept on the rule base."""
    return rulebase.compiled_for(questionnaire, _prepared)


def _prepared(rulebase: RuleBase, questionnaire: Questionnaire) -> Prepared:
    compiled = compile_rulebase(rulebase, questionnaire)
    return Prepared(
        questionnaire,
        rulebase,
        compiled,
        answer_fits(questionnaire),
        FactPlan(questionnaire, compiled.needed, compiled.groups, rulebase.settings.partners.own_side),
        ExplainPlan(compiled, rulebase, questionnaire),
    )


def assess(
    answers: Answers,
    questionnaire: Questionnaire | None = None,
    rulebase: RuleBase | None = None,
    options: AssessOptions = DEFAULT_OPTIONS,
) -> Assessment:
    """Assess one partnership: section scores, findings with evidence and remedies, strengths, gaps.

    ``options`` (:class:`~partnership_health.AssessOptions`) say how to count, group and
    show the answers. The rules are decided on facts computed in one pass over the
    answers; the findings in words, the report's aggregates and what the smallest group
    withholds (the assessment's ``findings``, ``strengths``, ``answers``, ``by_role``,
    ``by_organisation``, ``gaps``, ``quality``, ``privacy_note``, ``partnership_type``, and
    ``scores`` and ``overall`` beyond the sections the rules read) are built the first time
    one of them is read.
    """
    questionnaire = questionnaire or load_questionnaire()
    rulebase = rulebase or load_rulebase(questionnaire=questionnaire)
    prepared = prepare(rulebase, questionnaire)
    answers = _checked(answers, questionnaire, prepared.fits)
    settings = rulebase.settings
    by, min_group = options.by, options.min_group
    if len(answers.respondents) < min_group:
        return _too_few(answers, questionnaire, settings, options)
    counted = by_organisation(answers, questionnaire) if by == "organisation" else answers
    kind = settings.partnership_type
    kind_question = questionnaire.questions[kind.question] if kind else None
    tally = Tally(counted, prepared.facts)
    scores = tally.scores(settings.levels, prepared.facts.scored)  # the rules' only: the rest when read
    signed_up = kind.signed_up if kind else None
    age = settings.partnership_age
    age_question = (questionnaire.questions[age.question], frozenset(age.young)) if age else None
    facts = tally.facts(scores, settings.gaps, kind_question, settings.partners, signed_up, age_question)
    firings = runner.run(prepared.compiled, facts)
    enough = len(counted.respondents) >= settings.gaps.min_respondents
    return Assessment(
        **_whose(answers, settings, options),
        gaps_shown=settings.gaps.show if options.gaps is None else options.gaps,
        gaps_note="" if enough else f"Perception gaps need at least {settings.gaps.min_respondents} respondents.",
        judgements=rulebase.judgements,
        stories=rulebase.stories,
        basis=_Basis(
            prepared,
            firings,
            answers,
            counted,
            tally,
            options,
            settings.gaps if enough else None,
        ),
    )


def _whose(answers: Answers, settings: RulebaseSettings, options: AssessOptions) -> dict[str, Any]:
    """What an assessment says of whose answers it is: the partnership, the date, who answered, what counted."""
    people = answers.respondents
    return {
        "partnership": answers.partnership,
        "assessed_on": answers.assessed_on,
        "questionnaire": answers.questionnaire,
        "named_in_programme": answers.named_in_programme,
        "rulebase_version": settings.version,
        "levels": settings.levels,
        "respondents": len(people),
        "organisations": len({r.organisation.strip() for r in people}),
        "counted_by": options.by,
        "respondent_list": tuple(
            RespondentInfo(id=r.id, name=r.name, organisation=r.organisation, role=r.role) for r in people
        )
        if options.show_respondents
        else (),
    }


def _answered_by_few(answers: Answers, questionnaire: Questionnaire, min_group: int) -> set[str]:
    """The questions 1 to ``min_group - 1`` people answered, or answered or said "don't know" to."""
    if min_group <= 1:
        return set()
    answered: Counter[str] = Counter()
    replied: Counter[str] = Counter()
    for respondent in answers.respondents:
        replied.update(respondent.answers.keys())
        answered.update(qid for qid, value in respondent.answers.items() if value != DONT_KNOW)
    return {qid for qid in questionnaire.questions if 0 < answered[qid] < min_group or 0 < replied[qid] < min_group}


def _too_few(
    answers: Answers, questionnaire: Questionnaire, settings: RulebaseSettings, options: AssessOptions
) -> Assessment:
    """The assessment of a partnership fewer people answered than the smallest group shown: no figures at all.

    Whatever it showed (a score, a finding, a strength) would rest on those few people's
    answers, so it shows none of them; it says so, and how to show them anyway.
    """
    people = len(answers.respondents)
    withheld = too_few_note(people, options.min_group)
    return Assessment(
        **_whose(answers, settings, options),
        gaps_shown=0,
        gaps_note=f"Perception gaps need at least {options.min_group} respondents here.",
        withheld=withheld,
        judgements=(),
        basis=_Nothing(
            questionnaire, f"{withheld} {_privacy_note(options.min_group, [], set(), 0, options.show_respondents)}"
        ),
    )


_CHOOSE = "A lead who wants them anyway can choose to show every answer (a smallest group of 1: --min-group 1)."


def too_few_note(people: int, min_group: int, advice: str = _CHOOSE) -> str:
    """What the report of a partnership with fewer respondents than ``min_group`` says instead of its figures,
    ending with ``advice`` to its lead (the command line's, unless another is given)."""
    answered = (
        f"Only {people} {'person has' if people == 1 else 'people have'} answered" if people else "Nobody has answered"
    )
    return (
        f"{answered}. Results are held back until at least {min_group} people have answered: to keep each "
        f"person's answers private, this report shows no scores, findings or figures before then. {advice}"
    )


class _Nothing(Basis):
    """The basis of an assessment that shows nothing (:func:`_too_few`)."""

    def explained(self) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
        return (), ()

    def __init__(self, questionnaire: Questionnaire, note: str) -> None:
        self._questionnaire, self._note = questionnaire, note

    def scores(self) -> dict[str, SectionScore]:
        return {}

    def overall(self) -> SectionScore | None:
        return None

    def privacy_note(self) -> str:
        return self._note

    def partnership_type(self) -> PartnershipType | None:
        return None

    def answers(self) -> dict[str, QuestionStats]:
        return {qid: QuestionStats(count=0, values={}, withheld=True) for qid in self._questionnaire.questions}

    def by_role(self) -> dict[str, Group]:
        return {}

    def by_organisation(self) -> dict[str, Group]:
        return {}

    def gaps(self) -> tuple[Gap, ...]:
        return ()

    def quality(self) -> DataQuality | None:
        return None


class _Basis(Basis):
    """What :func:`assess` decided, and all it takes to put it into words and aggregates when asked."""

    def __init__(
        self,
        prepared: Prepared,
        firings: frozenset[Firing],
        answers: Answers,
        counted: Answers,
        tally: Tally,
        options: AssessOptions,
        gaps: GapSettings | None,
    ) -> None:
        self._prepared, self._firings, self._options = prepared, firings, options
        self._answers, self._counted, self._tally, self._gaps = answers, counted, tally, gaps

    @cached_property
    def _members(self) -> tuple[dict[str, list[Respondent]], dict[str, list[Respondent]]]:
        """The role groups and the organisation groups the report shows (see :func:`grouped`)."""
        least = self._options.min_group
        return (
            grouped(self._counted.respondents, lambda r: r.role, least),
            grouped(self._answers.respondents, lambda r: r.organisation.strip(), least),
        )

    @cached_property
    def _scores(self) -> dict[str, SectionScore]:
        return self._tally.scores(self._prepared.rulebase.settings.levels)

    def scores(self) -> dict[str, SectionScore]:
        return self._scores

    def overall(self) -> SectionScore | None:
        return overall_score(self._scores, self._prepared.rulebase.settings.levels)

    @cached_property
    def _privacy(self) -> tuple[Hidden, tuple[set[str], set[str]], list[str]]:
        """What the smallest group keeps out of the words and figures: who and which questions are hidden,
        the questions each breakdown leaves out, and the groups merged into 'others'."""
        answers, counted, tally, min_group = self._answers, self._counted, self._tally, self._options.min_group
        questionnaire = tally.questionnaire
        role_members, organisation_members = self._members
        unit_of = (lambda r: r.organisation.strip()) if self._options.by == "organisation" else (lambda r: r.id)
        held_roles, held_organisations = withheld(
            answers.respondents, questionnaire, role_members, organisation_members, min_group, unit_of
        )
        # A question fewer than min_group people answered at all (one only the lead is asked, say):
        # everyone's figures of it would be those few answers.
        if counted is answers:  # read off the tally's gathered answers
            few = tally.answered_by_few(min_group)
        else:
            few = _answered_by_few(answers, questionnaire, min_group)
        roles = list(role_members)  # the role groups the report shows
        hidden_roles = [role for role in tally.roles if role not in roles]
        hidden_organisations = sorted({r.organisation.strip() for r in answers.respondents} - set(organisation_members))
        # Evidence about a role is shown only where the report shows that role's figures.
        hidden = Hidden(
            frozenset(hidden_roles),
            frozenset((qid, role) for qid in held_roles for role in roles),
            frozenset(few),
            min_group,
        )
        return hidden, (held_roles, held_organisations), hidden_roles + hidden_organisations

    @property
    def _hidden(self) -> Hidden:
        return self._privacy[0]

    @property
    def _held(self) -> tuple[set[str], set[str]]:
        return self._privacy[1]

    def privacy_note(self) -> str:
        hidden, held, merged = self._privacy
        return _privacy_note(
            hidden.min_group, merged, held[0] | held[1], len(hidden.few), self._options.show_respondents
        )

    def partnership_type(self) -> PartnershipType | None:
        """The type lead and core agree on, and what each chose: only from roles the report shows."""
        kind = self._prepared.rulebase.settings.partnership_type
        tally, hidden = self._tally, self._hidden
        if not kind:
            return None
        kind_question = tally.questionnaire.questions[kind.question]
        if kind_question.id in hidden.few:
            return None
        shown_roles = [r for r in tally.roles if not hidden.of(kind_question.id, r)]
        seen: dict[str, list[AnswerValue]] = {r: tally.answered(kind_question, r) for r in shown_roles}
        return partnership_type(kind_question, tally.answered(kind_question, ""), seen)

    @cached_property
    def _no_mean(self) -> frozenset[str]:
        """The scale questions whose mean no figure shows (see :func:`means_not_shown`)."""
        least = self._hidden.min_group
        if least <= 1:
            return frozenset()
        questionnaire = self._tally.questionnaire
        roles: list[Mapping[str, QuestionStats | Counts]] = [g.answers for g in self._by_role_all.values()]
        # Of the organisations only their agreement counts: their other aggregates are built when a report shows them.
        organisations = [agreement_over(people, questionnaire, self._held[1]) for people in self._members[1].values()]
        few = self._hidden.few  # shown without their answers already
        everyone = {qid: s for qid, s in self._tally.group("").items() if qid not in few}
        return means_not_shown(questionnaire, everyone, [*roles, *organisations], least)

    @cached_property
    def _explained(self) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
        hidden = self._hidden
        if hidden.min_group > 1:
            hidden = dataclasses.replace(hidden, means=self._no_mean)
        findings, strengths = explain(self._firings, self._prepared.words, hidden, self._tally.groups())
        return remedies_for_the_situation(findings), strengths

    def explained(self) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
        return self._explained

    @cached_property
    def _answers_shown(self) -> dict[str, QuestionStats]:
        few, least, questions = self._hidden.few, self._hidden.min_group, self._tally.questionnaire.questions
        return {
            qid: _withheld(stats) if qid in few else private(questions[qid], stats, least, self._no_mean)
            for qid, stats in self._tally.group("").items()
        }

    def answers(self) -> dict[str, QuestionStats]:
        return self._answers_shown

    def _private(self, groups: dict[str, Group]) -> dict[str, Group]:
        """Groups' aggregates as the smallest group lets the report show them (see :func:`private`)."""
        least, questions = self._hidden.min_group, self._tally.questionnaire.questions
        if least <= 1:
            return groups
        return {
            name: group.model_copy(
                update={
                    "answers": {
                        qid: private(questions[qid], s, least, self._no_mean) for qid, s in group.answers.items()
                    }
                }
            )
            for name, group in groups.items()
        }

    @cached_property
    def _by_role_all(self) -> dict[str, Group]:
        known: dict[str, GroupStats] = {role: self._tally.group(role) for role in self._tally.roles}
        return groups_shown(self._members[0], self._tally.questionnaire, self._held[0], known=known)

    @cached_property
    def _by_role(self) -> dict[str, Group]:
        return self._private(self._by_role_all)

    def by_role(self) -> dict[str, Group]:
        return self._by_role

    def by_organisation(self) -> dict[str, Group]:
        return self._private(self._by_organisation_all)

    @cached_property
    def _by_organisation_all(self) -> dict[str, Group]:
        return groups_shown(self._members[1], self._tally.questionnaire, self._held[1])

    def gaps(self) -> tuple[Gap, ...]:
        if self._gaps is None:  # too few respondents to look for gaps
            return ()
        few = self._hidden.few
        everyone = {qid: _withheld(s) if qid in few else s for qid, s in self._tally.group("").items()}
        found = perception_gaps(everyone, self._by_role_all, self._tally.questionnaire, self._gaps)
        least = self._hidden.min_group
        if least <= 1:
            return found
        shown = self.answers()
        return tuple(private_gap(gap, shown[gap.question], self.by_role(), least) for gap in found)

    def quality(self) -> DataQuality | None:
        return data_quality(self._answers, self._tally.questionnaire, self._hidden.roles)


def remedies_for_the_situation(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings without the remedies that do not fit beside another one the assessment prescribes.

    A remedy's ``not_with`` names the remedies it is not offered beside: when any finding
    prescribes one of them, the remedy is left out of every finding (and so of the action
    plan). A finding left with no remedy is pointed to the ones that displaced it. So a
    partnership that is told to consider ending is not also told to build trust through
    informal contact: its trust finding points to the ending remedy instead.
    """
    prescribed = {remedy.id: remedy for finding in findings for remedy in finding.remedies}
    displaced_by = {
        remedy.id: [prescribed[other] for other in remedy.not_with if other in prescribed]
        for remedy in prescribed.values()
    }
    if not any(displaced_by.values()):
        return findings
    chosen = []
    for finding in findings:
        kept = tuple(remedy for remedy in finding.remedies if not displaced_by[remedy.id])
        if not kept:  # every remedy displaced: the ones that displaced them, each once
            kept = tuple({r.id: r for remedy in finding.remedies for r in displaced_by[remedy.id]}.values())
        chosen.append(finding if kept == finding.remedies else finding.model_copy(update={"remedies": kept}))
    return tuple(chosen)


def _checked(answers: Answers, questionnaire: Questionnaire, fits: AnswerFits) -> Answers:
    """Answers built in code, checked against the questionnaire and read as people write them.

    Answers checked against this questionnaire before, by ``load_answers`` or by an
    earlier assessment, pass unchecked (the note is about the very object: a copy is
    checked again); others already in the form the questionnaire wants pass as they are;
    any others go through the same checks as a file.
    """
    if checked_for(answers, questionnaire):
        return answers
    if answers_fit(answers, questionnaire, fits):
        return mark_checked(answers, questionnaire)
    data = answers.model_dump()
    before = [dict(respondent["answers"]) for respondent in data["respondents"]]
    raw = Document("<answers>", data, None)
    raise_errors(read_as_written(raw, questionnaire) + check_answers(raw, questionnaire))
    changed = before != [respondent["answers"] for respondent in data["respondents"]]
    return mark_checked(Answers.model_validate(data) if changed else answers, questionnaire)


def _withheld(stats: QuestionStats) -> QuestionStats:
    """A question's figures over everyone with its answers left out (how many answered or said "don't know" too:
    they would tell which of the few answered)."""
    return QuestionStats(count=0, values=dict.fromkeys(stats.values), withheld=True)


def _privacy_note(min_group: int, hidden: list[str], held: set[str], few: int, names: bool) -> str:
    """What the report keeps private, as the respondents were told when they started (see the start page)."""
    named = (
        " Respondents are listed by name, as the lead chose; what each person answered is not."
        if names
        else " No respondent's name is shown."
    )
    if min_group <= 1:
        return "The lead chose to show every group, however small: one person's answers may be shown." + named
    note = (
        f"No figure in this report rests on fewer than {min_group} people's answers: groups smaller than "
        f"{min_group} are never shown on their own.{named}"
    )
    if hidden:
        note += (
            f" {len(hidden)} role{'s' if len(hidden) != 1 else ''} or organisation{'s' if len(hidden) != 1 else ''} "
            f"merged into 'others' (with the smallest other groups, where 'others' alone would still be too small)."
        )
    if held:
        note += (
            f" {len(held)} question{'s are' if len(held) != 1 else ' is'} left out of the breakdowns by role or "
            f"organisation, where fewer than {min_group} of a group answered."
        )
    if few:
        note += (
            f" {few} question{'s' if few != 1 else ''} fewer than {min_group} people answered "
            f"{'are' if few != 1 else 'is'} shown without {'their' if few != 1 else 'its'} answers."
        )
    return note
