"""Read YAML safely in one pass and validate it into models, keeping every line number.

Every problem becomes an :class:`~engine.errors.Issue` located at the YAML node it is
about, so a user sees ``rules/trust.yaml:12:9: rules[1].when.question: ...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Issue, Key, SourceLocation, data_keys, pydantic_message, subject_of
from .models import text_where_wanted

M = TypeVar("M", bound=BaseModel)

_PACKAGE_DIR = Path(__file__).resolve().parent


class _SafeLoader(yaml.SafeLoader):
    """The safe loader, leaving dates as text so that the models check them with a location.

    (PyYAML's own date constructor raises a bare ValueError, without a line, on 2026-13-01.)
    """


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


def bundled_path(name: str) -> Path:
    """The bundled folder ``name`` (rules, questionnaires, reports, examples).

    An installed wheel carries them in ``engine/_bundled``; a source checkout has them
    beside the package.
    """
    inside = _PACKAGE_DIR / "_bundled" / name
    return inside if inside.exists() else _PACKAGE_DIR.parent / name


@dataclass(frozen=True)
class Document(Generic[M]):
    """A validated file: its model and the YAML node tree it came from."""

    path: str
    model: M
    node: yaml.Node | None

    def locate(self, *keys: Key, key: bool = False) -> SourceLocation:
        """The location of the node at ``keys`` (or of its mapping key, with ``key=True``)."""
        return _location(self.path, _walk(self.node, keys, want_key=key)[0])

    def written(self, keys: tuple[Key, ...]) -> str | None:
        """The text of the plain (unquoted) scalar at ``keys`` exactly as written, or None."""
        found = node_at(self.node, keys)
        return found.value if isinstance(found, yaml.ScalarNode) and found.style is None else None

    def issue(
        self, keys: tuple[Key, ...], subject: str, message: str, *, key: bool = False, warning: bool = False
    ) -> Issue:
        """An issue located at ``keys`` in this file."""
        return Issue(self.locate(*keys, key=key), subject, message, "warning" if warning else "error")


def read_yaml(path: Path | str) -> tuple[Any, yaml.Node | None, list[Issue]]:
    """Parse ``path`` with the safe loader, returning data, node tree and problems.

    The node is None when the file could not be parsed at all.
    """
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None, [Issue(SourceLocation(shown), "file", "no such file")]
    except (OSError, UnicodeDecodeError) as error:
        return None, None, [Issue(SourceLocation(shown), "file", f"cannot be read ({error})")]
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, yaml.Node | None, list[Issue]]:
    """Parse YAML (or JSON) ``text``, locating problems in a file called ``shown``."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = SourceLocation(shown, mark.line + 1, mark.column + 1) if mark else SourceLocation(shown)
        return None, None, [Issue(where, "YAML", f"{error.problem or error.context}")]
    except (yaml.YAMLError, ValueError, TypeError) as error:
        return None, None, [Issue(SourceLocation(shown), "YAML", f"cannot be read ({error})")]
    finally:
        loader.dispose()
    return data, node, _duplicate_keys(shown, node)


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
    for part in keys:
        if isinstance(current, yaml.MappingNode):
            match = next(
                ((k, v) for k, v in current.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None
            )
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


def _location(path: str, node: yaml.Node | None) -> SourceLocation:
    if node is None:
        return SourceLocation(path)
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _duplicate_keys(path: str, node: yaml.Node | None) -> list[Issue]:
    """PyYAML keeps the last of two equal keys silently; report every repeat instead."""
    issues: list[Issue] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        issues.append(Issue(_location(path, key), str(key.value), "appears twice in the same mapping"))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return issues
