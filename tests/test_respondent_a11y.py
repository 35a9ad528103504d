"""axe-core in Chromium over the respondent's pages, their error states and the refused and fault pages.

The app runs in uvicorn on a free port of 127.0.0.1 in this process (so that a fault, a
database locked by another program, can be made while it serves); the browser is Debian's
Chromium driven by Playwright, as in test_reports.py, and axe.min.js comes from the
axe-playwright-python wheel. No page may have a serious or critical violation.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect

import partnership_health as ph
from partnership_health.store import sqlite as store_module
from partnership_health.store.sqlite import Store
from partnership_health.web import create_app

from .test_browser import PHONE, answer_section
from .test_faults import a_round
from .test_reports import axe_violations
from .test_wheel import free_port, wait_for


class Serving:
    """The web app in uvicorn on a thread of this process."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))  # type: ignore[arg-type]
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(self.url + "/")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def served(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Serving, Store, list[str]]]:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    store = Store(tmp_path / "rounds.db")
    _, links = a_round(store, people=2)
    serving = Serving(create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase))
    yield serving, store, links
    serving.stop()


def serious(page: object) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in axe_violations(page)
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_respondents_pages_and_their_errors_have_no_serious_accessibility_problem(
    served: tuple[Serving, Store, list[str]], browser: object, mini_questionnaire: ph.Questionnaire, device: str
) -> None:
    serving, store, (link, other) = served
    # bypass_csp: the app's Content-Security-Policy would refuse axe's inline script (as it should)
    context = browser.new_context(bypass_csp=True, **(PHONE if device == "phone" else {}))  # type: ignore[attr-defined]
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        page.goto(serving.url + link)
        found["start"] = serious(page)
        page.goto(serving.url + link + "/check")
        found["check, nothing answered"] = serious(page)
        page.get_by_role("button", name="Send my answers").click()
        expect(page.locator(".error-summary")).to_contain_text("You have not answered any question yet")
        found["check, sending refused"] = serious(page)
        page.goto(serving.url + link + "/section/1")
        found["section"] = serious(page)
        answer_section(page, {"delivery.actions_have_owners": "4"}, mini_questionnaire)
        answer_section(page, {"authority.meeting_weeks": "٤", "authority.decisions_shared": "2"}, mini_questionnaire)
        expect(page.locator(".error-summary")).to_contain_text("Write a number, such as 12 or 12.5")
        found["section with errors"] = serious(page)
        page.locator("#q-authority-meeting-weeks").fill("12,5")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("#unanswered-total")).to_contain_text("You have answered 3 of 7 questions")
        found["check, some answered"] = serious(page)
        page.get_by_role("button", name="Send my answers").click()
        expect(page).to_have_url(re.compile(r".*/thanks$"))
        found["thanks"] = serious(page)
        page.goto(serving.url + "/r/" + "A" * 22)
        expect(page.locator("h1")).to_have_text("This link does not work")
        found["refused: a link that does not work"] = serious(page)

        page.goto(serving.url + other + "/section/1")
        with closing(sqlite3.connect(store.path, isolation_level=None)) as holder:
            holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
            answer_section(page, {"delivery.actions_have_owners": "3"}, mini_questionnaire)
            expect(page.locator("h1")).to_have_text("Busy, try again")
            found["fault: busy"] = serious(page)
            holder.execute("ROLLBACK")
    finally:
        context.close()

    assert found == {name: [] for name in found}
    assert len(found) == 9
