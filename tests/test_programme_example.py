"""The generated programme in examples/programme: what ships is what the generator makes, and it reads as a real one.

200 fictional partnerships, each assessed in autumn 2024, 2025 and 2026, with the action
plans of the first two years. The tests regenerate part of it byte for byte, load every
file as the commands do, and check the mix the programme view needs: kinds, sizes and
ages of partnership, every failure mode the rule base diagnoses, findings that resolve,
persist and appear, and answers that hang together as a questionnaire's do.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import io
import itertools
import json
import re
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.models import Programme
from partnership_health.reporting.render import contract
from partnership_health.store.history import plan_remedies
from partnership_health.surveys.plans import read_plan

from .conftest import REPO
from .programme_data import check_by_group, md_tables

FOLDER = REPO / "examples" / "programme"
ANSWERS = FOLDER / "answers"
YEARS = (2024, 2025, 2026)
PARTNERSHIPS = 200
NAME = re.compile(r"partnership-(\d{3})-(\d{4})(-plan)?\.(json|csv)")


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    """examples/programme/generate.py, imported as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("programme_generator", FOLDER / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def programme(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> dict[tuple[int, int], Any]:
    """Every shipped answers file, loaded as `assess` loads it, with its assessment: (partnership, year) -> both."""
    loaded = {}
    for path in sorted(ANSWERS.glob("*.json")):
        match = NAME.fullmatch(path.name)
        assert match, path.name
        answers = ph.load_answers(path, questionnaire)
        loaded[(int(match[1]), int(match[2]))] = (
            json.loads(path.read_bytes()),
            ph.assess(answers, questionnaire, rulebase),
        )
    return loaded


def latest(programme: dict[tuple[int, int], Any]) -> list[tuple[dict[str, Any], ph.Assessment]]:
    return [programme[(number, YEARS[-1])] for number in range(1, PARTNERSHIPS + 1)]


def modes(assessment: ph.Assessment) -> set[str]:
    return {finding.failure_mode for finding in assessment.findings}


# --- what ships is what the generator makes ----------------------------------------------------


def test_the_folder_holds_three_years_of_answers_and_two_plans_for_each_partnership() -> None:
    names = sorted(path.name for path in ANSWERS.iterdir())
    expected = sorted(
        [f"partnership-{n:03d}-{year}.json" for n in range(1, PARTNERSHIPS + 1) for year in YEARS]
        + [f"partnership-{n:03d}-{year}-plan.csv" for n in range(1, PARTNERSHIPS + 1) for year in YEARS[:-1]]
    )
    assert names == expected


def test_regenerating_the_first_ten_partnerships_writes_the_shipped_files_byte_for_byte(
    generator: ModuleType, tmp_path: Path
) -> None:
    written = generator.generate(tmp_path, partnerships=10)

    shipped = sorted(path for path in ANSWERS.iterdir() if path.name < "partnership-011")
    assert sorted(path.name for path in written) == [path.name for path in shipped]
    for path in shipped:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_script_run_with_only_and_two_processes_writes_the_same_files_as_a_full_run(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(FOLDER / "generate.py"), "--only", "2", "--jobs", "2", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )

    assert run.returncode == 0, run.stderr
    assert "10 files" in run.stderr and "for 2 partnerships x 3 years" in run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"partnership-00{n}-{year}{kind}"
        for n in (1, 2)
        for year, kind in ((2024, "-plan.csv"), (2024, ".json"), (2025, "-plan.csv"), (2025, ".json"), (2026, ".json"))
    ]
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (ANSWERS / path.name).read_bytes(), path.name


def test_the_answers_files_are_compact_json_with_sorted_keys_and_a_final_line_end() -> None:
    for path in sorted(ANSWERS.glob("*.json"))[:30]:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), separators=(",", ":"), sort_keys=True) + "\n", path.name


def test_the_shipped_folder_stays_within_its_size_budget() -> None:
    size = sum(path.stat().st_size for path in FOLDER.rglob("*") if path.is_file())

    assert size <= 12.5e6, f"{size / 1e6:.1f} MB"


# --- every file reads as the commands read it ------------------------------------------------------


