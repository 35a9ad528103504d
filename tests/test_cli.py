"""The command line and the public API, as a user meets them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

import partnership_health as ph
from partnership_health.cli import main

from .conftest import MINI, REPO, examples
from .test_inputs import MINI_ARGS


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class ContractSource(Open):
    guide: str
    section: str


class ContractRemedy(Open):
    id: str
    title: str
    steps: list[str] = Field(min_length=1)
    sources: list[ContractSource] = Field(min_length=1)


class ContractEvidence(Open):
    fact: str
    value: Any
    op: str
    threshold: Any


class ContractFinding(Open):
    id: str
    title: str
    failure_mode: str
    severity: Literal["low", "medium", "high", "critical"]
    evidence: list[ContractEvidence] = Field(min_length=1)
    remedies: list[ContractRemedy] = Field(min_length=1)


class ContractScore(Open):
    score: int = Field(ge=0, le=100)
    level: Literal["strength", "watch", "concern"]


class ContractRef(Open):
    id: str
    version: str


class ContractRulebase(Open):
    version: str


class Contract(Open):
    """The JSON report contract documented in the README."""

    partnership: str
    assessed_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    questionnaire: ContractRef
    rulebase: ContractRulebase
    respondents: int
    scores: dict[str, ContractScore]
    findings: list[ContractFinding]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_bundled_examples_are_there() -> None:
    names = {path.name for path in examples()}
    assert {"healthy.yaml", "riverside.yaml"} <= names


@pytest.mark.parametrize("example", examples(), ids=lambda path: path.name)
def test_every_example_gives_a_json_report_that_keeps_the_contract(example: Path, capsys, questionnaire) -> None:
    code, out, err = run(capsys, "assess", str(example), "--format", "json")

    assert code == 0, err
    report = Contract.model_validate(json.loads(out))
    assert report.questionnaire.id == questionnaire.id
    assert set(report.scores) <= {section.id for section in questionnaire.sections}
    if example.name in ("healthy.yaml", "one-respondent.yaml"):  # one person's answers: not shown by default
        assert report.findings == []
    else:
        assert report.findings, f"{example.name} diagnoses nothing"


def test_the_demo_writes_a_self_contained_html_report(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)

    code, out, _ = run(capsys, "demo")

    report = tmp_path / "partnership-health-report.html"
    assert code == 0
    assert str(report) in out
    html = report.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), (
        "the report must not load anything from the network"
    )


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_free_text_with_html_in_it_shows_as_text(fmt: str, capsys) -> None:
    # One person wrote it: shown as the lead chose to show every answer.
    code, out, _ = run(capsys, "assess", str(MINI / "answers.yaml"), "--format", fmt, "--min-group", "1", *MINI_ARGS)

    assert code == 0
    if fmt == "html":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        assert "<script>" not in out
    elif fmt == "md":
        assert "\\<script\\>alert(1)\\</script\\>" in out  # escaped: Markdown shows it as typed
        assert "<script>" not in out


def test_the_markdown_report_says_why_each_finding_fired(capsys) -> None:
    code, out, _ = run(capsys, "assess", str(MINI / "answers.yaml"), "--min-group", "1", *MINI_ARGS)

    assert code == 0
    assert "### 1. The lead sees shared decisions, core partners do not (critical)" in out
    assert "The lead partner answered “Decisions are shared between the partners.” with 5 out of 5" in out  # one lead
    assert "1. Agree in writing which decisions the whole partnership takes." in out


@pytest.mark.parametrize(
    "argv",
    [[], ["assess"], ["assess", "x.yaml", "--format", "docx"], ["frobnicate"]],
    ids=["no command", "no answers file", "unknown format", "unknown command"],
)
def test_wrong_usage_exits_2(argv: list[str], capsys) -> None:
    code, _, err = run(capsys, *argv)

    assert code == 2
    assert "usage: partnership-health" in err


def test_a_missing_answers_file_exits_1_with_one_line(capsys) -> None:
    code, _, err = run(capsys, "assess", "no-such-file.yaml")

    assert code == 1
    assert err == "1 problem found:\nno-such-file.yaml: file: no such file\n"


def test_the_questionnaire_command_prints_every_question(capsys, questionnaire) -> None:
    code, out, _ = run(capsys, "questionnaire")

    assert code == 0
    assert all(question_id in out for question_id in questionnaire.questions)


def test_the_rules_command_lists_every_rule(capsys, rulebase) -> None:
    code, out, _ = run(capsys, "rules")

    assert code == 0
    assert all(rule.id in out for rule in rulebase.rules)


def test_the_schema_command_prints_a_json_schema(capsys) -> None:
    code, out, _ = run(capsys, "schema", "answers")

    assert code == 0
    assert json.loads(out)["properties"]["respondents"]["type"] == "array"


def test_the_readme_library_example_runs(tmp_path, monkeypatch) -> None:
    readme = (REPO / "README.md").read_text()
    example = re.search(r"```python\n(.*?)```", readme, re.S)
    assert example, "the README has no python example"
    monkeypatch.chdir(REPO)

    namespace: dict[str, Any] = {}
    exec(compile(example.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own README

    assert isinstance(namespace["assessment"], ph.Assessment)


def test_the_public_api_is_exactly_what_all_lists() -> None:
    public = {name for name in dir(ph) if not name.startswith("_")}
    import pkgutil

    modules = {module.name for module in pkgutil.iter_modules(ph.__path__)}  # ph.cli, ph.surveys ...
    assert public - modules == set(ph.__all__)
    assert ph.__all__ == sorted(ph.__all__)


def test_the_code_passes_ruff() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "engine", "tests", "benchmarks", "examples"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_the_package_passes_mypy_strict() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600
    )  # the settings are pyproject.toml's [tool.mypy]: strict, with pydantic's plugin

    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("Success: no issues found"), result.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_pdf_is_not_written_to_a_terminal(capsys) -> None:
    code = main(["assess", str(examples()[0]), "--format", "pdf"], stdout=_Terminal())
    assert code == 2
    assert "a PDF is not for the terminal: give --output FILE.pdf" in capsys.readouterr().err


def test_a_blank_or_missing_partnership_name_is_refused_in_plain_words(tmp_path: Path, capsys) -> None:
    text = (REPO / "examples" / "healthy.yaml").read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("partnership:"))
    blank, missing = tmp_path / "blank.yaml", tmp_path / "missing.yaml"
    blank.write_text(text.replace(name, 'partnership: "   "'), encoding="utf-8")
    missing.write_text(text.replace(name + "\n", ""), encoding="utf-8")

    assert main(["assess", str(blank), "--format", "md"]) == 1
    assert "partnership: is blank (write it out) (got '   ')" in capsys.readouterr().err
    assert main(["assess", str(missing), "--format", "md"]) == 1
    assert "partnership: is required" in capsys.readouterr().err
