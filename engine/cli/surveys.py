"""The survey-tool commands of the command line: ``import`` and ``export``.

:mod:`.program` registers them with :func:`register`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .common import input_options, iso_date


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``import`` and ``export`` with the main parser's subcommands."""
    inputs = input_options()
    command = commands.add_parser(
        "import",
        parents=[inputs],
        help="read a survey tool's CSV or XLSX export into an answers file",
        description=(
            "Reads an export of Google Forms, Microsoft Forms, SurveyMonkey, KoboToolbox, ODK Central or "
            "LimeSurvey (or a sheet headed by our question ids) and writes an answers file that 'assess' reads. "
            "Every problem is listed with its row and column; nothing is written when there is one."
        ),
    )
    command.add_argument("file", metavar="FILE", help="the export (.csv or .xlsx)")
    command.add_argument(
        "--mapping", metavar="FILE", help="YAML 'columns: {header: question id | organisation | role}'"
    )
    command.add_argument("--partnership", metavar="NAME", help="the partnership's name (default: the file's name)")
    command.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="the assessment's date (default: latest submission)"
    )
    command.add_argument(
        "--date-format",
        type=_date_format,
        metavar="DD/MM/YYYY|MM/DD/YYYY",
        help="how the export writes dates whose day and month could be either way round "
        "(default: told by the dates in the file)",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="refuse the file when a respondent answered a question not asked of their role "
        "(default: drop those answers, with one warning per question)",
    )
    command.add_argument("--output", metavar="FILE", help="write the answers here instead of to stdout")
    command.add_argument(
        "--keep-names", action="store_true", help="keep respondents' names (or emails) in the answers file"
    )
    command.set_defaults(run=_import)

    from ..surveys.export import EXPORTS

    command = commands.add_parser(
        "export",
        parents=[inputs],
        help="write the questionnaire for a survey tool, a spreadsheet or paper",
        description="; ".join(f"{name}: {what}" for name, (what, _) in EXPORTS.items()),
    )
    command.add_argument("format", choices=list(EXPORTS), metavar="FORMAT", help=", ".join(EXPORTS))
    command.add_argument("--output", metavar="FILE", required=True, help="the file to write")
    command.add_argument("--template-dir", metavar="DIR", help="with paper: templates that override the bundled ones")
    command.set_defaults(run=_export)


def _date_format(text: str) -> str:
    from ..surveys.dates import date_format

    try:
        return date_format(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.loading import load_questionnaire
    from ..core.reader import max_file_bytes
    from ..errors import InputError, Issue, SourceLocation
    from ..reporting.files import write_report
    from ..surveys import answers_yaml, read_mapping
    from ..surveys.importing import import_survey

    questionnaire = load_questionnaire(args.questionnaire)
    mapping = read_mapping(args.mapping, questionnaire) if args.mapping else None
    imported = import_survey(
        args.file,
        questionnaire,
        mapping=mapping,
        partnership=args.partnership,
        assessed_on=args.date,
        keep_names=args.keep_names,
        date_format=args.date_format,
        strict=args.strict,
    )
    answers = imported.answers
    text = answers_yaml(answers, Path(args.file).name)
    size, limit = len(text.encode("utf-8")), max_file_bytes()
    if size > limit:  # assess would refuse what it wrote
        message = f"makes an answers file of {size / 1e6:.1f} MB, more than the {limit / 1e6:g} MB assess reads"
        raise InputError([Issue(SourceLocation(args.file), "file", message)])
    if args.output:
        write_report(text, args.output, inputs=(args.file, args.mapping, args.questionnaire))
        people = len(answers.respondents)
        print(f"{people} respondent{'s' if people != 1 else ''} written to {args.output}", file=out)
    else:
        out.write(text)
    for warning in imported.warnings:  # once the answers are written: nothing said of a file not made
        print(warning, file=sys.stderr)
    print(imported.summary(), file=sys.stderr)
    return 0


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.loading import load_questionnaire
    from ..reporting.files import write_report
    from ..surveys.export import export

    questionnaire = load_questionnaire(args.questionnaire)
    content = export(args.format, questionnaire, Path(args.output), template_dir=args.template_dir)
    write_report(content, args.output, inputs=(args.questionnaire, args.template_dir))
    print(f"{args.format} written to {args.output}", file=out)
    return 0