def test_every_answers_file_loads_and_is_fictional(programme: dict[tuple[int, int], Any]) -> None:
    assert len(programme) == PARTNERSHIPS * len(YEARS)
    for (number, year), (data, assessment) in programme.items():
        assert assessment.partnership == f"Generated partnership {number:03d}"
        assert assessment.assessed_on.year == year and assessment.assessed_on.month in (9, 10, 11)
        assert 3 <= len(data["respondents"]) <= 12
        for person in data["respondents"]:
            org = re.fullmatch(rf"Organisation {number:03d}-([A-Z]+)", person["organisation"])
            assert org, person["organisation"]
            assert re.fullmatch(rf"Respondent {number:03d}-{org[1]}-\d+", person["name"]), person["name"]


def test_every_plan_reads_as_history_actions_reads_it_against_its_own_assessment(
    programme: dict[tuple[int, int], Any], questionnaire: ph.Questionnaire
) -> None:
    statuses: collections.Counter[str] = collections.Counter()
    for path in sorted(ANSWERS.glob("*-plan.csv")):
        match = NAME.fullmatch(path.name)
        assert match
        _, assessment = programme[(int(match[1]), int(match[2]))]
        remedies = {remedy.id for finding in assessment.findings for remedy in finding.remedies}
        if match[1] in ("001", "117"):  # as history actions finds them, from the JSON report
            assert plan_remedies(json.loads(ph.render(assessment, questionnaire, "json"))) == remedies
        rows = read_plan(path, remedies)  # a remedy id not in the assessment's plan is a problem
        assert {row["remedy_id"] for row in rows} == remedies
        for row in rows:
            assert re.fullmatch(rf"Organisation {match[1]}-[A-Z]+", row["owner"]), row
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["due"]) and row["due"] > str(assessment.assessed_on)
            statuses[row["status"]] += 1
    assert set(statuses) == {"done", "in progress", "not started"}
    assert 0.3 <= statuses["done"] / sum(statuses.values()) <= 0.6


def test_a_plan_attached_with_history_actions_is_followed_up_a_year_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "history.db")
    assert main(["assess", str(ANSWERS / "partnership-001-2024.json"), "--save", "--db", db, "--format", "json"]) == 0
    assert main(["history", "--db", db, "actions", "1", str(ANSWERS / "partnership-001-2024-plan.csv")]) == 0
    capsys.readouterr()

    code = main(
        ["assess", str(ANSWERS / "partnership-001-2025.json"), "--compare", "previous", "--db", db, "--format", "json"]
    )

    out, err = capsys.readouterr()
    assert code == 0, err
    follow_up = json.loads(out)["since"]["actions"]["follow_up"]
    assert follow_up and all(each["actions"] for each in follow_up)


# --- the mix a programme view needs ---------------------------------------------------------


def most_said(answers: list[Any]) -> str | None:
    """The choice made most often, "don't know" and blanks left out."""
    counted = collections.Counter(answer for answer in answers if answer not in (None, "dont_know")).most_common(1)
    return counted[0][0] if counted else None


def test_kinds_sizes_and_ages_are_mixed_and_one_kind_is_rare(programme: dict[tuple[int, int], Any]) -> None:
    kinds: collections.Counter[str | None] = collections.Counter()  # as the lead and core partners say
    sizes: collections.Counter[str] = collections.Counter()
    ages: collections.Counter[str | None] = collections.Counter()
    for data, _ in latest(programme):
        said = [p["answers"].get("governance.partnership_type") for p in data["respondents"] if p["role"] != "wider"]
        kinds[most_said(said)] += 1
        counts = [p["answers"].get("governance.partner_count") for p in data["respondents"]]
        median = statistics.median(n for n in counts if isinstance(n, int))
        sizes["2-4" if median <= 4 else "5-9" if median <= 9 else "10-19" if median <= 19 else "20+"] += 1
        said = [p["answers"].get("governance.partnership_age") for p in data["respondents"] if p["role"] != "wider"]
        ages[most_said(said)] += 1

    assert all(kinds[kind] >= 30 for kind in ("collaborative", "coordinated", "cooperative")), kinds
    assert 1 <= kinds["secondment"] <= 2, kinds  # the rare kind: a programme view must suppress it
    assert all(sizes[band] >= 10 for band in ("2-4", "5-9", "10-19", "20+")), sizes
    assert ages["one_to_3_years"] >= 20 and ages["over_3_years"] >= 20, ages  # two years after the first, none is young
    leads_at_first = [
        person["answers"].get("governance.partnership_age")
        for data, _ in (programme[(number, YEARS[0])] for number in range(1, PARTNERSHIPS + 1))
        for person in data["respondents"]
        if person["role"] == "lead"
    ]
    assert sum(age in ("under_6_months", "under_1_year") for age in leads_at_first) >= 20


