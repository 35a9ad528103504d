"""Read YAML safely in one pass and validate it into models, keeping every line number.

Every problem becomes an :class:`~partnership_health.errors.Issue` located at the YAML node it is
about, so a user sees ``rules/trust.yaml:12:9: rules[1].when.question: ...``.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Generic, NoReturn, TextIO, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import CONTROL, Issue, Key, SourceLocation, control_name, data_keys, pydantic_message, shorten, subject_of
from ..models import text_where_wanted

M = TypeVar("M", bound=BaseModel)
D = TypeVar("D")  # what a Document holds: a model, or the plain data a check reads

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the package: core/ is one level down

# --- limits (README, "Limits"): small files must not be able to take the machine down ---
MAX_FILE_MB_VARIABLE = "PARTNERSHIP_HEALTH_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 10
MAX_ALIAS_VALUES = 100_000  # values that YAML aliases may stand for, in one file
MAX_DEPTH = 100  # levels of nested mappings and lists
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"


def max_file_bytes() -> int:
    """The largest input file read: 10 MB, or ``PARTNERSHIP_HEALTH_MAX_FILE_MB`` megabytes."""
    setting = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if not setting:
        return DEFAULT_MAX_FILE_MB * 1_000_000
    try:
        megabytes = float(setting)
    except ValueError:
        megabytes = -1
    if not 0 < megabytes < 1e6:
        raise ValueError(f"{MAX_FILE_MB_VARIABLE} must be a number of megabytes above 0 (got {shorten(setting)})")
    return int(megabytes * 1_000_000)


_NOT_A_FILE = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def not_a_file(mode: int) -> str | None:
    """Why a file of ``mode`` is not read: 'is a FIFO (named pipe), not a file', or None."""
    if stat.S_ISREG(mode):
        return None
    return f"is {_NOT_A_FILE.get(stat.S_IFMT(mode), 'not a regular file')}, not a file"


def read_bytes(path: Path | str) -> tuple[bytes | None, list[Issue]]:
    """The bytes of one input file, or None and the reason it cannot be read.

    The one place every input is read (YAML, JSON, templates, feature files, survey
    exports): only a regular file (a FIFO, a device or a folder is refused at once,
    before anything could block) of at most :func:`max_file_bytes`.
    """
    shown = str(path)

    def problem(message: str) -> tuple[None, list[Issue]]:
        return None, [Issue(SourceLocation(shown), "file", message)]

    try:
        limit = max_file_bytes()
    except ValueError as error:
        return problem(f"not read: {error}")
    try:
        kind = not_a_file(os.stat(path).st_mode)
        if kind:
            return problem(kind)
        # O_NONBLOCK: should the path have become a FIFO since the stat, opening it cannot block.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            info = os.fstat(handle)
            kind = not_a_file(info.st_mode)
            if kind:
                return problem(kind)
            if info.st_size > limit:
                return problem(_too_large(limit))
            with os.fdopen(handle, "rb", closefd=False) as file:
                data = file.read(limit + 1)
        finally:
            os.close(handle)
    except FileNotFoundError:
        return problem("no such file")
    except OSError as error:
        return problem(f"cannot be read ({error.strerror or error})")
    if len(data) > limit:
        return problem(_too_large(limit))
    return data, []


def read_text(path: Path | str) -> tuple[str | None, list[Issue]]:
    """The text of one input file (see :func:`read_bytes`), which must be UTF-8.

    A byte that is not UTF-8 is named by its line and column.
    """
    data, issues = read_bytes(path)
    return (None, issues) if data is None else _decode(data, str(path))


def read_stream(stream: BinaryIO | TextIO, shown: str = "<stdin>") -> tuple[str | None, list[Issue]]:
    """The text of a stream such as standard input, held to the same size cap and encoding.

    A binary stream is decoded here (a bad byte named by its line); a text stream has
    been decoded already.
    """
    try:
        limit = max_file_bytes()
    except ValueError as error:
        return None, [Issue(SourceLocation(shown), "file", f"not read: {error}")]
    data = stream.read(limit + 1)
    if len(data) > limit:
        return None, [Issue(SourceLocation(shown), "file", _too_large(limit))]
    return (data, []) if isinstance(data, str) else _decode(data, shown)


def _decode(data: bytes, shown: str) -> tuple[str | None, list[Issue]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[data.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8", "replace")) + 1
        message = f"is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8"
        return None, [Issue(SourceLocation(shown, line, column), "file", message)]


def _too_large(limit: int) -> str:
    return f"is larger than {limit / 1_000_000:g} MB (set {MAX_FILE_MB_VARIABLE} to allow more)"


# What YAML (and JSON) allow in a file: tab, line ends and printable characters.
_CONTROL = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x1B: "ESC", 0x7F: "DEL"}
_MAX_CONTROL_ISSUES = 20


def _control_characters(path: str, text: str) -> list[Issue]:
    """One issue per line holding a control character (PyYAML would stop at the first, unlocated)."""
    issues: list[Issue] = []
    last_line = 0
    for found in _CONTROL.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        if line == last_line:
            continue
        last_line = line
        if len(issues) == _MAX_CONTROL_ISSUES:
            issues.append(Issue(SourceLocation(path, line), "file", "more lines with control characters follow"))
            break
        code = ord(found.group())
        name = f"U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        issues.append(
            Issue(SourceLocation(path, line, column), "file", f"control character {name} is not allowed; remove it")
        )
    return issues


class _Bounded:
    """Composing, bounded: the limits both readers share (see :class:`_SafeLoader`).

    Mixed in before PyYAML's composer, it sees every node as the parser's events come.
    """

    _depth = 0
    _aliased = 0
    _sizes: dict[int, int]  # id(node) -> values it stands for, itself included

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            node: yaml.Node = super().compose_node(parent, index)  # type: ignore[misc]
            size = self._sizes.get(id(node))
            if size is None:
                raise yaml.composer.ComposerError(None, None, "an alias may not refer to a value that holds it", mark)
            self._aliased += size
            if self._aliased > MAX_ALIAS_VALUES:
                raise yaml.composer.ComposerError(
                    None, None, f"aliases stand for more than {MAX_ALIAS_VALUES:,} values (an alias bomb?)", mark
                )
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            raise yaml.composer.ComposerError(None, None, _TOO_DEEP, mark)
        try:
            node = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        self._sizes[id(node)] = size
        return node


class _ResolvedOnce:
    """Each scalar's tag worked out once a file, not once a value: answers repeat the same few values.

    PyYAML's resolver (Python, called for every scalar even by libyaml's parser) tries its
    patterns on each value; with no path resolvers (the safe loader has none) a scalar's
    tag depends on its text and style alone, so the tag found for one is the tag of all.
    """

    _resolved: dict[tuple[str, tuple[bool, bool]], str]

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:  # type: ignore[attr-defined]
            key = (value, implicit)
            tag = self._resolved.get(key)
            if tag is None:
                tag = self._resolved[key] = super().resolve(kind, value, implicit)  # type: ignore[misc]
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _SafeLoader(_Bounded, _ResolvedOnce, yaml.SafeLoader):
    """The safe loader, with two changes.

    Dates stay text, so that the models check them with a location (PyYAML's own date
    constructor raises a bare ValueError, without a line, on 2026-13-01). Composing is
    bounded: nesting deeper than :data:`MAX_DEPTH`, and aliases that stand for more
    than :data:`MAX_ALIAS_VALUES` values in all (a "billion laughs" bomb), are errors
    found in one linear pass, before anything walks the expanded tree.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._sizes = {}
        self._resolved = {}

    def fetch_flow_collection_start(self, token: type[yaml.Token]) -> None:
        # Checked while scanning too: PyYAML's scanner slows down with every open bracket.
        if self.flow_level >= MAX_DEPTH:
            raise yaml.scanner.ScannerError(None, None, _TOO_DEEP, self.get_mark())
        super().fetch_flow_collection_start(token)


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# JSON and YAML 1.2 write numbers such as 6e0, 1e-05 and 1E+16 without a dot or an
# exponent sign; YAML 1.1 (PyYAML) would read them as text.
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)

