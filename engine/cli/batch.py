"""Many partnerships at once: ``partnership-health assess-many``.

Each answers file is assessed and its report written into one folder, on a pool of
processes (durable-rules holds the GIL, so only processes run assessments side by
side), with a summary CSV of every file. A file with a problem is reported and
skipped; the others complete.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import multiprocessing
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

from ..core.assessment import assess, prepare
from ..core.loading import load_answers
from ..errors import EngineError, InputError
from ..models import SEVERITY_RANK, Questionnaire, RuleBase
from ..options import DEFAULT_OPTIONS, AssessOptions
from ..reporting.files import write_report
from ..reporting.render import prepare_template, render
from .cache import load_inputs

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
SUMMARY = "summary.csv"
SUMMARY_COLUMNS = ["file", "report", "partnership", "assessed_on", "overall_score", "overall_level"]
SUMMARY_COLUMNS += [*SEVERITY_RANK, "findings", "error"]


@dataclass(frozen=True)
class Options:
    """What every assessment of a batch shares."""

    output_dir: Path
    fmt: str = "md"
    rules: str | None = None
    questionnaire: str | None = None
    template_dir: str | None = None
    assess: AssessOptions = DEFAULT_OPTIONS


@dataclass(frozen=True)
class Outcome:
    """One file's result: its summary row, or the problems that stopped it."""

    file: str
    row: dict[str, Any]
    problems: tuple[str, ...] = ()


def answer_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named, with each folder replaced by its answers files (``*.yaml``, ``*.yml``, ``*.json``)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in ANSWER_SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files


def report_names(files: Sequence[Path], fmt: str) -> list[str]:
    """A report file name per answers file: its stem, numbered when two stems are alike."""
    names: list[str] = []
    taken: set[str] = {SUMMARY}
    for file in files:
        name, n = f"{file.stem}.{fmt}", 1
        while name in taken:
            n += 1
            name = f"{file.stem}-{n}.{fmt}"
        taken.add(name)
        names.append(name)
    return names


@functools.cache
def _inputs(questionnaire: str | None, rules: str | None) -> tuple[Questionnaire, RuleBase]:
    """The questionnaire and rule base, loaded once per process (a worker forked after :func:`_prepare` has them)."""
    return load_inputs(questionnaire, rules)


def _load_inputs(options: Options) -> tuple[Questionnaire, RuleBase]:
    return _inputs(options.questionnaire, options.rules)


def _prepare(options: Options) -> None:
    """What every file needs, made once per process: the inputs, the compiled rule base, the report's template.

    Made in the parent before the pool starts, forked workers begin with all of it.
    """
    questionnaire, rulebase = _load_inputs(options)
    prepare(rulebase, questionnaire)
    prepare_template(options.fmt, options.template_dir)  # type: ignore[arg-type]


def assess_one(file: Path, report: str, options: Options) -> Outcome:
    """Assess one answers file and write its report; problems come back as text, not raised."""
    try:
        questionnaire, rulebase = _load_inputs(options)
        answers = load_answers(file, questionnaire)
        assessment = assess(
            answers,
            questionnaire,
            rulebase,
            options.assess,
        )
        content = render(assessment, questionnaire, options.fmt, template_dir=options.template_dir)  # type: ignore[arg-type]
        write_report(content, options.output_dir / report, inputs=(file,))
    except InputError as error:
        return Outcome(str(file), {"file": str(file)}, tuple(str(issue) for issue in error.issues))
    except (EngineError, OSError) as error:
        return Outcome(str(file), {"file": str(file)}, (f"{file}: {error}",))
    severities = {severity: 0 for severity in SEVERITY_RANK}
    for finding in assessment.findings:
        severities[finding.severity] += 1
    overall = assessment.overall
    row = {
        "file": str(file),
        "report": report,
        "partnership": assessment.partnership,
        "assessed_on": assessment.assessed_on.isoformat(),
        "overall_score": overall.score if overall else "",
        "overall_level": overall.level if overall else "",
        **severities,
        "findings": len(assessment.findings),
    }
    return Outcome(str(file), row)


