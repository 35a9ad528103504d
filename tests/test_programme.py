"""The programme view (``partnership-health programme``): figures, formats, sources, consent and bad input.

The figures are checked against counts made here from the JSON reports directly; the
privacy attacks on the hidden counts are in ``test_programme_privacy.py``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.models import Programme
from partnership_health.reporting.render import contract
from partnership_health.store.history import compare
from partnership_health.store.sqlite import Store

from .conftest import tool
from .programme_data import (
    answers_text,
    check_by_group,
    latest_reports,
    make_programme,
    md_tables,
    name,
    write_plan,
    write_reports,
)

N = 10
NAMED = (1, 2, 3)


PLANNED = (1, 2, 3, 4, 5, 6)  # partnerships whose 2025 plan is filled in


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> Path:
    root = tmp_path_factory.mktemp("programme")
    make_programme(root / "answers", N, named=NAMED)
    for i in PLANNED:
        write_plan(root / "answers" / f"p{i:02d}-2025.yaml", questionnaire, rulebase)
    return root


@pytest.fixture(scope="module")
def reports(folder: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> list[dict]:
    files = sorted((folder / "answers").glob("*.yaml"))
    return write_reports(files, folder / "reports", questionnaire, rulebase)


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["programme", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def view_of(*sources: Path | str, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...] = ()) -> Programme:
    code, out, err = run(*map(str, sources), "--format", "json", "--jobs", "1", *extra, capsys=capsys)
    assert code == 0, err
    return Programme.model_validate_json(out)


# --- the figures, against an independent count ----------------------------------------------


def test_failure_mode_counts_match_the_json_reports_counted_directly(
    folder: Path, reports: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    view = view_of(folder / "reports", capsys=capsys)
    latest = latest_reports(reports)
    counted = Counter(f["failure_mode"] for report in latest.values() for f in report["findings"])
    by_severity = Counter((f["failure_mode"], f["severity"]) for r in latest.values() for f in r["findings"])

    assert view.partnerships == len(latest) == N
    assert {f.id for f in view.failure_modes} == {mode.id for mode in ph.load_rulebase().failure_modes}
    shown = 0
    for mode in view.failure_modes:
        if mode.diagnosed.hidden:
            continue
        shown += 1
        assert mode.diagnosed.value == counted[mode.id], mode.id
        assert mode.not_diagnosed.hidden or mode.not_diagnosed.value == N - counted[mode.id]
        for count in mode.severity:
            assert count.hidden or count.value == by_severity[(mode.id, count.key)], (mode.id, count.key)
    assert shown >= 5  # the check above bites: most failure modes are shown
    for mode in view.failure_modes:  # and every count of 1 or 2 partnerships is hidden
        for count in (mode.diagnosed, mode.not_diagnosed, *mode.severity):
            true = counted[mode.id] if count.key == "diagnosed" else None
            if true is not None and 0 < true < 3:
                assert count.hidden


def test_failure_modes_by_type_size_and_age_match_the_json_reports_counted_directly(
    folder: Path, reports: list[dict], questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    """Columns as small as one partnership (a test of ten would otherwise have none): counted from the reports."""
    from partnership_health.programme.sources import read_sources
    from partnership_health.programme.view import build_programme

    read = read_sources([folder / "reports"], questionnaire, rulebase)
    view = build_programme(read.records, questionnaire, rulebase, min_column=1)
    assert {t.key for t in view.failure_modes_by} == {"type", "size"}  # by age: every group hidden, one column
    assert check_by_group(view, list(latest_reports(reports).values())) >= 20
    assert build_programme(read.records, questionnaire, rulebase).failure_modes_by == ()  # 10 < 5k: no column


def test_answers_files_and_their_json_reports_give_the_same_view(
    folder: Path, reports: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    from_answers = view_of(folder / "answers", capsys=capsys)
    from_reports = view_of(folder / "reports", capsys=capsys)
    keep = {"properties", "actions"}  # answers carry answers (the properties), the plan sits beside an answers file
    assert from_answers.model_dump(exclude=keep | {"profile"}) == from_reports.model_dump(exclude=keep | {"profile"})
    assert from_answers.properties is not None and from_reports.properties is None


def test_an_assessment_read_directly_is_the_record_its_json_report_gives(
    folder: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from partnership_health.programme.sources import record_of_assessment, record_of_report

    for file in sorted((folder / "answers").glob("*.yaml")):
        assessment = ph.assess(ph.load_answers(file, questionnaire), questionnaire, rulebase)
        direct = record_of_assessment(assessment, "x", rulebase)
        assert direct == record_of_report(contract(assessment), "x", rulebase), file.name
        assert direct.findings and direct.scores and direct.partner_count and direct.age


def with_properties(folder: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> Programme:
    """The view of the folder's answers, with the questionnaire's properties on lower minimums (10 partnerships)."""
    from partnership_health.models.properties import Minimums
    from partnership_health.programme.properties import compute_properties
    from partnership_health.programme.sources import read_sources
    from partnership_health.programme.view import build_programme

    read = read_sources([folder / "answers"], questionnaire, rulebase)
    lower = Minimums(complete_respondents=10, partnerships=3)
    return build_programme(
        read.records, questionnaire, rulebase, properties=lambda q, p, m: compute_properties(q, p, minimums=lower)
    )


def test_the_questionnaires_alpha_is_computed_on_each_partnerships_latest_answers(
    folder: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    """Cronbach's alpha of one section, computed here by hand on the pooled answers of the latest assessments."""
    view = with_properties(folder, questionnaire, rulebase)
    assert view.properties is not None and view.properties.partnerships == N
    section = next(s for s in questionnaire.sections if s.id == "communication")
    items = [q for q in section.questions if q.type == "scale"]
    rows = []
    for i in range(1, N + 1):  # the latest: 2026
        for person in ph.load_answers(folder / "answers" / f"p{i:02d}-2026.yaml", questionnaire).respondents:
            values = [person.answers.get(q.id) for q in items]
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                rows.append([6 - v if q.reverse else v for q, v in zip(items, values, strict=True)])

    def variance(xs: list[float]) -> float:
        mean = sum(xs) / len(xs)
        return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)

    k = len(items)
    by_hand = (
        k / (k - 1) * (1 - sum(variance([r[j] for r in rows]) for j in range(k)) / variance([sum(r) for r in rows]))
    )
    figures = next(s for s in view.properties.sections if s.section == "communication")
    assert figures.complete == len(rows) >= 10
    assert figures.alpha.status == "shown" and figures.alpha.value == pytest.approx(by_hand, abs=0.005)


