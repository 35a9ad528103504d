"""Partnership Health: diagnose a partnership's failure modes and prescribe the guides' remedies.

Typical use::

    import engine

    questionnaire = engine.load_questionnaire()          # the bundled one, or a path
    rulebase = engine.load_rulebase(questionnaire=questionnaire)
    answers = engine.load_answers("answers.yaml", questionnaire)
    assessment = engine.assess(answers, questionnaire, rulebase)
    print(engine.render(assessment, questionnaire, "md"))

Every loader raises :class:`InputError` listing every problem with its file and line.
"""

from importlib import metadata as _metadata

from .assessment import assess, load_answers, load_questionnaire, load_rulebase
from .errors import EngineError, InputError, Issue, RuleEngineError, SourceLocation
from .models import Answers, Assessment, Evidence, Finding, Questionnaire, Remedy, RuleBase, SectionScore
from .reporting import render, write_report

try:
    __version__ = _metadata.version("partnership-health")
except _metadata.PackageNotFoundError:  # run from a source checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Answers",
    "Assessment",
    "EngineError",
    "Evidence",
    "Finding",
    "InputError",
    "Issue",
    "Questionnaire",
    "Remedy",
    "RuleBase",
    "RuleEngineError",
    "SectionScore",
    "SourceLocation",
    "assess",
    "load_answers",
    "load_questionnaire",
    "load_rulebase",
    "render",
    "write_report",
]
