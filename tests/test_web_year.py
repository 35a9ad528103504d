"""Year on year in the web app: a closed round keeps its assessment, and its reports show what changed.

Last year's Riverside assessment (examples/riverside.yaml) is stored; this year's round
is answered with examples/riverside-2027.yaml's answers and closed by the lead. The
same journey in Chromium is in test_browser.py.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.reader import bundled_path
from partnership_health.models import QuestionnaireRef
from partnership_health.reporting.render import contract
from partnership_health.store.sqlite import Store
from partnership_health.surveys.plans import read_plan
from partnership_health.web import create_app

from .conftest import EVERY_ANSWER, MINI
from .test_web import BASE, Lead, csrf

RIVERSIDE = "Riverside Youth Partnership"


def save_last_year(store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> int:
    """Store last year's Riverside assessment, as ``assess examples/riverside.yaml --save`` does."""
    answers = ph.load_answers(bundled_path("examples") / "riverside.yaml", questionnaire)
    result = ph.assess(answers, questionnaire, rulebase, EVERY_ANSWER)
    return store.save_assessment(
        answers, contract(result), rulebase_version=result.rulebase_version, options=EVERY_ANSWER.changed()
    )


def answered_round(store: Store, questionnaire: ph.Questionnaire, example: str, min_group: int = 1) -> int:
    """A round whose respondents gave ``example``'s answers, each saved a section at a time as the form does.

    Its lead chose to show every group, however small, unless ``min_group`` says otherwise: the
    findings followed from year to year are about riverside's one lead partner.
    """
    return round_of(store, questionnaire, ph.load_answers(bundled_path("examples") / example, questionnaire), min_group)


def round_of(
    store: Store, questionnaire: ph.Questionnaire, answers: ph.Answers, min_group: int = 1, owner: int | None = None
) -> int:
    """A round of lead ``owner``'s (None: the local lead's) whose respondents gave ``answers``, saved as the form
    saves them."""
    ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    made = store.create_round(answers.partnership, answers.assessed_on, ref, min_group, False, owner)
    people = store.invite(made.id, [(r.organisation, r.role, r.name) for r in answers.respondents])
    for person, respondent in zip(people, answers.respondents, strict=True):
        for section in questionnaire.sections:
            given = {q.id: respondent.answers[q.id] for q in section.questions if q.id in respondent.answers}
            store.save_section(person.id, section.id, given)
        store.finish(person.id)
    return made.id


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "rounds.db")


