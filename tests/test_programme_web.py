"""The programme in the web app: a lead's choice to share and to be named, and the operator's page.

Three leads each run a round of their own partnership (Riverside's answers, under names of their own):
Ada shares hers and lets it be named, Bob shares his without naming it, Cy does not share. An operator
(``lead add --operator``) sees the programme page; nobody else finds it. Driven in-process with
Starlette's test client as test_accounts.py does; the accessibility scan and the phone's screenshot run
in Chromium against ``partnership-health serve``.
"""

from __future__ import annotations

import contextlib
import html as html_text
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.core.reader import bundled_path
from partnership_health.reporting.render import contract
from partnership_health.store.sqlite import Store
from partnership_health.web import create_app

from . import test_accounts
from .test_accounts import PASSWORD, add_lead, client, run, sign_in, snapshot
from .test_web import csrf
from .test_web_year import round_of

RIVERSIDE = bundled_path("examples") / "riverside.yaml"
db, store = test_accounts.db, test_accounts.store  # the same fixtures: a fresh file, its store


@dataclass
class Partnership:
    """A lead's browser, and the round of their partnership that five people answered."""

    email: str
    name: str
    browser: TestClient
    token: str
    round_id: int
    organisations: list[str]
    people: list[str]


def answered_round(store: Store, questionnaire: ph.Questionnaire, lead_email: str, name: str) -> tuple[int, ph.Answers]:
    """A round of ``name`` owned by the lead of ``lead_email``, answered with Riverside's answers by people and
    organisations whose names carry the partnership's (so that a page naming any of them is caught)."""
    answers = ph.load_answers(RIVERSIDE, questionnaire)
    word = name.split()[0]
    respondents = [
        person.model_copy(update={"organisation": f"{word} {person.organisation}", "name": f"{person.name} {word}"})
        for person in answers.respondents
    ]
    answers = answers.model_copy(update={"partnership": name, "respondents": respondents})
    return round_of(store, questionnaire, answers, owner=store.get_lead(lead_email).id), answers


