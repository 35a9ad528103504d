"""The PDF report: the HTML report laid out as A4 pages by WeasyPrint."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML report as A4 pages with WeasyPrint, fetching nothing from anywhere.

    Everything the report needs is inline; a template that links to anything else
    (a file or a web address) gets a warning from WeasyPrint and a PDF without it.
    """
    with _libraries_by_soname():
        import weasyprint  # imported here: it takes a while, and only the PDF needs it

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    with _interrupts_kept("weasyprint") as kept:
        pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    if kept:  # WeasyPrint logged an interrupt and went on: stop as it should have
        raise kept[0]
    return pdf


@contextmanager
def _libraries_by_soname() -> Iterator[None]:
    """While WeasyPrint is first imported on Linux: load its C libraries by the names the loader knows.

    For each library (Pango, HarfBuzz, fontconfig ...) WeasyPrint tries several names, the
    Windows and macOS ones first; cffi answers each name that does not load by calling
    ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p``, ``gcc`` and ``ld``:
    22 calls and about 50 subprocesses, 0.17 s of CPU of a 1.9 s ``demo --format pdf``.
    Every list ends with the library's soname (``libpango-1.0.so.0``), which the dynamic
    loader finds on its own, and that is the file ``find_library`` would have named.
    """
    if sys.platform != "linux" or "weasyprint" in sys.modules:
        yield
        return
    import ctypes.util

    searching = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = searching


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
