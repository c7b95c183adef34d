"""Read YAML or JSON safely, remember where every value sits, and turn validation errors into Problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import N_, AdvisorError, Problem
from .encoding import decode
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


#: Size limits (bytes). An assessment or a progress file is a few kilobytes (the examples 13-18 KB); the
#: largest shipped knowledge-base file about 55 KB. Anything far beyond is a mistake or an attack (docs/limits.md).
USER_FILE_LIMIT = 512 << 10
KB_FILE_LIMIT = 2 << 20
#: No legitimate file comes near these: the shipped knowledge base has at most 1,100 values and 11 levels per
#: file. They bound the pure-Python YAML reader's time (about 0.2 ms a value) and memory before a document is built.
MAX_NODES = 10_000
_LIBYAML = getattr(yaml, "__with_libyaml__", False)
#: half of a UTF-16 pair (searched for in every string: a regular expression, not a loop over the characters)
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 64
MAX_INT_DIGITS = 30
_DEEP_FLOW = re.compile(r"[\[{](?:\s*[\[{]){%d}" % MAX_DEPTH)


class _Refused(Exception):
    """A document we will not build: the message names what and where."""

    def __init__(self, message: str, mark: yaml.Mark | None, hint: str) -> None:
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


class _SafeLoader(TypedLoader):
    """SafeLoader hardened for files from anyone: duplicate keys, alias bombs, deep nesting, huge documents,
    non-scalar keys and over-long integers are refused with a position."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._values = 0                       # values of the document with every alias expanded
        self._depth = 0
        self._deepest = 0
        self._open: set[str] = set()           # anchors whose value is still being read
        self._size: dict[str, tuple[int, int]] = {}   # anchor -> (values, levels) of its value, expanded

    def _count(self, values: int, mark: yaml.Mark) -> None:
        self._values += values
        if self._values > MAX_NODES:
            raise _Refused(N_("the file has more than {count:,} values", count=MAX_NODES), mark,
                           N_("an assessment has a few hundred; check that this is the right file"))

    def _too_deep(self, levels: int, mark: yaml.Mark) -> None:
        if levels > MAX_DEPTH:
            raise _Refused(N_("nested deeper than {depth} levels", depth=MAX_DEPTH), mark,
                           N_("flatten the structure; no documented file nests this deep"))

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Aliases are allowed (PyYAML writes them for repeated objects) but counted as what they expand to, so
        a 'billion laughs' file is refused before it is built; an alias inside its own anchor is refused."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _Refused(N_("the alias *{anchor} is inside the value it refers to", anchor=event.anchor),
                               event.start_mark,
                               N_("an alias must refer to a value given before it, not to one that contains it"))
            values, levels = self._size.get(event.anchor, (1, 0))
            self._count(values, event.start_mark)
            self._too_deep(self._depth + levels, event.start_mark)
            self._deepest = max(self._deepest, self._depth + levels)
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call,no-any-return]
        anchor = getattr(event, "anchor", None)
        before, outer_deepest = self._values, self._deepest
        self._count(1, event.start_mark)
        self._depth += 1
        self._deepest = self._depth
        try:
            self._too_deep(self._depth, event.start_mark)
            if anchor is not None:
                self._open.add(anchor)
            node = super().compose_node(parent, index)  # type: ignore[no-untyped-call]
            if anchor is not None:
                self._open.discard(anchor)
                self._size[anchor] = (self._values - before, self._deepest - self._depth + 1)
            return node  # type: ignore[no-any-return]
        finally:
            self._depth -= 1
            self._deepest = max(outer_deepest, self._deepest)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(N_("a key must be a name or a number, not a list or a mapping"), key_node.start_mark,
                               N_("remove the '?' or the brackets around the key"))
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _Refused(N_("duplicate key {key!r} (first given on line {line})", key=key, line=first),
                               key_node.start_mark, N_("give each key once; remove or rename one of them"))
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if not isinstance(node, yaml.ScalarNode):   # ``!!int`` on a list or a mapping: refused, not a crash
            raise _Refused(N_("the tag !!int needs a single number, not a list or a mapping"), node.start_mark,
                           N_("remove the '!!int' tag"))
        if sum(ch.isdigit() for ch in node.value) > MAX_INT_DIGITS:
            raise _Refused(N_("a number of more than {digits} digits", digits=MAX_INT_DIGITS), node.start_mark,
                           N_("scores are from 1 to 5 and weights small numbers"))
        return super().construct_yaml_int(node)  # type: ignore[no-untyped-call,no-any-return]

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        return _join_surrogates(super().construct_yaml_str(node))  # type: ignore[no-untyped-call]


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _SafeLoader.construct_yaml_int)
_SafeLoader.add_constructor("tag:yaml.org,2002:str", _SafeLoader.construct_yaml_str)


