"""Lead accounts, sign-in and sessions, one lead's rounds hidden from another, and the rate limits.

The operator makes accounts with ``partnership-health lead``; leads sign in at
``/lead/sign-in`` and see only their own rounds. The app runs in-process under
Starlette's test client, which keeps cookies as a browser does.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from starlette.routing import Route
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.cli.leads import LOCAL_OPERATOR
from partnership_health.store.sqlite import Store
from partnership_health.web import create_app
from partnership_health.web.limits import Limits, Rule

from .conftest import MINI

BASE = "http://127.0.0.1:8000"
PASSWORD = "correct horse battery staple"
MINI_INPUTS = ["--questionnaire", str(MINI / "questionnaire.yaml")]


def run(*argv: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str]:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]  # type: ignore[index]


def rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return [tuple(row) for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1")]


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows but the sessions' (whose last use a request may note)."""
    with sqlite3.connect(db) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {table: rows(db, table) for table in tables if table != "sessions"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "rounds.db"


@pytest.fixture
def store(db: Path) -> Store:
    return Store(db)


def add_lead(db: Path, email: str, monkeypatch: pytest.MonkeyPatch, password: str = PASSWORD) -> None:
    code, out = run(
        "lead", "add", email, "--db", str(db), "--password-stdin", stdin=password + "\n", monkeypatch=monkeypatch
    )
    assert code == 0, out


def make_app(store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase, **options: object) -> object:
    return create_app(store, questionnaire=questionnaire, rules=rulebase, **options)  # type: ignore[arg-type]


Build = Callable[..., object]


@pytest.fixture
def build(store: Store, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase) -> Build:
    """The app over the test's store, made with create_app's options given (secure_cookies, limits)."""
    return functools.partial(make_app, store, mini_questionnaire, mini_rulebase)


@pytest.fixture
def app(build: Build) -> object:
    return build()


def client(app: object, address: str = "192.0.2.1", base: str = BASE) -> TestClient:
    return TestClient(app, base_url=base, client=(address, 50000))  # type: ignore[arg-type]


def sign_in(browser: TestClient, email: str, password: str = PASSWORD) -> object:
    form = browser.get("/lead/sign-in")
    return browser.post("/lead/sign-in", data={"csrf": csrf(form.text), "email": email, "password": password})


# --- accounts on the command line -------------------------------------------------------


def test_an_operator_adds_lists_resets_and_removes_leads(
    db: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "Ada@Example.org", monkeypatch)
    code, out = run(
        "lead", "add", "ada@example.ORG", "--db", str(db), "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch
    )
    assert code == 1  # the same address in another case

    code, out = run("lead", "list", "--db", str(db))
    assert (code, out) == (0, f"Ada@Example.org  -  0 rounds\n{LOCAL_OPERATOR}\n")
    ((_, email, _, stored, *_),) = rows(db, "leads")
    assert email == "Ada@Example.org" and stored.startswith("$argon2id$") and PASSWORD not in stored  # type: ignore[union-attr]

    code, _ = run(
        "lead",
        "password",
        "ada@example.org",
        "--db",
        str(db),
        "--password-stdin",
        stdin="new one but long\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and rows(db, "leads")[0][3] != stored
    assert PasswordHasher().verify(str(rows(db, "leads")[0][3]), "new one but long")

    code, out = run("lead", "remove", "ADA@example.org", "--db", str(db))
    assert code == 0 and "0 rounds of theirs" in out and rows(db, "leads") == []


@pytest.mark.parametrize("password", ["eleven char", "x" * 1025])
def test_a_password_too_short_or_too_long_is_refused_and_nothing_is_added(
    db: Path, store: Store, password: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(
        "lead", "add", "ada@example.org", "--db", str(db), "--password-stdin", stdin=password, monkeypatch=monkeypatch
    )

    assert code == 1 and rows(db, "leads") == []
    assert "a password" in capsys.readouterr().err


def test_the_password_asked_twice_must_match(db: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    code, _ = run("lead", "add", "ada@example.org", "--db", str(db))

    assert code == 1 and rows(db, "leads") == []
    answers = iter([PASSWORD, PASSWORD])
    assert run("lead", "add", "ada@example.org", "--db", str(db))[0] == 0


def test_not_an_email_address_is_refused(db: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = run(
        "lead", "add", "ada at example", "--db", str(db), "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch
    )
    assert code == 2 and rows(db, "leads") == []


# --- signing in and out ------------------------------------------------------------------


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(
    app: object, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    with client(app) as browser:
        unknown = sign_in(browser, "nobody@example.org")
        wrong = sign_in(browser, "ada@example.org", PASSWORD + "x")
        assert unknown.status_code == wrong.status_code == 400  # type: ignore[attr-defined]
        said = [re.search(r'<p class="error-message".*?</p>', page.text, re.S)[0] for page in (unknown, wrong)]  # type: ignore[attr-defined,index]
        assert said[0] == said[1] and "not right" in said[0]
        assert "ph_lead" not in browser.cookies
        assert browser.get("/lead").status_code == 403


def test_signing_in_sets_a_new_hashed_session_in_a_strict_cookie(
    build: Build, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    for secure in (False, True):
        app = build(secure_cookies=secure)
        with client(app, base="https://health.example.org" if secure else BASE) as browser:  # a Secure cookie: https
            page = sign_in(browser, "ADA@example.org")
            assert page.url.path == "/lead" and page.status_code == 200  # type: ignore[attr-defined]
            cookie = page.history[0].headers["set-cookie"]  # type: ignore[attr-defined]
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
            assert ("Secure" in cookie) is secure
            first = browser.cookies["ph_lead"]
            stored = [row[0] for row in rows(db, "sessions")]
            assert hashlib.sha256(first.encode()).hexdigest() in stored and first not in stored

            sign_in(browser, "ada@example.org")  # again in the same browser: a new token, the old one ended
            second = browser.cookies["ph_lead"]
            assert second != first
            with client(app, "192.0.2.9", base="https://health.example.org") as thief:
                thief.cookies.set("ph_lead", first)
                assert thief.get("/lead").status_code == 403


def test_signing_out_ends_the_session_on_the_server(app: object, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    with client(app) as browser:
        home = sign_in(browser, "ada@example.org")
        token = browser.cookies["ph_lead"]
        assert browser.post("/lead/sign-out", data={}).status_code == 403  # no CSRF token: refused
        assert browser.get("/lead").status_code == 200

        page = browser.post("/lead/sign-out", data={"csrf": csrf(home.text)})  # type: ignore[attr-defined]

        assert page.url.path == "/lead/sign-in" and "You have signed out" in page.text
        assert rows(db, "sessions") == []
        browser.cookies.set("ph_lead", token)  # the old cookie, kept by a copy of the browser
        assert browser.get("/lead").status_code == 403


@pytest.mark.parametrize(("began", "seen"), [(3, 2 * 60 + 1), (12 * 60 + 1, 1)], ids=["idle", "absolute"])
def test_a_session_expires_on_the_server(
    app: object, db: Path, began: int, seen: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two idle hours end a session, and so do twelve in all however busy; the ended row is deleted."""
    add_lead(db, "ada@example.org", monkeypatch)
    with client(app) as browser:
        sign_in(browser, "ada@example.org")
        assert browser.get("/lead").status_code == 200
        moment = datetime.datetime.now(datetime.UTC)
        with sqlite3.connect(db) as connection:
            connection.execute(
                "UPDATE sessions SET created_at = ?, last_seen = ?",
                (
                    (moment - datetime.timedelta(minutes=began)).isoformat(),
                    (moment - datetime.timedelta(minutes=seen)).isoformat(),
                ),
            )
        assert browser.get("/lead").status_code == 403
        assert rows(db, "sessions") == []


def test_a_hash_made_with_weaker_parameters_is_rehashed_at_sign_in(
    app: object, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE leads SET password_hash = ?", (weak,))
    with client(app) as browser:
        assert sign_in(browser, "ada@example.org").status_code == 200  # type: ignore[attr-defined]
    now_stored = str(rows(db, "leads")[0][3])
    assert now_stored != weak and not PasswordHasher().check_needs_rehash(now_stored)


# --- the local lead's private link ---------------------------------------------------------


def test_the_local_leads_link_is_stored_hashed_and_rotates(app: object, db: Path, store: Store) -> None:
    secret = store.lead_secret()
    assert secret not in str(snapshot(db))
    with client(app) as browser:
        assert browser.get(f"/lead/enter/{secret}").url.path == "/lead"

        code, out = run("lead", "rotate-secret", "--db", str(db))

        assert code == 0
        (new,) = re.findall(r"/lead/enter/(\S+)", out)
        assert browser.get("/lead").status_code == 403  # the local lead's sessions ended too
        assert browser.get(f"/lead/enter/{secret}").status_code == 403
        assert browser.get(f"/lead/enter/{new}").url.path == "/lead"


def test_a_round_made_on_the_command_line_for_a_lead_is_theirs_alone(
    app: object, db: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    code, out = run(
        "round",
        "create",
        "--db",
        str(db),
        "--partnership",
        "Ada's partnership",
        "--lead",
        "ada@example.org",
        *MINI_INPUTS,
    )
    assert code == 0 and "once signed in" in out
    assert (
        run("round", "create", "--db", str(db), "--partnership", "X", "--lead", "bob@example.org", *MINI_INPUTS)[0] == 1
    )
    with client(app) as ada, client(app, "192.0.2.2") as local:
        sign_in(ada, "ada@example.org")
        local.get(f"/lead/enter/{store.lead_secret()}")
        assert "Ada&#39;s partnership" in ada.get("/lead").text
        assert "Ada&#39;s partnership" not in local.get("/lead").text
        assert local.get("/lead/rounds/1").status_code == 404
    code, out = run("lead", "remove", "ada@example.org", "--db", str(db))
    assert "1 round of theirs" in out and store.get_round(1).lead_id is None  # the operator's now


# --- one lead cannot reach another's rounds -------------------------------------------------


class Signed:
    """A lead's browser, signed in, with a round of their own that one respondent has answered, then closed."""

    def __init__(self, app: object, email: str, address: str) -> None:
        self.browser = client(app, address)
        self.token = csrf(sign_in(self.browser, email).text)  # type: ignore[attr-defined]
        page = self.browser.post(
            "/lead/rounds",
            data={"csrf": self.token, "partnership": "Shared name", "date": "2026-11-30", "min_group": "1"},
        )
        self.round_id = int(page.url.path.rsplit("/", 1)[1])
        organisation = f"Organisation of {email}"
        self.browser.post(
            f"/lead/rounds/{self.round_id}/invite",
            data={"csrf": self.token, "organisation": organisation, "role": "core", "name": f"Name of {email}"},
        )


def inner_routes(app: object) -> list[Route]:
    while not hasattr(app, "routes"):
        app = app.app  # type: ignore[attr-defined]
    return [route for route in app.routes if isinstance(route, Route)]


def test_a_lead_reaches_none_of_another_leads_rounds_by_any_route(
    app: object, db: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    add_lead(db, "bob@example.org", monkeypatch)
    ada, bob = Signed(app, "ada@example.org", "192.0.2.1"), Signed(app, "bob@example.org", "192.0.2.2")
    (person,) = store.respondents(bob.round_id)
    store.save_section(person.id, "delivery", {"delivery.actions_have_owners": 4})
    store.finish(person.id)
    bob.browser.post(f"/lead/rounds/{bob.round_id}/close", data={"csrf": bob.token})
    kept = store.round_assessment(bob.round_id)
    assert kept is not None and store.get_round(bob.round_id).lead_id != store.get_round(ada.round_id).lead_id

    routes = [route for route in inner_routes(app) if route.path.startswith("/lead/")]
    fill = {"round_id": str(bob.round_id), "assessment_id": str(kept), "fmt": "md"}
    tried = []
    for route in routes:
        names = re.findall(r"{(\w+)", route.path)
        if not names or names == ["secret"]:
            continue
        path = re.sub(r"{(\w+)(:\w+)?}", lambda match: fill.get(match[1], "1"), route.path)
        for method in sorted((route.methods or set()) & {"GET", "POST"}):
            before = snapshot(db)
            if method == "GET":
                page = ada.browser.get(path)
            else:
                form = {
                    "csrf": ada.token,
                    "organisation": "Intruder",
                    "role": "core",
                    "open": "yes",
                    "name": "Intruder",
                }
                page = ada.browser.post(path, data=form)
            tried.append((method, route.path))
            assert page.status_code == 404, (method, path, page.status_code)
            assert "bob@example.org" not in page.text and "Shared name" not in page.text
            assert snapshot(db) == before, (method, path)
    assert ("GET", "/lead/rounds/{round_id:int}") in tried and ("POST", "/lead/rounds/{round_id:int}/close") in tried
    assert len(tried) >= 7  # the round page, invite, room, close, report, screen and its changes

    assert ada.browser.get("/lead/rounds/99999999999999999999").status_code == 404  # past SQLite's integers
    home = ada.browser.get("/lead").text
    assert f"/lead/rounds/{bob.round_id}" not in home and f"/lead/rounds/{ada.round_id}" in home
    own = ada.browser.get(f"/lead/rounds/{ada.round_id}").text
    assert f"<td>2026-11-30</td><td>{kept}" not in own  # the same partnership's name, but not Bob's history


# --- rate limits ------------------------------------------------------------------------


def test_sign_in_is_refused_after_ten_tries_from_one_address_and_others_are_not(
    build: Build, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    app = build(limits=Limits())
    with client(app, "192.0.2.50") as guesser, client(app, "192.0.2.51") as other:
        for attempt in range(10):
            assert sign_in(guesser, f"guess{attempt}@example.org").status_code == 400  # type: ignore[attr-defined]
        page = sign_in(guesser, "ada@example.org")  # even the right password, now
        assert page.status_code == 429  # type: ignore[attr-defined]
        assert 0 < int(page.headers["retry-after"]) <= 15 * 60  # type: ignore[attr-defined]
        assert "Try again in 15 minutes" in page.text  # type: ignore[attr-defined]
        assert sign_in(other, "ada@example.org").status_code == 200  # type: ignore[attr-defined]


def test_sign_in_is_refused_after_ten_tries_at_one_email_from_anywhere(
    build: Build, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    add_lead(db, "bob@example.org", monkeypatch)
    app = build(limits=Limits())
    for attempt in range(10):
        with client(app, f"198.51.100.{attempt}") as browser:
            assert sign_in(browser, "ada@example.org", "wrong guess number").status_code == 400  # type: ignore[attr-defined]
    with client(app, "198.51.100.200") as browser:
        assert sign_in(browser, "Ada@example.org").status_code == 429  # type: ignore[attr-defined]
        assert sign_in(browser, "bob@example.org").status_code == 200  # type: ignore[attr-defined]


def test_token_routes_and_the_room_sign_up_are_limited_per_address(build: Build, store: Store) -> None:
    """On the token routes only wrong tokens count: a guesser stops, respondents with their links never do."""
    app = build(limits=Limits(token=Rule(5, 600), room=Rule(3, 600)))
    secret = store.lead_secret()
    with client(app, "203.0.113.1") as guesser, client(app, "203.0.113.2") as other:
        for path in ("/r/guess", "/room/guess", "/lead/enter/guess", "/r/guess/check", "/r/guess"):
            assert guesser.get(path).status_code in (403, 404)
        for path in ("/r/guess", "/room/guess", f"/lead/enter/{secret}"):
            refused = guesser.get(path, follow_redirects=False)
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
            assert refused.text.startswith("Too many requests")
        for _ in range(10):  # a right link, again and again: never refused
            assert other.get(f"/lead/enter/{secret}").url.path == "/lead"
        for _ in range(3):
            assert other.post("/room/guess", data={}).status_code == 404  # no such room; every sign-up counts
        assert other.post("/room/guess", data={}).status_code == 429
        assert guesser.get("/").status_code == 200  # the pages without a token are not limited
