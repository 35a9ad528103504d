"""What the room sees, in Chromium: the facilitator's screens on a 1280x720 projector, the section-score
chart at phone and desktop widths, and the lead's private links shown whole.

The troubled round (tests/troubled.py) is served by ``partnership-health serve`` with the
bundled questionnaire and rule base, as in test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from partnership_health.cli import main
from partnership_health.store.sqlite import Store

from .test_browser import Browsing, Server
from .test_screen_room import troubled_round

PROJECTOR = {"viewport": {"width": 1280, "height": 720}}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, questionnaire, browser) -> Iterator[tuple[Server, int, Browsing]]:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("served") / "rounds.db"
    round_id = troubled_round(Store(db), questionnaire)
    running = Server(db)
    browsing = Browsing(browser)
    try:
        yield running, round_id, browsing
    finally:
        running.stop()
        for context in browsing.contexts:
            context.close()  # type: ignore[attr-defined]
    assert browsing.outside == []


def test_every_facilitators_screen_fits_a_1280_by_720_projector(
    served: tuple[Server, int, Browsing], tmp_path: Path
) -> None:
    server, round_id, browsing = served
    page = browsing.context(**PROJECTOR).new_page()  # type: ignore[attr-defined]
    page.goto(f"{server.url}/lead/enter/{Store(server.db).lead_secret()}")
    step, topics, too_tall = 1, 0, []
    while True:
        page.goto(f"{server.url}/lead/rounds/{round_id}/screen?step={step}")
        kicker = page.locator(".screen-kicker")
        name = kicker.inner_text() if kicker.count() else f"screen {step}"
        topics += name.startswith("Topic")
        height = page.evaluate("document.documentElement.scrollHeight")
        if height > 720:
            too_tall.append(f"{name}: {height}px")
            page.screenshot(path=str(tmp_path / f"screen-{step}.png"))
        if page.locator("a[rel=next]").count() == 0:
            break
        step += 1
    assert topics >= 5
    assert too_tall == [], "screens that run off a 720px projector"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_score_charts_level_lines_keep_clear_of_the_section_names(
    browser: object, tmp_path: Path, width: int
) -> None:
    report = tmp_path / "demo.html"
    assert main(["demo", "--output", str(report)]) == 0
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(report.resolve().as_uri())
    crossings = page.evaluate(
        """() => {
        const chart = document.querySelector('svg.chart');
        const names = [...chart.querySelectorAll('g.row > text:first-child')].map(t => t.getBoundingClientRect());
        const lines = [...chart.querySelectorAll('g.axis line')].map(l => l.getBoundingClientRect());
        const out = [];
        for (const n of names) for (const l of lines) {
            const across = l.left >= n.left && l.left <= n.right;
            if (across && l.top < n.bottom && l.bottom > n.top) out.push([n.top, l.left]);
        }
        return [names.length, out];
        }"""
    )
    count, crossing = crossings
    assert count >= 10 and crossing == [], f"lines cross section names at {width}px: {crossing}"
    page.locator("svg.chart").screenshot(path=str(tmp_path / f"chart-{width}.png"))
    context.close()


def test_the_lead_sees_each_private_link_whole_and_the_real_database_in_the_command(
    served: tuple[Server, int, Browsing], tmp_path: Path
) -> None:
    server, round_id, browsing = served
    page = browsing.context(viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    page.goto(f"{server.url}/lead/enter/{Store(server.db).lead_secret()}")
    page.goto(f"{server.url}/lead/rounds/{round_id}")
    boxes = page.locator("input.link-copy")
    assert boxes.count() >= 4
    for n in range(boxes.count()):
        cut = boxes.nth(n).evaluate("el => el.scrollWidth - el.clientWidth")
        assert cut <= 0, f"the link in box {n + 1} is cut off by {cut}px"
        # and the box itself is not cut off by the table around it
        hidden = boxes.nth(n).evaluate(
            "el => el.getBoundingClientRect().right - el.closest('.table-wrap').getBoundingClientRect().right"
        )
        assert hidden <= 0, f"box {n + 1} runs {hidden}px past the table's edge"
    command = page.locator("code", has_text="round export").inner_text()
    assert f"--db {server.db.resolve()} {round_id}" in command and "FILE" not in command
    page.screenshot(path=str(tmp_path / "round.png"), full_page=True)
