"""The lead's report downloads, kept per round state, and PDFs laid out in a worker process.

A report is rendered once for what it shows: the round, the state of its answers
(:meth:`~partnership_health.store.sqlite.Store.changes`), the format, the options the
request gave and a digest of the other data it shows (the comparison with the last
assessment, the actions agreed in live sessions). An answer that arrives changes the state,
so the next download renders again; an unchanged round is served from memory. The cache is
a small LRU (:data:`KEPT` reports) and is looked up only after the route has checked that
the round is the signed-in lead's, and its keys name the lead too.

WeasyPrint takes a second or more of CPU for a PDF, holding the interpreter's lock the
whole time: in the server's thread pool it would slow every respondent's page. So PDFs
are laid out in one worker process (started on the first PDF, stopped with the app),
which gets the assessment and what else the report shows, pickled, and the questionnaire
once when it starts. The worker runs at a lower priority (``nice`` 10): on a machine with
few cores a PDF would otherwise take a core from the server's respondents.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..models import Assessment, Levels, Programme, Questionnaire
from ..programme.render import render_programme
from ..reporting.render import render

WORKER_NICENESS = 10  # the PDF worker's scheduling priority, below the server's
KEPT = 8  # reports kept in memory: a PDF is about 70 kB, a large HTML report a few hundred

_questionnaire: Questionnaire | None = None  # the worker process's, given when it starts


def digest(*parts: Any) -> str:
    """A short fingerprint of JSON-able data (what a report shows besides the assessment)."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Reports:
    """Rendered reports by key, and the worker process that lays out PDFs."""

    def __init__(self, questionnaire: Questionnaire, kept: int = KEPT) -> None:
        self.questionnaire = questionnaire
        self.kept = kept
        self._reports: OrderedDict[Hashable, Future[str | bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def get(
        self,
        key: Hashable,
        assessment: Assessment,
        fmt: str,
        since: Mapping[str, Any] | None,
        agreed: Sequence[Mapping[str, Any]],
    ) -> str | bytes:
        """The report under ``key``, rendered now if it is not kept (concurrent requests for one
        key wait for one rendering)."""
        if fmt == "pdf":
            return self.kept_or_made(key, lambda: self.in_worker(_render_pdf, assessment, since, agreed))
        return self.kept_or_made(
            key,
            lambda: render(assessment, self.questionnaire, fmt, since=since, agreed=agreed),  # type: ignore[arg-type]
        )

    def kept_or_made(self, key: Hashable, make: Callable[[], str | bytes]) -> str | bytes:
        """What is kept under ``key``, else what ``make`` makes, kept (concurrent requests for one key wait for it)."""
        with self._lock:
            future = self._reports.get(key)
            mine = future is None
            if future is None:
                future = self._reports[key] = Future()
                while len(self._reports) > self.kept:
                    self._reports.popitem(last=False)
            else:
                self._reports.move_to_end(key)
        if not mine:
            return self._result(key, future)
        try:
            content = make()
        except BaseException as error:
            future.set_exception(error)
            self._forget(key, future)
            raise
        future.set_result(content)
        return content

    def _result(self, key: Hashable, future: Future[str | bytes]) -> str | bytes:
        try:
            return future.result()
        except Exception:
            self._forget(key, future)
            raise

    def _forget(self, key: Hashable, future: Future[str | bytes]) -> None:
        with self._lock:
            if self._reports.get(key) is future:
                del self._reports[key]

    def in_worker(self, function: Callable[..., bytes], *arguments: Any) -> bytes:
        """``function(*arguments)`` in the PDF worker process (a module-level function: it is pickled)."""
        try:
            return self._worker().submit(function, *arguments).result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): a new one, once
            with self._lock:
                broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            return self._worker().submit(function, *arguments).result()

    def _worker(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the server has threads, and a forked copy of a lock held by one
                # of them would never be released in the child
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(self.questionnaire,),
                )
            return self._pool

    def close(self) -> None:
        """Stop the worker process (the app's shutdown) and forget the reports."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._reports.clear()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(questionnaire: Questionnaire) -> None:
    global _questionnaire
    _questionnaire = questionnaire
    if hasattr(os, "nice"):  # the respondents' pages first: a PDF can wait for a busy CPU, they cannot
        os.nice(WORKER_NICENESS)


def _render_pdf(assessment: Assessment, since: Mapping[str, Any] | None, agreed: Sequence[Mapping[str, Any]]) -> bytes:
    """In the worker process: the PDF report."""
    assert _questionnaire is not None
    pdf = render(assessment, _questionnaire, "pdf", since=since, agreed=agreed)
    assert isinstance(pdf, bytes)
    return pdf


def programme_pdf(programme: Programme, levels: Levels) -> bytes:
    """In the worker process (:meth:`Reports.in_worker`): the programme view's PDF."""
    pdf = render_programme(programme, "pdf", levels=levels)
    assert isinstance(pdf, bytes)
    return pdf
