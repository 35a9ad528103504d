"""Reading a programme's SOURCEs into one record per assessment: databases, folders, files.

A SOURCE is a history database (only the assessments their leads shared), a history
export (the same rule), or a file or folder (and its sub-folders) of answers files (YAML
or JSON, assessed here with the engine, on several processes), JSON reports and history
exports. A filled-in action plan ``<stem>-plan.csv`` beside an answers file or report is
read with it. Every file met is read, or skipped with its reason; nothing is dropped
silently. The same partnership and date from two sources counts once; one its lead has
not shared (in a database or export) is left out from every source.
"""

from __future__ import annotations

import datetime
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, ValidationError

from ..core.assessment import assess, prepare
from ..core.loading import load_answers
from ..core.reader import read_yaml, validate
from ..errors import EngineError, InputError, Issue, SourceLocation
from ..models import (
    EXPORT_FORMAT,
    AnswerValue,
    Assessment,
    DataQuality,
    ExportFile,
    FindingThen,
    Questionnaire,
    RuleBase,
    Severity,
)
from ..store.history import plan_remedies
from ..surveys.plans import read_plan

__all__ = [
    "PLAN_SUFFIX",
    "Read",
    "Record",
    "Skipped",
    "SourceError",
    "read_sources",
    "records_of_store",
]

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
PLAN_SUFFIX = "-plan"  # x-plan.csv (or .xlsx) beside x.yaml, x.json: its filled-in action plan
PLAN_EXTENSIONS = (".csv", ".xlsx")
SIZE_QUESTION = "governance.partner_count"
_SQLITE = b"SQLite format 3\x00"


class SourceError(EngineError):
    """A SOURCE that cannot be read at all (missing, or holding no assessment): usage, said in one line."""


@dataclass(frozen=True)
class Record:
    """One assessment of one partnership, as much of it as the programme view reads (no names of people)."""

    partnership: str
    assessed_on: datetime.date
    where: str  # the file or database it came from: said on the terminal, never in the view
    named: bool  # the lead agrees the partnership may be named (and, from a database, shares it)
    findings: tuple[FindingThen, ...]
    scores: Mapping[str, int]
    partnership_type: str | None
    partner_count: float | None
    age: str | None
    respondents: int
    asked: int
    unanswered: int
    dont_know: int
    invited: int | None = None  # people invited, where a round says so (the response rate)
    plan: tuple[tuple[str, str], ...] | None = None  # (remedy id, status) of its filled-in action plan
    answers: tuple[Mapping[str, AnswerValue], ...] | None = None  # its respondents' answers (for the properties)
    questionnaire: tuple[str, str] = ("", "")
    withheld: bool = False  # too few answered for its report to show anything: left out of the view

    @property
    def key(self) -> tuple[str, datetime.date]:
        """Partnership (by name, spaces and case aside) and date: the same assessment wherever it is read."""
        return partnership_key(self.partnership), self.assessed_on


def partnership_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Skipped:
    """A file not read, and why (one line; ``broken``: a file meant to be read, with a problem in it)."""

    where: str
    reason: str
    broken: bool = True

    def __str__(self) -> str:
        return self.reason


@dataclass
class Read:
    """What the SOURCEs gave: the records, the files skipped, and what was left out and why."""

    records: list[Record] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    left_out: int = 0  # not shared by their leads: each (partnership, date) once, however many sources hold it
    duplicates: list[str] = field(default_factory=list)  # which of two copies was used, or why none was

    @property
    def withheld(self) -> int:
        return sum(record.withheld for record in self.records)


# --- the JSON report, read as leniently as a later version's report allows ---------------


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Remedy(_Lenient):
    id: str


class _Finding(_Lenient):
    id: str
    title: str
    failure_mode: str
    severity: Severity
    remedies: list[_Remedy] = []


class _Score(_Lenient):
    score: int


class _Type(_Lenient):
    chosen: str | None = None


class _Stats(_Lenient):
    values: dict[str, Any] = {}


class _Aggregates(_Lenient):
    answers: dict[str, _Stats] = {}


class _Quality(_Lenient):
    respondents: int
    asked: int
    unanswered: int
    dont_know: int


class _Questionnaire(_Lenient):
    id: str
    version: str


class _Action(_Lenient):
    remedy_id: str = ""
    status: str = ""


class _Report(_Lenient):
    partnership: str
    assessed_on: datetime.date
    questionnaire: _Questionnaire
    respondents: int
    scores: dict[str, _Score]
    findings: list[_Finding]
    partnership_type: _Type | None = None
    aggregates: _Aggregates = _Aggregates()
    data_quality: _Quality | None = None
    named_in_programme: StrictBool | None = None  # consent: true or false, never "yes" or 1
    agreed_actions: list[_Action] | None = None


