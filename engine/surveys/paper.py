"""The questionnaire on paper: an HTML page with tick boxes, or its PDF, through the report pipeline.

The template is ``reports/paper.html.j2``; ``--template-dir`` overrides it like any report template.
"""

from __future__ import annotations

from ..models import Question, Questionnaire, Section
from ..reporting.environment import environment
from ..reporting.pdf import html_to_pdf
from ..wording import DONT_KNOW_LABEL, ROLE_LABELS
from .headers import ORGANISATION_LABEL, ROLE_LABEL
from .templates import asked_of
from .values import accepts_dont_know, scale_labels


def paper(questionnaire: Questionnaire, *, pdf: bool = False, template_dir: str | None = None) -> str | bytes:
    """The printable questionnaire: HTML text, or PDF bytes with ``pdf``."""
    with_dont_know = {qid for qid, question in questionnaire.questions.items() if accepts_dont_know(question)}
    html = (
        environment(template_dir)
        .get_template("paper.html.j2")
        .render(
            questionnaire=questionnaire,
            sections=[(section, _blocks(section)) for section in questionnaire.sections],
            scale=dict(sorted(scale_labels(questionnaire).items())),
            roles=ROLE_LABELS,
            organisation_label=ORGANISATION_LABEL,
            role_label=ROLE_LABEL,
            dont_know=DONT_KNOW_LABEL if with_dont_know else "",
            with_dont_know=with_dont_know,
            asked_of={qid: asked_of(q) for qid, q in questionnaire.questions.items() if q.roles},
        )
    )
    return html_to_pdf(html) if pdf else html


def _blocks(section: Section) -> list[tuple[str, list[Question]]]:
    """Runs of agreement statements (one grid each) and the other questions one by one."""
    blocks: list[tuple[str, list[Question]]] = []
    for question in section.questions:
        if question.type == "scale" and blocks and blocks[-1][0] == "scale":
            blocks[-1][1].append(question)
        else:
            blocks.append(("scale" if question.type == "scale" else "single", [question]))
    return blocks
