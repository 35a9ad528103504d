"""The command line, ``partnership-health``: one module per command group.

:func:`main` parses ``argv``, runs the command and returns its exit code; nothing else
in the package imports this folder.
"""

from .program import entry_point, main

__all__ = ["entry_point", "main"]
