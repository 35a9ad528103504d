"""One set of assessment options, honoured the same by every way in: the library, assess, assess-many,
a saved assessment shown again, and the web app's rounds.

The options are not the defaults, and each one changes the report (checked first), so a
way in that dropped one would write another report than the library's.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.reader import bundled_path

EXAMPLES = bundled_path("examples")
OPTIONS = ph.AssessOptions(by="organisation", min_group=2, show_respondents=True, gaps=1)
FLAGS = ["--by", "organisation", "--min-group", "2", "--show-respondents", "--gaps", "1"]
FORMATS = ["md", "html", "json", "csv"]
CASES = ["riverside.yaml", "cooperative-network.yaml"]


def library(
    name: str, fmt: str, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase, options: ph.AssessOptions
) -> bytes:
    """The report of an example as the library renders it, as the bytes a report file holds."""
    answers = ph.load_answers(EXAMPLES / name, questionnaire)
    report = ph.render(ph.assess(answers, questionnaire, rulebase, options), questionnaire, fmt)  # type: ignore[arg-type]
    return report.encode("utf-8") if isinstance(report, str) else report


def run(*argv: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(list(argv), stdout=out, stderr=err) == 0, err.getvalue()


@pytest.mark.parametrize("option", ["by", "min_group", "show_respondents", "gaps"])
def test_each_option_changes_the_report(questionnaire, rulebase, option: str) -> None:
    without = OPTIONS.model_copy(update={option: ph.AssessOptions.model_fields[option].default})

    assert library("riverside.yaml", "md", questionnaire, rulebase, OPTIONS) != library(
        "riverside.yaml", "md", questionnaire, rulebase, without
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_assess_on_the_command_line_writes_the_librarys_report(
    questionnaire, rulebase, tmp_path: Path, fmt: str
) -> None:
    for name in CASES:
        run("assess", str(EXAMPLES / name), *FLAGS, "--format", fmt, "--output", str(tmp_path / f"{name}.{fmt}"))

        assert (tmp_path / f"{name}.{fmt}").read_bytes() == library(name, fmt, questionnaire, rulebase, OPTIONS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_assess_many_writes_what_assess_writes_with_every_option(
    questionnaire, rulebase, tmp_path: Path, fmt: str
) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    for name in CASES:
        shutil.copy(EXAMPLES / name, folder / name)

    run("assess-many", str(folder), *FLAGS, "--format", fmt, "--output-dir", str(tmp_path / "reports"), "--jobs", "1")

    for name in CASES:
        written = (tmp_path / "reports" / f"{Path(name).stem}.{fmt}").read_bytes()
        assert written == library(name, fmt, questionnaire, rulebase, OPTIONS), name


def test_a_saved_assessment_is_shown_again_with_the_options_it_was_saved_with(
    questionnaire, rulebase, tmp_path: Path
) -> None:
    db = str(tmp_path / "kept.db")
    run("assess", str(EXAMPLES / "riverside.yaml"), *FLAGS, "--save", "--db", db, "--output", str(tmp_path / "r.md"))

    for fmt in FORMATS:
        run("history", "show", "1", "--db", db, "--format", fmt, "--output", str(tmp_path / f"again.{fmt}"))

        shown = (tmp_path / f"again.{fmt}").read_bytes()
        assert shown == library("riverside.yaml", fmt, questionnaire, rulebase, OPTIONS), fmt
    # An option given to `history show` wins over the one saved.
    run("history", "show", "1", "--db", db, "--format", "md", "--gaps", "3", "--output", str(tmp_path / "gaps3.md"))
    wider = OPTIONS.model_copy(update={"gaps": 3})
    assert (tmp_path / "gaps3.md").read_bytes() == library("riverside.yaml", "md", questionnaire, rulebase, wider)


def test_a_history_export_keeps_the_options_and_an_import_shows_the_same_report(tmp_path: Path) -> None:
    db, other = str(tmp_path / "kept.db"), str(tmp_path / "other.db")
    run("assess", str(EXAMPLES / "riverside.yaml"), *FLAGS, "--save", "--db", db, "--output", str(tmp_path / "r.md"))
    run("history", "export", "--db", db, "--output", str(tmp_path / "export.json"))
    run("history", "import", str(tmp_path / "export.json"), "--db", other)

    run("history", "show", "1", "--db", db, "--output", str(tmp_path / "before.md"))
    run("history", "show", "1", "--db", other, "--output", str(tmp_path / "after.md"))

    assert (tmp_path / "after.md").read_bytes() == (tmp_path / "before.md").read_bytes()
