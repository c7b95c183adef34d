"""Plain files are composed by libyaml and built in one walk (the fast way a large knowledge base is read): data
of the same types, positions and every message are those of the usual readers, which still read anything else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.errors import AdvisorError
from advisor.kb import sourcefile as sf

from .test_sourcefile_libyaml import FILES, ROOT, SAMPLE


def typed(value: Any) -> Any:
    """``value`` with every scalar's type: 1, 1.0 and True are equal in Python, not in a file."""
    if isinstance(value, dict):
        return [(typed(k), typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, value


def outcome(text: str, composed: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(sf, "_composed", sf._composed if composed else lambda text: None)
    try:
        source = sf.parse("x.yaml", text=text)
    except AdvisorError as exc:
        return [(p.message, p.line, p.column, p.field, p.hint) for p in exc.problems]
    except Exception as exc:   # noqa: BLE001 - a crash must be the same crash
        return type(exc).__name__, str(exc)
    return typed(source.data), [(typed(list(k)), v) for k, v in source.positions.items()]


REAL = sf._composed


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_is_composed_and_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    if path.is_relative_to(ROOT / "knowledge_base") or path.is_relative_to(ROOT / "rules"):
        assert REAL(text) is not None          # the knowledge base is read the fast way
    assert outcome(text, True, monkeypatch) == outcome(text, False, monkeypatch)


@pytest.mark.parametrize("text", [
    "a: &x [1, 2]\nb: *x\n",                       # an alias: one value in two places
    "a: &x 1\nb: *x\n",
    "base: &b {x: 1}\nthis:\n  <<: *b\n  y: 2\n",    # a merge key
    "a: !!str 5\nb: !!int '7'\nc: !!float 1\n",      # tags of the core types
    "a: !!binary aGVsbG8=\n", "a: !!set {x, y}\n", "a: !foo x\n", "a: !!int {b: 1}\n", "a: !!timestamp 2026-01-01\n",
    "a: 1\na: 2\n", "1: x\n1.0: y\n", "? [a]\n: b\n",   # duplicate and non-scalar keys
    "a: 0x1F\nb: 0o17\nc: 1_000\nd: 1:30\ne: .inf\nf: -.NaN\ng: 1e5\nh: 2026-13-45\ni: on\nj: ~\nk: ''\nl: \n",
    "on: 1\nno: 2\nnull: 3\n~: 4\n1: 5\n0x1F: 6\n1.5: 7\n",
    'a: "\\ud83d\\ude00"\nb: "\\udc80"\n',             # a pair of UTF-16 halves, and a lone one
    "a: " + "9" * 40 + "\n",                         # an over-long number
    "- " * 70 + "x\n", "a:\n" + "".join(" " * i + "- x\n" for i in range(1, 3)),
    "[" * 70 + "]" * 70, "a: [1, 2\n", "---\na: 1\n---\nb: 2\n", "", "# only a comment\n", "---\n", "x\n", "'x'\n",
    "a: \x07\n", "a:\tb\n", "a: b\ufeff\n", "\ufeffa: b\n", "{\"a\": 1, \"b\": [true, null, 2.5]}",
    "".join(f"k{i}: {i}\n" for i in range(5001)), "".join(f"- {i}\n" for i in range(10_001)),
])
def test_unusual_files_read_as_they_always_did(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert outcome(text, True, monkeypatch) == outcome(text, False, monkeypatch)


@pytest.mark.parametrize("text", ["a: &x [1]\nb: *x\n", "a: !!binary aGVsbG8=\n", "a: 1\na: 2\n", 'a: "\\udc80"\n',
                                  "".join(f"- {i}\n" for i in range(10_001))])
def test_what_is_not_plain_is_left_to_the_usual_readers(text: str) -> None:
    assert REAL(text) is None


def test_a_large_plain_file_is_composed() -> None:
    text = "".join(f"- id: R-{i}\n  when: {{criterion: a.b, score: {{at_most: {i % 5}.5}}}}\n  then: [W-{i}]\n"
                   for i in range(500))      # 7,000 values, within the limit of 10,000
    assert REAL(text) is not None


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE)), st.integers(0, 3),
                          st.sampled_from(["", ":", " ", "\n", "-", "[", "]", "{", "}", "'", '"', "&a", "*a", "#", "\t",
                                           "? ", "!!int ", "!!str ", "!!float ", "1e5", "on", "\x07", "é", "\\ud83d", "|",
                                           ">", "\r", "\x85", "\u2028", "\ufeff", "---\n", "...\n", "%YAML 1.1\n", "!foo ",
                                           "~", "0x1F", "1.0", "true", "<<: ", "2026-13-45", "- - - "])), max_size=4))
def test_damaged_files_read_the_same(edits: list[tuple[int, int, str]]) -> None:
    text = SAMPLE
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut:]
    with pytest.MonkeyPatch.context() as mp:
        assert outcome(text, True, mp) == outcome(text, False, mp)


def test_the_composed_reader_types_as_the_usual_ones() -> None:
    from advisor.kb.yaml_types import TypedLoader
    # _ComposedLoader skips the resolver's path resolvers, there being none
    assert not TypedLoader.yaml_path_resolvers and not sf._SafeLoader.yaml_path_resolvers
    assert sf._ComposedLoader.yaml_implicit_resolvers is TypedLoader.yaml_implicit_resolvers