# The loader parse_yaml uses: libyaml's parser where PyYAML was built with it (it scans
# and parses about ten times faster), else the pure-Python one. Either way the events
# are composed by PyYAML's composer in Python, bounded by _Bounded, and read with the
# same resolvers and constructor, so the same files give the same data and errors.
YAML_LOADER: type[Any] = _SafeLoader
if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _CSafeLoader(
        _Bounded,
        yaml.composer.Composer,
        CParser,
        yaml.constructor.SafeConstructor,
        _ResolvedOnce,
        yaml.resolver.Resolver,
    ):
        """:class:`_SafeLoader` on libyaml's parser (libyaml nests with no slow-down, so no scanner check)."""

        yaml_implicit_resolvers = _SafeLoader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)  # its get_single_node, not CParser's: composed in Python
            self._sizes = {}
            self._resolved = {}

    class _CComposer(CParser, yaml.constructor.SafeConstructor, _ResolvedOnce, yaml.resolver.Resolver):
        """libyaml composing too: the quickest reader, tried first (see :func:`_quick`)."""

        yaml_implicit_resolvers = _SafeLoader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._resolved = {}

    YAML_LOADER = _CSafeLoader


def bundled_path(name: str) -> Path:
    """The bundled folder ``name`` (rules, questionnaires, reports, examples).

    An installed wheel carries them in ``partnership_health/_bundled``; a source checkout has them
    beside the package.
    """
    inside = _PACKAGE_DIR / "_bundled" / name
    return inside if inside.exists() else _PACKAGE_DIR.parent / name


