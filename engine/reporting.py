"""Render an assessment with Jinja2 templates, and write report files safely.

Markdown, HTML and JSON come from the templates in ``reports/``; the CSV action plan is
written with the csv module; the PDF is the HTML report laid out by WeasyPrint.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import secrets
import stat
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, TypeVar

from .errors import InputError, Issue, SourceLocation, shorten
from .explain import OP_WORDS, shown
from .loading import bundled_path, not_a_file
from .models import (
    SEVERITY_RANK,
    Aggregates,
    Assessment,
    Finding,
    Gap,
    GapShown,
    JsonReport,
    PartnershipType,
    Questionnaire,
    Remedy,
    RuleBase,
    RulebaseRef,
    StrengthFound,
)

if TYPE_CHECKING:
    import jinja2

Format = Literal["md", "html", "json", "csv", "pdf"]
# Each format and the template it starts from (None: no template, the csv module writes it).
FORMATS: dict[str, str | None] = {
    "md": "report.md.j2",
    "html": "report.html.j2",
    "json": "report.json.j2",
    "csv": None,
    "pdf": "report.html.j2",
}
# How many findings, strengths and disagreements the summary (page 1) names.
SUMMARY_FINDINGS = 5
SUMMARY_STRENGTHS = 5
SUMMARY_GAPS = 3
PROMPTS_SHOWN = 3  # questions for the room printed under a finding (the JSON has them all)
PLAN_COLUMNS = ("Remedy id", "Remedy", "Steps", "For findings", "Sources", "Owner", "Due date", "Status")


@dataclass(frozen=True)
class Action:
    """One row of the action plan: a remedy and every finding that prescribes it."""

    remedy: Remedy
    findings: tuple[Finding, ...]


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """One environment per template folder: the user's templates first, then the bundled ones.

    Compiled templates are kept between runs (see :func:`engine.templating.bytecode_cache`).
    """
    import jinja2  # here: only what renders a template needs Jinja

    from .templating import TemplateLoader, bytecode_cache

    search = [template_dir] if template_dir else []
    autoescape = jinja2.select_autoescape(
        enabled_extensions=("html", "html.j2", "svg", "svg.j2"), default_for_string=False
    )
    env = jinja2.Environment(  # autoescape: HTML and SVG templates escape every value
        autoescape=autoescape,
        loader=TemplateLoader([*search, str(bundled_path("reports"))]),
        bytecode_cache=bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = lambda value: "–" if value is None else shown(value)
    env.filters["cell"] = lambda value: " ".join(str(value).split()).replace("|", "\\|")
    env.globals["ROLES"] = {
        "lead": "Lead partner",
        "core": "Core partners",
        "wider": "Wider partners",
        "others": "Others",
    }
    env.globals["ROLE_ONE"] = {
        "lead": "lead partner",
        "core": "core partner",
        "wider": "wider partner",
        "others": "other",
    }
    env.globals["PROMPTS"] = PROMPTS_SHOWN
    env.filters["change"] = change
    env.globals["gap_line"] = gap_line
    env.globals["ROLE_SHORT"] = {"lead": "Lead", "core": "Core", "wider": "Wider", "others": "Others"}
    env.filters["op_words"] = lambda op: OP_WORDS.get(op, op)
    env.filters["percent"] = lambda share: f"{round(100 * float(share))}%"
    env.filters["words"] = lambda name: str(name).replace("_", " ")
    env.filters["json"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    env.filters["md"] = md_text
    env.filters["md_quote"] = md_quote
    return env


# Characters Markdown (CommonMark, and GitHub's tables and strikethrough) can read as markup
# anywhere in a line; '-' and a list number ('1.' or '1)' then a space) only at its start.
# Each is escaped with a backslash. Parentheses are left as typed ("Alex (Riverside
# Library)"): with '[' and ']' escaped they cannot make a link.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#+!|~&=])")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def change(value: float) -> str:
    """A score change with its sign: +8, -1.5, 0."""
    return "0" if value == 0 else f"{value:+g}"


def md_text(value: object) -> str:
    """Text from the user (a name, an id) on one line of Markdown, unable to add markup.

    Line breaks and runs of spaces become one space, so the text cannot start a heading,
    a list, a quote or a code block; every character that could start a link, an HTML
    tag or comment, emphasis, code or a table cell is escaped.
    """
    return _escape_line(" ".join(str(value).split()))


def md_quote(value: object, indent: str = "  ", item: bool = False) -> str:
    """Free text as a Markdown block quote: every line inside the quote and escaped.

    With ``item`` the quote is a list item of its own ("- > ..."): quotes written one after
    another are otherwise read as one quote of one paragraph.
    """
    lines = [_escape_line(" ".join(line.split())) for line in str(value).splitlines()] or [""]
    inner = indent + "  " if item else indent
    quoted = [f"{inner}> {line}".rstrip() for line in lines]
    if item:
        quoted[0] = f"{indent}- {quoted[0].lstrip()}"
    return "\n".join(quoted)


def _escape_line(line: str) -> str:
    line = _MARKUP.sub(r"\\\1", line)
    return "\\" + line if line.startswith("-") else _NUMBERED.sub(r"\1\\\2", line)


def contract(assessment: Assessment, since: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON report: the machine contract documented in the README (``schema report`` prints its schema).

    ``since`` (engine.history's data) is checked against the report's model and given as
    the ``since`` key; without it the key is left out.
    """
    report = JsonReport(
        partnership=assessment.partnership,
        assessed_on=assessment.assessed_on,
        questionnaire=assessment.questionnaire,
        rulebase=RulebaseRef(version=assessment.rulebase_version),
        respondents=assessment.respondents,
        scores=assessment.scores,
        findings=tuple(_rounded(finding) for finding in assessment.findings),
        strengths=tuple(_rounded(strength) for strength in assessment.strengths),
        partnership_type=assessment.partnership_type,
        gaps=tuple(
            GapShown(question=gap.question, spread=gap.spread, by_role=gap.by_role, prompts=gap.prompts)
            for gap in assessment.gaps
        ),
        # Names only when the user asked to show respondents (empty otherwise).
        respondent_list=assessment.respondent_list,
        aggregates=Aggregates(
            counted_by=assessment.counted_by,
            privacy_note=assessment.privacy_note,
            answers=assessment.answers,
            by_role=assessment.by_role,
            by_organisation=assessment.by_organisation,
        ),
        data_quality=assessment.quality,
        since=since,
    )
    return report.model_dump(mode="json", exclude=None if since else {"since"})


