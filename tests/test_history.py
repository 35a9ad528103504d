"""Year on year: assess --compare with an earlier JSON report adds a 'since last time' part."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import engine
from engine.cli import main
from engine.history import FindingThen, compare, match_findings
from engine.loading import bundled_path

EXAMPLES = bundled_path("examples")
RULES = bundled_path("rules")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def last_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The JSON report of riverside.yaml, the year before riverside-2027.yaml."""
    path = tmp_path / "riverside-2026.json"
    code, _, err = run(capsys, "assess", str(EXAMPLES / "riverside.yaml"), "--output", str(path))
    assert code == 0, err
    return path


def test_a_year_on_the_json_report_names_resolved_new_and_persisting_findings_and_score_changes(
    last_year: Path, capsys
) -> None:
    code, out, err = run(
        capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--compare", str(last_year), "--format", "json"
    )
    assert code == 0, err
    since = json.loads(out)["since"]
    assert since["previous"] == {"id": "riverside-2026.json", "assessed_on": "2026-10-05"}
    findings = since["findings"]
    assert [f["id"] for f in findings["resolved"]] == ["overload.meeting-hours"]
    assert [f["id"] for f in findings["new"]] == ["time.no-timeline"]
    persisting = {f["id"]: f for f in findings["persisting"]}
    assert persisting["power.lead-core-gap"]["severity_change"] == "same"
    # another rule, the same failure mode: the problem persists, less severe
    comms = persisting["comms.wider-partners-out-of-loop"]
    assert (comms["previous_id"], comms["previous_severity"], comms["severity"]) == (
        "comms.short-notice-cancellations",
        "medium",
        "low",
    )
    assert comms["severity_change"] == "lower"
    assert since["scores"]["communication"] == {"then": 68, "now": 76, "change": 8}
    assert since["scores"]["risk"] == {"then": 68, "now": 66, "change": -2}
    assert since["respondents"] == {"then": {"lead": 1, "core": 3, "wider": 1}, "now": {"lead": 1, "core": 3}}
    assert any("Different people answered" in caveat for caveat in since["caveats"])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_markdown_and_html_reports_show_what_changed_since_last_time(fmt: str, last_year: Path, capsys) -> None:
    code, out, err = run(
        capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--compare", str(last_year), "--format", fmt
    )
    assert code == 0, err
    part = out[out.index("Since last time") :]
    resolved, new, persisting = part.index("Resolved (1)"), part.index("New (1)"), part.index("Persisting (5)")
    assert "Partnership meetings take hours that a partner cannot spare" in part[resolved:new]
    assert "No agreed timetable" in part[new:persisting]
    assert "The lead sees shared decisions; core partners do not" in part[persisting:]
    assert "Communication and meetings" in part and "+8" in part
    assert "Wider partners: 1 then, 0 now" in part


def test_without_compare_there_is_no_since_part(capsys) -> None:
    code, out, _ = run(capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--format", "json")
    assert code == 0
    assert "since" not in json.loads(out)
    code, out, _ = run(capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"))
    assert "Since last time" not in out


def test_a_renamed_rule_keeps_its_finding_persisting(tmp_path: Path, last_year: Path, capsys) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    topic = rules / "roles.yaml"
    text = topic.read_text(encoding="utf-8")
    assert text.count("id: power.lead-core-gap") == 1
    topic.write_text(text.replace("id: power.lead-core-gap", "id: power.lead-and-core-disagree"), encoding="utf-8")
    settings = rules / "rulebase.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('version: "2.0"', 'version: "2.1"'), "utf-8")
    code, out, err = run(
        capsys,
        "assess",
        str(EXAMPLES / "riverside-2027.yaml"),
        "--rules",
        str(rules),
        "--compare",
        str(last_year),
        "--format",
        "json",
    )
    assert code == 0, err
    findings = json.loads(out)["since"]["findings"]
    renamed = [f for f in findings["persisting"] if f["id"] == "power.lead-and-core-disagree"]
    assert [f["previous_id"] for f in renamed] == ["power.lead-core-gap"]
    assert all(f["failure_mode"] != "power_imbalance" for f in findings["new"] + findings["resolved"])
    assert any("rule base changed from version 2.0 to 2.1" in c for c in json.loads(out)["since"]["caveats"])


def test_the_same_rule_is_matched_before_another_of_its_failure_mode() -> None:
    def found(rule: str, severity: str = "medium") -> FindingThen:
        return FindingThen(id=rule, title=rule, failure_mode="poor_communication", severity=severity)

    since = match_findings([found("comms.a"), found("comms.b")], [found("comms.b", "high"), found("comms.c")])
    assert [(f.previous_id, f.id, f.severity_change) for f in since.persisting] == [
        ("comms.b", "comms.b", "higher"),
        ("comms.a", "comms.c", "same"),
    ]
    assert since.new == () and since.resolved == ()


def test_a_compare_file_that_is_not_json_is_a_located_error_and_nothing_is_written(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "last.json"
    bad.write_text('{\n  "findings": [,]\n}\n', encoding="utf-8")
    output = tmp_path / "report.md"
    code, _, err = run(
        capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--compare", str(bad), "--output", str(output)
    )
    assert code == 1
    assert f"{bad}:2:16: --compare: is not valid JSON: Expecting value" in err.splitlines()
    assert not output.exists()


def test_a_compare_file_that_is_not_a_report_says_every_missing_part(tmp_path: Path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"partnership": "X", "respondents": []}), encoding="utf-8")
    code, _, err = run(capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--compare", str(answers))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith(str(answers))]
    assert len(lines) == 3
    assert all(line.startswith(f"{answers}:1:1: ") for line in lines)
    assert "'findings' must be a list (got missing)" in err and "'scores'" in err and "'assessed_on'" in err


def test_compare_takes_earlier_years_for_the_trend_and_last_years_actions(last_year: Path) -> None:
    questionnaire = engine.load_questionnaire()
    rulebase = engine.load_rulebase(questionnaire=questionnaire)
    current = engine.assess(
        engine.load_answers(EXAMPLES / "riverside-2027.yaml", questionnaire), questionnaire, rulebase
    )
    previous = json.loads(last_year.read_text(encoding="utf-8"))
    older = previous | {"assessed_on": "2025-10-06", "scores": {"goals": {"score": 50, "level": "watch"}}}
    plan = [{"remedy_id": "streamline-meetings", "remedy": "Streamline meetings", "status": "Done"}]
    since = compare(previous, current, "7", earlier=[older], actions=plan)
    assert [(p.id, str(p.assessed_on), p.overall) for p in since.trend] == [
        (None, "2025-10-06", 50),
        ("7", "2026-10-05", 66),
        (None, "2027-10-04", current.overall.score if current.overall else None),
    ]
    assert since.actions is not None
    resolved = [f for f in since.actions.follow_up if f.outcome == "resolved"]
    assert [(f.finding, [(a.remedy, a.status) for a in f.actions]) for f in resolved] == [
        ("Partnership meetings take hours that a partner cannot spare", [("Streamline meetings", "done")])
    ]
    assert compare(previous, current, "7").actions is None
