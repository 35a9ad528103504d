"""The lead's pages in the browser's place: inviting from a list, every link, withdrawing one, closing.

Driven in-process with Starlette's test client as test_web.py does (the lead signed in, forms
with their CSRF tokens); the accessibility of every lead page is scanned in Chromium at the end.
"""

from __future__ import annotations

import csv
import html as html_text
import io
import re
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.store.sqlite import Store

from . import test_web
from .test_web import BASE, Lead, Respondent, csrf

store, app, lead = test_web.store, test_web.app, test_web.lead  # the same fixtures: a fresh file, the app, its lead

LIST = (
    "\ufeffName;ORGANIZATION;Role;E-mail\n"
    "Alex Smith;Library;Lead partner;alex@library.example\n"
    "\n"
    "Sam Jones;Youth Trust;core;sam@youth.example\n"
    "Kim;School;Wider Partners;\n"
    "Pat;;Core;pat@x.example\n"
    "Lee;Council;boss;lee@council.example\n"
    "Max;Museum;Wider;alex@library.example\n"
    "Ann;Clinic;Lead;ann@clinic.example\nBcc: all@example.org\n"
)


def preview(lead: Lead, round_id: int, text: str = "", file: bytes | None = None) -> object:
    files = {"file": ("invitees.csv", file, "text/csv")} if file is not None else None
    return lead.client.post(
        f"/lead/rounds/{round_id}/invite/list", data={"csrf": lead.token, "text": text}, files=files
    )


def cells(html: str, table_id: str) -> list[list[str]]:
    part = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part, re.S)[1:]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows
    ]


def test_a_pasted_list_is_previewed_row_by_row_and_nobody_is_invited_before_the_lead_confirms(
    lead: Lead, store: Store
) -> None:
    round_id = lead.create_round()
    page = preview(lead, round_id, LIST)
    assert page.status_code == 200, page.text
    assert "4 to invite; 4 rows refused; blank row 3 skipped" in page.text
    refused = cells(page.text, "refused")
    assert [row[0] for row in refused] == ["6", "7", "8", "10"]
    why = {row[0]: row[-1] for row in refused}
    assert why["6"] == "organisation is required"
    assert (
        "role must be one of Lead partner (lead), Core partner (core), Wider partner (wider) (got &#39;boss&#39;)"
        in why["7"]
    )
    assert why["8"] == "email the same as row 2&#39;s"
    assert why["10"].startswith("organisation is required; role must be one of")  # one cell: "Bcc: all@..."
    accepted = cells(page.text, "accepted")
    assert [(row[0], row[1], row[2], row[4]) for row in accepted] == [
        ("2", "Library", "Lead partner", "alex@library.example"),
        ("4", "Youth Trust", "Core partner", "sam@youth.example"),
        ("5", "School", "Wider partner", ""),
        ("9", "Clinic", "Lead partner", "ann@clinic.example"),
    ]
    assert store.respondents(round_id) == []  # nothing written by the preview

    form = {name: value for name, value in re.findall(r'name="(csrf|batch|data)" value="([^"]*)"', page.text)}
    first = lead.client.post(f"/lead/rounds/{round_id}/invite/confirm", data=form)
    again = lead.client.post(f"/lead/rounds/{round_id}/invite/confirm", data=form)  # a double click
    assert first.status_code == again.status_code == 200 and first.url.path.endswith("/links")
    people = store.respondents(round_id)
    assert [(p.organisation, p.role, p.name, p.email) for p in people] == [
        ("Library", "lead", "Alex Smith", "alex@library.example"),
        ("Youth Trust", "core", "Sam Jones", "sam@youth.example"),
        ("School", "wider", "Kim", None),
        ("Clinic", "lead", "Ann", "ann@clinic.example"),
    ]
    # the same list again: the emails already invited are refused, the one without an email is not
    page = preview(lead, round_id, LIST)
    assert "already invited to this round" in page.text


