"""Partnership Health: diagnose a partnership's failure modes and prescribe the guides' remedies.

Typical use::

    import partnership_health as ph

    questionnaire = ph.load_questionnaire()          # the bundled one, or a path
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    answers = ph.load_answers("answers.yaml", questionnaire)
    assessment = ph.assess(answers, questionnaire, rulebase)
    print(ph.render(assessment, questionnaire, "md"))

Every loader raises :class:`InputError` listing every problem with its file and line.
"""

import typing as _typing
from importlib import import_module as _import_module

if _typing.TYPE_CHECKING:  # what a type checker sees; at run time each name is imported when first used
    from .core.assessment import assess
    from .core.loading import load_answers, load_questionnaire, load_rulebase
    from .errors import EngineError, InputError, Issue, RuleEngineError, SourceLocation
    from .models import Answers, Assessment, Evidence, Finding, Questionnaire, Remedy, RuleBase, SectionScore
    from .options import AssessOptions
    from .reporting.files import write_report
    from .reporting.render import render

    __version__: str

# Where each public name lives: importing the package imports none of them (a command
# imports only what it uses; ``import partnership_health.core.reader`` does not load the rule engine).
_HOMES = {
    "assess": "core.assessment",
    "AssessOptions": "options",
    "load_answers": "core.loading",
    "load_questionnaire": "core.loading",
    "load_rulebase": "core.loading",
    "EngineError": "errors",
    "InputError": "errors",
    "Issue": "errors",
    "RuleEngineError": "errors",
    "SourceLocation": "errors",
    "Answers": "models",
    "Assessment": "models",
    "Evidence": "models",
    "Finding": "models",
    "Questionnaire": "models",
    "Remedy": "models",
    "RuleBase": "models",
    "SectionScore": "models",
    "render": "reporting.render",
    "write_report": "reporting.files",
}


def __getattr__(name: str) -> _typing.Any:
    if name == "__version__":
        from importlib import metadata

        try:
            version = metadata.version("partnership-health")
        except metadata.PackageNotFoundError:  # run from a source checkout that was never installed
            version = "0+unknown"
        globals()[name] = version
        return version
    if name in _HOMES:
        value = getattr(_import_module(f".{_HOMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES, "__version__"})


__all__ = [
    "Answers",
    "AssessOptions",
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
