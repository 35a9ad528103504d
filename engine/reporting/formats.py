"""The report formats and the template each starts from: here, so the command line names them without Jinja."""

from __future__ import annotations

from typing import Literal

Format = Literal["md", "html", "json", "csv", "pdf"]
# Each format and the template it starts from (None: no template, the csv module writes it).
FORMATS: dict[str, str | None] = {
    "md": "report.md.j2",
    "html": "report.html.j2",
    "json": "report.json.j2",
    "csv": None,
    "pdf": "report.html.j2",
}
