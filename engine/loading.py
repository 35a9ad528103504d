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

from .errors import Issue, SourceLocation

M = TypeVar("M", bound=BaseModel)
Key = str | int

_PACKAGE_DIR = Path(__file__).resolve().parent


class _SafeLoader(yaml.SafeLoader):
    """The safe loader, leaving dates as text so that the models check them with a location.

    (PyYAML's own date constructor raises a bare ValueError, without a line, on 2026-13-01.)
    """


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    try:
        return Document(str(path), model.model_validate(data), node), issues
    except ValidationError as error:
        return None, issues + [issue_from_error(str(path), node, item) for item in error.errors()]


def subject_of(keys: tuple[Key, ...]) -> str:
    """``('rules', 1, 'when')`` -> ``rules[1].when``."""
    text = ""
    for part in keys:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def issue_from_error(path: str, node: yaml.Node | None, error: Any) -> Issue:
    found, keys = _walk(node, tuple(error["loc"]), want_key=False)
    last = str(error["loc"][-1]) if error["loc"] else ""
    kind = error["type"]
    if kind == "missing":
        message = f"'{last}' is required"
    elif kind == "extra_forbidden":
        message = f"unknown field '{last}'"
    else:
        message = re.sub(r"^(Value|Assertion) error, ", "", error["msg"])
        value = error.get("input")
        if not isinstance(value, (dict, list)):
            message += f" (got {value!r})"
    return Issue(_location(path, found), subject_of(keys), message)


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
