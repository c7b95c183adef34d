"""The YAML/JSON reader against hostile and odd files: every one a located message, never a crash or a blow-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.errors import AdvisorError
from advisor.kb import loading
from advisor.kb.sourcefile import MAX_DEPTH, MAX_NODES, USER_FILE_LIMIT, parse

from ..conftest import MINI, mini_assessment, run_cli, write_yaml


def refused(text: str, name: str = "f.yaml") -> AdvisorError:
    with pytest.raises(AdvisorError) as exc:
        parse(name, text)
    return exc.value


@pytest.mark.parametrize("text, message, line", [
    ("a: &x [*x]\n", "the alias *x is inside the value it refers to", 1),    # was a RecursionError
    ("a: &x {b: [*x]}\n", "the alias *x is inside the value it refers to", 1),
    ("? [a, b]\n: 1\n", "a key must be a name or a number", 1),        # was TypeError: unhashable type
    ("{? {a: 1} : 1}", "a key must be a name or a number", 1),
    ("a: 1\nb: x\x00y\n", "control character (U+0000)", 2),             # was a reader error outside the handling
    ('{"name": "x\u009by"}', "control character (U+009B)", 1),           # raw C1 in JSON: was a traceback
    ("w: " + "9" * 5000, "more than 30 digits", 1),                      # was ValueError (int max str digits)
    ('{"name": "half \\ud83d"}', "lone UTF-16 surrogate", 1),
    ("body: !!int\n  name: x\n", "the tag !!int needs a single number", 1),    # was AttributeError
    ("w: !!int [1, 2]\n", "the tag !!int needs a single number", 1),
])
def test_hostile_constructs_are_located_messages(text: str, message: str, line: int) -> None:
    err = refused(text)
    [p] = err.problems
    assert message in p.message and p.line == line and p.hint


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30"])
def test_impossible_dates_stay_text_for_the_models_to_refuse(date: str) -> None:
    """YAML's own date conversion would raise outside any validation; the models say what is wrong, with the field."""
    assert parse("f.yaml", f"date: {date}\n").data == {"date": date}


@pytest.mark.parametrize("text", [
    "[" * 600 + "]" * 600,                                   # was a RecursionError at ~490 levels
    "".join("  " * i + "k:\n" for i in range(MAX_DEPTH + 5)),
    '{"a": ' * 1000 + "1" + "}" * 1000,
    "[a, " * 2000,
])
def test_nesting_is_capped(text: str) -> None:
    assert f"nested deeper than {MAX_DEPTH} levels" in str(refused(text))


def test_nesting_up_to_the_cap_is_read() -> None:
    depth = MAX_DEPTH - 1
    assert parse("f.yaml", "[" * depth + "]" * depth).data is not None


def test_billion_laughs_is_refused_before_expansion() -> None:
    from ..hostile.corpus import billion_laughs
    assert f"more than {MAX_NODES:,} values" in str(refused(billion_laughs(9)))
    assert "nested deeper than 64 levels" in str(
        refused("a: &x " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*x" + "]" * 30))


def test_aliases_pyyaml_writes_for_repeated_objects_are_read() -> None:
    import yaml
    text = {"kk": "а", "ru": "б", "en": "c"}
    dumped = yaml.safe_dump({"name": text, "title": text, "list": [text, text]})
    assert "*id001" in dumped
    assert parse("f.yaml", dumped).data["list"][1] == text


def test_a_huge_flow_list_stops_at_the_node_cap() -> None:
    err = refused("[" + "1, " * (MAX_NODES + 10) + "1]")
    assert f"more than {MAX_NODES:,} values" in str(err)


def test_files_over_the_size_limit_are_refused_without_reading_them_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * USER_FILE_LIMIT)
    err = pytest.raises(AdvisorError, parse, path).value
    assert "larger than the limit of 512 KB" in str(err)


def test_an_escaped_surrogate_pair_is_the_character(tmp_path: Path, mini) -> None:
    """json.dumps writes an emoji as \\ud83d\\ude00: in the name (was refused) and the evidence (crashed `report`)."""
    data = mini_assessment()
    data["organisation"]["name"] = "Орган 😀"
    data["scores"]["strategy.a"] = {"score": 2, "evidence": "смайл 😀"}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")    # ensure_ascii: surrogate pairs
    assert "\\ud83d\\ude00" in path.read_text()
    a = loading.load_assessment(path, mini)
    assert a.organisation.name == "Орган 😀" and a.scores["strategy.a"].evidence == "смайл 😀"
    out = tmp_path / "r.html"
    run_cli("report", path, "--kb", MINI, "-o", out)
    assert "😀" in out.read_text(encoding="utf-8")


def test_cli_gives_exit_2_and_a_message_for_each(tmp_path: Path) -> None:
    for i, text in enumerate(["? [a, b]\n: 1\n", "a: 1\x00\n", "a: &x [*x]\n", "[" * 1000, "n: " + "1" * 5000]):
        path = tmp_path / f"{i}.yaml"
        path.write_text(text, encoding="utf-8")
        result = run_cli("assess", path, "--kb", MINI, code=2)
        assert "Traceback" not in result.output and str(path) in result.output


def test_an_ordinary_assessment_still_loads(tmp_path: Path, mini) -> None:
    path = write_yaml(tmp_path / "a.yaml", mini_assessment())
    assert loading.load_assessment(path, mini).organisation.id == "t1"
