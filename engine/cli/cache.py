"""The checked questionnaire and rule base, kept between runs of the command line.

Reading the bundled questionnaire and rule base (YAML, validation, checks) is a good
part of a command's start. :func:`load_inputs` keeps what it loaded in a per-user
cache folder, under a key made of the text of every file read and of this package's
code, so an entry is used only for the very same files read by the very same code:
a changed file or a new version of the package is read afresh. Only what loaded
without a problem is kept. ``PARTNERSHIP_HEALTH_CACHE`` names another folder, or
``off`` for none.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import pydantic
import pydantic_core
import yaml

from ..core.loading import default_questionnaire_path, default_rules_path, load_questionnaire, load_rulebase
from ..core.reader import read_bytes
from ..models import Questionnaire, RuleBase

CACHE_VARIABLE = "PARTNERSHIP_HEALTH_CACHE"
_KEPT = 8  # entries kept in the folder; older ones are removed
_PREFIX = "inputs-"


def load_inputs(
    questionnaire: Path | str | None = None, rules: Path | str | None = None
) -> tuple[Questionnaire, RuleBase]:
    """``load_questionnaire(questionnaire)`` and ``load_rulebase(rules, that questionnaire)``, cached between runs."""
    folder = cache_folder()
    key = _key(questionnaire, rules) if folder else None
    entry = folder / f"{_PREFIX}{key}.pickle" if folder and key else None
    if entry is not None:
        try:
            with entry.open("rb") as file:
                found = pickle.load(file)
            if isinstance(found, tuple) and len(found) == 2:
                q, rb = found
                if isinstance(q, Questionnaire) and isinstance(rb, RuleBase):
                    return q, rb
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
    loaded = load_questionnaire(questionnaire)
    result = loaded, load_rulebase(rules, loaded)
    if entry is not None:
        _keep(entry, result)
    return result


def cache_folder() -> Path | None:
    """The cache folder, made if need be; None when caching is off or the folder is not the user's alone."""
    setting = os.environ.get(CACHE_VARIABLE, "").strip()
    if setting.lower() == "off":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partnership-health"
    folder = Path(setting) if setting else base
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except (OSError, RuntimeError):
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # another user could write what would be unpickled here
    return folder


def _key(questionnaire: Path | str | None, rules: Path | str | None) -> str | None:
    """A hash of this package's code and of every input file's bytes; None when a file cannot be read."""
    digest = hashlib.sha256()
    versions = [sys.version, pydantic.VERSION, pydantic_core.__version__, yaml.__version__]
    digest.update("\0".join(versions).encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    folder = Path(rules) if rules else default_rules_path()
    try:
        files = [Path(questionnaire) if questionnaire else default_questionnaire_path(), *sorted(folder.glob("*.yaml"))]
    except OSError:
        return None
    for file in files:
        data, _ = read_bytes(file)
        if data is None:
            return None
        digest.update(str(file).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _keep(entry: Path, value: object) -> None:
    """Write ``entry`` whole or not at all, and remove the oldest entries beyond the few kept; failures are ignored."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".", dir=entry.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        entries = sorted(entry.parent.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEPT:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PickleError, TypeError, AttributeError):
        pass