class _FastLoader(_SafeLoader):
    """:class:`_SafeLoader` reading its events from libyaml: the same composer, checks, typing and positions,
    without the pure-Python scanner and parser (most of the time). A file libyaml or a check refuses is read
    again by :class:`_SafeLoader`, so that every message is the one it has always been."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)   # the Python reader still checks the text for control characters
        self._events = yaml.cyaml.CParser(stream)

    def check_event(self, *choices: Any) -> bool:
        return self._events.check_event(*choices)  # type: ignore[no-any-return]

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        return self._events.get_event()

    def dispose(self) -> None:
        self._events.dispose()
        super().dispose()  # type: ignore[no-untyped-call]


class _ComposedLoader(yaml.cyaml.CParser, _SafeLoader):  # type: ignore[misc]
    """libyaml composes the nodes (in C), calling back our resolver for every node: :class:`TypedLoader`'s
    typing, with its answers kept for the file (a file repeats its ids and numbers)."""

    def __init__(self, stream: str) -> None:
        yaml.cyaml.CParser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._tags: dict[tuple[str, bool], str] = {}

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        # TypedLoader's, without the walk over path resolvers, of which there are none (a test checks)
        self._composing_key = current_index is None and isinstance(current_node, yaml.MappingNode)

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        key = (value, self._composing_key)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


class _Unusual(Exception):
    """Something :func:`_composed` leaves to the usual readers (they read it, or say what is wrong)."""


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SCALARS = {tag: _SafeLoader.yaml_constructors[tag] for tag in
            ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")}


def _composed(text: str) -> tuple[Any, dict[Loc, tuple[int, int]]] | None:
    """The data and positions of a plain file composed by libyaml and built in one walk: mappings, lists and
    the scalars of YAML's core types, with no alias, no other tag, no duplicate key, no half of a UTF-16 pair,
    within the limits. None for any other text, which the usual readers then read, each message as it has
    always been. (Reading a large knowledge base was mostly the composer and constructor in Python.)"""
    if yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _ComposedLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    positions: dict[Loc, tuple[int, int]] = {}
    if node is None:
        return None, positions
    seen: set[int] = set()          # the nodes built: one met twice is an alias
    typed: dict[tuple[str, str], Any] = {}
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def scalar(node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.tag == _STR:
            if _SURROGATE.search(value):
                raise _Unusual
            return value
        key = (node.tag, value)
        if key not in typed:
            construct = _SCALARS.get(node.tag)
            if construct is None:
                raise _Unusual
            try:
                typed[key] = construct(loader, node)
            except _Refused:
                raise _Unusual from None
        return typed[key]

    def build(node: yaml.Node, loc: Loc, depth: int) -> Any:
        if depth > MAX_DEPTH or id(node) in seen or len(seen) >= MAX_NODES:
            raise _Unusual
        seen.add(id(node))
        mark = node.start_mark
        positions.setdefault(loc, (mark.line + 1, mark.column + 1))
        kind = type(node)
        if kind is scalar_node:
            return scalar(node)
        if kind is mapping_node and node.tag == _MAP:
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not scalar_node or depth >= MAX_DEPTH or id(key_node) in seen \
                        or len(seen) >= MAX_NODES:
                    raise _Unusual
                seen.add(id(key_node))
                key = scalar(key_node)
                if key in out:
                    raise _Unusual
                at = key_node.value     # positions are keyed as _walk keys them
                if key_node.tag.endswith(":int"):
                    try:
                        at = int(at)
                    except ValueError:
                        pass
                mark = key_node.start_mark
                positions[loc + (at,)] = (mark.line + 1, mark.column + 1)
                out[key] = build(value_node, loc + (at,), depth + 1)
            return out
        if kind is sequence_node and node.tag == _SEQ:
            return [build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        raise _Unusual

    try:
        return build(node, (), 1), positions
    except _Unusual:
        return None


def _join_surrogates(text: str) -> str:
    """JSON writes an emoji as an escaped surrogate pair ("\\ud83d\\ude00"), which YAML decodes as two halves:
    join them into the character. A lone half stays, for :func:`_lone_surrogates` to report with its field."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return text


