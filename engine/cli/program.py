"""The command line: parse argv, call the public API, map errors to exit codes.

Exit codes: 0 success, 1 invalid input or a failed run (every problem on stderr, one
line each, no traceback), 2 wrong usage, 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import yaml

from ..core.assessment import assess
from ..core.loading import (
    default_questionnaire_path,
    default_rules_path,
    lint,
    load_answers,
    load_questionnaire,
    load_rulebase,
)
from ..core.reader import bundled_path, read_stream, read_yaml
from ..errors import EngineError, InputError, Issue, RuleEngineError, SourceLocation
from ..models import Questionnaire
from ..options import AssessOptions
from ..reporting.files import check_output, write_report
from ..reporting.render import coverage_table, render
from . import history, rounds, surveys
from .cache import load_inputs
from .common import PROG, check_report_options, deliver, input_options, positive, report_options

DEMO_ANSWERS = "riverside.yaml"
DEMO_OUTPUT = "partnership-health-report"  # and the format's suffix


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that half-written files are removed."""


class StdoutError(Exception):
    """Standard output cannot be written (a full disk, ``> /dev/full``, a closed pipe)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _Stdout:
    """Standard output, with a failed write raised as :class:`StdoutError`."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: Any) -> int:
        try:
            return int(self.stream.write(text) or 0)
        except OSError as error:
            raise StdoutError(error) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            raise StdoutError(error) from None

    @property
    def buffer(self) -> _Stdout:
        return _Stdout(getattr(self.stream, "buffer", self.stream))


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line with ``argv``; returns the exit code."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    with _sigterm_raises():
        try:
            return _main(argv, _Stdout(out), err)
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=err)
            return 130
        except Terminated:
            print(f"{PROG}: terminated", file=err)
            return 143
        except StdoutError as error:
            _drop_stdout(out)
            if not isinstance(error.error, BrokenPipeError):  # a reader that stopped reading: say nothing
                print(f"{PROG}: cannot write to standard output ({error})", file=err)
            return 1


def _main(argv: Sequence[str] | None, out: Any, err: TextIO) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(history.normalise(list(sys.argv[1:] if argv is None else argv)))
        if hasattr(args, "default_format"):  # the report commands
            check_report_options(parser, args, terminal=_is_terminal(out))
    except SystemExit as exit:  # argparse has printed the usage message
        return int(exit.code or 0)
    try:
        code = int(args.run(args, out))
    except InputError as error:
        print(error.message, file=err)
        return 1
    except RuleEngineError as error:
        print(f"{PROG}: the rule engine failed: {error.message}", file=err)
        return 1
    except EngineError as error:  # the database of saved assessments (assess --save, history ...)
        print(error.message, file=err)
        return 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"{PROG}: {where}{error.strerror or error}", file=err)
        return 1
    out.flush()
    return code


def entry_point() -> None:
    sys.exit(main())


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the command runs, SIGTERM raises :class:`Terminated` (so temporary files are removed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(number: int, frame: FrameType | None) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _drop_stdout(out: Any) -> None:
    """Point the real stdout at /dev/null, so that Python's final flush fails no more (Python's SIGPIPE advice)."""
    if out is not sys.stdout:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _is_terminal(out: Any) -> bool:
    stream = getattr(out, "stream", out)
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def _inputs(args: argparse.Namespace) -> list[Path | str | None]:
    """Every file a run reads, which its report must never replace."""
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
    if args.output:
        check_output(args.output, _inputs(args))  # before any work, and again before writing
    questionnaire, rulebase = load_inputs(args.questionnaire, args.rules)  # kept between runs
    if args.answers == "-":
        text, problems = read_stream(getattr(sys.stdin, "buffer", sys.stdin), "<stdin>")
        if text is None:
            raise InputError(problems)
        answers = load_answers(text if text.endswith("\n") else text + "\n", questionnaire, name="<stdin>")
    else:  # YAML, JSON, or a survey export (CSV, XLSX)
        answers = surveys.read_answers(Path(args.answers), questionnaire)
    options = AssessOptions(
        by=args.by, min_group=args.min_group, show_respondents=args.show_respondents, gaps=args.gaps
    )
    assessment = assess(answers, questionnaire, rulebase, options)
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
        by=args.by,
        min_group=args.min_group,
        show_respondents=args.show_respondents,
    )
    return run_command(args.answers, options, args.jobs, out, sys.stderr)


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


def _migrate(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.migrate import FROM, TO, migrate

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
    header = [f"# Migrated from {Path(args.answers).name} (questionnaire {FROM}) by partnership-health migrate."]
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
        print(f"{len(answers.respondents)} respondents written to {args.output}; {len(notes)} notes", file=out)
    else:
        out.write(text)
    return 0


def _lead_and_core_only(questionnaire: Questionnaire) -> frozenset[str]:
    return frozenset(qid for qid, question in questionnaire.questions.items() if not question.asks("wider"))


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
    from ..models import Answers, GuidesFile, JsonReport, Questionnaire, RemediesFile, RulebaseFile, RulesFile

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
        prog=PROG,
        description="Assess how healthy a partnership of organisations is, with remedies from five practice guides.",
    )
    parser.add_argument("--version", action=_Version, help="show the program's version number and exit")
    inputs = input_options()
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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
        help="turn an answers file for questionnaire 1.0 into one for 2.0",
        description=(
            "Carries over every answer whose question kept its meaning, carries a split statement's answer to "
            "both halves, and drops the rest, listing each one (and what to ask instead) at the top of the new "
            "file. Comments in the old file are not kept."
        ),
    )
    command.add_argument("answers", metavar="ANSWERS", help="the 1.0 answers file (YAML or JSON)")
    command.add_argument("--output", metavar="FILE", help="write the 2.0 answers here instead of to stdout")
    command.set_defaults(run=_migrate)

    command = commands.add_parser("schema", help="print the JSON Schema of a file format or of the JSON report")
    command.add_argument(
        "name", choices=["questionnaire", "answers", "rules", "remedies", "rulebase", "guides", "report"]
    )
    command.set_defaults(run=_schema)

    rounds.register(commands)  # serve, round create|invite|status|export|close
    history.register(commands)  # history list|show|export|import|delete
    surveys.register(commands)  # import, export
    return parser


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .. import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()
