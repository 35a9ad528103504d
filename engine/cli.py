"""The command line: parse argv, call the public API, map errors to exit codes.

Exit codes: 0 success, 1 invalid input (every problem on stderr, no traceback),
2 wrong usage. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__, cli_rounds, cli_surveys
from .assessment import assess, lint, load_answers, load_questionnaire, load_rulebase
from .errors import InputError
from .loading import bundled_path
from .reporting import FORMATS, coverage_table, render, write_report

DEMO_ANSWERS = "riverside.yaml"
DEMO_OUTPUT = "partnership-health-report.html"


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line with ``argv``; returns the exit code."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse has printed the usage message
        return int(exit.code or 0)
    try:
        return int(args.run(args, out))
    except InputError as error:
        print(error.message, file=err)
        return 1
    except OSError as error:
        print(f"error: {error}", file=err)
        return 1


def entry_point() -> None:
    sys.exit(main())


def _assess(args: argparse.Namespace, out: TextIO) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    rulebase = load_rulebase(args.rules, questionnaire)
    if args.answers == "-":
        text = sys.stdin.read()
        answers = load_answers(text if text.endswith("\n") else text + "\n", questionnaire, name="<stdin>")
    else:  # YAML, JSON, or a survey export (CSV, XLSX)
        answers = cli_surveys.read_answers(Path(args.answers), questionnaire)
    assessment = assess(
        answers,
        questionnaire,
        rulebase,
        by=args.by,
        min_group=args.min_group,
        show_respondents=args.show_respondents,
        gaps=args.gaps,
    )
    report = render(assessment, questionnaire, args.format, template_dir=args.template_dir)
    if args.output:
        write_report(report, args.output)
    elif isinstance(report, bytes):
        out.flush()
        getattr(out, "buffer", out).write(report)
    else:
        out.write(report)
    return 0


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    args.answers = bundled_path("examples") / DEMO_ANSWERS
    args.output = args.output or DEMO_OUTPUT
    _assess(args, out)
    print(f"Report of the example partnership written to {Path(args.output).resolve()}", file=out)
    return 0


def _questionnaire(args: argparse.Namespace, out: TextIO) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    print(
        f"{questionnaire.title} ({questionnaire.id} {questionnaire.version}): {len(questionnaire.questions)} questions",
        file=out,
    )
    for section in questionnaire.sections:
        print(f"\n{section.title}", file=out)
        for question in section.questions:
            kind = question.type
            if question.type == "choice":
                kind += ": " + ", ".join(question.choice_ids)
            elif question.type == "number":
                kind += f" {question.min:g}-{question.max:g} {question.unit or ''}".rstrip()
            elif question.reverse:
                kind += ", reverse-scored"
            print(f"  {question.id}  [{kind}]\n    {question.text.strip()}", file=out)
    return 0


def _rules(args: argparse.Namespace, out: TextIO) -> int:
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
    issues = lint(args.dir or args.rules, args.questionnaire, args.features)
    for issue in issues:
        print(issue, file=sys.stderr)
    rules = args.dir or args.rules or "the bundled rule base"
    print(f"{rules}: {len(issues)} problem{'s' if len(issues) != 1 else ''}", file=out)
    return 1 if issues else 0


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from .models import Answers, GuidesFile, JsonReport, Questionnaire, RemediesFile, RulebaseFile, RulesFile

    models = {
        "questionnaire": Questionnaire,
        "answers": Answers,
        "rules": RulesFile,
        "remedies": RemediesFile,
        "rulebase": RulebaseFile,
        "guides": GuidesFile,
        "report": JsonReport,
    }
    if args.name == "report":  # written, not read; and later versions may add keys
        schema = _open(JsonReport.model_json_schema(mode="serialization"))
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnership-health",
        description="Assess how healthy a partnership of organisations is, with remedies from five practice guides.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    inputs = argparse.ArgumentParser(add_help=False)
    inputs.add_argument("--rules", metavar="DIR", help="rule base folder (default: the bundled one)")
    inputs.add_argument("--questionnaire", metavar="FILE", help="questionnaire file (default: the bundled one)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    command = commands.add_parser(
        "assess", parents=[inputs, _report_options("md")], help="assess an answers file and print or write its report"
    )
    command.add_argument(
        "answers",
        metavar="ANSWERS",
        help="answers file (YAML or JSON), or a survey export (CSV or XLSX); - reads standard input",
    )
    command.set_defaults(run=_assess)

    command = commands.add_parser(
        "demo",
        parents=[inputs, _report_options("html")],
        help="assess the bundled example partnership and write its report",
        epilog=f"Writes {DEMO_OUTPUT} unless --output is given.",
    )
    command.set_defaults(run=_demo)

    command = commands.add_parser("questionnaire", parents=[inputs], help="print the questions")
    command.set_defaults(run=_questionnaire)

    command = commands.add_parser(
        "rules", parents=[inputs], help="list the rules, lint a rule base, or print its coverage table"
    )
    command.add_argument("action", nargs="?", choices=["list", "lint", "coverage"], default="list")
    command.add_argument("dir", nargs="?", metavar="DIR", help="with lint: the rule base folder to check")
    command.add_argument("--features", metavar="DIR", help="with lint: feature files (default: features/ beside DIR)")
    command.set_defaults(run=_rules)

    command = commands.add_parser("schema", help="print the JSON Schema of a file format or of the JSON report")
    command.add_argument(
        "name", choices=["questionnaire", "answers", "rules", "remedies", "rulebase", "guides", "report"]
    )
    command.set_defaults(run=_schema)

    cli_rounds.register(commands, inputs)  # serve, round create|invite|status|export|close
    cli_surveys.register(commands, inputs)  # import, export
    return parser


def _report_options(default_format: str) -> argparse.ArgumentParser:
    report = argparse.ArgumentParser(add_help=False)
    report.add_argument(
        "--format", choices=sorted(FORMATS), default=default_format, help=f"report format (default: {default_format})"
    )
    report.add_argument("--output", metavar="FILE", help="write the report here instead of to stdout")
    report.add_argument("--template-dir", metavar="DIR", help="templates that override the bundled ones")
    report.add_argument(
        "--by",
        choices=["respondent", "organisation"],
        default="respondent",
        help="count every respondent, or several people from one organisation once (default: respondent)",
    )
    report.add_argument(
        "--min-group",
        type=_positive,
        default=1,
        metavar="N",
        help="merge any role or organisation with fewer than N respondents into 'others' (default: 1)",
    )
    report.add_argument("--show-respondents", action="store_true", help="show respondents' names in the report")
    report.add_argument(
        "--gaps",
        type=_whole,
        default=None,
        metavar="N",
        help="show the N most disputed statements first, the rest in the appendix (default: the rule base's, 5)",
    )
    return report


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return int(text)


def _whole(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