@dataclass(frozen=True)
class Document(Generic[D]):
    """A validated file: its model and the YAML node tree it came from."""

    path: str
    model: D
    node: yaml.Node | None

    def locate(self, *keys: Key, key: bool = False) -> SourceLocation:
        """The location of the node at ``keys`` (or of its mapping key, with ``key=True``)."""
        return _location(self.path, _walk(self.node, keys, want_key=key)[0])

    def written(self, keys: tuple[Key, ...]) -> str | None:
        """The text of the plain (unquoted) scalar at ``keys`` exactly as written, or None."""
        found = node_at(self.node, keys)
        # Plain style is None from PyYAML's parser, '' from libyaml's.
        return found.value if isinstance(found, yaml.ScalarNode) and not found.style else None

    def written_under(self, keys: tuple[Key, ...]) -> dict[str, str]:
        """The plain (unquoted) scalars of the mapping at ``keys`` exactly as written, by key.

        A key written twice stands for its first value, as :func:`node_at` finds it.
        """
        found = node_at(self.node, keys)
        values: dict[str, yaml.Node] = {}
        for key, value in found.value if isinstance(found, yaml.MappingNode) else ():
            if isinstance(key, yaml.ScalarNode):
                values.setdefault(key.value, value)
        return {k: v.value for k, v in values.items() if isinstance(v, yaml.ScalarNode) and not v.style}

    def issue(
        self, keys: tuple[Key, ...], subject: str, message: str, *, key: bool = False, warning: bool = False
    ) -> Issue:
        """An issue located at ``keys`` in this file."""
        return Issue(self.locate(*keys, key=key), subject, message, "warning" if warning else "error")