@pytest.fixture
def app(store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> object:
    return create_app(store, questionnaire=questionnaire, rules=rulebase)


def partnership(
    app: object, store: Store, questionnaire: ph.Questionnaire, email: str, name: str, address: str
) -> Partnership:
    browser = client(app, address)
    token = csrf(sign_in(browser, email).text)  # type: ignore[attr-defined]
    round_id, answers = answered_round(store, questionnaire, email, name)
    return Partnership(
        email,
        name,
        browser,
        token,
        round_id,
        sorted({r.organisation for r in answers.respondents}),
        [r.name for r in answers.respondents if r.name],
    )


def choose(lead: Partnership, shared: bool, named: bool, path: str | None = None) -> object:
    """Tick the boxes of the round's form (or of ``path``'s) and send it, as the lead's browser does."""
    form = {"csrf": lead.token, **({"share": "yes"} if shared else {}), **({"named": "yes"} if named else {})}
    return lead.browser.post(path or f"/lead/rounds/{lead.round_id}/programme", data=form)


def close(lead: Partnership) -> None:
    closed = lead.browser.post(f"/lead/rounds/{lead.round_id}/close", data={"csrf": lead.token})
    assert closed.status_code == 200, closed.text


def now_chosen(html: str) -> str:
    found = re.search(r'<p class="body" id="programme-now">(.*?)</p>', html, re.S)
    assert found, "the page does not say what is chosen"
    return html_text.unescape(re.sub(r"<[^>]+>", "", found[1]))


@pytest.fixture
def three(
    app: object, db: Path, store: Store, questionnaire: ph.Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> tuple[Partnership, Partnership, Partnership]:
    """Ada shares and names (chosen while her round is open), Bob shares without naming (after his closed),
    Cy does not share; each round is closed and its assessment kept."""
    for email in ("ada@example.org", "bob@example.org", "cy@example.org"):
        add_lead(db, email, monkeypatch)
    ada = partnership(app, store, questionnaire, "ada@example.org", "Ashgrove Partnership", "192.0.2.1")
    bob = partnership(app, store, questionnaire, "bob@example.org", "Birchfield Partnership", "192.0.2.2")
    cy = partnership(app, store, questionnaire, "cy@example.org", "Cedarbank Partnership", "192.0.2.3")
    choose(ada, True, True)
    for lead in (ada, bob, cy):
        close(lead)
    choose(bob, True, False)
    return ada, bob, cy


@contextlib.contextmanager
def operator_browser(app: object, db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """An operator made with ``lead add --operator``, signed in (the app's PDF worker stops when it is done)."""
    code, out = run(
        "lead",
        "add",
        "op@example.org",
        "--operator",
        "--db",
        str(db),
        "--password-stdin",
        stdin=PASSWORD + "\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "op@example.org is an operator" in out
    with client(app, "192.0.2.9") as browser:
        home = sign_in(browser, "op@example.org")
        assert 'href="/programme"' in home.text  # type: ignore[attr-defined]
        yield browser


# --- the lead's choice ---------------------------------------------------------------------


def test_a_lead_shares_a_round_and_names_it_and_the_page_says_what_is_now_chosen(
    app: object, db: Path, store: Store, questionnaire: ph.Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    ada = partnership(app, store, questionnaire, "ada@example.org", "Ashgrove Partnership", "192.0.2.1")
    page = ada.browser.get(f"/lead/rounds/{ada.round_id}").text
    assert (
        now_chosen(page)
        == "Now: not shared. This round's assessment is not shared with the programme, which leaves it out."
    )
    assert 'name="share" type="checkbox" value="yes">' in page and 'name="named" type="checkbox" value="yes"' in page
    words = html_text.unescape(page)
    assert "never anyone's answers, and no figure resting on fewer than 3 partnerships" in words
    assert "Ashgrove Partnership by name only if you tick the second box" in words
    assert "change or withdraw your choice at any time" in words

    for _ in range(2):  # the same choice twice: the same state, the same page
        sent = choose(ada, True, True)
        assert sent.status_code == 200 and sent.url.query == b"programme=saved"  # type: ignore[attr-defined]
        assert now_chosen(sent.text) == (  # type: ignore[attr-defined]
            "Now: shared and named. This round's assessment is shared with the programme, which may name Ashgrove"
            " Partnership."
        )
        assert 'id="programme-saved">Your choice is saved.' in sent.text  # type: ignore[attr-defined]
        assert 'name="share" type="checkbox" value="yes" checked>' in sent.text  # type: ignore[attr-defined]
    assert store.programme_assessments() == ([], 0)  # the round is open: nothing is kept yet

    close(ada)
    (kept,), left_out = store.programme_assessments()
    assert (kept.partnership, kept.named_in_programme, left_out) == ("Ashgrove Partnership", True, 0)

    sent = choose(ada, True, False)  # closed: the kept assessment follows the round's choice
    assert now_chosen(sent.text).startswith("Now: shared, not named.")  # type: ignore[attr-defined]
    assert not store.get_assessment(kept.id).named_in_programme
    sent = choose(ada, False, False)  # withdrawn
    assert now_chosen(sent.text).startswith("Now: not shared.")  # type: ignore[attr-defined]
    assert store.programme_assessments() == ([], 1)


def test_naming_without_sharing_names_nothing_and_the_page_says_so(
    app: object, db: Path, store: Store, questionnaire: ph.Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    ada = partnership(app, store, questionnaire, "ada@example.org", "Ashgrove Partnership", "192.0.2.1")
    sent = choose(ada, False, True)
    assert "is not named: naming needs sharing, and you did not share" in sent.text  # type: ignore[attr-defined]
    found = store.get_round(ada.round_id)
    assert (found.shared_with_programme, found.named_in_programme) == (False, False)


def test_an_earlier_kept_assessment_is_shared_on_its_own_page_linked_from_the_round(
    app: object, db: Path, store: Store, questionnaire: ph.Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_lead(db, "ada@example.org", monkeypatch)
    ada = partnership(app, store, questionnaire, "ada@example.org", "Ashgrove Partnership", "192.0.2.1")
    close(ada)
    later = store.create_round(
        "Ashgrove Partnership",
        store.get_round(ada.round_id).assessed_on.replace(year=2027),
        store.get_round(ada.round_id).questionnaire,
        1,
        False,
        store.get_lead("ada@example.org").id,
    )
    (earlier,) = store.assessments("Ashgrove Partnership")
    page = ada.browser.get(f"/lead/rounds/{later.id}").text
    link = f"/lead/assessments/{earlier.id}/programme?round={later.id}"
    assert f'Not shared <a href="{link}" aria-label="Change for assessment {earlier.id}">Change' in page

    own = ada.browser.get(link)
    assert own.status_code == 200 and now_chosen(own.text).startswith("Now: not shared. This assessment")
    assert f'href="/lead/rounds/{later.id}#year">Back to the round' in own.text
    sent = choose(ada, True, False, path=link)
    assert sent.url.path == f"/lead/assessments/{earlier.id}/programme"  # type: ignore[attr-defined]
    assert now_chosen(sent.text).startswith("Now: shared, not named. This assessment")  # type: ignore[attr-defined]
    assert f'Shared <a href="{link}" aria' in ada.browser.get(f"/lead/rounds/{later.id}").text
    assert store.get_assessment(earlier.id).shared_with_programme


def test_another_lead_finds_none_of_the_choices_and_changes_nothing(
    app: object, db: Path, store: Store, three: tuple[Partnership, Partnership, Partnership]
) -> None:
    ada, bob, _ = three
    kept = store.round_assessment(bob.round_id)
    before = snapshot(db)
    for path in (
        f"/lead/rounds/{bob.round_id}/programme",
        f"/lead/assessments/{kept}/programme",
        f"/lead/assessments/{kept}/programme?round={bob.round_id}",
    ):
        assert choose(ada, False, False, path=path).status_code == 404  # type: ignore[attr-defined]
    assert ada.browser.get(f"/lead/assessments/{kept}/programme").status_code == 404
    assert snapshot(db) == before
    # a round of another lead's named in ?round= is not linked back to
    own = store.round_assessment(ada.round_id)
    page = ada.browser.get(f"/lead/assessments/{own}/programme?round={bob.round_id}").text
    assert f"/lead/rounds/{bob.round_id}" not in page and 'href="/lead">All rounds' in page


def test_a_choice_without_its_csrf_token_is_refused_and_changes_nothing(
    db: Path, store: Store, three: tuple[Partnership, Partnership, Partnership]
) -> None:
    _, _, cy = three
    kept = store.round_assessment(cy.round_id)
    before = snapshot(db)
    for path in (f"/lead/rounds/{cy.round_id}/programme", f"/lead/assessments/{kept}/programme"):
        for token in ({}, {"csrf": "0" * 64}):
            sent = cy.browser.post(path, data={**token, "share": "yes", "named": "yes"})
            assert sent.status_code == 403 and "This form has expired" in sent.text
    assert snapshot(db) == before


# --- operators -----------------------------------------------------------------------------


def test_operators_are_made_listed_granted_and_revoked_on_the_command_line(
    app: object, db: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with operator_browser(app, db, monkeypatch) as operator:
        add_lead(db, "ada@example.org", monkeypatch)
        code, out = run("lead", "list", "--db", str(db))
        assert code == 0
        assert out.splitlines()[:2] == ["ada@example.org  -  0 rounds", "op@example.org  -  0 rounds  operator"]
        assert "local lead" in out.splitlines()[2]

        assert operator.get("/programme").status_code == 200
        code, out = run("lead", "operator", "op@example.org", "--off", "--db", str(db))
        assert code == 0 and "no longer an operator" in out
        assert operator.get("/programme").status_code == 404  # from the next page on
        assert 'href="/programme"' not in operator.get("/lead").text

        code, _ = run("lead", "operator", "ada@example.org", "--on", "--db", str(db))
        assert code == 0 and store.get_lead("ada@example.org").operator
        code, _ = run("lead", "operator", "nobody@example.org", "--on", "--db", str(db))
        assert code == 1
        code, _ = run("lead", "operator", "ada@example.org", "--db", str(db))  # neither --on nor --off
        assert code == 2


def test_the_hosting_guides_commands_make_an_operator_who_sees_the_programme_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = (Path(__file__).parent.parent / "docs" / "hosting.md").read_text(encoding="utf-8")
    assert "/programme" in guide
    commands = [line.split() for line in re.findall(r"partnership-health \\\n\s+(lead \S+ .*)", guide)]
    assert [argv[:2] for argv in commands] == [["lead", "add"], ["lead", "add"], ["lead", "operator"]]
    db = tmp_path / "hosted.db"
    for argv in commands:
        argv = [str(db) if arg.endswith(".db") else arg for arg in argv]
        extra = ["--password-stdin"] if argv[1] == "add" else []
        code, out = run(*argv, *extra, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
        assert code == 0, (argv, out)
    assert [lead.operator for lead in Store(db).leads()] == [True, True]


def test_the_local_lead_is_the_operator_of_a_local_set_up(app: object, store: Store) -> None:
    local = client(app)
    home = local.get(f"/lead/enter/{store.lead_secret()}")
    assert home.status_code == 200 and 'href="/programme"' in home.text
    assert local.get("/programme").status_code == 200


def test_nobody_but_an_operator_finds_the_programme_page(
    app: object, store: Store, three: tuple[Partnership, Partnership, Partnership]
) -> None:
    ada, _, _ = three
    nowhere = client(app, "192.0.2.20").get("/no-such-page")
    assert nowhere.status_code == 404
    for browser in (ada.browser, client(app, "192.0.2.21")):  # a lead who is not an operator; anyone
        downloads = (f"/programme/report.{fmt}" for fmt in ("html", "pdf", "md", "json", "csv"))
        for path in ("/programme", "/programme/view", *downloads):
            page = browser.get(path)
            assert (page.status_code, page.text) == (404, nowhere.text), path
    assert 'href="/programme"' not in ada.browser.get("/lead").text


def every_word(app: object, browser: TestClient, tmp_path: Path) -> dict[str, str]:
    """The operator's page and every download of it, as text (the PDF's through pdftotext)."""
    from .conftest import tool

    texts = {"page": browser.get("/programme").text}
    view = browser.get("/programme/view")  # the whole view, shown in the browser
    assert view.status_code == 200 and view.headers["content-type"].startswith("text/html")
    # its inline styles may apply, and nothing else: no script, no form, no request anywhere
    policy = view.headers["content-security-policy"]
    assert "script-src" not in policy and policy.startswith("default-src 'none'") and "form-action 'none'" in policy
    assert view.headers.get_list("content-security-policy") == [policy] and "<script" not in view.text
    assert "Failure modes" in view.text and 'href="/programme/view"' in texts["page"]
    texts["view"] = view.text
    for fmt in ("html", "pdf", "md", "json", "csv"):
        got = browser.get(f"/programme/report.{fmt}")
        assert got.status_code == 200, (fmt, got.text)
        assert got.headers["content-disposition"].startswith('attachment; filename="programme-')
        if fmt == "pdf":
            assert got.content.startswith(b"%PDF")
            (tmp_path / "programme.pdf").write_bytes(got.content)
            texts[fmt] = subprocess.run(
                [tool("pdftotext"), str(tmp_path / "programme.pdf"), "-"], capture_output=True, text=True, check=True
            ).stdout
        else:
            texts[fmt] = got.text
    # the view in the browser links back to the page; the download, a file kept elsewhere, does not
    assert '<a href="/programme">' in texts["view"] and 'href="/programme"' not in texts["html"]
    return texts


def test_the_operators_page_counts_what_was_shared_and_names_only_who_agreed_in_every_format(
    app: object,
    db: Path,
    store: Store,
    questionnaire: ph.Questionnaire,
    three: tuple[Partnership, Partnership, Partnership],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    ada, bob, cy = three
    add_lead(db, "dan@example.org", monkeypatch)  # a programme view needs 3 partnerships: a fourth lead shares too
    dan = partnership(app, store, questionnaire, "dan@example.org", "Dunmore Partnership", "192.0.2.4")
    close(dan)
    choose(dan, True, False)
    with operator_browser(app, db, monkeypatch) as operator:
        texts = every_word(app, operator, tmp_path)
        page = html_text.unescape(texts["page"])
        assert "3 partnerships have shared an assessment with the programme" in page
        assert "1 kept assessment was left out because its lead has not shared it" in page
        assert "Named with their lead's agreement: Ashgrove Partnership. 2 partnerships are counted without" in page
        view = json.loads(texts["json"])
        assert (view["partnerships"], view["named"], view["not_named"], view["left_out"]) == (
            3,
            ["Ashgrove Partnership"],
            2,
            1,
        )
        code, out = run("programme", str(db), "--format", "json")  # the command reads the same file the same way
        assert code == 0 and json.loads(out) == view
        for fmt in ("html", "md", "pdf"):
            assert "Ashgrove Partnership" in texts[fmt], fmt
        people = [name.rsplit(" ", 1)[0] for name in ada.people]  # as Riverside's answers give them
        never = [
            *(lead.name for lead in (bob, cy, dan)),
            *(word for lead in (ada, bob, cy, dan) for word in (*lead.organisations, *lead.people)),
            *people,
            *(lead.email for lead in (ada, bob, cy, dan)),
            "Riverside Youth Partnership",
        ]
        found = {(where, word) for where, text in texts.items() for word in never if word in html_text.unescape(text)}
        assert found == set()

        shown = operator.get("/programme/report.csv").text
        choose(ada, False, False)  # Ada withdraws: the next view is made anew, and names nobody
        assert "Ashgrove" not in operator.get("/programme").text
        assert operator.get("/programme/report.csv").text != shown
        assert "There is no programme view yet" in operator.get("/programme").text


def test_with_fewer_than_three_partnerships_shared_the_page_counts_them_and_shows_no_view(
    app: object,
    db: Path,
    store: Store,
    questionnaire: ph.Questionnaire,
    rulebase: ph.RuleBase,
    three: tuple[Partnership, Partnership, Partnership],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with operator_browser(app, db, monkeypatch) as operator:
        page = html_text.unescape(operator.get("/programme").text)
        assert "2 partnerships have shared an assessment with the programme" in page
        assert "1 kept assessment was left out" in page
        assert "There is no programme view yet. It needs at least 3 partnerships" in page
        assert "Ashgrove" not in page and "Birchfield" not in page and "Cedarbank" not in page
        download = operator.get("/programme/report.json")
        assert download.status_code == 409 and "2 have shared so far" in download.text
        assert operator.get("/programme/view").status_code == 409
        assert "too few people answered" not in page

        # a third partnership shares an assessment two people answered, whose report shows nothing at 3 or more
        few = ph.load_answers(RIVERSIDE, questionnaire)
        few = few.model_copy(update={"partnership": "Elmstead Partnership", "respondents": few.respondents[:2]})
        result = ph.assess(few, questionnaire, rulebase)
        kept = store.save_assessment(few, contract(result), rulebase_version=result.rulebase_version)
        store.set_programme_consent(kept, shared=True, named=True)
        page = html_text.unescape(operator.get("/programme").text)
        assert "2 partnerships have shared an assessment" in page and "There is no programme view yet" in page
        assert "that too few people answered for their reports to show any figure are left out too" in page
        assert "Elmstead" not in page


# --- in Chromium: accessibility, and the phone --------------------------------------------


def test_the_choice_and_the_operators_page_pass_axe_and_fit_a_phone(
    tmp_path: Path, browser: object, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from playwright.sync_api import expect

    from .test_browser import DESKTOP, PHONE, Browsing, Server
    from .test_reports import axe_violations, not_blank
    from .test_web_year import save_last_year

    db = tmp_path / "rounds.db"
    setup = Store(db)
    earlier = save_last_year(setup, questionnaire, rulebase)  # Riverside's 2026 assessment, the local lead's
    answers = ph.load_answers(bundled_path("examples") / "riverside-2027.yaml", questionnaire)
    round_id = round_of(setup, questionnaire, answers)
    for name in ("Ashgrove Partnership", "Birchfield Partnership"):  # two more partnerships share, unnamed
        other = answers.model_copy(update={"partnership": name})
        result = ph.assess(other, questionnaire, rulebase)
        kept = setup.save_assessment(other, contract(result), rulebase_version=result.rulebase_version)
        setup.set_programme_consent(kept, shared=True, named=False)
    server = Server(db)  # the bundled questionnaire and rules
    browsing = Browsing(browser)
    problems: dict[str, list[str]] = {}
    try:
        page = browsing.context(**DESKTOP, bypass_csp=True).new_page()  # type: ignore[attr-defined]  # axe is injected

        def scan(name: str) -> None:
            found = axe_violations(page)
            problems[name] = [
                f"{v['id']}: {[n['target'] for n in v['nodes']]}"
                for v in found
                if v["impact"] in ("serious", "critical")
            ]

        page.goto(f"{server.url}/lead/enter/{setup.lead_secret()}?round={round_id}")
        form = page.locator("#programme ~ form").first
        expect(page.locator("#programme-now")).to_contain_text("Now: not shared.")
        scan("round, open, not shared")
        page.get_by_label("Share this round's assessment with the programme").check()
        page.get_by_label("Name Riverside Youth Partnership in the programme view").check()
        form.get_by_role("button", name="Save this choice").click()
        expect(page.locator("#programme-saved")).to_have_text("Your choice is saved.")
        expect(page.locator("#programme-now")).to_contain_text("Now: shared and named.")
        scan("round, shared and named")
        page.get_by_role("link", name=f"Change for assessment {earlier}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Share with the programme")
        scan("an earlier assessment's choice")
        page.get_by_label("Name Riverside Youth Partnership in the programme view").check()  # without sharing
        page.get_by_role("button", name="Save this choice").click()
        expect(page.locator("#programme-saved")).to_contain_text("naming needs sharing")
        scan("an earlier assessment's choice, naming without sharing")
        page.goto(f"{server.url}/lead/rounds/{round_id}/close")
        page.get_by_role("button", name="Yes, close the round").click()
        page.goto(f"{server.url}/lead")
        page.get_by_role("link", name="The programme: what the leads have shared with it").click()
        expect(page.locator("#programme-counts")).to_contain_text("3 partnerships have shared an assessment")
        expect(page.locator("#programme-counts")).to_contain_text("1 kept assessment was left out")
        expect(page.locator("#programme-named")).to_contain_text(
            "Named with their lead's agreement: Riverside Youth Partnership. 2 partnerships are counted"
        )
        scan("the operator's page")
        page.get_by_role("link", name="Open the whole programme view").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Programme view: 3 partnerships")
        scan("the whole programme view")
        page.go_back()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the programme view: PDF").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

        phone = browsing.context(**PHONE).new_page()  # type: ignore[attr-defined]
        phone.goto(f"{server.url}/lead/enter/{setup.lead_secret()}?round={round_id}")
        wide = {}
        for path, anchor in ((f"/lead/rounds/{round_id}", "#programme"), ("/programme", ""), ("/programme/view", "")):
            phone.goto(server.url + path + anchor)
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
            shot = tmp_path / f"phone{path.replace('/', '-')}.png"
            phone.screenshot(path=str(shot), full_page=not anchor)  # the operator's page whole
            not_blank(shot)
        assert wide == {}
        # the whole view's own policy lets its inline styles apply: its bars have their widths
        bars = phone.evaluate("[...document.querySelectorAll('.hbar')].map(b => b.getBoundingClientRect().width)")
        assert bars and max(bars) > 10
    finally:
        browsing.close()
        server.stop()
    assert {name: found for name, found in problems.items() if found} == {}
    assert len(problems) == 6
    assert browsing.outside == []
