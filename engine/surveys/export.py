"""``partnership-health export FORMAT``: each format and the function that writes it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Questionnaire

EXPORTS: dict[str, tuple[str, str]] = {
    "xlsform": ("an XLSForm workbook for KoboToolbox or ODK (.xlsx)", ".xlsx"),
    "csv-template": ("a sheet with our ids as headers and a row of allowed answers (.csv)", ".csv"),
    "yaml-template": ("a blank answers file with every question as a comment (.yaml)", ".yaml"),
    "paper": ("a printable questionnaire with tick boxes (.html, or .pdf)", ".html"),
    "forms-guide": ("every question's text, type and labels, to build a Google or Microsoft form (.md)", ".md"),
}


def export(fmt: str, questionnaire: Questionnaire, output: Path, *, template_dir: str | None = None) -> str | bytes:
    """The content of export ``fmt``; ``output``'s suffix picks paper's HTML or PDF."""
    from .templates import csv_template, forms_guide, yaml_template  # here: the command line lists EXPORTS
    from .xlsform import xlsform_bytes

    if fmt == "xlsform":
        return xlsform_bytes(questionnaire)
    if fmt == "csv-template":
        return csv_template(questionnaire)
    if fmt == "yaml-template":
        return yaml_template(questionnaire)
    if fmt == "forms-guide":
        return forms_guide(questionnaire)
    if fmt == "paper":
        from .paper import paper

        return paper(questionnaire, pdf=output.suffix.lower() == ".pdf", template_dir=template_dir)
    raise ValueError(f"unknown export {fmt!r} (known: {', '.join(EXPORTS)})")
