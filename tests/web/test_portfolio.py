"""The portfolio pages: role × page × export (written out from the issue, independently of scoping.py), what a
coordinator sees, and what a policy analyst never sees (a group below the minimum size, a name, evidence)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import World
from tests.web.test_matrix import ROLES, call
from tests.web.test_matrix import world as world  # noqa: F401 - the module-wide world, rolled back per request

URLS = ["/portfolio/", "/portfolio/?government_level=local", "/portfolio/?sector=health&by=sector",
        "/portfolio/export/csv/", "/portfolio/export/xlsx/", "/portfolio/export/csv/?government_level=republican"]
EXPECTED = {"coordinator": 200, "analyst": 200}     # office members, leads, consultants: no portfolio


def names_and_evidence(w: World) -> list[str]:
    from advisor.web.assessments.models import Answer
    words = [s for b in w.bodies.values() for s in (b.slug, b.name_ru, b.name_en, b.name_kk)]
    evidence = [a.evidence for a in Answer.objects.filter(round__status="final") if len(a.evidence) > 12]
    return words + evidence[:40]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ROLES)
def test_portfolio_pages_and_exports_for_every_role(world: World, user: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.users[user])
    for url in URLS:
        status, text = call(client, "GET", url, {})
        assert status == EXPECTED.get(user, 403), f"{user} {url}: {status}"
        if user != "coordinator":
            leaks = [h for h in names_and_evidence(world) if h in text]
            assert not leaks, f"{user} {url}: {leaks[:3]}"
    assert call(client, "POST", "/portfolio/", {})[0] in (403, 405)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world: World) -> None:  # noqa: F811
    for url in URLS:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def cells(content: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8"))))
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coordinator_sees_every_body_its_link_date_and_exports(world: World, fmt: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.users["coordinator"])
    page = client.get("/portfolio/").content.decode()
    for key, body in world.bodies.items():
        assert f'href="/bodies/{body.slug}/"' in page and body.name_ru in page
        assert world.rounds[f"{key}-final"].assessed_on.isoformat() in page
    local = client.get("/portfolio/?government_level=local").content.decode()
    assert [b.slug in local for b in world.bodies.values()] == [b.government_level == "local" for b in world.bodies.values()]
    content = client.get(f"/portfolio/export/{fmt}/").content
    rows = cells(content, fmt)
    assert rows[0][:4] == ["rank", "id", "name", "date"] and sorted(r[1] for r in rows[1:]) == sorted(b.slug for b in world.bodies.values())
    if fmt == "xlsx":
        assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None


@pytest.mark.django_db
def test_a_formula_in_a_body_name_is_neutralised_in_the_exports(world: World) -> None:  # noqa: F811
    round_ = world.rounds["A-final"]
    body = world.bodies["A"]
    body.name_ru = "=HYPERLINK(\"http://x\")"
    body.save()
    round_.results.all().delete()   # recomputed from the new name
    client = Client()
    client.force_login(world.users["coordinator"])
    csv_rows = cells(client.get("/portfolio/export/csv/").content, "csv")
    assert any(r[2] == "'=HYPERLINK(\"http://x\")" for r in csv_rows)
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(client.get("/portfolio/export/xlsx/").content)).active
    name_cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert name_cells and all(c.data_type == "s" for c in name_cells)


@pytest.mark.django_db
def test_analyst_with_fewer_bodies_than_the_minimum_sees_nothing_hidden(world: World) -> None:  # noqa: F811
    """Two bodies, minimum 5: every group is hidden, and the page says so, with no count."""
    client = Client()
    client.force_login(world.users["analyst"])
    page = client.get("/portfolio/").content.decode()
    assert 'id="group-hidden"' in page and 'id="group-size"' not in page and 'id="breakdown-hidden"' in page
    assert "data-level=" not in page and "data-group=" not in page
    rows = cells(client.get("/portfolio/export/csv/").content, "csv")
    assert [r[0] for r in rows] == ["section", "filter", "by government_level"]
    assert all(not c.isdigit() for r in rows[1:] for c in r[2:])


@pytest.mark.django_db
def test_analyst_sees_aggregates_of_large_enough_groups(settings: Any, world: World) -> None:  # noqa: F811
    settings.ADVISOR_PORTFOLIO_MIN_GROUP = 1
    client = Client()
    client.force_login(world.users["analyst"])
    page = client.get("/portfolio/?by=government_level").content.decode()
    assert '<strong id="group-size">2</strong>' in page and page.count('data-group="') == 2
    assert not [h for h in names_and_evidence(world) if h in page]
    settings.ADVISOR_PORTFOLIO_MIN_GROUP = 2     # each government level holds one body: both hidden, the total shown
    page = client.get("/portfolio/").content.decode()
    assert '<strong id="group-size">2</strong>' in page and 'data-group="' not in page and 'id="breakdown-hidden"' in page
    page = client.get("/portfolio/?government_level=local").content.decode()  # one body, one left out
    assert 'id="group-hidden"' in page and 'id="group-size"' not in page


@pytest.mark.django_db
def test_two_final_rounds_of_a_body_are_one_row_with_the_trend(world: World) -> None:  # noqa: F811
    from advisor.web.assessments import services
    w = world
    second = w.rounds["A-submitted"]            # a copy of A's final round: raise one score, then finalise it
    answer = second.answers.get(criterion="strategy.monitoring")
    services.save_answer(second, "strategy.monitoring", {"score": 5, "not_applicable": False, "evidence": answer.evidence,
                                                         "method": answer.method}, answer.revision, w.users["lead-A"])
    services.finalise(second, w.users["lead-A"])
    client = Client()
    client.force_login(w.users["coordinator"])
    page = client.get("/portfolio/").content.decode()
    slug = w.bodies["A"].slug
    assert page.count(f'data-body="{slug}"') == 1
    trend = float(re.search(rf'data-body="{slug}".*?data-trend="([^"]+)"', page, re.S).group(1))  # type: ignore[union-attr]
    assert trend > 0 and "▲" in page
    rows = cells(client.get("/portfolio/export/csv/").content, "csv")
    row = next(r for r in rows if r[1] == slug)
    assert row[rows[0].index("rounds")] == "2" and row[rows[0].index("previous_date")] == w.rounds["A-final"].assessed_on.isoformat()


@pytest.mark.django_db
def test_the_analyst_home_page_links_the_portfolio_and_names_no_body(world: World) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.users["analyst"])
    home = client.get("/").content.decode()
    assert 'id="portfolio-link"' in home and not [h for h in names_and_evidence(world) if h in home]
    member = Client()
    member.force_login(world.users["member-A"])
    assert 'id="nav-portfolio"' not in member.get("/").content.decode()
