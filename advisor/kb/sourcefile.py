"""Read YAML or JSON safely, remember where every value sits, and turn validation errors into Problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import AdvisorError, Problem

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
        self.mark = mark


class _UniqueKeys:
    """Refuses duplicate keys: a repeated criterion must not silently replace the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _DuplicateKey(f"duplicate key {key!r} (first given on line {first})", key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc, no-any-return]


class _UniqueKeyLoader(_UniqueKeys, yaml.SafeLoader):
    """The pure-Python loader: its messages are the ones users see for a broken file."""


#: libyaml's parser, about 15 times faster; used first, and any failure falls back to the pure-Python
#: loader, so every error (and its message) is the one that loader gives
_FastLoader: Any = type("_FastLoader", (_UniqueKeys, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else None


def parse(path: Path | str, text: str | None = None) -> Source:
    """Parse a YAML or JSON file (JSON is YAML) into a Source; bad syntax is an AdvisorError."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise AdvisorError.single(name, "file not found", hint="check the path") from None
        except IsADirectoryError:
            raise AdvisorError.single(name, "is a folder, expected a file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise AdvisorError.single(name, f"cannot read the file: {exc}", hint="it must be UTF-8 text") from None
    fast = _fast_parse(name, text)
    if fast is not None:
        return fast
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _DuplicateKey as exc:
        raise AdvisorError.single(name, str(exc), line=exc.mark.line + 1, column=exc.mark.column + 1,
                                  hint="give each key once; remove or rename one of them") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AdvisorError.single(
            name, f"invalid YAML: {exc.problem or exc.context}",
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint="check indentation and quoting on this line") from None
    except yaml.YAMLError as exc:
        raise AdvisorError.single(name, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    positions: dict[Loc, tuple[int, int]] = {}
    if node is not None:
        _walk(node, (), positions)
    return Source(name, data, positions)


def _fast_parse(name: str, text: str) -> Source | None:
    """The same Source through libyaml; None whenever it does not succeed."""
    if _FastLoader is None:
        return None
    try:
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        positions: dict[Loc, tuple[int, int]] = {}
        if node is not None:
            _walk(node, (), positions)
    except Exception:  # noqa: BLE001 - any failure: the pure-Python loader parses again and words the error
        return None
    return Source(name, data, positions)


def _describe(err: Any) -> str:
    """Pydantic's error in words a policy analyst reads."""
    kind = err["type"]
    given = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind in {"float_type", "int_type", "float_parsing", "int_parsing"}:
        return f"expected a number, got {given!r}"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return f"{err['msg'].lower()}, got {given!r}"
    if "input" in err and not isinstance(given, (dict, list)):
        return f"{err['msg']} (got {given!r})"
    return str(err["msg"])


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
            message = _describe(err)
            loc = clean_loc(tuple(err["loc"]), source.data)
            if (loc, message) in seen:
                continue
            seen.add((loc, message))
            problems.append(source.problem(loc, message, hint=_hint(err)))
        raise AdvisorError(problems) from None


def _hint(err: Any) -> str | None:
    kind = err["type"]
    if kind in {"float_type", "float_parsing"} and isinstance(err.get("input"), str):
        return "write the number without quotes, e.g. 3 or 2.5"
    if kind == "extra_forbidden":
        return "remove it or check its spelling against the documented fields"
    if kind == "union_tag_invalid" or kind == "condition":
        return "see docs/rules.md for the condition language"
    return None


