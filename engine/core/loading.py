"""Load the inputs and check them: the questionnaire, the rule base and answers, every problem located."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Issue, SourceLocation
from ..models import (
    Answers,
    GuidesFile,
    Judgement,
    Model,
    PartnerCondition,
    QuestionCondition,
    Questionnaire,
    RemediesFile,
    RuleBase,
    RulebaseFile,
    RulesFile,
    ScoreCondition,
    name_respondent,
    plain,
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
    mark_checked,
    read_as_written,
    stat_of,
)
from .compiler import FactKey
from .reader import Document, bundled_path, parse_yaml, read_document, read_yaml, validate

DEFAULT_QUESTIONNAIRE = "partnership-health.yaml"
_SPECIAL_RULE_FILES: dict[str, type[Model]] = {
    "guides.yaml": GuidesFile,
    "rulebase.yaml": RulebaseFile,
    "remedies.yaml": RemediesFile,
}


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
    raise_errors(check_rulebase(source, questionnaire) + check_sources(source))
    return RuleBase(
        settings=source.settings.model.rulebase,
        failure_modes=tuple(source.settings.model.failure_modes),
        remedies=tuple(source.remedies.model.remedies),
        rules=tuple(rule for _, _, rule in source.rules()),
        guides=tuple(source.guides.model.guides),
        strengths=tuple(strength for _, _, strength in source.strengths()),
        judgements=judgements(source, questionnaire),
        stories=tuple(source.settings.model.stories),
    )


def judgements(source: RuleSource, questionnaire: Questionnaire) -> tuple[Judgement, ...]:
    """Every threshold marked ``judgement: true``, with the rule it is in and its reason."""
    found = []
    items = [rule for _, _, rule in source.rules()] + [strength for _, _, strength in source.strengths()]
    for item in items:
        for _, leaf, _ in leaves(item.when):
            if isinstance(leaf, QuestionCondition) and leaf.judgement:
                key = FactKey.of_question(
                    leaf.question, stat_of(questionnaire.questions[leaf.question], leaf), leaf.group
                )
            elif isinstance(leaf, ScoreCondition) and leaf.judgement:
                key = FactKey.of_score(leaf.score)
            elif isinstance(leaf, PartnerCondition) and leaf.judgement:
                key = FactKey.of_partners(leaf.partners)
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
        shown, data, node, issues = name or "<mapping>", plain(source), None, list[Issue]()
        if not data:
            raise InputError([Issue(SourceLocation(shown), "file", "is empty")])
    else:
        is_text = isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{"))
        shown = (name or "<text>") if is_text else str(source)
        data, node, issues = parse_yaml(str(source), shown) if is_text else read_yaml(source)
        if node is None:
            raise_errors(issues or [Issue(SourceLocation(shown), "file", "is empty")])
    if not issues and (quick := _valid(data)) is not None and answers_fit(quick, questionnaire):
        # Every answer already in its type, valid and asked of its role: reading them as
        # written would change nothing and the checks would find nothing (answers_fit).
        return mark_checked(quick, questionnaire)
    raw = Document(shown, data, node)
    issues += read_as_written(raw, questionnaire)
    answers, problems = validate(Answers, data, node, shown)
    issues += [name_respondent(issue, data) for issue in problems]
    raise_errors(issues + check_answers(raw, questionnaire))
    assert answers is not None
    return mark_checked(answers, questionnaire)  # assess does not check them again


def _valid(data: Any) -> Answers | None:
    """``data`` validated as answers as it stands, or None (then the full reading locates what is wrong)."""
    try:
        return Answers.model_validate(data)
    except ValidationError:
        return None


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
    raise_errors(issues)
    assert doc is not None
    raise_errors(check_questionnaire(doc))
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
            rule_file, problems = read_document(file, RulesFile)
            issues += problems
            if rule_file:
                rule_files.append(rule_file)
    if not rule_files and not issues:
        issues.append(Issue(SourceLocation(str(folder)), "rules", "has no rule files (*.yaml with a 'rules' list)"))
    raise_errors(issues)
    return RuleSource(special["rulebase.yaml"], special["remedies.yaml"], special["guides.yaml"], tuple(rule_files))


def raise_errors(issues: list[Issue]) -> None:
    """Raise :class:`InputError` with the errors among ``issues`` (warnings pass), if there are any."""
    errors = [issue for issue in issues if issue.severity == "error"]
    if errors:
        raise InputError(errors)
