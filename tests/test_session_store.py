"""The live session's store and screens without a browser: joining, voting, privacy by attack, actions, restarts.

The app runs in-process (Starlette's test client), as a phone with JavaScript off drives it:
plain forms, redirect after each post, cookies.
"""

from __future__ import annotations

import datetime
import re
import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.models import DONT_KNOW
from partnership_health.store.sqlite import CODE_ALPHABET, LiveAction, Poll, Store, StoreError
from partnership_health.web import create_app
from partnership_health.web.views.session import tally

from .conftest import MINI

BASE = "http://127.0.0.1:8000"
MINI_INPUTS = ["--questionnaire", str(MINI / "questionnaire.yaml"), "--rules", str(MINI / "rules")]
STATEMENT = "authority.decisions_shared"


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]  # type: ignore[index]


def seeded_round(
    store: Store, questionnaire: ph.Questionnaire, min_group: int = 3, answered: Path = MINI / "answers.yaml"
) -> int:
    """A round answered as ``answered`` (tests/mini/answers.yaml: one lead, two core partners)."""
    answers = ph.load_answers(answered, questionnaire)
    ref = ph.models.QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    found = store.create_round(answers.partnership, answers.assessed_on, ref, min_group)
    for person in answers.respondents:
        (invitee,) = store.invite(found.id, [(person.organisation, person.role, None)])
        for section in questionnaire.sections:
            given = {q.id: person.answers[q.id] for q in section.questions if q.id in person.answers}
            store.save_section(invitee.id, section.id, given)
        store.finish(invitee.id)
    return found.id


# --- the store --------------------------------------------------------------------------


def test_a_session_has_a_short_unambiguous_code_and_keeps_only_a_hash_of_each_phones_token(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire
) -> None:
    store = Store(tmp_path / "s.db")
    round_id = seeded_round(store, mini_questionnaire)
    codes = {store.start_live_session(round_id).code for _ in range(20)}
    assert len(codes) == 20 and all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("0O1IL") & set(CODE_ALPHABET)
    live = store.live_session_by_code(sorted(codes)[0])
    assert live is not None
    token = store.join_live_session(live.id, "core")
    assert store.participant(live.id, token) is not None and store.participant(live.id, token + "x") is None
    written = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("s.db"))
    assert token.encode() not in written and len(written) > 0
    with pytest.raises(StoreError, match="role"):
        store.join_live_session(live.id, "boss")


def test_one_phone_one_vote_per_vote_and_the_second_vote_only_for_the_first_votes_phones(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire
) -> None:
    store = Store(tmp_path / "s.db")
    live = store.start_live_session(seeded_round(store, mini_questionnaire))
    phones = [store.participant(live.id, store.join_live_session(live.id, "core")) for _ in range(3)]
    assert all(phones)
    poll = store.open_poll(live.id, STATEMENT)
    assert store.vote(poll.id, phones[0].id, "4")  # type: ignore[union-attr]
    assert not store.vote(poll.id, phones[0].id, "1")  # type: ignore[union-attr]
    assert store.vote(poll.id, phones[1].id, DONT_KNOW)  # type: ignore[union-attr]
    store.close_poll(poll.id)
    with pytest.raises(StoreError, match="closed"):
        store.vote(poll.id, phones[2].id, "3")  # type: ignore[union-attr]
    store.vote_again(poll.id)
    assert not store.vote(poll.id, phones[2].id, "3")  # type: ignore[union-attr]
    assert store.vote(poll.id, phones[0].id, "2")  # type: ignore[union-attr]
    assert store.votes(poll.id) == {1: {phones[0].id: "4", phones[1].id: DONT_KNOW}, 2: {phones[0].id: "2"}}  # type: ignore[union-attr]


