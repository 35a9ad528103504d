"""Working with the survey tools partnerships already use.

Import: a CSV or XLSX export of Google Forms, Microsoft Forms, SurveyMonkey,
KoboToolbox, ODK Central or LimeSurvey (or a plain sheet headed by our question ids)
-> :class:`~partnership_health.models.Answers`. Export: the questionnaire as an XLSForm, a CSV or
YAML template, a printable paper form and a guide for building the form by hand.

Stands on the core's loaders and models; the core pipeline imports nothing from here.
"""

import typing as _typing
from importlib import import_module as _import_module

if _typing.TYPE_CHECKING:
    from .importing import Imported, answers_yaml, import_answers, import_survey, read_mapping

__all__ = ["SUFFIXES", "Imported", "answers_yaml", "import_answers", "import_survey", "read_mapping"]
# The suffixes of survey exports (any other file is an answers file): here, so that a
# command can tell the two apart without importing the readers.
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
_HOMES = {
    "Imported": "importing",
    "answers_yaml": "importing",
    "import_answers": "importing",
    "import_survey": "importing",
    "read_mapping": "importing",
}


def __getattr__(name: str) -> _typing.Any:
    """Each name imported when first used: a command that reads no survey export imports none of this."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value
