"""The commands about the questionnaire, the rule base and the file formats.

``questionnaire`` prints the questions; ``rules`` lists the rules, lints a rule base or
prints its coverage table; ``migrate`` turns answers for questionnaire 1.0 or 2.0 into answers
for 2.1 (the migration is imported only when it runs); ``schema`` prints a JSON Schema.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import InputError, Issue, SourceLocation
from ..wording import counted
from .common import input_options

if TYPE_CHECKING:
    from ..models import Questionnaire


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``questionnaire``, ``rules``, ``migrate`` and ``schema`` to the command line's subcommands."""
    inputs = input_options()

    command = commands.add_parser("questionnaire", parents=[inputs], help="print the questions")
    command.set_defaults(run=_questionnaire)

    command = commands.add_parser(
        "rules", parents=[inputs], help="list the rules, lint a rule base, or print its coverage table"
    )
    command.add_argument("action", nargs="?", choices=["list", "lint", "coverage"], default="list")
    command.add_argument("dir", nargs="?", metavar="DIR", help="with lint: the rule base folder to check")
    command.add_argument("--features", metavar="DIR", help="with lint: feature files (default: features/ beside DIR)")
    command.set_defaults(run=_rules)

    command = commands.add_parser(
        "migrate",
        parents=[inputs],
        help="turn an answers file for questionnaire 1.0 or 2.0 into one for 2.1",
        description=(
            "Carries over every answer whose question kept its meaning, carries a split statement's answer to "
            "both halves, and drops the rest, listing each one (and what to ask instead) at the top of the new "
            "file; the questions new in 2.1 are left unanswered, with a note. Comments in the old file are not kept."
        ),
    )
    command.add_argument("answers", metavar="ANSWERS", help="the 1.0 or 2.0 answers file (YAML or JSON)")
    command.add_argument("--output", metavar="FILE", help="write the 2.1 answers here instead of to stdout")
    command.set_defaults(run=_migrate)

    command = commands.add_parser("schema", help="print the JSON Schema of a file format or of the JSON report")
    command.add_argument(
        "name", choices=["questionnaire", "answers", "rules", "remedies", "rulebase", "guides", "report", "programme"]
    )
    command.set_defaults(run=_schema)


def _questionnaire(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.loading import load_questionnaire

    questionnaire = load_questionnaire(args.questionnaire)
    print(
        f"{questionnaire.title} ({questionnaire.id} {questionnaire.version}): {len(questionnaire.questions)} questions",
        file=out,
    )
    for section in questionnaire.sections:
        print(f"\n{section.title}", file=out)
        for question in section.questions:
            kind: str = question.type
            if question.type == "choice":
                kind += ": " + ", ".join(question.choice_ids)
            elif question.type == "number":
                kind += f" {question.min:g}-{question.max:g} {question.unit or ''}".rstrip()
            elif question.reverse:
                kind += ", reverse-scored"
            print(f"  {question.id}  [{kind}]\n    {question.text.strip()}", file=out)
    return 0


def _migrate(args: argparse.Namespace, out: TextIO) -> int:
    import yaml

    from ..core.loading import load_answers, load_questionnaire
    from ..core.migrate import TO, migrate, version_of
    from ..core.reader import read_yaml
    from ..reporting.files import write_report

    questionnaire = load_questionnaire(args.questionnaire)
    if questionnaire.version != TO:
        raise InputError([Issue(SourceLocation(args.answers), "questionnaire", f"migrate writes answers for {TO}")])
    data, _, issues = read_yaml(args.answers)
    if issues:
        raise InputError(issues)
    try:
        new, notes = migrate(data if isinstance(data, dict) else {}, _lead_and_core_only(questionnaire))
    except ValueError as error:
        raise InputError([Issue(SourceLocation(args.answers), "questionnaire", str(error))]) from None
    answers = load_answers(new, questionnaire, name=f"{args.answers} (as {TO})")  # every problem, located
    old = version_of(data) if isinstance(data, dict) else None
    header = [f"# Migrated from {Path(args.answers).name} (questionnaire {old}) by partnership-health migrate."]
    header += [f"# {note}" for note in notes] or ["# Every answer carried over unchanged."]
    text = (
        "\n".join(header)
        + "\n"
        + yaml.safe_dump(
            answers.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True, width=100
        )
    )
    if args.output:
        write_report(text, args.output, [args.answers])
        print(
            f"{counted(len(answers.respondents), 'respondent')} written to {args.output}; "
            f"{counted(len(notes), 'note')}",
            file=out,
        )
    else:
        out.write(text)
    return 0


def _lead_and_core_only(questionnaire: Questionnaire) -> frozenset[str]:
    return frozenset(qid for qid, question in questionnaire.questions.items() if not question.asks("wider"))


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.loading import load_questionnaire, load_rulebase
    from ..reporting.render import coverage_table

    if args.action == "lint":
        return _lint(args, out)
    if args.action == "coverage":
        out.write(coverage_table(load_rulebase(args.dir or args.rules, load_questionnaire(args.questionnaire))))
        return 0
    questionnaire = load_questionnaire(args.questionnaire)
    rulebase = load_rulebase(args.rules, questionnaire)
    print(
        f"Rule base {rulebase.settings.version}: {len(rulebase.rules)} rules, {len(rulebase.remedies)} remedies",
        file=out,
    )
    for rule in rulebase.rules:
        print(f"  {rule.id:<45} {rule.severity:<8} {rule.failure_mode}: {rule.title}", file=out)
    return 0


def _lint(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.loading import lint

    issues = lint(args.dir or args.rules, args.questionnaire, args.features)
    for issue in issues:
        print(issue, file=sys.stderr)
    rules = args.dir or args.rules or "the bundled rule base"
    print(f"{rules}: {len(issues)} problem{'s' if len(issues) != 1 else ''}", file=out)
    return 1 if issues else 0


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from ..models import (
        Answers,
        GuidesFile,
        JsonReport,
        Model,
        Programme,
        Questionnaire,
        RemediesFile,
        RulebaseFile,
        RulesFile,
    )

    models: dict[str, type[Model]] = {
        "questionnaire": Questionnaire,
        "answers": Answers,
        "rules": RulesFile,
        "remedies": RemediesFile,
        "rulebase": RulebaseFile,
        "guides": GuidesFile,
        "report": JsonReport,
        "programme": Programme,
    }
    if args.name in ("report", "programme"):  # written, not read; and later versions may add keys
        schema = _open(models[args.name].model_json_schema(mode="serialization"))
    else:
        schema = models[args.name].model_json_schema()
    print(json.dumps(schema, indent=2), file=out)
    return 0


def _open(schema: object) -> object:
    """The schema without ``additionalProperties: false``: a report may gain keys in later versions."""
    if isinstance(schema, dict):
        return {k: _open(v) for k, v in schema.items() if not (k == "additionalProperties" and v is False)}
    if isinstance(schema, list):
        return [_open(v) for v in schema]
    return schema
