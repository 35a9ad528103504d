"""Write report files safely: whole or not at all, never over a link, a non-file or an input."""

from __future__ import annotations

import itertools
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..core.reader import not_a_file
from ..errors import InputError, Issue, SourceLocation

if TYPE_CHECKING:
    pass


_UMASK = os.umask(0)
os.umask(_UMASK)


def check_output(path: Path | str, inputs: Iterable[Path | str | None] = ()) -> None:
    """Raise :class:`InputError` unless a report may be written to ``path``.

    A report replaces only a regular, writable file: never a symbolic link (nor what it
    points to), a FIFO, a device or a folder, and never one of ``inputs`` (files, or
    folders whose files are all inputs).
    """
    target = Path(path)

    def refuse(message: str) -> None:
        raise InputError([Issue(SourceLocation(str(path)), "output", message)])

    try:
        info = os.lstat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            refuse(f"the folder {target.parent} does not exist")
        place = target.parent.resolve() / target.name
        for source in inputs:  # one that does not exist yet either: a database a run would create
            if source is not None and Path(source).parent.resolve() / Path(source).name == place:
                refuse(f"is also given as an input ({source}); name another file")
        return
    except OSError as error:
        refuse(f"cannot be written ({error.strerror or error})")
    if stat.S_ISLNK(info.st_mode):
        refuse("is a symbolic link; not replaced (name the file itself, or a new file)")
    if not stat.S_ISREG(info.st_mode):
        refuse(f"{not_a_file(info.st_mode)}; not replaced")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        refuse("is read-only; not replaced")
    for source in _files(inputs):
        try:
            same = os.path.samestat(info, os.stat(source))
        except OSError:
            continue
        if same:
            refuse(f"is an input file ({source}); not replaced")


_MAX_FOLDER_FILES = 5_000  # rule and template folders are small; `--template-dir ~` is not walked whole


def _files(paths: Iterable[Path | str | None]) -> Iterator[Path]:
    for path in paths:
        if path is None:
            continue
        path = Path(path)
        if path.is_dir():
            found = (Path(root, name) for root, _, names in os.walk(path) for name in names)
            yield from itertools.islice(found, _MAX_FOLDER_FILES)
        else:
            yield path


@contextmanager
def report_file(path: Path | str, inputs: Iterable[Path | str | None] = ()) -> Iterator[BinaryIO]:
    """A file to write a report into, put at ``path`` whole when the block ends, or not at all.

    The report goes to a hidden temporary file beside ``path``, renamed into place at the
    end. On any exception (KeyboardInterrupt included; the command line turns SIGTERM
    into one too) the temporary file is removed and ``path`` is left as it was.
    Problems are :class:`InputError` naming ``path``, not the temporary file.
    """
    inputs = tuple(inputs)
    check_output(path, inputs)
    target = Path(path)
    # Named before it is made, so that an interrupt however soon after removes it (one
    # inside mkstemp, after it made the file, would leave a file of unknown name).
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        os.chmod(temporary, 0o666 & ~_UMASK)  # made private, like mkstemp's; a report is not
        with os.fdopen(handle, "wb") as out:
            yield out
        check_output(path, inputs)  # once more: the path may have changed while the report was made
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(
            [Issue(SourceLocation(str(path)), "output", f"cannot be written ({error.strerror or error})")]
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(content: str | bytes, path: Path | str, inputs: Iterable[Path | str | None] = ()) -> None:
    """Write a report to ``path`` whole or not at all; see :func:`report_file` for what is refused."""
    with report_file(path, inputs) as out:
        out.write(content.encode("utf-8") if isinstance(content, str) else content)