def test_about_a_third_agree_to_be_named(programme: dict[tuple[int, int], Any]) -> None:
    named = [data.get("named_in_programme", False) for data, _ in latest(programme)]

    assert 0.25 <= sum(named) / len(named) <= 0.42
    for number in range(1, PARTNERSHIPS + 1):  # a lead's choice holds for every year of its partnership
        assert len({programme[(number, year)][0].get("named_in_programme", False) for year in YEARS}) == 1


def test_every_failure_mode_is_diagnosed_in_at_least_three_partnerships_in_the_latest_year(
    programme: dict[tuple[int, int], Any], rulebase: ph.RuleBase
) -> None:
    found = collections.Counter(mode for _, assessment in latest(programme) for mode in modes(assessment))

    assert {mode.id: found[mode.id] for mode in rulebase.failure_modes if found[mode.id] < 3} == {}
    assert readme_coverage() == {mode.id: found[mode.id] for mode in rulebase.failure_modes}


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    """The programme view of the shipped programme, as `programme --format json` writes it."""
    output = tmp_path_factory.mktemp("view") / "view.json"
    assert main(["programme", str(ANSWERS), "--output", str(output), "--jobs", "2"]) == 0
    return Programme.model_validate_json(output.read_text(encoding="utf-8"))


def test_the_views_failure_modes_by_type_size_and_age_match_the_reports_counted_directly(
    programme: dict[tuple[int, int], Any], view: Programme
) -> None:
    """Funders' question on the shipped programme: which failure modes in which kinds, counted from the reports."""
    reports = [contract(assessment) for _, assessment in latest(programme)]
    assert [t.key for t in view.failure_modes_by] == ["type", "size", "age"]
    assert all(c.partnerships >= 15 for t in view.failure_modes_by for c in t.columns)  # 5k: smaller groups joined
    cells = sum(len(t.rows) * len(t.columns) for t in view.failure_modes_by)
    shown = check_by_group(view, reports)
    assert shown >= 0.7 * cells  # the rows of the failure modes found in 21 or more (16 of 30) are shown whole
    for t in view.failure_modes_by:
        for row in t.rows:
            if (row.diagnosed.value or 0) >= 21:
                assert not any(c.hidden for c in row.counts), (t.key, row.id)