F = TypeVar("F", Finding, StrengthFound)


def _rounded(found: F) -> F:
    """Evidence values to two decimals, as the gaps' means are (2.33, not 2.3333333333333335)."""
    evidence = tuple(
        e.model_copy(update={"value": round(e.value, 2)}) if isinstance(e.value, float) else e for e in found.evidence
    )
    return found.model_copy(update={"evidence": evidence})


def action_plan(assessment: Assessment) -> list[Action]:
    """One action per prescribed remedy, in the order of the most severe finding prescribing it."""
    plan: dict[str, tuple[Remedy, list[Finding]]] = {}
    for finding in assessment.findings:  # most severe first
        for remedy in finding.remedies:
            plan.setdefault(remedy.id, (remedy, []))[1].append(finding)
    return [Action(remedy, tuple(findings)) for remedy, findings in plan.values()]


class _FormulaSafeWriter:
    """A csv writer whose cells cannot be read as formulas by a spreadsheet (OWASP's CSV injection advice).

    A cell starting with =, +, -, @, a tab or a carriage return gets a single quote in front.
    """

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[str]) -> None:
        self.writer.writerow(["'" + cell if cell[:1] in _FORMULA_START else cell for cell in row])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def gap_line(gap: Gap) -> str:
    """How a perception gap's answers fall, in one line: counts on each side, then each role's mean."""
    parts = [f"{gap.agree} agree, {gap.neutral} neither, {gap.disagree} disagree"]
    if gap.dont_know:
        parts[0] += f", {gap.dont_know} don't know"
    roles = {"lead": "lead", "core": "core partners", "wider": "wider partners", "others": "others"}
    if gap.by_role:
        parts.append(", ".join(f"{roles.get(role, role)} {shown(mean)}" for role, mean in gap.by_role.items()))
    return "; ".join(parts)


def type_sentence(kind: PartnershipType | None) -> str:
    """What the respondents say the partnership's type is, without calling a tie or a minority "most"."""
    if kind is None or not kind.chosen:
        return "Nobody said which type the partnership works as."
    answered = sum(kind.distribution.values())
    top = kind.distribution.get(kind.chosen, 0)
    label = f"{kind.chosen} (“{kind.label}”)" if kind.label else kind.chosen
    if kind.agreed:
        who = "The respondent says" if answered == 1 else f"All {answered} respondents who answered say"
        return f"{who} the partnership works as {label}."
    if sum(n == top for n in kind.distribution.values()) > 1:
        split = ", ".join(f"{n} chose {choice}" for choice, n in kind.distribution.items())
        return f"Respondents are split on which type the partnership works as: {split}."
    if 2 * top > answered:
        return f"Most respondents ({top} of {answered}) say the partnership works as {label}."
    return f"The type chosen most often ({top} of {answered}) is {label}; no type has a majority."


