"""The one module that opens SQLite: assessment rounds, invitees and their answers, and saved assessments.

Everything the web app, the ``round`` and the ``history`` commands know lives in one
SQLite file: the rounds being answered, and (schema 2) every assessment saved for year
on year comparison, with the action plan attached to it. The
schema is versioned with ``PRAGMA user_version`` and brought up to date by additive
migrations when the file is opened; a file written by a newer version is refused. The
file is in WAL mode with ``synchronous=FULL``, and every write runs in one
``BEGIN IMMEDIATE`` transaction, so an answer confirmed to a respondent survives the
server being killed the moment after.

A connection is opened per operation (cheap for SQLite), so the store can be used from
the web server's worker threads without sharing a connection between them.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..core.checks import MAX_TEXT_LENGTH
from ..errors import EngineError
from ..models import ROLES, Answers, AnswerValue, QuestionnaireRef, Respondent
from ..options import MIN_GROUP, AssessOptions

# Each entry moves the schema from version i to i + 1. Only ever append: a database
# written by this version must open in every later one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE lead_sessions (token TEXT PRIMARY KEY, created_at TEXT NOT NULL);
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        partnership TEXT NOT NULL,
        assessed_on TEXT NOT NULL,
        questionnaire_id TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        min_group INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        room_token TEXT NOT NULL UNIQUE,
        room_open INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE TABLE respondents (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        token TEXT NOT NULL UNIQUE,
        name TEXT,
        organisation TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('lead', 'core', 'wider')),
        via TEXT NOT NULL CHECK (via IN ('invite', 'room')),
        created_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX respondents_by_round ON respondents (round_id);
    CREATE TABLE answers (
        respondent_id INTEGER NOT NULL REFERENCES respondents (id),
        question_id TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (respondent_id, question_id)
    );
    CREATE TABLE saved_sections (
        respondent_id INTEGER NOT NULL REFERENCES respondents (id),
        section_id TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (respondent_id, section_id)
    );
    """,
    # 2: assessments kept for year on year comparison, and the action plans attached to them
    """
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        partnership TEXT NOT NULL,
        assessed_on TEXT NOT NULL,
        questionnaire_id TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        rulebase_version TEXT NOT NULL,
        answers TEXT NOT NULL,
        report TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX assessments_by_partnership ON assessments (partnership, assessed_on, id);
    CREATE TABLE action_plans (
        assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
        rows TEXT NOT NULL,
        attached_at TEXT NOT NULL
    );
    """,
    # 3: the report options an assessment was saved with (by, min_group, show_respondents, gaps), so that
    # re-rendering it keeps small groups merged as they were
    """
    ALTER TABLE assessments ADD COLUMN options TEXT NOT NULL DEFAULT '{}'
    """,
    # 4: whether a round's reports may list respondents by name, chosen with the round, before anyone
    # answers (the start page tells each respondent)
    """
    ALTER TABLE rounds ADD COLUMN show_names INTEGER NOT NULL DEFAULT 0
    """,
    # 5: lead accounts (argon2 password hashes), sessions and the lead's private links kept only as SHA-256
    # hashes of their tokens, and each round's owner (NULL: the operator's local lead, who signs in with the
    # private link 'serve' prints); the assessment kept from a round belongs to the round's lead. The old
    # plaintext lead secret and sessions are dropped: 'serve' prints a new link.
    """
    CREATE TABLE leads (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        lead_id INTEGER REFERENCES leads (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE lead_links (token_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL);
    ALTER TABLE rounds ADD COLUMN lead_id INTEGER REFERENCES leads (id);
    ALTER TABLE assessments ADD COLUMN lead_id INTEGER REFERENCES leads (id);
    DELETE FROM lead_sessions;
    DELETE FROM settings WHERE key = 'lead_secret'
    """,
    # 6: live sessions in the room: the phones that joined (a hash of each one's cookie, its role), the
    # statements voted on (a first vote and one after the discussion), the votes, and the actions agreed
    """
    CREATE TABLE live_sessions (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        code TEXT NOT NULL UNIQUE,
        ask_organisation INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        ended_at TEXT
    );
    CREATE TABLE live_participants (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES live_sessions (id),
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('lead', 'core', 'wider')),
        organisation TEXT,
        joined_at TEXT NOT NULL
    );
    CREATE TABLE live_polls (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES live_sessions (id),
        question_id TEXT NOT NULL,
        stage INTEGER NOT NULL DEFAULT 1 CHECK (stage IN (1, 2)),
        open INTEGER NOT NULL DEFAULT 1,
        note TEXT NOT NULL DEFAULT '',
        opened_at TEXT NOT NULL
    );
    CREATE TABLE live_votes (
        poll_id INTEGER NOT NULL REFERENCES live_polls (id),
        stage INTEGER NOT NULL CHECK (stage IN (1, 2)),
        participant_id INTEGER NOT NULL REFERENCES live_participants (id),
        value TEXT NOT NULL,
        voted_at TEXT NOT NULL,
        PRIMARY KEY (poll_id, stage, participant_id)
    );
    CREATE TABLE live_actions (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES live_sessions (id),
        finding TEXT NOT NULL,
        remedy_id TEXT NOT NULL,
        remedy TEXT NOT NULL,
        action TEXT NOT NULL,
        owner TEXT NOT NULL,
        due TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    """,
    # 7: the lead's pages: an invitee's email address; links withdrawn by the lead (the old token's
    # SHA-256 says "withdrawn", not "does not work"); a private link's generation: when set, the token
    # column holds the SHA-256 of the link, which is an HMAC of the respondent id and generation under
    # the key file beside the database (NULL: a link made before, kept in plain text); the outbox, one
    # row per (respondent, kind, batch), so that a form sent twice sends no message twice
    """
    ALTER TABLE respondents ADD COLUMN email TEXT;
    ALTER TABLE respondents ADD COLUMN withdrawn_at TEXT;
    ALTER TABLE respondents ADD COLUMN generation INTEGER;
    CREATE TABLE withdrawn_links (
        token TEXT PRIMARY KEY,
        respondent_id INTEGER NOT NULL REFERENCES respondents (id),
        withdrawn_at TEXT NOT NULL
    );
    CREATE TABLE outbox (
        respondent_id INTEGER NOT NULL REFERENCES respondents (id),
        kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
        batch TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
        error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (respondent_id, kind, batch)
    )
    """,
    # 8: the programme view (issue 23), both off by default: whether the lead shares a kept assessment with
    # the programme, and whether the programme may name the partnership. A round carries them too, and its
    # kept assessment starts from the round's. An operator's account sees the programme page.
    """
    ALTER TABLE assessments ADD COLUMN shared_with_programme INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE assessments ADD COLUMN named_in_programme INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rounds ADD COLUMN shared_with_programme INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rounds ADD COLUMN named_in_programme INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE leads ADD COLUMN operator INTEGER NOT NULL DEFAULT 0
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _sqlite_error(code: int, text: str) -> sqlite3.OperationalError:
    """The error SQLite would raise (a read-only file, a full disk), made here for a check that writes nothing."""
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code
    return error


def _write_private(path: Path, data: bytes, *, replace: bool = False) -> None:
    """``data`` written to ``path`` whole or not at all, readable by its owner only (mode 0600).

    An existing ``path`` is replaced only when ``replace`` (FileExistsError otherwise).
    """
    spare = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    try:
        descriptor = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(spare, path)
        else:
            os.link(spare, path)
    finally:
        spare.unlink(missing_ok=True)


def _write_ahead_log(db: sqlite3.Connection, wait: float = 30.0) -> None:
    """Switch the file to write-ahead logging (it stays so), waiting while another process holds it.

    SQLite answers "database is locked" at once to a change of journal mode while another
    connection is writing (say, creating the same new file): the busy timeout does not apply.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class StoreError(EngineError):
    """The database cannot be used (written by a newer version, not a database, ...)."""


class RoundClosedError(StoreError):
    """The round has closed: its answers can no longer change."""


class TooLongError(StoreError, ValueError):
    """A text past its limit (:data:`TEXT_LIMITS`): nothing was written."""


class StoreFault(StoreError):
    """The database cannot be used just now, said plainly: what is wrong and what to do.

    The web app shows ``title`` and the message with ``status`` (and ``Retry-After`` when
    ``retry_after`` is set); the command line prints the message on one line.
    """

    status = 503
    title = "The database cannot be used"
    retry_after: int | None = None


class DiskFullError(StoreFault):
    """The disk holding the database is full: nothing more can be written (reading still works)."""

    title = "The disk is full"


class BusyError(StoreFault):
    """Another program has held the database for writing past the busy timeout."""

    title = "Busy, try again"
    retry_after = 5


class ReadOnlyError(StoreFault):
    """The database file, or the folder it is in, cannot be written."""

    title = "The database is read-only"


class ForeignDatabaseError(StoreFault):
    """A SQLite file of another application (or a ``-wal`` file of another database beside ours)."""

    title = "Not a partnership-health database"


# The longest text each field of the store takes, in characters (a name, an organisation ...).
# The web forms and the command line check against these before anything is written.
TEXT_LIMITS: dict[str, int] = {
    "partnership": 200,
    "organisation": 200,
    "name": 200,
    "email": 320,  # RFC 5321: 64 + 1 + 255
    "note": 5_000,
    "answer": MAX_TEXT_LENGTH,  # a free-text answer, as the engine takes it
}


def text_problem(field_name: str, value: str | None) -> str | None:
    """Why ``value`` is too long for ``field_name`` (the problem in words), or None."""
    limit = TEXT_LIMITS.get(field_name)
    if value is None or limit is None or len(value) <= limit:
        return None
    return f"'{field_name}' must be at most {limit:,} characters (got {len(value):,})"


