"""Class tests: every loader and every single-body command turns bad dates, odd keys, odd encodings and
odd numbers into a located message (exit 2), in the user's language, never a traceback or library text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import api

from ..conftest import MINI, mini_assessment, run_cli, write_yaml

RAW_LIBRARY_TEXT = ["Input should", "String should", "Value error", "codec can't", "Keys should", "Traceback",
                    "validation error"]
COMMANDS = ["assess", "explain", "roadmap", "next", "report", "compare"]


def call(command: str, path: Path, tmp_path: Path) -> list[str]:
    good = write_yaml(tmp_path / "good.yaml", {**mini_assessment(), "date": "2025-01-01"})
    extra = {"explain": [path, "STR-01"], "compare": [good, path], "report": [path, "-o", tmp_path / "r.html"]}
    return [command, *extra.get(command, [path]), "--kb", MINI]


def assert_message(output: str, *expected: str) -> None:
    assert output.startswith(("error: ", "ошибка: ", "қате: ")), output
    for word in RAW_LIBRARY_TEXT:
        assert word not in output, output
    for word in expected:
        assert word in output, output


def yaml_with_date(tmp_path: Path, date: str) -> Path:
    path = tmp_path / "a.yaml"
    text = yaml.safe_dump(mini_assessment(), allow_unicode=True).replace("date: '2026-01-10'", f"date: {date}")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "01.05.2026", "2026-1-5x", "yesterday", "0", "1735689600"])
def test_impossible_dates_in_every_command(command: str, date: str, tmp_path: Path) -> None:
    out = run_cli(*call(command, yaml_with_date(tmp_path, date), tmp_path), code=2).output
    assert_message(out, ":", "date: expected a date written as YYYY-MM-DD")


def test_dotted_date_gets_its_iso_form_as_hint(tmp_path: Path) -> None:
    out = run_cli("assess", yaml_with_date(tmp_path, "01.05.2026"), "--kb", MINI, code=2).output
    assert "write 01.05.2026 as 2026-05-01" in out


@pytest.mark.parametrize("where", ["done", "in_progress"])
@pytest.mark.parametrize("command", ["roadmap", "next", "report"])
def test_impossible_dates_in_a_progress_file(where: str, command: str, tmp_path: Path) -> None:
    key = "date" if where == "done" else "since"
    progress = tmp_path / "p.yaml"
    progress.write_text(f"{where}:\n  - action: HUM-01\n    {key}: 2026-02-30\n", encoding="utf-8")
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    extra = ["-o", tmp_path / "r.html"] if command == "report" else []
    out = run_cli(command, a, "--progress", progress, "--kb", MINI, *extra, code=2).output
    assert_message(out, "p.yaml:3:", f"{where}[0].{key}")


def test_impossible_date_in_a_spreadsheet_and_json(tmp_path: Path) -> None:
    data = mini_assessment()
    data["date"] = "2026-13-45"
    j = tmp_path / "a.json"
    j.write_text(json.dumps(data), encoding="utf-8")
    assert_message(run_cli("assess", j, "--kb", MINI, code=2).output, "date: expected a date")


@pytest.mark.parametrize("lang,words", [("ru", "ожидалась дата"), ("kk", "күн күтілді"), ("en", "expected a date")])
def test_messages_follow_lang(lang: str, words: str, tmp_path: Path) -> None:
    out = run_cli("assess", yaml_with_date(tmp_path, "2026-13-45"), "--kb", MINI, "--lang", lang, code=2).output
    assert_message(out, words)


ODD = {
    "id with a space": (lambda d: d["organisation"].update(id="t 1"), "organisation.id: expected an id"),
    "score in words": (lambda d: d["scores"].update({"strategy.a": "three"}),
                       "expected a score from 1 to 5, 'n/a', or a mapping"),
    "empty organisation": (lambda d: d.update(organisation=None), "organisation: expected a mapping"),
    "score as a list": (lambda d: d["scores"].update({"strategy.a": [3]}), "scores.strategy.a"),
    "office type": (lambda d: d["organisation"].update(office_type="mixed"),
                    "expected one of 'centralised' or 'decentralised'"),
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_messages_in_words_not_library_text(case: str, tmp_path: Path) -> None:
    change, expected = ODD[case]
    data = mini_assessment()
    change(data)
    out = run_cli("assess", write_yaml(tmp_path / "a.yaml", data), "--kb", MINI, code=2).output
    assert_message(out, expected)
    assert out.count("got 'three'") <= 1


def test_empty_progress_file_says_what_is_expected(tmp_path: Path) -> None:
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    (tmp_path / "p.yaml").write_text("", encoding="utf-8")
    out = run_cli("next", a, "--progress", tmp_path / "p.yaml", "--kb", MINI, code=2).output
    assert_message(out, "expected a mapping", "empty")


@pytest.mark.parametrize("key", ["on", "yes", "no", "null", "~", "true"])
def test_yaml_11_keys_stay_text(key: str, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    text = yaml.safe_dump(mini_assessment(), allow_unicode=True).replace("organisation:\n", f"organisation:\n  {key}: 1\n", 1)
    path.write_text(text, encoding="utf-8")
    out = run_cli("assess", path, "--kb", MINI, code=2).output
    assert_message(out, "unknown field")


def test_number_and_bool_keys_are_not_one_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    text = yaml.safe_dump(mini_assessment(), allow_unicode=True).replace("scores:\n", "scores:\n  1: 3\n  on: 2\n", 1)
    path.write_text(text, encoding="utf-8")
    out = run_cli("assess", path, "--kb", MINI, code=2).output
    assert "duplicate" not in out and "unknown criterion 'on'" not in out or "scores[1]" in out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_unicode_encodings_with_a_bom_are_read(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(yaml.safe_dump(mini_assessment(), allow_unicode=True).encode(encoding))
    assert "Тест органы" in run_cli("assess", path, "--kb", MINI).output


def test_windows_1251_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(yaml.safe_dump(mini_assessment(), allow_unicode=True).encode("cp1251"))
    out = run_cli("assess", path, "--kb", MINI, code=2).output
    assert_message(out, "not UTF-8 text", "Windows-1251")
    assert "a.yaml:" in out and ":" in out.split("a.yaml:")[1]


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_weights_must_be_finite(value: str, tmp_path: Path, mini) -> None:
    path = tmp_path / "a.yaml"
    weights = "".join(f"  {d}: {value}\n" for d in mini.dimensions)
    path.write_text(yaml.safe_dump(mini_assessment(), allow_unicode=True).replace("scores:\n", f"weights:\n{weights}scores:\n"),
                    encoding="utf-8")
    assert_message(run_cli("assess", path, "--kb", MINI, code=2).output, "weights.", "expected a finite number")


def test_huge_weights_give_the_same_scores_as_small_ones(tmp_path: Path, mini) -> None:
    def overall(weight: float) -> object:
        data = {**mini_assessment(), "weights": {d: weight * (i + 1) for i, d in enumerate(mini.dimensions)}}
        j = tmp_path / "w.json"
        j.write_text(json.dumps(data), encoding="utf-8")
        return json.loads(run_cli("assess", j, "--kb", MINI, "--format", "json").output)["scores"]["overall_score"]
    assert overall(1e307) == overall(1.0) != 0.0


@pytest.mark.parametrize("number", ["25e-1", "2.5E0", "+2.5e+0", ".25e1"])
def test_exponent_numbers_are_numbers_as_in_json(number: str, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(mini_assessment(), allow_unicode=True).replace("strategy.a: 2\n", f"strategy.a: {number}\n"),
                    encoding="utf-8")
    out = json.loads(run_cli("assess", path, "--kb", MINI, "--format", "json").output)
    assert next(c for c in out["scores"]["criteria"] if c["id"] == "strategy.a")["score"] == 2.5


def test_long_form_score_na_is_not_applicable(tmp_path: Path) -> None:
    data = mini_assessment(organisation__b={"score": "n/a", "evidence": "no project office yet"})
    out = json.loads(run_cli("assess", write_yaml(tmp_path / "a.yaml", data), "--kb", MINI, "--format", "json").output)
    crit = next(c for c in out["scores"]["criteria"] if c["id"] == "organisation.b")
    assert crit["status"] == "not_applicable" and crit["evidence"] == "no project office yet"


@pytest.mark.parametrize("command", ["assess", "report", "roadmap"])
def test_lone_surrogate_is_refused_where_it_is(command: str, tmp_path: Path) -> None:
    data = mini_assessment(strategy__a={"score": 2, "evidence": "ok \udc80 here"})
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")   # json.dumps writes it as the escape \\udc80
    extra = ["-o", tmp_path / "r.html"] if command == "report" else []
    out = run_cli(command, path, "--kb", MINI, *extra, code=2).output
    assert_message(out, "scores.strategy.a.evidence", "\\udc80")
    assert not (tmp_path / "r.html").exists()


def test_every_model_error_text_is_translatable() -> None:
    """advisor/models cannot import our message templates: each ValueError text it raises must be in the table."""
    import ast

    from advisor.kb.messages import MODEL_ERRORS
    root = Path(api.__file__).parent / "models"
    raised = set()
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and getattr(node.exc.func, "id", "") == "ValueError":
                arg = node.exc.args[0]
                assert isinstance(arg, ast.Constant), f"{path.name}:{node.lineno}: raise ValueError with a plain text"
                raised.add(arg.value)
    assert raised and raised <= set(MODEL_ERRORS)


@pytest.mark.parametrize("which", ["assessment", "progress", "rule cases", "spreadsheet"])
def test_a_link_to_dev_zero_is_refused_not_read_forever(which: str, tmp_path: Path) -> None:
    zero = tmp_path / ("zero.csv" if which == "spreadsheet" else "zero.yaml")
    zero.symlink_to("/dev/zero")
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    args = {"assessment": ["assess", zero], "spreadsheet": ["assess", zero], "progress": ["next", a, "--progress", zero],
            "rule cases": ["rules", "test", zero]}[which]
    out = run_cli(*args, "--kb", MINI, code=2).output
    assert_message(out, "zero.")
    assert "larger than the limit of" in out or "not a regular file" in out


def test_read_only_output_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.io import output
    target = tmp_path / "r.txt"
    target.write_text("keep")
    real = output.os.access
    # as root every file is writable: pretend the output is not
    monkeypatch.setattr(output.os, "access",
                        lambda p, mode: real(p, mode) and not (str(p) == str(target) and mode & output.os.W_OK))
    out = run_cli("assess", write_yaml(tmp_path / "a.yaml", mini_assessment()), "--kb", MINI, "-o", target, code=2).output
    assert "read-only" in out and target.read_text() == "keep"


JSONISH = st.recursive(st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False)
                       | st.text(max_size=12) | st.sampled_from(["n/a", "2026-02-30", "01.05.2026", "x y", "три"]),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                       max_leaves=6)
FIELDS = [("organisation",), ("organisation", "id"), ("organisation", "sector"), ("organisation", "office_type"),
          ("date",), ("assessor",), ("scores",), ("scores", "strategy.a"), ("scores", "strategy.a", "score"),
          ("scores", "strategy.a", "method"), ("weights",), ("extra",)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(FIELDS), value=JSONISH)
def test_any_odd_value_anywhere_gives_words_not_library_text(where: tuple[str, ...], value: object, mini,
                                                             tmp_path: Path) -> None:
    """Whatever a user writes in any field: either it is valid, or every problem is a located message in
    words (no pydantic or codec text) -- never another exception."""
    from advisor.errors import AdvisorError
    from advisor.io.inputs import load_assessment
    data = mini_assessment(strategy__a={"score": 2, "evidence": "e"})
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        load_assessment(path, mini)
    except AdvisorError as exc:
        for p in exc.problems:
            assert not any(word in str(p) for word in RAW_LIBRARY_TEXT), str(p)
            assert p.file == str(path)
