"""Faults said plainly: a full disk, a read-only or locked database, a file that is not ours.

Each gets a page on the web (never a bare 500) and one line on the command line that says
what is wrong and what to do, and none changes a file that is not ours. The full disk is a
real 1 MB tmpfs where this machine lets the tests mount one (as root), else SQLite's own
SQLITE_FULL from a page limit; read-only files and folders are read-only mounts as root
(``chmod`` does not stop root), else ``chmod``.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.models import QuestionnaireRef
from partnership_health.store import sqlite as store_module
from partnership_health.store.sqlite import BusyError, DiskFullError, ForeignDatabaseError, ReadOnlyError, Store
from partnership_health.web import create_app

from .test_web import BASE, csrf
from .test_wheel import free_port

MINI = QuestionnaireRef(id="mini", version="1")


def a_round(store: Store, people: int = 1) -> tuple[int, list[str]]:
    """A round of the mini questionnaire with ``people`` invited: its id and their links."""
    found = store.create_round("Mini partnership", datetime.date(2026, 11, 30), MINI, min_group=1)
    invited = store.invite(found.id, [(f"Org {n}", "core", None) for n in range(people)])
    return found.id, [f"/r/{person.token}" for person in invited]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_beside(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name))


def run(*argv: str) -> bool:
    return subprocess.run(argv, capture_output=True).returncode == 0


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def tmpfs(folder: Path, size: str = "1m") -> Iterator[Path]:
    folder.mkdir(exist_ok=True)
    if not run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("this machine does not let the tests mount a tmpfs")
    try:
        yield folder
    finally:
        run("umount", "-l", str(folder))


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (a file or a folder) read-only: a read-only bind mount as root, else chmod."""
    if os.geteuid() == 0:
        assert run("mount", "--bind", str(path), str(path))
        try:
            assert run("mount", "-o", "remount,bind,ro", str(path))
            yield
        finally:
            run("umount", "-l", str(path))
        return
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    try:
        yield
    finally:
        path.chmod(mode)


# --- a full disk --------------------------------------------------------------------------


def fill(folder: Path) -> None:
    """Fill the disk of ``folder`` to the last byte."""
    with open(folder / "filler", "wb", buffering=0) as filler:  # nothing left in a buffer to fail at close
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    assert shutil.disk_usage(folder).free < 65536


def test_on_a_full_disk_pages_that_read_still_work_and_a_save_says_the_disk_is_full(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase, capsys
) -> None:
    if not can_mount():
        pytest.skip("a tmpfs needs root; the injected SQLITE_FULL test covers the page")
    with tmpfs(tmp_path / "disk") as disk:
        store = Store(disk / "rounds.db")
        round_id, (link,) = a_round(store)
        app = create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase)
        person = TestClient(app, base_url=BASE)
        form = person.get(f"{link}/section/1")
        fill(disk)

        start, check, again = person.get(link), person.get(f"{link}/check"), person.get(f"{link}/section/1")
        saved = person.post(
            f"{link}/section/1", data={"csrf": csrf(form.text), "delivery.actions_have_owners": "4" * 9000}
        )
        big = person.post(f"{link}/section/2", data={"csrf": csrf(form.text), "authority.comments": "z" * 9000})

        assert (start.status_code, check.status_code, again.status_code) == (200, 200, 200)
        assert saved.status_code == 400  # a wrong answer is still said at its field
        assert big.status_code == 503 and "The disk is full" in big.text
        assert "free some space" in big.text and "Internal Server Error" not in big.text
        assert store.answers_of(store.respondents(round_id)[0].id) == {}

        # the command line, the server still running: reading works, a write says the disk is full
        code, out, _ = cli(capsys, "round", "list", "--db", str(disk / "rounds.db"))
        assert code == 0 and "Mini partnership" in out
        code, _, err = cli(capsys, "round", "create", "--partnership", "P" * 199, "--db", str(disk / "rounds.db"))
        assert code == 1 and "the disk is full" in err and "not a partnership-health database" not in err
        code, out, err = cli(capsys, "serve", "--db", str(disk / "rounds.db"), "--port", str(free_port()))
        assert (code, out) == (1, "") and err.startswith(f"error: {disk / 'rounds.db'}: the disk is full")

        # the server stopped: the command line still reads the healthy file, and calls it so
        store.close()
        del app, person
        code, out, err = cli(capsys, "round", "list", "--db", str(disk / "rounds.db"))
        assert "not a partnership-health database" not in err
        assert (code, err) == (0, "") and "Mini partnership" in out


