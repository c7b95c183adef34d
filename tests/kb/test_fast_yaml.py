"""The libyaml fast path of sourcefile.parse gives exactly what the pure-Python loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.errors import AdvisorError
from advisor.kb import sourcefile
from advisor.kb.sourcefile import Source

from ..conftest import ROOT

pytestmark = pytest.mark.skipif(sourcefile._FastLoader is None, reason="PyYAML without libyaml")


def slow(text: str) -> tuple[object, dict]:
    loader = sourcefile._UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    positions: dict = {}
    if node is not None:
        sourcefile._walk(node, (), positions)
    return data, positions


def fast(text: str) -> tuple[object, dict]:
    source = sourcefile._fast_parse("x", text)
    assert source is not None
    return source.data, source.positions


SHIPPED = sorted([*ROOT.glob("knowledge_base/**/*.yaml"), *ROOT.glob("rules/**/*.yaml"), *ROOT.glob("examples/*.yaml")])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_files_parse_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert fast(text) == slow(text)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12))
keys = st.one_of(st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=8), st.integers())
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans(), st.sampled_from([None, False, True]), st.sampled_from([2, 4]))
def test_any_document_parses_the_same(data: object, unicode: bool, flow: bool | None, indent: int) -> None:
    text = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow, indent=indent, sort_keys=False)
    assert fast(text) == slow(text)


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "a: [1, 2\n", "a: b: c\n", "- x\ny: 1\n", "a: *nothing\n"])
def test_a_broken_file_gets_the_pure_python_message(text: str) -> None:
    """The fast path never words an error: the message, line and column are the pure-Python loader's."""
    with pytest.raises(AdvisorError) as fast_error:
        sourcefile.parse("f.yaml", text)
    try:
        slow(text)
    except (yaml.YAMLError, Exception) as exc:   # the loader's own exception, before parse() words it
        expected = exc
    else:
        pytest.fail("the pure-Python loader accepted it")
    problem = fast_error.value.problems[0]
    mark = getattr(expected, "problem_mark", None) or getattr(expected, "mark", None)
    assert mark is not None and (problem.line, problem.column) == (mark.line + 1, mark.column + 1)
    assert isinstance(sourcefile.parse("ok.yaml", "a: 1\n"), Source)