@pytest.fixture
def lead(store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> Iterator[Lead]:
    app = create_app(store, questionnaire=questionnaire, rules=rulebase)
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        yield Lead(client, store)


def close(lead: Lead, round_id: int) -> str:
    closed = lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": lead.token})  # the lead's forms' token
    assert closed.status_code == 200, closed.text
    return closed.text


def since_part(html: str) -> str:
    found = re.search(r'<section id="since".*?</section>', html, re.S)
    assert found, "the report has no 'since last time' part"
    return found[0]


def items(html: str, css_class: str) -> str:
    found = re.search(rf'<ul class="{css_class}">(.*?)</ul>', html, re.S)
    return found[1] if found else ""


def test_a_closed_round_is_kept_and_its_report_shows_what_changed_since_last_year(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    last_year = save_last_year(store, questionnaire, rulebase)
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")

    page = close(lead, round_id)

    kept = store.assessments(RIVERSIDE)
    assert [(a.id, a.assessed_on) for a in kept] == [
        (last_year, datetime.date(2026, 10, 5)),
        (kept[1].id, datetime.date(2027, 10, 4)),
    ]
    this_year = store.get_assessment(kept[1].id)
    assert this_year.answers == store.round_answers(round_id)
    assert this_year.report is not None and this_year.report["assessed_on"] == "2027-10-04"
    assert f"This round's assessment is kept as assessment {this_year.id}" in page
    assert f"The reports compare with the assessment of {RIVERSIDE} of 2026-10-05 (assessment {last_year})" in page

    html = lead.client.get(f"/lead/rounds/{round_id}/report.html")
    assert html.status_code == 200
    since = since_part(html.text)
    assert "No agreed timetable" in items(since, "since-new")
    assert "Partnership meetings take hours that a partner cannot spare" in items(since, "since-resolved")
    assert "The lead sees shared decisions; core partners do not" in items(since, "since-persisting")
    assert "2026-10-05" in since
    assert 'class="chart trend-chart"' in since  # the overall score over the years

    report = lead.client.get(f"/lead/rounds/{round_id}/report.json").json()
    assert report["since"]["previous"] == {"id": str(last_year), "assessed_on": "2026-10-05"}
    assert [f["title"] for f in report["since"]["findings"]["new"]] == ["No agreed timetable"]
    md = lead.client.get(f"/lead/rounds/{round_id}/report.md").text
    assert "No agreed timetable" in md.split("Since last time", 1)[1]


def test_last_years_action_plan_attached_to_its_assessment_shows_in_this_years_report(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    last_year = save_last_year(store, questionnaire, rulebase)
    store.attach_actions(last_year, read_plan(bundled_path("examples") / "riverside-plan.csv"))
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    close(lead, round_id)

    since = html.unescape(since_part(lead.client.get(f"/lead/rounds/{round_id}/report.html").text))

    part = since[since.index("Last time's actions") :]
    assert "Of the 8 actions in last time's plan, 2 are done" in part
    assert "Share decision-making across lead and core partners – not started" in part
    assert "Make meetings shorter, fewer and focused on action – done" in part


def test_the_facilitators_screens_say_what_was_found_last_year_and_what_was_planned(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    last_year = save_last_year(store, questionnaire, rulebase)
    store.attach_actions(last_year, read_plan(bundled_path("examples") / "riverside-plan.csv"))
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")  # still open: the session is on

    screens = []
    while not screens or 'rel="next"' in screens[-1]:
        page = lead.client.get(f"/lead/rounds/{round_id}/screen?step={len(screens) + 1}")
        screens.append(html.unescape(page.text))

    def screen_of(title: str) -> str:
        """The screen of a finding told on its own, or of the story that tells it."""
        headings = (f'<h1 class="screen-title">{title}</h1>', f'<strong class="screen-finding">{title}</strong>')
        return next(text for text in screens if any(heading in text for heading in headings))

    assert "New since 2026-10-05." in screen_of("No agreed timetable")
    assert (
        "Also found on 2026-10-05. What was planned: Share decision-making across lead and core partners: "
        "not started; Review the lead partner's role: in progress."
        in screen_of("The lead sees shared decisions; core partners do not")
    )
    assert "Also found on 2026-10-05 (then medium)." in screen_of("Wider partners are rarely brought together")
    actions = "Every action agreed at a meeting has a named person responsible for it."
    assert "Also seen differently on 2026-10-05." in screen_of(actions)
    assert (
        "Found on 2026-10-05 and not this time: Partnership meetings take hours that a partner cannot spare."
        in screens[-1]
    )


def test_a_first_round_s_screens_say_nothing_of_last_time(lead: Lead, store: Store, questionnaire) -> None:
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    pages = [lead.client.get(f"/lead/rounds/{round_id}/screen?step={n}").text for n in range(1, 4)]
    assert not any("screen-since" in page for page in pages)


def test_two_closes_at_the_same_moment_keep_one_copy(lead: Lead, store: Store, questionnaire: ph.Questionnaire) -> None:
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    start = threading.Barrier(2)
    codes: list[int] = []

    def close_now() -> None:
        start.wait()
        codes.append(lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": lead.token}).status_code)

    threads = [threading.Thread(target=close_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == [200, 200]
    assert [a.id for a in store.assessments()] == [store.round_assessment(round_id)]


def test_the_report_without_the_comparison_is_offered_too(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    save_last_year(store, questionnaire, rulebase)
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    page = close(lead, round_id)

    links = re.findall(r'href="(/lead/rounds/\d+/report\.\w+\?since=no)"', page)
    assert {link.rsplit(".", 1)[1] for link in links} == {
        "html?since=no",
        "pdf?since=no",
        "md?since=no",
        "json?since=no",
    }
    plain = lead.client.get(f"/lead/rounds/{round_id}/report.html?since=no").text
    assert 'id="since"' not in plain and "No agreed timetable" in plain
    assert "since" not in lead.client.get(f"/lead/rounds/{round_id}/report.json?since=no").json()


def test_the_leads_page_lists_the_partnerships_stored_assessments(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    last_year = save_last_year(store, questionnaire, rulebase)
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    close(lead, round_id)
    this_year = store.round_assessment(round_id)

    page = lead.client.get(f"/lead/rounds/{round_id}").text

    table = re.search(r'<table class="table assessments">.*?</table>', page, re.S)
    assert table
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", table[0], re.S)[1:]]
    cells = [[cell for cell in row.split("|") if cell] for row in rows]
    for stored, row in zip(store.assessments(RIVERSIDE, full=True), cells, strict=True):
        assert stored.report is not None
        scores = [s["score"] for s in stored.report["scores"].values() if s["score"] is not None]
        assert row[0] == stored.assessed_on.isoformat()
        assert row[2] == str(len(stored.report["findings"]))
        assert row[3] == str(round(sum(scores) / len(scores)))
    assert cells[0][1] == f"{last_year} (compared with)" and cells[1][1] == f"{this_year} (this round)"


def test_closing_again_keeps_one_copy_and_a_round_nobody_answered_keeps_none(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire
) -> None:
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    close(lead, round_id)
    close(lead, round_id)
    assert len(store.assessments()) == 1

    empty = lead.create_round("Nobody came")
    page = close(lead, empty)

    assert "Nobody answered this round, so no assessment was kept." in page
    assert store.round_assessment(empty) is None and len(store.assessments()) == 1


def test_a_round_closed_before_it_could_be_kept_is_kept_when_the_lead_asks(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire
) -> None:
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    store.close_round(round_id)  # as a round closed by an earlier version was

    page = lead.client.get(f"/lead/rounds/{round_id}").text
    assert "This round's assessment is not kept yet." in page
    assert store.assessments() == []
    lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": csrf(page)})

    assert [a.id for a in store.assessments()] == [store.round_assessment(round_id)]


def test_a_deleted_assessment_stays_deleted_when_the_round_is_closed_again(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire
) -> None:
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    close(lead, round_id)
    store.delete_assessment(store.round_assessment(round_id))  # type: ignore[arg-type]

    page = close(lead, round_id)

    assert store.assessments() == []
    assert "which has since been deleted" in page


def test_a_first_assessment_compares_with_nothing(
    lead: Lead, store: Store, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    save_last_year(store, questionnaire, rulebase)
    store.save_assessment(  # another partnership's
        ph.load_answers(bundled_path("examples") / "healthy.yaml", questionnaire),
        {"findings": [], "scores": {}},
        rulebase_version=rulebase.settings.version,
    )
    round_id = answered_round(store, questionnaire, "riverside.yaml")  # the stored one's date: not before it

    page = close(lead, round_id)
    html = lead.client.get(f"/lead/rounds/{round_id}/report.html").text

    assert 'id="since"' not in html
    assert "The reports compare" not in page and "?since=no" not in page


# --- the round close command ----------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_round_close_keeps_the_assessment_once(
    tmp_path: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    db = tmp_path / "rounds.db"
    store = Store(db)
    last_year = save_last_year(store, questionnaire, rulebase)
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")

    code, out = run("round", "close", "--db", str(db), str(round_id))
    again_code, again = run("round", "close", "--db", str(db), str(round_id))

    (kept,) = [a for a in store.assessments(RIVERSIDE) if a.id != last_year]
    assert code == 0 and out.splitlines() == [
        f"Round {round_id} is closed: no further answers.",
        f"Its assessment is kept as assessment {kept.id} in {db}.",
    ]
    assert again_code == 0 and f"Its assessment was kept before, as assessment {kept.id}." in again
    assert len(store.assessments()) == 2
    web = store.get_assessment(kept.id).report
    answers = store.round_answers(round_id)
    assert answers is not None
    assessed = ph.assess(answers, questionnaire, rulebase, store.get_round(round_id).options)
    assert web == json.loads(ph.render(assessed, questionnaire, "json"))


def test_a_kept_round_is_listed_and_shown_by_history_as_the_round_reports_it(
    tmp_path: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    db = tmp_path / "rounds.db"
    store = Store(db)
    save_last_year(store, questionnaire, rulebase)
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")
    assert run("round", "close", "--db", str(db), str(round_id))[0] == 0
    kept = store.round_assessment(round_id)

    code, listed = run("history", "--db", str(db), RIVERSIDE)
    assert code == 0
    rows = [re.split(r"\s{2,}", line.strip()) for line in listed.splitlines()[1:]]
    assert [(row[0], row[2]) for row in rows] == [("1", "2026-10-05"), (str(kept), "2027-10-04")]
    code, shown = run("history", "--db", str(db), "show", str(kept), "--format", "json")
    assert code == 0
    app = create_app(store, questionnaire=questionnaire, rules=rulebase)
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        web = Lead(client, store).client.get(f"/lead/rounds/{round_id}/report.json?since=no").json()
    assert json.loads(shown)["findings"] == web["findings"]


def test_round_close_of_a_round_nobody_answered_says_nothing_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "rounds.db"
    inputs = ["--questionnaire", str(MINI / "questionnaire.yaml"), "--rules", str(MINI / "rules")]
    code, out = run("round", "create", "--db", str(db), "--partnership", "Mini", *inputs)
    assert code == 0

    code, out = run("round", "close", "--db", str(db), "1", *inputs)

    assert code == 0 and "Nobody answered it, so no assessment is kept." in out
    assert Store(db).assessments() == [] and not Store(db).get_round(1).open


def test_round_close_with_another_questionnaire_refuses_before_closing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "rounds.db"
    code, _ = run(
        "round", "create", "--db", str(db), "--partnership", "Mini", "--questionnaire", str(MINI / "questionnaire.yaml")
    )
    assert code == 0

    code, _ = run("round", "close", "--db", str(db), "1")  # the bundled questionnaire

    assert code == 1
    assert "round 1 is answered with questionnaire 'mini'" in capsys.readouterr().err
    assert Store(db).get_round(1).open
