"""Jinja's side of the reports: the template loader and the cache of compiled templates.

Imported only when a template is rendered (see :func:`engine.reporting.environment`).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable
from pathlib import Path

import jinja2

from .errors import InputError
from .loading import read_text


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading through :func:`engine.loading.read_text`.

    So a template is held to the same rules as every other input (a regular file, of
    bounded size, in UTF-8), and a FIFO or folder with a template's name is an error
    rather than silently passed over.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.lexists(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        text, issues = read_text(filename)
        if text is None:
            raise InputError(issues)
        modified = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == modified
            except OSError:
                return False

        return text, os.path.normpath(filename), uptodate


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling the report's templates is most of rendering one.

    Jinja's own file cache, in its private per-user folder in the temporary directory
    (it refuses a folder that is not the user's alone). A template's entry is found
    by its name and file and used only while the template's text has the same
    checksum; the file names also carry a fingerprint of Jinja's version and of the
    code that sets up the environment, so a change to either compiles afresh. None
    (compile every time) where Jinja finds no safe folder.
    """
    code = b"".join(Path(__file__).with_name(name).read_bytes() for name in ("reporting.py", "templating.py"))
    fingerprint = hashlib.sha256(code + jinja2.__version__.encode()).hexdigest()[:16]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__partnership_health_{fingerprint}_%s.cache")
    except (RuntimeError, OSError):
        return None
