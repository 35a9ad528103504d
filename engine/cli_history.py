"""Command-line parts for year-on-year comparison: ``assess ANSWERS --compare FILE.json [--actions PLAN.csv]``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .errors import InputError, Issue, SourceLocation
from .history import compare, read_plan
from .models import Assessment


def add_options(command: argparse.ArgumentParser) -> None:
    """The assess command's comparison option."""
    command.add_argument(
        "--compare",
        metavar="FILE.json",
        help="an earlier JSON report of the partnership (assess --format json): the report gains a "
        "'since last time' part with new, resolved and persisting findings and the score changes",
    )
    command.add_argument(
        "--actions",
        metavar="PLAN.csv",
        help="with --compare: the action plan of that earlier report, filled in (owner, due date, status); "
        "the report says which actions were done and sets each persisting problem beside them",
    )


def since(args: argparse.Namespace, assessment: Assessment) -> dict[str, Any] | None:
    """The 'since last time' part as JSON data, or None without --compare."""
    if not getattr(args, "compare", None):
        if getattr(args, "actions", None):
            raise InputError(
                [
                    Issue(
                        SourceLocation(args.actions), "--actions", "goes with --compare (the report it was the plan of)"
                    )
                ]
            )
        return None
    path = Path(args.compare)
    previous = read_report(path)
    actions = read_plan(args.actions) if getattr(args, "actions", None) else None
    return compare(previous, assessment, previous_id=path.name, actions=actions).model_dump(mode="json")


def read_report(path: Path) -> dict[str, Any]:
    """An earlier JSON report, checked just enough to compare with; a problem is a located error."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError([Issue(SourceLocation(name), "--compare", "is not a JSON report (not UTF-8 text)")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [Issue(SourceLocation(name, error.lineno, error.colno), "--compare", f"is not valid JSON: {error.msg}")]
        ) from None
    where = SourceLocation(name, 1, 1)
    if not isinstance(data, dict):
        raise InputError([Issue(where, "--compare", "must be a JSON report (an object; got something else)")])
    problems = []
    for key, kind in (("findings", list), ("scores", dict), ("assessed_on", str)):
        if not isinstance(data.get(key), kind):
            what = "missing" if key not in data else f"a {type(data[key]).__name__}"
            problems.append(
                Issue(
                    where,
                    f"--compare: {key}",
                    f"'{key}' must be a {kind.__name__} (got {what}); give a report written by assess --format json",
                )
            )
    for index, finding in enumerate(data.get("findings") or [] if isinstance(data.get("findings"), list) else []):
        if not isinstance(finding, dict) or not isinstance(finding.get("failure_mode"), str):
            problems.append(Issue(where, f"--compare: findings[{index}]", "must have a 'failure_mode'"))
    if problems:
        raise InputError(problems)
    return data
