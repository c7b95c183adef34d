"""The project office's staffing: optional context that sets the office's default capacity and finds an
understaffed office; bad figures are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import Assessment, Progress

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


# --- the office's time once the action that staffs it is done ------------------------------------------------


def office_capacity(rm):
    return next(c for c in rm.capacity if c.role == "project_office_head")


def office_load(kb, rm) -> dict[int, float]:
    load: dict[int, float] = {}
    for i in rm.items:
        for m in range(i.start_month, i.finish_month):
            own = i.load if i.owner == "project_office_head" else 0.0
            load[m] = load.get(m, 0.0) + own + (kb.planning.coordination.fte if "project_office_head" in i.support else 0.0)
    return load


def test_the_office_time_is_restored_from_the_month_the_staffing_action_finishes(kb) -> None:
    full = office(plan(kb, akimat(None))[1])[0]
    ev, rm = plan(kb, akimat({"posts": 5, "filled": 2}))
    c = office_capacity(rm)
    restoring = {i.id: i for i in rm.items if i.id in kb.planning.capacity.restored_by}
    assert c.restored_by == kb.planning.capacity.restored_by == ["ORG-22"] and set(restoring) == {"ORG-22"}
    assert c.fte < c.restored_fte == full
    assert c.restored_month == restoring["ORG-22"].finish_month
    assert c.restored_from == f"{2026 + (4 + c.restored_month) // 12}-{(4 + c.restored_month) % 12 + 1:02d}"  # from 2026-05
    load = office_load(kb, rm)
    assert all(v <= c.fte + 1e-9 for m, v in load.items() if m < c.restored_month)
    assert all(v <= c.restored_fte + 1e-9 for v in load.values())
    # the office uses the time it gains: the plan is shorter than with the scaled time all along
    assert max(v for m, v in load.items() if m >= c.restored_month) > c.fte
    # the staffing action is planned early, whatever the target
    assert restoring["ORG-22"].start_month == 0


def test_a_staffing_action_done_restores_the_office_time_from_month_0(kb) -> None:
    ev, _ = plan(kb, akimat({"posts": 5, "filled": 2}))
    rm = api.roadmap(ev, kb, Progress.model_validate({"done": [{"action": "ORG-22", "date": "2026-05-01"}]}))
    c = office_capacity(rm)
    assert "ORG-22" not in {i.id for i in rm.items} and c.restored_month == 0 and c.restored_from == "2026-05"
    assert max(office_load(kb, rm).values()) > c.fte


def test_a_staffing_action_in_progress_restores_the_office_time_when_the_plan_finishes_it(kb) -> None:
    ev, _ = plan(kb, akimat({"posts": 5, "filled": 2}))
    rm = api.roadmap(ev, kb, Progress.model_validate({"in_progress": [{"action": "ORG-22", "since": "2026-04-01"}]}))
    item = next(i for i in rm.items if i.id == "ORG-22")
    assert item.status == "in_progress" and item.start_month == 0
    assert office_capacity(rm).restored_month == item.finish_month


def test_a_capacity_the_assessment_states_stays_as_stated(kb) -> None:
    ev, rm = plan(kb, akimat({"posts": 5, "filled": 2}, {"fte": {"project_office_head": 0.3}}))
    c = office_capacity(rm)
    assert (c.fte, c.source, c.restored_fte, c.restored_month, c.restored_by) == (0.3, "assessment", None, None, [])
    assert all(v <= 0.3 + 1e-9 for v in office_load(kb, rm).values())


@pytest.mark.parametrize("staffing", [None, {"posts": 4, "filled": 4, "additional_duties": False}])
def test_no_step_without_a_capacity_scaled_down(kb, staffing) -> None:
    c = office_capacity(plan(kb, akimat(staffing))[1])
    assert (c.restored_fte, c.restored_month, c.restored_from, c.restored_by) == (None, None, None, [])


def test_no_step_when_nothing_in_the_plan_staffs_the_office(kb) -> None:
    # three of four posts filled: the office's time is scaled, but no finding asks to staff it
    ev, rm = plan(kb, akimat({"posts": 4, "filled": 3, "additional_duties": False}))
    c = office_capacity(rm)
    assert c.fte < office(plan(kb, akimat(None))[1])[0] and c.restored_fte is None and c.restored_month is None
    assert "ORG-22" not in {i.id for i in rm.items}


STEP = {"en": "(1 FTE from month 4, 2026-09, once “Staff the project office” is done)",
        "ru": "(1 шт. ед. с месяца 4, 2026-09, после завершения мероприятия «Укомплектование проектного офиса сотрудниками»)",
        "kk": "(4-айдан бастап, 2026-09, «Жобалық кеңсені қызметкерлермен жасақтау» іс-шарасы аяқталған соң — 1 штат бірлігі)"}
WAIT = {"en": "until month 4, when “Staff the project office” is done",
        "ru": "до месяца 4, когда завершится мероприятие «Укомплектование проектного офиса сотрудниками»",
        "kk": "4-айға дейін «Жобалық кеңсе басшысы» ресурсын күтеді, "
              "сол кезде «Жобалық кеңсені қызметкерлермен жасақтау» іс-шарасы аяқталады"}
DONE = {"en": "Head of the project office 1 FTE (“Staff the project office” is done)",
        "ru": "Руководитель проектного офиса 1 шт. ед. (мероприятие «Укомплектование проектного офиса сотрудниками» выполнено)",
        "kk": "Жобалық кеңсе басшысы 1 штат бірлігі («Жобалық кеңсені қызметкерлермен жасақтау» іс-шарасы орындалды)"}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_output_says_when_the_office_time_is_restored_and_why_an_action_waits_until_then(kb, lang: str) -> None:
    ev, rm = plan(kb, akimat({"posts": 5, "filled": 1}))
    c = office_capacity(rm)
    assert (c.restored_fte, c.restored_month, c.restored_from) == (1.0, 4, "2026-09")
    waiting = next(i for i in rm.items if i.waits == "capacity" and i.start_month == 4)
    assert waiting.waits_for == ["project_office_head"]
    outputs = {fmt: api.render_report(ev, rm, kb, lang, fmt) for fmt in ("md", "html")}
    outputs["text"] = api.render_text("roadmap", lang, kb, ev=ev, rm=rm)
    for fmt, out in outputs.items():
        assert STEP[lang] in out.replace("&#34;", '"'), fmt
        assert WAIT[lang] in out, fmt
    done = api.roadmap(ev, kb, Progress.model_validate({"done": [{"action": "ORG-22", "date": "2026-05-01"}]}))
    assert DONE[lang] in api.render_report(ev, done, kb, lang, "md")


@settings(max_examples=25, deadline=None)
@given(posts=st.integers(1, 12), data=st.data(), duties=st.sampled_from([None, False, True]),
       progress=st.sampled_from(["none", "done", "in_progress"]))
def test_the_office_is_never_over_its_capacity_of_the_month(kb, posts: int, data, duties, progress: str) -> None:
    filled = data.draw(st.integers(0, posts))
    ev, _ = plan(kb, akimat({"posts": posts, "filled": filled, "additional_duties": duties}))
    record = {"none": {}, "done": {"done": [{"action": "ORG-22", "date": "2026-05-01"}]},
              "in_progress": {"in_progress": [{"action": "ORG-22"}]}}[progress]
    rm = api.roadmap(ev, kb, Progress.model_validate(record))
    c = office_capacity(rm)
    load = office_load(kb, rm)
    finish = next((i.finish_month for i in rm.items if i.id == "ORG-22"), None)
    if c.restored_month is None:
        assert all(v <= c.fte + 1e-9 for v in load.values())
    else:
        # the restored capacity from the staffing action's finish (month 0 when done), never before
        assert c.restored_month == (0 if progress == "done" else finish)
        assert all(v <= (c.restored_fte if m >= c.restored_month else c.fte) + 1e-9 for m, v in load.items())
