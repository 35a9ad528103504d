"""Render an assessment with Jinja2 templates, and write report files safely."""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .loading import bundled_path
from .models import SEVERITY_RANK, Assessment, Questionnaire, RuleBase

Format = Literal["md", "html", "json"]
FORMATS: dict[str, str] = {"md": "report.md.j2", "html": "report.html.j2", "json": "report.json.j2"}


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> Environment:
    """One environment per template folder: the user's templates first, then the bundled ones."""
    search = [template_dir] if template_dir else []
    env = Environment(
        loader=FileSystemLoader([*search, str(bundled_path("reports"))]),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = _number
    env.filters["json"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    return env


def contract(assessment: Assessment) -> dict[str, Any]:
    """The JSON report: the machine contract documented in the README."""
    return {
        "partnership": assessment.partnership,
        "assessed_on": assessment.assessed_on.isoformat(),
        "questionnaire": {"id": assessment.questionnaire.id, "version": assessment.questionnaire.version},
        "rulebase": {"version": assessment.rulebase_version},
        "respondents": assessment.respondents,
        "scores": {section: score.model_dump() for section, score in assessment.scores.items()},
        "findings": [finding.model_dump(mode="json") for finding in assessment.findings],
    }


def render(
    assessment: Assessment,
    questionnaire: Questionnaire,
    fmt: Format = "md",
    *,
    template_dir: str | Path | None = None,
) -> str:
    """The report as text in format ``fmt`` (md, html or json)."""
    template = environment(str(template_dir) if template_dir else None).get_template(FORMATS[fmt])
    scored = [s for s in questionnaire.sections if any(q.type == "scale" for q in s.questions)]
    return template.render(
        a=assessment,
        questionnaire=questionnaire,
        scored_sections=scored,
        contract=contract(assessment),
        severity_rank=SEVERITY_RANK,
    )


def coverage_table(rulebase: RuleBase) -> str:
    """rules/README.md: each failure mode with its guide sections, rules and remedies."""
    return environment(None).get_template("coverage.md.j2").render(rulebase=rulebase)


def write_report(text: str, path: Path | str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed into place)."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value != round(value) else str(round(value))
    if value is None:
        return "–"
    return str(value)
