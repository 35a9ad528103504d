"""The lead's report downloads are kept per round state, and PDFs are laid out in a worker process.

A repeated download is the report kept from the first; an answer that arrives makes the next
download show it; another lead's round is refused before anything kept is looked at.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.store.sqlite import Store
from partnership_health.web.cache import Reports

from .conftest import examples
from .test_accounts import Signed, add_lead, client
from .test_accounts import app as app  # noqa: F401 (fixtures)
from .test_accounts import build as build  # noqa: F401
from .test_accounts import db as db  # noqa: F401
from .test_accounts import store as store  # noqa: F401
from .test_web import Lead, Respondent, answered_round
from .test_web import app as web_app  # noqa: F401
from .test_web import lead as lead  # noqa: F401


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_repeated_download_is_the_same_report_until_an_answer_arrives(
    web_app: object,  # noqa: F811
    lead: Lead,  # noqa: F811
    tmp_path: Path,
) -> None:
    round_id = answered_round(web_app, lead)
    first = lead.client.get(f"/lead/rounds/{round_id}/report.pdf")
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    again = lead.client.get(f"/lead/rounds/{round_id}/report.pdf")
    assert again.content == first.content and first.content.startswith(b"%PDF")
    md = lead.client.get(f"/lead/rounds/{round_id}/report.md").text
    assert lead.client.get(f"/lead/rounds/{round_id}/report.md").text == md
    assert "from 3 respondents" in md and "from 3 respondents" in pdf_text(first.content, tmp_path)

    late = Respondent(web_app, lead.invite(round_id, "Museum", "wider", "Late Comer"))
    assert late.section(1, {"delivery.actions_have_owners": "4"}).status_code == 200  # type: ignore[attr-defined]

    md_after = lead.client.get(f"/lead/rounds/{round_id}/report.md").text
    assert "from 4 respondents" in md_after
    pdf_after = lead.client.get(f"/lead/rounds/{round_id}/report.pdf").content
    assert pdf_after != first.content and "from 4 respondents" in pdf_text(pdf_after, tmp_path)


def test_another_leads_round_is_refused_before_its_kept_report_is_looked_at(
    app: object,  # noqa: F811
    db: Path,  # noqa: F811
    store: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with client(app, "192.0.2.9"):  # the app started and, at the end, stopped (its PDF worker with it)
        add_lead(db, "ada@example.org", monkeypatch)
        add_lead(db, "bob@example.org", monkeypatch)
        ada, bob = Signed(app, "ada@example.org", "192.0.2.1"), Signed(app, "bob@example.org", "192.0.2.2")
        for each, value in ((ada, 4), (bob, 1)):  # the same partnership's name and date: the answers differ
            (person,) = store.respondents(each.round_id)
            store.save_section(person.id, "delivery", {"delivery.actions_have_owners": value})
        for fmt in ("md", "pdf"):  # Bob's reports are kept now
            assert bob.browser.get(f"/lead/rounds/{bob.round_id}/report.{fmt}").status_code == 200
        for fmt in ("md", "pdf"):
            page = ada.browser.get(f"/lead/rounds/{bob.round_id}/report.{fmt}")
            assert page.status_code == 404 and not page.content.startswith(b"%PDF")
            assert "bob@example.org" not in page.text
            bobs = bob.browser.get(f"/lead/rounds/{bob.round_id}/report.{fmt}").content
            own = ada.browser.get(f"/lead/rounds/{ada.round_id}/report.{fmt}")
            assert own.status_code == 200 and own.content != bobs


def test_the_cache_keeps_a_few_reports_and_renders_each_once(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    reports = Reports(questionnaire, kept=2)
    try:
        (riverside,) = [path for path in examples() if path.name == "riverside.yaml"]
        result = ph.assess(ph.load_answers(riverside, questionnaire), questionnaire, rulebase)
        first = reports.get("a", result, "md", None, [])
        assert reports.get("a", result, "md", None, []) is first  # the kept text, not a new rendering
        pdf = reports.get("p", result, "pdf", None, [])  # laid out in the worker process
        assert isinstance(pdf, bytes) and pdf == ph.render(result, questionnaire, "pdf")
        assert reports.get("p", result, "pdf", None, []) is pdf
        reports.get("b", result, "html", None, [])  # a third key: the least recently used ("a") goes
        again = reports.get("a", result, "md", None, [])
        assert again == first and again is not first
    finally:
        reports.close()


def test_a_pdf_is_laid_out_again_after_its_worker_died(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> None:
    reports = Reports(questionnaire)
    try:
        (riverside,) = [path for path in examples() if path.name == "riverside.yaml"]
        result = ph.assess(ph.load_answers(riverside, questionnaire), questionnaire, rulebase)
        first = reports.get("one", result, "pdf", None, [])
        for pid in list(reports._pool._processes or ()):  # type: ignore[union-attr]  # killed, as out of memory
            os.kill(pid, signal.SIGKILL)
        again = reports.get("two", result, "pdf", None, [])  # another key: not the kept one
        assert again == first and again is not first
    finally:
        reports.close()
