"""Render an assessment with the Jinja2 templates in ``reports/`` (Markdown, HTML, JSON), or as the CSV action plan."""

from __future__ import annotations

import csv
import io
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import InputError, Issue, SourceLocation, shorten
from ..models import (
    SEVERITY_RANK,
    Aggregates,
    AgreedAction,
    Assessment,
    Finding,
    GapShown,
    JsonReport,
    PartnershipType,
    Questionnaire,
    RuleBase,
    RulebaseRef,
    Since,
    Step,
    StrengthFound,
)
from .formats import FORMATS as FORMATS
from .formats import Format as Format
from .pdf import html_to_pdf
from .room import Action, for_the_room, tell
from .room import action_plan as room_plan

if TYPE_CHECKING:
    pass


# How many strengths and disagreements the summary (page 1) names.
SUMMARY_STRENGTHS = 3
SUMMARY_GAPS = 3
PLAN_COLUMNS = ("Remedy id", "Remedy", "Steps", "For findings", "Sources", "Owner", "Due date", "Status")


def contract(
    assessment: Assessment,
    since: Mapping[str, Any] | None = None,
    agreed: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON report: the machine contract documented in the README (``schema report`` prints its schema).

    ``since`` (store.history's data) is checked against the report's model and given as
    the ``since`` key; ``agreed`` (rows of a filled-in plan, e.g. a live session's actions)
    as ``agreed_actions``. Without them the keys are left out.
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
            GapShown(question=gap.question, spread=gap.spread, rwg=gap.rwg, by_role=gap.by_role, prompts=gap.prompts)
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
        since=Since.model_validate(since) if since is not None else None,
        agreed_actions=tuple(_agreed(row) for row in agreed) if agreed else None,
        named_in_programme=assessment.named_in_programme or None,
    )
    absent = {
        key
        for key, given in (
            ("since", since),
            ("agreed_actions", agreed),
            ("named_in_programme", assessment.named_in_programme),
        )
        if not given
    }
    return report.model_dump(mode="json", exclude=absent or None)


def _agreed(row: Mapping[str, Any]) -> AgreedAction:
    """A plan row (store or filled-in plan: ``steps`` is the action agreed) as the JSON report gives it."""
    text = {key: str(row.get(key) or "").strip() for key in ("remedy_id", "remedy", "steps", "for_findings")}
    more = {key: str(row.get(key) or "").strip() for key in ("owner", "due", "status", "note")}
    return AgreedAction(
        remedy_id=text["remedy_id"],
        remedy=text["remedy"],
        action=text["steps"],
        for_findings=text["for_findings"],
        **more,
    )


F = TypeVar("F", Finding, StrengthFound)


def _rounded(found: F) -> F:
    """Evidence values to two decimals, as the gaps' means are (2.33, not 2.3333333333333335)."""
    evidence = tuple(
        e.model_copy(update={"value": round(e.value, 2)}) if isinstance(e.value, float) else e for e in found.evidence
    )
    return found.model_copy(update={"evidence": evidence})


def action_plan(assessment: Assessment) -> list[Action]:
    """One action per prescribed remedy, most important first (see :func:`.room.action_plan`)."""
    return list(room_plan(assessment.findings, tell(assessment.findings, assessment.stories)))


def own_practice(plan: list[Action]) -> list[tuple[int, int, Action, Step]]:
    """The plan's steps that are the tool's own practice: (action number, step number, action, step)."""
    return [
        (number, n, action, step)
        for number, action in enumerate(plan, 1)
        for n, step in enumerate(action.remedy.steps, 1)
        if step.judgement
    ]


class _FormulaSafeWriter:
    """A csv writer whose cells cannot be read as formulas by a spreadsheet (OWASP's CSV injection advice).

    A cell starting with =, +, -, @, a tab or a carriage return gets a single quote in front.
    """

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[str]) -> None:
        self.writer.writerow(["'" + cell if cell[:1] in _FORMULA_START else cell for cell in row])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def agreed_by_remedy(rows: Sequence[Mapping[str, Any]] | None) -> dict[str, dict[str, str]]:
    """Actions agreed for the plan (rows of a filled-in plan, e.g. a live session's), by remedy id.

    Each remedy's ``actions``, ``owner``, ``due`` and ``status``, several agreed actions joined by "; ".
    """
    found: dict[str, dict[str, list[str]]] = {}
    for row in rows or ():
        remedy = found.setdefault(
            str(row.get("remedy_id") or ""), {"actions": [], "owner": [], "due": [], "status": []}
        )
        for key, name in (("actions", "steps"), ("owner", "owner"), ("due", "due"), ("status", "status")):
            if text := str(row.get(name) or "").strip():
                remedy[key].append(text)
    return {remedy: {key: "; ".join(texts) for key, texts in given.items()} for remedy, given in found.items()}


def plan_csv(assessment: Assessment, agreed: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The action plan as CSV (with a byte order mark, so spreadsheets read it as UTF-8).

    ``agreed``: actions agreed for it (plan rows); their owner, due date and status fill the columns.
    """
    out = io.StringIO()
    csv.writer(out).writerow(PLAN_COLUMNS)
    writer = _FormulaSafeWriter(csv.writer(out))
    filled = agreed_by_remedy(agreed)
    for action in action_plan(assessment):
        remedy = action.remedy
        given = filled.get(remedy.id, {})
        writer.writerow(
            [
                remedy.id,
                remedy.title,
                " ".join(f"{number}. {step.text.strip()}" for number, step in enumerate(remedy.steps, 1)),
                "; ".join(finding.title for finding in action.findings),
                "; ".join(f"{source.guide}: {source.section}" for source in remedy.sources),
                given.get("owner", ""),
                given.get("due", ""),
                given.get("status", ""),
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
    agreed: Sequence[Mapping[str, Any]] | None = None,
) -> str | bytes:
    """The report in format ``fmt``: text for md, html, json and csv; bytes for pdf.

    ``since``: what changed since an earlier assessment (store.history's data), shown as
    a "since last time" part and given in the JSON report as ``since``. ``agreed``: the
    actions agreed for this assessment's plan (rows of a filled-in plan, e.g. from a live
    session): the plan shows their owner, due date and status.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    if fmt == "csv":
        return plan_csv(assessment, agreed)
    import jinja2

    try:
        return _render(assessment, questionnaire, fmt, template_dir, since, agreed)
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

        from .environment import environment

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
    agreed: Sequence[Mapping[str, Any]] | None = None,
) -> str | bytes:
    from .environment import environment  # here: only what renders a template needs Jinja

    template = environment(str(template_dir) if template_dir else None).get_template(str(FORMATS[fmt]))
    scored = [s for s in questionnaire.sections if any(q.type == "scale" for q in s.questions)]
    room = for_the_room(assessment, questionnaire)
    shown_gaps = assessment.gaps_shown  # the body shows these (with prompts), the appendix the rest
    # Of the bundled templates only the JSON report's shows the contract; building it
    # (a validated JsonReport with every aggregate) is left out of the others' start.
    # A template of the user's may show it, and ``since`` is always checked.
    wants_contract = fmt == "json" or template_dir is not None or since is not None or bool(agreed)
    text = template.render(
        a=assessment,
        questionnaire=questionnaire,
        scored_sections=scored,
        room=room,
        findings=assessment.findings,
        top_strengths=assessment.strengths[:SUMMARY_STRENGTHS],
        gaps=assessment.gaps[:shown_gaps],
        more_gaps=assessment.gaps[shown_gaps:],
        summary_gaps=assessment.gaps[: min(shown_gaps, SUMMARY_GAPS)],
        quality=assessment.quality,
        type_sentence=type_sentence(assessment.partnership_type),
        plan=room.actions,
        plan_number=room.number,
        own_steps=own_practice(list(room.actions)),
        contract=contract(assessment, since, agreed) if wants_contract else None,
        since=since,
        agreed=agreed_by_remedy(agreed),
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


def coverage_table(rulebase: RuleBase) -> str:
    """rules/README.md: each failure mode with its guide sections, rules and remedies."""
    from .environment import environment

    return environment(None).get_template("coverage.md.j2").render(rulebase=rulebase)
