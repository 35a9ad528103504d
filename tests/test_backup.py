"""``partnership-health backup``: a consistent copy of a live database, checked, never over a file by surprise."""

from __future__ import annotations

import datetime
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from partnership_health.cli import main
from partnership_health.models import QuestionnaireRef
from partnership_health.store.sqlite import Store

REF = QuestionnaireRef(id="mini", version="1")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    store = Store(tmp_path / "rounds.db")
    for name in ("Riverside", "Eastbrook"):
        found = store.create_round(name, datetime.date(2026, 11, 30), REF, min_group=1)
        store.invite(found.id, [("Library", "lead", None), ("School", "core", "Sam")])
    return store.path


def test_backup_copies_the_database_checks_it_and_says_what_it_holds(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    code, out, err = cli(capsys, "backup", "--db", str(db), str(copy))

    assert (code, err) == (0, "")
    assert out == (
        f"Copied {db} to {copy}: 2 rounds, 4 respondents, 0 saved assessments; "
        "the copy passed SQLite's integrity check.\n"
        f"The key of its private links is copied to {copy}.link-key: keep the two together "
        "(without the key the links still open, but cannot be shown or sent again).\n"
    )
    assert [r.partnership for r in Store(copy).rounds()] == ["Riverside", "Eastbrook"]
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == ["copy.db", "copy.db.link-key", "rounds.db", "rounds.db.link-key"], "no partial file left"
    assert (tmp_path / "copy.db.link-key").stat().st_mode & 0o777 == 0o600
    # Restored from the copy, the lead can still show and send every link: the same links as before.
    links = [person.token for person in Store(db).respondents(1)]
    assert all(links) and [person.token for person in Store(copy).respondents(1)] == links


def test_backup_refuses_to_overwrite_a_file_without_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_text("last week's copy")

    code, out, err = cli(capsys, "backup", "--db", str(db), str(copy))
    assert code == 1 and out == ""
    assert err == f"{copy}: exists already: give --force to replace it, or another name\n"
    assert copy.read_text() == "last week's copy"

    code, out, _ = cli(capsys, "backup", "--db", str(db), str(copy), "--force")
    assert code == 0 and "2 rounds" in out and len(Store(copy).rounds()) == 2


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_backup_never_writes_over_the_database_itself(
    db: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db.read_bytes()
    code, _, err = cli(capsys, "backup", "--db", str(db), f"{db}{suffix}", "--force")
    assert code == 1 and "is the database itself" in err
    assert db.read_bytes() == before


def test_backup_of_a_missing_database_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "backup", "--db", str(tmp_path / "none.db"), str(tmp_path / "copy.db"))
    assert code == 1 and "no such database" in err
    assert not (tmp_path / "copy.db").exists()


def test_a_backup_taken_while_another_thread_writes_is_whole_and_consistent(db: Path, tmp_path: Path) -> None:
    store = Store(db)
    round_id = store.rounds()[0].id
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:  # each transaction adds a respondent and an answer of theirs, together
        while not stop.is_set():
            (person,) = store.invite(round_id, [("Clinic", "wider", None)])
            store.save_section(person.id, "delivery", {"delivery.actions_have_owners": 4})
            written.append(person.id)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        copies = []
        for number in range(3):
            copy = tmp_path / f"copy-{number}.db"
            copies.append((copy, store.backup(copy)))
    finally:
        stop.set()
        writer.join()

    assert len(written) > 5
    for copy, counted in copies:
        with closing(sqlite3.connect(copy)) as copied:
            assert copied.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            people = copied.execute("SELECT count(*) FROM respondents").fetchone()[0]
            answered = copied.execute("SELECT count(DISTINCT respondent_id) FROM answers").fetchone()[0]
        assert people == counted.respondents
        assert 4 + 5 <= people <= 4 + len(written) + 1
        assert answered in (people - 4, people - 4 - 1), "a respondent without their answer is mid-section only"
    assert Store(db).status(round_id).invited == 2 + len(written), "the writer was never held up for good"
