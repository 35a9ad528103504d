"""Regenerate docs/session.png and docs/session-phone.png, the README's pictures of a live session.

    .venv/bin/python docs/session_screenshot.py

Starts ``partnership-health serve`` on a free port of 127.0.0.1 over a new database in a
temporary folder holding a round answered as examples/riverside.yaml, starts a live
session in Debian's chromium (through Playwright), joins one phone in the browser and
five more through the store, and takes the screen at 1280x720 after a vote and a second
vote, and the phone at 390x844 as the second vote opens.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import partnership_health as ph
from partnership_health.store.sqlite import Store

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the tests' helpers: a seeded round, the server
from tests.test_browser import Server  # noqa: E402
from tests.test_session_store import seeded_round  # noqa: E402

FIRST = {"lead": "5", "core": "2", "wider": "4"}  # how the phones joined through the store vote
AGAIN = {"lead": "4", "core": "3", "wider": "4"}


def main() -> None:
    questionnaire = ph.load_questionnaire()
    with tempfile.TemporaryDirectory() as work:
        store = Store(Path(work) / "rounds.db")
        round_id = seeded_round(store, questionnaire, answered=HERE.parent / "examples" / "riverside.yaml")
        server = Server(store.path)  # tests/test_browser.py's: serve on a free port of 127.0.0.1
        try:
            url = server.url
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
                )
                screen = browser.new_page(viewport={"width": 1280, "height": 720})
                screen.goto(f"{url}/lead/enter/{store.lead_secret()}?round={round_id}")
                screen.get_by_role("button", name="Start a live session").click()
                code = screen.locator(".live-code").inner_text().replace(" ", "")
                live = store.live_session_by_code(code)
                assert live is not None
                phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
                phone.goto(f"{url}/s/{code}")
                phone.get_by_label("Core partner", exact=True).check()
                phone.get_by_role("button", name="Join").click()
                roles = ("lead", "core", "core", "wider", "wider")
                others = {store.join_live_session(live.id, role): role for role in roles}
                screen.get_by_role("button", name="Put to the room").click()  # the most disputed statement
                poll = store.current_poll(live.id)
                assert poll is not None
                for token, role in others.items():
                    store.vote(poll.id, store.participant(live.id, token).id, FIRST[role])  # type: ignore[union-attr]
                phone.reload()
                phone.get_by_label(questionnaire.scale[2], exact=True).check()
                phone.get_by_role("button", name="Send my answer").click()
                screen.get_by_role("button", name="Close the vote and show results").click()
                screen.get_by_role("button", name="Vote again after the discussion").click()
                for token, role in others.items():
                    store.vote(poll.id, store.participant(live.id, token).id, AGAIN[role])  # type: ignore[union-attr]
                phone.reload()
                phone.get_by_label(questionnaire.scale[3], exact=True).check()
                phone.screenshot(path=str(HERE / "session-phone.png"))
                phone.get_by_role("button", name="Send my answer").click()
                screen.get_by_role("button", name="Close the vote and show results").click()
                screen.screenshot(path=str(HERE / "session.png"))
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
