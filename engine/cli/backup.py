"""The ``backup`` command: a consistent copy of the database, made while the web app runs.

:mod:`.program` registers it with :func:`register`; the copy itself is
:meth:`partnership_health.store.sqlite.Store.backup` (SQLite's online backup).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from ..store import DEFAULT_DB
from ..wording import counted
from .common import open_store


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup`` to the command line's subcommands."""
    command = commands.add_parser(
        "backup",
        help="copy the database of rounds and saved assessments, consistently, even while the web app runs",
        description="Copies the database as it is at one moment with SQLite's online backup (others may go on "
        "writing), checks the copy with SQLite's integrity check, and says what it holds.",
    )
    command.add_argument(
        "--db", metavar="FILE", default=DEFAULT_DB, help=f"the SQLite file to copy (default: {DEFAULT_DB})"
    )
    command.add_argument("output", metavar="OUTPUT", help="the copy to write (a new file, unless --force)")
    command.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    command.set_defaults(run=_backup)


def _backup(args: argparse.Namespace, out: TextIO) -> int:
    store = open_store(args.db, hint="give --db the database to copy")
    copied = store.backup(args.output, replace=args.force)
    print(
        f"Copied {args.db} to {args.output}: {counted(copied.rounds, 'round')}, "
        f"{counted(copied.respondents, 'respondent')}, {counted(copied.assessments, 'saved assessment')}; "
        "the copy passed SQLite's integrity check.",
        file=out,
    )
    if copied.key is not None:
        print(
            f"The key of its private links is copied to {copied.key}: keep the two together "
            "(without the key the links still open, but cannot be shown or sent again).",
            file=out,
        )
    return 0
