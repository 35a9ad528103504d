"""The lead chooses what a round's reports show before anyone answers; respondents are told; the report repeats it."""

from __future__ import annotations

from pathlib import Path

from partnership_health.cli import main
from partnership_health.store.sqlite import Store

from . import test_web
from .conftest import MINI
from .test_web import Lead, Respondent, answered_round

# The web app's fixtures: a fresh store, the app over it, and its lead signed in.
store, app, lead = test_web.store, test_web.app, test_web.lead


def start_page(app: object, lead: Lead, round_id: int) -> str:
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    return " ".join(person.client.get(person.link).text.split())


def test_a_new_round_offers_the_default_smallest_group_and_no_names(lead: Lead) -> None:
    page = lead.client.get("/lead").text

    assert 'name="min_group" type="text" value="3"' in page
    assert 'name="show_names" type="checkbox" value="yes" aria' in page, "unticked"


def test_respondents_are_told_small_groups_are_never_shown_and_names_are_not(
    app: object, lead: Lead, store: Store
) -> None:
    round_id = lead.create_round(min_group="3")

    page = start_page(app, lead, round_id)

    assert "a role or an organisation with fewer people than that is never shown on its own" in page
    assert "only for groups of at least 3 people" in page and "Your name is never shown in a report." in page
    assert store.get_round(round_id).show_names is False


def test_respondents_are_told_when_the_lead_shows_every_group_and_names(app: object, lead: Lead) -> None:
    round_id = lead.create_round(min_group="1", show_names="yes")

    page = start_page(app, lead, round_id)

    assert "The lead has chosen to show every group, however small" in page
    assert "The report may list who took part by name, but not what each person answered." in page


def test_a_round_that_did_not_promise_names_never_lists_them(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead)

    refused = lead.client.get(f"/lead/rounds/{round_id}/report.html?names=yes")
    report = lead.client.get(f"/lead/rounds/{round_id}/report.md")

    assert refused.status_code == 403 and "Sam Secret" not in refused.text
    assert "?names=yes" not in lead.client.get(f"/lead/rounds/{round_id}").text
    assert "No respondent's name is shown." in report.text


def test_the_reports_privacy_note_repeats_what_respondents_were_told(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead, min_group="3", show_names="yes")

    plain = " ".join(lead.client.get(f"/lead/rounds/{round_id}/report.md").text.split())
    named = " ".join(lead.client.get(f"/lead/rounds/{round_id}/report.md?names=yes").text.split())

    assert "groups smaller than 3 are never shown on their own" in plain
    assert "Respondents are listed by name, as the lead chose; what each person answered is not." in named
    assert "Sam Secret" in named


def test_the_round_command_keeps_the_choices_made_before_answers_come_in(tmp_path: Path) -> None:
    db = tmp_path / "rounds.db"
    mini = ["--questionnaire", str(MINI / "questionnaire.yaml")]
    args = ["round", "create", "--db", str(db), "--partnership", "P", *mini]

    assert main([*args]) == 0 and main([*args, "--min-group", "4", "--show-names"]) == 0

    first, second = Store(db).rounds()
    assert (first.min_group, first.show_names) == (3, False)
    assert (second.min_group, second.show_names) == (4, True)


def test_the_facilitators_screen_of_a_default_round_gives_no_one_persons_answer(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead, min_group="3")  # one lead (answered 5), two core partners (1 and 2)

    screens, step = [], 1
    while True:
        page = lead.client.get(f"/lead/rounds/{round_id}/screen?step={step}").text
        screens.append(" ".join(page.split()))
        if 'rel="next"' not in page:
            break
        step += 1

    assert len(screens) > 2, "the disagreements and findings are still shown"
    for screen in screens:
        assert "lead partner answered" not in screen.lower() and "5 out of 5" not in screen
        assert "The lead sees shared decisions" not in screen


def test_the_start_page_promises_no_more_than_the_lead_holds(app: object, lead: Lead) -> None:
    """The lead can download each person's name, organisation and answers: the page says so, and promises
    only what the reports keep."""
    page = start_page(app, lead, lead.create_round(min_group="3"))

    assert "Nobody can see or work out what you answered" not in page
    assert "Nobody reading a report can see or work out what you answered." in page
    assert "Your name is never shown in a report." in page
    assert "holds each person's name, organisation and answers" in page


def test_a_round_too_few_answered_says_results_are_held_back_not_that_all_is_well(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead, min_group="4")  # three answer

    report = " ".join(lead.client.get(f"/lead/rounds/{round_id}/report.md").text.split())
    html = " ".join(lead.client.get(f"/lead/rounds/{round_id}/report.html").text.split())
    last = " ".join(lead.client.get(f"/lead/rounds/{round_id}/screen?step=99").text.split())

    for page in (report, html):
        assert "Results are held back until at least 4 people have answered" in page
        assert "No failure mode was diagnosed" not in page and "Nothing to do" not in page
        assert "No success factor" not in page
        assert "--min-group 1" not in page and "its smallest group cannot change" in page
    assert "Results are held back until at least 4 people have answered." in last
    assert "0 findings" not in last