def test_the_tables_by_type_size_and_age_read_back_from_every_format_and_name_no_partnership(
    view: Programme, tmp_path: Path
) -> None:
    from partnership_health.programme.render import render_programme

    named = [f"Generated partnership {number:03d}" for number in range(1, PARTNERSHIPS + 1)]
    assert view.named  # some are named elsewhere in the view, so their absence below says something
    md = str(render_programme(view, "md"))
    section = md.split("## Failure modes by kind of partnership", 1)[1].split("\n## ", 1)[0]
    tables = md_tables(section)
    assert len(tables) == 3
    for table, t in zip(tables, view.failure_modes_by, strict=True):
        assert table[0] == [
            "Failure mode",
            *(f"{c.label} (of {c.partnerships})" for c in t.columns),
            f"All (of {view.partnerships})",
        ]
        rows = [r for r in t.rows if r.diagnosed.hidden or r.diagnosed.value]
        assert [row[0] for row in table[1:]] == [r.title for r in rows]
        for row, r in zip(table[1:], rows, strict=True):
            for cell, count, column in zip(row[1:], r.counts, t.columns, strict=False):
                share = f"{round(100 * (count.value or 0) / column.partnerships)}%"
                assert cell == ("–" if count.hidden else f"{count.value} ({share})"), (t.key, r.id, column.key)
    html = str(render_programme(view, "html"))
    by_kind = html.split('<section id="by-kind"', 1)[1].split("</section>", 1)[0]
    assert by_kind.count("<table") == 3 and by_kind.count("<tr>") == 3 + sum(len(table) - 1 for table in tables)
    rows = [row for row in csv.reader(io.StringIO(str(render_programme(view, "csv")))) if " by " in row[0]]
    assert {row[0].rsplit(" by ", 1)[1] for row in rows if row[0].startswith("failure mode")} == {"type", "size", "age"}
    data = json.dumps(view.model_dump(mode="json")["failure_modes_by"])
    for text in (section, by_kind, data, "\n".join(map(str, rows))):
        assert not any(name in text for name in named)
        assert "Generated partnership" not in text


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_the_tables_by_group_fit_a_phone_and_a_desktop_without_sideways_scrolling(
    view: Programme, browser: Any, tmp_path: Path, width: int, height: int
) -> None:
    from partnership_health.programme.render import render_programme

    page_file = tmp_path / "view.html"
    page_file.write_text(str(render_programme(view, "html")), encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        widths = page.evaluate(
            "[...document.querySelectorAll('table.by-group')].map(t => [t.scrollWidth, t.parentElement.clientWidth])"
        )
        assert len(widths) == 3 and all(table <= room for table, room in widths), widths
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.by-group td')).fontSize)") >= 12
    finally:
        context.close()


def readme_coverage() -> dict[str, int]:
    """The failure-mode table of examples/programme/README.md."""
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    return {mode: int(count) for mode, count in re.findall(r"^\| `(\w+)` \| (\d+) \|", text, re.MULTILINE)}


def test_year_on_year_some_findings_resolve_some_persist_and_some_are_new(
    programme: dict[tuple[int, int], Any],
) -> None:
    for before, after in itertools.pairwise(YEARS):
        resolved = persisting = new = 0
        for number in range(1, PARTNERSHIPS + 1):
            then, now = modes(programme[(number, before)][1]), modes(programme[(number, after)][1])
            resolved += len(then - now)
            persisting += len(then & now)
            new += len(now - then)
        assert min(resolved, persisting, new) >= 200, (before, resolved, persisting, new)


def test_healthy_and_troubled_partnerships_both_appear(programme: dict[tuple[int, int], Any]) -> None:
    counts = [len(assessment.findings) for _, assessment in latest(programme)]

    assert sum(n <= 2 for n in counts) >= 40
    assert sum(n >= 10 for n in counts) >= 5


# --- answers that hang together as a questionnaire's do ---------------------------------------


def cronbach_alpha(rows: list[list[int]]) -> float:
    items = len(rows[0])
    variances = sum(statistics.variance(column) for column in zip(*rows, strict=True))
    return items / (items - 1) * (1 - variances / statistics.variance([sum(row) for row in rows]))


def test_each_sections_statements_are_internally_consistent_but_not_copies(
    programme: dict[tuple[int, int], Any], questionnaire: ph.Questionnaire
) -> None:
    for section in questionnaire.sections:
        statements = [q for q in section.questions if q.type == "scale"]
        if len(statements) < 2:
            continue
        rows = []
        for data, _ in latest(programme):
            for person in data["respondents"]:
                given = [person["answers"].get(q.id) for q in statements if q.asks(person["role"])]
                if len(given) == len(statements) and all(isinstance(v, int) for v in given):
                    rows.append([6 - v if q.reverse else v for q, v in zip(statements, given, strict=True)])
        assert len(rows) >= 300, section.id
        assert 0.55 <= cronbach_alpha(rows) <= 0.92, (section.id, round(cronbach_alpha(rows), 2))


def test_most_partnerships_agree_and_some_are_split(programme: dict[tuple[int, int], Any]) -> None:
    gaps = [len(assessment.gaps) for _, assessment in latest(programme)]

    assert sum(n <= 2 for n in gaps) >= 80  # statements the partners see differently
    assert sum(n >= 10 for n in gaps) >= 10
