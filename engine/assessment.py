"""The public verbs: load the inputs, check them, and assess a partnership.

``assess`` runs the pipeline ``aggregate -> facts -> durable-rules -> findings``; the
compiled rule base is cached, so a process compiles and registers it once.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Literal

from . import runner
from .aggregation import (
    GroupStats,
    Tally,
    by_organisation,
    fact_key,
    grouped,
    groups_shown,
    overall_score,
    partnership_type,
    perception_gaps,
    score_key,
    withheld,
)
from .checks import (
    RuleSource,
    answers_fit,
    check_answers,
    check_questionnaire,
    check_rulebase,
    check_scenarios,
    check_sources,
    check_thresholds,
    leaves,
    read_as_written,
    stat_of,
)
from .compiler import CompiledRuleBase, compile_rulebase
from .errors import InputError, Issue, SourceLocation
from .explain import explain
from .loading import Document, bundled_path, parse_yaml, read_document, read_yaml, validate
from .models import (
    Answers,
    Assessment,
    DataQuality,
    Finding,
    Gap,
    GapSettings,
    Group,
    GuidesFile,
    Judgement,
    QuestionCondition,
    Questionnaire,
    QuestionStats,
    RemediesFile,
    Respondent,
    RespondentInfo,
    RuleBase,
    RulebaseFile,
    RulesFile,
    ScoreCondition,
    StrengthFound,
    name_respondent,
    plain,
)
from .quality import data_quality

DEFAULT_QUESTIONNAIRE = "partnership-health.yaml"
_SPECIAL_RULE_FILES = {"guides.yaml": GuidesFile, "rulebase.yaml": RulebaseFile, "remedies.yaml": RemediesFile}


def default_questionnaire_path() -> Path:
    return bundled_path("questionnaires") / DEFAULT_QUESTIONNAIRE


def default_rules_path() -> Path:
    return bundled_path("rules")


def load_questionnaire(path: Path | str | None = None) -> Questionnaire:
    """Load and check a questionnaire (the bundled one by default); raises :class:`InputError`."""
    return read_questionnaire(path).model


def load_rulebase(path: Path | str | None = None, questionnaire: Questionnaire | None = None) -> RuleBase:
    """Load a rule base folder (the bundled one by default) and check it against the questionnaire."""
    questionnaire = questionnaire or load_questionnaire()
    source = read_rule_source(path)
    _raise_errors(check_rulebase(source, questionnaire) + check_sources(source))
    return RuleBase(
        settings=source.settings.model.rulebase,
        failure_modes=tuple(source.settings.model.failure_modes),
        remedies=tuple(source.remedies.model.remedies),
        rules=tuple(rule for _, _, rule in source.rules()),
        guides=tuple(source.guides.model.guides),
        strengths=tuple(strength for _, _, strength in source.strengths()),
        judgements=judgements(source, questionnaire),
    )


def judgements(source: RuleSource, questionnaire: Questionnaire) -> tuple[Judgement, ...]:
    """Every threshold marked ``judgement: true``, with the rule it is in and its reason."""
    found = []
    items = [rule for _, _, rule in source.rules()] + [strength for _, _, strength in source.strengths()]
    for item in items:
        for _, leaf, _ in leaves(item.when):
            if isinstance(leaf, QuestionCondition) and leaf.judgement:
                key = fact_key(leaf.question, stat_of(questionnaire.questions[leaf.question], leaf), leaf.group)
            elif isinstance(leaf, ScoreCondition) and leaf.judgement:
                key = score_key(leaf.score)
            else:
                continue
            found.append(Judgement(rule=item.id, fact=key, op=leaf.op, value=leaf.value, reason=leaf.reason or ""))
    return tuple(found)


def load_answers(
    source: Path | str | Mapping[str, Any], questionnaire: Questionnaire | None = None, *, name: str | None = None
) -> Answers:
    """Load answers and check every one against the questionnaire; raises :class:`InputError`.

    ``source`` is a file (YAML or JSON), the text of one, or the answers as a mapping
    (e.g. from ``json.load``). A ``Path`` is always a file; a ``str`` is text when it
    holds a line break or starts with ``{``, otherwise a file name. Problems in text are
    located as in a file called ``name`` (default ``<text>``), in a mapping by their
    place in it (``<mapping>: respondent 'a': role: ...``). Answers are read as people
    write them (yes/no words in any case, numbers in any JSON form, see the README).
    """
    questionnaire = questionnaire or load_questionnaire()
    if isinstance(source, Mapping):
        shown, data, node, issues = name or "<mapping>", plain(source), None, []
        if not data:
            raise InputError([Issue(SourceLocation(shown), "file", "is empty")])
    else:
        is_text = isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{"))
        shown = (name or "<text>") if is_text else str(source)
        data, node, issues = parse_yaml(str(source), shown) if is_text else read_yaml(source)
        if node is None:
            _raise_errors(issues or [Issue(SourceLocation(shown), "file", "is empty")])
    raw = Document(shown, data, node)
    issues += read_as_written(raw, questionnaire)
    answers, problems = validate(Answers, data, node, shown)
    issues += [name_respondent(issue, data) for issue in problems]
    _raise_errors(issues + check_answers(raw, questionnaire))
    assert answers is not None
    return answers


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


def lint(
    rules: Path | str | None = None, questionnaire: Path | str | None = None, features: Path | str | None = None
) -> list[Issue]:
    """Every problem of a rule base, warnings included, and rules without feature scenarios.

    ``features`` defaults to the ``features`` folder beside the rule base folder; when
    there is none, scenario coverage is not checked.
    """
    questionnaire_doc = read_questionnaire(questionnaire)
    source = read_rule_source(rules)
    issues = check_questionnaire(questionnaire_doc) + check_rulebase(source, questionnaire_doc.model)
    issues += check_sources(source, questionnaire_doc) + check_thresholds(source, questionnaire_doc.model)
    folder = Path(features) if features else (Path(rules) if rules else default_rules_path()).parent / "features"
    if folder.is_dir():
        issues += check_scenarios(source, folder)
    return sorted(issues)


# --- reading with locations (also used by the linter) --------------------------------


def read_questionnaire(path: Path | str | None = None) -> Document[Questionnaire]:
    doc, issues = read_document(path or default_questionnaire_path(), Questionnaire)
    _raise_errors(issues)
    assert doc is not None
    _raise_errors(check_questionnaire(doc))
    return doc


def read_rule_source(path: Path | str | None = None) -> RuleSource:
    """Read every file of a rule base folder, reporting the problems of all of them at once."""
    folder = Path(path) if path else default_rules_path()
    if not folder.is_dir():
        raise InputError([Issue(SourceLocation(str(folder)), "rules", "is not a folder")])
    issues: list[Issue] = []
    special: dict[str, Document] = {}  # type: ignore[type-arg]
    for name, model in _SPECIAL_RULE_FILES.items():
        doc, problems = read_document(folder / name, model)
        issues += problems
        if doc:
            special[name] = doc
    rule_files = []
    for file in sorted(folder.glob("*.yaml")):
        if file.name not in _SPECIAL_RULE_FILES:
            doc, problems = read_document(file, RulesFile)
            issues += problems
            if doc:
                rule_files.append(doc)
    if not rule_files and not issues:
        issues.append(Issue(SourceLocation(str(folder)), "rules", "has no rule files (*.yaml with a 'rules' list)"))
    _raise_errors(issues)
    return RuleSource(special["rulebase.yaml"], special["remedies.yaml"], special["guides.yaml"], tuple(rule_files))


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


def _raise_errors(issues: list[Issue]) -> None:
    errors = [issue for issue in issues if issue.severity == "error"]
    if errors:
        raise InputError(errors)
