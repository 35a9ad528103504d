"""What the command modules share: argument types, the options of several commands, reports written out.

The store is imported only inside :func:`open_store`: a command that does not use the
database never opens SQLite.
"""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..reporting.formats import FORMATS
from ..vocabulary import COUNTED_BY, DEFAULT_BY, MIN_GROUP

if TYPE_CHECKING:
    from ..options import AssessOptions
    from ..store.sqlite import Store

PROG = "partnership-health"
# The format an --output name implies when --format is not given.
SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".pdf": "pdf",
}


def open_store(db: str, *, create: bool = False, hint: str = "assess ANSWERS --save keeps assessments there") -> Store:
    """The store in ``db`` (imported only now); a missing file is an error unless ``create``."""
    from ..store.sqlite import Store, StoreError

    if Path(db).is_dir():
        raise StoreError(f"{db}: is a folder, not a database (give --db a file's name)")
    if not create and not Path(db).exists():
        raise StoreError(f"{db}: no such database ({hint}; or give --db)")
    return Store(db)


def input_options() -> argparse.ArgumentParser:
    """The parent parser of the commands that read the questionnaire or the rule base: --rules, --questionnaire."""
    inputs = argparse.ArgumentParser(add_help=False)
    inputs.add_argument("--rules", metavar="DIR", help="rule base folder (default: the bundled one)")
    inputs.add_argument("--questionnaire", metavar="FILE", help="questionnaire file (default: the bundled one)")
    return inputs


def report_options(default_format: str, output: bool = True) -> argparse.ArgumentParser:
    """The parent parser of the commands that write a report; :func:`check_report_options` checks what it parsed."""
    report = argparse.ArgumentParser(add_help=False)
    report.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help=f"report format (default: the --output name's suffix, else {default_format})",
    )
    if output:
        report.add_argument(
            "--output",
            metavar="FILE",
            help="write the report here (a new or regular file; never an input, never a link)",
        )
    report.set_defaults(default_format=default_format)
    report.add_argument("--template-dir", metavar="DIR", help="templates that override the bundled ones")
    # The options of AssessOptions; not given, each is None here and AssessOptions' default applies.
    report.add_argument(
        "--by",
        choices=COUNTED_BY,
        help=f"count every respondent, or several people from one organisation once (default: {DEFAULT_BY})",
    )
    report.add_argument(
        "--min-group",
        type=positive,
        metavar="N",
        help=f"merge any role or organisation with fewer than N respondents into 'others' (default: {MIN_GROUP})",
    )
    report.add_argument(
        "--show-respondents", action="store_true", default=None, help="show respondents' names in the report"
    )
    report.add_argument(
        "--gaps",
        type=whole,
        metavar="N",
        help="show the N most disputed statements first, the rest in the appendix (default: the rule base's "
        "gaps.show, 5 in the bundled one)",
    )
    return report


def options_of(args: argparse.Namespace, saved: Mapping[str, Any] | None = None) -> AssessOptions:
    """The assessment options given on the command line; each one not given is ``saved``'s, else the default."""
    from ..options import AssessOptions

    fields = AssessOptions.model_fields
    given = {name: value for name in fields if (value := getattr(args, name, None)) is not None}
    kept = {name: value for name, value in (saved or {}).items() if name in fields}
    return AssessOptions.model_validate({**kept, **given})


def check_report_options(parser: argparse.ArgumentParser, args: argparse.Namespace, *, terminal: bool) -> None:
    """The format follows --output's suffix when not given; contradictions and a PDF for a terminal are usage."""
    output = getattr(args, "output", None)  # assess-many writes into --output-dir
    implied = SUFFIX_FORMATS.get(Path(output).suffix.lower()) if output else None
    if args.format and implied and args.format != implied:
        parser.error(
            f"--output {output} names a {implied} file but --format is {args.format}; "
            "give a name that matches, or leave --format out"
        )
    args.format = args.format or implied or args.default_format
    if args.format == "pdf" and not output and terminal and not hasattr(args, "output_dir"):
        parser.error("a PDF is not for the terminal: give --output FILE.pdf (or send standard output to a file)")
    if args.template_dir:
        folder = Path(args.template_dir)
        if not folder.exists():
            parser.error(f"--template-dir {args.template_dir}: no such folder")
        if not folder.is_dir():
            parser.error(f"--template-dir {args.template_dir}: is not a folder")


def deliver(
    out: Any,
    output: str | None,
    inputs: Iterable[Path | str | None],
    produce: Callable[[], str | bytes],
    then: Callable[[], None] | None = None,
) -> None:
    """Write the report ``produce()`` makes to ``output`` (whole or not at all) or to standard output.

    ``then`` runs once the report is made and before anyone can see it: when it raises,
    nothing is written.
    """
    from ..reporting.files import check_output, report_file

    if output:
        with report_file(output, inputs) as file:  # a PDF takes a while: removed if interrupted
            report = produce()
            file.write(report.encode("utf-8") if isinstance(report, str) else report)
            if then:
                check_output(output, inputs)  # what report_file checks at the end, before then() keeps anything
                then()
        return
    report = produce()
    if then:
        then()
    if isinstance(report, bytes):
        out.flush()
        getattr(out, "buffer", out).write(report)
    else:
        out.write(report)


def positive(text: str) -> int:
    """An argument type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return int(text)


def port(text: str) -> int:
    """An argument type: a TCP port, 1 to 65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535 (got {text!r})")
    return int(text)


def whole(text: str) -> int:
    """An argument type: a whole number (0 or more)."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})")
    return int(text)


def iso_date(text: str) -> datetime.date:
    """An argument type: a date YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD (got {text!r})") from None