def assess_many(files: Sequence[Path], options: Options, jobs: int = 1, progress: bool = False) -> list[Outcome]:
    """Assess every file, on ``jobs`` processes, in the order given; writes the reports and the summary CSV.

    The questionnaire and rule base are loaded (and their problems raised) before any
    file is assessed. With ``progress`` a bar is drawn on stderr.
    """
    _prepare(options)  # a broken rule base stops the batch at once, with its own errors
    options.output_dir.mkdir(parents=True, exist_ok=True)
    names = report_names(files, options.fmt)
    outcomes: list[Outcome] = []
    bar = _progress_bar(len(files)) if progress else None
    try:
        for outcome in _run(files, names, options, jobs):
            outcomes.append(outcome)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    write_report(summary_csv(outcomes), options.output_dir / SUMMARY)
    return outcomes


def _run(files: Sequence[Path], names: Sequence[str], options: Options, jobs: int) -> Iterator[Outcome]:
    if jobs <= 1 or len(files) <= 1:
        for file, name in zip(files, names, strict=True):
            yield assess_one(file, name, options)
        return
    # fork: the workers start with what _prepare made (elsewhere the initializer makes it
    # in each worker). durable's core is not shared: each worker has its own copy of the
    # parent's memory, and sessions are made and deleted inside one assessment.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Small chunks, so that at the end no worker is left alone with a long one. The
    # objects made so far are frozen: the workers' garbage collection does not walk them
    # (nor write their pages, which stay shared).
    chunk = max(1, len(files) // (jobs * 50))
    gc.freeze()
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_prepare, initargs=(options,)) as pool:
            yield from pool.map(assess_one, files, names, repeat(options), chunksize=chunk)
    finally:
        gc.unfreeze()


def summary_csv(outcomes: Sequence[Outcome]) -> str:
    """One row per file; cells that a spreadsheet would run as a formula are quoted with a '."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for outcome in outcomes:
        more = len(outcome.problems) - 1
        error = outcome.problems[0] + (f" (and {more} more)" if more > 0 else "") if outcome.problems else ""
        row = {**outcome.row, "error": error}
        writer.writerow({key: _safe_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _progress_bar(total: int) -> Any:
    from tqdm import tqdm  # imported only when a bar is drawn

    width = shutil.get_terminal_size().columns  # a terminal that reports no width gets 80 columns
    return tqdm(total=total, unit="file", desc="assessing", file=sys.stderr, ncols=min(width, 100))


def run_command(paths: Sequence[str], options: Options, jobs: int, out: TextIO, err: TextIO) -> int:
    """The ``assess-many`` command: 0 when every file was assessed, 1 when any was not."""
    if options.output_dir.exists() and not options.output_dir.is_dir():
        print(f"assess-many: --output-dir {options.output_dir} is a file, not a folder; name a folder", file=err)
        return 1
    folders = [path for path in map(Path, paths) if path.is_dir()]
    if any(folder.resolve() == options.output_dir.resolve() for folder in folders):
        print(
            f"assess-many: --output-dir {options.output_dir} is also a folder of answers files: the next run would "
            "read its reports as answers; name another folder",
            file=err,
        )
        return 1
    files = answer_files(paths)
    if not files:
        named = ", ".join(map(str, paths))
        print(f"assess-many: no answers files (*.yaml, *.yml, *.json) found in {named}", file=err)
        return 1
    progress = getattr(err, "isatty", lambda: False)() and os.environ.get("TERM") != "dumb"
    outcomes = assess_many(files, options, jobs, progress=progress)
    failed = [outcome for outcome in outcomes if outcome.problems]
    for outcome in failed:
        print("\n".join(outcome.problems), file=err)
    done = len(outcomes) - len(failed)
    print(
        f"{done} of {len(outcomes)} partnerships assessed; reports and {SUMMARY} in {options.output_dir}"
        + (f"; {len(failed)} skipped (see above)" if failed else ""),
        file=out,
    )
    return 1 if failed else 0
