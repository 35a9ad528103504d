"""Saved assessments (schema 2): the Store API the history commands and the web app stand on."""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.core.reader import bundled_path
from partnership_health.reporting.render import contract
from partnership_health.store.sqlite import MIGRATIONS, SCHEMA_VERSION, Store, StoredAssessment, StoreError

EXAMPLES = bundled_path("examples")


@pytest.fixture(scope="module")
def riverside(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> tuple[ph.Answers, dict]:
    answers = ph.load_answers(EXAMPLES / "riverside.yaml", questionnaire)
    return answers, contract(ph.assess(answers, questionnaire, rulebase))


def dated(answers: ph.Answers, day: str, partnership: str | None = None) -> ph.Answers:
    update: dict[str, object] = {"assessed_on": datetime.date.fromisoformat(day)}
    if partnership:
        update["partnership"] = partnership
    return answers.model_copy(update=update)


def test_a_saved_assessment_comes_back_with_its_answers_and_report(tmp_path: Path, riverside) -> None:
    answers, report = riverside
    store = Store(tmp_path / "h.db")

    saved = store.save_assessment(answers, report, rulebase_version="2.0")
    found = store.get_assessment(saved)

    assert (found.id, found.partnership, found.assessed_on) == (saved, answers.partnership, answers.assessed_on)
    assert (found.questionnaire_id, found.questionnaire_version) == (answers.questionnaire.id, "2.1")
    assert found.rulebase_version == "2.0"
    assert found.answers == answers
    assert found.report == report
    assert not found.has_actions


def test_assessments_are_listed_oldest_first_and_by_partnership(tmp_path: Path, riverside) -> None:
    answers, report = riverside
    store = Store(tmp_path / "h.db")
    late = store.save_assessment(dated(answers, "2027-10-01"), report, rulebase_version="2.0")
    early = store.save_assessment(dated(answers, "2025-10-01"), report, rulebase_version="2.0")
    other = store.save_assessment(dated(answers, "2026-01-01", "Hillside"), report, rulebase_version="2.0")
    same_day = store.save_assessment(dated(answers, "2027-10-01"), report, rulebase_version="2.0")

    assert [a.id for a in store.assessments()] == [early, other, late, same_day]
    listed = store.assessments(answers.partnership)
    assert [a.id for a in listed] == [early, late, same_day]
    assert all(a.answers is None and a.report is None for a in listed)  # loaded only when asked
    assert store.assessments("Hillside", full=True)[0].report == report


def test_the_previous_assessment_is_the_latest_of_the_partnership_dated_before(tmp_path: Path, riverside) -> None:
    answers, report = riverside
    store = Store(tmp_path / "h.db")
    first = store.save_assessment(dated(answers, "2025-10-01"), report, rulebase_version="2.0")
    second = store.save_assessment(dated(answers, "2026-10-01"), report, rulebase_version="2.0")
    store.save_assessment(dated(answers, "2026-12-01", "Hillside"), report, rulebase_version="2.0")
    store.save_assessment(dated(answers, "2027-10-01"), report, rulebase_version="2.0")

    previous = store.previous_assessment(answers.partnership, datetime.date(2027, 10, 1))
    assert previous is not None and previous.id == second and previous.report == report
    assert store.previous_assessment(answers.partnership, datetime.date(2026, 10, 1)).id == first  # type: ignore[union-attr]
    assert store.previous_assessment(answers.partnership, datetime.date(2025, 10, 1)) is None
    assert store.previous_assessment("Nobody", datetime.date(2030, 1, 1)) is None


def test_an_unknown_assessment_is_a_store_error_naming_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.db")
    for wrong in (9, "9", "x"):
        with pytest.raises(StoreError, match=f"no assessment {wrong}"):
            store.get_assessment(wrong)


def test_an_action_plan_is_attached_replaced_and_deleted_with_its_assessment(tmp_path: Path, riverside) -> None:
    answers, report = riverside
    store = Store(tmp_path / "h.db")
    kept = store.save_assessment(answers, report, rulebase_version="2.0")
    gone = store.save_assessment(dated(answers, "2027-10-01"), report, rulebase_version="2.0")
    assert store.actions_of(gone) is None

    store.attach_actions(gone, [{"Remedy id": "agree-timeline", "Status": "in progress"}])
    store.attach_actions(gone, [{"Remedy id": "agree-timeline", "Status": "done"}])
    assert store.actions_of(gone) == [{"Remedy id": "agree-timeline", "Status": "done"}]
    assert store.get_assessment(gone).has_actions

    deleted = store.delete_assessment(gone)

    assert (deleted.id, deleted.assessed_on, deleted.has_actions) == (gone, datetime.date(2027, 10, 1), True)
    assert [a.id for a in store.assessments()] == [kept]
    assert store.actions_of(gone) is None
    with pytest.raises(StoreError, match=f"no assessment {gone}"):
        store.delete_assessment(gone)
    with pytest.raises(StoreError, match="no assessment 99"):
        store.attach_actions(99, [])


def to_import(answers: ph.Answers, report: dict, actions: list[dict] | None = None) -> StoredAssessment:
    return StoredAssessment(
        id=0,
        partnership=answers.partnership,
        assessed_on=answers.assessed_on,
        questionnaire_id=answers.questionnaire.id,
        questionnaire_version=answers.questionnaire.version,
        rulebase_version="2.0",
        saved_at="2027-10-02T00:00:00+00:00",
        options={"min_group": 3},
        answers=answers,
        report=report,
        actions=actions,
    )


def test_an_import_skips_assessments_already_stored_and_is_all_or_nothing(tmp_path: Path, riverside) -> None:
    answers, report = riverside
    store = Store(tmp_path / "h.db")
    there = store.save_assessment(answers, report, rulebase_version="2.0")
    later = dated(answers, "2027-10-01")

    imported = store.import_assessments([to_import(answers, report), to_import(later, report, [{"Status": "done"}])])

    assert [(i.id, i.duplicate) for i in imported] == [(there, True), (there + 1, False)]
    assert store.actions_of(there + 1) == [{"Status": "done"}]
    assert store.same_assessment(later) == there + 1
    found = store.get_assessment(there + 1)
    assert (found.saved_at, found.options) == ("2027-10-02T00:00:00+00:00", {"min_group": 3})
    with pytest.raises(TypeError):  # a report that is not JSON: nothing of the import is kept
        store.import_assessments(
            [to_import(dated(answers, "2028-10-01"), report), to_import(dated(answers, "2029-10-01"), {"x": object()})]
        )
    assert len(store.assessments()) == 2


def test_the_options_an_assessment_was_saved_with_come_back(tmp_path: Path, riverside) -> None:
    answers, report = riverside
    store = Store(tmp_path / "h.db")

    plain = store.save_assessment(answers, report, rulebase_version="2.0")
    merged = store.save_assessment(
        answers, report, rulebase_version="2.0", options={"min_group": 3, "by": "organisation"}
    )

    assert store.get_assessment(plain).options == {}
    assert store.assessments()[1].options == {"min_group": 3, "by": "organisation"}
    assert store.get_assessment(merged).options == {"min_group": 3, "by": "organisation"}


def version_1_database(path: Path) -> None:
    """A database as the first version wrote it, with a round in it."""
    with sqlite3.connect(path) as raw:
        raw.executescript(MIGRATIONS[0])
        raw.execute(
            "INSERT INTO rounds (partnership, assessed_on, questionnaire_id, questionnaire_version, room_token,"
            " created_at) VALUES ('Riverside', '2026-10-05', 'partnership-health', '2.0', 'tok', '2026-10-01')"
        )
        raw.execute("PRAGMA user_version = 1")
    raw.close()


def test_a_version_1_database_is_migrated_on_open_and_keeps_its_rounds(tmp_path: Path, riverside) -> None:
    path = tmp_path / "old.db"
    version_1_database(path)

    store = Store(path)

    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    raw.close()
    assert [(r.id, r.partnership, r.assessed_on) for r in store.rounds()] == [
        (1, "Riverside", datetime.date(2026, 10, 5))
    ]
    answers, report = riverside
    assert store.get_assessment(store.save_assessment(answers, report, rulebase_version="2.0")).report == report


def test_a_database_with_a_newer_schema_is_refused_in_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path)
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()

    with pytest.raises(StoreError) as refused:
        Store(path)

    assert "\n" not in refused.value.message
    assert refused.value.message.startswith(f"{path}: written by a newer version of partnership-health")
