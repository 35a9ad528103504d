"""How the reports' word limits are counted.

The words of a report's body: the text a reader meets in the HTML report's ``<body>``,
without its appendix (the element with ``id="appendix"``), without scripts and styles,
and without the chart's ``<title>`` and ``<desc>`` (a text alternative for screen
readers that repeats the chart's visible labels). A word is a run of characters between
white space that holds at least one letter or digit, so a dash or a "▲" on its own is
not counted.
"""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SVG_EMPTY = {"line", "circle", "rect", "path", "polyline", "polygon", "ellipse"}
_LEFT_OUT = {"script", "style", "head", "title", "desc"}


class _Body(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[bool] = []  # per open element: is its text left out?
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag in _SVG_EMPTY:
            return
        self.open.append(tag in _LEFT_OUT or dict(attrs).get("id") == "appendix")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag in _SVG_EMPTY:
            return
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if not any(self.open):
            self.words += [word for word in data.split() if any(c.isalnum() for c in word)]


def body_words(html: str) -> list[str]:
    """The words of an HTML report's body, as defined above."""
    parser = _Body()
    parser.feed(html)
    parser.close()
    return parser.words
