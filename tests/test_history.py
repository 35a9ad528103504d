"""Year on year: assess --compare with an earlier JSON report adds a 'since last time' part."""

from __future__ import annotations

import datetime
import html
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.reader import bundled_path
from partnership_health.errors import InputError
from partnership_health.models.since import FindingThen
from partnership_health.store.history import compare, match_findings
from partnership_health.surveys.plans import read_plan

from .conftest import EVERY_ANSWER

EXAMPLES = bundled_path("examples")
RULES = bundled_path("rules")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    # The comparisons here follow findings about the one lead partner of riverside.yaml from
    # year to year: its lead has chosen to show every group, however small.
    if argv[:1] == ("assess",) and "--min-group" not in argv:
        argv = (*argv, "--min-group", "1")
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


@pytest.fixture(scope="module")
def current(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> ph.Assessment:
    """riverside-2027.yaml assessed, to compare with last year's report through the Python API."""
    answers = ph.load_answers(EXAMPLES / "riverside-2027.yaml", questionnaire)
    return ph.assess(answers, questionnaire, rulebase, EVERY_ANSWER)


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
    assert since["scores"]["communication"] == {"then": 67, "now": 74, "change": 7}
    assert since["scores"]["risk"] == {"then": 67, "now": 65, "change": -2}
    assert since["respondents"] == {"then": {"lead": 1, "core": 3, "wider": 1}, "now": {"lead": 1, "core": 3}}
    assert any("Different people answered this time (1 fewer in the wider role;" in c for c in since["caveats"])


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
    assert "Communication and meetings" in part and "+7" in part
    assert "Wider partners: 1 then, 0 now" in part
    # the overall score each year (a table in Markdown; the HTML's table beside its chart)
    year_rows = ("| 2026-10-05 | 65 | – |", "| 2027-10-04 (this time) | 65 | 0 |") if fmt == "md" else ()
    assert all(row in part for row in year_rows)
    assert "Overall score by assessment" in part
    sentence = "The room has moved closer together: partners saw 3 questions differently last time and 2 this time"
    assert sentence in html.unescape(part)
    assert "Meetings are often cancelled or moved at short notice." in part  # no longer seen differently


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
    settings.write_text(settings.read_text(encoding="utf-8").replace('version: "2.1"', 'version: "2.2"'), "utf-8")
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
    assert any("rule base changed from version 2.1 to 2.2" in c for c in json.loads(out)["since"]["caveats"])


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


def test_compare_takes_earlier_years_for_the_trend_and_last_years_actions(
    last_year: Path, current: ph.Assessment
) -> None:
    previous = json.loads(last_year.read_text(encoding="utf-8"))
    older = previous | {"assessed_on": "2025-10-06", "scores": {"goals": {"score": 50, "level": "watch"}}}
    plan = [{"remedy_id": "streamline-meetings", "remedy": "Streamline meetings", "status": "Done"}]
    since = compare(previous, current, "7", earlier=[older], actions=plan)
    assert [(p.id, str(p.assessed_on), p.overall) for p in since.trend] == [
        (None, "2025-10-06", 50),
        ("7", "2026-10-05", 65),
        (None, "2027-10-04", current.overall.score if current.overall else None),
    ]
    assert since.actions is not None
    resolved = [f for f in since.actions.follow_up if f.outcome == "resolved"]
    assert [(f.finding, [(a.remedy, a.status) for a in f.actions]) for f in resolved] == [
        ("Partnership meetings take hours that a partner cannot spare", [("Streamline meetings", "done")])
    ]
    assert compare(previous, current, "7").actions is None


PLAN = EXAMPLES / "riverside-plan.csv"


def with_plan(capsys: pytest.CaptureFixture[str], last_year: Path, fmt: str) -> tuple[int, str, str]:
    """Riverside a year on, compared with last year's report and the plan its lead filled in."""
    year_two = str(EXAMPLES / "riverside-2027.yaml")
    return run(capsys, "assess", year_two, "--compare", str(last_year), "--actions", str(PLAN), "--format", fmt)


def test_the_example_plan_reads_with_owners_dates_and_statuses() -> None:
    rows = read_plan(PLAN)
    assert [(r["remedy_id"], r["status"]) for r in rows] == [
        ("share-decision-making", "not started"),
        ("review-lead-partner-role", "in progress"),
        ("review-communication", "done"),
        ("set-meeting-rhythm", "in progress"),
        ("appoint-action-owners", "not started"),
        ("agree-shared-outcomes", "dropped"),
        ("streamline-meetings", "done"),
        ("review-partnership-agreement", ""),
    ]
    assert rows[0]["owner"] == "Alex Morgan (Riverside Library)" and rows[0]["due"] == "2027-01-31"


def test_a_plan_saved_again_by_a_spreadsheet_still_reads(tmp_path: Path) -> None:
    # no byte order mark, ';' between cells, columns moved and re-capitalised, a column
    # added, a blank row, statuses typed by hand, and the formula guard's quote kept
    path = tmp_path / "plan.csv"
    path.write_text(
        "STATUS;Owner;remedy ID;Notes;Due Date\n"
        "In Progress;'-Jo Brennan;streamline-meetings;half the meetings cut;31/01/2027\n"
        ";;;;\n"
        "Not-Started;Alex;share-decision-making;;\n"
        ";;own-idea;;\n",
        encoding="utf-8",
    )
    rows = read_plan(path)
    assert [(r["remedy_id"], r["status"], r["owner"], r["due"]) for r in rows] == [
        ("streamline-meetings", "in progress", "-Jo Brennan", "31/01/2027"),
        ("share-decision-making", "not started", "Alex", ""),
        ("own-idea", "", "", ""),
    ]


def test_a_plan_excel_saved_in_windows_encoding_or_as_xlsx_reads(tmp_path: Path) -> None:
    legacy = tmp_path / "plan.csv"
    legacy.write_bytes("Remedy id,Owner,Status\nstreamline-meetings,Zoë Ní Bhriain,Done\n".encode("cp1252"))
    assert [(r["owner"], r["status"]) for r in read_plan(legacy)] == [("Zoë Ní Bhriain", "done")]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Remedy id", "Remedy", "Owner", "Due date", "Status"])
    sheet.append(["streamline-meetings", "Meetings", "Jo", datetime.datetime(2027, 1, 31), "in progress"])
    book.save(tmp_path / "plan.xlsx")
    assert [(r["due"], r["status"]) for r in read_plan(tmp_path / "plan.xlsx")] == [("2027-01-31", "in progress")]


def test_every_problem_in_a_plan_is_reported_at_once_with_its_row_and_column(
    tmp_path: Path, last_year: Path, capsys
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "\ufeffRemedy id,Remedy,Owner,Status\n"
        "streamline-meetings,Meetings,Jo,finished\n"
        ",,Alex,done\n"
        "share-decision-making,Share,Alex,half done\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        read_plan(path)
    assert [str(issue) for issue in raised.value.issues] == [
        f"{path}:row 2, column D (Status): action 'Meetings': status must be one of done, in progress, "
        "not started, dropped, or blank (got 'finished')",
        f"{path}:row 3, column A (Remedy id): action: has no remedy id and no remedy",
        f"{path}:row 4, column D (Status): action 'Share': status must be one of done, in progress, "
        "not started, dropped, or blank (got 'half done')",
    ]
    no_status = tmp_path / "owners.csv"
    no_status.write_text("Remedy,Owner\nMeetings,Jo\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_plan(no_status)
    assert [issue.message for issue in raised.value.issues] == [
        "the plan has no 'Remedy id' column (its header row must name it)",
        "the plan has no 'Status' column (its header row must name it)",
    ]
    # on the command line: the problems, and no report
    output = tmp_path / "report.md"
    code, _, err = run(
        capsys,
        "assess",
        str(EXAMPLES / "riverside-2027.yaml"),
        "--compare",
        str(last_year),
        "--actions",
        str(path),
        "--output",
        str(output),
    )
    assert code == 1
    assert sum(line.startswith(f"{path}:row ") for line in err.splitlines()) == 3
    assert not output.exists()


def test_due_dates_in_figures_must_be_real_dates_and_remedy_ids_must_be_the_reports(
    tmp_path: Path, last_year: Path, capsys
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Remedy id,Remedy,Due date,Status\n"
        "streamline-meetings,Meetings,31/01/2027,done\n"  # day first, as in the UK
        "streamline-meetings,Meetings,1/31/27,done\n"  # month first
        ",Our own idea,end of March,\n"  # in words, and an action of the lead's own
        "streamline-meetings,Meetings,2027-02-30,\n"
        "streamline-meetings,Meetings,31/13/2027,\n"
        "streamline-meetings,Meetings,20270131,\n"
        "no-such-remedy,Meetings,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        read_plan(path, {"streamline-meetings", "share-decision-making"})
    assert [str(issue) for issue in raised.value.issues] == [
        f"{path}:row 5, column C (Due date): action 'Meetings': due date is not a real date (got '2027-02-30'); "
        "write it as YYYY-MM-DD, or in words",
        f"{path}:row 6, column C (Due date): action 'Meetings': due date is not a real date (got '31/13/2027'); "
        "write it as YYYY-MM-DD, or in words",
        f"{path}:row 7, column C (Due date): action 'Meetings': due date is not a real date (got '20270131'); "
        "write it as YYYY-MM-DD, or in words",
        f"{path}:row 8, column A (Remedy id): action 'Meetings': remedy id 'no-such-remedy' is not in the "
        "action plan of the assessment it follows up (share-decision-making, streamline-meetings); leave it "
        "blank for an action of your own",
    ]
    # the command line checks the plan against the remedies of the report it follows up
    code, out, err = run(
        capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--compare", str(last_year), "--actions", str(path)
    )
    assert code == 1 and out == ""
    assert [line.split(": ")[0] for line in err.splitlines() if line.startswith(f"{path}:")] == [
        f"{path}:row {n}, column {c}" + (" (Due date)" if c == "C" else " (Remedy id)")
        for n, c in ((5, "C"), (6, "C"), (7, "C"), (8, "A"))
    ]


def test_actions_without_compare_is_an_error_naming_the_plan(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--actions", str(PLAN))
    assert code == 1 and out == ""
    assert f"{PLAN}: --actions: goes with --compare" in err


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_last_years_plan_shows_beside_what_persists_and_what_was_resolved(fmt: str, last_year: Path, capsys) -> None:
    code, out, err = with_plan(capsys, last_year, fmt)
    assert code == 0, err
    text = html.unescape(out).replace("<strong>", "**").replace("</strong>", "**")
    part = text[text.index("Last time's actions") :]
    part = part[: part.index("Who answered")]
    assert "Of the 8 actions in last time's plan, 2 are done, 2 in progress, 2 not started and 1 dropped; " in part
    assert (
        "**The lead sees shared decisions; core partners do not** persists: Share decision-making across lead and "
        "core partners – not started; Review the lead partner's role – in progress."
    ) in part
    assert "is resolved: Make meetings shorter, fewer and focused on action – done." in part
    assert "Alex Morgan" in part and "2027-09-30" in part and "no status given" in part


def test_a_compared_report_fits_the_printed_schema_which_describes_since(last_year: Path, capsys) -> None:
    code, out, err = run(capsys, "schema", "report")
    assert code == 0, err
    schema = json.loads(out)
    since = schema["$defs"]["Since"]["properties"]
    assert {"previous", "findings", "scores", "trend", "disagreement", "actions"} <= set(since)
    assert "since" in schema["properties"] and "since" not in schema.get("required", [])
    code, out, err = with_plan(capsys, last_year, "json")
    assert code == 0, err
    report = json.loads(out)
    jsonschema.validate(report, schema)
    broken = json.loads(out)
    broken["since"]["actions"]["plan"][0]["status"] = "finished"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_the_html_trend_chart_shows_one_point_a_year_in_chromium(
    browser: object, last_year: Path, tmp_path: Path, current: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    previous = json.loads(last_year.read_text(encoding="utf-8"))
    first = previous | {
        "assessed_on": "2025-10-06",
        "scores": {k: {"score": v["score"] - 12, "level": "watch"} for k, v in previous["scores"].items()},
    }
    since = compare(previous, current, "2", earlier=[first]).model_dump(mode="json")
    path = tmp_path / "report.html"
    path.write_text(str(ph.render(current, questionnaire, "html", since=since)), encoding="utf-8")

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    chart = page.locator("#since svg.trend-chart")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    assert chart.get_attribute("role") == "img"
    assert page.locator("#trend-title").text_content() == "Overall score at each assessment, from 0 to 100"
    points = chart.locator("g.trend-point circle")
    assert points.count() == 3
    centres = [points.nth(i).bounding_box() for i in range(3)]
    xs = [c["x"] for c in centres if c]
    ys = [c["y"] for c in centres if c]
    assert xs == sorted(xs) and len(set(xs)) == 3  # one point a year, oldest on the left
    assert ys[0] > ys[1]  # 2025's lower score sits lower on the chart
    assert all(box["y"] <= y <= box["y"] + box["height"] for y in ys)
    labels = chart.locator("g.trend-point text").all_text_contents()
    assert "2025-10-06" in labels and "2027-10-04" in labels and "53" in labels
    description = page.locator("#trend-desc").text_content() or ""
    assert "2025-10-06: 53, watch." in description and "2027-10-04 (this assessment)" in description
    rows = page.locator("table.since-trend tbody tr").all_inner_texts()
    assert len(rows) == 3 and "+12" in rows[1]
    chart.screenshot(path=str(tmp_path / "trend.png"))
    assert (tmp_path / "trend.png").stat().st_size > 1000
    assert all(url.startswith("file:") for url in requests)
    context.close()


def test_a_room_that_sees_fewer_questions_differently_has_moved_closer_together(
    last_year: Path, current: ph.Assessment
) -> None:
    previous = json.loads(last_year.read_text(encoding="utf-8"))
    asked = [q for q in current.answers if q not in {g.question for g in current.gaps}]
    split = [{"question": q, "spread": 4.0, "by_role": {}, "prompts": []} for q in asked[:3]]
    wider_apart = previous | {"gaps": previous["gaps"] + split}
    disagreement = compare(wider_apart, current, "1").disagreement
    assert disagreement is not None and disagreement.direction == "closer"
    assert disagreement.closed[-3:] == tuple(asked[:3])
    assert disagreement.sentence.startswith(
        "The room has moved closer together: partners saw 6 questions differently last time and 2 this time; "
        "4 of last time's differences have closed."
    )
    # Riverside itself: one question fewer split than last year (rwg, since issue 18)
    assert compare(previous, current, "1").disagreement.direction == "closer"  # type: ignore[union-attr]
    # as many split as last time, the same ones: the spread of answers decides
    same = previous | {"gaps": [g for g in previous["gaps"] if g["question"] in {x.question for x in current.gaps}]}
    assert compare(same, current, "1").disagreement.direction == "same"  # type: ignore[union-attr]
    # nobody split last time: every difference now is new
    nobody_split = previous | {"gaps": []}
    further = compare(nobody_split, current, "1").disagreement
    assert (
        further is not None
        and further.direction == "further"
        and further.opened == tuple(g.question for g in current.gaps)
    )
    assert further.sentence.startswith("The room has moved further apart: partners saw 0 questions differently")


def test_year_one_saved_with_its_plan_then_year_two_compared_shows_what_changed_and_what_was_done(
    tmp_path: Path, capsys
) -> None:
    db = str(tmp_path / "history.db")
    code, _, err = run(capsys, "assess", str(EXAMPLES / "riverside.yaml"), "--save", "--db", db, "--format", "json")
    assert code == 0 and f"Saved as assessment 1 in {db}." in err
    code, out, err = run(capsys, "history", "actions", "1", str(PLAN), "--db", db)
    assert code == 0, err
    assert out.startswith("An action plan of 8 actions attached to assessment 1 (Riverside Youth Partnership, ")
    report = tmp_path / "2027.html"
    year_two = str(EXAMPLES / "riverside-2027.yaml")
    code, _, err = run(capsys, "assess", year_two, "--compare", "previous", "--db", db, "--output", str(report))
    assert code == 0, err
    page = html.unescape(report.read_text(encoding="utf-8"))
    part = page[page.index('<section id="since"') :]
    part = part[: part.index("</section>")]
    resolved, new, persisting = part.index("Resolved (1)"), part.index("New (1)"), part.index("Persisting (5)")
    assert "Partnership meetings take hours that a partner cannot spare" in part[resolved:new]
    assert "No agreed timetable" in part[new:persisting]
    assert "The lead sees shared decisions; core partners do not" in part[persisting:]
    assert '<td class="num">67</td><td class="num">74</td><td class="num">+7</td>' in part  # communication
    chart = part[part.index('<svg class="chart trend-chart"') : part.index("</svg>")]
    assert chart.count("<circle") == 2 and "2026-10-05" in chart and "2027-10-04" in chart
    assert "Of the 8 actions in last time's plan, 2 are done" in part
    assert "is resolved: Make meetings shorter, fewer and focused on action – done." in part
    assert (
        "No targets to show success</strong> persists: Agree a few shared outcomes and chart progress – dropped."
        in part
    )


def test_the_questions_seen_differently_then_and_now_are_named_in_words_a_facilitator_can_read_aloud(
    last_year: Path, current: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    previous = json.loads(last_year.read_text(encoding="utf-8"))
    newest = current.gaps[-1].question  # as if last year had not seen it differently: a difference opened
    previous["gaps"] = [g for g in previous["gaps"] if g["question"] != newest]
    since = compare(previous, current, "1").model_dump(mode="json")
    closed, opened = since["disagreement"]["closed"], since["disagreement"]["opened"]
    assert closed and opened
    texts = {qid: " ".join(q.text.split()) for qid, q in questionnaire.questions.items()}
    for fmt in ("md", "html"):
        report = str(ph.render(current, questionnaire, fmt, since=since))  # type: ignore[arg-type]
        start = report.index("differently then and now")
        part = report[start : report.index("Who answered", start)]
        for question in (*closed, *opened):
            assert html.escape(texts[question])[:40] in part or texts[question][:40] in part
            assert question not in part  # the id means nothing to the room


def test_the_section_scores_then_and_now_are_right_aligned_like_the_overall_table(last_year: Path, capsys) -> None:
    code, out, err = run(
        capsys, "assess", str(EXAMPLES / "riverside-2027.yaml"), "--compare", str(last_year), "--format", "html"
    )
    assert code == 0, err
    table = out.split('<table class="since-scores">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:-1]

    assert '<th scope="col" class="num">Then</th>' in table and '<th scope="col" class="num">Change</th>' in table
    assert len(rows) > 5
    for row in rows:  # the section's name on the left, then, now and the change in the .num cells
        assert row.count("<td") == row.count('<td class="num">') == 3, row
