"""Survey tools: their exports import to the same answers as a hand-written file; our exports work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.models import DONT_KNOW
from partnership_health.surveys import import_answers
from partnership_health.surveys.export import EXPORTS
from partnership_health.surveys.headers import xlsform_name
from partnership_health.surveys.values import accepts_dont_know

from . import survey_shapes as shapes
from .conftest import REPO

PEOPLE = REPO / "examples" / "riverside.yaml"  # the hand-written answers of five people


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def people(answers: ph.Answers) -> list[tuple[str, str, dict[str, object]]]:
    """What an import must keep of each respondent: organisation, role and answers, in order."""
    return [(r.organisation, r.role, dict(r.answers)) for r in answers.respondents]


def survey_sheet(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    rows = list(book["survey"].iter_rows(values_only=True))
    book.close()
    return [{str(k): str(v or "") for k, v in zip(rows[0], row, strict=False)} for row in rows[1:]]


def write_export(tool: str, answers: ph.Answers, q: ph.Questionnaire, folder: Path, xlsform: Path) -> Path:
    if tool == "microsoft-forms":
        path = folder / "microsoft.xlsx"
        shapes.microsoft_forms(answers, q, path)
        return path
    if tool.startswith("kobotoolbox"):
        name, text = shapes.kobo(answers, q, survey_sheet(xlsform), labels=tool.endswith("labels"))
    else:
        name, text = shapes.TEXT_WRITERS[tool](answers, q)
    (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder / name


TOOLS = [
    "google-forms",
    "microsoft-forms",
    "surveymonkey",
    "kobotoolbox",
    "kobotoolbox-labels",
    "odk-central",
    "limesurvey",
    "plain-sheet",
]


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tools_export_imports_to_the_hand_written_answers_and_assesses_the_same(
    tool: str, tmp_path: Path, questionnaire, rulebase, hand_written, xlsform
) -> None:
    path = write_export(tool, hand_written, questionnaire, tmp_path, xlsform)
    if path.suffix == ".csv" and tool not in ("odk-central", "plain-sheet"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the byte order mark those tools write
    if tool.startswith("kobotoolbox"):
        assert path.read_text(encoding="utf-8-sig").split("\n")[0].count(";") > 70
    if tool not in ("kobotoolbox", "odk-central", "plain-sheet"):
        assert "Strongly agree" in _text(path) or "Agree" in _text(path)  # labels, not numbers

    imported = import_answers(path, questionnaire, partnership=hand_written.partnership)

    assert people(imported) == people(hand_written)
    assert any(len(r.answers) < len(questionnaire.questions) for r in imported.respondents)  # a missing answer
    assert all(r.name is None for r in imported.respondents)  # names stay behind unless asked
    ours, theirs = (ph.assess(a, questionnaire, rulebase) for a in (imported, hand_written))
    assert [f.id for f in ours.findings] == [f.id for f in theirs.findings]
    assert ours.scores == theirs.scores


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        return " ".join(str(c) for row in load_workbook(path).active.iter_rows(values_only=True) for c in row)
    return path.read_text(encoding="utf-8-sig")


def test_the_xlsform_converts_with_pyxform_and_names_every_question(xlsform: Path, questionnaire) -> None:
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    xform = convert(xlsform=str(xlsform), warnings=warnings).xform

    assert warnings == []
    rows = survey_sheet(xlsform)
    assert [row["name"] for row in rows[:2]] == ["organisation", "role"]
    groups = [row["name"] for row in rows if row["type"] == "begin_group"]
    assert groups == [section.id for section in questionnaire.sections]
    for question in questionnaire.questions.values():
        assert f"<{xlsform_name(question.id)}/>" in xform
    number = next(q for q in questionnaire.questions.values() if q.type == "number")
    bind = re.search(rf'<bind nodeset="[^"]*/{xlsform_name(number.id)}"[^>]*>', xform)
    assert bind and f". &gt;= {number.min:g} and . &lt;= {number.max:g}" in bind[0]
    helped = next(q for q in questionnaire.questions.values() if q.help)
    assert next(r for r in rows if r["name"] == xlsform_name(helped.id))["hint"] == helped.help
    for label in questionnaire.scale.values():
        assert f"<value>{label}</value>" in xform or f">{label}<" in xform


def test_a_sheet_with_an_unknown_column_a_bad_label_and_a_missing_role_is_refused_whole(
    tmp_path: Path, capsys, questionnaire, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale")
    sheet = tmp_path / "export.csv"
    sheet.write_text(
        "Organisation,Role,Hwo often do we meet,"
        + f'"{scale.text}"\n'
        + "Riverside Library,Lead partner,monthly,Agree\n"
        + "Northside Youth Trust,,weekly,Agree\n"
        + "Riverside College,Core partner,,Agreed strongly\n",
        encoding="utf-8",
    )
    output = tmp_path / "answers.yaml"

    code, _, err = run(capsys, "import", "export.csv", "--output", "answers.yaml")

    assert code == 1
    assert not output.exists()
    lines = err.strip().splitlines()
    assert lines[0] == "3 problems found:"
    assert lines[1].startswith("export.csv:row 1, column C (Hwo often do we meet): header: not a question")
    assert lines[2] == "export.csv:row 3, column B (Role): role: missing: every respondent needs a role"
    assert lines[3].startswith(f"export.csv:row 4, column D ({scale.text[:20]}")
    assert "'Agreed strongly' is not an answer on the agreement scale" in lines[3]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    if scale.id == "governance.data_protocol_followed":  # the README shows this sheet's problems word for word
        assert "\n".join(lines) in readme


def test_the_readme_says_how_to_collect_answers_with_each_export() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Collecting answers") :]
    section = section[: section.index("\n## ", 5)]
    for word in ("import", "assess", *EXPORTS, "Google Forms", "KoboToolbox", "LimeSurvey"):
        assert word in section


def test_an_unknown_column_gets_a_did_you_mean(tmp_path: Path, questionnaire) -> None:
    question = next(q for q in questionnaire.questions.values() if q.type == "yesno")
    typo = question.text.replace("e", "a", 1)
    sheet = tmp_path / "typo.csv"
    sheet.write_text(f'Organisation,Role,"{typo}"\nA,lead,Yes\n', encoding="utf-8")

    with pytest.raises(ph.InputError) as error:
        import_answers(sheet, questionnaire)

    assert f"did you mean '{question.id}'" in error.value.message


def test_a_submission_sent_twice_is_flagged_with_both_rows(tmp_path: Path, questionnaire, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    question = next(q for q in questionnaire.questions.values() if q.type == "scale")
    sheet = tmp_path / "kobo.csv"
    sheet.write_text(
        f"organisation;role;{xlsform_name(question.id)};_uuid\n"
        "A;lead;4;u-1\nB;core;2;u-2\nB;core;3;u-2\nA;lead;4;u-9\n",
        encoding="utf-8",
    )

    with pytest.raises(ph.InputError) as error:
        import_answers("kobo.csv", questionnaire)

    assert [str(issue) for issue in error.value.issues] == [
        "kobo.csv:row 4, column D (_uuid): submission: duplicate of row 3 (the same _uuid); remove one of them",
        "kobo.csv:row 5: submission: duplicate of row 2 (the same organisation, role and answers); remove one of them",
    ]


def test_values_are_read_as_people_answer_them(tmp_path: Path, questionnaire) -> None:
    by_type = {}
    for question in questionnaire.questions.values():
        by_type.setdefault(question.type, question)
    scale, yesno, number, choice = (by_type[t] for t in ("scale", "yesno", "number", "choice"))
    unit = number.unit or ""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        f"Organisation,Role,{scale.id},{yesno.id},{number.id},{choice.id}\n"
        f"A,lead,Strongly agree,yes,{number.min + 1:g} {unit},{choice.choices[0].label.upper()}\n"
        f"B,Core partner,2,No,{number.min:g},{choice.choices[1].id}\n"
        f"C,wider,4 - Agree,,,\n",
        encoding="utf-8",
    )

    answers = import_answers(sheet, questionnaire)

    assert [r.answers for r in answers.respondents] == [
        {scale.id: 5, yesno.id: True, number.id: number.min + 1, choice.id: choice.choices[0].id},
        {scale.id: 2, yesno.id: False, number.id: number.min, choice.id: choice.choices[1].id},
        {scale.id: 4},
    ]
    assert [r.role for r in answers.respondents] == ["lead", "core", "wider"]


def test_a_number_in_another_unit_or_out_of_range_is_located(tmp_path: Path, questionnaire, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    number = next(q for q in questionnaire.questions.values() if q.type == "number" and q.unit)
    sheet = tmp_path / "n.csv"
    sheet.write_text(f"Organisation,Role,{number.id}\nA,lead,3 parsecs\nB,core,{number.max + 1:g}\n", encoding="utf-8")

    with pytest.raises(ph.InputError) as error:
        import_answers("n.csv", questionnaire)

    first, second = (str(issue) for issue in error.value.issues)
    assert first.startswith(
        f"n.csv:row 2, column C ({number.id}): {number.id}: '3 parsecs' is not a number of {number.unit}, "
        f"such as '3' or '3 {number.unit}': 'parsecs' is not a unit this question counts in"
    )
    assert second.startswith(f"n.csv:row 3, column C ({number.id}): {number.id}: must be from")


@pytest.mark.skipif(
    not any(accepts_dont_know(q) for q in ph.load_questionnaire().questions.values()),
    reason="the engine does not take 'dont_know' yet (the trusted-diagnoses work brings it)",
)
def test_dont_know_labels_import_as_dont_know(tmp_path: Path, questionnaire) -> None:
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale" and accepts_dont_know(q))
    sheet = tmp_path / "dk.csv"
    sheet.write_text(
        f'Organisation,Role,{scale.id}\nA,lead,Don\'t know\nB,core,"Don’t know / not applicable"\nC,core,N/A\n',
        encoding="utf-8",
    )

    answers = import_answers(sheet, questionnaire)

    assert [r.answers for r in answers.respondents] == [{scale.id: DONT_KNOW}] * 3


def test_names_leave_the_import_only_when_asked(tmp_path: Path, capsys, hand_written, questionnaire) -> None:
    name, text = shapes.surveymonkey(hand_written, questionnaire)
    (tmp_path / name).write_text(text, encoding="utf-8")

    _, without, _ = run(capsys, "import", str(tmp_path / name))
    _, with_names, _ = run(capsys, "import", str(tmp_path / name), "--keep-names")

    names = [r.name for r in hand_written.respondents if r.name]
    assert names and not any(n in without for n in names)
    assert all(n in with_names for n in names)
    assert "@" not in without


def test_import_writes_an_answers_file_and_assess_reads_the_export_directly(
    tmp_path: Path, capsys, hand_written, questionnaire
) -> None:
    name, text = shapes.google_forms(hand_written, questionnaire)
    export = tmp_path / name
    export.write_text(text, encoding="utf-8")
    answers = tmp_path / "answers.yaml"

    code, out, _ = run(
        capsys, "import", str(export), "--partnership", "Riverside", "--date", "2026-10-05", "--output", str(answers)
    )
    assert code == 0 and "5 respondents written" in out
    from_file = ph.load_answers(answers, questionnaire)
    assert from_file.partnership == "Riverside" and str(from_file.assessed_on) == "2026-10-05"
    assert people(from_file) == people(hand_written)

    code, via_yaml, _ = run(capsys, "assess", str(answers), "--format", "json")
    code2, via_csv, _ = run(capsys, "assess", str(export), "--format", "json")
    assert code == code2 == 0
    import json

    assert json.loads(via_yaml)["findings"] == json.loads(via_csv)["findings"]


def test_a_mapping_file_names_columns_the_import_cannot_guess(tmp_path: Path, questionnaire) -> None:
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale")
    (tmp_path / "map.yaml").write_text(
        f"columns:\n  Partner: organisation\n  Kind: role\n  Q7: {scale.id}\n", encoding="utf-8"
    )
    (tmp_path / "s.csv").write_text("Partner,Kind,Q7\nA,lead,Agree\n", encoding="utf-8")

    mapping = ph.surveys.read_mapping(tmp_path / "map.yaml", questionnaire)
    answers = import_answers(tmp_path / "s.csv", questionnaire, mapping=mapping)

    assert people(answers) == [("A", "lead", {scale.id: 4})]


def test_the_csv_template_filled_in_imports(tmp_path: Path, capsys, questionnaire) -> None:
    template = tmp_path / "template.csv"
    assert run(capsys, "export", "csv-template", "--output", str(template))[0] == 0
    header, hint = template.read_text(encoding="utf-8-sig").splitlines()[:2]
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale")
    column = header.split(",").index(scale.id)
    row = ["Riverside Library", "lead"] + [""] * (len(header.split(",")) - 2)
    row[column] = "5"
    with template.open("a", encoding="utf-8") as out:
        out.write(",".join(row) + "\n")

    answers = import_answers(template, questionnaire)

    assert people(answers) == [("Riverside Library", "lead", {scale.id: 5})]
    assert "1-5" in hint


def test_the_yaml_template_loads_once_answers_are_filled_in(tmp_path: Path, capsys, questionnaire) -> None:
    template = tmp_path / "answers.yaml"
    assert run(capsys, "export", "yaml-template", "--output", str(template))[0] == 0
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale")
    text = template.read_text(encoding="utf-8")
    assert all(f"# {qid}:" in text for qid in questionnaire.questions)
    template.write_text(text.replace(f"# {scale.id}:", f"{scale.id}: 4"), encoding="utf-8")

    answers = ph.load_answers(template, questionnaire)

    assert answers.respondents[0].answers == {scale.id: 4}


def test_the_forms_guide_lists_every_question_and_a_form_built_from_it_imports(
    tmp_path: Path, capsys, questionnaire
) -> None:
    guide = tmp_path / "guide.md"
    assert run(capsys, "export", "forms-guide", "--output", str(guide))[0] == 0
    text = guide.read_text(encoding="utf-8")
    for question in questionnaire.questions.values():
        assert " ".join(question.text.split()) in text
    for label in questionnaire.scale.values():
        assert label in text


def test_the_paper_form_has_a_tick_box_for_every_answer(tmp_path: Path, capsys, questionnaire) -> None:
    html = tmp_path / "paper.html"
    assert run(capsys, "export", "paper", "--output", str(html))[0] == 0
    page = html.read_text(encoding="utf-8")
    boxes = page.count('class="box"')
    expected = 3  # the three roles
    for question in questionnaire.questions.values():
        dont_know = accepts_dont_know(question)
        expected += {"scale": 5, "yesno": 2, "choice": len(question.choices), "number": 0, "text": 0}[question.type]
        expected += dont_know
    assert boxes == expected
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


def test_the_paper_form_prints_as_pdf(tmp_path: Path, capsys) -> None:
    pdf = tmp_path / "paper.pdf"
    assert run(capsys, "export", "paper", "--output", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_one_person_twice_is_one_problem_with_or_without_names_kept(tmp_path: Path, questionnaire, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    scale = next(q for q in questionnaire.questions.values() if q.type == "scale")
    Path("ms.csv").write_text(
        f"Name,Organisation,Role,{scale.id}\n"
        "Alex Morgan,Riverside Library,lead,4\n"
        "Alex Morgan,Riverside Library,lead,2\n",
        encoding="utf-8",
    )

    for keep_names in (False, True):
        with pytest.raises(ph.InputError) as error:
            import_answers("ms.csv", questionnaire, keep_names=keep_names)
        assert [str(issue) for issue in error.value.issues] == [
            "ms.csv:row 3, column A (Name): submission: duplicate of row 2 (the same name and organisation); "
            "remove one of them"
        ]


def test_a_question_asked_of_some_roles_only_is_relevant_to_them_and_refused_from_others_when_strict(
    tmp_path: Path, questionnaire, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = questionnaire.model_dump()
    questions = [question for section in data["sections"] for question in section["questions"]]
    asked = next(question for question in questions if question["type"] == "scale")
    asked["roles"] = ["lead", "core"]
    restricted = ph.Questionnaire.model_validate(data)
    from pyxform.xls2xform import convert

    from partnership_health.surveys.xlsform import xlsform_bytes, xlsform_sheets

    row = next(r for r in xlsform_sheets(restricted)["survey"] if r["name"] == xlsform_name(asked["id"]))
    assert row["relevant"] == "${role} = 'lead' or ${role} = 'core'"
    Path("form.xlsx").write_bytes(xlsform_bytes(restricted))
    assert "relevant=" in convert(xlsform="form.xlsx").xform
    Path("kobo.csv").write_text(
        f"organisation;role;{xlsform_name(asked['id'])}\nA;lead;dont_know\nB;wider;4\n", encoding="utf-8"
    )

    with pytest.raises(ph.InputError) as error:
        import_answers("kobo.csv", restricted, strict=True)

    (problem,) = error.value.issues
    assert str(problem).startswith(f"kobo.csv:row 3, column C ({xlsform_name(asked['id'])}): {asked['id']}: ")
    assert "not asked of the wider role" in str(problem)


def test_an_id_the_xlsform_names_cannot_carry_is_a_clear_error(questionnaire) -> None:
    from partnership_health.surveys.xlsform import xlsform_sheets

    data = questionnaire.model_dump()
    question = data["sections"][0]["questions"][0]
    question["id"] = question["id"].replace(".", ".a__")
    odd = ph.Questionnaire.model_validate(data)

    with pytest.raises(ph.InputError) as error:
        xlsform_sheets(odd)

    assert f"{question['id']}: contains '__'" in error.value.message


def test_a_sheet_without_role_column_and_with_an_unknown_header_lists_both(tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "export.csv"
    sheet.write_text("Timestamp,Hwo often do we meet\n2026-01-01,3\n", encoding="utf-8")

    code = main(["import", str(sheet)])

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [
        "3 problems found:",
        f"{sheet}:row 1: organisation: no Organisation column (head one 'Organisation', or name it in a --mapping "
        "file)",
        f"{sheet}:row 1: role: no Role column (head one 'Role', or name it in a --mapping file)",
        f"{sheet}:row 1, column B (Hwo often do we meet): header: not a question of the questionnaire, nor a known "
        "column",
    ]
