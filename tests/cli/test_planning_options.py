"""The planning options: bad values are refused with exit 2, and every planning command agrees with roadmap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import EXAMPLES, MINI, mini_assessment, run_cli, write_yaml


@pytest.mark.parametrize("capacity, message", [
    ({"fte": {"cdo": 0}}, "must be more than 0, got 0"),
    ({"fte": {"cdo": -1}}, "must be more than 0, got -1"),
    ({"concurrent": {"cdo": 0}}, "must be at least 1, got 0"),
    ({"fte": {"chief": 1}}, "unknown role 'chief'"),
    ({"fte": {"cdo": 1}, "concurrent": {"cdo": 2}}, "not both"),
    ({"budget": {"per_year": 0}}, "must be more than 0, got 0"),
    ({"budget": {"per_year": -5}}, "must be more than 0, got -5"),
    ({"budget": {"per_year": 10, "classes": {"hgh": 3}}}, "unknown cost class 'hgh'"),
    ({"budget": {"per_year": 10, "classes": {"high": -1}}}, "must be at least 0, got -1"),
    ({"budget": {"classes": {"high": 1}}}, "per_year"),
])
def test_bad_capacity_is_refused(tmp_path: Path, capacity: dict[str, Any], message: str) -> None:
    data = mini_assessment()
    data["capacity"] = capacity
    path = write_yaml(tmp_path / "a.yaml", data)
    out = run_cli("roadmap", path, "--kb", MINI, code=2).output
    assert message in out and "capacity" in out and "Traceback" not in out


@pytest.mark.parametrize("option", [["--horizon", "0"], ["--horizon", "-3"], ["--start", "2026-13"],
                                    ["--start", "2026-00"], ["--start", "May"], ["--max-per-stage", "0"]])
@pytest.mark.parametrize("command", ["roadmap", "next", "gap", "explain"])
def test_bad_planning_options_are_refused(tmp_path: Path, option: list[str], command: str) -> None:
    path = write_yaml(tmp_path / "a.yaml", mini_assessment())
    extra = ["STR-01"] if command == "explain" else []
    out = run_cli(command, path, *extra, "--kb", MINI, *option, code=2).output
    assert option[0] in out and "expected" in out


def test_capacity_from_the_assessment_is_used_and_stated(tmp_path: Path) -> None:
    data = mini_assessment()
    data["capacity"] = {"concurrent": {"cdo": 1}}
    path = write_yaml(tmp_path / "a.yaml", data)
    rm = json.loads(run_cli("roadmap", path, "--kb", MINI, "--format", "json").output)["roadmap"]
    cdo = next(c for c in rm["capacity"] if c["role"] == "cdo")
    assert cdo == {"role": "cdo", "fte": None, "concurrent": 1, "source": "assessment", "peak": 1.0,
                   "restored_fte": None, "restored_month": None, "restored_from": None, "restored_by": []}
    spans = sorted((i["start_month"], i["finish_month"]) for i in rm["items"] if i["owner"] == "cdo")
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))   # one at a time
    assert "1 at once" in run_cli("roadmap", path, "--kb", MINI).output


def agree(path: Path, opts: list[str], kb: list[str]) -> None:
    """roadmap, next, explain, gap and report, run with the same options, tell the same plan."""
    rm = json.loads(run_cli("roadmap", path, *kb, *opts, "--format", "json").output)
    items = {i["id"]: i for i in rm["roadmap"]["items"]}
    nxt = json.loads(run_cli("next", path, *kb, *opts, "--format", "json").output)["next"]
    assert nxt == rm["next"]
    assert {a["id"] for a in nxt["ready"]} == {a for a, i in items.items()
                                               if i["start_month"] == 0 and i["status"] != "in_progress"}
    gap = json.loads(run_cli("gap", path, *kb, *opts, "--format", "json").output)
    assert gap["gap"] == rm["roadmap"]["gap"] and gap["targets"] == rm["roadmap"]["targets"]
    for a in sorted(items)[:2]:
        ex = json.loads(run_cli("explain", path, a, *kb, *opts, "--format", "json").output)
        assert ex["plan"] == items[a]
    md = run_cli("roadmap", path, *kb, *opts, "--format", "md").output
    for i in items.values():
        assert f"`{i['id']}`" in md
    report = run_cli("report", path, *kb, *opts, "--format", "md", "-o", "-").output
    for i in items.values():
        assert f"`{i['id']}` " in report and f"| {i['start_month']}–{i['finish_month']} |" in report


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_command_agrees_on_the_examples(example: Path) -> None:
    agree(example, [], [])


def test_every_command_agrees_with_every_option(tmp_path: Path) -> None:
    agree(EXAMPLES[0], ["--target", "3", "--horizon", "18", "--start", "2027-01", "--max-per-stage", "4"], [])
    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    data["capacity"] = {"budget": {"per_year": 5}}
    agree(write_yaml(tmp_path / "budget.yaml", data), ["--horizon", "18"], [])


def test_budget_ceiling_is_kept_and_stated(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    data["capacity"] = {"budget": {"per_year": 40, "classes": {"low": 2, "medium": 6, "high": 18},
                                   "unit": "million tenge"}}
    path = write_yaml(tmp_path / "a.yaml", data)
    rm = json.loads(run_cli("roadmap", path, "--format", "json").output)["roadmap"]
    b = rm["budget"]
    assert b["per_year"] == 40 and not b["relative"] and b["classes"]["high"] == 18
    assert all(y["cost"] <= 40 + 1e-6 for y in b["years"] if not b["over"])
    assert sum(i["cost"] for i in rm["items"]) == pytest.approx(sum(y["cost"] for y in b["years"]), abs=0.01)
    assert "budget ceiling: 40 million tenge a year" in run_cli("roadmap", path).output
    plain = run_cli("roadmap", EXAMPLES[0], "--lang", "ru").output
    assert "не указан" in plain and "относительные уровни, а не денежные суммы" in plain


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scores=st.lists(st.sampled_from([1, 1.5, 2, 3, 4, 5]), min_size=8, max_size=8),
       target=st.one_of(st.none(), st.integers(1, 5)), horizon=st.one_of(st.none(), st.integers(1, 36)),
       per_stage=st.one_of(st.none(), st.integers(1, 3)), cdo=st.one_of(st.none(), st.sampled_from([0.25, 0.5, 2])),
       done=st.lists(st.sampled_from(["STR-01", "HUM-01", "TEC-01"]), unique=True),
       budget=st.one_of(st.none(), st.sampled_from([0.5, 2, 5])))
def test_every_command_agrees_on_generated_inputs(tmp_path_factory, scores, target, horizon, per_stage, cdo,
                                                  done, budget) -> None:
    folder = tmp_path_factory.mktemp("gen")
    keys = ["strategy.a", "strategy.b", "organisation.a", "organisation.b", "technology.a", "technology.b",
            "culture.a", "culture.b"]
    data = mini_assessment(**{k.replace(".", "__"): v for k, v in zip(keys, scores)})
    if cdo is not None or budget is not None:
        data["capacity"] = {"fte": {"cdo": cdo} if cdo is not None else {}}
        if budget is not None:
            data["capacity"]["budget"] = {"per_year": budget}
    path = write_yaml(folder / "a.yaml", data)
    progress = write_yaml(folder / "p.yaml", {"done": [{"action": a, "date": "2026-02-01"} for a in done]})
    opts = ["--progress", str(progress)]
    opts += ["--target", str(target)] if target else []
    opts += ["--horizon", str(horizon)] if horizon else []
    opts += ["--max-per-stage", str(per_stage)] if per_stage else []
    agree(path, opts, ["--kb", str(MINI)])


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_next_page_for_leadership(fmt: str, lang: str) -> None:
    ministry = next(p for p in EXAMPLES if p.stem == "republican-ministry")
    nxt = json.loads(run_cli("next", ministry, "--format", "json").output)["next"]
    page = run_cli("next", ministry, "--format", fmt, "--lang", lang).output
    for a in nxt["ready"]:
        assert a["id"] in page
    assert ("<!DOCTYPE html>" in page) == (fmt == "html") and "<script" not in page


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_compare_page(tmp_path: Path, fmt: str) -> None:
    old = write_yaml(tmp_path / "old.yaml", mini_assessment())
    later = mini_assessment(culture__a=3, strategy__a=4)
    later["date"] = "2026-09-01"
    new = write_yaml(tmp_path / "new.yaml", later)
    data = json.loads(run_cli("compare", old, new, "--kb", MINI, "--format", "json").output)["comparison"]
    page = run_cli("compare", old, new, "--kb", MINI, "--format", fmt, "--lang", "ru").output
    assert data["old_date"] in page and data["new_date"] in page and "Прогресс" in page
    assert all(f"`{a}`" in page or f">{a}<" in page for a in data["actions_completed"])