def record_of_report(
    data: Any,
    where: str,
    rulebase: RuleBase,
    *,
    node: Any = None,
    named: bool | None = None,
    plan: Sequence[Mapping[str, Any]] | None = None,
    answers: tuple[Mapping[str, AnswerValue], ...] | None = None,
    invited: int | None = None,
) -> Record:
    """The record of a JSON report (as data); a report it cannot read raises :class:`InputError`, located."""
    report, issues = validate(_Report, data, node, where)
    if report is None:
        raise InputError(issues)
    rows = plan if plan is not None else [a.model_dump() for a in report.agreed_actions or ()] or None
    return _record(
        report,
        report.aggregates.answers,
        report.data_quality,
        rulebase,
        where,
        bool(report.named_in_programme) if named is None else named,
        invited=invited,
        plan=_plan(rows),
        answers=answers,
    )


def record_of_assessment(
    assessment: Assessment,
    where: str,
    rulebase: RuleBase,
    *,
    answers: tuple[Mapping[str, AnswerValue], ...] | None = None,
) -> Record:
    """The record of an assessment: what :func:`record_of_report` reads from its JSON report, read off it directly.

    Half the cost of the report (the breakdowns by role and organisation, the gaps are not built).
    """
    return _record(
        assessment,
        assessment.answers,
        assessment.quality,
        rulebase,
        where,
        assessment.named_in_programme,
        answers=answers,
    )


def _record(
    source: _Report | Assessment,
    stats: Mapping[str, Any],
    quality: DataQuality | _Quality | None,
    rulebase: RuleBase,
    where: str,
    named: bool,
    **more: Any,
) -> Record:
    """What a JSON report and an assessment both give a record: they name these parts alike."""
    settings = rulebase.settings

    def value(question: str, *names: str) -> Any:
        values = stats[question].values if question in stats else {}
        return next((values[n] for n in names if values.get(n) is not None), None)

    size = value(SIZE_QUESTION, "median", "mean")
    age = value(settings.partnership_age.question, "mode") if settings.partnership_age else None
    return Record(
        partnership=source.partnership,
        assessed_on=source.assessed_on,
        where=where,
        named=named,
        findings=tuple(
            FindingThen(id=f.id, title=f.title, failure_mode=f.failure_mode, severity=f.severity)
            for f in source.findings
        ),
        scores={section: score.score for section, score in source.scores.items()},
        partnership_type=source.partnership_type.chosen if source.partnership_type else None,
        partner_count=float(size) if isinstance(size, int | float) and not isinstance(size, bool) else None,
        age=age if isinstance(age, str) else None,
        respondents=source.respondents,
        asked=quality.asked if quality else 0,
        unanswered=quality.unanswered if quality else 0,
        dont_know=quality.dont_know if quality else 0,
        questionnaire=(source.questionnaire.id, source.questionnaire.version),
        withheld=quality is None and not source.scores and not source.findings,
        **more,
    )


def _plan(rows: Sequence[Mapping[str, Any]] | None) -> tuple[tuple[str, str], ...] | None:
    if rows is None:
        return None
    return tuple(
        (str(row.get("remedy_id") or "").strip(), str(row.get("status") or "").strip().lower())
        for row in rows
        if str(row.get("remedy_id") or "").strip()
    )


# --- the files of a folder ----------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """One file to read: an answers file, a JSON report or a history export; with its plan beside it."""

    path: Path
    plan: Path | None = None


Key = tuple[str, datetime.date]  # an assessment wherever it is read: see Record.key