def read_yaml(path: Path | str) -> tuple[Any, yaml.Node | None, list[Issue]]:
    """Parse ``path`` (YAML, or JSON) with the safe loader, returning data, node tree and problems.

    The node is None when the file could not be parsed at all.
    """
    shown = str(path)
    text, issues = read_text(path)
    if text is None:
        return None, None, issues
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, yaml.Node | None, list[Issue]]:
    """Parse YAML (or JSON) ``text``, locating problems in a file called ``shown``.

    Control characters are located first (PyYAML would stop at the first, without a
    line); a ``.json`` file is checked as JSON first, so its syntax errors are told in
    JSON's words; nesting and aliases are bounded (see :class:`_SafeLoader`).
    """
    issues = _control_characters(shown, text)
    if issues:
        return None, None, issues
    language = "JSON" if shown.lower().endswith(".json") else "YAML"
    if language == "JSON":  # YAML would take some things JSON does not, such as a trailing comma
        data = _json_data(text)
        if data is not None:  # read once; the node tree is composed only if a location is wanted
            return data, _ComposedLater(text), []
        located = _json_error(shown, text)
        if located:
            return None, None, [located]
    quick = _quick(text) if YAML_LOADER is not _SafeLoader else None
    if quick is not None:
        return quick[0], quick[1], _duplicate_keys(shown, quick[1])
    try:
        try:
            data, node = _load(YAML_LOADER, text)
        except yaml.MarkedYAMLError as error:
            if error.problem != _LIBYAML_TOO_DEEP or not error.problem_mark:
                raise
            _too_deep(text, error.problem_mark)
    except yaml.MarkedYAMLError as error:
        mark, message = plain_yaml_error(error, text)
        where = SourceLocation(shown, mark.line + 1, mark.column + 1) if mark else SourceLocation(shown)
        return None, None, [Issue(where, language, message)]
    except (yaml.YAMLError, ValueError, TypeError) as error:
        return None, None, [Issue(SourceLocation(shown), language, f"cannot be read ({shorten(str(error))})")]
    return data, node, _duplicate_keys(shown, node)


def _escaped_control(path: str, node: yaml.ScalarNode) -> list[Issue]:
    found = CONTROL.search(node.value)
    if found is None:
        return []
    message = f"control character {control_name(found.group())}, written as an escape, is not allowed; remove it"
    return [Issue(_location(path, node), "file", message)]


def plain_yaml_error(error: yaml.MarkedYAMLError, text: str) -> tuple[Any, str]:
    """PyYAML's (or libyaml's) error in a user's words, and the mark it is about.

    An unclosed ``[``, ``{`` or quote is told where it was opened (the parser notices
    only lines later); the rest where the parser stopped.
    """
    problem, context = error.problem or "", error.context or ""
    mark, opened = error.problem_mark or error.context_mark, error.context_mark

    def line_of(found: Any) -> str:
        return f"line {found.line + 1}" if found is not None else "above"

    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket, closing, kind = ("[", "]", "list") if "]" in problem else ("{", "}", "mapping")
        message = (
            f"the {kind} opened with '{bracket}' here is not closed with '{closing}' "
            f"(or two of its items lack a ',' between them, {line_of(error.problem_mark)})"
        )
        return opened or mark, message
    if "end of stream" in problem and "quoted scalar" in context:
        return opened or mark, "a quote opened here is never closed"
    if "expected '-' indicator" in problem:
        return mark, (
            f"a list item is missing its '-', or is indented differently from the list that begins on {line_of(opened)}"
        )
    if "mapping values are not allowed" in problem:
        return mark, (
            "a ':' where none can be: put text that holds ': ' in quotes, or indent this line like the key it is under"
        )
    if "cannot start any token" in problem:
        char = text[mark.index] if mark is not None and mark.index < len(text) else ""
        if char == "\t":
            return mark, "a tab indents this line; YAML is indented with spaces only"
        return mark, f"{char!r} cannot start a value here; put the value in quotes"
    if "expected key" in problem or ("expected <block end>" in problem):
        return (
            mark,
            f"this line is indented differently from the lines above it (the block begins on {line_of(opened)})",
        )
    if "could not find expected ':'" in problem:
        return opened or mark, "a key is missing its ':' (or a value runs over lines without quotes)"
    if "undefined alias" in problem:
        return mark, f"{problem.replace('found undefined alias', 'the alias')} refers to no '&' anchor above it"
    return mark, problem or context


_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"  # libyaml's own limit, 1,000 levels


def _too_deep(text: str, mark: Any) -> NoReturn:
    """Raise the error of :data:`MAX_DEPTH` where libyaml stopped at its own limit instead.

    libyaml's scanner reads ahead on a line of open brackets, and stops at 1,000 levels
    before our composer has seen the 101st. Read again without the bracket it stopped
    at, the composer finds the 101st level; should that text fail otherwise, the error
    is told at libyaml's mark.
    """
    try:
        _load(YAML_LOADER, text[: mark.index])
    except yaml.MarkedYAMLError as error:
        if error.problem == _TOO_DEEP:
            raise
    raise yaml.composer.ComposerError(None, None, _TOO_DEEP, mark)