def test_a_reopened_store_has_every_vote_note_and_action(tmp_path: Path, mini_questionnaire: ph.Questionnaire) -> None:
    store = Store(tmp_path / "s.db")
    live = store.start_live_session(seeded_round(store, mini_questionnaire))
    token = store.join_live_session(live.id, "wider")
    phone = store.participant(live.id, token)
    poll = store.open_poll(live.id, STATEMENT)
    store.vote(poll.id, phone.id, "5")  # type: ignore[union-attr]
    store.note_poll(poll.id, "The lead sees it differently.")
    store.add_action(
        live.id, LiveAction(0, "Finding", "share-decisions", "Share decisions", "Write it", "School", "2027-01-31", "n")
    )
    again = Store(tmp_path / "s.db")  # as a restarted server opens it
    assert again.participant(live.id, token) == phone
    assert again.votes(poll.id)[1] == {phone.id: "5"}  # type: ignore[union-attr]
    assert again.current_poll(live.id) == Poll(poll.id, live.id, STATEMENT, 1, True, "The lead sees it differently.")
    (action,) = again.session_actions(live.id)
    assert (action.owner, action.due, action.note) == ("School", "2027-01-31", "n")


# --- what the room sees: by attack --------------------------------------------------------


def shown(votes: dict[int, dict[int, str]], roles: dict[int, str], stage: int = 1, is_open: bool = False) -> object:
    poll = Poll(1, 1, STATEMENT, stage, is_open, "")
    return tally(poll, votes, roles, 3)


def test_nothing_is_shown_before_the_smallest_group_has_voted_and_the_vote_closed() -> None:
    roles = {1: "core", 2: "core", 3: "core"}
    two = shown({1: {1: "4", 2: "2"}, 2: {}}, roles)
    assert two.before is None and two.too_few  # type: ignore[attr-defined]
    open_three = shown({1: {1: "4", 2: "2", 3: "5"}, 2: {}}, roles, is_open=True)
    assert open_three.before is None and open_three.voted == 3 and open_three.needed == 0  # type: ignore[attr-defined]
    assert shown({1: {1: "4", 2: "2"}, 2: {}}, roles, is_open=True).needed == 1  # type: ignore[attr-defined]
    closed = shown({1: {1: "4", 2: "2", 3: "5"}, 2: {}}, roles)
    assert closed.before.total == {"agree": 2, "neither": 0, "disagree": 1, DONT_KNOW: 0}  # type: ignore[attr-defined]


def test_one_lead_among_four_core_cannot_be_worked_out_from_before_after_or_totals() -> None:
    """Two rooms that differ in the lead's vote, seen by a core partner whose own votes are the same in both.

    The lead does not vote again; subtracting before from after, or the totals from the
    groups, would give the lead's vote if the second vote counted only those who voted
    again, or if the lead were shown alone. Everything shown must be the same in both rooms.
    """
    roles = {1: "lead", 2: "core", 3: "core", 4: "core", 5: "core"}
    room_a = {1: {1: "5", 2: "1", 3: "2", 4: "4", 5: "3"}, 2: {2: "1", 3: "2", 4: "4", 5: "4"}}
    room_b = {1: {1: "1", 2: "5", 3: "2", 4: "4", 5: "3"}, 2: {2: "5", 3: "2", 4: "4", 5: "4"}}
    for stage, is_open in ((1, False), (2, True), (2, False)):
        a, b = shown(room_a, roles, stage, is_open), shown(room_b, roles, stage, is_open)
        assert a == b
    final = shown(room_a, roles, 2, False)
    assert final.before.groups == () and final.after.people == 5  # type: ignore[attr-defined]


def test_a_lead_merged_with_core_partners_is_not_pinned_by_the_groups_shown() -> None:
    roles = {1: "lead", 2: "core", 3: "core", 4: "wider", 5: "wider", 6: "wider"}
    a = shown({1: {1: "5", 2: "1", 3: "3", 4: "4", 5: "4", 6: "2"}, 2: {}}, roles)
    b = shown({1: {1: "1", 2: "5", 3: "3", 4: "4", 5: "4", 6: "2"}, 2: {}}, roles)
    assert a == b
    assert [name for name, _, _ in a.before.groups] == ["Wider partners", "Others"]  # type: ignore[attr-defined]


# --- the screens without JavaScript -----------------------------------------------------------


