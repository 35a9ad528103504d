"""Regenerate docs/form-phone.png, the README's picture of the respondent's form on a phone.

    .venv/bin/python docs/form_screenshot.py

Starts ``partnership-health serve`` on a free port of 127.0.0.1 over a new database in a
temporary folder, invites one respondent to a round of the bundled questionnaire, and
takes the picture with Debian's chromium (through Playwright) at a phone's size.
"""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

import partnership_health as ph
from partnership_health.models import QuestionnaireRef
from partnership_health.store.sqlite import Store

OUTPUT = Path(__file__).resolve().parent / "form-phone.png"


def main() -> None:
    questionnaire = ph.load_questionnaire()
    with tempfile.TemporaryDirectory() as work:
        store = Store(Path(work) / "rounds.db")
        ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
        made = store.create_round("Riverside Partnership", datetime.date(2026, 11, 30), ref)
        (person,) = store.invite(made.id, [("Youth Trust", "core", None)])
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "partnership_health.cli", "serve", "--db", str(store.path), "--port", str(port)],
            stdout=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(url, timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
                # The first section that opens with an agreement statement, one answer chosen.
                number = next(n for n, s in enumerate(questionnaire.sections, 1) if s.questions[0].type == "scale")
                page.goto(f"{url}/r/{person.token}/section/{number}")
                page.locator('label[for$="-4"]').first.click()
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(OUTPUT))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