def check_lengths(**fields: str | None) -> None:
    """Raise :class:`TooLongError` naming the first field past its limit."""
    for name, value in fields.items():
        problem = text_problem(name, value)
        if problem:
            raise TooLongError(problem)


BUSY_TIMEOUT = 30.0  # seconds a write waits while another program writes, before "busy, try again"
_MAX_ID = 2**63 - 1  # SQLite's integers are 64-bit: a larger id is none of ours


def row_id(value: int | str) -> int | None:
    """An id as SQLite can hold it (ASCII digits, 1 to 2**63 - 1), or None."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= _MAX_ID else None


_FULL = 1 << 20  # bytes: with less free than this, the disk is full for SQLite (a page, a -shm, a -wal frame)


def _disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has too little room left for SQLite to write."""
    try:
        return shutil.disk_usage(path.parent if path.parent.exists() else Path.cwd()).free < _FULL
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """Whether ``path`` can be written (``os.access`` says no on a read-only mount, even to root)."""
    return os.access(path, os.W_OK)


def _fault(path: Path, error: sqlite3.Error) -> StoreError | None:
    """What SQLite's ``error`` means for the user of ``path``, or None for an error that is a bug."""
    code = int(getattr(error, "sqlite_errorcode", 0) or 0)
    primary = code & 0xFF
    folder = path.parent
    if primary == sqlite3.SQLITE_FULL or (primary == sqlite3.SQLITE_IOERR and _disk_full(path)):
        return DiskFullError(
            f"{path}: the disk is full, so nothing more can be saved (what was saved before is kept): "
            "free some space on it, then try again"
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return BusyError(
            f"{path}: the database is busy: another program has been writing to it for too long; try again in a moment"
        )
    if primary == sqlite3.SQLITE_READONLY or (primary == sqlite3.SQLITE_CANTOPEN and path.exists()):
        where = (
            f"its folder {folder} is read-only (SQLite writes its -wal and -shm files beside the database)"
            if not _writable(folder)
            else f"the file {path} is read-only"
            if path.exists() and not _writable(path)
            else f"SQLite cannot write it ({error})"
        )
        return ReadOnlyError(
            f"{path}: cannot be written: {where}; make it writable, or copy the database somewhere writable "
            "(partnership-health backup makes a copy) and use the copy"
        )
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return ForeignDatabaseError(
            f"{path}: not a partnership-health database ({error}): give --db the file the rounds are kept in"
        )
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return StoreFault(f"{path}: cannot be read or written ({error}): check the disk and the file, then try again")
    return None


@contextmanager
def _faults(path: Path) -> Iterator[None]:
    """SQLite's operational errors (a full disk, a lock, a read-only file ...) raised as :class:`StoreFault`."""
    try:
        yield
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
        if isinstance(error, sqlite3.IntegrityError):
            raise
        said = _fault(path, error)
        if said is None:
            raise
        raise said from error


# Tables the first migration made that every later schema keeps: a file whose schema lacks one is not
# ours (a migration that drops or renames one of them must change this).
_OUR_TABLES = frozenset({"settings", "rounds", "respondents", "answers"})


@dataclass(frozen=True)
class Round:
    id: int
    partnership: str
    assessed_on: datetime.date
    questionnaire: QuestionnaireRef
    min_group: int
    status: str
    room_token: str
    room_open: bool
    show_names: bool = False
    lead_id: int | None = None  # the lead who owns it; None: the local lead (rounds made on the command line)
    shared_with_programme: bool = False  # the lead shares its kept assessment with the programme view
    named_in_programme: bool = False  # ... and agrees the programme view may name the partnership

    @property
    def open(self) -> bool:
        return self.status == "open"

    @property
    def options(self) -> AssessOptions:
        """How the round's reports and screen assess it: with its smallest group (names only when asked)."""
        return AssessOptions(min_group=self.min_group)


@dataclass(frozen=True)
class Lead:
    """A lead's account (id None: the operator's local lead, who signs in with the link ``serve`` prints)."""

    id: int | None
    email: str
    name: str | None = None
    operator: bool = False  # sees the programme page: the assessments every lead has shared with the programme


# The local lead is the operator of a local set-up: whoever has the link 'serve' prints has the database file too.
LOCAL_LEAD = Lead(id=None, email="", name="the local lead", operator=True)
Owner = int | Literal["anyone"] | None
ANYONE: Owner = "anyone"
SESSION_IDLE = datetime.timedelta(hours=2)  # OWASP's session guidance: 2-5 hours idle for a low-risk application
SESSION_ABSOLUTE = datetime.timedelta(hours=12)  # ... and a working day in all
SESSION_TOUCH = datetime.timedelta(minutes=1)  # last use is written at most this often


@dataclass(frozen=True)
class Invitee:
    """One respondent of a round, with the token of their private link ("" when it cannot be shown: the
    key file beside the database is missing or another one)."""

    id: int
    round_id: int
    token: str
    name: str | None
    organisation: str
    role: str
    via: str
    finished: bool
    started: bool = False  # has saved at least one answer (what it is is never shown to the lead)
    email: str | None = None
    withdrawn: bool = False  # the lead withdrew the link: it opens nothing until a new one is issued

    @property
    def progress(self) -> str:
        """Where the respondent is: "finished", "started" or "not started"."""
        return "finished" if self.finished else "started" if self.started else "not started"


@dataclass(frozen=True)
class Status:
    """Who has answered, counted by role and by organisation; never the answers."""

    invited: int
    started: int
    finished: int
    by_role: dict[str, tuple[int, int, int]]  # role -> (invited, started, finished)
    by_organisation: dict[str, tuple[int, int, int]]


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment kept for year on year comparison.

    ``answers`` and ``report`` (the JSON report as ``assess --format json`` wrote it,
    without any "since" part) are loaded only when asked for: by :meth:`Store.get_assessment`,
    :meth:`Store.previous_assessment` and ``Store.assessments(..., full=True)``.
    """

    id: int
    partnership: str
    assessed_on: datetime.date
    questionnaire_id: str
    questionnaire_version: str
    rulebase_version: str
    saved_at: str
    has_actions: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    answers: Answers | None = None
    report: dict[str, Any] | None = None
    actions: list[dict[str, Any]] | None = None  # only for an import; otherwise see Store.actions_of
    shared_with_programme: bool = False  # the lead shares it with the programme view (off by default)
    named_in_programme: bool = False  # ... and agrees the programme view may name the partnership


@dataclass(frozen=True)
class Copied:
    """What a backup holds: how many rounds, respondents and saved assessments."""

    TABLES = ("rounds", "respondents", "assessments")

    rounds: int
    respondents: int
    assessments: int
    key: Path | None = None  # the links' key copied beside the copy, if the database has one


@dataclass(frozen=True)
class Imported:
    """One assessment of an import: the id it has now, and whether it was already there."""

    id: int
    duplicate: bool


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


def new_token() -> str:
    """An unguessable token for a private link (128 bits)."""
    return secrets.token_urlsafe(16)


def digest(token: str) -> str:
    """What the database keeps of a respondent's private link's token: its SHA-256, as of a lead's."""
    return _hashed(token)


def link_token(key: bytes, respondent_id: int, generation: int) -> str:
    """A respondent's private link's token: an HMAC of their id and the link's generation (128 bits)."""
    mac = hmac.new(key, f"respondent:{respondent_id}:{generation}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode("ascii").rstrip("=")


class Store:
    """One SQLite file of rounds. Opening it migrates it to the current schema."""

    def __init__(self, path: Path | str, *, timeout: float | None = None) -> None:
        """Open (and create, or migrate) the file; ``timeout``: seconds a write waits for another writer."""
        self.path = Path(path)
        self.timeout = BUSY_TIMEOUT if timeout is None else timeout
        # Set when SQLite cannot make its -shm file (a read-only folder, a full disk) and there is no -wal:
        # nobody can be writing, so the file is read as it is, and a write raises this fault.
        self._frozen: StoreFault | None = None
        self._key: bytes | None = None  # the private links' key, once read
        self._keeper: sqlite3.Connection | None = None
        self._identify()
        self._migrate()

    def hold(self) -> None:
        """Keep one connection open while the store lives (the web server does), so the -wal and -shm files
        stay in place: when the disk fills, a new connection maps them as they are and reading still works."""
        if self._keeper is None and self._frozen is None:
            with _faults(self.path):
                self._keeper = self._connect(check_same_thread=False)

    def close(self) -> None:
        """Let go of the connection :meth:`hold` keeps (the store still works, a connection per operation)."""
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    @property
    def key_path(self) -> Path:
        """The file of the key private links are made with: beside the database, never in it (mode 0600)."""
        return self.path.with_name(self.path.name + ".link-key")

    def _link_key(self, *, make: bool = False) -> bytes | None:
        """The key of the private links (made, when ``make``, on first use); None when there is none."""
        if self._key is not None:
            return self._key
        try:
            key = self.key_path.read_bytes()
        except FileNotFoundError:
            if not make:
                return None
            key = self._make_key()
        except OSError as error:
            raise StoreError(
                f"{self.key_path}: the key of the private links cannot be read ({error.strerror})"
            ) from None
        if len(key) < 32:
            raise StoreError(f"{self.key_path}: not a key of private links (too short); restore it from a backup")
        self._key = key
        return key

    def _make_key(self) -> bytes:
        """Write a new key atomically (two processes at once keep one key), readable by its owner only."""
        key = secrets.token_bytes(32)
        try:
            try:
                _write_private(self.key_path, key)
            except FileExistsError:
                key = self.key_path.read_bytes()  # another process made it first
        except OSError as error:
            raise StoreError(
                f"{self.key_path}: the key of the private links cannot be written ({error.strerror})"
            ) from None
        return key

    # --- connections and transactions ------------------------------------------------

    def _connect(self, *, check_same_thread: bool = True) -> sqlite3.Connection:
        frozen = self._frozen is not None
        target, uri = (f"file:{self.path}?mode=ro&immutable=1", True) if frozen else (str(self.path), False)
        try:
            db = sqlite3.connect(
                target, timeout=self.timeout, isolation_level=None, uri=uri, check_same_thread=check_same_thread
            )
            db.execute("PRAGMA schema_version").fetchone()  # opens the file (and its -shm) now
        except sqlite3.Error as error:
            fault = _fault(self.path, error)
            if (
                isinstance(fault, (ReadOnlyError, DiskFullError))
                and not frozen
                and self.path.exists()
                and not Path(f"{self.path}-wal").exists()
            ):
                # SQLite cannot make its -shm file. With no -wal, nobody can be writing and the file
                # holds everything: read it as it is; a write says why it cannot be.
                self._frozen = fault
                return self._connect(check_same_thread=check_same_thread)
            raise fault or StoreError(f"{self.path}: cannot be opened ({error})") from error
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = FULL")
        return db

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with _faults(self.path), closing(self._connect()) as db:
            yield db

    @contextmanager
    def _write(self, *, secure: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: everything in the block is written, or nothing is.

        ``secure``: what the block deletes is overwritten with zeros, not just freed.
        """
        with _faults(self.path), closing(self._connect()) as db:
            if self._frozen is not None:
                raise self._frozen
            if secure:
                db.execute("PRAGMA secure_delete = ON")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite has rolled back itself after some errors (a full disk)
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def check_writable(self) -> None:
        """Raise a :class:`StoreFault` saying why the file cannot be written now (read-only, locked, a full disk).

        A write transaction is begun and rolled back: nothing changes. ``serve`` calls this
        before it prints any link.
        """
        if self._frozen is not None:
            raise self._frozen
        if not _writable(self.path) or not _writable(self.path.parent):
            error = _sqlite_error(sqlite3.SQLITE_READONLY, "attempt to write a readonly database")
            raise _fault(self.path, error) or StoreError(f"{self.path}: cannot be written")
        if _disk_full(self.path):
            error = _sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full")
            raise _fault(self.path, error) or StoreError(f"{self.path}: the disk is full")
        with _faults(self.path), closing(self._connect()) as db:
            if self._frozen is not None:
                raise self._frozen
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")

    def _identify(self) -> None:
        """Refuse, changing nothing, a file that is not ours: another application's database, or ours read
        through another database's ``-wal`` file (SQLite would apply it, and every round would vanish).

        Read with an immutable connection when there is no ``-wal`` (no file is made beside it),
        else read-only.
        """
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        wal = Path(f"{self.path}-wal")
        with_wal = wal.exists() and wal.stat().st_size > 0
        through_wal = self._look(wal=with_wal)
        if through_wal is None or through_wal:
            return
        if with_wal and self._look(wal=False):
            raise ForeignDatabaseError(
                f"{self.path}: the file {wal} beside it belongs to another database (read through it, the rounds "
                f"would vanish): if {self.path.name} was copied or restored here, move {wal.name} and "
                f"{self.path.name}-shm out of the folder, then try again"
            )
        raise ForeignDatabaseError(
            f"{self.path}: a SQLite database of another application, not a partnership-health database "
            "(left unchanged): give --db the file the rounds are kept in, or a new file's name"
        )

    def _look(self, *, wal: bool) -> bool | None:
        """Whether the file (through its -wal when ``wal``) is ours or new; None when it cannot be read."""
        mode = "mode=ro" if wal else "mode=ro&immutable=1"
        try:
            with closing(sqlite3.connect(f"file:{self.path}?{mode}", uri=True, timeout=self.timeout)) as db:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                tables = {
                    str(row[0])
                    for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                    if not str(row[0]).startswith("sqlite_")
                }
        except sqlite3.DatabaseError as error:
            if int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_NOTADB:
                raise _fault(self.path, error) or StoreError(str(self.path)) from error
            return None  # said plainly when the file is opened for use
        return not tables if version == 0 else _OUR_TABLES <= tables

    def _migrate(self) -> None:
        """Bring the file up to :data:`SCHEMA_VERSION`, one migration a transaction.

        The version is read again inside each write transaction, so two processes opening
        the same old (or new) file at once do not both run a migration.
        """
        try:
            with _faults(self.path), closing(self._connect()) as db:
                version = self._version(db)
                if version == SCHEMA_VERSION:
                    return
                if self._frozen is not None:
                    raise self._frozen
                _write_ahead_log(db, self.timeout)
                while version < SCHEMA_VERSION:
                    db.execute("BEGIN IMMEDIATE")
                    try:
                        version = self._version(db)
                        if version < SCHEMA_VERSION:
                            for statement in MIGRATIONS[version].split(";"):
                                if statement.strip():
                                    db.execute(statement)
                            version += 1
                            db.execute(f"PRAGMA user_version = {version}")
                    except BaseException:
                        db.execute("ROLLBACK")
                        raise
                    db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a partnership-health database ({error})") from error

    def _version(self, db: sqlite3.Connection) -> int:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer version of partnership-health (database schema {version}; "
                f"this version knows schemas up to {SCHEMA_VERSION}). Upgrade partnership-health to open it."
            )
        return version

    # --- settings ----------------------------------------------------------------------

    def setting(self, key: str, make: str | None = None) -> str | None:
        """The setting ``key``; when missing and ``make`` is given, store and return ``make``."""
        with self._read() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row or make is None:
            return row["value"] if row else None
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, make))
            return str(db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()["value"])

    def set_setting(self, key: str, value: str) -> None:
        """Store the setting ``key``; a file that cannot be written is a :class:`StoreError` saying so."""
        try:
            with self._write() as db:
                db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.OperationalError as error:
            raise StoreError(
                f"{self.path}: cannot be written ({error}); check the file's and its folder's permissions"
            ) from None

    def app_key(self) -> str:
        """A random key the web app signs its CSRF tokens with (made on first use)."""
        return str(self.setting("app_key", make=secrets.token_urlsafe(32)))

    # --- lead accounts, their sessions, the local lead's private links ------------------

    def add_lead(self, email: str, name: str | None, password_hash: str, *, operator: bool = False) -> Lead:
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO leads (email, name, password_hash, created_at, operator) VALUES (?, ?, ?, ?, ?)",
                    (email.strip(), name, password_hash, now(), int(operator)),
                )
        except sqlite3.IntegrityError:
            raise StoreError(f"{self.path}: there is already a lead {email.strip()!r}") from None
        return self.get_lead(email)

    def leads(self) -> list[Lead]:
        with self._read() as db:
            return [_lead(row) for row in db.execute("SELECT * FROM leads ORDER BY email")]

    def find_lead(self, email: str) -> tuple[Lead, str] | None:
        """The lead of ``email`` (any case) and their password hash, or None."""
        with self._read() as db:
            row = db.execute("SELECT * FROM leads WHERE email = ?", (email.strip(),)).fetchone()
        return (_lead(row), str(row["password_hash"])) if row else None

    def get_lead(self, email: str) -> Lead:
        found = self.find_lead(email)
        if found is None:
            raise StoreError(f"{self.path}: no lead {email.strip()!r} ('lead list' lists them)")
        return found[0]

    def set_operator(self, email: str, operator: bool) -> Lead:
        """Grant or revoke a lead's operator's page (the programme view); takes effect at their next page."""
        lead = self.get_lead(email)
        with self._write() as db:
            db.execute("UPDATE leads SET operator = ? WHERE id = ?", (int(operator), lead.id))
        return self.get_lead(email)

    def set_password(self, lead_id: int, password_hash: str, *, sign_out: bool = True) -> None:
        """Store a new hash; unless it is only a rehash, the lead's sessions end."""
        with self._write() as db:
            db.execute("UPDATE leads SET password_hash = ? WHERE id = ?", (password_hash, lead_id))
            if sign_out:
                db.execute("DELETE FROM sessions WHERE lead_id = ?", (lead_id,))

    def remove_lead(self, email: str) -> tuple[Lead, int]:
        """Remove a lead and their sessions; their rounds (counted) and assessments pass to the local lead."""
        lead = self.get_lead(email)
        with self._write() as db:
            moved = db.execute("UPDATE rounds SET lead_id = NULL WHERE lead_id = ?", (lead.id,)).rowcount
            db.execute("UPDATE assessments SET lead_id = NULL WHERE lead_id = ?", (lead.id,))
            db.execute("DELETE FROM sessions WHERE lead_id = ?", (lead.id,))
            db.execute("DELETE FROM leads WHERE id = ?", (lead.id,))
        return lead, moved

    def new_session(self, lead_id: int | None) -> str:
        """A new session of ``lead_id`` (None: the local lead): its token, stored only as a hash."""
        token = secrets.token_urlsafe(32)
        stamp = now()
        with self._write() as db:
            _expire_sessions(db)
            db.execute(
                "INSERT INTO sessions (token_hash, lead_id, created_at, last_seen) VALUES (?, ?, ?, ?)",
                (_hashed(token), lead_id, stamp, stamp),
            )
        return token

    def session_lead(self, token: str) -> Lead | None:
        """The lead a live session belongs to (:data:`LOCAL_LEAD` for the local lead), or None.

        A session ends :data:`SESSION_IDLE` after its last use and :data:`SESSION_ABSOLUTE`
        after it began; an ended one is deleted.
        """
        if not token:
            return None
        with self._read() as db:
            row = db.execute(
                "SELECT sessions.*, leads.email, leads.name, leads.operator FROM sessions"
                " LEFT JOIN leads ON leads.id = sessions.lead_id WHERE token_hash = ?",
                (_hashed(token),),
            ).fetchone()
        if row is None:
            return None
        moment = datetime.datetime.now(datetime.UTC)
        seen = datetime.datetime.fromisoformat(row["last_seen"])
        if _ended(row, moment):
            with self._write() as db:
                _expire_sessions(db)
            return None
        if moment - seen > SESSION_TOUCH:  # a write at most once a minute a session
            with self._write() as db:
                db.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now(), row["token_hash"]))
        if row["lead_id"] is None:
            return LOCAL_LEAD
        return Lead(id=row["lead_id"], email=row["email"], name=row["name"], operator=bool(row["operator"]))

    def end_session(self, token: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_hashed(token),))

    def lead_secret(self) -> str:
        """A new secret for the local lead's private link (``/lead/enter/SECRET``), valid until rotated.

        Only its SHA-256 hash is stored, so the secret is shown once, when made: ``serve``
        and ``round create`` each print a new one.
        """
        secret = secrets.token_urlsafe(24)
        with self._write() as db:
            db.execute("INSERT INTO lead_links (token_hash, created_at) VALUES (?, ?)", (_hashed(secret), now()))
        return secret

    def lead_secret_valid(self, secret: str) -> bool:
        with self._read() as db:
            row = db.execute("SELECT 1 FROM lead_links WHERE token_hash = ?", (_hashed(secret),)).fetchone()
        return row is not None

    def rotate_lead_secret(self) -> str:
        """End every private link of the local lead and their sessions; returns the one new secret."""
        with self._write() as db:
            db.execute("DELETE FROM lead_links")
            db.execute("DELETE FROM sessions WHERE lead_id IS NULL")
        return self.lead_secret()

    # --- rounds -------------------------------------------------------------------------

    def create_round(
        self,
        partnership: str,
        assessed_on: datetime.date,
        questionnaire: QuestionnaireRef,
        min_group: int = MIN_GROUP,
        show_names: bool = False,
        lead_id: int | None = None,
    ) -> Round:
        """A new round, with what its respondents are told before they answer: the smallest group its reports
        show, and whether they may list respondents by name."""
        if not partnership.strip():
            raise StoreError("a round needs the partnership's name")
        check_lengths(partnership=partnership.strip())
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO rounds (partnership, assessed_on, questionnaire_id, questionnaire_version, min_group,"
                " show_names, room_token, created_at, lead_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    partnership.strip(),
                    assessed_on.isoformat(),
                    questionnaire.id,
                    questionnaire.version,
                    min_group,
                    int(show_names),
                    new_token(),
                    now(),
                    lead_id,
                ),
            )
            round_id = int(cursor.lastrowid or 0)
        return self.get_round(round_id)

    def find_round(self, round_id: int | str) -> Round | None:
        """The round ``round_id``, or None (also for an id no SQLite integer can be: huge, negative, not digits)."""
        number = row_id(round_id)
        if number is None:
            return None
        with self._read() as db:
            row = db.execute("SELECT * FROM rounds WHERE id = ?", (number,)).fetchone()
        return _round(row) if row else None

    def get_round(self, round_id: int | str) -> Round:
        """The round ``round_id``, or a :class:`StoreError` naming the rounds there are."""
        found = self.find_round(round_id)
        if found is None:
            known = ", ".join(str(r.id) for r in self.rounds()) or "none yet"
            raise StoreError(f"{self.path}: no round {round_id!r} (rounds: {known})")
        return found

    def round_by_room(self, room_token: str) -> Round | None:
        with self._read() as db:
            row = db.execute("SELECT * FROM rounds WHERE room_token = ?", (room_token,)).fetchone()
        return _round(row) if row else None

    def rounds(self, owner: Owner = ANYONE) -> list[Round]:
        """The rounds (of lead ``owner`` only, when given: None is the local lead)."""
        where, parameters = _owned(owner)
        with self._read() as db:
            return [_round(row) for row in db.execute(f"SELECT * FROM rounds {where} ORDER BY id", parameters)]

    def close_round(self, round_id: int) -> Round:
        with self._write() as db:
            db.execute(
                "UPDATE rounds SET status = 'closed', room_open = 0, closed_at = ? WHERE id = ? AND status = 'open'",
                (now(), round_id),
            )
        return self.get_round(round_id)

    def set_room(self, round_id: int, room_open: bool) -> Round:
        with self._write() as db:
            _open_round(db, round_id)
            db.execute("UPDATE rounds SET room_open = ? WHERE id = ?", (int(room_open), round_id))
        return self.get_round(round_id)

    # --- respondents ------------------------------------------------------------------

    def invite(
        self,
        round_id: int,
        rows: Sequence[tuple[str, str, str | None] | tuple[str, str, str | None, str | None]],
        via: str = "invite",
        *,
        batch: str | None = None,
    ) -> list[Invitee]:
        """Add respondents ``(organisation, role, name[, email])`` to an open round, all or none.

        ``batch``: an id the lead's form carries; a batch already added adds nothing again (a form
        sent twice invites once) and returns ``[]``.
        """
        for organisation, role, name, *email in rows:
            if role not in ROLES or not organisation.strip():
                raise StoreError(f"an invitee needs an organisation and a role (got {organisation!r}, {role!r})")
            check_lengths(
                organisation=organisation.strip(), name=(name or "").strip(), email=(email[0] or "") if email else ""
            )
        with self._write() as db:
            _open_round(db, round_id)
            key = self._link_key(make=True)  # made only once the database is known to be ours
            assert key is not None
            if batch is not None:
                done = f"round:{round_id}:invited:{batch}"
                if db.execute("SELECT 1 FROM settings WHERE key = ?", (done,)).fetchone():
                    return []
                db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (done, now()))
            ids = []
            for organisation, role, name, *email in rows:
                cursor = db.execute(
                    "INSERT INTO respondents (round_id, token, name, organisation, role, via, created_at, email,"
                    " generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (
                        round_id,
                        "new:" + new_token(),  # replaced below, once the id is known
                        (name or "").strip() or None,
                        organisation.strip(),
                        role,
                        via,
                        now(),
                        (email[0] or "").strip() or None if email else None,
                    ),
                )
                made = int(cursor.lastrowid or 0)
                db.execute("UPDATE respondents SET token = ? WHERE id = ?", (digest(link_token(key, made, 0)), made))
                ids.append(made)
            marks = ",".join("?" * len(ids))
            found = {i.id: i for i in _invitees(db, key, f"id IN ({marks})", ids)} if ids else {}
        return [found[i] for i in ids]

    def withdraw_link(self, round_id: int, respondent_id: int) -> Invitee:
        """Withdraw a respondent's private link: it then opens a page saying so. Their answers stay."""
        key = self._link_key(make=True)
        assert key is not None
        with self._write() as db:
            row = db.execute(
                "SELECT token, generation, withdrawn_at FROM respondents WHERE id = ? AND round_id = ?",
                (respondent_id, round_id),
            ).fetchone()
            if row is None:
                raise StoreError(f"no respondent {respondent_id} in round {round_id}")
            if row["withdrawn_at"] is None:  # withdrawing twice changes nothing
                stamp = now()
                old = row["token"] if row["generation"] is not None else digest(row["token"])
                db.execute(
                    "INSERT OR IGNORE INTO withdrawn_links (token, respondent_id, withdrawn_at) VALUES (?, ?, ?)",
                    (old, respondent_id, stamp),
                )
                _next_link(db, key, respondent_id, row["generation"], withdrawn_at=stamp)
            return _invitees(db, key, "id = ?", (respondent_id,))[0]

    def new_link(self, round_id: int, respondent_id: int) -> Invitee:
        """Give a respondent whose link was withdrawn a new one (their answers so far come with it); an
        invitation by email can then be sent to them again."""
        key = self._link_key(make=True)
        assert key is not None
        with self._write() as db:
            _open_round(db, round_id)
            row = db.execute(
                "SELECT generation, withdrawn_at FROM respondents WHERE id = ? AND round_id = ?",
                (respondent_id, round_id),
            ).fetchone()
            if row is None:
                raise StoreError(f"no respondent {respondent_id} in round {round_id}")
            if row["withdrawn_at"] is not None:
                _next_link(db, key, respondent_id, row["generation"], withdrawn_at=None)
                # the invitation sent held the old link: the new one may be sent by email again
                db.execute("DELETE FROM outbox WHERE respondent_id = ? AND kind = 'invitation'", (respondent_id,))
            return _invitees(db, key, "id = ?", (respondent_id,))[0]

    def link_withdrawn(self, token: str) -> bool:
        """Whether ``token`` is a private link the lead withdrew."""
        with self._read() as db:
            found = db.execute("SELECT 1 FROM withdrawn_links WHERE token = ?", (digest(token),)).fetchone()
        return found is not None

    # --- the outbox: each message once per (respondent, kind, batch) --------------------

    def claim_messages(self, kind: str, batch: str, respondent_ids: Sequence[int]) -> list[int]:
        """Which of ``respondent_ids`` to send the ``kind`` message of ``batch`` now, marked as being sent.

        One not yet in the batch, or whose send failed, is claimed; one sent or being sent is not:
        the same form sent twice sends nothing new, and a failed send can be tried again.
        """
        claimed = []
        with self._write() as db:
            for respondent_id in respondent_ids:
                row = db.execute(
                    "SELECT status FROM outbox WHERE respondent_id = ? AND kind = ? AND batch = ?",
                    (respondent_id, kind, batch),
                ).fetchone()
                if row is not None and row["status"] != "failed":
                    continue
                db.execute(
                    "INSERT INTO outbox (respondent_id, kind, batch, status, updated_at) VALUES (?, ?, ?, 'sending', ?)"
                    " ON CONFLICT (respondent_id, kind, batch) DO UPDATE SET status = 'sending', error = NULL,"
                    " updated_at = excluded.updated_at",
                    (respondent_id, kind, batch, now()),
                )
                claimed.append(respondent_id)
        return claimed

    def message_sent(self, respondent_id: int, kind: str, batch: str, error: str | None = None) -> None:
        """Record how sending a claimed message went: sent, or failed with ``error`` (it may be tried again)."""
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET status = ?, error = ?, updated_at = ? WHERE respondent_id = ? AND kind = ?"
                " AND batch = ?",
                ("failed" if error else "sent", error, now(), respondent_id, kind, batch),
            )

    def messages(self, round_id: int, *, other_than: str = "") -> dict[int, dict[str, str]]:
        """Per respondent of the round, per kind, "sent" when one was sent, else the latest one's status
        ("failed" or "sending"); the batch ``other_than`` left out."""
        with self._read() as db:
            rows = db.execute(
                "SELECT o.respondent_id, o.kind, o.status FROM outbox o JOIN respondents r ON r.id = o.respondent_id"
                " WHERE r.round_id = ? AND o.batch != ? ORDER BY o.status = 'sent', o.updated_at",
                (round_id, other_than),
            ).fetchall()
        found: dict[int, dict[str, str]] = {}
        for row in rows:
            found.setdefault(row["respondent_id"], {})[row["kind"]] = row["status"]
        return found

    def respondent(self, token: str) -> Invitee | None:
        """The respondent whose private link carries ``token``, or None."""
        with self._read() as db:
            found = _invitees(
                db,
                self._link_key(),
                "(token = ? AND generation IS NOT NULL) OR (token = ? AND generation IS NULL)",
                (digest(token), token),
            )
        return dataclasses.replace(found[0], token=token) if found else None  # the link they came with

    def respondents(self, round_id: int) -> list[Invitee]:
        with self._read() as db:
            return _invitees(db, self._link_key(), "round_id = ?", (round_id,))

    # --- answers ------------------------------------------------------------------------

    def save_section(
        self, respondent_id: int, section_id: str, answers: Mapping[str, AnswerValue | None], *, complete: bool = True
    ) -> None:
        """Save one page of answers in one transaction; None removes an answer.

        ``complete`` marks the section as saved (the page had no errors), so the
        respondent's link resumes after it. Raises :class:`RoundClosedError` once the
        round has closed.
        """
        for value in answers.values():
            check_lengths(answer=value if isinstance(value, str) else None)
        stamp = now()
        with self._write() as db:
            _open_round(db, _round_of(db, respondent_id))
            for question_id, value in answers.items():
                if value is None:
                    db.execute(
                        "DELETE FROM answers WHERE respondent_id = ? AND question_id = ?", (respondent_id, question_id)
                    )
                else:
                    db.execute(
                        "INSERT INTO answers (respondent_id, question_id, value, updated_at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (respondent_id, question_id)"
                        " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                        (respondent_id, question_id, json.dumps(value), stamp),
                    )
            if complete:
                db.execute(
                    "INSERT INTO saved_sections (respondent_id, section_id, saved_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (respondent_id, section_id) DO UPDATE SET saved_at = excluded.saved_at",
                    (respondent_id, section_id, stamp),
                )

    def finish(self, respondent_id: int) -> None:
        """The respondent has sent their answers (they may still change them while the round is open)."""
        with self._write() as db:
            _open_round(db, _round_of(db, respondent_id))
            db.execute("UPDATE respondents SET finished_at = ? WHERE id = ?", (now(), respondent_id))

    def answers_of(self, respondent_id: int) -> dict[str, AnswerValue]:
        with self._read() as db:
            rows = db.execute(
                "SELECT question_id, value FROM answers WHERE respondent_id = ? ORDER BY rowid", (respondent_id,)
            )
            return {row["question_id"]: json.loads(row["value"]) for row in rows}

    def saved_sections(self, respondent_id: int) -> set[str]:
        with self._read() as db:
            rows = db.execute("SELECT section_id FROM saved_sections WHERE respondent_id = ?", (respondent_id,))
            return {row["section_id"] for row in rows}

    def round_answers(self, round_id: int) -> Answers | None:
        """The round as an answers file: every respondent with at least one answer, in invitation order.

        None when nobody has answered yet. Respondent ids are ``r1``, ``r2``... in that
        order; names are kept (reports show them only when asked to).
        """
        found = self.get_round(round_id)
        with self._read() as db:
            people = _invitees(db, None, "round_id = ?", (round_id,))
            rows = db.execute(
                "SELECT a.respondent_id, a.question_id, a.value FROM answers a"
                " JOIN respondents r ON r.id = a.respondent_id WHERE r.round_id = ? ORDER BY a.rowid",
                (round_id,),
            ).fetchall()
        given: dict[int, dict[str, AnswerValue]] = {}
        for row in rows:
            given.setdefault(row["respondent_id"], {})[row["question_id"]] = json.loads(row["value"])
        respondents = [
            Respondent(
                id=f"r{number}",
                name=person.name,
                organisation=person.organisation,
                role=person.role,  # type: ignore[arg-type]
                answers=given[person.id],
            )
            for number, person in enumerate((p for p in people if p.id in given), 1)
        ]
        if not respondents:
            return None
        return Answers(
            partnership=found.partnership,
            assessed_on=found.assessed_on,
            questionnaire=found.questionnaire,
            respondents=respondents,
        )

    def status(self, round_id: int) -> Status:
        """How many were invited, have started and have finished, by role and organisation."""
        with self._read() as db:
            rows = db.execute(
                "SELECT r.role, r.organisation, r.finished_at IS NOT NULL AS finished,"
                " EXISTS (SELECT 1 FROM answers a WHERE a.respondent_id = r.id) AS started"
                " FROM respondents r WHERE r.round_id = ? ORDER BY r.id",
                (round_id,),
            ).fetchall()
        by_role: dict[str, list[int]] = {}
        by_organisation: dict[str, list[int]] = {}
        for row in rows:
            counts = (1, int(bool(row["started"] or row["finished"])), int(bool(row["finished"])))
            for table, key in ((by_role, row["role"]), (by_organisation, row["organisation"])):
                totals = table.setdefault(key, [0, 0, 0])
                for i, n in enumerate(counts):
                    totals[i] += n
        ordered_roles = {role: by_role[role] for role in ROLES if role in by_role}
        return Status(
            invited=len(rows),
            started=sum(t[1] for t in ordered_roles.values()),
            finished=sum(t[2] for t in ordered_roles.values()),
            by_role={k: (v[0], v[1], v[2]) for k, v in ordered_roles.items()},
            by_organisation={k: (v[0], v[1], v[2]) for k, v in sorted(by_organisation.items())},
        )

    def changes(self, round_id: int) -> str:
        """A short text that changes whenever an answer, respondent or the round's status does."""
        with self._read() as db:
            row = db.execute(
                "SELECT (SELECT status FROM rounds WHERE id = :r) AS status,"
                " (SELECT count(*) FROM respondents WHERE round_id = :r) AS people,"
                " (SELECT count(*) FROM respondents WHERE round_id = :r AND finished_at IS NOT NULL) AS finished,"
                " (SELECT count(*) || '/' || coalesce(max(a.updated_at), '') FROM answers a"
                "   JOIN respondents p ON p.id = a.respondent_id WHERE p.round_id = :r) AS answers",
                {"r": round_id},
            ).fetchone()
        return f"{row['status']}:{row['people']}:{row['finished']}:{row['answers']}"

    # --- saved assessments (year on year) ----------------------------------------------

    def save_assessment(
        self,
        answers: Answers,
        report: Mapping[str, Any],
        *,
        rulebase_version: str,
        options: Mapping[str, Any] | None = None,
    ) -> int:
        """Keep an assessment: its answers and its JSON report; returns its id.

        The partnership, date and questionnaire come from ``answers``. ``options``: the
        report options it was assessed with (``by``, ``min_group``, ``show_respondents``,
        ``gaps``), used again when it is re-rendered. Every call saves a new one
        (:meth:`same_assessment` tells whether these answers are stored already).
        """
        with self._write() as db:
            return _insert_assessment(db, answers, report, rulebase_version, now(), options)

    def same_assessment(self, answers: Answers) -> int | None:
        """The id of a stored assessment of the same partnership and date with the same answers, if any."""
        with self._read() as db:
            return _same(db, answers)

    def import_assessments(self, items: Sequence[StoredAssessment]) -> list[Imported]:
        """Add assessments (their answers, report, versions, options, saved_at and action plan rows) in one transaction.

        ``id`` and ``has_actions`` of each are ignored: an item's ``actions`` are its action plan.

        One already stored (the same partnership, date and answers) is not added again;
        its :class:`Imported` says so and carries the stored id.
        """
        result = []
        with self._write() as db:
            for item in items:
                if item.answers is None or item.report is None:
                    raise ValueError("an assessment to import needs its answers and report")
                found = _same(db, item.answers)
                if found is not None:
                    result.append(Imported(found, duplicate=True))
                    continue
                new = _insert_assessment(
                    db,
                    item.answers,
                    item.report,
                    item.rulebase_version,
                    item.saved_at,
                    item.options,
                    shared=item.shared_with_programme,
                )
                if item.named_in_programme:
                    db.execute("UPDATE assessments SET named_in_programme = 1 WHERE id = ?", (new,))
                if item.actions is not None:
                    _attach(db, new, item.actions)
                result.append(Imported(new, duplicate=False))
        return result

    def assessments(
        self, partnership: str | None = None, *, full: bool = False, owner: Owner = ANYONE
    ) -> list[StoredAssessment]:
        """The stored assessments (of ``partnership``, of lead ``owner`` only, when given), oldest first by date
        then id."""
        where, parameters = _owned(owner)
        if partnership is not None:
            where, parameters = f"{where or 'WHERE 1'} AND partnership = ?", (*parameters, partnership)
        with self._read() as db:
            rows = db.execute(f"{_SELECT_ASSESSMENTS} {where} ORDER BY assessed_on, id", parameters).fetchall()
        return [_stored(row, full) for row in rows]

    def get_assessment(self, assessment_id: int | str) -> StoredAssessment:
        """The stored assessment ``assessment_id`` with its answers and report; StoreError when there is none."""
        text = str(assessment_id).strip()
        row = None
        number = row_id(text)
        if number is not None:
            with self._read() as db:
                row = db.execute(f"{_SELECT_ASSESSMENTS} WHERE id = ?", (number,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no assessment {text} (the history command lists them)")
        return _stored(row, full=True)

    def owner_of_assessment(self, assessment_id: int) -> Owner:
        """The lead a stored assessment belongs to (None: the local lead), or :data:`ANYONE` when there is none."""
        with self._read() as db:
            row = db.execute("SELECT lead_id FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return ANYONE if row is None else row["lead_id"]

    def set_programme_consent(self, assessment_id: int | str, *, shared: bool, named: bool) -> StoredAssessment:
        """Whether a kept assessment is shared with the programme view, and whether it may name the partnership.

        Naming needs sharing: an assessment not shared is never named (``named`` is then kept off).
        """
        found = self.get_assessment(assessment_id)
        with self._write() as db:
            db.execute(
                "UPDATE assessments SET shared_with_programme = ?, named_in_programme = ? WHERE id = ?",
                (int(shared), int(shared and named), found.id),
            )
        return self.get_assessment(found.id)

    def set_round_programme_consent(self, round_id: int, *, shared: bool, named: bool) -> Round:
        """The same choice for a round: its kept assessment (now or when it closes) takes it."""
        with self._write() as db:
            if (
                db.execute(
                    "UPDATE rounds SET shared_with_programme = ?, named_in_programme = ? WHERE id = ?",
                    (int(shared), int(shared and named), round_id),
                ).rowcount
                != 1
            ):
                raise StoreError(f"no round {round_id}")
            linked = db.execute("SELECT value FROM settings WHERE key = ?", (_round_key(round_id),)).fetchone()
            if linked:
                db.execute(
                    "UPDATE assessments SET shared_with_programme = ?, named_in_programme = ? WHERE id = ?",
                    (int(shared), int(shared and named), int(linked["value"])),
                )
        return self.get_round(round_id)

    def programme_assessments(self, *, shared_only: bool = True) -> tuple[list[StoredAssessment], int]:
        """The kept assessments a programme view reads (answers and report loaded), oldest first, and how many
        others were left out because their lead has not shared them (``shared_only``)."""
        with self._read() as db:
            rows = db.execute(f"{_SELECT_ASSESSMENTS} ORDER BY partnership, assessed_on, id").fetchall()
        kept = [_stored(row, full=True) for row in rows if row["shared_with_programme"] or not shared_only]
        return kept, len(rows) - len(kept)

    def previous_assessment(self, partnership: str, before: datetime.date) -> StoredAssessment | None:
        """The latest stored assessment of ``partnership`` dated before ``before`` (answers and report loaded)."""
        with self._read() as db:
            row = db.execute(
                f"{_SELECT_ASSESSMENTS} WHERE partnership = ? AND assessed_on < ? ORDER BY assessed_on DESC, id DESC",
                (partnership, before.isoformat()),
            ).fetchone()
        return _stored(row, full=True) if row else None

    def delete_assessment(self, assessment_id: int | str) -> StoredAssessment:
        """Remove a stored assessment and its action plan, in one transaction; returns what was removed.

        For privacy the removed rows are overwritten in the file (``secure_delete``) and the
        write-ahead log is emptied afterwards, so the answers are not left in either.
        """
        found = self.get_assessment(assessment_id)
        with self._write(secure=True) as db:
            db.execute("DELETE FROM action_plans WHERE assessment_id = ?", (found.id,))
            if db.execute("DELETE FROM assessments WHERE id = ?", (found.id,)).rowcount != 1:
                raise StoreError(f"{self.path}: no assessment {found.id} (removed meanwhile)")
        with self._read() as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # best effort: a reader elsewhere may hold the log
        return found

    def attach_actions(self, assessment_id: int | str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Attach the filled-in action plan (one dict a row) to a stored assessment, replacing any earlier one."""
        found = self.get_assessment(assessment_id)
        try:
            with self._write() as db:
                _attach(db, found.id, rows)
        except sqlite3.IntegrityError:
            raise StoreError(f"{self.path}: no assessment {found.id} (removed meanwhile)") from None

    def actions_of(self, assessment_id: int) -> list[dict[str, Any]] | None:
        """The action plan attached to an assessment, or None when none is.

        Without one attached, a kept round's assessment has the actions its live sessions agreed
        (one attached later, say the plan filled in during the year, replaces them).
        """
        with self._read() as db:
            row = db.execute("SELECT rows FROM action_plans WHERE assessment_id = ?", (assessment_id,)).fetchone()
            rounds = [
                int(found["key"].split(":")[1])
                for found in db.execute(
                    "SELECT key FROM settings WHERE key LIKE 'round:%:assessment' AND value = ?", (str(assessment_id),)
                )
            ]
        if row:
            return list(json.loads(row["rows"]))
        agreed = [action.plan_row() for found in rounds for action in self.round_actions(found)]
        return list(agreed) if agreed else None

    # --- a closed round's assessment ----------------------------------------------------

    def keep_round_assessment(
        self,
        round_id: int,
        answers: Answers,
        report: Mapping[str, Any],
        *,
        rulebase_version: str,
        options: Mapping[str, Any] | None = None,
    ) -> tuple[int, bool]:
        """Save a closed round's assessment once: returns its id and whether this call saved it.

        The round is linked to the assessment (the setting ``round:N:assessment``, so the
        schema is unchanged) in the same transaction as the save: closing a round again,
        or twice at once, keeps one copy, and an assessment deleted since stays deleted.
        """
        with self._write() as db:
            row = db.execute("SELECT status FROM rounds WHERE id = ?", (round_id,)).fetchone()
            if row is None:
                raise StoreError(f"no round {round_id}")
            if row["status"] == "open":
                raise StoreError(f"round {round_id} is open: its assessment is kept when it closes")
            key = _round_key(round_id)
            linked = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            if linked:
                return int(linked["value"]), False
            saved = _insert_assessment(db, answers, report, rulebase_version, now(), options)
            db.execute(
                "UPDATE assessments SET (lead_id, shared_with_programme, named_in_programme) = (SELECT lead_id,"
                " shared_with_programme, max(named_in_programme, ?) FROM rounds WHERE id = ?) WHERE id = ?",
                (int(answers.named_in_programme), round_id, saved),
            )
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, str(saved)))
            return saved, True

    # --- a copy of the live file ------------------------------------------------------------

    def backup(self, target: Path | str, *, replace: bool = False) -> Copied:
        """Copy the database to ``target`` as it is at one moment, while others go on writing.

        SQLite's online backup copies every page under one read transaction (a writer is not
        held up: the file is in WAL mode); the copy is written beside ``target`` and moved into
        place only once SQLite's integrity check passes it, so ``target`` is either the whole
        copy or untouched. An existing ``target`` is replaced only when ``replace``.
        """
        target = Path(target)
        ours = {self.path.resolve(), *(Path(f"{self.path}-{end}").resolve() for end in ("wal", "shm"))}
        if target.resolve() in ours:
            raise StoreError(f"{target}: is the database itself (or its -wal or -shm): give the copy another name")
        if target.is_dir():
            raise StoreError(f"{target}: is a folder: give the copy a file's name")
        if target.exists() and not replace:
            raise StoreError(f"{target}: exists already: give --force to replace it, or another name")
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
        try:
            with _faults(target), closing(sqlite3.connect(partial, isolation_level=None)) as copy:
                with self._read() as db:
                    db.backup(copy)
            with _faults(target), closing(sqlite3.connect(f"file:{partial}?mode=ro&immutable=1", uri=True)) as copy:
                problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
                if problems != ["ok"]:
                    raise StoreError(f"{target}: the copy failed SQLite's integrity check: {'; '.join(problems[:3])}")
                rounds, respondents, assessments = (
                    int(copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in Copied.TABLES
                )
                counts = Copied(rounds, respondents, assessments)
            if replace:
                os.replace(partial, target)
            else:
                os.link(partial, target)  # refuses, as open(..., "x") would, a target made meanwhile
        except FileExistsError:
            raise StoreError(f"{target}: exists already: give --force to replace it, or another name") from None
        finally:
            for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
                leftover.unlink(missing_ok=True)
        key = self._link_key()
        if key is None:
            return counts
        # The copy's links are made with this key: without it they open but cannot be shown again.
        beside = target.with_name(target.name + ".link-key")
        try:
            _write_private(beside, key, replace=True)
        except OSError as error:
            raise StoreError(
                f"{beside}: the database was copied, but not the key of its private links ({error.strerror}): "
                f"copy {self.key_path} beside it yourself"
            ) from None
        return dataclasses.replace(counts, key=beside)

    def round_assessment(self, round_id: int) -> int | None:
        """The id a closed round's assessment was kept under (it may have been deleted since), or None."""
        value = self.setting(_round_key(round_id))
        return int(value) if value else None

    # --- live sessions in the room ----------------------------------------------------

    def start_live_session(self, round_id: int, *, ask_organisation: bool = False) -> LiveSession:
        """A new live session of a round (open or closed), with a join code no other session has."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM rounds WHERE id = ?", (round_id,)).fetchone() is None:
                raise StoreError(f"no round {round_id}")
            code = new_code()
            while db.execute("SELECT 1 FROM live_sessions WHERE code = ?", (code,)).fetchone():
                code = new_code()
            cursor = db.execute(
                "INSERT INTO live_sessions (round_id, code, ask_organisation, started_at) VALUES (?, ?, ?, ?)",
                (round_id, code, int(ask_organisation), now()),
            )
            made = int(cursor.lastrowid or 0)
        return self.get_live_session(made)

    def get_live_session(self, session_id: int | str) -> LiveSession:
        with self._read() as db:
            row = (
                db.execute("SELECT * FROM live_sessions WHERE id = ?", (int(session_id),)).fetchone()
                if str(session_id).isdigit() and int(session_id) < 2**63  # SQLite's largest id
                else None
            )
        if row is None:
            raise StoreError(f"no live session {session_id!r}")
        return _session(row)

    def live_session_by_code(self, code: str) -> LiveSession | None:
        with self._read() as db:
            row = db.execute("SELECT * FROM live_sessions WHERE code = ?", (code,)).fetchone()
        return _session(row) if row else None

    def live_sessions(self, round_id: int) -> list[LiveSession]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM live_sessions WHERE round_id = ? ORDER BY id", (round_id,)).fetchall()
        return [_session(row) for row in rows]

    def end_live_session(self, session_id: int) -> None:
        """No one joins or votes any more; what was said stays."""
        with self._write() as db:
            db.execute("UPDATE live_polls SET open = 0 WHERE session_id = ?", (session_id,))
            db.execute("UPDATE live_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (now(), session_id))

    def join_live_session(self, session_id: int, role: str, organisation: str | None = None) -> str:
        """A phone joins: returns the token its cookie keeps (only a hash of it is stored)."""
        if role not in ROLES:
            raise StoreError(f"a role is one of {', '.join(ROLES)} (got {role!r})")
        token = secrets.token_urlsafe(32)
        with self._write() as db:
            _live_session(db, session_id)
            db.execute(
                "INSERT INTO live_participants (session_id, token_hash, role, organisation, joined_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, token_hash(token), role, (organisation or "").strip() or None, now()),
            )
        return token

    def participant(self, session_id: int, token: str) -> Participant | None:
        """The phone whose cookie holds ``token`` in this session, or None."""
        if not token:
            return None
        with self._read() as db:
            row = db.execute(
                "SELECT * FROM live_participants WHERE session_id = ? AND token_hash = ?",
                (session_id, token_hash(token)),
            ).fetchone()
        return _participant(row) if row else None

    def participants(self, session_id: int) -> list[Participant]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM live_participants WHERE session_id = ? ORDER BY id", (session_id,))
            return [_participant(row) for row in rows]

    def open_poll(self, session_id: int, question_id: str) -> Poll:
        """Put a statement to the room: a first vote, open; the poll before it closes."""
        with self._write() as db:
            _live_session(db, session_id)
            db.execute("UPDATE live_polls SET open = 0 WHERE session_id = ?", (session_id,))
            cursor = db.execute(
                "INSERT INTO live_polls (session_id, question_id, opened_at) VALUES (?, ?, ?)",
                (session_id, question_id, now()),
            )
            made = int(cursor.lastrowid or 0)
        return self.poll(made)

    def poll(self, poll_id: int) -> Poll:
        with self._read() as db:
            row = db.execute("SELECT * FROM live_polls WHERE id = ?", (poll_id,)).fetchone()
        if row is None:
            raise StoreError(f"no poll {poll_id}")
        return _poll(row)

    def polls(self, session_id: int) -> list[Poll]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM live_polls WHERE session_id = ? ORDER BY id", (session_id,))
            return [_poll(row) for row in rows]

    def current_poll(self, session_id: int) -> Poll | None:
        with self._read() as db:
            row = db.execute(
                "SELECT * FROM live_polls WHERE session_id = ? ORDER BY id DESC LIMIT 1", (session_id,)
            ).fetchone()
        return _poll(row) if row else None

    def close_poll(self, poll_id: int) -> Poll:
        with self._write() as db:
            db.execute("UPDATE live_polls SET open = 0 WHERE id = ?", (poll_id,))
        return self.poll(poll_id)

    def reopen_poll(self, poll_id: int) -> Poll:
        """Open a closed vote again (say, too few had voted): the votes given stay."""
        with self._write() as db:
            row = db.execute("SELECT session_id FROM live_polls WHERE id = ?", (poll_id,)).fetchone()
            if row is None:
                raise StoreError(f"no poll {poll_id}")
            _live_session(db, row["session_id"])
            db.execute("UPDATE live_polls SET open = 1 WHERE id = ?", (poll_id,))
        return self.poll(poll_id)

    def vote_again(self, poll_id: int) -> Poll:
        """Open the second vote on a statement, after the room discussed the first one's results."""
        with self._write() as db:
            row = db.execute("SELECT * FROM live_polls WHERE id = ?", (poll_id,)).fetchone()
            if row is None:
                raise StoreError(f"no poll {poll_id}")
            _live_session(db, row["session_id"])
            if row["stage"] == 2:
                raise StoreError("this statement has had its second vote")
            db.execute("UPDATE live_polls SET stage = 2, open = 1 WHERE id = ?", (poll_id,))
        return self.poll(poll_id)

    def vote(self, poll_id: int, participant_id: int, value: str) -> bool:
        """Record a phone's vote in the poll's current vote; False when it had voted in it already, or
        (in the second vote) when it did not vote the first time. A closed poll raises :class:`StoreError`."""
        with self._write() as db:
            row = db.execute("SELECT * FROM live_polls WHERE id = ?", (poll_id,)).fetchone()
            if row is None or not row["open"]:
                raise StoreError("voting on this statement has closed")
            stage = int(row["stage"])
            if (
                stage == 2
                and not db.execute(
                    "SELECT 1 FROM live_votes WHERE poll_id = ? AND stage = 1 AND participant_id = ?",
                    (poll_id, participant_id),
                ).fetchone()
            ):
                return False
            cursor = db.execute(
                "INSERT OR IGNORE INTO live_votes (poll_id, stage, participant_id, value, voted_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (poll_id, stage, participant_id, value, now()),
            )
            return cursor.rowcount == 1

    def votes(self, poll_id: int) -> dict[int, dict[int, str]]:
        """The poll's votes: stage -> participant id -> value. Never shown as such: see the session's tally."""
        with self._read() as db:
            rows = db.execute(
                "SELECT stage, participant_id, value FROM live_votes WHERE poll_id = ? ORDER BY stage, voted_at",
                (poll_id,),
            ).fetchall()
        found: dict[int, dict[int, str]] = {1: {}, 2: {}}
        for row in rows:
            found[int(row["stage"])][int(row["participant_id"])] = str(row["value"])
        return found

    def note_poll(self, poll_id: int, note: str) -> None:
        with self._write() as db:
            db.execute("UPDATE live_polls SET note = ? WHERE id = ?", (note.strip(), poll_id))

    def add_action(self, session_id: int, action: LiveAction) -> LiveAction:
        """Keep an action the room agreed (its ``id`` is given by the store)."""
        with self._write() as db:
            _live_session(db, session_id)
            cursor = db.execute(
                "INSERT INTO live_actions (session_id, finding, remedy_id, remedy, action, owner, due, note,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    action.finding,
                    action.remedy_id,
                    action.remedy,
                    action.action,
                    action.owner,
                    action.due,
                    action.note,
                    now(),
                ),
            )
            made = int(cursor.lastrowid or 0)
        return LiveAction(made, *(getattr(action, name) for name in LIVE_ACTION_FIELDS))

    def session_actions(self, session_id: int) -> list[LiveAction]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM live_actions WHERE session_id = ? ORDER BY id", (session_id,))
            return [_live_action(row) for row in rows]

    def round_actions(self, round_id: int) -> list[LiveAction]:
        """The actions every live session of the round agreed, in the order they were agreed."""
        with self._read() as db:
            rows = db.execute(
                "SELECT a.* FROM live_actions a JOIN live_sessions s ON s.id = a.session_id"
                " WHERE s.round_id = ? ORDER BY a.id",
                (round_id,),
            )
            return [_live_action(row) for row in rows]

    def session_changes(self, session_id: int) -> str:
        """A short text that changes whenever a phone joins or votes, or the facilitator moves on."""
        with self._read() as db:
            row = db.execute(
                "SELECT (SELECT ended_at FROM live_sessions WHERE id = :s) AS ended,"
                " (SELECT count(*) FROM live_participants WHERE session_id = :s) AS people,"
                " (SELECT coalesce(max(id), 0) || '.' || coalesce(max(stage * 10 + open), 0) FROM live_polls"
                "   WHERE session_id = :s AND id = (SELECT max(id) FROM live_polls WHERE session_id = :s)) AS poll,"
                " (SELECT count(*) FROM live_votes v JOIN live_polls p ON p.id = v.poll_id"
                "   WHERE p.session_id = :s) AS votes,"
                " (SELECT count(*) FROM live_actions WHERE session_id = :s) AS actions",
                {"s": session_id},
            ).fetchone()
        return f"{row['ended'] or ''}:{row['people']}:{row['poll']}:{row['votes']}:{row['actions']}"


def _round_key(round_id: int) -> str:
    return f"round:{round_id}:assessment"


def _round(row: sqlite3.Row) -> Round:
    return Round(
        id=row["id"],
        partnership=row["partnership"],
        assessed_on=datetime.date.fromisoformat(row["assessed_on"]),
        questionnaire=QuestionnaireRef(id=row["questionnaire_id"], version=row["questionnaire_version"]),
        min_group=row["min_group"],
        status=row["status"],
        room_token=row["room_token"],
        room_open=bool(row["room_open"]),
        show_names=bool(row["show_names"]),
        lead_id=row["lead_id"],
        shared_with_programme=bool(row["shared_with_programme"]),
        named_in_programme=bool(row["named_in_programme"]),
    )


def _lead(row: sqlite3.Row) -> Lead:
    return Lead(id=row["id"], email=row["email"], name=row["name"], operator=bool(row["operator"]))


def _hashed(token: str) -> str:
    """How a token is stored: its SHA-256 (a token has 192 bits or more, so no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _ended(row: sqlite3.Row, moment: datetime.datetime) -> bool:
    began = datetime.datetime.fromisoformat(row["created_at"])
    seen = datetime.datetime.fromisoformat(row["last_seen"])
    return moment - seen > SESSION_IDLE or moment - began > SESSION_ABSOLUTE


def _expire_sessions(db: sqlite3.Connection) -> None:
    """Delete the sessions that have ended."""
    moment = datetime.datetime.now(datetime.UTC)
    ended = [row["token_hash"] for row in db.execute("SELECT * FROM sessions") if _ended(row, moment)]
    db.executemany("DELETE FROM sessions WHERE token_hash = ?", [(each,) for each in ended])


def _owned(owner: Owner) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause of the rows lead ``owner`` owns (None: the local lead); none for :data:`ANYONE`."""
    return ("", ()) if owner == ANYONE else ("WHERE lead_id IS ?", (owner,))


def _next_link(
    db: sqlite3.Connection, key: bytes, respondent_id: int, generation: int | None, *, withdrawn_at: str | None
) -> None:
    """Move a respondent to their link's next generation: the link held until now opens nothing."""
    following = (generation or 0) + 1
    db.execute(
        "UPDATE respondents SET token = ?, generation = ?, withdrawn_at = ? WHERE id = ?",
        (digest(link_token(key, respondent_id, following)), following, withdrawn_at, respondent_id),
    )


def _shown_token(key: bytes | None, row: sqlite3.Row) -> str:
    """The token of a respondent's link as the lead is shown it: made again from the key, checked
    against the digest kept ("" when it cannot be: no key, or another one); a link made before
    links were hashed is kept as it is."""
    if row["generation"] is None:
        return str(row["token"])
    if key is None:
        return ""
    token = link_token(key, row["id"], row["generation"])
    return token if hmac.compare_digest(digest(token), row["token"]) else ""


def _invitees(db: sqlite3.Connection, key: bytes | None, where: str, parameters: Sequence[object]) -> list[Invitee]:
    rows = db.execute(
        "SELECT *, EXISTS (SELECT 1 FROM answers a WHERE a.respondent_id = respondents.id) AS started"
        f" FROM respondents WHERE {where} ORDER BY id",
        tuple(parameters),
    )
    return [
        Invitee(
            id=row["id"],
            round_id=row["round_id"],
            token=_shown_token(key, row),
            name=row["name"],
            organisation=row["organisation"],
            role=row["role"],
            via=row["via"],
            finished=row["finished_at"] is not None,
            started=bool(row["started"]),
            email=row["email"],
            withdrawn=row["withdrawn_at"] is not None,
        )
        for row in rows
    ]


def _round_of(db: sqlite3.Connection, respondent_id: int) -> int:
    row = db.execute("SELECT round_id FROM respondents WHERE id = ?", (respondent_id,)).fetchone()
    if row is None:
        raise StoreError(f"no respondent {respondent_id}")
    return int(row["round_id"])


def _open_round(db: sqlite3.Connection, round_id: int) -> None:
    row = db.execute("SELECT status FROM rounds WHERE id = ?", (round_id,)).fetchone()
    if row is None:
        raise StoreError(f"no round {round_id}")
    if row["status"] != "open":
        raise RoundClosedError(f"round {round_id} has closed: its answers can no longer change")


_SELECT_ASSESSMENTS = (
    "SELECT a.*, EXISTS (SELECT 1 FROM action_plans p WHERE p.assessment_id = a.id) AS has_actions FROM assessments a"
)


def _answers_json(answers: Answers) -> str:
    # The programme flag is written only when set, so answers saved before it existed still compare the same.
    unset = None if answers.named_in_programme else {"named_in_programme"}
    return json.dumps(answers.model_dump(mode="json", exclude=unset), ensure_ascii=False, separators=(",", ":"))


def _insert_assessment(
    db: sqlite3.Connection,
    answers: Answers,
    report: Mapping[str, Any],
    rulebase_version: str,
    saved_at: str,
    options: Mapping[str, Any] | None,
    shared: bool = False,
) -> int:
    check_lengths(partnership=answers.partnership)
    cursor = db.execute(
        "INSERT INTO assessments (partnership, assessed_on, questionnaire_id, questionnaire_version, rulebase_version,"
        " answers, report, saved_at, options, shared_with_programme, named_in_programme)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            answers.partnership,
            answers.assessed_on.isoformat(),
            answers.questionnaire.id,
            answers.questionnaire.version,
            rulebase_version,
            _answers_json(answers),
            json.dumps(dict(report), ensure_ascii=False, separators=(",", ":")),
            saved_at,
            json.dumps(dict(options or {}), ensure_ascii=False),
            int(shared),
            int(answers.named_in_programme),
        ),
    )
    return int(cursor.lastrowid or 0)


def _same(db: sqlite3.Connection, answers: Answers) -> int | None:
    row = db.execute(
        "SELECT id FROM assessments WHERE partnership = ? AND assessed_on = ? AND answers = ? ORDER BY id",
        (answers.partnership, answers.assessed_on.isoformat(), _answers_json(answers)),
    ).fetchone()
    return int(row["id"]) if row else None


def _attach(db: sqlite3.Connection, assessment_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    db.execute(
        "INSERT INTO action_plans (assessment_id, rows, attached_at) VALUES (?, ?, ?)"
        " ON CONFLICT (assessment_id) DO UPDATE SET rows = excluded.rows, attached_at = excluded.attached_at",
        (assessment_id, json.dumps([dict(row) for row in rows], ensure_ascii=False), now()),
    )


def _stored(row: sqlite3.Row, full: bool) -> StoredAssessment:
    return StoredAssessment(
        id=row["id"],
        partnership=row["partnership"],
        assessed_on=datetime.date.fromisoformat(row["assessed_on"]),
        questionnaire_id=row["questionnaire_id"],
        questionnaire_version=row["questionnaire_version"],
        rulebase_version=row["rulebase_version"],
        saved_at=row["saved_at"],
        has_actions=bool(row["has_actions"]),
        options=dict(json.loads(row["options"])),
        answers=Answers.model_validate(json.loads(row["answers"])) if full else None,
        report=json.loads(row["report"]) if full else None,
        shared_with_programme=bool(row["shared_with_programme"]),
        named_in_programme=bool(row["named_in_programme"]),
    )


CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""The letters and digits of a join code: none read as another (no 0/O, 1/I/L)."""
CODE_LENGTH = 6


def new_code() -> str:
    """A join code for a live session: 6 of :data:`CODE_ALPHABET` (about 887 million codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def token_hash(token: str) -> str:
    """What is stored of a phone's cookie: its SHA-256 (the cookie's token is random, 256 bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LiveSession:
    """A live session run in the room from a round: its join code, and whether phones give their organisation."""

    id: int
    round_id: int
    code: str
    ask_organisation: bool
    started_at: str
    ended_at: str | None

    @property
    def live(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class Participant:
    """A phone that joined a session: its role (and organisation, when asked); never a name."""

    id: int
    session_id: int
    role: str
    organisation: str | None


@dataclass(frozen=True)
class Poll:
    """A statement put to the room: the first vote (stage 1), then the vote after the discussion (stage 2)."""

    id: int
    session_id: int
    question_id: str
    stage: int
    open: bool
    note: str


LIVE_ACTION_FIELDS = ("finding", "remedy_id", "remedy", "action", "owner", "due", "note")


@dataclass(frozen=True)
class LiveAction:
    """An action the room agreed for a finding: what, who owns it (an organisation), by when, and a note."""

    id: int
    finding: str
    remedy_id: str
    remedy: str
    action: str
    owner: str
    due: str
    note: str = ""

    def plan_row(self) -> dict[str, str]:
        """The action as a row of a filled-in action plan (the keys ``surveys.plans.read_plan`` gives)."""
        return {
            "remedy_id": self.remedy_id,
            "remedy": self.remedy,
            "steps": self.action,
            "for_findings": self.finding,
            "sources": "",
            "owner": self.owner,
            "due": self.due,
            "status": "",
            "note": self.note,
        }


def _live_session(db: sqlite3.Connection, session_id: int) -> None:
    row = db.execute("SELECT ended_at FROM live_sessions WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        raise StoreError(f"no live session {session_id}")
    if row["ended_at"] is not None:
        raise StoreError("this live session has ended")


def _session(row: sqlite3.Row) -> LiveSession:
    return LiveSession(
        id=row["id"],
        round_id=row["round_id"],
        code=row["code"],
        ask_organisation=bool(row["ask_organisation"]),
        started_at=row["started_at"],
        ended_at=row["ended_at"],
    )


def _participant(row: sqlite3.Row) -> Participant:
    return Participant(id=row["id"], session_id=row["session_id"], role=row["role"], organisation=row["organisation"])


def _poll(row: sqlite3.Row) -> Poll:
    return Poll(
        id=row["id"],
        session_id=row["session_id"],
        question_id=row["question_id"],
        stage=int(row["stage"]),
        open=bool(row["open"]),
        note=row["note"],
    )


def _live_action(row: sqlite3.Row) -> LiveAction:
    return LiveAction(row["id"], *(row[name] for name in LIVE_ACTION_FIELDS))