def test_year_on_year_means_what_a_reports_since_last_time_means(
    folder: Path,
    reports: list[dict],
    capsys: pytest.CaptureFixture[str],
    questionnaire: ph.Questionnaire,
    rulebase: ph.RuleBase,
) -> None:
    view = view_of(folder / "reports", capsys=capsys)
    assert view.year_on_year.shown and view.year_on_year.partnerships == N
    expected: Counter[tuple[str, str]] = Counter()
    for i in range(1, N + 1):  # each partnership's report compared as assess --compare compares it
        now = ph.assess(
            ph.load_answers(folder / "answers" / f"p{i:02d}-2026.yaml", questionnaire), questionnaire, rulebase
        )
        then = json.loads((folder / "reports" / f"p{i:02d}-2025.json").read_text())
        since = compare(then, now, "then")
        for kind in ("persisting", "resolved", "new"):
            for finding in getattr(since.findings, kind):
                expected[(finding.failure_mode, kind)] += 1
    for mode in view.failure_modes:
        assert mode.since is not None
        for count in mode.since[:3]:
            assert count.hidden or count.value == expected[(mode.id, count.key)], (mode.id, count.key)


def test_section_scores_are_counted_in_bands_and_levels(
    folder: Path, reports: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    view = view_of(folder / "reports", capsys=capsys)
    latest = latest_reports(reports).values()
    for section in view.scores:
        scores = [r["scores"][section.section]["score"] for r in latest if section.section in r["scores"]]
        for band in section.bands[:-1]:
            low, high = map(int, band.key.split("-"))
            assert band.hidden or band.value == sum(low <= s <= high for s in scores), (section.section, band.key)
        concern, watch, strength, _ = section.levels
        assert concern.hidden or concern.value == sum(s < 50 for s in scores)
        assert strength.hidden or strength.value == sum(s >= 70 for s in scores)
        assert watch.hidden or watch.value == sum(50 <= s < 70 for s in scores)


def test_actions_planned_and_done_come_from_the_plans_beside_the_answers(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = view_of(folder / "answers", capsys=capsys)
    plans = next(b for b in view.profile if b.key == "plans")
    assert [c.value for c in plans.counts] == [len(PLANNED), N - len(PLANNED)]
    planned: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for i in PLANNED:  # counted here from the plan files themselves
        with open(folder / "answers" / f"p{i:02d}-2025-plan.csv", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        planned.update({row["Remedy id"] for row in rows})
        done.update({row["Remedy id"] for row in rows if row["Status"] == "done"})
    assert {r.id for r in view.actions} == set(planned)
    shown = [r for r in view.actions if not r.planned.hidden]
    assert shown, "some remedy is planned by 3 or more partnerships"
    for remedy in view.actions:
        assert remedy.planned.hidden or remedy.planned.value == planned[remedy.id]
        assert remedy.done.hidden or remedy.done.value == done[remedy.id]
        if 0 < planned[remedy.id] < 3:
            assert remedy.planned.hidden
    values = [r.planned.value or 0 for r in shown]
    assert values == sorted(values, reverse=True)  # most often planned first; those hidden after
    assert view.actions[: len(shown)] == tuple(shown)


# --- every format from one source set ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md", "json", "csv", "pdf"])
def test_every_format_is_written_from_one_source_set(
    folder: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if fmt == "pdf":
        pytest.importorskip("weasyprint")
    output = tmp_path / f"view.{fmt}"
    code, out, err = run(str(folder / "answers"), "--output", str(output), "--jobs", "2", capsys=capsys)
    assert code == 0, err
    assert f"The programme view of {N} partnerships (20 assessments read) written to {output}." in out
    data = output.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        return
    text = data.decode("utf-8")
    if fmt == "json":
        assert Programme.model_validate_json(text).partnerships == N
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["measure", "group", "value", "n"]
        assert ["partnerships", "all", str(N), str(N)] in rows
        assert all(row[2] != "" or row[0].endswith("(pooled)") or "left out" in row[0] for row in rows[1:])
        assert any(row[2] == "suppressed" for row in rows)
    else:
        assert f"Programme view: {N} partnerships" in text
        assert "Failure modes" in text and "Year on year" in text and "How the questionnaire behaves" in text
    if fmt == "html":
        assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert text.count("<svg") >= 10  # a histogram per scored section


def test_the_csv_rounds_its_figures_as_the_other_formats_show_them(
    folder: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from partnership_health.programme.render import render_programme

    view = with_properties(folder, questionnaire, rulebase)
    assert view.properties is not None
    rows = list(csv.reader(io.StringIO(str(render_programme(view, "csv")))))
    figures = [row for row in rows if row[0].startswith("questionnaire ") or row[0].endswith("(pooled)")]
    shown = [row[2] for row in figures if re.fullmatch(r"-?[0-9.]+", row[2])]
    assert shown and all(len(value.partition(".")[2]) <= 2 for value in shown), shown
    md = str(render_programme(view, "md"))
    section = next(s for s in view.properties.sections if s.alpha.status == "shown")
    assert section.alpha.value is not None and f"{section.alpha.value:.2f}" in md
    row = next(row for row in figures if row[0].startswith("questionnaire cronbach") and row[1] == section.section)
    assert float(row[2]) == float(f"{section.alpha.value:.2f}")


def test_every_markdown_table_reads_back_as_gfm_with_the_figures_of_the_json(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No stray cell or trailing space in any table (the section scores' rows ended in "| "), figures as shown."""
    code, text, err = run(str(folder / "answers"), "--format", "md", "--jobs", "1", capsys=capsys)
    assert code == 0, err
    view = view_of(folder / "answers", capsys=capsys)
    tables = md_tables(text)
    scores = next(t for t in tables if t[0][0] == "Section")
    assert len(scores) == 1 + len(view.scores) and all(len(row) == len(scores[0]) for row in scores)
    for row, section in zip(scores[1:], view.scores, strict=True):
        shown = [c for c in (*section.bands, *section.levels[:-1])]
        assert row == [section.title, *("–" if c.hidden else str(c.value) for c in shown)]


def test_the_schema_command_prints_the_programme_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "programme"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Partnership Health programme view"
    assert "failure_modes" in schema["properties"]


# --- consent: named only where the lead agreed ----------------------------------------------------


def _said_by_people(files: list[Path], questionnaire: ph.Questionnaire) -> set[str]:
    """Everything in the answers that is a person's or an organisation's: names, organisations, free text."""
    said: set[str] = set()
    for file in files:
        answers = ph.load_answers(file, questionnaire)
        for person in answers.respondents:
            said |= {person.organisation, *([person.name] if person.name else [])}
            said |= {
                v for q, v in person.answers.items() if questionnaire.questions[q].type == "text" and isinstance(v, str)
            }
    return {text for text in said if len(text) > 3}


def test_a_partnership_without_consent_is_named_nowhere_in_any_format(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], questionnaire: ph.Questionnaire
) -> None:
    outputs = {}
    for fmt in ("html", "md", "json", "csv", "pdf"):
        output = tmp_path / f"view.{fmt}"
        code, _, err = run(str(folder / "answers"), "--output", str(output), "--jobs", "1", capsys=capsys)
        assert code == 0, err
        if fmt == "pdf":
            found = subprocess.run([tool("pdftotext"), str(output), "-"], capture_output=True, text=True, check=True)
            outputs[fmt] = " ".join(found.stdout.split())
        else:
            outputs[fmt] = output.read_text(encoding="utf-8")
    people = _said_by_people(sorted((folder / "answers").glob("*.yaml")), questionnaire)
    assert len(people) > 20  # organisations, names and comments to look for
    for fmt, text in outputs.items():
        flat = html.unescape(text) if fmt == "html" else text
        for i in range(1, N + 1):
            if i not in NAMED:
                assert name(i) not in flat, (fmt, i)
        for said in people:
            assert said not in flat, (fmt, said)
    for fmt in ("html", "md", "json", "pdf"):  # those who agreed are named (the CSV counts them)
        for i in NAMED:
            assert name(i) in outputs[fmt], (fmt, i)


def test_the_consent_read_is_the_latest_assessments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = make_programme(tmp_path / "a", 4, named=(1,))  # named in 2026 only
    view = view_of(tmp_path / "a", capsys=capsys)
    assert view.named == (name(1),) and view.not_named == 3
    earlier = next(f for f in files if f.name == "p01-2026.yaml")
    earlier.write_text(earlier.read_text().replace("named_in_programme: true\n", ""))
    (tmp_path / "a" / "p02-2025.yaml").write_text(
        (tmp_path / "a" / "p02-2025.yaml")
        .read_text()
        .replace("assessed_on: 2025-10-02", "assessed_on: 2025-10-02\nnamed_in_programme: true")
    )
    view = view_of(tmp_path / "a", capsys=capsys)
    assert view.named == ()  # an earlier consent does not name a partnership whose latest says nothing


# --- a database and a history export --------------------------------------------------------------


@pytest.fixture(scope="module")
def database(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> Path:
    db = tmp_path_factory.mktemp("db") / "history.db"
    store = Store(db)
    for file in sorted((folder / "answers").glob("*.yaml")):
        answers = ph.load_answers(file, questionnaire)
        kept = store.save_assessment(
            answers, contract(ph.assess(answers, questionnaire, rulebase)), rulebase_version="2.1"
        )
        i = int(file.name[1:3])
        if i != N:  # the last partnership's lead has not shared it
            store.set_programme_consent(kept, shared=True, named=answers.named_in_programme)
    return db


def test_a_database_gives_what_its_leads_shared_and_says_how_many_were_left_out(
    database: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(str(database), "--format", "json", capsys=capsys)
    assert code == 0, err
    assert "2 assessments left out: not shared with the programme by their leads" in err
    view = Programme.model_validate_json(out)
    assert view.partnerships == N - 1 and view.left_out == 2
    assert set(view.named) == {name(i) for i in NAMED}
    assert any("2 assessments were left out" in note for note in view.notes)
    assert name(N) not in out


def test_the_web_apps_operator_page_gets_the_same_view_from_a_store(
    database: Path, capsys: pytest.CaptureFixture[str], questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from partnership_health.programme.view import programme_of_store

    view, skipped = programme_of_store(Store(database), questionnaire, rulebase)
    assert skipped == [] and view == view_of(database, capsys=capsys)


def test_reading_a_database_changes_it_no_more_than_history_list_does(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(database, copy)
    assert main(["history", "--db", str(copy), "list"]) == 0
    before = _dump(copy)
    code, _, err = run(str(copy), "--format", "md", capsys=capsys)
    assert code == 0, err
    assert _dump(copy) == before


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


def export_of(database: Path, folder: Path) -> Path:
    exported = folder / "export.json"
    assert main(["history", "--db", str(database), "export", "--output", str(exported)]) == 0
    return exported


def test_a_history_export_is_read_as_its_database_is(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_of(database, tmp_path)
    capsys.readouterr()
    from_db = view_of(database, capsys=capsys)
    from_export = view_of(exported, capsys=capsys)
    assert from_export.model_dump() == from_db.model_dump()


def test_an_assessment_left_out_in_two_sources_is_counted_once(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export_of(database, tmp_path)
    capsys.readouterr()
    code, out, err = run(str(database), str(exported), "--format", "json", "--jobs", "1", capsys=capsys)
    assert code == 0, err
    assert "2 assessments left out: not shared with the programme by their leads" in err
    view = Programme.model_validate_json(out)
    assert view.partnerships == N - 1 and view.left_out == 2


def test_a_file_does_not_bring_back_what_a_lead_left_unshared(
    database: Path, folder: Path, reports: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    for files in ("answers", "reports"):
        code, out, err = run(str(database), str(folder / files), "--format", "json", "--jobs", "1", capsys=capsys)
        assert code == 0, err
        view = Programme.model_validate_json(out)
        assert view.partnerships == N - 1 and view.left_out == 2, files
        assert name(N) not in out
        said = [line for line in err.splitlines() if "not shared with the programme by its lead" in line]
        assert len(said) == 2 and all(f"p{N:02d}-" in line for line in said), err


def test_the_same_assessment_from_two_sources_counts_once_and_says_which_is_used(
    folder: Path, reports: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        str(folder / "reports"), str(folder / "answers"), "--format", "json", "--jobs", "1", capsys=capsys
    )
    assert code == 0, err
    assert Programme.model_validate_json(out).partnerships == N
    said = [line for line in err.splitlines() if "the same assessment" in line]
    assert len(said) == 2 * N
    assert all(f"{folder / 'answers'}" in line.split("; ")[1] for line in said)  # the copy with answers is used


def test_files_that_are_not_assessments_are_listed_as_skipped(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "mixed"
    shutil.copytree(folder / "answers", mixed)
    (mixed / "notes.txt").write_text("minutes of the steering group")
    (mixed / "sub").mkdir()
    (mixed / "sub" / "other.json").write_text('{"name": "not ours"}')
    (mixed / "sub" / "p99-plan.csv").write_text("Remedy id,Status\n")
    code, _, err = run(str(mixed), "--format", "md", capsys=capsys)
    assert code == 0, err
    assert f"skipped {mixed / 'notes.txt'}: not an answers file" in err
    assert f"skipped {mixed / 'sub' / 'other.json'}: not an answers file" in err
    assert f"skipped {mixed / 'sub' / 'p99-plan.csv'}: an action plan with no answers file" in err


# --- bad input: one located line, exit code 2, nothing written ---------------------------------------


@pytest.mark.parametrize(
    "case, expected",
    [
        ("missing", "partnership-health programme: {root}/nowhere: no such file or folder"),
        ("empty", "partnership-health programme: {root}/empty: no answers files, JSON reports or history exports"),
        ("broken", "{root}/broken/p05-2026.yaml:"),
        ("too few", "partnership-health programme: the programme has 2 partnerships"),
    ],
)
def test_bad_input_is_one_located_line_and_exit_code_2(
    case: str, expected: str, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("nothing here")
    shutil.copytree(folder / "answers", tmp_path / "broken")
    (tmp_path / "broken" / "p05-2026.yaml").write_text("partnership: Broken\nassessed_on: 2026-13-45\n")
    make_programme(tmp_path / "few", 2)
    source = {"missing": "nowhere", "empty": "empty", "broken": "broken", "too few": "few"}[case]
    output = tmp_path / "view.html"
    code, out, err = run(str(tmp_path / source), "--output", str(output), capsys=capsys)
    assert code == 2
    assert expected.format(root=tmp_path) in err
    assert "Traceback" not in err and not output.exists()
    if case == "broken":
        located = [line for line in err.splitlines() if line.startswith(f"{tmp_path}/broken/p05-2026.yaml:")]
        assert len(located) == 1 and re.match(r".*p05-2026\.yaml:\d+:\d+: .* \(and 2 more\)$", located[0])


def test_an_assessment_too_few_answered_is_left_out_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_programme(tmp_path / "a", 3)
    (tmp_path / "a" / "p04-2026.yaml").write_text(answers_text("healthy.yaml", name(4), "2026-10-02"))  # one person
    code, out, err = run(str(tmp_path / "a"), "--format", "json", capsys=capsys)
    assert code == 0, err
    assert "1 assessment left out: too few people answered for its report to show figures" in err
    view = Programme.model_validate_json(out)
    assert view.partnerships == 3 and any("too few people answered" in note for note in view.notes)
    assert not any("1 assessment" in note for note in view.notes)  # how many is a count of one: not said


def test_min_partnerships_below_three_is_refused(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, _, err = run(str(folder / "answers"), "--min-partnerships", "2", capsys=capsys)
    assert code == 2
    assert "--min-partnerships: must be a whole number of at least 3 (got '2')" in err


def test_a_higher_min_partnerships_hides_more(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    three = view_of(folder / "reports", capsys=capsys)
    five = view_of(folder / "reports", capsys=capsys, extra=("--min-partnerships", "5"))
    hidden = [sum(c.hidden for f in v.failure_modes for c in (f.diagnosed, *f.severity)) for v in (three, five)]
    assert five.min_partnerships == 5 and hidden[1] > hidden[0]
    for mode in five.failure_modes:
        for count in (mode.diagnosed, mode.not_diagnosed, *mode.severity, *(mode.since or ())):
            assert count.hidden or count.value == 0 or count.value >= 5