def _quick(text: str) -> tuple[Any, yaml.Node | None] | None:
    """The data and node tree as libyaml composes them, or None to read again with :data:`YAML_LOADER`.

    libyaml composes without expanding aliases and stops at 1,000 levels, so composing
    is safe; what it composed is used when it is a plain tree (no alias) at most
    :data:`MAX_DEPTH` deep, which no limit of :class:`_Bounded` can refuse. Anything
    else (an alias, deeper nesting, any error) is read again by the bounded composer,
    which applies the limits and tells each problem in its own words and place.
    """
    loader = _CComposer(text)
    try:
        node = loader.get_single_node()
        if node is None or _plain_tree(node):
            return (loader.construct_document(node) if node is not None else None), node
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        pass
    finally:
        loader.dispose()
    return None


def _plain_tree(root: yaml.Node) -> bool:
    """Whether no node is reached twice (an alias) and none lies deeper than :data:`MAX_DEPTH`."""
    seen: set[int] = set()
    level = [root]
    for _ in range(MAX_DEPTH):
        below: list[yaml.Node] = []
        for node in level:
            if id(node) in seen:
                return False
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    below += (key, value)
            elif isinstance(node, yaml.SequenceNode):
                below += node.value
        if not below:
            return True
        level = below
    return False


def _load(loader_class: type[Any], text: str) -> tuple[Any, yaml.Node | None]:
    """The data and node tree of ``text``; raises PyYAML's errors."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


class _Refused(Exception):
    """A JSON text the quick reading leaves to the YAML reader (which locates what is wrong with it)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):  # a key written twice: the YAML reader reports each repeat
        raise _Refused
    return found


