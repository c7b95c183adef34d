"""Outcomes in the portfolio: a coordinator sees each body's latest figures in a column per indicator and the
maturity-vs-outcome charts the CLI's portfolio draws (the library's ``scatters``); a policy analyst sees only
the mean of an indicator over a group large enough, never one body's figure."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from advisor.web.assessments import services
from tests.web.conftest import World
from tests.web.test_outcomes import later_round
from tests.web.test_portfolio import cells, names_and_evidence

B_FIGURES = {"projects_on_time": {"value": 60, "unit": "percent", "period": "2025", "source": "Отчёт акимата"},
             "citizen_satisfaction": {"value": 4.5, "unit": "score_5", "period": "2025", "source": "Опрос"}}


def client_of(world: World, user: str) -> Client:
    c = Client()
    c.force_login(world.users[user])
    return c


def with_figures(world: World) -> None:
    """B's final round reports two figures (a stored result is recomputed from them, as the import would)."""
    final = world.rounds["B-final"]
    final.outcomes = B_FIGURES
    final.save()


@pytest.mark.django_db
def test_the_coordinator_sees_a_column_per_reported_indicator_and_the_charts_of_the_cli(world: World) -> None:
    from advisor import api
    with_figures(world)
    page = client_of(world, "coordinator").get("/portfolio/").content.decode()
    k = services.kb()
    heads = re.findall(r'<th class="num outcome" data-indicator="([^"]+)">', page)
    assert heads == ["projects_on_time", "citizen_satisfaction"]    # reported ones only, in the knowledge base's order
    a, b = world.bodies["A"].slug, world.bodies["B"].slug
    row_a = page[page.index(f'<tr data-body="{a}">'):].split("</tr>")[0]
    row_b = page[page.index(f'<tr data-body="{b}">'):].split("</tr>")[0]
    assert "48\xa0%" in row_a and "71\xa0%" in row_a and "60\xa0%" in row_b and "4,5 балл (1–5)" in row_b and "2025" in row_b
    # the charts are the library's: one per indicator and unit some body reports, one point per body
    p = api.portfolio_of_assessments([(r.body.slug, services.assessment(r)) for r in (world.rounds["A-final"], world.rounds["B-final"])], k)
    want = {(sc.indicator, sc.unit): sorted(d.key for d in sc.chart.dots) for sc in p.scatters(k)}
    section = page[page.index('<section id="outcome-scatters">'):].split("</section>")[0]
    shown = {}
    for fig in section.split("<figure")[1:]:
        key = re.search(r'data-indicator="([^"]+)" data-unit="([^"]+)"', fig).groups()  # type: ignore[union-attr]
        shown[key] = sorted(re.findall(r'data-body="([^"]+)"', fig))
    assert shown == want
    assert set(shown) == {("projects_on_time", "percent"), ("citizen_satisfaction", "percent"), ("citizen_satisfaction", "score_5")}
    assert len(shown[("projects_on_time", "percent")]) == 2


@pytest.mark.django_db
def test_the_coordinators_export_has_each_bodys_figures_with_unit_and_period(world: World) -> None:
    with_figures(world)
    rows = cells(client_of(world, "coordinator").get("/portfolio/export/csv/").content, "csv")
    head = rows[0]
    assert head[-6:] == ["projects_on_time_value", "projects_on_time_unit", "projects_on_time_period",
                         "citizen_satisfaction_value", "citizen_satisfaction_unit", "citizen_satisfaction_period"]
    by_id = {r[1]: dict(zip(head, r)) for r in rows[1:]}
    b = by_id[world.bodies["B"].slug]
    assert (b["citizen_satisfaction_value"], b["citizen_satisfaction_unit"], b["citizen_satisfaction_period"]) == ("4.5", "score_5", "2025")
    assert by_id[world.bodies["A"].slug]["projects_on_time_value"] == "48.0"


@pytest.mark.django_db
def test_the_latest_round_gives_the_figures(world: World) -> None:
    later_round(world, {"projects_on_time": {"value": 55, "unit": "percent", "period": "2026", "source": "Отчёт 2026"}})
    page = client_of(world, "coordinator").get("/portfolio/").content.decode()
    row = page[page.index(f'<tr data-body="{world.bodies["A"].slug}">'):].split("</tr>")[0]
    assert "55\xa0%" in row and "2026" in row and "48\xa0%" not in row


@pytest.mark.django_db
def test_the_analyst_sees_means_of_large_enough_groups_only(settings: Any, world: World) -> None:
    with_figures(world)
    c = client_of(world, "analyst")
    settings.ADVISOR_PORTFOLIO_MIN_GROUP = 2
    page = c.get("/portfolio/").content.decode()
    table = page[page.index('id="outcome-means"'):].split("</table>")[0]
    assert len(re.findall(r"<tr data-indicator", table)) == sum(len(i.units) for i in services.kb().indicators().values())
    on_time = table[table.index('data-indicator="projects_on_time" data-unit="percent"'):].split("</tr>")[0]
    assert '<td class="num">2</td><td class="num">54</td>' in on_time            # (48 + 60) / 2, from both bodies
    for oid, unit in (("citizen_satisfaction", "percent"), ("citizen_satisfaction", "score_5"), ("results_published", "percent")):
        cell = table[table.index(f'data-indicator="{oid}" data-unit="{unit}"'):].split("</tr>")[0]
        assert "hidden-outcome" in cell, (oid, unit)                              # one body or none reports it
    assert "scatter" not in page and "data-body=" not in page
    for figure in ("48", "60", "71", "4.5"):
        assert f'<td class="num">{figure}</td>' not in table
    assert not [h for h in names_and_evidence(world) if h in page]
    export = cells(c.get("/portfolio/export/csv/").content, "csv")
    outcome_rows = [r for r in export if r[0] == "outcome"]
    assert ["outcome", "projects_on_time (percent)", "2", "54.0"] in outcome_rows
    assert all(r[2].startswith("скрыто") or r[1] == "projects_on_time (percent)" for r in outcome_rows)
    # a filtered group of one body leaves one out: hidden, and so are its outcomes
    page = c.get("/portfolio/?government_level=local").content.decode()
    assert 'id="group-hidden"' in page and 'id="outcome-means"' not in page
    settings.ADVISOR_PORTFOLIO_MIN_GROUP = 3
    page = c.get("/portfolio/").content.decode()
    assert 'id="outcome-means"' not in page                                       # two bodies: the group itself is hidden