class Room:
    """The app over a seeded round, the lead's browser, and phones."""

    def __init__(self, db: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> None:
        self.db = db
        self.store = Store(db)
        self.round_id = seeded_round(self.store, questionnaire)
        self.questionnaire, self.rulebase = questionnaire, rulebase
        self.start()

    def start(self) -> None:
        """(Re)start the server: a new app over a new Store of the same file."""
        self.app = create_app(Store(self.db), questionnaire=self.questionnaire, rules=self.rulebase)
        self.lead = TestClient(self.app, base_url=BASE)
        page = self.lead.get(f"/lead/enter/{self.store.lead_secret()}")
        assert page.status_code == 200
        self.token = csrf(self.lead.get(f"/lead/rounds/{self.round_id}").text)

    def post(self, path: str, **data: str) -> object:
        return self.lead.post(path, data={"csrf": self.token, **data})

    def phone(self, role: str, code: str) -> TestClient:
        phone = TestClient(self.app, base_url=BASE)
        page = phone.get(f"/join?code={code[:3].lower()} {code[3:]}")
        assert page.url.path == f"/s/{code}" and "Join the session" in page.text
        joined = phone.post(f"/s/{code}/join", data={"csrf": csrf(page.text), "role": role})
        assert joined.status_code == 200 and "You have joined" in joined.text
        return phone


def vote(phone: TestClient, code: str, answer: str) -> object:
    page = phone.get(f"/s/{code}")
    poll = re.search(r'name="poll" value="(\d+)"', page.text)[1]  # type: ignore[index]
    return phone.post(f"/s/{code}/vote", data={"csrf": csrf(page.text), "poll": poll, "answer": answer})


def test_a_session_run_without_javascript_from_joining_to_the_record_and_next_years_report(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    room = Room(tmp_path / "s.db", mini_questionnaire, mini_rulebase)
    started = room.post(f"/lead/rounds/{room.round_id}/sessions", ask_organisation="yes")
    assert started.status_code == 200 and "<svg" in started.text and "Refresh results" in started.text
    assert "<script>" not in started.text and 'http-equiv="refresh"' not in started.text
    session_url = started.url.path  # type: ignore[attr-defined]
    code = re.search(r"/s/([A-Z0-9]{6})", started.text)[1]  # type: ignore[index]
    assert room.lead.get("/join?code=XXXXXX").status_code == 404

    phones = [room.phone(role, code) for role in ("lead", "core", "core", "core", "core")]
    again = phones[1].get(f"/s/{code}")  # a reload keeps the phone's place
    assert "You have joined" in again.text
    room.post(f"{session_url}/poll", question=STATEMENT)
    for phone, answer in zip(phones[:2], ("5", "1"), strict=True):
        assert vote(phone, code, answer).status_code == 200  # type: ignore[attr-defined]
    screen = room.lead.get(session_url).text
    assert "2</span> voted" in screen and "1</span> more needed" in screen and "Everyone" not in screen
    room.post(f"{session_url}/close")
    assert "Only 2 voted" in room.lead.get(session_url).text
    assert room.post(f"{session_url}/again").status_code == 409  # type: ignore[attr-defined]
    room.post(f"{session_url}/reopen")
    for phone, answer in zip(phones[2:], ("2", "4", "3"), strict=True):
        vote(phone, code, answer)
    assert "Your answer is in" in phones[0].get(f"/s/{code}").text
    room.post(f"{session_url}/close")
    screen = room.lead.get(session_url).text
    assert "Results: 5 voted" in screen and "Not shown by role" in screen

    room.start()  # the server restarts mid-session: nothing is lost
    room.post(f"{session_url}/again")
    for phone, answer in zip(phones[1:], ("1", "2", "4", "4"), strict=True):
        vote(phone, code, answer)
    room.post(f"{session_url}/note", note="The lead sees decisions shared; others do not.")
    room.post(f"{session_url}/close")
    assert room.post(f"{session_url}/reopen").status_code == 409  # type: ignore[attr-defined]
    assert room.post(f"{session_url}/poll", question=STATEMENT).status_code == 409  # type: ignore[attr-defined]
    screen = room.lead.get(session_url).text
    assert "Before: 5 voted" in screen and "After: 5 voted" in screen
    state = room.lead.get(f"{session_url}/state.json").json()
    assert state["results"].startswith("Results after the discussion") and set(state) == {
        "phase",
        "live",
        "joined",
        "voted",
        "needed",
        "results",
    }

    # Two actions, the first from the remedy's steps, after a wrong date.
    picked = room.lead.get(f"{session_url}?view=actions&finding=power.lead-core-gap:share-decisions").text
    assert "Agree in writing which decisions the whole partnership takes." in picked
    wrong = room.post(
        f"{session_url}/actions",
        finding="power.lead-core-gap:share-decisions",
        action="Write it down",
        owner="Library",
        due="31/01/2027",
        note="",
    )
    assert wrong.status_code == 400 and "must be a date YYYY-MM-DD" in wrong.text  # type: ignore[attr-defined]
    for owner, due, text in (
        ("Library", "2027-01-31", "Write down who decides what"),
        ("School", "2027-03-01", "Rotate the chair"),
    ):
        done = room.post(
            f"{session_url}/actions",
            finding="power.lead-core-gap:share-decisions",
            action=text,
            owner=owner,
            due=due,
            note="agreed in the room",
        )
        assert done.status_code == 200 and text in done.text  # type: ignore[attr-defined]

    record = room.lead.get(f"{session_url}/record.md")
    assert record.headers["content-disposition"].endswith('.md"')
    text = record.text
    assert "Rotate the chair" in text and "Owner: School. Due: 2027-03-01." in text
    assert (
        "| **Before**: everyone (5) | 2 | 1 | 2 | 0 |" in text and "| **After**: everyone (5) | 3 | 0 | 2 | 0 |" in text
    )
    assert "Lead partner" not in text  # one lead: never a group of its own

    # The round's reports fill in the plan with them, in every format.
    for fmt in ("md", "html", "csv"):
        report = room.lead.get(f"/lead/rounds/{room.round_id}/report.{fmt}").text
        assert "Rotate the chair" in report or fmt == "csv", fmt
        assert "School" in report and "2027-03-01" in report, fmt
    assert (
        "Write down who decides what; Rotate the chair" in room.lead.get(f"/lead/rounds/{room.round_id}/report.md").text
    )
    agreed = room.lead.get(f"/lead/rounds/{room.round_id}/report.json").json()["agreed_actions"]
    assert [(a["action"], a["owner"], a["due"], a["remedy_id"]) for a in agreed] == [
        ("Write down who decides what", "Library", "2027-01-31", "share-decisions"),
        ("Rotate the chair", "School", "2027-03-01", "share-decisions"),
    ]

    # The round closes; its kept assessment's action plan is the session's, and next year follows it up.
    room.post(f"/lead/rounds/{room.round_id}/close")
    kept = room.store.round_assessment(room.round_id)
    plan = room.store.actions_of(kept)  # type: ignore[arg-type]
    assert [(row["owner"], row["due"]) for row in plan] == [("Library", "2027-01-31"), ("School", "2027-03-01")]  # type: ignore[union-attr]
    shown = tmp_path / "kept.csv"
    assert main(["history", "show", str(kept), "--db", str(room.db), *MINI_INPUTS, "--output", str(shown)]) == 0
    assert "Library; School" in shown.read_text(encoding="utf-8-sig")
    next_year = tmp_path / "2027.yaml"
    next_year.write_text((MINI / "answers.yaml").read_text().replace("2026-10-01", "2027-10-01"))
    out = tmp_path / "2027.md"
    code_ = main(
        ["assess", str(next_year), *MINI_INPUTS, "--compare", "previous", "--db", str(room.db), "--output", str(out)]
    )
    assert code_ == 0
    assert "Rotate the chair" in out.read_text() or "Share decisions" in out.read_text()
    assert "School" in out.read_text() and "2027-03-01" in out.read_text()


def test_the_phone_pages_refuse_what_is_wrong_without_a_traceback(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    room = Room(tmp_path / "s.db", mini_questionnaire, mini_rulebase)
    started = room.post(f"/lead/rounds/{room.round_id}/sessions")
    code = re.search(r"/s/([A-Z0-9]{6})", started.text)[1]  # type: ignore[index]
    stranger = TestClient(room.app, base_url=BASE)
    assert stranger.get("/s/ZZZZZZ").status_code == 404
    assert stranger.get(f"/s/{code.lower()}").url.path == f"/s/{code}"
    page = stranger.get(f"/s/{code}")
    bad = stranger.post(f"/s/{code}/join", data={"csrf": csrf(page.text), "role": "boss"})
    assert bad.status_code == 400 and "Choose your role" in bad.text
    assert stranger.post(f"/s/{code}/join", data={"csrf": "forged", "role": "core"}).status_code == 403
    phone = room.phone("core", code)
    room.post(f"{started.url.path}/poll", question=STATEMENT)  # type: ignore[attr-defined]
    page = phone.get(f"/s/{code}")
    poll = re.search(r'name="poll" value="(\d+)"', page.text)[1]  # type: ignore[index]
    assert phone.post(f"/s/{code}/vote", data={"csrf": csrf(page.text), "poll": poll, "answer": "7"}).status_code == 400
    assert phone.get(f"/s/{code}/state.json").json()["voted"] == 0
    assert stranger.get(f"/s/{code}/state.json").status_code == 403
    assert TestClient(room.app, base_url=BASE).get(started.url.path).status_code == 403  # type: ignore[attr-defined]
    room.post(f"{started.url.path}/end")  # type: ignore[attr-defined]
    assert "The session has ended" in phone.get(f"/s/{code}").text
    with sqlite3.connect(room.db) as db:
        assert db.execute("SELECT count(*) FROM live_votes").fetchone()[0] == 0


def test_a_session_of_a_round_nobody_answered_offers_every_statement_and_no_finding(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    store = Store(tmp_path / "s.db")
    ref = ph.models.QuestionnaireRef(id=mini_questionnaire.id, version=mini_questionnaire.version)
    empty = store.create_round("Empty partnership", datetime.date(2026, 10, 1), ref)
    app = create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase)
    lead = TestClient(app, base_url=BASE)
    lead.get(f"/lead/enter/{store.lead_secret()}")
    token = csrf(lead.get(f"/lead/rounds/{empty.id}").text)
    screen = lead.post(f"/lead/rounds/{empty.id}/sessions", data={"csrf": token})
    assert screen.status_code == 200 and "Seen most differently" not in screen.text
    assert screen.text.count("<option") == 3  # the mini questionnaire's three agreement statements
    actions = lead.get(f"{screen.url.path}?view=actions")
    assert "has no findings to act on yet" in actions.text
    evil = lead.get(screen.url.path, headers={"host": 'x"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in evil.text


def test_another_leads_session_is_not_found(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_accounts import add_lead, sign_in

    room = Room(tmp_path / "s.db", mini_questionnaire, mini_rulebase)
    started = room.post(f"/lead/rounds/{room.round_id}/sessions")
    add_lead(room.db, "ada@example.org", monkeypatch)
    ada = TestClient(room.app, base_url=BASE)
    assert sign_in(ada, "ada@example.org").status_code == 200  # type: ignore[attr-defined]
    for path in (started.url.path, f"{started.url.path}/state.json", f"{started.url.path}/record.md"):  # type: ignore[attr-defined]
        assert ada.get(path).status_code == 404, path
    assert room.lead.get(f"/lead/sessions/{2**64}").status_code == 404


def test_guessing_join_codes_is_rate_limited(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    from partnership_health.web.limits import Limits

    store = Store(tmp_path / "s.db")
    live = store.start_live_session(seeded_round(store, mini_questionnaire))
    app = create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase, limits=Limits())
    guesser = TestClient(app, base_url=BASE)
    answers = [guesser.get(f"/join?code=AAAAA{c}").status_code for c in CODE_ALPHABET * 4]
    assert set(answers[:100]) <= {303, 404} and answers[-1] == 429
    assert guesser.get(f"/s/{live.code}").status_code == 429  # the right code too, until the window passes