def _refuse(_: str) -> Any:
    raise _Refused  # NaN, Infinity: not JSON


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _json_data(text: str) -> dict[str, Any] | None:
    """A ``.json`` file's data parsed once by ``json``, or None to read it as before (YAML, every problem located).

    None for anything the YAML reading would tell apart or refuse: not a mapping at the
    top, a key written twice, NaN or Infinity, a surrogate escape (YAML refuses the
    halves), a string holding a control character (written as an escape), nesting
    deeper than :data:`MAX_DEPTH`, or any syntax error. For the rest, JSON's and YAML's
    readings give the same data (numbers with an exponent are floats in both, see the
    resolver above).
    """
    try:
        data = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_pairs, parse_constant=_refuse)
    except (_Refused, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or ("\\" in text and _SURROGATE_ESCAPE.search(text)):
        return None
    escapes = "\\" in text
    level: list[Any] = [data]
    for _ in range(MAX_DEPTH):
        below: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                if escapes and any(CONTROL.search(key) for key in value):
                    return None
                below += value.values()
            elif isinstance(value, list):
                below += value
            elif escapes and isinstance(value, str) and CONTROL.search(value):
                return None
        if not below:
            return data
        level = below
    return None


def _from_tree(name: str) -> Any:
    """A node field read off the composed tree (see :class:`_ComposedLater`)."""
    return property(lambda self: getattr(self._composed(), name))


class _ComposedLater(yaml.MappingNode):
    """The node tree of a JSON text read by :func:`_json_data`, composed by the YAML reader when first read.

    Only locating a problem, or reading an answer as it is written, reads it.
    """

    def __init__(self, text: str) -> None:  # noqa: D107 - no Node.__init__: its fields are read from the tree
        self._text = text
        self._tree: yaml.MappingNode | None = None

    def _composed(self) -> yaml.MappingNode:
        if self._tree is None:
            _, node, _ = parse_yaml(self._text, "<json>.yaml")
            self._tree = node if isinstance(node, yaml.MappingNode) else yaml.MappingNode("tag:yaml.org,2002:map", [])
        return self._tree

    value = _from_tree("value")
    start_mark = _from_tree("start_mark")
    end_mark = _from_tree("end_mark")
    tag = _from_tree("tag")
    flow_style = _from_tree("flow_style")


def _json_error(path: str, text: str) -> Issue | None:
    """A JSON syntax error in the JSON parser's words (nesting too deep for it is left to the YAML pass)."""
    try:
        json.loads(text.removeprefix("\ufeff"))  # a byte order mark is fine, as in YAML
    except json.JSONDecodeError as error:
        return Issue(SourceLocation(path, error.lineno, error.colno), "JSON", error.msg)
    except (ValueError, RecursionError):
        return None
    return None


def read_document(path: Path | str, model: type[M]) -> tuple[Document[M] | None, list[Issue]]:
    """Read and validate one file into ``model``; the document is None when it is invalid."""
    data, node, issues = read_yaml(path)
    if node is None and issues:
        return None, issues
    valid, problems = validate(model, data, node, str(path))
    return (Document(str(path), valid, node) if valid is not None else None), issues + problems


def validate(model: type[M], data: Any, node: yaml.Node | None, path: str) -> tuple[M | None, list[Issue]]:
    """Validate ``data`` into ``model``, every problem located through ``node``.

    A text field written as a number or a yes/no word takes the text as written in the
    file: ``version: 1.10`` is "1.10", not the float 1.1. ``data`` may be changed in place.
    """
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        errors = error.errors()
    written = Document(path, None, node).written if node is not None else None
    if text_where_wanted(data, errors, written):
        try:
            return model.model_validate(data), []
        except ValidationError as error:
            errors = error.errors()
    return None, issues_from_errors(path, node, errors, data)


def node_at(node: yaml.Node | None, keys: tuple[Key, ...]) -> yaml.Node | None:
    """The node at exactly ``keys``, or None when the path leads nowhere."""
    for part in keys:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def issues_from_errors(path: str, node: yaml.Node | None, errors: list[Any], data: Any = None) -> list[Issue]:
    """One issue per place in the file (pydantic's errors about the members of a union are merged).

    Without a node tree (plain data, not a file), the subjects come from ``data``.
    """
    merged: dict[tuple[SourceLocation, str], list[Any]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        found, keys = _walk(node, loc, want_key=False) if node is not None else (None, data_keys(data, loc))
        merged.setdefault((_location(path, found), subject_of(keys)), []).append(error)
    return [Issue(location, subject, pydantic_message(group)) for (location, subject), group in merged.items()]


def _walk(node: yaml.Node | None, keys: tuple[Key, ...], *, want_key: bool) -> tuple[yaml.Node | None, tuple[Key, ...]]:
    """Follow ``keys`` down the node tree as far as they go; parts that match nothing are skipped."""
    used: list[Key] = []
    current, key_node = node, None
    for n, part in enumerate(keys):
        if isinstance(current, yaml.MappingNode):
            match = _entry(current, part)
            if match and isinstance(match[1], yaml.ScalarNode) and n + 1 < len(keys) and _entry(current, keys[n + 1]):
                match = None  # a union's tag that happens to be a key here too (``question``)
            if match is None:
                if part == keys[-1] and isinstance(part, str):
                    used.append(part)  # a missing field: point at the mapping that lacks it
                continue
            key_node, current = match
            used.append(part)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            key_node, current = None, current.value[part]
            used.append(part)
    return (key_node if want_key and key_node is not None else current), tuple(used)


def _entry(mapping: yaml.MappingNode, part: Key) -> tuple[yaml.Node, yaml.Node] | None:
    return next(((k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)


def _location(path: str, node: yaml.Node | None) -> SourceLocation:
    if node is None:
        return SourceLocation(path)
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _duplicate_keys(path: str, node: yaml.Node | None) -> list[Issue]:
    """PyYAML keeps the last of two equal keys silently; report every repeat instead.

    A control character written as an escape (YAML ``"\\e"``, JSON ``"\\u001b"``) is
    reported here too, at the text that holds it: the raw text had none to find.
    Each node is visited once, however many aliases refer to it.
    """
    issues: list[Issue] = []
    stack = [node]
    visited: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, yaml.ScalarNode) and current.style:  # only a quoted scalar has escapes
            issues += _escaped_control(path, current)
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.style:
                    issues += _escaped_control(path, key)
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        issues.append(
                            Issue(
                                _location(path, key),
                                shorten(key.value, quote=False),
                                "appears twice in the same mapping",
                            )
                        )
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return issues
