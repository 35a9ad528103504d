"""The facilitator's screen for a troubled round: few prompts a step, prompts that fit, first steps the room sees.

The round is the generated troubled partnership (tests/troubled.py) answered through the
store, with the bundled questionnaire and rule base, as a web round of four respondents.
"""

from __future__ import annotations

import html as markup
import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.reporting.room import GAP_PROMPTS, SCREEN_PROMPTS
from partnership_health.store.sqlite import Store
from partnership_health.web import create_app

from .troubled import troubled_answers

BASE = "http://127.0.0.1:8000"


def troubled_round(store: Store, questionnaire: ph.Questionnaire, min_group: int = 3) -> int:
    return round_of(store, troubled_answers(questionnaire), questionnaire, min_group)


def round_of(store: Store, answers: ph.Answers, questionnaire: ph.Questionnaire, min_group: int = 3) -> int:
    """A web round whose respondents each gave ``answers``' answers through the store, and sent them."""
    found = store.create_round(
        answers.partnership,
        answers.assessed_on,
        ph.models.QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        min_group=min_group,
    )
    people = store.invite(found.id, [(r.organisation, r.role, None) for r in answers.respondents])
    for person, respondent in zip(people, answers.respondents, strict=True):
        for section in questionnaire.sections:
            ids = {q.id for q in section.questions}
            store.save_section(person.id, section.id, {k: v for k, v in respondent.answers.items() if k in ids})
        store.finish(person.id)
    return found.id


@pytest.fixture(scope="module")
def screens(
    tmp_path_factory: pytest.TempPathFactory, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> Iterator[list[str]]:
    store = Store(tmp_path_factory.mktemp("screen") / "rounds.db")
    round_id = troubled_round(store, questionnaire)
    app = create_app(store, questionnaire=questionnaire, rules=rulebase)
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        assert client.get(f"/lead/enter/{store.lead_secret()}").status_code == 200
        pages, step = [], 1
        while True:
            page = client.get(f"/lead/rounds/{round_id}/screen?step={step}")
            assert page.status_code == 200
            pages.append(page.text)
            if 'rel="next"' not in page.text:
                break
            step += 1
        yield pages


def prompts_on(html: str) -> list[str]:
    if "For the room</h2>" not in html:
        return []
    listed = html.split("For the room</h2>", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", listed)]


def kicker(html: str) -> str:
    return html.split('class="screen-kicker">', 1)[1].split("</p>", 1)[0] if "screen-kicker" in html else ""


def test_a_topic_screen_shows_at_most_three_questions_for_the_room(screens: list[str]) -> None:
    topics = [html for html in screens if kicker(html).startswith("Topic ")]
    assert len(topics) >= 5
    assert sum(bool(prompts_on(html)) for html in topics) >= 5  # each finding's own, on one of its steps
    assert all(len(prompts_on(html)) <= SCREEN_PROMPTS for html in screens)


def test_a_gap_screen_asks_only_what_is_about_its_statement(screens: list[str]) -> None:
    gaps = [html for html in screens if kicker(html).startswith("Where we see things differently")]
    assert len(gaps) == 5
    asked = [tuple(prompts_on(html)) for html in gaps]
    assert len(set(asked)) > 1, "every gap screen asks the same questions"
    for html, prompts in zip(gaps, asked, strict=True):
        statement = html.split('class="screen-title">', 1)[1].split("</h1>", 1)[0].lower()
        for prompt in prompts:
            if "describe the type of partnership" in prompt:
                assert "type" in statement or "decision" in statement, (statement, prompt)
    # a statement none of its section's questions is about gets the questions for any split
    assert GAP_PROMPTS in asked


def test_each_topics_first_step_is_an_action_the_room_can_see(screens: list[str]) -> None:
    (plan,) = [html for html in screens if kicker(html) == "The action plan"]
    listed = plan.split('class="screen-list screen-actions">', 1)[1].split("</ol>", 1)[0]
    shown = [markup.unescape(item) for item in re.findall(r"<li>(.*?)</li>", listed)]
    steps = [
        markup.unescape(html.split("First step: ", 1)[1].split("</h2>", 1)[0]) + "."
        for html in screens
        if "First step: " in html
    ]
    assert len(steps) >= 5
    for step in steps:
        numbered = re.match(r"action (\d+), (.*)\.$", step)
        if numbered:
            assert int(numbered[1]) <= len(shown) and shown[int(numbered[1]) - 1] == numbered[2], step
        else:
            assert step.endswith("in the report's appendix)."), step
    assert any("appendix" in step for step in steps)


@pytest.mark.parametrize("step", ["²", "٤", "99999999999999999999999", "-3", "x"])
def test_a_step_that_is_no_ascii_number_opens_a_step_of_the_screen(
    tmp_path_factory: pytest.TempPathFactory, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase, step: str
) -> None:
    store = Store(tmp_path_factory.mktemp("steps") / "rounds.db")
    round_id = troubled_round(store, questionnaire)
    app = create_app(store, questionnaire=questionnaire, rules=rulebase)
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        assert client.get(f"/lead/enter/{store.lead_secret()}").status_code == 200
        page = client.get(f"/lead/rounds/{round_id}/screen", params={"step": step})
    assert page.status_code == 200
    assert 'rel="next"' in page.text  # a step of the screen, the first or the last, not an error page
