"""The commands that assess: ``assess``, ``demo`` and ``assess-many`` (its pool of processes is :mod:`.batch`).

``assess --compare`` and ``--save`` are the year-on-year part, in :mod:`.history`; the
store, the survey importers and the pool are imported only when a run needs them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import InputError
from . import history
from .common import deliver, input_options, options_of, positive, report_options

if TYPE_CHECKING:
    from ..models import Answers, Questionnaire, RuleBase

DEMO_ANSWERS = "riverside.yaml"
DEMO_OUTPUT = "partnership-health-report"  # and the format's suffix


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``assess``, ``demo`` and ``assess-many`` to the command line's subcommands."""
    inputs = input_options()

    command = commands.add_parser(
        "assess", parents=[inputs, report_options("md")], help="assess an answers file and print or write its report"
    )
    command.add_argument(
        "answers",
        metavar="ANSWERS",
        help="answers file (YAML or JSON), or a survey export (CSV or XLSX); - reads standard input",
    )
    history.add_options(command)  # --compare, --save, --db
    command.set_defaults(run=_assess)

    command = commands.add_parser(
        "demo",
        parents=[inputs, report_options("html")],
        help="assess the bundled example partnership and write its report",
        epilog=f"Writes {DEMO_OUTPUT}.html (or .pdf, .md ... with --format) unless --output is given.",
    )
    command.set_defaults(run=_demo)

    command = commands.add_parser(
        "assess-many",
        parents=[inputs, report_options("md", output=False)],
        help="assess many answers files on several processes: a report each and a summary CSV",
        epilog="A file with a problem is reported and skipped; the exit code is then 1.",
    )
    command.add_argument("answers", nargs="+", metavar="DIR|FILE", help="answers files, or folders of them")
    command.add_argument("--output-dir", required=True, metavar="DIR", help="where the reports and summary.csv go")
    command.add_argument(
        "--jobs", type=positive, default=os.cpu_count() or 1, metavar="N", help="processes (default: one per core)"
    )
    command.set_defaults(run=_assess_many)


def _inputs(args: argparse.Namespace) -> list[Path | str | None]:
    """Every file a run reads, which its report must never replace."""
    from ..core.loading import default_questionnaire_path, default_rules_path

    return [
        getattr(args, "answers", None),
        getattr(args, "compare", None),
        getattr(args, "actions", None),
        getattr(args, "db", None),
        args.questionnaire or default_questionnaire_path(),
        args.rules or default_rules_path(),
        args.template_dir,
    ]


def _assess(args: argparse.Namespace, out: Any) -> int:
    from ..reporting.files import check_output
    from .cache import load_inputs

    if args.output:
        check_output(args.output, _inputs(args))  # before any work, and again before writing
    questionnaire, rulebase = load_inputs(args.questionnaire, args.rules)  # kept between runs
    # What is made so far (the modules, the inputs) lives as long as the command: the garbage
    # collector need not walk it again while the command runs (a full collection did, in a
    # large round). Unfrozen at the end, for a program that runs commands in its own process.
    gc.freeze()
    try:
        return _report(args, out, questionnaire, rulebase)
    finally:
        gc.unfreeze()


def _report(args: argparse.Namespace, out: Any, questionnaire: Questionnaire, rulebase: RuleBase) -> int:
    """Read the answers, assess them and deliver the report (``assess`` once its inputs are loaded)."""
    from ..core.assessment import assess
    from ..core.loading import load_answers
    from ..core.reader import read_stream
    from ..reporting.render import render

    if args.answers == "-":
        text, problems = read_stream(getattr(sys.stdin, "buffer", sys.stdin), "<stdin>")
        if text is None:
            raise InputError(problems)
        answers = load_answers(text if text.endswith("\n") else text + "\n", questionnaire, name="<stdin>")
    else:  # YAML, JSON, or a survey export (CSV, XLSX)
        answers = read_answers(Path(args.answers), questionnaire)
    assessment = assess(answers, questionnaire, rulebase, options_of(args))
    since = history.since(args, assessment)  # with --compare: the 'since last time' part
    saved: list[str] = []
    deliver(
        out,
        args.output,
        _inputs(args),
        lambda: render(assessment, questionnaire, args.format, template_dir=args.template_dir, since=since),
        (lambda: saved.append(history.save(args, answers, assessment, since)))
        if getattr(args, "save", False)
        else None,
    )
    for message in saved:  # with --save: the id it was saved under (not into a report on stdout)
        print(message, file=out if args.output else sys.stderr)
    return 0


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.reader import bundled_path

    args.answers = bundled_path("examples") / DEMO_ANSWERS
    args.output = args.output or f"{DEMO_OUTPUT}.{args.format}"
    _assess(args, out)
    print(f"Report of the example partnership written to {Path(args.output).resolve()}", file=out)
    return 0


def _assess_many(args: argparse.Namespace, out: TextIO) -> int:
    from .batch import Options, run_command

    options = Options(
        output_dir=Path(args.output_dir),
        fmt=args.format or args.default_format,
        rules=args.rules,
        questionnaire=args.questionnaire,
        template_dir=args.template_dir,
        assess=options_of(args),
    )
    return run_command(args.answers, options, args.jobs, out, sys.stderr)


def read_answers(path: str | Path, questionnaire: Questionnaire) -> Answers:
    """An answers file, or a survey export (by its suffix) read with the default columns."""
    from ..core.loading import load_answers
    from ..surveys import SUFFIXES

    if Path(path).suffix.lower() in SUFFIXES:
        from ..surveys.importing import import_survey

        imported = import_survey(path, questionnaire)
        for warning in imported.warnings:  # answers dropped, a date that is today's: said, not hidden
            print(warning, file=sys.stderr)
        return imported.answers
    return load_answers(Path(path), questionnaire)
