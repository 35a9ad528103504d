"""The command line: parse argv, call the public API, map errors to exit codes.

Exit codes: 0 success, 1 invalid input or a failed run (every problem on stderr, one
line each, no traceback), 2 wrong usage, 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from ..core.assessment import assess
from ..core.loading import (
    default_questionnaire_path,
    default_rules_path,
    load_answers,
)
from ..core.reader import bundled_path, read_stream
from ..errors import EngineError, InputError, RuleEngineError
from ..options import AssessOptions
from ..reporting.files import check_output
from ..reporting.render import render
from . import history, rounds, rules, surveys
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

    rules.register(commands)  # questionnaire, rules, migrate, schema
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