def plan_csv(assessment: Assessment) -> str:
    """The action plan as CSV (with a byte order mark, so spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PLAN_COLUMNS)
    writer = _FormulaSafeWriter(writer)
    for action in action_plan(assessment):
        remedy = action.remedy
        writer.writerow(
            [
                remedy.id,
                remedy.title,
                " ".join(f"{number}. {step.strip()}" for number, step in enumerate(remedy.steps, 1)),
                "; ".join(finding.title for finding in action.findings),
                "; ".join(f"{source.guide}: {source.section}" for source in remedy.sources),
                "",
                "",
                "",
            ]
        )
    return "\ufeff" + out.getvalue()


def render(
    assessment: Assessment,
    questionnaire: Questionnaire,
    fmt: Format = "md",
    *,
    template_dir: str | Path | None = None,
    since: Mapping[str, Any] | None = None,
) -> str | bytes:
    """The report in format ``fmt``: text for md, html, json and csv; bytes for pdf.

    ``since``: what changed since an earlier assessment (engine.history's data), shown as
    a "since last time" part and given in the JSON report as ``since``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    if fmt == "csv":
        return plan_csv(assessment)
    import jinja2

    try:
        return _render(assessment, questionnaire, fmt, template_dir, since)
    except (jinja2.TemplateError, RecursionError) as error:
        if not template_dir:
            raise  # a bundled template is broken: a bug, keep the traceback
        raise InputError([_template_issue(error)]) from None


def prepare_template(fmt: Format, template_dir: str | Path | None = None) -> None:
    """Load and compile the template of ``fmt`` now (a process compiles each template once).

    A template with a problem is left for :func:`render` to report.
    """
    name = FORMATS.get(fmt)
    if name:
        import jinja2

        try:
            environment(str(template_dir) if template_dir else None).get_template(name)
        except (jinja2.TemplateError, RecursionError, InputError):
            pass


def _render(
    assessment: Assessment,
    questionnaire: Questionnaire,
    fmt: Format,
    template_dir: str | Path | None,
    since: Mapping[str, Any] | None = None,
) -> str | bytes:
    template = environment(str(template_dir) if template_dir else None).get_template(str(FORMATS[fmt]))
    scored = [s for s in questionnaire.sections if any(q.type == "scale" for q in s.questions)]
    plan = action_plan(assessment)
    shown_gaps = assessment.gaps_shown  # the body shows these (with prompts), the appendix the rest
    # Of the bundled templates only the JSON report's shows the contract; building it
    # (a validated JsonReport with every aggregate) is left out of the others' start.
    # A template of the user's may show it, and ``since`` is always checked.
    wants_contract = fmt == "json" or template_dir is not None or since is not None
    text = template.render(
        a=assessment,
        questionnaire=questionnaire,
        scored_sections=scored,
        strong_sections=[
            (section, assessment.scores[section.id])
            for section in scored
            if section.id in assessment.scores and assessment.scores[section.id].level == "strength"
        ],
        findings=assessment.findings,
        top_findings=assessment.findings[:SUMMARY_FINDINGS],
        top_strengths=assessment.strengths[:SUMMARY_STRENGTHS],
        gaps=assessment.gaps[:shown_gaps],
        more_gaps=assessment.gaps[shown_gaps:],
        summary_gaps=assessment.gaps[: min(shown_gaps, SUMMARY_GAPS)],
        quality=assessment.quality,
        type_sentence=type_sentence(assessment.partnership_type),
        plan=plan,
        plan_number={action.remedy.id: number for number, action in enumerate(plan, 1)},
        contract=contract(assessment, since) if wants_contract else None,
        since=since,
        section_titles={section.id: section.title for section in questionnaire.sections},
        question_texts={qid: " ".join(question.text.split()) for qid, question in questionnaire.questions.items()},
        severity_rank=SEVERITY_RANK,
        fmt=fmt,
    )
    return html_to_pdf(text) if fmt == "pdf" else text


def _template_issue(error: BaseException) -> Issue:
    """A template error as one located line: the template file, its line and what went wrong."""
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        where = SourceLocation(error.filename or error.name or "template", error.lineno)
        return Issue(where, "template", error.message or "syntax error")
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".j2")]
    where = SourceLocation(frames[-1].filename, frames[-1].lineno) if frames else SourceLocation("template")
    if isinstance(error, RecursionError):
        message = "includes itself (or nests includes too deeply)"
    elif isinstance(error, jinja2.TemplateNotFound):
        message = f"includes a template that does not exist: {shorten(error.name)}"
    else:
        message = str(getattr(error, "message", None) or error)
    return Issue(where, "template", shorten(message, quote=False))


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML report as A4 pages with WeasyPrint, fetching nothing from anywhere.

    Everything the report needs is inline; a template that links to anything else
    (a file or a web address) gets a warning from WeasyPrint and a PDF without it.
    """
    import weasyprint  # imported here: it takes a while, and only the PDF needs it

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    with _interrupts_kept("weasyprint") as kept:
        pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    if kept:  # WeasyPrint logged an interrupt and went on: stop as it should have
        raise kept[0]
    return pdf


@contextmanager
def _interrupts_kept(logger_name: str) -> Iterator[list[BaseException]]:
    """Collect the interrupts a library catches and only logs while the block runs.

    WeasyPrint catches ``BaseException`` around drawing an SVG image and logs an error,
    so a Ctrl-C (or the command line's SIGTERM) that lands there would be lost and the
    PDF finished anyway. The log call runs inside the ``except`` block, where the
    swallowed exception is still ``sys.exc_info()``.
    """
    import logging  # only the PDF needs it

    kept: list[BaseException] = []

    def keep(record: logging.LogRecord) -> bool:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, Exception):
            kept.append(error)
        return True

    logger = logging.getLogger(logger_name)
    logger.addFilter(keep)
    try:
        yield kept
    finally:
        logger.removeFilter(keep)


def coverage_table(rulebase: RuleBase) -> str:
    """rules/README.md: each failure mode with its guide sections, rules and remedies."""
    return environment(None).get_template("coverage.md.j2").render(rulebase=rulebase)


_UMASK = os.umask(0)
os.umask(_UMASK)


def check_output(path: Path | str, inputs: Iterable[Path | str | None] = ()) -> None:
    """Raise :class:`InputError` unless a report may be written to ``path``.

    A report replaces only a regular, writable file: never a symbolic link (nor what it
    points to), a FIFO, a device or a folder, and never one of ``inputs`` (files, or
    folders whose files are all inputs).
    """
    target = Path(path)

    def refuse(message: str) -> None:
        raise InputError([Issue(SourceLocation(str(path)), "output", message)])

    try:
        info = os.lstat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            refuse(f"the folder {target.parent} does not exist")
        place = target.parent.resolve() / target.name
        for source in inputs:  # one that does not exist yet either: a database a run would create
            if source is not None and Path(source).parent.resolve() / Path(source).name == place:
                refuse(f"is also given as an input ({source}); name another file")
        return
    except OSError as error:
        refuse(f"cannot be written ({error.strerror or error})")
    if stat.S_ISLNK(info.st_mode):
        refuse("is a symbolic link; not replaced (name the file itself, or a new file)")
    if not stat.S_ISREG(info.st_mode):
        refuse(f"{not_a_file(info.st_mode)}; not replaced")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        refuse("is read-only; not replaced")
    for source in _files(inputs):
        try:
            same = os.path.samestat(info, os.stat(source))
        except OSError:
            continue
        if same:
            refuse(f"is an input file ({source}); not replaced")


_MAX_FOLDER_FILES = 5_000  # rule and template folders are small; `--template-dir ~` is not walked whole


def _files(paths: Iterable[Path | str | None]) -> Iterator[Path]:
    for path in paths:
        if path is None:
            continue
        path = Path(path)
        if path.is_dir():
            found = (Path(root, name) for root, _, names in os.walk(path) for name in names)
            yield from itertools.islice(found, _MAX_FOLDER_FILES)
        else:
            yield path


@contextmanager
def report_file(path: Path | str, inputs: Iterable[Path | str | None] = ()) -> Iterator[BinaryIO]:
    """A file to write a report into, put at ``path`` whole when the block ends, or not at all.

    The report goes to a hidden temporary file beside ``path``, renamed into place at the
    end. On any exception (KeyboardInterrupt included; the command line turns SIGTERM
    into one too) the temporary file is removed and ``path`` is left as it was.
    Problems are :class:`InputError` naming ``path``, not the temporary file.
    """
    inputs = tuple(inputs)
    check_output(path, inputs)
    target = Path(path)
    # Named before it is made, so that an interrupt however soon after removes it (one
    # inside mkstemp, after it made the file, would leave a file of unknown name).
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        os.chmod(temporary, 0o666 & ~_UMASK)  # made private, like mkstemp's; a report is not
        with os.fdopen(handle, "wb") as out:
            yield out
        check_output(path, inputs)  # once more: the path may have changed while the report was made
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(
            [Issue(SourceLocation(str(path)), "output", f"cannot be written ({error.strerror or error})")]
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(content: str | bytes, path: Path | str, inputs: Iterable[Path | str | None] = ()) -> None:
    """Write a report to ``path`` whole or not at all; see :func:`report_file` for what is refused."""
    with report_file(path, inputs) as out:
        out.write(content.encode("utf-8") if isinstance(content, str) else content)
