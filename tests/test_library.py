"""What a developer expects of the package: types, a version, answers from anywhere, a report schema."""

from __future__ import annotations

import io
import json
import re
from importlib import metadata

import jsonschema
import pytest

import partnership_health as ph
from partnership_health.cli import main

from .conftest import MINI

MINI_ARGS = ["--rules", str(MINI / "rules"), "--questionnaire", str(MINI / "questionnaire.yaml")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_version_comes_from_the_package_metadata(capsys) -> None:
    assert ph.__version__ == metadata.version("partnership-health")

    assert run(capsys, "--version") == (0, f"partnership-health {ph.__version__}\n", "")


def test_assess_reads_answers_from_standard_input(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO((MINI / "answers.yaml").read_text()))

    code, out, err = run(capsys, "assess", "-", "--format", "json", *MINI_ARGS)

    assert code == 0, err
    assert json.loads(out)["partnership"] == "Mini partnership"


def test_a_problem_in_standard_input_is_located_in_it(monkeypatch, capsys) -> None:
    text = (MINI / "answers.yaml").read_text().replace("role: core", "role: partner", 1)
    monkeypatch.setattr("sys.stdin", io.StringIO(text))

    code, out, err = run(capsys, "assess", "-", *MINI_ARGS)

    assert code == 1
    assert out == ""
    assert "<stdin>:17:11: respondent 'core1': role: Input should be 'lead', 'core' or 'wider'" in err


@pytest.fixture(scope="module")
def report_schema() -> dict:
    out = io.StringIO()
    assert main(["schema", "report"], stdout=out) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> dict:
    output = tmp_path_factory.mktemp("demo") / "report.json"
    assert main(["demo", "--format", "json", "--output", str(output)], stdout=io.StringIO()) == 0
    return json.loads(output.read_text())


def test_the_demo_json_report_fits_the_printed_schema(report_schema, demo_report) -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema)

    jsonschema.validate(demo_report, report_schema)

    assert demo_report["findings"] and demo_report["aggregates"]["answers"]


@pytest.mark.parametrize(
    "break_it",
    [
        lambda r: r.pop("findings"),
        lambda r: r["findings"][0].update(severity="dire"),
        lambda r: r["scores"].update(extra={"score": "high", "level": "watch"}),
        lambda r: r.update(assessed_on=20261001),
    ],
)
def test_the_report_schema_refuses_a_report_that_breaks_the_contract(report_schema, demo_report, break_it) -> None:
    report = json.loads(json.dumps(demo_report))
    break_it(report)

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, report_schema)


def test_the_report_schema_allows_keys_added_in_later_versions(report_schema, demo_report) -> None:
    report = {**demo_report, "added_later": 1}

    jsonschema.validate(report, report_schema)


def test_evidence_values_in_the_json_report_are_rounded_to_two_decimals(demo_report) -> None:
    values = [
        evidence["value"]
        for found in demo_report["findings"] + demo_report["strengths"]
        for evidence in found["evidence"]
        if isinstance(evidence["value"], float)
    ]

    assert values
    assert all(re.fullmatch(r"-?\d+(\.\d{1,2})?", repr(value)) for value in values), values
