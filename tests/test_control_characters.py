"""No control character from outside reaches a terminal: refused at the door, located, and escaped when printed.

ESC sequences (``ESC c`` resets a terminal, OSC ``ESC ] 0 ;`` sets its title, CSI moves
the cursor) are planted in every kind of input: YAML (raw and ``\\e``), JSON
(``\\u001b``), CSV and XLSX cells, a mapping file, an invitee list, command-line
arguments, a file's name, web form fields and the room link's form, and a database
whose rows were written behind the door's back. Every command's stdout and stderr are
checked for any C0/C1 control character but tab and line feed.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.store.sqlite import Store

from .conftest import MINI, REPO

ESC = "\x1b]0;owned\x07\x1bc\x9b2J"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PEOPLE = REPO / "examples" / "riverside.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    captured = capsys.readouterr()
    printed = out.getvalue() + err.getvalue() + captured.out + captured.err
    assert not RAW.search(printed.replace("\r\n", "\n")), repr(printed)
    return code, printed


def answers_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    path = tmp_path / name
    path.write_text(PEOPLE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "written", "located"),
    [
        (
            "yaml-escape-e",
            '"Riverside\\e]0;owned\\a"',
            ":14:14: file: control character U+001B (ESC), written as an escape",
        ),
        ("yaml-escape-x", '"Riverside\\x9b2J"', ":14:14: file: control character U+009B (CSI), written as an escape"),
        ("yaml-raw-esc", "Riverside\x1bc", ":14:23: file: control character U+001B (ESC) is not allowed"),
    ],
)
def test_a_control_character_in_an_answers_file_is_refused_located_escaped_forms_included(
    tmp_path: Path, capsys, name: str, written: str, located: str
) -> None:
    path = answers_with(tmp_path, f"{name}.yaml", "partnership: Riverside Youth Partnership", f"partnership: {written}")

    for command in (["assess", str(path)], ["history", "show", str(path)]):
        code, printed = run(capsys, *command)
        assert code in (1, 2)
    code, printed = run(capsys, "assess", str(path))
    assert code == 1 and f"{path}{located}" in printed


def test_json_u001b_in_an_answers_file_is_refused_at_its_line(tmp_path: Path, capsys, questionnaire) -> None:
    data = ph.load_answers(PEOPLE, questionnaire).model_dump(mode="json")
    data["respondents"][0]["organisation"] = "Library" + ESC
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")

    code, printed = run(capsys, "assess", str(path))

    assert code == 1 and "control character U+001B (ESC), written as an escape, is not allowed" in printed


def test_a_control_character_in_a_survey_export_a_mapping_or_an_invitee_list_is_refused(
    tmp_path: Path, capsys, questionnaire
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(f"Organisation,Role\nLibrary{ESC},lead\n", encoding="utf-8")
    code, printed = run(capsys, "import", str(export))
    assert code == 1 and f"{export}:row 2, column A: cell: control character U+001B (ESC)" in printed
    code, printed = run(capsys, "assess", str(export))
    assert code == 1 and "U+001B (ESC)" in printed

    mapping = tmp_path / "map.yaml"
    mapping.write_text('columns: {"Partner\\e[2J": organisation}\n', encoding="utf-8")
    code, printed = run(capsys, "import", str(export), "--mapping", str(mapping))
    assert code == 1 and f"{mapping}:1:11: file: control character U+001B (ESC), written as an escape" in printed

    db = tmp_path / "rounds.db"
    code, printed = run(capsys, "round", "create", "--db", str(db), "--partnership", "P")
    invitees = tmp_path / "invitees.csv"
    invitees.write_text("organisation;role;name\nLibrary;Lead partner;Alex\x1bc\n", encoding="utf-8")
    code, printed = run(capsys, "round", "invite", "--db", str(db), "1", "--from", str(invitees))
    assert code == 1 and f"{invitees}:row 2, column C: cell: control character U+001B (ESC)" in printed


@pytest.mark.parametrize(
    "argv",
    [
        ["round", "create", "--db", "{db}", "--partnership", f"P{ESC}"],
        ["round", "invite", "--db", "{db}", "1", "--organisation", f"Library{ESC}", "--role", "lead"],
        ["round", "invite", "--db", "{db}", "1", "--organisation", "Library", "--role", "lead", "--name", ESC],
        ["round", "create", "--db", "{db}", "--partnership", "P", "--url", f"http://x/{ESC}"],
        ["round", "invite", "--db", "{db}", "1", "--organisation", "L", "--role", f"lead{ESC}"],
        [f"assess{ESC}"],
        ["assess", f"/nowhere/{ESC}.yaml"],
        ["import", f"/nowhere/{ESC}.csv"],
        ["assess", "--format", f"md{ESC}", str(PEOPLE)],
    ],
)
def test_arguments_holding_control_characters_are_refused_and_never_echoed_raw(
    tmp_path: Path, capsys, argv: list[str]
) -> None:
    db = tmp_path / "rounds.db"
    run(capsys, "round", "create", "--db", str(db), "--partnership", "P")

    code, printed = run(capsys, *(part.replace("{db}", str(db)) for part in argv))

    assert code in (1, 2)
    assert "\\x1b" in printed or "control character" in printed


def test_what_the_store_holds_is_printed_escaped_by_round_status_list_and_history(tmp_path: Path, capsys) -> None:
    db = tmp_path / "rounds.db"
    run(capsys, "round", "create", "--db", str(db), "--partnership", "Plain")
    Store(db).invite(1, [("Library", "lead", None)])
    with sqlite3.connect(db) as connection:  # written behind the door's back: an old or edited database
        tables = [row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            columns = [row[1] for row in connection.execute(f"pragma table_info({table})")]
            for column in ("partnership", "organisation"):
                if column in columns:
                    connection.execute(f"update {table} set {column} = ? ", (f"X{ESC}",))

    for argv in (["round", "status", "1"], ["round", "list"], ["round", "export", "1"], ["history", "list"]):
        code, printed = run(capsys, *argv[:2], "--db", str(db), *argv[2:])
        if code == 0:
            assert "\\x1b" in printed or "X" not in printed


@pytest.fixture
def web(tmp_path: Path, mini_questionnaire, mini_rulebase):
    from partnership_health.web import create_app

    store = Store(tmp_path / "rounds.db")
    app = create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:  # type: ignore[arg-type]
        yield client, store


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]  # type: ignore[index]


def test_web_form_fields_and_the_room_form_refuse_control_characters_beside_the_field(web, mini_questionnaire) -> None:
    client, store = web
    ref = ph.models.QuestionnaireRef(id=mini_questionnaire.id, version=mini_questionnaire.version)
    import datetime

    made = store.create_round("Mini", datetime.date(2026, 11, 30), ref, 1)
    (person,) = store.invite(made.id, [("Library", "lead", None)])
    text = next(q for q in mini_questionnaire.questions.values() if q.type == "text")
    number = next(n for n, s in enumerate(mini_questionnaire.sections, 1) if text in s.questions)
    link = f"/r/{person.token}"
    client.get(link)
    page = client.get(f"{link}/section/{number}")

    sent = client.post(f"{link}/section/{number}", data={"csrf": _csrf(page.text), text.id: f"fine{ESC}"})

    assert sent.status_code == 400
    assert "control character U+001B (ESC) is not allowed" in sent.text
    assert "\x1b" not in sent.text

    store.set_room(made.id, True)
    room = store.get_round(made.id).room_token
    page = client.get(f"/room/{room}")
    sent = client.post(
        f"/room/{room}", data={"csrf": _csrf(page.text), "organisation": f"Lib{ESC}", "role": "core", "name": ""}
    )
    assert sent.status_code == 400 and "control character U+001B (ESC)" in sent.text
    assert len(store.respondents(made.id)) == 1


def test_a_questionnaire_with_an_escaped_control_character_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "questionnaire.yaml"
    text = (MINI / "questionnaire.yaml").read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M)
    assert title
    path.write_text(text.replace(title[0], 'title: "Mini\\e]0;owned\\a"', 1), encoding="utf-8")

    code, printed = run(capsys, "questionnaire", "--questionnaire", str(path))

    assert code in (1, 2) and "control character U+001B (ESC)" in printed
