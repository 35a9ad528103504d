"""The PDF report: the HTML report laid out as A4 pages by WeasyPrint."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML report as A4 pages with WeasyPrint, fetching nothing from anywhere.

    Everything the report needs is inline; a template that links to anything else
    (a file or a web address) gets a warning from WeasyPrint and a PDF without it.
    """
    import weasyprint  # imported here: it takes a while, and only the PDF needs it

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    with _interrupts_kept("weasyprint") as kept:
        pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
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
