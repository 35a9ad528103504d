"""What the command modules share: argument types, the database's default name and how it is opened.

The store is imported only inside :func:`open_store`: a command that does not use the
database never opens SQLite.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.sqlite import Store

PROG = "partnership-health"
# the store's DEFAULT_DB (a test keeps them equal), written here so that the command
# line imports the store only in the commands that use it; the round and history commands share it.
DEFAULT_DB = "partnership-health.db"


def open_store(db: str, *, create: bool = False, hint: str = "assess ANSWERS --save keeps assessments there") -> Store:
    """The store in ``db`` (imported only now); a missing file is an error unless ``create``."""
    from ..store.sqlite import Store, StoreError

    if Path(db).is_dir():
        raise StoreError(f"{db}: is a folder, not a database (give --db a file's name)")
    if not create and not Path(db).exists():
        raise StoreError(f"{db}: no such database ({hint}; or give --db)")
    return Store(db)


def positive(text: str) -> int:
    """An argument type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
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