@dataclass(frozen=True)
class _Done:
    records: tuple[Record, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    left_out: tuple[Key, ...] = ()  # not shared by their leads


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, sorted, sub-folders after the files beside them (links to folders not followed)."""
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    yield from (p for p in entries if not p.is_dir())
    for p in entries:
        if p.is_dir() and not p.is_symlink():
            yield from _walk(p)


def plan_of(path: Path) -> tuple[Path, str] | None:
    """(the assessment file's stem path, suffix) when ``path`` is named like a plan: ``x-plan.csv``."""
    if path.suffix.lower() in PLAN_EXTENSIONS and path.stem.endswith(PLAN_SUFFIX):
        return path.with_name(path.stem[: -len(PLAN_SUFFIX)]), path.suffix
    return None


def _classify(files: Sequence[Path], named_directly: bool) -> tuple[list[_Job], list[Path], list[Skipped]]:
    """The jobs (files with their plans), the databases, and the files skipped with their reasons."""
    stems = {p.with_suffix(""): p for p in files if p.suffix.lower() in ANSWER_SUFFIXES}
    plans: dict[Path, Path] = {}
    jobs: list[_Job] = []
    databases: list[Path] = []
    skipped: list[Skipped] = []
    for path in files:
        planned = plan_of(path)
        if planned is not None:
            if planned[0] in stems:
                plans[planned[0]] = path
            else:
                skipped.append(
                    Skipped(
                        str(path),
                        f"{path}: an action plan with no answers file or report beside it (x.yaml or x.json)",
                        broken=False,
                    )
                )
            continue
        if path.suffix.lower() in ANSWER_SUFFIXES:
            jobs.append(_Job(path))
            continue
        if _is_database(path):
            if named_directly:
                databases.append(path)
            else:
                skipped.append(
                    Skipped(str(path), f"{path}: a database: name it as a SOURCE of its own to read it", broken=False)
                )
            continue
        skipped.append(
            Skipped(
                str(path),
                f"{path}: not an answers file, JSON report or history export (those are .yaml, .yml or .json)",
                broken=named_directly,
            )
        )
    return [replace(job, plan=plans.get(job.path.with_suffix(""))) for job in jobs], databases, skipped


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(len(_SQLITE)) == _SQLITE
    except OSError:
        return False


# --- reading one file (in a worker process) ------------------------------------------------

_inputs: tuple[Questionnaire, RuleBase] | None = None


def _start(questionnaire: Questionnaire, rulebase: RuleBase) -> None:
    """What every file needs, made once per process: the inputs and the compiled rule base."""
    global _inputs
    _inputs = (questionnaire, rulebase)
    prepare(rulebase, questionnaire)


def _read_job(job: _Job) -> _Done:
    assert _inputs is not None
    questionnaire, rulebase = _inputs
    where = str(job.path)
    try:
        if job.path.suffix.lower() in (".yaml", ".yml"):
            return _answers(job, questionnaire, rulebase)
        data, node, issues = read_yaml(job.path)
        if node is None:
            raise InputError(issues or [Issue(SourceLocation(where), "file", "is empty")])
        if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
            return _export(job, data, node, rulebase)
        if isinstance(data, dict) and "respondents" in data and isinstance(data["respondents"], list):
            return _answers(job, questionnaire, rulebase)
        if isinstance(data, dict) and "findings" in data and "scores" in data:
            record = record_of_report(data, where, rulebase, node=node)
            return _Done((_with_plan(record, job, plan_remedies(data)),))
        return _Done(
            skipped=(
                Skipped(
                    where,
                    f"{where}: not an answers file, JSON report or history export (no respondents, findings or format)",
                    broken=False,
                ),
            )
        )
    except InputError as error:
        return _Done(skipped=(Skipped(where, _one_line(error)),))
    except (EngineError, OSError, ValidationError) as error:
        return _Done(skipped=(Skipped(where, f"{where}: {error}"),))


def _answers(job: _Job, questionnaire: Questionnaire, rulebase: RuleBase) -> _Done:
    answers = load_answers(job.path, questionnaire)
    assessment = assess(answers, questionnaire, rulebase)
    record = record_of_assessment(
        assessment, str(job.path), rulebase, answers=tuple(r.answers for r in answers.respondents)
    )
    return _Done((_with_plan(record, job, {r.id for f in assessment.findings for r in f.remedies}),))


def _with_plan(record: Record, job: _Job, remedies: set[str] | None) -> Record:
    """The record with the filled-in plan beside its file, when there is one (a broken plan is an error)."""
    if job.plan is None:
        return record
    rows = read_plan(job.plan, remedies)
    return replace(record, plan=_plan(rows))


def _export(job: _Job, data: Any, node: Any, rulebase: RuleBase) -> _Done:
    where = str(job.path)
    exported, issues = validate(ExportFile, data, node, where)
    if exported is None:
        raise InputError(issues)
    records = []
    left_out = []
    for index, each in enumerate(exported.assessments):
        if not each.shared_with_programme:
            left_out.append((partnership_key(each.answers.partnership), each.answers.assessed_on))
            continue
        records.append(
            record_of_report(
                each.report,
                f"{where}: assessments[{index}]",
                rulebase,
                named=each.answers.named_in_programme,
                plan=each.action_plan,
                answers=tuple(r.answers for r in each.answers.respondents),
            )
        )
    return _Done(tuple(records), left_out=tuple(left_out))


def _one_line(error: InputError) -> str:
    more = len(error.issues) - 1
    first = str(error.issues[0]) if error.issues else error.message
    return first + (f" (and {more} more)" if more > 0 else "")


# --- a database ------------------------------------------------------------------------------


def records_of_store(store: Any, rulebase: RuleBase, where: str) -> tuple[list[Record], list[Skipped], int]:
    """The assessments a store's leads shared with the programme, what could not be read, and how many were not shared.

    ``store`` is a :class:`partnership_health.store.sqlite.Store`; only reading is done.
    """
    records, skipped, left_out = _of_store(store, rulebase, where)
    return records, skipped, len(left_out)


def _of_store(store: Any, rulebase: RuleBase, where: str) -> tuple[list[Record], list[Skipped], set[Key]]:
    """As :func:`records_of_store`, with which assessments (partnership, date) were not shared."""
    everything, _ = store.programme_assessments(shared_only=False)
    found = [each for each in everything if each.shared_with_programme]
    left_out = {(partnership_key(each.partnership), each.assessed_on) for each in everything}
    left_out -= {(partnership_key(each.partnership), each.assessed_on) for each in found}
    invited: dict[int, int] = {}
    for made in store.rounds():
        kept = store.round_assessment(made.id)
        if kept is not None:
            invited[kept] = store.status(made.id).invited
    records: list[Record] = []
    skipped: list[Skipped] = []
    for each in found:
        shown = f"{where}: assessment {each.id}"
        try:
            records.append(
                record_of_report(
                    each.report,
                    shown,
                    rulebase,
                    named=each.shared_with_programme and each.named_in_programme,
                    plan=store.actions_of(each.id),
                    answers=tuple(r.answers for r in each.answers.respondents) if each.answers else None,
                    invited=invited.get(each.id) or None,
                )
            )
        except InputError as error:
            skipped.append(Skipped(shown, _one_line(error)))
    return records, skipped, left_out


# --- every SOURCE ----------------------------------------------------------------------------


def read_sources(
    sources: Sequence[str | Path],
    questionnaire: Questionnaire,
    rulebase: RuleBase,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    open_store: Callable[[Path], Any] | None = None,
) -> Read:
    """Read every SOURCE; raises :class:`SourceError` for one that is missing or holds nothing to read.

    ``progress(n)`` is called as files are read (n more each time); ``open_store(path)``
    opens a database (the default: :class:`partnership_health.store.sqlite.Store`).
    """
    result = Read()
    left_out: set[Key] = set()
    work: list[_Job] = []
    databases: list[Path] = []
    for source in map(Path, sources):
        if not source.exists():
            raise SourceError(f"{source}: no such file or folder")
        if source.is_dir():
            files = list(_walk(source))
            found, dbs, skipped = _classify(files, named_directly=False)
            if not found:
                raise SourceError(
                    f"{source}: no answers files, JSON reports or history exports (*.yaml, *.yml, *.json) in it"
                    " or its sub-folders"
                )
        else:
            found, dbs, skipped = _classify([source], named_directly=True)
        work += found
        databases += dbs
        result.skipped += skipped
    for path in databases:
        store = (open_store or _store)(path)
        records, skipped, unshared = _of_store(store, rulebase, str(path))
        result.records += records
        result.skipped += skipped
        left_out |= unshared
    for done in _run(work, questionnaire, rulebase, jobs, progress):
        result.records += done.records
        result.skipped += done.skipped
        left_out.update(done.left_out)
    result.left_out = len(left_out)
    # The lead's choice wins: a copy elsewhere (an answers file, a report) of an assessment its
    # lead has not shared is left out too.
    overruled = [record for record in result.records if record.key in left_out]
    result.records = [record for record in result.records if record.key not in left_out]
    result.records, result.duplicates = _once(result.records)
    result.duplicates += [
        f"{record.where}: left out: not shared with the programme by its lead (in a database or history export)"
        for record in overruled
    ]
    return result


def _store(path: Path) -> Any:
    from ..store.sqlite import Store

    return Store(path)


def _run(
    work: Sequence[_Job],
    questionnaire: Questionnaire,
    rulebase: RuleBase,
    jobs: int,
    progress: Callable[[int], None] | None,
) -> Iterator[_Done]:
    _start(questionnaire, rulebase)
    if jobs <= 1 or len(work) <= 1:
        for job in work:
            yield _read_job(job)
            if progress:
                progress(1)
        return
    # As assess-many: forked workers start with the prepared rule base; small chunks so no worker
    # is left alone with a long one at the end; the objects made so far frozen for the workers' gc.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(work) // (jobs * 20)))
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start, initargs=(questionnaire, rulebase)
        ) as pool:
            for done in pool.map(_read_job, work, chunksize=chunk):
                yield done
                if progress:
                    progress(1)
    finally:
        gc.unfreeze()


def _once(records: Sequence[Record]) -> tuple[list[Record], list[str]]:
    """Each assessment (partnership and date) once: the copy with answers wins, else the one read first."""
    kept: dict[tuple[str, datetime.date], Record] = {}
    said: list[str] = []
    for record in records:
        other = kept.get(record.key)
        if other is None:
            kept[record.key] = record
            continue
        wins, loses = (record, other) if record.answers is not None and other.answers is None else (other, record)
        kept[record.key] = wins
        said.append(
            f"{loses.where}: the same assessment (partnership and date) as {wins.where}; {wins.where}'s is used"
        )
    return list(kept.values()), said


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