def test_an_uploaded_csv_with_commas_headers_in_any_order_and_a_bom_is_read(lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    data = "\ufeffrole,org,email,name\r\nCore Partner,Library,a@b.example,Ann\r\n".encode("utf-8")
    page = preview(lead, round_id, file=data)
    assert "1 to invite; 0 rows refused" in page.text
    assert cells(page.text, "accepted")[0][:3] == ["2", "Library", "Core partner"]


def test_a_list_that_cannot_be_read_says_why_and_invites_nobody(lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    page = preview(lead, round_id, "who,where\nAnn,Library\n")
    assert page.status_code == 400
    assert "row 1, column A (who): header: not a column of an invitee list" in page.text
    assert "needs a column &#39;organisation&#39;" in page.text
    assert 'action="/lead/rounds/' + str(round_id) + '/invite/confirm"' not in page.text
    empty = preview(lead, round_id, "  ")
    assert empty.status_code == 400 and "Paste the list, or choose a CSV file" in empty.text
    assert store.respondents(round_id) == []


def test_the_command_line_reads_the_same_list_and_keeps_its_emails(tmp_path: Path) -> None:
    from .test_rounds import create_round, run

    db = tmp_path / "rounds.db"
    round_id = create_round(db)
    invitees = tmp_path / "invitees.csv"
    invitees.write_text("Org;Role;Email\nLibrary;Lead;alex@library.example\nSchool;Wider partner;\n", encoding="utf-8")
    code, _ = run("round", "invite", "--db", str(db), str(round_id), "--from", str(invitees))
    assert code == 0
    assert [(p.organisation, p.role, p.email) for p in Store(db).respondents(round_id)] == [
        ("Library", "lead", "alex@library.example"),
        ("School", "wider", None),
    ]


def test_every_link_is_shown_selectable_and_downloads_as_a_formula_safe_csv(lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    lead.invite(round_id, '=HYPERLINK("http://evil.example")', "core", "@Sam")
    lead.invite(round_id, "Library", "lead", "Alex")
    page = lead.client.get(f"/lead/rounds/{round_id}/links")
    box = re.search(r'<textarea[^>]*id="links"[^>]*readonly[^>]*>(.*?)</textarea>', page.text, re.S)
    assert box is not None
    lines = box[1].splitlines()
    tokens = [p.token for p in store.respondents(round_id)]
    assert lines[1] == f"Library, Lead partner, Alex: {BASE}/r/{tokens[1]}"
    assert f"/r/{tokens[0]}" in lines[0]
    assert '<script src="/static/copy.js"></script>' in page.text and " hidden>Copy every link" in page.text

    download = lead.client.get(f"/lead/rounds/{round_id}/links.csv")
    assert download.headers["content-disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0] == ["organisation", "role", "name", "email", "progress", "link"]
    assert rows[1][:3] == ['\'=HYPERLINK("http://evil.example")', "core", "'@Sam"]
    assert rows[2] == ["Library", "lead", "Alex", "", "not started", f"{BASE}/r/{tokens[1]}"]


def test_progress_shows_who_has_started_or_finished_and_never_an_answer(app: object, lead: Lead) -> None:
    round_id = lead.create_round()
    started = Respondent(app, lead.invite(round_id, "Library", "lead"))
    finished = Respondent(app, lead.invite(round_id, "School", "core"))
    lead.invite(round_id, "Museum", "wider")
    started.section(1, {"delivery.actions_have_owners": "2"})
    finished.section(1, {"delivery.actions_have_owners": "4"})
    finished.send()
    page = lead.client.get(f"/lead/rounds/{round_id}").text
    progress = [row[3] for row in cells(page, "invitees-table") if len(row) == 5]
    assert progress == ["started", "finished", "not started"]
    assert "delivery.actions_have_owners" not in page


def test_a_withdrawn_link_says_so_and_a_new_link_works(app: object, lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    old = lead.invite(round_id, "Library", "lead")
    person = Respondent(app, old)
    person.section(1, {"delivery.actions_have_owners": "2"})
    (who,) = store.respondents(round_id)
    page = lead.client.post(f"/lead/rounds/{round_id}/people/{who.id}/withdraw", data={"csrf": lead.token})
    assert page.status_code == 200 and "withdrawn" in page.text
    assert lead.links(round_id) == []
    gone = person.client.get(old)
    assert gone.status_code == 410 and "This link was withdrawn" in gone.text and "Ask your lead" in gone.text
    assert person.client.get(f"{old}/section/1").status_code == 410

    lead.client.post(f"/lead/rounds/{round_id}/people/{who.id}/new-link", data={"csrf": lead.token})
    (link,) = lead.links(round_id)
    assert link != old and person.client.get(old).status_code == 410
    again = Respondent(app, link)
    assert 'value="2" checked' in again.client.get(f"{link}/section/1").text  # the answers saved are kept


def test_closing_asks_first_says_what_it_does_and_a_second_submit_is_harmless(
    app: object, lead: Lead, store: Store
) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    lead.invite(round_id, "School", "core")
    person.section(1, {"delivery.actions_have_owners": "2"})
    person.send()
    ask = lead.client.get(f"/lead/rounds/{round_id}/close")
    assert ask.status_code == 200 and "Close the round?" in ask.text
    assert "1 of 2 have sent their answers" in ask.text and "It cannot be undone." in ask.text
    assert store.get_round(round_id).open  # asking changes nothing
    round_page = lead.client.get(f"/lead/rounds/{round_id}").text
    assert f'href="/lead/rounds/{round_id}/close"' in round_page
    token = csrf(ask.text)
    first = lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": token})
    second = lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": token})
    assert first.status_code == second.status_code == 200
    assert not store.get_round(round_id).open
    assert len(store.assessments("Mini partnership")) == 1
    assert "This round has closed" in lead.client.get(f"/lead/rounds/{round_id}/close").text
    forged = lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": "x"})
    assert forged.status_code == 403


# --- year on year: since last time, the action plan ------------------------------------------

from . import test_web_year  # noqa: E402 (the Riverside rounds of the year on year tests)
from .test_web_year import RIVERSIDE, answered_round, save_last_year  # noqa: E402

riverside_lead = test_web_year.lead


def fields(html: str) -> dict[str, str]:
    """What the form sends as it stands: its inputs but the boxes left unticked, each select's choice."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        named, valued = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if named and valued and 'type="checkbox"' not in tag:
            found[named[1]] = html_text.unescape(valued[1])
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        found[name] = chosen[1] if chosen else ""
    return found


def test_since_last_time_shows_what_changed_for_the_rounds_partnership(
    riverside_lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    alone = answered_round(store, questionnaire, "riverside.yaml")
    page = riverside_lead.client.get(f"/lead/rounds/{alone}/since")
    assert page.status_code == 200 and f"No assessment of {RIVERSIDE} dated before" in page.text

    last_year = save_last_year(store, questionnaire, rulebase)
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    page = riverside_lead.client.get(f"/lead/rounds/{round_id}/since")
    assert page.status_code == 200
    assert f"(assessment {last_year})" in page.text
    for part in ("New (", "Resolved (", "Persisting ("):
        assert part in page.text
    scores = cells(page.text, "scores")
    assert scores and all(len(row) == 3 for row in scores)  # then, now, change beside each section's title
    assert questionnaire.sections[0].title in page.text


def test_the_action_plan_is_edited_in_the_browser_rows_added_changed_and_removed(
    riverside_lead: Lead, store: Store, questionnaire: ph.Questionnaire
) -> None:
    round_id = answered_round(store, questionnaire, "riverside.yaml")
    closed = riverside_lead.client.get(f"/lead/rounds/{round_id}/actions")
    assert "kept when the round closes" in closed.text
    riverside_lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": riverside_lead.token})
    page = riverside_lead.client.get(f"/lead/rounds/{round_id}/actions")
    assert page.status_code == 200
    form = fields(page.text)
    count = int(form["rows"])
    proposed = [form[f"remedy_id-{i}"] for i in range(count) if form.get(f"remedy_id-{i}")]
    assert len(proposed) >= 2 and count == len(proposed) + 3
    # the first owned and due, the second removed, one of the lead's own added
    form.update({"owner-0": "Alex", "due-0": "2027-03-31", "status-0": "In progress", "delete-1": "yes"})
    form.update({f"remedy-{count - 1}": "Monthly partner lunch", f"status-{count - 1}": "not started"})
    saved = riverside_lead.client.post(f"/lead/rounds/{round_id}/actions", data=form)
    assert saved.status_code == 200 and "Saved" in saved.text
    kept = store.round_assessment(round_id)
    assert kept is not None
    plan = store.actions_of(kept)
    assert plan is not None and len(plan) == len(proposed)  # one removed, one added
    assert plan[0]["remedy_id"] == proposed[0] and plan[0]["owner"] == "Alex"
    assert plan[0]["status"] == "in progress" and plan[0]["due"] == "2027-03-31"
    assert proposed[1] not in [row["remedy_id"] for row in plan]
    assert plan[-1] == {
        "remedy_id": "",
        "remedy": "Monthly partner lunch",
        "steps": "",
        "for_findings": "",
        "sources": "",
        "owner": "",
        "due": "",
        "status": "not started",
    }

    # a due date that is no date and a status not known: plain errors, nothing saved
    form = fields(riverside_lead.client.get(f"/lead/rounds/{round_id}/actions").text)
    form.update({"due-0": "31/02/2027", "status-0": "finished"})
    wrong = riverside_lead.client.post(f"/lead/rounds/{round_id}/actions", data=form)
    assert wrong.status_code == 400
    assert "Action 1, due date – due date is not a real date (got &#39;31/02/2027&#39;)" in wrong.text
    assert (
        "status must be one of done, in progress, not started, dropped, or blank (got &#39;finished&#39;)" in wrong.text
    )
    assert 'href="#f-due-0"' in wrong.text
    assert store.actions_of(kept) == plan


# --- accessibility: every lead page in Chromium -------------------------------------------------


def test_every_lead_page_has_no_serious_or_critical_accessibility_problem(
    tmp_path: Path, browser: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.controller import Controller
    from playwright.sync_api import expect

    from .test_browser import DESKTOP, MINI_INPUTS, Browsing, Server
    from .test_mail import Inbox
    from .test_reports import axe_violations
    from .test_wheel import free_port

    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_HOST", "127.0.0.1")  # the server started below inherits these
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_PORT", str(port))
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_FROM", "lead@partnership.example")
    server = Server(tmp_path / "rounds.db", *MINI_INPUTS)
    browsing = Browsing(browser)
    problems: dict[str, list[str]] = {}
    try:
        page = browsing.context(**DESKTOP, bypass_csp=True).new_page()  # type: ignore[attr-defined]  # axe is injected

        def scan(name: str) -> None:
            if "error" in name:
                expect(page).to_have_title(re.compile("^Error: "))
            found = axe_violations(page)
            serious = [
                f"{v['id']}: {[n['target'] for n in v['nodes']]}"
                for v in found
                if v["impact"] in ("serious", "critical")
            ]
            problems[name] = serious

        page.goto(f"{server.url}/lead/sign-in")
        scan("sign in")
        page.get_by_label("Email address").fill("nobody@partnership.example")
        page.get_by_label("Password").fill("not the password at all")
        page.get_by_role("button", name="Sign in").click()
        scan("sign in, refused")
        page.goto(f"{server.url}/lead/enter/{Store(server.db).lead_secret()}")
        scan("rounds")
        page.get_by_role("button", name="Start the round").click()  # no name: the error page
        scan("rounds, with an error")
        page.get_by_label("Partnership name").fill("Mini partnership")
        page.get_by_label("Smallest group shown on its own").fill("1")
        page.get_by_role("button", name="Start the round").click()
        round_url = page.url
        scan("round")
        page.get_by_role("link", name="Invite many at once from a list (pasted, or a CSV file)").click()
        scan("invite from a list")
        page.get_by_role("button", name="Preview the invitations").click()
        scan("invite from a list, with an error")
        page.get_by_label("Paste the list").fill(LIST)
        page.get_by_role("button", name="Preview the invitations").click()
        scan("the list's preview")
        page.get_by_role("button", name=re.compile("^Invite 4 people")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Every private link")
        scan("every link")
        page.goto(f"{round_url}/email/invitation")
        scan("invitations' preview")
        page.get_by_role("button", name="Send 3 invitations").click()
        expect(page.locator("#result")).to_have_text("3 sent.")
        scan("invitations sent")
        page.goto(f"{round_url}/email/reminder")
        scan("reminders' preview")
        (person,) = [p for p in Store(server.db).respondents(1) if p.organisation == "Library"]
        Store(server.db).save_section(person.id, "delivery", {"delivery.actions_have_owners": 4})
        page.goto(round_url)
        page.get_by_role("button", name="Withdraw the link of School, Kim").click()
        scan("round, a link withdrawn, one started")
        page.goto(f"{round_url}/since")
        scan("since last time")
        page.goto(f"{round_url}/close")
        scan("close, asked first")
        page.get_by_role("button", name="Yes, close the round").click()
        scan("round, closed")
        page.goto(f"{round_url}/actions")
        scan("action plan")
        page.get_by_label("Due date").first.fill("31/02/2027")
        page.get_by_label("Action", exact=True).first.fill("Monthly lunch")
        page.get_by_role("button", name="Save the action plan").click()
        scan("action plan, with an error")
        assert len(inbox.received) == 3
        # on a phone, no lead page is wider than the screen (wide tables scroll in their own box)
        page.set_viewport_size({"width": 390, "height": 844})
        wide = {}
        for path in ("", "/links", "/invite/list", "/email/reminder", "/since", "/close", "/actions"):
            page.goto(round_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
        assert wide == {}
    finally:
        browsing.close()
        server.stop()
        smtp.stop()
    assert {name: found for name, found in problems.items() if found} == {}
    assert len(problems) == 18
    assert browsing.outside == []


# --- private links stored hashed -----------------------------------------------------------------


def test_the_database_keeps_only_a_digest_of_each_link_and_the_key_lives_beside_it(
    app: object, lead: Lead, store: Store
) -> None:
    import hashlib
    import sqlite3
    import stat

    round_id = lead.create_round()
    link = lead.invite(round_id, "Library", "lead", "Alex")
    token = link.removeprefix("/r/")
    wal = Path(f"{store.path}-wal")
    raw = store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert token.encode() not in raw  # neither the file nor its log holds the link
    with sqlite3.connect(store.path) as db:
        (kept,) = db.execute("SELECT token FROM respondents").fetchone()
    assert kept == hashlib.sha256(token.encode()).hexdigest()
    assert stat.S_IMODE(store.key_path.stat().st_mode) == 0o600 and store.key_path.parent == store.path.parent
    assert Store(store.path).respondents(round_id)[0].token == token  # shown again, by another process too
    assert Respondent(app, link).client.get(link).status_code == 200

    (person,) = store.respondents(round_id)
    store.withdraw_link(round_id, person.id)
    store.new_link(round_id, person.id)
    assert store.respondent(token) is None and store.link_withdrawn(token)
    with sqlite3.connect(store.path) as db:
        (withdrawn,) = db.execute("SELECT token FROM withdrawn_links").fetchone()
    assert withdrawn == kept

    # without the key the links cannot be shown, yet each still opens for its holder
    new = store.respondents(round_id)[0].token
    store.key_path.unlink()
    page = lead.client.get(f"/lead/rounds/{round_id}").text  # the app's store keeps the key it read:
    assert f"/r/{new}" in page
    cold = Store(store.path)
    assert cold.respondents(round_id)[0].token == ""
    assert cold.respondent(new) is not None and cold.respondent(new).token == new  # type: ignore[union-attr]


def test_a_link_made_before_links_were_hashed_keeps_working_and_is_shown(tmp_path: Path) -> None:
    import sqlite3

    from partnership_health.models import QuestionnaireRef

    store = Store(tmp_path / "rounds.db")
    made = store.create_round(
        "Mini partnership", __import__("datetime").date(2026, 11, 30), QuestionnaireRef(id="mini", version="1")
    )
    with sqlite3.connect(store.path) as db:  # as an earlier version wrote it: the token itself, no generation
        db.execute(
            "INSERT INTO respondents (round_id, token, organisation, role, via, created_at)"
            " VALUES (?, 'plain-old-token-0123456', 'Library', 'lead', 'invite', '2026-11-30')",
            (made.id,),
        )
    (person,) = store.respondents(made.id)
    assert person.token == "plain-old-token-0123456"
    assert store.respondent("plain-old-token-0123456") is not None
    store.withdraw_link(made.id, person.id)
    assert store.respondent("plain-old-token-0123456") is None and store.link_withdrawn("plain-old-token-0123456")
    assert len(store.new_link(made.id, person.id).token) == 22


def test_a_name_or_organisation_too_long_is_refused_beside_the_field(lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    page = lead.client.post(
        f"/lead/rounds/{round_id}/invite",
        data={"csrf": lead.token, "organisation": "L" * 90_000, "role": "lead", "name": ""},
    )
    assert page.status_code == 400 and "must be at most 200 characters (got 90,000)" in page.text
    listed = preview(lead, round_id, "organisation,role\n" + "L" * 201 + ",lead\n")
    assert "organisation is 201 characters long, more than 200" in listed.text
    assert store.respondents(round_id) == []
