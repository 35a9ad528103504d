"""Year on year from the command line: assess --save, --compare previous|ID, and the history commands."""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
from pathlib import Path

import pytest

from partnership_health.cli import main
from partnership_health.core.reader import bundled_path
from partnership_health.store.sqlite import SCHEMA_VERSION, Store
from partnership_health.surveys.plans import read_plan

EXAMPLES = bundled_path("examples")
RIVERSIDE = str(EXAMPLES / "riverside.yaml")  # 2026-10-05
RIVERSIDE_2027 = str(EXAMPLES / "riverside-2027.yaml")  # 2027-10-04
HEALTHY = str(EXAMPLES / "healthy.yaml")  # another partnership's name
PLAN = str(EXAMPLES / "riverside-plan.csv")  # Riverside's 2026 action plan, filled in


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "history.db"


def save(capsys, db: Path, answers: str, *extra: str) -> int:
    code, out, err = run(capsys, "assess", answers, "--save", "--db", str(db), "--format", "json", *extra)
    assert code == 0, err
    (line,) = [line for line in err.splitlines() if line.startswith("Saved as assessment")]
    return int(line.split()[3])


def test_assess_save_keeps_the_json_report_and_says_its_id(db: Path, capsys) -> None:
    code, out, err = run(capsys, "assess", RIVERSIDE, "--save", "--db", str(db), "--format", "json")

    assert code == 0, err
    assert f"Saved as assessment 1 in {db}." in err.splitlines()
    stored = Store(db).get_assessment(1)
    assert stored.report == json.loads(out)  # the report on stdout is the JSON report alone
    assert (stored.partnership, stored.assessed_on.isoformat()) == ("Riverside Youth Partnership", "2026-10-05")

    code, out, err = run(capsys, "assess", RIVERSIDE, "--save", "--db", str(db), "--format", "json")
    assert f"Saved as assessment 2 in {db} (the same answers are saved as assessment 1 too)." in err.splitlines()


def test_assess_save_with_an_output_file_says_the_id_on_stdout(db: Path, tmp_path: Path, capsys) -> None:
    report = tmp_path / "report.md"
    code, out, err = run(capsys, "assess", RIVERSIDE, "--save", "--db", str(db), "--output", str(report))

    assert code == 0, err
    assert out == f"Saved as assessment 1 in {db}.\n"
    assert report.read_text(encoding="utf-8").startswith("# ")


def test_bad_answers_save_nothing(db: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(RIVERSIDE).read_text(encoding="utf-8").replace("role: lead", "role: boss"), "utf-8")

    code, _, err = run(capsys, "assess", str(bad), "--save", "--db", str(db))

    assert code == 1
    assert "role" in err
    assert not db.exists()


def test_a_report_named_like_the_database_it_would_create_is_refused_before_anything_is_saved(
    tmp_path: Path, capsys
) -> None:
    same = tmp_path / "riverside.html"
    code, _, err = run(capsys, "assess", RIVERSIDE, "--save", "--db", str(same), "--output", str(same))

    assert code == 1
    assert f"{same}: output: is also given as an input ({same}); name another file" in err
    assert list(tmp_path.iterdir()) == []


def test_a_database_from_a_newer_version_is_refused_and_no_report_is_written(db: Path, tmp_path: Path, capsys) -> None:
    Store(db)
    with sqlite3.connect(db) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    report = tmp_path / "report.md"

    code, out, err = run(capsys, "assess", RIVERSIDE, "--save", "--db", str(db), "--output", str(report))

    assert code == 1
    assert err.splitlines() == [err.strip()]  # one line
    assert err.startswith(f"{db}: written by a newer version of partnership-health")
    assert not report.exists()


