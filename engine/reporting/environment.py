"""Jinja's side of the reports: the environment, its filters, the template loader and the compiled-template cache."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from ..core.reader import bundled_path, read_text
from ..errors import InputError
from ..models import Gap
from ..wording import GROUP_IN_LINE, GROUP_LABELS, GROUP_SHORT, MANY_OF_GROUP, ONE_OF_GROUP, OP_WORDS, counted, shown

if TYPE_CHECKING:
    import jinja2


PROMPTS_SHOWN = 2  # questions for the room printed under a finding (the screen and the JSON have them all)


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """One environment per template folder: the user's templates first, then the bundled ones.

    Compiled templates are kept between runs (see :func:`bytecode_cache`).
    """
    import jinja2  # here: only what renders a template needs Jinja

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
    env.globals["ROLES"] = GROUP_LABELS
    env.globals["ROLE_ONE"] = ONE_OF_GROUP
    env.globals["ROLE_MANY"] = MANY_OF_GROUP
    env.globals["PROMPTS"] = PROMPTS_SHOWN
    env.filters["change"] = change
    env.globals["gap_line"] = gap_line
    env.globals["ROLE_SHORT"] = GROUP_SHORT
    env.filters["op_words"] = lambda op: OP_WORDS.get(op, op)
    env.filters["percent"] = lambda share: f"{round(100 * float(share))}%"
    env.filters["words"] = words
    env.filters["counted"] = counted
    env.filters["json"] = as_json
    env.filters["first_sentence"] = first_sentence
    env.filters["md"] = md_text
    env.filters["md_quote"] = md_quote
    return env


# Characters Markdown (CommonMark, and GitHub's tables and strikethrough) can read as markup
# anywhere in a line; '-' and a list number ('1.' or '1)' then a space) only at its start.
# Each is escaped with a backslash. Parentheses are left as typed ("Alex (Riverside
# Library)"): with '[' and ']' escaped they cannot make a link.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#+!|~&=])")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def as_json(value: object) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, byte for byte.

    orjson writes the same text 30-40x faster (json's indented writer is pure Python): the
    same separators, key order, escapes and unescaped non-ASCII, and the same digits for
    floats but small ones (orjson ``0.00001`` and ``1.5e-7``, json ``1e-05`` and
    ``1.5e-07``). Where orjson's text has a number written so, where it refuses a value
    (keys not text, integers past 64 bits, lone surrogates), where ``value`` holds NaN or
    infinity (orjson writes null, json NaN), or with no orjson installed, json writes it.
    """
    try:
        import orjson
    except ImportError:  # json gives the same text, slower
        return json.dumps(value, indent=2, ensure_ascii=False)
    try:
        fast = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        json.dumps(value, allow_nan=False)  # json's C writer (no indent): raises on NaN and infinity
    except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, indent=2, ensure_ascii=False)
    return _small_floats_as_json(fast).decode()


# A line holding only a number (after its key, if any) that orjson writes otherwise than
# json: a small float (orjson 0.00001 and 1.5e-7, json 1e-05 and 1.5e-07). With an indent,
# every number is on a line of its own and no string holds a line break, so text that
# looks like such a number inside a string never matches.
_SMALL_FLOAT_LINE = re.compile(rb'( *(?:"(?:[^"\\]|\\.)*": )?)(-?(?:0\.0000\d*|\d+(?:\.\d+)?e-\d+))(,?)')


def _small_floats_as_json(text: bytes) -> bytes:
    """orjson's ``text`` with every small float written as Python's repr of it (as json writes it).

    Both write a float's shortest digits that read back the same, so reading orjson's
    number back gives the very float, and its repr is json's text.
    """
    lines: dict[int, int] = {}  # start -> end of each line with a candidate
    for needle in (b"0.0000", b"e-"):
        at = text.find(needle)
        while at != -1:
            start = text.rfind(b"\n", 0, at) + 1
            lines.setdefault(start, text.find(b"\n", at) % (len(text) + 1))
            at = text.find(needle, at + 1)
    if not lines:
        return text
    parts, done = [], 0
    for start, end in sorted(lines.items()):
        found = _SMALL_FLOAT_LINE.fullmatch(text, start, end)
        if found:
            parts += [text[done:start], found[1], repr(float(found[2])).encode(), found[3]]
            done = end
    return b"".join([*parts, text[done:]])


def change(value: float) -> str:
    """A score change with its sign: +8, -1.5, 0."""
    return "0" if value == 0 else f"{value:+g}"


def first_sentence(text: str) -> str:
    """The first sentence of a text: up to the first full stop followed by a space and a capital letter."""
    match = re.search(r"[.!?](?=\s+[A-Z“\"])", text)
    return text[: match.end()] if match else text


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


ACRONYMS = {"ip": "IP"}  # words of a failure mode's name written in capitals


def words(name: object, capital: bool = False) -> str:
    """A name like ``unclear_funds_and_ip`` in words: "unclear funds and IP" (with ``capital``, "Unclear ...")."""
    said = " ".join(ACRONYMS.get(word, word) for word in str(name).split("_"))
    return said[:1].upper() + said[1:] if capital else said


def gap_line(gap: Gap) -> str:
    """How a perception gap's answers fall, in one line: counts on each side, then each role's mean."""
    parts = [f"{gap.agree} agree, {gap.neutral} neither, {gap.disagree} disagree"]
    if gap.dont_know:
        parts[0] += f", {gap.dont_know} don't know"
    if gap.by_role:
        parts.append(", ".join(f"{GROUP_IN_LINE.get(role, role)} {shown(mean)}" for role, mean in gap.by_role.items()))
    return "; ".join(parts)


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading through :func:`partnership_health.core.reader.read_text`.

    So a template is held to the same rules as every other input (a regular file, of
    bounded size, in UTF-8), and a FIFO or folder with a template's name is an error
    rather than silently passed over.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.lexists(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        text, issues = read_text(filename)
        if text is None:
            raise InputError(issues)
        modified = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == modified
            except OSError:
                return False

        return text, os.path.normpath(filename), uptodate


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling the report's templates is most of rendering one.

    Jinja's own file cache, in its private per-user folder in the temporary directory
    (it refuses a folder that is not the user's alone). A template's entry is found
    by its name and file and used only while the template's text has the same
    checksum; the file names also carry a fingerprint of Jinja's version and of the
    code that sets up the environment, so a change to either compiles afresh. None
    (compile every time) where Jinja finds no safe folder.
    """
    code = Path(__file__).read_bytes()  # this module sets up the environment and its filters
    fingerprint = hashlib.sha256(code + jinja2.__version__.encode()).hexdigest()[:16]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__partnership_health_{fingerprint}_%s.cache")
    except (RuntimeError, OSError):
        return None