class FullStore(Store):
    """A store whose file may not grow past the pages it has: SQLite's own SQLITE_FULL, without root."""

    def _connect(self, *, check_same_thread: bool = True) -> sqlite3.Connection:
        db = super()._connect(check_same_thread=check_same_thread)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db


def test_an_injected_sqlite_full_is_a_page_saying_the_disk_is_full(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    round_id, (link,) = a_round(Store(tmp_path / "rounds.db"))
    store = FullStore(tmp_path / "rounds.db")
    app = create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase)
    person = TestClient(app, base_url=BASE)
    form = person.get(f"{link}/section/2")

    sent = person.post(f"{link}/section/2", data={"csrf": csrf(form.text), "authority.comments": "z" * 9000})

    assert person.get(link).status_code == 200
    assert sent.status_code == 503 and "<h1" in sent.text and "The disk is full" in sent.text
    with pytest.raises(DiskFullError, match="the disk is full, so nothing more can be saved"):
        store.save_section(store.respondents(round_id)[0].id, "authority", {"authority.comments": "z" * 9000})


# --- read-only files and folders ------------------------------------------------------------


@pytest.mark.parametrize("what", ["file", "folder"])
def test_serve_refuses_a_read_only_database_before_printing_any_link(
    tmp_path: Path, what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "rounds.db"
    a_round(Store(db))
    with read_only(db if what == "file" else folder):
        code, out, err = cli(capsys, "serve", "--db", str(db), "--port", str(free_port()))
        listed, listing, listed_err = cli(capsys, "round", "list", "--db", str(db))
        status, told, _ = cli(capsys, "round", "status", "1", "--db", str(db))

    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {db}: cannot be written: ")
    assert ("the file" if what == "file" else "its folder") in err and "read-only" in err
    assert (listed, listed_err) == (0, "") and "Mini partnership" in listing, "reading works read-only"
    assert status == 0 and "1 invited, 0 started, 0 finished" in told


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_a_page_saying_so_and_reading_still_works(
    tmp_path: Path, what: str, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "rounds.db"
    _, (link,) = a_round(Store(db))
    Store(db).app_key()
    with read_only(db if what == "file" else folder):
        app = create_app(db, questionnaire=mini_questionnaire, rules=mini_rulebase)
        person = TestClient(app, base_url=BASE)
        form = person.get(f"{link}/section/1")
        sent = person.post(f"{link}/section/1", data={"csrf": csrf(form.text), "delivery.actions_have_owners": "4"})
        with pytest.raises(ReadOnlyError):
            Store(db).check_writable()

    assert form.status_code == 200
    assert sent.status_code == 503 and "The database is read-only" in sent.text and "make it writable" in sent.text


# --- a locked database ------------------------------------------------------------------------


@contextmanager
def locked(db: Path) -> Iterator[None]:
    """Another program holds a write lock on ``db``."""
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO settings (key, value) VALUES ('other', 'program')")
        yield
        other.execute("ROLLBACK")


def test_a_locked_database_is_a_busy_page_with_retry_after_and_a_cli_line(
    tmp_path: Path,
    mini_questionnaire: ph.Questionnaire,
    mini_rulebase: ph.RuleBase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    db = tmp_path / "rounds.db"
    _, (link,) = a_round(Store(db))
    app = create_app(db, questionnaire=mini_questionnaire, rules=mini_rulebase)
    person = TestClient(app, base_url=BASE)
    form = person.get(f"{link}/section/1")
    with locked(db):
        start = person.get(link)
        sent = person.post(f"{link}/section/1", data={"csrf": csrf(form.text), "delivery.actions_have_owners": "4"})
        code, _, err = cli(capsys, "round", "create", "--partnership", "Another", "--db", str(db))
        with pytest.raises(BusyError):
            Store(db).check_writable()

    assert start.status_code == 200, "reading goes on while another program writes"
    assert sent.status_code == 503 and sent.headers["retry-after"] == "5"
    assert "Busy, try again" in sent.text and "try again in a moment" in sent.text
    assert code == 1 and err.count("\n") == 1 and "the database is busy" in err and "try again" in err
    assert [r.partnership for r in Store(db).rounds()] == ["Mini partnership"]


# --- a file that is not ours ----------------------------------------------------------------


def foreign(db: Path, user_version: int, journal: str = "delete") -> None:
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute(f"PRAGMA journal_mode = {journal}")
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('a note of another application')")
        other.execute(f"PRAGMA user_version = {user_version}")


@pytest.mark.parametrize("user_version", [0, 1, 3, 42])
@pytest.mark.parametrize("command", [["round", "list"], ["round", "create", "--partnership", "P"], ["serve"]])
def test_a_sqlite_file_of_another_application_is_refused_and_left_byte_identical(
    tmp_path: Path, user_version: int, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "notes.sqlite"
    foreign(db, user_version)
    before = db.read_bytes()
    if command == ["serve"]:
        command = ["serve", "--port", str(free_port())]  # a free port: serve binds it before it opens the file

    code, out, err = cli(capsys, *command, "--db", str(db))

    assert code == 1 and out == ""
    assert err == (
        f"error: {db}: a SQLite database of another application, not a partnership-health database "
        "(left unchanged): give --db the file the rounds are kept in, or a new file's name\n"
    )
    assert db.read_bytes() == before
    assert files_beside(db) == ["notes.sqlite"], "no -wal or -shm left behind"
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as other:
        assert [row[0] for row in other.execute("SELECT name FROM sqlite_master")] == ["notes"]
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_wal_file_of_another_database_beside_ours_is_refused_and_every_round_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "rounds.db"
    a_round(Store(db))
    a_round(Store(db))
    before = db.read_bytes()
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other, isolation_level=None)) as writer:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("CREATE TABLE notes (body TEXT)")
        writer.execute("INSERT INTO notes VALUES ('not a round')")
        shutil.copy(f"{other}-wal", f"{db}-wal")  # the other database's log, left beside ours

    code, out, err = cli(capsys, "round", "list", "--db", str(db))

    assert code == 1 and out == ""
    assert re.fullmatch(
        rf"error: {re.escape(str(db))}: the file {re.escape(str(db))}-wal beside it belongs to another database "
        r"\(read through it, the rounds would vanish\): if rounds.db was copied or restored here, move "
        r"rounds.db-wal and rounds.db-shm out of the folder, then try again\n",
        err,
    )
    assert db.read_bytes() == before
    for leftover in files_beside(db)[1:]:
        (tmp_path / leftover).unlink()
    code, out, _ = cli(capsys, "round", "list", "--db", str(db))
    assert code == 0 and out.count("Mini partnership") == 2, "once the log is moved away, every round is there"


def test_a_file_that_is_not_sqlite_is_refused_as_not_ours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("a shopping list, not a database\n" * 100)
    before = db.read_bytes()
    code, _, err = cli(capsys, "round", "list", "--db", str(db))
    assert code == 1 and "not a partnership-health database" in err and err.count("\n") == 1
    assert db.read_bytes() == before


def test_the_web_app_over_another_applications_file_is_refused_before_it_serves(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    foreign(db, 0)
    before = db.read_bytes()
    with pytest.raises(ForeignDatabaseError):
        create_app(db)
    assert db.read_bytes() == before


def test_an_unforeseen_error_is_a_page_saying_what_to_do_not_a_bare_500(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "rounds.db")
    _, (link,) = a_round(store)
    app = create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase)

    def broken(respondent_id: int) -> set[str]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(store, "saved_sections", broken)
    page = TestClient(app, base_url=BASE, raise_server_exceptions=False).get(link)

    assert page.status_code == 500 and "Internal Server Error" not in page.text
    assert "Something went wrong" in page.text and "go back and try again" in page.text
