"""Many partnerships at once: ``partnership-health programme SOURCE...``, the view for funders and networks.

Reads every SOURCE (history databases and exports, folders and files of answers and JSON
reports; see :mod:`partnership_health.programme.sources`), builds the programme view and
writes it. What was skipped, which of two copies of an assessment was used and how many
were left out is said on standard error, one line each; the view itself names no file.
A missing SOURCE, a SOURCE with nothing to read, a broken file or too few partnerships is
a one-line error with exit code 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

from .common import PROG, deliver, input_options, open_store, positive

MIN_PARTNERSHIPS = 3  # as partnership_health.programme.view.MIN_PARTNERSHIPS (not imported for --help)


def at_least_three(text: str) -> int:
    """An argument type: a whole number of at least 3 (with 2, either partnership works out the other's)."""
    if not text.isdigit() or int(text) < MIN_PARTNERSHIPS:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of at least {MIN_PARTNERSHIPS} (got {text!r}): with two partnerships, "
            "either one works out the other's figures from the pair's"
        )
    return int(text)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``programme`` to the command line's subcommands."""
    command = commands.add_parser(
        "programme",
        parents=[input_options()],
        help="the programme view of many partnerships: failure modes, year on year, scores, actions (counts only)",
        description="Counts many partnerships at once, each at its latest assessment: by type, size and age; how "
        "often each failure mode is diagnosed and how severe; what is resolving, persisting and new year on "
        "year; section scores in bands; data quality; the actions planned and done; how the questionnaire "
        "behaves. No partnership is ranked or scored on its own; a count resting on fewer than "
        "--min-partnerships partnerships is hidden, with enough others that it cannot be worked out; "
        "partnerships are named only where their lead agreed.",
    )
    command.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a history database (the assessments its leads shared), a history export, or a folder (and its "
        "sub-folders) or file of answers files and JSON reports, each with its filled-in plan x-plan.csv beside it",
    )
    command.add_argument(
        "--format",
        choices=["csv", "html", "json", "md", "pdf"],
        help="the view's format (default: the --output name's suffix, else html)",
    )
    command.add_argument(
        "--output", metavar="FILE", help="write the view here (a new or regular file; never an input, never a link)"
    )
    command.add_argument("--template-dir", metavar="DIR", help="templates that override the bundled ones")
    command.add_argument(
        "--min-partnerships",
        type=at_least_three,
        default=MIN_PARTNERSHIPS,
        metavar="N",
        help=f"hide any count resting on fewer than N partnerships (default and least: {MIN_PARTNERSHIPS})",
    )
    command.add_argument(
        "--jobs",
        type=positive,
        metavar="N",
        help="assess answers files on N processes (default: one per core)",
    )
    command.set_defaults(run=_programme, default_format="html")


def _programme(args: argparse.Namespace, out: TextIO) -> int:
    from ..programme.render import render_programme
    from ..programme.sources import SourceError, cpu_count, read_sources
    from ..programme.view import TooFewError, build_programme
    from .cache import load_inputs

    err = sys.stderr
    questionnaire, rulebase = load_inputs(args.questionnaire, args.rules)
    bar = None
    try:
        files = sum(1 for _ in _counted(args.sources))
        if _terminal(err) and files > 1:
            bar = _progress_bar(files)
        read = read_sources(
            args.sources,
            questionnaire,
            rulebase,
            jobs=args.jobs or cpu_count(),
            progress=bar.update if bar is not None else None,
            open_store=lambda path: open_store(str(path)),
        )
    except SourceError as error:
        print(f"{PROG} programme: {error.message}", file=err)
        return 2
    finally:
        if bar is not None:
            bar.close()
    broken = [skipped for skipped in read.skipped if skipped.broken]
    for skipped in read.skipped:
        if not skipped.broken:
            print(f"skipped {skipped}", file=err)
    for said in read.duplicates:
        print(said, file=err)
    if read.left_out:
        print(
            f"{_n(read.left_out, 'assessment')} left out: not shared with the programme by their leads"
            " (in the web app, or 'history share ID' for one saved with assess --save)",
            file=err,
        )
    if read.withheld:
        print(
            f"{_n(read.withheld, 'assessment')} left out: too few people answered for its report to show figures",
            file=err,
        )
    if broken:
        for skipped in broken:
            print(str(skipped), file=err)
        print(
            f"{PROG} programme: {_n(len(broken), 'file')} could not be read (above); nothing was written: "
            "mend or move them, then run again",
            file=err,
        )
        return 2
    try:
        view = build_programme(
            read.records, questionnaire, rulebase, min_partnerships=args.min_partnerships, left_out=read.left_out
        )
    except TooFewError as error:
        print(f"{PROG} programme: {error.message}", file=err)
        return 2
    deliver(
        out,
        args.output,
        [*args.sources, args.questionnaire, args.rules, args.template_dir],
        lambda: render_programme(view, args.format, levels=rulebase.settings.levels, template_dir=args.template_dir),
    )
    if args.output:
        print(
            f"The programme view of {_n(view.partnerships, 'partnership')} "
            f"({_n(len(read.records) - read.withheld, 'assessment')} read) written to {args.output}.",
            file=out,
        )
    return 0


def _counted(sources: list[str]) -> Any:
    """The files the progress bar counts: those an answers file, report or export may be."""
    for source in map(Path, sources):
        if source.is_dir():
            for folder, _, names in os.walk(source):
                yield from (Path(folder, name) for name in names if name.lower().endswith((".yaml", ".yml", ".json")))
        elif source.is_file():
            yield source


def _terminal(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


def _progress_bar(total: int) -> Any:
    from tqdm import tqdm  # imported only when a bar is drawn

    width = shutil.get_terminal_size().columns
    return tqdm(total=total, unit="file", desc="reading", file=sys.stderr, ncols=min(width, 100))


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