def test_history_lists_id_partnership_date_versions_findings_overall_score_and_sharing(db: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE_2027)
    save(capsys, db, RIVERSIDE)
    save(capsys, db, HEALTHY)
    Store(db).attach_actions(2, [{"remedy_id": "x", "status": "done"}])
    Store(db).set_programme_consent(1, shared=True, named=True)
    Store(db).set_programme_consent(3, shared=True, named=False)
    _, report, _ = run(capsys, "assess", RIVERSIDE, "--format", "json")
    findings = len(json.loads(report)["findings"])

    code, out, err = run(capsys, "history", "--db", str(db))

    assert code == 0, err
    header, *rows = [re.split(r"\s{2,}", line) for line in out.splitlines()]
    assert header == [
        "id",
        "partnership",
        "date",
        "questionnaire",
        "rule base",
        "findings",
        "overall",
        "action plan",
        "programme",
    ]
    assert [row[0] for row in rows] == ["3", "2", "1"]  # oldest first: 2026-10-01, 2026-10-05, 2027-10-04
    assert rows[1] == [
        "2",
        "Riverside Youth Partnership",
        "2026-10-05",
        "2.1",
        "2.1",
        str(findings),
        "65",
        "attached",
        "not shared",
    ]
    assert [row[-1] for row in rows] == ["shared", "not shared", "shared, named"]

    code, out, _ = run(capsys, "history", "--db", str(db), "Riverside Youth Partnership")
    assert [row.split()[0] for row in out.splitlines()[1:]] == ["2", "1"]
    code, out, _ = run(capsys, "history", "list", "Nobody", "--db", str(db))
    assert code == 0 and out.startswith("No saved assessment of “Nobody”")


def test_history_of_a_missing_database_is_one_line_and_creates_nothing(db: Path, capsys) -> None:
    code, _, err = run(capsys, "history", "--db", str(db))

    assert code == 1
    assert err == f"{db}: no such database (assess ANSWERS --save keeps assessments there; or give --db)\n"
    assert not db.exists()


