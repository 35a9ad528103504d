"""The command line, ``partnership-health``: one module per command group.

:func:`main` parses ``argv``, runs the command and returns its exit code; nothing else
in the package imports this folder.

``--version`` is answered here, before anything else is imported: the version is read
from the installed distribution's metadata file, found on ``sys.path`` as
``importlib.metadata`` finds it (which alone takes longer to import than Python to
start). Every other command line goes to :mod:`.program`, which imports the commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

PROG = "partnership-health"
_DIST = "partnership_health"  # the distribution's name as its .dist-info folder spells it


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line with ``argv``; returns the exit code (see :func:`.program.main`)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words == ["--version"]:
        version = installed_version()
        if version is not None:
            try:
                out = stdout or sys.stdout
                out.write(f"{PROG} {version}\n")
                out.flush()
                return 0
            except (OSError, ValueError):  # told by the full command line, which handles a stdout that fails
                pass
    from .program import main as run

    return run(argv, stdout, stderr)


def entry_point() -> None:
    sys.exit(main())


def installed_version() -> str | None:
    """The version in the metadata of the first ``partnership_health`` distribution on ``sys.path``, or None.

    None when there is none or it cannot be read; then ``partnership_health.__version__``
    (through ``importlib.metadata``) says it.
    """
    prefix = f"{_DIST}-"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            lowered = name.lower()
            if lowered.endswith(".dist-info") and lowered.startswith(prefix):
                return _version_in(os.path.join(folder or ".", name, "METADATA"))
            if lowered.endswith(".egg-info") and (lowered == f"{_DIST}.egg-info" or lowered.startswith(prefix)):
                return _version_in(os.path.join(folder or ".", name, "PKG-INFO"))
    return None


def _version_in(path: str) -> str | None:
    """The ``Version:`` header of a metadata file (None if it has none or cannot be read)."""
    try:
        with open(path, encoding="utf-8") as metadata:
            for line in metadata:
                if line.startswith("Version:"):
                    return line.removeprefix("Version:").strip()
                if not line.strip():  # the end of the headers
                    break
    except (OSError, UnicodeDecodeError):
        pass
    return None


__all__ = ["entry_point", "main"]
