"""The project office's staffing: optional context that sets the office's default capacity and finds an
understaffed office; bad figures are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import Assessment

from ..conftest import ROOT, run_cli, write_yaml

FINDING = "W-ORG-OFFICE-UNDERSTAFFED"


def akimat(staffing: dict | None, capacity: dict | None = None) -> dict:
    data = yaml.safe_load((ROOT / "examples" / "local-akimat.yaml").read_text(encoding="utf-8"))
    data.pop("capacity", None)
    data.pop("staffing", None)
    if staffing is not None:
        data["staffing"] = staffing
    if capacity is not None:
        data["capacity"] = capacity
    return data


def office(rm) -> tuple[float, str]:
    c = next(c for c in rm.capacity if c.role == "project_office_head")
    return c.fte, c.source


def plan(kb, data: dict):
    ev = api.evaluate(Assessment.model_validate(data), kb)
    return ev, api.roadmap(ev, kb)


def test_the_office_time_follows_posts_filled_and_other_duties(kb) -> None:
    full, source = office(plan(kb, akimat(None))[1])
    assert source == "profile"
    assert office(plan(kb, akimat({"posts": 4, "filled": 4}))[1]) == (full, "staffing")
    assert office(plan(kb, akimat({"posts": 4, "filled": 2}))[1]) == (round(full / 2, 3), "staffing")
    share = kb.planning.capacity.additional_duties_share
    assert office(plan(kb, akimat({"posts": 4, "filled": 2, "additional_duties": True}))[1])[0] == round(full / 2 * share, 3)
    # never below the office's coordination share, so its actions still get scheduled
    ev, rm = plan(kb, akimat({"posts": 5, "filled": 0}))
    assert office(rm)[0] == kb.planning.coordination.fte and rm.items
    # the assessment's own figure for the role wins
    assert office(plan(kb, akimat({"posts": 4, "filled": 1}, {"fte": {"project_office_head": 2}}))[1]) == (2, "assessment")


@settings(max_examples=40, deadline=None)
@given(posts=st.integers(1, 40), data=st.data())
def test_the_finding_is_made_exactly_when_fewer_than_half_the_posts_are_filled(kb, posts: int, data) -> None:
    filled = data.draw(st.integers(0, posts))
    ev, _ = plan(kb, akimat({"posts": posts, "filled": filled, "additional_duties": False}))
    found = {x for w in ev.findings.weaknesses for x in [w.id, *w.merged]}
    assert (FINDING in found) == (2 * filled < posts)


def test_the_plan_says_the_office_time_was_scaled(kb) -> None:
    ev, rm = plan(kb, akimat({"posts": 6, "filled": 2, "additional_duties": True}))
    md = api.render_report(ev, rm, kb, "ru", "md")
    assert "время самого проектного офиса уменьшено по доле заполненных должностей" in md
    assert "в проектном офисе заполнено меньше половины штатных должностей" in md
    assert "сотрудники проектного офиса совмещают работу с другими обязанностями" in md
    assert "understaffed" not in md and "office_staffing" not in md


@pytest.mark.parametrize("staffing, message", [
    ({"posts": 3, "filled": 5}, "filled cannot exceed posts"),
    ({"posts": 0, "filled": 0}, "posts"),
    ({"posts": "six", "filled": 2}, "posts"),
])
def test_bad_staffing_figures_are_bad_input(tmp_path: Path, staffing: dict, message: str) -> None:
    out = run_cli("assess", write_yaml(tmp_path / "a.yaml", akimat(staffing)), code=2).output
    assert message in out and "staffing" in out and "Traceback" not in out
