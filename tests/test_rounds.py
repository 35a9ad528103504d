"""Assessment rounds kept in SQLite: the store and the ``round`` commands."""

from __future__ import annotations

import datetime
import io
import sqlite3
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.store.sqlite import SCHEMA_VERSION, RoundClosedError, Store, StoreError

from .conftest import MINI

MINI_INPUTS = ["--questionnaire", str(MINI / "questionnaire.yaml")]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "rounds.db"


def create_round(db: Path, *extra: str) -> int:
    code, out = run("round", "create", "--db", str(db), "--partnership", "Mini partnership", *MINI_INPUTS, *extra)
    assert code == 0
    return int(out.splitlines()[0])


def test_round_create_prints_the_round_id_alone_then_the_leads_private_link(db: Path) -> None:
    code, out = run(
        "round", "create", "--db", str(db), "--partnership", "Riverside", "--date", "2026-11-30", *MINI_INPUTS
    )

    assert code == 0
    first, second = out.splitlines()
    assert first == "1"
    secret = second.removeprefix("The lead's private link: http://127.0.0.1:8000/lead/enter/").removesuffix("?round=1")
    assert Store(db).lead_secret_valid(secret) and second.endswith("?round=1")
    made = Store(db).get_round(1)
    assert (made.partnership, made.assessed_on, made.questionnaire.id, made.status) == (
        "Riverside",
        datetime.date(2026, 11, 30),
        "mini",
        "open",
    )


def test_round_invite_prints_one_unguessable_private_link_per_respondent(db: Path) -> None:
    round_id = create_round(db)
    links = set()
    for organisation in ("Library", "School"):
        code, out = run(
            "round", "invite", "--db", str(db), str(round_id), "--organisation", organisation, "--role", "core"
        )
        assert code == 0
        links.add(out.strip())

    assert len(links) == 2
    tokens = [link.rsplit("/r/", 1)[1] for link in links]
    assert all(len(token) >= 22 for token in tokens)
    assert {Store(db).respondent(token).organisation for token in tokens} == {"Library", "School"}  # type: ignore[union-attr]


def test_invitees_from_a_csv_come_back_with_their_links(db: Path, tmp_path: Path) -> None:
    round_id = create_round(db)
    invitees = tmp_path / "invitees.csv"
    invitees.write_text("organisation,role,name\nLibrary,lead,Alex Lead\nYouth Trust,core,\nSchool,wider,Sam\n")

    code, out = run("round", "invite", "--db", str(db), str(round_id), "--from", str(invitees))

    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "organisation,role,name,link"
    assert [line.rsplit(",", 1)[0] for line in lines[1:]] == [
        "Library,lead,Alex Lead",
        "Youth Trust,core,",
        "School,wider,Sam",
    ]
    assert len(Store(db).respondents(round_id)) == 3


