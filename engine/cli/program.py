"""The command line: parse argv, run the command, map errors to exit codes.

Each command group's module (listed in :data:`COMMANDS`) adds its commands with
``register``; what they share is in :mod:`.common`. The command modules import the
engine (pydantic, the models, the core, Jinja, the store, the web app ...) inside the
functions that run a command, never at the top: ``--help`` of any command imports none
of it, and each command only what it uses. A new command group is a module with a
``register`` function and one line in :data:`COMMANDS`.

Exit codes: 0 success, 1 invalid input or a failed run (every problem on stderr, one
line each, no traceback), 2 wrong usage, 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO

from ..errors import EngineError, InputError, RuleEngineError, printable
from . import history
from .common import PROG, check_report_options

# The command modules, each with its commands in the order ``--help`` lists them.
COMMANDS = (
    "assess",  # assess, demo, assess-many
    "rules",  # questionnaire, rules, migrate, schema
    "rounds",  # serve, round create|invite|status|export|close
    "leads",  # lead add|list|remove|password|rotate-secret
    "history",  # history list|show|export|import|delete
    "surveys",  # import, export
    "backup",  # backup
    "programme",  # programme
)


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
        if isinstance(text, str):  # a PDF is bytes, written to .buffer as they are
            text = printable(text)
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


class _Escaping:
    """A text stream that writes control characters out (``\\x1b``), so no input can drive the terminal.

    Everything else (isatty, fileno, flush) is the stream's own; a carriage return is kept for
    progress bars.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: Any) -> Any:
        return self.stream.write(printable(text, carriage_return=True) if isinstance(text, str) else text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line with ``argv``; returns the exit code.

    Whatever it prints, on stdout or stderr, has its control characters written out.
    """
    out, err = stdout or sys.stdout, _Escaping(stderr or sys.stderr)
    with (
        _sigterm_raises(),
        contextlib.redirect_stderr(_Escaping(sys.stderr)),
        contextlib.redirect_stdout(_Escaping(sys.stdout)),
    ):
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


def _main(argv: Sequence[str] | None, out: Any, err: Any) -> int:
    parser = _parser()
    words = history.normalise(list(sys.argv[1:] if argv is None else argv))
    parser.words = words
    try:
        args = parser.parse_args(words)
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
    if out is not sys.stdout and out is not getattr(sys.stdout, "stream", None):
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


class _Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for a mistyped option or command, told by the command it belongs to.

    An option no command knows is reported by the top-level parser (argparse gathers the
    leftovers there); it is told here with the usage of the command that was typed.
    """

    words: list[str] = []

    def error(self, message: str) -> Any:  # argparse's signature: it exits
        if message.startswith("unrecognized arguments: "):
            command = self._command(self.words)
            options = [option for action in command._actions for option in action.option_strings]
            told = []
            for word in message.removeprefix("unrecognized arguments: ").split():
                name = word.split("=", 1)[0]
                if not name.startswith("-"):
                    told.append(f"unexpected argument '{word}'")
                    continue
                close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
                told.append(f"unknown option '{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
            command.print_usage(sys.stderr)
            command.exit(2, f"{command.prog}: error: {'; '.join(told)}\n")
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if choice:
            close = difflib.get_close_matches(choice[1], re.findall(r"'([^']*)'", choice[2]), n=1, cutoff=0.6)
            if close:
                message += f" (did you mean '{close[0]}'?)"
        super().error(message)

    def _command(self, words: list[str]) -> argparse.ArgumentParser:
        """The (sub)command the words name: ``round export`` -> the parser of ``round export``."""
        parser: argparse.ArgumentParser = self
        for word in words:
            commands = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
            if commands is not None and word in commands.choices:
                parser = commands.choices[word]
        return parser


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Assess how healthy a partnership of organisations is, with remedies from five practice guides.",
    )
    parser.add_argument("--version", action=_Version, help="show the program's version number and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".{name}", __package__).register(commands)
    return parser


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .. import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()
