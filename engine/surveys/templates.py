"""Blank forms to fill in: a CSV template, a YAML template and a guide for building the form by hand."""

from __future__ import annotations

import csv
import datetime
import io

from ..models import Question, Questionnaire
from ..wording import DONT_KNOW_LABEL, ROLE_LABELS
from .headers import ORGANISATION, ORGANISATION_LABEL, ROLE, ROLE_LABEL
from .importing import ROLE_HINT
from .values import accepts_dont_know, scale_labels


def allowed(question: Question, questionnaire: Questionnaire) -> str:
    """The answers a question takes, in a few words."""
    extra = " | dont_know" if accepts_dont_know(question) else ""
    if question.type == "scale":
        labels = scale_labels(questionnaire)
        return f"1-5 (1 {labels[1]} ... 5 {labels[5]}){extra}"
    if question.type == "yesno":
        return f"yes | no{extra}"
    if question.type == "number":
        low, high = question.bounds or (0, 0)
        return f"{low:g}-{high:g} {question.unit or ''}".rstrip() + extra
    if question.type == "choice":
        return " | ".join(question.choice_ids) + extra
    return "free text (optional)"


def asked_of(question: Question) -> str:
    """``lead and core partners only`` for a question asked of some roles only, else ``''``."""
    return f"{' and '.join(question.roles)} partners only" if question.roles else ""


def csv_template(questionnaire: Questionnaire) -> str:
    """One row per respondent under our ids; the second row says what each column takes.

    The import skips that second row, so a lead can fill the sheet below it and import it.
    """
    questions = list(questionnaire.questions.values())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([ORGANISATION, ROLE, *(question.id for question in questions)])
    hints = [allowed(q, questionnaire) + (f" ({asked_of(q)})" if q.roles else "") for q in questions]
    writer.writerow(["name of the organisation", ROLE_HINT, *hints])
    return "\ufeff" + out.getvalue()


def yaml_template(questionnaire: Questionnaire, today: datetime.date | None = None) -> str:
    """A blank answers file: one respondent, every question as a comment to fill in."""
    lines = [
        f"# Answers to the {questionnaire.title} ({questionnaire.id} {questionnaire.version}).",
        "# Copy the respondent block once per person. Under 'answers', remove the '# ' before each",
        "# question answered and write the answer after the colon; leave the others as they are.",
        "",
        "partnership: Name of the partnership",
        f"assessed_on: {(today or datetime.date.today()).isoformat()}",
        f'questionnaire: {{id: {questionnaire.id}, version: "{questionnaire.version}"}}',
        "respondents:",
        "  - id: r1",
        "    organisation: Name of the organisation",
        f"    role: core                     # {ROLE_HINT}",
        "    answers:",
    ]
    for section in questionnaire.sections:
        lines.append(f"      # --- {section.title}")
        for question in section.questions:
            only = f" ({asked_of(question)})" if question.roles else ""
            lines.append(f"      # {question.id}:    # {allowed(question, questionnaire)}{only}")
            lines.append(f"      #   {' '.join(question.text.split())}")
    return "\n".join(lines) + "\n"


def forms_guide(questionnaire: Questionnaire) -> str:
    """Markdown: every question with its exact text, type and labels, to build the form by hand."""
    labels = scale_labels(questionnaire)
    out = [
        f"# {questionnaire.title}: building the form in Google Forms or Microsoft Forms",
        "",
        f"Questionnaire `{questionnaire.id}` version {questionnaire.version}, "
        f"{len(questionnaire.questions)} questions. Copy each question's text exactly (the import",
        "matches the columns of the export by it) and offer exactly the labels listed; leave every",
        "question optional. Then export the responses as CSV or XLSX and run",
        "`partnership-health import FILE --output answers.yaml`.",
        "",
        "Agreement statements can be one question each (multiple choice) or rows of a grid",
        "(Google's multiple-choice grid, Microsoft's Likert): the import reads `Title [Statement]`",
        "and a column headed by the statement alike.",
        "",
        "Questions marked **Lead and core partners only** are not for wider partners: put them in a",
        "section of their own that only those who answer Lead partner or Core partner reach (Google",
        'Forms: "Go to section based on answer" on the role question; Microsoft Forms: branching). If',
        "a wider partner answers one anyway, the import drops that answer and says so.",
        "",
        "## First two questions",
        "",
        f"1. **{ORGANISATION_LABEL}** (short answer, required; or head the column `Organisation`)",
        f"2. **{ROLE_LABEL}** (multiple choice, required): " + ", ".join(f"{label}" for label in ROLE_LABELS.values()),
        "",
        "## Labels",
        "",
        "- Agreement scale, in this order: " + ", ".join(labels[n] for n in sorted(labels)),
    ]
    if any(accepts_dont_know(question) for question in questionnaire.questions.values()):
        out.append(f"- Add a last option `{DONT_KNOW_LABEL}` wherever it is listed below.")
    out.append("")
    number = 3
    for section in questionnaire.sections:
        out += [f"## {section.title}", ""]
        if section.description:
            out += [section.description, ""]
        for question in section.questions:
            only = f" *(for {asked_of(question)})*" if question.roles else ""
            out.append(f"{number}. **{' '.join(question.text.split())}**{only}  ")
            out.append(f"   {_kind(question)}" + ("  " if question.help else ""))
            if question.help:
                out.append(f"   Help text: {question.help}")
            number += 1
        out.append("")
    return "\n".join(out)


def _kind(question: Question) -> str:
    dont_know = f", then {DONT_KNOW_LABEL}" if accepts_dont_know(question) else ""
    if question.type == "scale":
        reverse = " (agreeing is the unhealthy answer)" if question.reverse else ""
        return f"Multiple choice or grid row: the agreement scale{dont_know}{reverse}."
    if question.type == "yesno":
        return f"Multiple choice: Yes, No{dont_know}."
    if question.type == "number":
        low, high = question.bounds or (0, 0)
        return f"Short answer, a number from {low:g} to {high:g} {question.unit or ''}".rstrip() + "."
    if question.type == "choice":
        return (
            "Multiple choice: " + "; ".join(f"{c.label}" for c in question.choices) + dont_know.replace(",", ";") + "."
        )
    return "Paragraph (optional)."