def test_a_csv_with_bad_rows_names_every_row_and_invites_nobody(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    round_id = create_round(db)
    invitees = tmp_path / "invitees.csv"
    invitees.write_text("organisation,role\nLibrary,lead\nSchool,partner\n,core\n")

    code, out = run("round", "invite", "--db", str(db), str(round_id), "--from", str(invitees))

    assert code == 1
    err = capsys.readouterr().err
    assert f"{invitees}:row 3, column B (role): role: must be one of Lead partner (lead), " in err
    assert "(got 'partner')" in err
    assert f"{invitees}:row 4, column A (organisation): organisation: is required" in err
    assert Store(db).respondents(round_id) == []


def test_round_status_counts_who_answered_by_role_and_organisation_without_answers(db: Path) -> None:
    round_id = create_round(db)
    store = Store(db)
    lead, core, _ = store.invite(
        round_id, [("Library", "lead", "Alex"), ("School", "core", None), ("School", "core", None)]
    )
    store.save_section(lead.id, "authority", {"authority.meeting_weeks": 37, "authority.comments": "secret words"})
    store.finish(lead.id)
    store.save_section(core.id, "delivery", {"delivery.actions_have_owners": 2})

    code, out = run("round", "status", "--db", str(db), str(round_id))

    assert code == 0
    assert "3 invited, 2 started, 1 finished" in out
    assert "lead  1 invited, 1 started, 1 finished" in out
    assert "core  2 invited, 1 started, 0 finished" in out
    assert "School   2 invited, 1 started, 0 finished" in out
    assert "37" not in out and "secret words" not in out and "Alex" not in out


def test_round_export_writes_answers_that_assess_accepts_with_the_same_findings(
    db: Path, tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    round_id = create_round(db, "--min-group", "1")
    store = Store(db)
    people = store.invite(
        round_id, [("Library", "lead", "Alex"), ("Youth Trust", "core", None), ("School", "core", None)]
    )
    given = [
        {"delivery.actions_have_owners": 2, "authority.decisions_shared": 5, "authority.agreement": False},
        {"delivery.actions_have_owners": 3, "authority.decisions_shared": 1, "authority.type": "cooperative"},
        {"authority.decisions_shared": 2, "delivery.talk_only": 5, "authority.comments": "<b>ok</b>: yes"},
    ]
    for person, answers in zip(people, given, strict=True):
        store.save_section(person.id, "all", answers)
    output = tmp_path / "answers.yaml"

    code, out = run("round", "export", "--db", str(db), str(round_id), "--output", str(output))

    assert code == 0 and "--min-group 1" in out
    exported = ph.load_answers(output, mini_questionnaire)
    assert [r.answers for r in exported.respondents] == given
    assert [(r.organisation, r.role, r.name) for r in exported.respondents] == [
        ("Library", "lead", "Alex"),
        ("Youth Trust", "core", None),
        ("School", "core", None),
    ]
    from_file = ph.assess(exported, mini_questionnaire, mini_rulebase)
    from_store = ph.assess(store.round_answers(round_id), mini_questionnaire, mini_rulebase)  # type: ignore[arg-type]
    assert from_file.findings and from_file == from_store


def test_a_closed_round_refuses_answers_and_invitations(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = create_round(db)
    store = Store(db)
    (person,) = store.invite(round_id, [("Library", "lead", None)])
    store.save_section(person.id, "delivery", {"delivery.actions_have_owners": 4})

    code, out = run("round", "close", "--db", str(db), str(round_id), *MINI_INPUTS, "--rules", str(MINI / "rules"))

    assert code == 0 and "closed" in out
    with pytest.raises(RoundClosedError):
        store.save_section(person.id, "delivery", {"delivery.actions_have_owners": 1})
    assert store.answers_of(person.id) == {"delivery.actions_have_owners": 4}
    code, _ = run("round", "invite", "--db", str(db), str(round_id), "--organisation", "School", "--role", "core")
    assert code == 1
    assert "round 1 has closed" in capsys.readouterr().err


def test_a_page_of_answers_is_saved_whole_or_not_at_all(db: Path) -> None:
    round_id = create_round(db)
    store = Store(db)
    (person,) = store.invite(round_id, [("Library", "lead", None)])
    store.save_section(person.id, "delivery", {"delivery.actions_have_owners": 4})

    with pytest.raises(TypeError):
        store.save_section(person.id, "delivery", {"delivery.actions_have_owners": 1, "delivery.talk_only": object()})  # type: ignore[dict-item]

    assert store.answers_of(person.id) == {"delivery.actions_have_owners": 4}
    assert store.saved_sections(person.id) == {"delivery"}


def test_a_database_written_by_a_newer_version_is_refused_with_a_clear_message(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_round(db)
    with sqlite3.connect(db) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    code, _ = run("round", "status", "--db", str(db), "1")

    assert code == 1
    assert "written by a newer version of partnership-health" in capsys.readouterr().err
    with pytest.raises(StoreError, match="Upgrade partnership-health"):
        Store(db)


def test_a_new_database_gets_the_current_schema_in_wal_mode(db: Path) -> None:
    Store(db)

    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)

    code, _ = run("round", "list", "--db", str(bogus))

    assert code == 1
    assert "not a partnership-health database" in capsys.readouterr().err
    assert bogus.read_text().startswith("these are my notes")


def test_an_unknown_round_names_the_rounds_there_are(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_round(db)

    code, _ = run("round", "status", "--db", str(db), "9")

    assert code == 1
    assert "no round '9' (rounds: 1)" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_export_writes_the_raw_responses_as_a_formula_safe_sheet_that_imports_back(
    db: Path, tmp_path: Path, fmt: str, mini_questionnaire: ph.Questionnaire
) -> None:
    round_id = create_round(db)
    store = Store(db)
    people = store.invite(round_id, [('=HYPERLINK("http://x")', "lead", "Alex"), ("Youth Trust", "core", None)])
    given = [
        {"delivery.actions_have_owners": 2, "authority.agreement": False, "authority.comments": "@SUM(A1) +1"},
        {"delivery.actions_have_owners": 3, "authority.type": "cooperative"},
    ]
    for person, answers in zip(people, given, strict=True):
        store.save_section(person.id, "all", answers)
    output = tmp_path / f"responses.{fmt}"

    code, out = run("round", "export", "--db", str(db), str(round_id), "--output", str(output), *MINI_INPUTS)

    assert code == 0 and "The responses of 2 respondents written" in out
    if fmt == "csv":
        cells = [cell for line in output.read_text(encoding="utf-8-sig").splitlines() for cell in line.split(",")]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
        assert "'@SUM(A1) +1" in cells
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(output).active
        assert sheet["B2"].data_type == "s" and sheet["B2"].value == '=HYPERLINK("http://x")'
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    imported = ph.surveys.import_answers(output, mini_questionnaire, assessed_on=datetime.date(2026, 11, 30))
    expected = [dict(answers) for answers in given]
    if fmt == "csv":  # the quote that keeps '@SUM(A1)' from running stays on the text read back
        expected[0]["authority.comments"] = "'@SUM(A1) +1"
    assert [r.answers for r in imported.respondents] == expected
    assert [r.role for r in imported.respondents] == ["lead", "core"]


def test_an_invitee_list_takes_labels_and_semicolons_refuses_a_second_column_and_prints_no_formula(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    round_id = create_round(db)
    invitees = tmp_path / "invitees.csv"
    invitees.write_text(
        'Organisation;Role;Name\n=HYPERLINK("http://evil");Lead partner;Alex\n'
        "Youth Trust;Core;\nSchool;wider partners;Sam\n",
        encoding="utf-8",
    )

    code, out = run("round", "invite", "--db", str(db), str(round_id), "--from", str(invitees))

    assert code == 0, capsys.readouterr().err
    lines = out.splitlines()
    assert lines[1].startswith('"\'=HYPERLINK(""http://evil"")",lead,Alex,')
    assert [line.split(",")[1] for line in lines[1:]] == ["lead", "core", "wider"]

    twice = tmp_path / "twice.csv"
    twice.write_text("organisation,role,organisation\nLibrary,lead,School\n", encoding="utf-8")
    code, out = run("round", "invite", "--db", str(db), str(round_id), "--from", str(twice))
    assert code == 1
    assert f"{twice}:row 1, column C (organisation): organisation: a second organisation column (column A" in (
        capsys.readouterr().err
    )
