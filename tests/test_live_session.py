"""A live session in a real browser: one facilitator, five phones, the real server, Debian's Chromium.

The phones join by code on a 390x844 viewport, vote, see nothing of the results until the
smallest group has voted and the vote closed, vote again after the discussion; the
facilitator records two actions and exports the session record. axe-core scans the phone
pages and the session screen; every screen of the session fits 1280x720 without scrolling.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.store.sqlite import Store

from .conftest import missing
from .test_browser import MINI_INPUTS, PHONE, Browsing, Server
from .test_session_store import STATEMENT, seeded_round

PROJECTOR = {"viewport": {"width": 1280, "height": 720}}


@pytest.fixture
def server(tmp_path: Path, mini_questionnaire: ph.Questionnaire) -> Iterator[Server]:
    db = tmp_path / "rounds.db"
    seeded_round(Store(db), mini_questionnaire)  # one lead and two core partners answered
    running = Server(db, *MINI_INPUTS)
    yield running
    running.stop()


@pytest.fixture
def room(browser: object) -> Iterator[Browsing]:
    """Browser contexts that may reach 127.0.0.1 only."""
    opened = Browsing(browser)
    yield opened
    opened.close()


def fits(page: object) -> bool:
    """No vertical scrollbar: the page is no taller than the window, once its style sheets are in.

    After a click the elements can be there before the page's load event: measured then,
    an unstyled page scrolls (seen on a loaded machine).
    """
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    return bool(page.evaluate("document.documentElement.scrollHeight <= window.innerHeight"))  # type: ignore[attr-defined]


def serious(page: object) -> list[str]:
    """axe-core's serious and critical violations on an open page.

    The app's pages allow only their own scripts (the Content-Security-Policy), so axe.min.js
    (from the axe-playwright-python wheel) is run through the browser's debugging protocol,
    which the policy does not govern, rather than added as a script tag as the reports' test does.
    """
    try:
        import axe_playwright_python
    except ImportError:
        missing("axe-playwright-python is not installed (pip install -e '.[test]')")
    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script + "\n;void 0")  # type: ignore[attr-defined]
    found = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [f"{v['id']}: {v['help']}" for v in found["violations"] if v["impact"] in ("serious", "critical")]


def test_a_live_session_with_five_phones_from_the_join_code_to_the_session_record(
    server: Server, room: Browsing, mini_questionnaire: ph.Questionnaire, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    refused: list[str] = []
    facilitator = room.context(**PROJECTOR).new_page()  # type: ignore[attr-defined]
    facilitator.on(
        "console", lambda message: refused.append(message.text) if "Content Security" in message.text else None
    )
    facilitator.goto(f"{server.url}/lead/enter/{Store(server.db).lead_secret()}?round=1")
    facilitator.get_by_role("button", name="Start a live session").click()
    code = facilitator.locator(".live-code").inner_text().replace(" ", "")
    assert len(code) == 6
    expect(facilitator.locator(".live-qr svg")).to_be_visible()
    assert fits(facilitator), "the session screen scrolls at 1280x720"
    assert not serious(facilitator)

    # Five phones join by code, on the join page, with a role and nothing else.
    phones = []
    for role in ("Lead partner", "Core partner", "Core partner", "Core partner", "Wider partner"):
        phone = room.context(**PHONE).new_page()  # type: ignore[attr-defined]
        phone.on(
            "console", lambda message: refused.append(message.text) if "Content Security" in message.text else None
        )
        phone.goto(f"{server.url}/join")
        if not phones:
            assert not serious(phone)
        phone.get_by_label("Code on the screen").fill(code.lower())
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_role("heading", name="Join the session")).to_be_visible()
        if not phones:
            assert not serious(phone)
        phone.get_by_label(role, exact=True).check()
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_role("heading", name="You have joined")).to_be_visible()
        phones.append(phone)
    expect(facilitator.locator("#joined")).to_have_text("5", timeout=10_000)

    # The facilitator puts the most disputed statement to the room; the phones show it by themselves.
    statement = mini_questionnaire.questions[STATEMENT].text.strip()
    facilitator.get_by_label("Statement", exact=True).select_option(STATEMENT)
    facilitator.get_by_role("button", name="Put to the room").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name=statement)).to_be_visible(timeout=10_000)
    assert not serious(phones[0])

    def answer(phone: object, label: str) -> None:
        phone.get_by_label(label, exact=True).check()  # type: ignore[attr-defined]
        phone.get_by_role("button", name="Send my answer").click()  # type: ignore[attr-defined]
        expect(phone.get_by_role("heading", name="Your answer is in")).to_be_visible()  # type: ignore[attr-defined]

    scale = {n: mini_questionnaire.scale.get(n, str(n)) for n in range(1, 6)}  # the mini questionnaire has no labels
    answer(phones[0], scale[5])
    answer(phones[1], scale[1])
    expect(facilitator.locator("#voted")).to_have_text("2", timeout=10_000)
    expect(facilitator.locator("#needed")).to_have_text("1")
    expect(facilitator.locator(".live-table")).to_have_count(0)
    for phone, value in zip(phones[2:], (2, 4, 4), strict=True):
        answer(phone, scale[value])
    expect(facilitator.locator("#voted")).to_have_text("5", timeout=10_000)
    expect(facilitator.locator(".live-table")).to_have_count(0)  # nothing until the vote closes
    facilitator.get_by_role("button", name="Close the vote and show results").click()
    expect(facilitator.locator(".live-table caption")).to_have_text("Results: 5 voted")
    expect(facilitator.locator("#announce")).to_have_text(
        "Results: 5 voted: 3 agree, 0 neither, 2 disagree, 0 don't know."
    )
    expect(phones[1].locator("#announce")).to_contain_text("Results: 5 voted", timeout=10_000)
    assert fits(facilitator)
    assert not serious(facilitator)

    # After the discussion, a second vote; the screen shows before and after side by side.
    facilitator.get_by_role("button", name="Vote again after the discussion").click()
    for phone, value in zip(phones[1:4], (2, 4, 5), strict=True):
        expect(phone.get_by_text("Second vote, after the discussion")).to_be_visible(timeout=10_000)
        answer(phone, scale[value])
    expect(facilitator.locator("#voted")).to_have_text("3", timeout=10_000)
    assert phones[0].evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "a phone scrolls sideways"
    facilitator.get_by_role("button", name="Close the vote and show results").click()
    before, after = facilitator.locator(".live-table").all()
    expect(before.locator("caption")).to_have_text("Before: 5 voted")
    expect(after.locator("caption")).to_have_text("After: 5 voted")
    assert before.bounding_box()["y"] == after.bounding_box()["y"]  # type: ignore[index]
    assert fits(facilitator)
    facilitator.set_viewport_size({"width": 1920, "height": 1080})
    assert fits(facilitator), "the session screen scrolls at 1920x1080"
    facilitator.set_viewport_size(PROJECTOR["viewport"])
    expect(phones[0].locator("#announce")).to_contain_text("Results after the discussion", timeout=10_000)
    assert fits(facilitator)

    # Two actions for the lead-core finding, from its remedy's steps.
    facilitator.get_by_role("link", name="Actions (0)").click()
    facilitator.get_by_label("Finding", exact=True).select_option("power.lead-core-gap:share-decisions")
    facilitator.get_by_role("button", name="Start from its remedy").click()
    expect(facilitator.get_by_label("Agreed action")).to_have_value(
        "1. Agree in writing which decisions the whole partnership takes."
    )
    for owner, due, note in (("Library", "2027-01-31", "Draft at the next meeting"), ("School", "2027-03-01", "")):
        facilitator.get_by_label("Owning organisation").fill(owner)
        facilitator.get_by_label("Due date").fill(due)
        facilitator.get_by_label("Note", exact=True).fill(note)
        facilitator.get_by_role("button", name="Record the action").click()
        facilitator.get_by_label("Finding", exact=True).select_option("power.lead-core-gap:share-decisions")
        facilitator.get_by_role("button", name="Start from its remedy").click()
    expect(facilitator.locator(".live-actions li")).to_have_count(2)
    expect(facilitator.get_by_label("Agreed action")).to_be_visible()
    assert fits(facilitator), "the actions screen scrolls at 1280x720"
    assert not serious(facilitator)

    # The session record, in Markdown and PDF.
    records = {}
    for name in ("Record (Markdown)", "Record (PDF)"):
        with facilitator.expect_download() as download:
            facilitator.get_by_role("link", name=name).click()
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        records[target.suffix] = target
    markdown = records[".md"].read_text(encoding="utf-8")
    assert "| **Before**: everyone (5) | 3 | 0 | 2 | 0 |" in markdown  # 5, 1, 2, 4, 4
    assert "| **After**: everyone (5) | 4 | 0 | 1 | 0 |" in markdown  # the lead and the wider partner kept theirs
    assert "Owner: Library. Due: 2027-01-31." in markdown and "Owner: School. Due: 2027-03-01." in markdown
    assert records[".pdf"].read_bytes().startswith(b"%PDF")
    assert not refused, refused
    assert not room.outside