def _lone_surrogates(source: "Source") -> list[Problem]:
    """Text no output could hold: a lone UTF-16 surrogate (``"\\udc80"``) would crash writing the report."""
    problems: list[Problem] = []

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found is not None:
                bad = found.group()
                problems.append(source.problem(
                    loc, N_("holds {char}, half of a character pair, which is not text (a lone UTF-16 surrogate)",
                            char="\\u%04x" % ord(bad)), hint=N_("write the character itself, or remove it")))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k, loc)
                walk(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, loc + (i,))

    walk(source.data, ())
    return problems


def read_bytes(path: Path | str, limit: int) -> bytes:
    """A file's bytes, refusing one bigger than ``limit`` before reading it all (a device or a pipe too)."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise AdvisorError.single(name, N_("file not found"), hint=N_("check the path")) from None
    except IsADirectoryError:
        raise AdvisorError.single(name, N_("is a folder, expected a file")) from None
    except OSError as exc:
        raise AdvisorError.single(name, N_("cannot read the file: {reason}", reason=exc.strerror or str(exc)),
                                  hint=N_("check the path and the permissions")) from None
    if len(data) > limit:
        raise AdvisorError.single(name, N_("larger than the limit of {size}", size=_size(limit)),
                                  hint=N_("check that this is the right file; the limits are in docs/limits.md"))
    return data


def read_text(path: Path | str, limit: int) -> str:
    """A file's text (UTF-8, or UTF-16/32 with a byte-order mark), at most ``limit`` bytes."""
    return decode(str(path), read_bytes(path, limit))


def _size(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n >> 10} KB"


def parse(path: Path | str, text: str | None = None, limit: int = USER_FILE_LIMIT) -> Source:
    """Parse a YAML or JSON file (JSON is YAML) into a Source; bad syntax is an AdvisorError."""
    name = str(path)
    if text is None:
        text = read_text(path, limit)
    elif len(text) > limit:
        raise AdvisorError.single(name, N_("larger than the limit of {size}", size=_size(limit)),
                                  hint=N_("check that this is the right file; the limits are in docs/limits.md"))
    # 65 brackets at least for the pattern to match (a search over the text costs as much as reading it)
    deep = _DEEP_FLOW.search(text) if text.count("[") + text.count("{") > MAX_DEPTH else None
    if deep is not None:  # found before the scanner, which looks ahead over every open bracket
        line = text.count("\n", 0, deep.start()) + 1
        raise AdvisorError.single(name, N_("nested deeper than {depth} levels", depth=MAX_DEPTH), line=line,
                                  hint=N_("flatten the structure; no documented file nests this deep"))
    # what libyaml reads otherwise than the pure-Python reader (a tab in a plain value, which only libyaml accepts; a
    # byte-order mark after the start, which libyaml skips and the Python reader keeps as text): such a text is read
    # by the pure-Python reader alone, so that it reads (or is refused) as it always was
    fast = _LIBYAML and "\t" not in text and text.find("\ufeff", 1) < 0
    composed = _composed(text) if fast else None
    if composed is not None:
        return Source(name, *composed)     # holds no half of a pair: _composed leaves such a text to the others
    loader: _SafeLoader | None = None
    try:
        try:
            loader = _FastLoader(text) if fast else _SafeLoader(text)
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except (_Refused, yaml.YAMLError):
            if not isinstance(loader, _FastLoader):
                raise
            loader.dispose()
            loader = _SafeLoader(text)
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        mark = exc.mark
        raise AdvisorError.single(name, exc.message, line=mark.line + 1 if mark else None,
                                  column=mark.column + 1 if mark else None, hint=exc.hint) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise AdvisorError.single(name, N_("the file holds a control character (U+{code:04X})", code=exc.character),
                                  line=line, column=column, hint=N_("remove it; it is invisible in most editors")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AdvisorError.single(
            name, syntax_message(name, str(exc.problem or exc.context)),
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint=syntax_hint(name, str(exc.problem or exc.context))) from None
    except yaml.YAMLError as exc:
        raise AdvisorError.single(name, syntax_message(name, str(exc))) from None
    finally:
        if loader is not None:
            loader.dispose()
    positions: dict[Loc, tuple[int, int]] = {}
    if node is not None:
        _walk(node, (), positions)
    source = Source(name, data, positions)
    problems = _lone_surrogates(source)
    if problems:
        raise AdvisorError(problems)
    return source


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
