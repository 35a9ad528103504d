"""The programme view written out: HTML, PDF, Markdown, JSON (the contract) and CSV (one long table)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from ..models import Breakdown, Count, Levels, Programme
from ..reporting.environment import as_json, environment
from ..reporting.pdf import html_to_pdf

__all__ = ["CSV_COLUMNS", "FORMATS", "ProgrammeFormat", "render_programme"]

ProgrammeFormat = Literal["html", "pdf", "md", "json", "csv"]
FORMATS: dict[str, str | None] = {
    "html": "programme.html.j2",
    "pdf": "programme.html.j2",
    "md": "programme.md.j2",
    "json": None,
    "csv": None,
}
CSV_COLUMNS = ("measure", "group", "value", "n")
HIDDEN = "suppressed"


def render_programme(
    programme: Programme,
    fmt: ProgrammeFormat = "html",
    *,
    levels: Levels | None = None,
    template_dir: str | Path | None = None,
) -> str | bytes:
    """The programme view in ``fmt``: text for html, md, json and csv; bytes for pdf.

    ``levels``: the score levels the histograms are coloured by (the rule base's).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown programme format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    if fmt == "json":
        return as_json(programme.model_dump(mode="json")) + "\n"
    if fmt == "csv":
        return programme_csv(programme)
    template = environment(str(template_dir) if template_dir else None).get_template(str(FORMATS[fmt]))
    text = template.render(p=programme, levels=levels or Levels(), fmt=fmt)
    return html_to_pdf(text) if fmt == "pdf" else text


def programme_csv(programme: Programme) -> str:
    """Every figure, one a row: measure, group, value (or "suppressed"), n (the partnerships it is counted among)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _rows(programme):
        writer.writerow(["'" + cell if isinstance(cell, str) and cell[:1] in _FORMULA_START else cell for cell in row])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _rows(p: Programme) -> Iterator[tuple[object, ...]]:
    n = p.partnerships
    yield "partnerships", "all", n, n
    yield "assessments left out: not shared", "all", p.left_out, ""
    yield "partnerships named", "all", len(p.named), n
    for b in p.profile:
        yield from _breakdown(f"partnerships by {b.key}", b)
    for f in p.failure_modes:
        yield from _counts(f"failure mode {f.id}", (f.diagnosed, f.not_diagnosed, *f.severity), n)
        if f.since is not None:
            yield from _counts(f"failure mode {f.id} since last time", f.since, n)
    for t in p.failure_modes_by:  # n: the partnerships of the column
        for row in t.rows:
            for c, column in zip(row.counts, t.columns, strict=True):
                yield f"failure mode {row.id} by {t.key}", c.key, HIDDEN if c.hidden else c.value, column.partnerships
    for s in p.scores:
        yield from _counts(f"section score {s.section}: band", s.bands, n)
        yield from _counts(f"section score {s.section}: level", s.levels, n)
    q = p.quality
    yield "respondents", "all", HIDDEN if q.respondents is None else q.respondents, n
    for measure, share, key in (
        ("unanswered share (pooled)", q.unanswered_share, "unanswered"),
        ("don't know share (pooled)", q.dont_know_share, "dont_know"),
    ):  # none asked: empty; withheld beside a hidden band of its breakdown: suppressed
        bands = next(b for b in q.breakdowns if b.key == key)
        withheld = share is None and any(c.hidden for c in bands.counts)
        yield measure, "all", HIDDEN if withheld else _share(share), n
    for b in q.breakdowns:
        yield from _breakdown(f"partnerships by {b.key}", b)
    for r in p.actions:
        yield from _counts(f"remedy {r.id}", (r.planned, r.not_planned, r.done, r.not_done), n)
    if p.properties is not None:
        for section in p.properties.sections:
            for name, figure in (
                ("cronbach alpha", section.alpha),
                ("agreement (mean rwg)", section.agreement),
                ("icc1", section.icc1),
                ("icc2", section.icc2),
            ):
                value: object = figure.status
                if figure.status == "shown":  # as the other formats show it: two decimals
                    value = None if figure.value is None else round(figure.value, 2)
                n_of = figure.n if figure.n is not None else figure.n_words
                yield f"questionnaire {name} (n: {figure.unit})", section.section, value, n_of


def _share(share: float | None) -> float | str:
    """A share as the other formats show it, a whole percent (0.07 for 7%); empty when there is none."""
    return "" if share is None else round(100 * share) / 100


def _breakdown(measure: str, b: Breakdown) -> Iterator[tuple[object, ...]]:
    return _counts(measure, b.counts, b.total)


def _counts(measure: str, counts: tuple[Count, ...], total: int) -> Iterator[tuple[object, ...]]:
    for c in counts:
        yield measure, c.key, HIDDEN if c.hidden else c.value, total
