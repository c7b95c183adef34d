"""Read YAML or JSON safely, remember where every value sits, and turn validation errors into Problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import N_, AdvisorError, Problem
from .encoding import read_text
from .messages import describe, hint, syntax_hint, syntax_message
from .yaml_types import TypedLoader

M = TypeVar("M", bound=BaseModel)
Loc = tuple[Any, ...]


@dataclass
class Source:
    """A parsed file: its data and the (line, column) of every key and value, by path."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]]

    def where(self, loc: Iterable[Any]) -> tuple[int | None, int | None]:
        """The position of ``loc``, or of its nearest ancestor that we know."""
        key = tuple(loc)
        while True:
            if key in self.positions:
                return self.positions[key]
            if not key:
                return None, None
            key = key[:-1]

    def problem(self, loc: Iterable[Any], message: str, hint: str | None = None) -> Problem:
        loc = tuple(loc)
        line, col = self.where(loc)
        return Problem(self.path, message, line=line, column=col, field=dotted(loc) or None, hint=hint)


def dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, loc: Loc, positions: dict[Loc, tuple[int, int]]) -> None:
    positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.tag.endswith(":int"):
                try:
                    key = int(key)
                except ValueError:
                    pass
            positions[loc + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, loc + (key,), positions)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), positions)


class _DuplicateKey(Exception):
    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(message)
        self.message, self.mark = message, mark


class _UniqueKeyLoader(TypedLoader):
    """SafeLoader that refuses duplicate keys: a repeated criterion must not silently replace the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _DuplicateKey(N_("duplicate key {key!r} (first given on line {line})", key=key, line=first),
                                    key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def parse(path: Path | str, text: str | None = None) -> Source:
    """Parse a YAML or JSON file (JSON is YAML) into a Source; bad syntax is an AdvisorError."""
    name = str(path)
    if text is None:
        try:
            text = read_text(name, path)
        except FileNotFoundError:
            raise AdvisorError.single(name, N_("file not found"), hint=N_("check the path")) from None
        except IsADirectoryError:
            raise AdvisorError.single(name, N_("is a folder, expected a file")) from None
        except OSError as exc:
            raise AdvisorError.single(name, N_("cannot read the file: {reason}", reason=exc.strerror or str(exc)),
                                      hint=N_("check the path and the permissions")) from None
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _DuplicateKey as exc:
        raise AdvisorError.single(name, exc.message, line=exc.mark.line + 1, column=exc.mark.column + 1,
                                  hint=N_("give each key once; remove or rename one of them")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AdvisorError.single(
            name, syntax_message(name, str(exc.problem or exc.context)),
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint=syntax_hint(name, str(exc.problem or exc.context))) from None
    except yaml.YAMLError as exc:
        raise AdvisorError.single(name, syntax_message(name, str(exc))) from None
    finally:
        loader.dispose()
    positions: dict[Loc, tuple[int, int]] = {}
    if node is not None:
        _walk(node, (), positions)
    return Source(name, data, positions)


def clean_loc(loc: Loc, data: Any) -> Loc:
    """Map pydantic's error path to a path in the data, dropping the union-branch tags it inserts
    (a tag such as 'criterion' can also be a real key, so look one step ahead)."""
    out: list[Any] = []
    node = data
    parts = ["not" if p == "not_" else p for p in loc]
    for i, part in enumerate(parts):
        following = parts[i + 1] if i + 1 < len(parts) else None
        is_tag = isinstance(node, dict) and following is not None and following in node and not (
            isinstance(node.get(part), (dict, list)))
        if isinstance(node, dict) and part in node and not is_tag:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.isidentifier() and part == parts[-1]:
            pass  # a missing field: name it
        else:
            continue  # a branch tag such as 'float' or 'Entry'
        out.append(part)
    return tuple(out)


def validate(source: Source, model: type[M]) -> M:
    """Validate a parsed file against its model; every error becomes a located Problem."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        problems = []
        seen: set[tuple[Loc, str]] = set()
        for err in exc.errors():
            message = describe(err)
            loc = clean_loc(tuple(err["loc"]), source.data)
            if (loc, message) in seen:
                continue
            seen.add((loc, message))
            problems.append(source.problem(loc, message, hint=hint(err)))
        raise AdvisorError(problems) from None