def test_history_show_re_renders_the_saved_assessment(db: Path, tmp_path: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    _, assessed, _ = run(capsys, "assess", RIVERSIDE, "--format", "json")

    code, out, err = run(capsys, "history", "show", "1", "--db", str(db), "--format", "json")
    assert code == 0, err
    assert json.loads(out) == json.loads(assessed)

    report = tmp_path / "again.html"
    code, _, err = run(capsys, "history", "--db", str(db), "show", "1", "--output", str(report))
    assert code == 0, err
    assert "Riverside Youth Partnership" in report.read_text(encoding="utf-8")

    code, _, err = run(capsys, "history", "show", "9", "--db", str(db))
    assert code == 1
    assert err.startswith(f"{db}: no assessment 9")


def test_history_show_keeps_the_options_the_assessment_was_saved_with(db: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE, "--min-group", "2")

    _, out, _ = run(capsys, "history", "show", "1", "--db", str(db), "--format", "json")
    assert sorted(json.loads(out)["aggregates"]["by_role"]) == ["core", "others"]  # the lone lead and wider merged

    _, out, _ = run(capsys, "history", "show", "1", "--db", str(db), "--format", "json", "--min-group", "1")
    assert sorted(json.loads(out)["aggregates"]["by_role"]) == ["core", "lead", "wider"]


def test_history_show_compares_again_with_what_the_assessment_was_compared_with(
    db: Path, tmp_path: Path, capsys
) -> None:
    save(capsys, db, RIVERSIDE)
    second = save(capsys, db, RIVERSIDE_2027, "--compare", "previous")
    code, compared, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", "1", "--db", str(db), "--format", "json")
    assert code == 0, err

    code, shown, err = run(capsys, "history", "show", str(second), "--db", str(db), "--format", "json")
    assert code == 0, err
    assert json.loads(shown)["since"] == json.loads(compared)["since"]

    # moved to another machine, where the ids differ: found again by its date
    exported, elsewhere = tmp_path / "moved.json", tmp_path / "elsewhere.db"
    assert run(capsys, "history", "export", "--db", str(db), "--output", str(exported))[0] == 0
    save(capsys, elsewhere, HEALTHY)
    assert run(capsys, "history", "import", str(exported), "--db", str(elsewhere))[0] == 0
    code, shown, err = run(capsys, "history", "show", "3", "--db", str(elsewhere), "--format", "json")
    assert json.loads(shown)["since"]["previous"] == {"id": "2", "assessed_on": "2026-10-05"}

    # once the earlier one is deleted, the report says so and shows the rest
    assert run(capsys, "history", "delete", "2", "--db", str(elsewhere))[0] == 0
    code, shown, err = run(capsys, "history", "show", "3", "--db", str(elsewhere), "--format", "json")
    assert code == 0 and "since" not in json.loads(shown)
    assert "was compared with the assessment of 2026-10-05 when it was saved, which is no longer in" in err


def test_an_assessment_of_another_questionnaire_shows_only_its_saved_json_report(db: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE assessments SET questionnaire_version = '1.0'")
    raw.close()

    code, _, err = run(capsys, "history", "show", "1", "--db", str(db), "--format", "md")
    assert code == 1
    assert err.splitlines() == [
        f"{db}: assessment 1 was answered to questionnaire partnership-health 1.0, not partnership-health 2.1: "
        "give that questionnaire with --questionnaire to re-render it, or --format json for its report as saved"
    ]

    code, out, err = run(capsys, "history", "show", "1", "--db", str(db), "--format", "json")
    assert code == 0
    assert json.loads(out) == Store(db).get_assessment(1).report
    assert "its JSON report as saved" in err


def test_export_and_import_move_assessments_with_their_action_plans_once(db: Path, tmp_path: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    save(capsys, db, RIVERSIDE_2027)
    save(capsys, db, HEALTHY)
    Store(db).attach_actions(1, [{"remedy_id": "agree-timeline", "status": "in progress"}])
    moved = tmp_path / "riverside.json"

    partnership = "Riverside Youth Partnership"
    code, out, err = run(capsys, "history", "export", partnership, "--db", str(db), "--output", str(moved))
    assert code == 0, err
    assert out.startswith(f"2 assessments (1 action plan) written to {moved}")

    other = tmp_path / "other.db"
    save(capsys, other, HEALTHY)
    code, out, err = run(capsys, "history", "import", str(moved), "--db", str(other))
    assert code == 0, err
    assert out == (
        f"2 assessments imported into {other}: 2 (Riverside Youth Partnership, 2026-10-05), "
        "3 (Riverside Youth Partnership, 2027-10-04)\n"
    )
    store = Store(other)
    assert store.actions_of(2) == [{"remedy_id": "agree-timeline", "status": "in progress"}]
    assert store.get_assessment(3).report == Store(db).get_assessment(2).report

    code, out, _ = run(capsys, "history", "import", str(moved), "--db", str(other))
    assert code == 0
    assert out.splitlines() == [
        f"0 assessments imported into {other}.",
        "Already saved, not imported again: 2 (Riverside Youth Partnership, 2026-10-05), "
        "3 (Riverside Youth Partnership, 2027-10-04).",
    ]
    assert len(store.assessments()) == 3


def test_a_bad_import_file_names_every_problem_with_its_line_and_imports_nothing(
    db: Path, tmp_path: Path, capsys
) -> None:
    save(capsys, db, RIVERSIDE)
    save(capsys, db, RIVERSIDE_2027)
    moved = tmp_path / "moved.json"
    run(capsys, "history", "export", "--db", str(db), "--output", str(moved))
    data = json.loads(moved.read_text(encoding="utf-8"))
    data["assessments"][0]["answers"]["respondents"][1]["role"] = "boss"
    del data["assessments"][1]["report"]["findings"]
    moved.write_text(json.dumps(data, indent=2), encoding="utf-8")
    other = tmp_path / "other.db"

    code, _, err = run(capsys, "history", "import", str(moved), "--db", str(other))

    assert code == 1
    problems = err.splitlines()[1:]
    assert len(problems) == 2
    assert any("assessments[0].answers.respondents[1].role: " in p and "'boss'" in p for p in problems)
    assert any("assessments[1].report.findings: 'findings' must be a list (got missing)" in p for p in problems)
    assert all(p.startswith(f"{moved}:") and p.split(":")[1].isdigit() for p in problems)
    assert not other.exists()


def test_history_delete_removes_the_assessment_its_plan_and_its_answers_from_the_file(db: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    save(capsys, db, HEALTHY)
    Store(db).attach_actions(1, [{"remedy_id": "agree-timeline", "status": "done"}])
    idle = sqlite3.connect(db)  # another program with the file open keeps its write-ahead log in place
    idle.execute("SELECT count(*) FROM assessments").fetchone()

    code, out, err = run(capsys, "history", "delete", "1", "--db", str(db))

    assert code == 0, err
    assert out == (
        "Deleted assessment 1 (Riverside Youth Partnership, 2026-10-05): the answers of 5 respondents, "
        f"its report and its action plan, from {db}.\n"
    )
    assert [a.id for a in Store(db).assessments()] == [2]
    assert Store(db).actions_of(1) is None
    written = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert b"Alex Morgan" not in written  # a name from the deleted answers is left in neither the file nor its log
    idle.close()
    code, _, err = run(capsys, "history", "delete", "1", "--db", str(db))
    assert code == 1 and err.startswith(f"{db}: no assessment 1")


def test_compare_previous_uses_the_latest_saved_assessment_dated_before(db: Path, tmp_path: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    last_year = tmp_path / "riverside-2026.json"
    run(capsys, "assess", RIVERSIDE, "--output", str(last_year))

    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", "previous", "--db", str(db), "--format=json")
    assert code == 0, err
    stored = json.loads(out)["since"]
    _, out, _ = run(capsys, "assess", RIVERSIDE_2027, "--compare", str(last_year), "--format", "json")
    from_file = json.loads(out)["since"]

    assert stored["previous"] == {"id": "1", "assessed_on": "2026-10-05"}
    assert stored["findings"] == from_file["findings"]
    assert stored["scores"] == from_file["scores"]

    _, out, _ = run(capsys, "assess", RIVERSIDE_2027, "--compare", "1", "--db", str(db), "--format", "json")
    assert json.loads(out)["since"]["previous"]["id"] == "1"


def test_compare_previous_follows_every_saved_year_and_last_years_action_plan(db: Path, tmp_path: Path, capsys) -> None:
    older = tmp_path / "riverside-2025.yaml"
    older.write_text(Path(RIVERSIDE).read_text(encoding="utf-8").replace("2026-10-05", "2025-10-06"), "utf-8")
    save(capsys, db, str(older))
    save(capsys, db, RIVERSIDE)
    save(capsys, db, HEALTHY)  # another partnership: not in the trend
    Store(db).attach_actions(2, read_plan(PLAN))
    last_year = tmp_path / "riverside-2026.json"
    run(capsys, "assess", RIVERSIDE, "--output", str(last_year))

    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", "previous", "--db", str(db), "--format=json")

    assert code == 0, err
    since = json.loads(out)["since"]
    assert [point["assessed_on"] for point in since["trend"]] == ["2025-10-06", "2026-10-05", "2027-10-04"]
    assert [point["id"] for point in since["trend"]] == ["1", "2", None]
    _, out, _ = run(capsys, "assess", RIVERSIDE_2027, "--compare", str(last_year), "--actions", PLAN, "--format=json")
    assert since["actions"] == json.loads(out)["since"]["actions"]  # the attached plan, as if given as a file
    assert since["actions"]["follow_up"]


def test_compare_previous_without_an_earlier_assessment_is_one_line_and_writes_nothing(
    db: Path, tmp_path: Path, capsys
) -> None:
    save(capsys, db, RIVERSIDE_2027)
    report = tmp_path / "report.md"

    code, _, err = run(capsys, "assess", RIVERSIDE, "--compare", "previous", f"--db={db}", f"--output={report}")

    assert code == 1
    assert err == (
        f"{db}: no saved assessment of “Riverside Youth Partnership” dated before 2026-10-05 to compare with "
        "(history lists the saved ones)\n"
    )
    assert not report.exists()


def test_a_plan_attached_with_history_actions_is_followed_up_a_year_on(db: Path, tmp_path: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)

    code, out, err = run(capsys, "history", "actions", "1", PLAN, "--db", str(db))

    assert code == 0, err
    rows = read_plan(PLAN)
    assert out == (
        f"An action plan of {len(rows)} actions attached to assessment 1 (Riverside Youth Partnership, 2026-10-05); "
        "a later assessment compared with it follows it up.\n"
    )
    assert Store(db).actions_of(1) == rows
    _, out, _ = run(capsys, "assess", RIVERSIDE_2027, "--compare", "previous", "--db", str(db), "--format=json")
    summary = json.loads(out)["since"]["actions"]["summary"]
    assert summary.startswith(f"Of the {len(rows)} actions")
    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", "previous", "--db", str(db), "--format=md")
    assert code == 0, err
    assert summary in out  # year 2's report says how far year 1's plan got


def test_a_bad_plan_is_located_and_attaches_nothing(db: Path, tmp_path: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    plan = tmp_path / "plan.csv"
    plan.write_text(Path(PLAN).read_text(encoding="utf-8-sig").replace(",done\n", ",finished\n"), "utf-8")

    code, _, err = run(capsys, "history", "actions", "1", str(plan), "--db", str(db))

    assert code == 1
    assert f"{plan}:" in err and "finished" in err
    assert Store(db).actions_of(1) is None
    code, _, err = run(capsys, "history", "actions", "7", PLAN, "--db", str(db))
    assert code == 1 and err.startswith(f"{db}: no assessment 7")


def test_a_plan_for_another_assessment_or_with_an_impossible_due_date_attaches_nothing(
    db: Path, tmp_path: Path, capsys
) -> None:
    save(capsys, db, RIVERSIDE)
    save(capsys, db, RIVERSIDE_2027)
    before = db.read_bytes()
    # Riverside's 2026 plan attached to the 2027 assessment by mistake: two of its remedies
    # are not in 2027's action plan
    code, out, err = run(capsys, "history", "actions", "2", PLAN, "--db", str(db))
    assert code == 1 and out == ""
    wrong = [line for line in err.splitlines() if line.startswith(f"{PLAN}:row ")]
    assert [line.split(": ")[0] for line in wrong] == [
        f"{PLAN}:row 4, column A (Remedy id)",
        f"{PLAN}:row 8, column A (Remedy id)",
    ]
    assert "'review-communication' is not in the action plan of the assessment it follows up" in wrong[0]
    assert "leave it blank for an action of your own" in wrong[0]
    # a typed-over remedy id and a date that is not one, each on its own line, at once
    plan = tmp_path / "plan.csv"
    text = Path(PLAN).read_text(encoding="utf-8-sig")
    plan.write_text(
        text.replace("set-meeting-rhythm,", "set-meeting-rythm,").replace("2027-03-31", "31/13/2027"), "utf-8"
    )
    code, _, err = run(capsys, "history", "actions", "1", str(plan), "--db", str(db))
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith(f"{plan}:")] == [
        f'{plan}:row 3, column G (Due date): action "Review the lead partner\'s role": due date is not a real '
        "date (got '31/13/2027'); write it as YYYY-MM-DD, or in words",
        f"{plan}:row 5, column A (Remedy id): action 'Set a regular meeting rhythm': remedy id 'set-meeting-rythm' "
        "is not in the action plan of the assessment it follows up (agree-shared-outcomes, appoint-action-owners, "
        "review-communication, review-lead-partner-role, review-partnership-agreement, set-meeting-rhythm, "
        "share-decision-making, streamline-meetings); leave it blank for an action of your own",
    ]
    assert db.read_bytes() == before and Store(db).actions_of(1) is None and Store(db).actions_of(2) is None


def test_the_since_part_says_which_saved_assessment_or_file_it_compares_with(db: Path, tmp_path: Path, capsys) -> None:
    save(capsys, db, RIVERSIDE)
    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", "previous", "--db", str(db), "--format=md")
    assert code == 0, err
    assert "Compared with the assessment of 2026-10-05 (saved assessment 1). " in out
    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", "1", "--db", str(db), "--format=html")
    assert code == 0, err
    assert "Compared with the assessment of 2026-10-05 (saved assessment 1). " in out
    last_year = tmp_path / "riverside-2026.json"
    assert run(capsys, "assess", RIVERSIDE, "--output", str(last_year))[0] == 0
    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", str(last_year), "--format=md")
    assert code == 0, err
    assert "Compared with the assessment of 2026-10-05 (riverside-2026.json). " in out
    # and the Markdown reads as typed: versions and owners' organisations without backslashes
    assert "Questionnaire partnership-health 2.1, rule base 2.1." in out


def test_comparing_with_a_later_or_same_day_report_says_so(tmp_path: Path, capsys) -> None:
    next_year = tmp_path / "riverside-2027.json"
    assert run(capsys, "assess", RIVERSIDE_2027, "--output", str(next_year))[0] == 0

    code, out, err = run(capsys, "assess", RIVERSIDE, "--compare", str(next_year), "--format=json")
    assert code == 0, err
    assert (
        "The assessment compared with is dated 2027-10-04, later than this one (2026-10-05): what reads as new or "
        "resolved here is the other way round in time." in json.loads(out)["since"]["caveats"]
    )
    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", str(next_year), "--format=json")
    assert any("the same day as this one" in caveat for caveat in json.loads(out)["since"]["caveats"])
    code, out, err = run(capsys, "assess", RIVERSIDE, "--output", str(tmp_path / "2026.json"))
    code, out, err = run(capsys, "assess", RIVERSIDE_2027, "--compare", str(tmp_path / "2026.json"), "--format=json")
    assert not any("compared with is dated" in caveat for caveat in json.loads(out)["since"]["caveats"])


def test_the_readme_keeping_assessments_commands_work_in_order(tmp_path: Path, monkeypatch, capsys) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Keeping assessments", 1)[1].split("```", 2)[1]
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert commands and all(command[0] == "partnership-health" for command in commands)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(EXAMPLES)
    for command in commands:
        code, _, err = run(capsys, *command[1:])
        assert code == 0, (command, err)
    # the plan attached before the second year's comparison is followed up in its report
    report = (tmp_path / "2027.html").read_text(encoding="utf-8")
    assert "Of the 8 actions in last time&#39;s plan, 2 are done" in report
    assert "Last time's actions" in (tmp_path / "2027-again.html").read_text(encoding="utf-8")
    assert [each.id for each in Store(tmp_path / "partnership-health.db").assessments()] == [2]
    assert len(Store(tmp_path / "other.db").assessments()) == 2


def test_a_missing_or_folder_compare_file_is_a_located_error_and_writes_nothing(tmp_path: Path, capsys) -> None:
    report = tmp_path / "report.md"
    for given, said in (("missing.json", "file: no such file"), (".", "file: is a folder, not a file")):
        code, _, err = run(
            capsys, "assess", RIVERSIDE_2027, "--compare", str(tmp_path / given), "--output", str(report)
        )
        assert code == 1
        assert err == f"1 problem found:\n{tmp_path / given}: {said}\n"
        assert not report.exists()


def test_a_database_that_is_a_folder_is_said_so(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "history", "--db", str(tmp_path))
    assert code == 1
    assert err == f"{tmp_path}: is a folder, not a database (give --db a file's name)\n"
