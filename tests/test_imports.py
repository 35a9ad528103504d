"""Imports that lose no respondent: every row accounted for, dates as the tools write them, roles."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.surveys import Imported, import_survey

from . import survey_shapes as shapes
from .conftest import MINI
from .test_surveys import TOOLS, write_export

SUMMARY = re.compile(r": (\d+) rows? read, (\d+) respondents?, (\d+) rows? skipped")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def arithmetic(err: str) -> tuple[int, int, int]:
    found = SUMMARY.search(err)
    assert found, err
    read, people, skipped = map(int, found.groups())
    assert read == people + skipped, err
    return read, people, skipped


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tools_export_says_rows_read_respondents_and_rows_skipped_that_add_up(
    tool: str, tmp_path: Path, capsys, questionnaire, hand_written, xlsform
) -> None:
    path = write_export(tool, hand_written, questionnaire, tmp_path, xlsform)

    code, out, err = run(capsys, "import", str(path), "--date", "2026-10-05")

    assert code == 0, err
    assert arithmetic(err) == (5, 5, 0)


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tools_export_is_dated_by_its_latest_submission_as_the_tool_writes_it(
    tool: str, tmp_path: Path, capsys, questionnaire, hand_written, xlsform
) -> None:
    path = write_export(tool, hand_written, questionnaire, tmp_path, xlsform)

    code, out, err = run(capsys, "import", str(path))

    assert code == 0, err
    if tool == "plain-sheet":  # no submission time: today, and said so
        assert f"assessed_on: '{datetime.date.today().isoformat()}'" in out and "dated today" in err
    else:
        assert "assessed_on: '2026-10-15'" in out and "dated today" not in err


def test_blank_rows_and_the_template_row_are_skipped_rows_that_add_up(tmp_path: Path, capsys, questionnaire) -> None:
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale")
    path = tmp_path / "s.csv"
    path.write_text(
        f"organisation,role,{scale.id}\nname,lead | core | wider,1-5\nA,lead,4\n,,\nB,core,5\n,,\n", encoding="utf-8"
    )
    from partnership_health.surveys.importing import ROLE_HINT

    path.write_text(path.read_text().replace("lead | core | wider", ROLE_HINT))

    code, _, err = run(capsys, "import", str(path), "--date", "2026-10-05")

    assert code == 0, err
    assert arithmetic(err) == (4, 2, 2)
    assert "row 2: the csv template's row of allowed answers; row 4: blank" in err


def test_an_unclosed_quote_is_located_by_its_row_not_swallowed(tmp_path: Path, capsys, questionnaire) -> None:
    text = next(q for q in questionnaire.questions.values() if q.type == "text")
    path = tmp_path / "google.csv"
    path.write_text(
        f'Organisation,Role,{text.id}\nA,Lead partner,fine\nB,Core partner,"we meet\nC,Core partner,ok\n'
        "D,Wider partner,ok\n",
        encoding="utf-8",
    )

    code, out, err = run(capsys, "import", str(path), "--date", "2026-10-05")

    assert code == 1 and out == ""
    assert f"{path}:row 3: file: a quote opened in this row (line 3 of the file) is never closed" in err


def test_a_quote_closed_rows_later_is_refused_at_the_cell_it_opened_in(tmp_path: Path, capsys, questionnaire) -> None:
    text = next(q for q in questionnaire.questions.values() if q.type == "text")
    path = tmp_path / "google.csv"
    path.write_text(
        f'Organisation,Role,Email,{text.id}\nA,Lead partner,a@x,fine\nB,Core partner,b@x,"we meet\n'
        'C,Core partner,c@x,ok\nD,Wider partner,d@x,ok"\n',
        encoding="utf-8",
    )

    code, _, err = run(capsys, "import", str(path), "--date", "2026-10-05")

    assert code == 1
    assert f"{path}:row 3, column D: file: a quote opened in this cell runs over 2 more lines" in err


def test_a_comment_over_several_lines_with_commas_in_a_narrow_sheet_is_an_answer(
    tmp_path: Path, capsys, questionnaire
) -> None:
    text = next(q for q in questionnaire.questions.values() if q.type == "text")
    path = tmp_path / "s.csv"
    path.write_text(f'Organisation,Role,{text.id}\nA,lead,"We met, talked, agreed\nthen: plan, act"\n')

    code, out, err = run(capsys, "import", str(path), "--date", "2026-10-05")

    assert code == 0, err
    assert arithmetic(err) == (1, 1, 0)


# --- dates --------------------------------------------------------------------------------

GOOGLE_CSV = ["2026/03/05 11:02:17 AM GMT", "2026/03/09 9:12:00 AM GMT", "2026/03/11 3:40:51 PM GMT",
              "2026/03/14 10:00:00 AM GMT", "2026/03/16 8:30:05 PM GMT"]  # fmt: skip
SHEETS = ["3/5/2026 11:02:17", "3/9/2026 9:12:00", "3/11/2026 15:40:51", "3/14/2026 10:00:00", "3/16/2026 20:30:05"]


def _google(answers: ph.Answers, questionnaire: ph.Questionnaire, stamps: list[str]) -> str:
    _, text = shapes.google_forms(answers, questionnaire)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    for row, stamp in zip(rows[1:], stamps, strict=True):
        row[0] = stamp
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def two_wider(hand_written: ph.Answers, questionnaire: ph.Questionnaire) -> ph.Answers:
    """The five people, two of them wider partners who were asked (and answered) every question."""
    restricted = [qid for qid, q in questionnaire.questions.items() if q.roles]
    assert restricted, "the questionnaire restricts some questions to some roles"
    people = [r.model_dump() for r in hand_written.respondents]
    people[3]["role"] = "wider"
    for person in people[3:]:
        for qid in restricted:
            question = questionnaire.questions[qid]
            typed = {"scale": 4, "yesno": True, "number": question.min, "text": "asked anyway"}
            value = question.choice_ids[0] if question.type == "choice" else typed[question.type]
            person["answers"].setdefault(qid, value)
    data = hand_written.model_dump()
    data["respondents"] = people
    return ph.Answers.model_validate(data)


def test_a_google_forms_csv_and_its_sheet_import_to_the_same_answers_with_the_true_date(
    tmp_path: Path, capsys, questionnaire, two_wider
) -> None:
    (tmp_path / "forms.csv").write_text(_google(two_wider, questionnaire, GOOGLE_CSV), encoding="utf-8")
    (tmp_path / "sheet.csv").write_text(_google(two_wider, questionnaire, SHEETS), encoding="utf-8")
    restricted = {qid for qid, q in questionnaire.questions.items() if q.roles}

    results = []
    for name in ("forms.csv", "sheet.csv"):
        code, out, err = run(capsys, "import", str(tmp_path / name))
        assert code == 0, err
        assert arithmetic(err) == (5, 5, 0)
        warnings = [line for line in err.splitlines() if ": warning: " in line]
        answered = {qid for person in two_wider.respondents[3:] for qid in person.answers} & restricted
        assert len(warnings) == len(answered)  # one line per question, not one per cell
        assert all("2 answers dropped (rows 5, 6)" in line for line in warnings)
        results.append(out)

    for name, text in zip(("forms.yaml", "sheet.yaml"), results, strict=True):
        (tmp_path / name).write_text(text, encoding="utf-8")
    forms, sheet = (ph.load_answers(tmp_path / name, questionnaire) for name in ("forms.yaml", "sheet.yaml"))
    assert forms.assessed_on == sheet.assessed_on == datetime.date(2026, 3, 16)
    assert [r.answers for r in forms.respondents] == [r.answers for r in sheet.respondents]
    assert all(not (set(r.answers) & restricted) for r in forms.respondents if r.role == "wider")


def test_strict_refuses_a_wider_partners_answer_to_a_lead_and_core_question(
    tmp_path: Path, capsys, questionnaire, two_wider
) -> None:
    (tmp_path / "forms.csv").write_text(_google(two_wider, questionnaire, GOOGLE_CSV), encoding="utf-8")

    code, out, err = run(capsys, "import", str(tmp_path / "forms.csv"), "--strict")

    assert code == 1 and out == ""
    assert "not asked of the wider role" in err


@pytest.mark.parametrize(
    ("stamps", "option", "expected"),
    [
        (["3/5/2026 11:02:17", "3/9/2026 9:12:00"], [], "may be 3 May 2026 or 5 March 2026"),
        (["3/5/2026 11:02:17", "3/9/2026 9:12:00"], ["--date-format", "MM/DD/YYYY"], "2026-03-09"),
        (["3/5/2026 11:02:17", "3/9/2026 9:12:00"], ["--date-format", "dd/mm/yyyy"], "2026-09-03"),
        (["13/5/2026 11:02", "3/14/2026 9:12"], [], "puts the day second, but row 2 puts it first"),
        (["2026-02-30 10:00:00", "2026-03-01 10:00:00"], [], "is not a date: February 2026 has 28 days"),
        (["2026-03-05T11:02:17.123Z", "2026-03-06T01:02:17.000+01:00"], [], "2026-03-06"),
        (["03/05/2026 11:02:17 AM", "03/25/2026 11:02:17 PM"], [], "2026-03-25"),
        (["yesterday", "2026-03-01"], [], "'yesterday' is not a date the import reads"),
        (["2026-02-30 10:00:00", "nonsense"], ["--date", "2026-04-01"], "2026-04-01"),
    ],
)
def test_submission_dates_are_read_as_the_tools_write_them_or_refused_located(
    tmp_path: Path, capsys, stamps: list[str], option: list[str], expected: str
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Timestamp,Organisation,Role\n" + "".join(f"{s},Org {n},lead\n" for n, s in enumerate(stamps)),
        encoding="utf-8",
    )

    code, out, err = run(capsys, "import", str(path), *option)

    if re.fullmatch(r"\d{4}-\d\d-\d\d", expected):
        assert code == 0, err
        assert f"assessed_on: '{expected}'" in out
    else:
        assert code == 1
        assert f"{path}:row " in err and ", column A (Timestamp): time: " in err and expected in err, err
        assert len(err.strip().splitlines()) == 2  # "1 problem found:" and the one located line


def test_an_export_without_submission_times_is_dated_today_and_says_so(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Organisation,Role\nA,lead\n", encoding="utf-8")

    code, out, err = run(capsys, "import", str(path))

    assert code == 0
    today = datetime.date.today().isoformat()
    assert f"assessed_on: '{today}'" in out
    assert f"{path}: warning: assessed_on: no submission time in the file: the assessment is dated today" in err


def test_the_forms_guide_the_paper_form_and_the_templates_mark_the_role_restricted_questions(
    tmp_path: Path, capsys, questionnaire
) -> None:
    restricted = [q for q in questionnaire.questions.values() if q.roles]
    for kind in ("forms-guide", "paper", "csv-template", "yaml-template"):
        out = tmp_path / f"{kind}.out"
        assert run(capsys, "export", kind, "--output", str(out))[0] == 0
        text = " ".join(out.read_text(encoding="utf-8-sig").split())
        if kind == "paper":  # an HTML page: its apostrophes are escaped
            text = html.unescape(text)
        if kind == "csv-template":
            header, hints = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[:2]
            text = " ".join(f"{h} {hint}" for h, hint in zip(header, hints, strict=True))
        for question in restricted:
            shown = question.id if kind.endswith("template") else " ".join(question.text.split())
            at = text.index(shown)
            near = text[at : at + len(shown) + 200]
            assert "lead and core partners only" in near or "(lead and core only)" in near, (kind, question.id)


def test_an_import_whose_answers_file_assess_would_refuse_for_size_is_refused_and_writes_nothing(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Organisation,Role\n" + "".join(f"Org {n},core\n" for n in range(300)), encoding="utf-8")
    monkeypatch.setenv("PARTNERSHIP_HEALTH_MAX_FILE_MB", "0.01")  # the CSV is 5 KB; its answers file is more
    mini = ["--questionnaire", str(MINI / "questionnaire.yaml")]

    code, out, err = run(
        capsys, "import", str(path), "--date", "2026-10-05", "--output", str(tmp_path / "a.yaml"), *mini
    )

    assert code == 1 and not (tmp_path / "a.yaml").exists()
    assert f"{path}: file: makes an answers file of 0.0" in err and "MB, more than the 0.01 MB assess reads" in err


def test_a_workbook_with_a_style_no_check_foresaw_is_one_line_not_a_traceback(tmp_path: Path, capsys) -> None:
    import zipfile

    from .test_hostile_files import xlsx

    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/styles.xml":
                data = data.replace(b'numFmtId="22"', b'numFmtId="twenty-two"')
            target.writestr(item, data)

    code, out, err = run(capsys, "import", str(path), "--date", "2026-10-05")

    assert code == 1 and "Traceback" not in err
    assert f"{path}: file: cannot be read (" in err


def test_import_survey_gives_the_answers_and_the_account_of_every_row(tmp_path: Path, questionnaire) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Organisation,Role\nA,lead\n,\nB,core\n", encoding="utf-8")

    imported = import_survey(path, questionnaire, assessed_on=datetime.date(2026, 10, 5))

    assert isinstance(imported, Imported)
    assert (imported.rows_read, len(imported.answers.respondents), imported.skipped) == (3, 2, ((3, "blank"),))
    assert imported.summary() == f"{path}: 3 rows read, 2 respondents, 1 row skipped (row 3: blank)"
