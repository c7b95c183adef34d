"""Bounded fuzzing of every loader a user's file reaches: whatever the bytes, the only exception is AdvisorError.

A few hundred cases per loader per run; ADVISOR_FUZZ_EXAMPLES=5000 for a longer hunt."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.errors import AdvisorError
from advisor.io import spreadsheet
from advisor.kb import loading
from advisor.kb.sourcefile import parse, validate
from advisor.models.kb import RulesFile

from ..conftest import MINI, mini_assessment

EXAMPLES = int(os.environ.get("ADVISOR_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("ADVISOR_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])

KB = api.load_kb(MINI)
WORK = Path(tempfile.mkdtemp(prefix="advisor-fuzz-"))

# every kind of scalar a YAML or JSON file can hold, the awkward ones included
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**40, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, 5e-324, 0.0]),
    st.text(max_size=30),
    st.sampled_from(["n/a", "NA", "2026-13-45", "2026-02-30", "01.05.2026", "1e308", "-0", ".inf", "~", "3,5",
                     "\x1b[2J", "\u009b", "\ud83d", "<script>", "=1+1", "", " ", "\u202e"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=12)


def serialise(data: Any, how: int) -> str:
    if how == 0:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if how == 1:
        return json.dumps(data, ensure_ascii=True, default=str)   # surrogate pairs and \u escapes, as json writes
    return json.dumps(data, ensure_ascii=False, default=str)


def replace_at(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with the node picked by ``path`` (indices into keys or items) replaced by ``value``."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    if isinstance(data, dict):
        key = list(data)[path[0] % len(data)]
        return {**data, key: replace_at(data[key], path[1:], value)}
    i = path[0] % len(data)
    return data[:i] + [replace_at(data[i], path[1:], value)] + data[i + 1:]


def text_mutation(text: str, cuts: list[tuple[int, int, str]]) -> str:
    for pos, length, insert in cuts:
        pos %= len(text) + 1
        text = text[:pos] + insert + text[pos + length:]
    return text


mutations = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 8),
                               st.text(max_size=6) | st.sampled_from(["&a", "*a", "? ", "[", "{", "\x00", "\t", ": ", "- ", "!!"])),
                     max_size=4)


def load_only_advisor_errors(load: Any, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        load(path)
    except AdvisorError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


BASE_ASSESSMENT = {**mini_assessment(), "weights": {"strategy": 1, "organisation": 1, "technology": 1, "culture": 1}}
BASE_PROGRESS = {"organisation": "t1", "done": [{"action": "STR-01", "date": "2026-02-01"}],
                 "in_progress": [{"action": "TEC-01"}]}


@FUZZ
@given(path=st.lists(st.integers(0, 50), max_size=4), value=values, how=st.integers(0, 2), cuts=mutations)
def test_assessment_loader(path: list[int], value: Any, how: int, cuts: list[tuple[int, int, str]]) -> None:
    text = text_mutation(serialise(replace_at(BASE_ASSESSMENT, path, value), how), cuts)
    load_only_advisor_errors(lambda p: api.evaluate(loading.load_assessment(p, KB), KB), WORK / "a.yaml", _encode(text))


@FUZZ
@given(path=st.lists(st.integers(0, 50), max_size=4), value=values, how=st.integers(0, 2), cuts=mutations)
def test_progress_loader(path: list[int], value: Any, how: int, cuts: list[tuple[int, int, str]]) -> None:
    text = text_mutation(serialise(replace_at(BASE_PROGRESS, path, value), how), cuts)
    load_only_advisor_errors(lambda p: loading.load_progress(p, KB), WORK / "p.yaml", _encode(text))


RULES = yaml.safe_load((MINI / "rules" / "all.yaml").read_text(encoding="utf-8"))


@FUZZ
@given(path=st.lists(st.integers(0, 50), max_size=6), value=values, how=st.integers(0, 2), cuts=mutations)
def test_rule_file_reader(path: list[int], value: Any, how: int, cuts: list[tuple[int, int, str]]) -> None:
    """The rule language: parse, validate, and expand every condition (the engine's input)."""
    from advisor.engine import conditions
    text = text_mutation(serialise(replace_at(RULES, path, value), how), cuts)

    def load(p: Path) -> None:
        rules = validate(parse(p), RulesFile)
        for r in rules.rules:
            try:
                conditions.alternatives(r.when)
            except conditions.TooComplex:
                pass
    load_only_advisor_errors(load, WORK / "r.yaml", _encode(text))


_KB_COPY = WORK / "kb"
shutil.copytree(MINI, _KB_COPY)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 10))
@given(path=st.lists(st.integers(0, 50), max_size=6), value=values)
def test_whole_knowledge_base_with_a_fuzzed_rule_file(path: list[int], value: Any) -> None:
    """Cross-checks too (references, cycles): a tenth of the cases, as each loads a whole knowledge base."""
    (_KB_COPY / "rules" / "all.yaml").write_text(serialise(replace_at(RULES, path, value), 0), encoding="utf-8")
    try:
        api.load_kb(_KB_COPY)
    except AdvisorError as exc:
        assert exc.problems


HEADER = spreadsheet.columns(KB)
GOOD_ROW = ["Орган", "o1", "republican", "health", "centralised", "2026-03-01", "A"] + ["3"] * (len(HEADER) - 7)
cells = st.one_of(st.text(max_size=12), st.sampled_from(["n/a", "3,5", "=1+1", '"', '""', ";", ",", "\r\n", "\x00", "9" * 400]),
                  st.floats(allow_nan=True, allow_infinity=True).map(str))


@FUZZ
@given(rows=st.lists(st.lists(cells, max_size=len(HEADER) + 3), max_size=4), sep=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16", "latin-1"]), cuts=mutations)
def test_csv_reader(rows: list[list[str]], sep: str, encoding: str, cuts: list[tuple[int, int, str]]) -> None:
    text = "\n".join(sep.join(r) for r in [HEADER, GOOD_ROW, *rows]) + "\n"
    text = text_mutation(text, cuts)
    load_only_advisor_errors(lambda p: spreadsheet.read(p, KB), WORK / "s.csv", text.encode(encoding, "replace"))


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER)
    ws.append(GOOD_ROW[:7] + [3.0] * (len(HEADER) - 7))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


WORKBOOK = _workbook()
XML_BITS = ['<c r="ZZZ9"><v>1</v></c>', '<c r="A1" t="s"><v>99</v></c>', '<f>1+1</f>', 't="e"', 't="b"', 't="d"', "<v>x</v>",
            '<row r="0">', '<row r="99999999">', "<!DOCTYPE x>", "&amp;", "&bogus;", "</c>", "<is><t>x</t></is>", 'r="A"']


@FUZZ
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 12), st.sampled_from(XML_BITS) | st.text(max_size=5)),
                     max_size=4), part=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
                                                        "xl/_rels/workbook.xml.rels", "[zip]"]))
def test_xlsx_reader(cuts: list[tuple[int, int, str]], part: str) -> None:
    if part == "[zip]":
        data = _encode(text_mutation(WORKBOOK.decode("latin-1"), cuts)).decode("utf-8", "surrogateescape").encode("latin-1", "replace")
    else:
        src = zipfile.ZipFile(io.BytesIO(WORKBOOK))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in src.namelist():
                body = src.read(name)
                if name == part:
                    body = _encode(text_mutation(body.decode("utf-8"), cuts))
                dst.writestr(name, body)
        data = buf.getvalue()
    load_only_advisor_errors(lambda p: spreadsheet.read(p, KB), WORK / "s.xlsx", data)
