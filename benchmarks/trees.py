"""Import the engine of any checkout of this project, before or after the package was renamed.

Benchmarks measure two versions side by side (this tree and an older commit's ``git
worktree``). Up to commit 215be83 the package was the top-level ``engine`` folder; since
then that folder is installed as ``partnership_health``. :func:`package_in` imports either
from a tree's own files, without installing it: a folder holding a link named
``partnership_health`` to the tree's ``engine/`` is put first on ``sys.path``.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType


def renamed(tree: Path | str) -> bool:
    """Whether ``tree`` has the ``partnership_health`` layout (``engine/cli/`` is a folder)."""
    return (Path(tree) / "engine" / "cli" / "__init__.py").exists()


@functools.cache
def path_for(tree: Path | str) -> str:
    """The folder to put first on ``sys.path`` so that the tree's package is the one imported."""
    tree = Path(tree).resolve()
    if not renamed(tree):
        return str(tree)
    folder = Path(tempfile.mkdtemp(prefix="ph-tree-"))
    (folder / "partnership_health").symlink_to(tree / "engine", target_is_directory=True)
    return str(folder)


def name_in(tree: Path | str) -> str:
    """The package's import name in ``tree``."""
    return "partnership_health" if renamed(tree) else "engine"


def package_in(tree: Path | str) -> ModuleType:
    """The tree's package, imported from its files (call once per process, before importing the package)."""
    sys.path.insert(0, path_for(tree))
    return importlib.import_module(name_in(tree))


def child_env() -> dict[str, str]:
    """The environment for a command timed in a fresh process: this one's, but writing bytecode.

    Without ``PYTHONDONTWRITEBYTECODE`` the uncounted first run fills each tree's
    ``__pycache__``, as installing the package or any earlier run would; with it, every
    run would compile the package's modules from source again.
    """
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
