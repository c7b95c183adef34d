"""The portfolio in headless Chromium: a coordinator filters and opens a body; a policy analyst sees aggregates,
never a group below the minimum size, a body's name or its evidence. Browser fixtures of test_browser.py.

ADVISOR_SCREENSHOTS=/some/dir saves both pages at desktop and phone (390 px) widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import CHROMIUM, SHOTS, browser, sign_in, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")
ROOT = Path(__file__).resolve().parents[2]
#: five more republican bodies and four more local ones: 6 republican, 5 local, 3 of them in health
EXTRA = ["health-body", "republican-ministry", "mature-agency", "health-body", "republican-ministry",
         "local-akimat", "local-akimat", "local-akimat", "local-akimat"]


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def add_bodies(world: Any) -> list[Any]:  # noqa: F811 - the fixture's value
    """More bodies with a final round each, through the services users go through."""
    from advisor.web.assessments import services
    from advisor.web.bodies.models import Body
    user = world.users["coordinator"]
    added = []
    for i, example in enumerate(EXTRA):
        text = (ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8")
        a = services.api.read_assessment_upload(f"{example}.yaml", text.encode(), services.kb())
        slug = f"extra-{i}-{a.organisation.id}"
        o = a.organisation
        body = Body.objects.create(slug=slug, name_kk=f"Орган {i} {o.name}", name_ru=f"Орган {i} {o.name}",
                                   name_en=f"Body {i}", government_level=o.government_level, sector=o.sector,
                                   office_type=o.office_type)
        r = services.import_round(body, "x.yaml", text.replace(f"id: {o.id}", f"id: {slug}").encode(), user)
        services.submit(r, user)
        services.finalise(r, user)
        added.append(body)
    return added


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_coordinator_filters_the_portfolio_and_opens_a_body(browser: Any, live_server: Any, world: Any, lang: str) -> None:  # noqa: F811
    add_bodies(world)
    local = world.bodies["B"]
    page = sign_in(browser, live_server.url, "coordinator", lang)
    page.click("#nav-portfolio")
    page.wait_for_url("**/portfolio/")
    assert page.locator("tr[data-body]").count() == 11
    shoot(page, f"portfolio-coordinator-{lang}")
    page.select_option("#filter-government_level", "local")         # htmx swaps the results in
    page.wait_for_url("**/portfolio/?*government_level=local*")
    page.locator("#portfolio-count", has_text="5").wait_for(timeout=15000)
    slugs = page.locator("tr[data-body]").evaluate_all("rows => rows.map(r => r.dataset.body)")
    assert len(slugs) == 5 and local.slug in slugs and world.bodies["A"].slug not in slugs
    shoot(page, f"portfolio-coordinator-{lang}-local")
    page.set_viewport_size({"width": 390, "height": 900})
    shoot(page, f"portfolio-coordinator-{lang}-390")
    page.click(f"tr[data-body='{local.slug}'] a")
    page.wait_for_url(f"**/bodies/{local.slug}/")
    assert page.locator("h1").inner_text() == local.name(lang)
    page.context.close()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_analyst_sees_aggregates_and_never_a_small_group_a_name_or_evidence(
        browser: Any, live_server: Any, world: Any, lang: str) -> None:  # noqa: F811
    from advisor.web.assessments.models import Answer
    from advisor.web.bodies.models import Body
    add_bodies(world)
    secrets = [s for b in Body.objects.all() for s in (b.slug, b.name_kk, b.name_ru, b.name_en)]
    secrets += sorted({a.evidence for a in Answer.objects.exclude(evidence="") if len(a.evidence) > 15})[:60]

    def visible(page: Any) -> str:
        text = page.content()
        assert not [s for s in secrets if s in text], "the analyst's page names a body or shows evidence"
        return text

    page = sign_in(browser, live_server.url, "analyst", lang)
    page.click("#portfolio-link a")
    assert page.locator("#group-size").inner_text() == "11"
    rows = page.locator("#breakdown tr[data-group]")
    assert rows.count() == 2 and sorted(rows.locator("td:nth-child(2)").all_inner_texts()) == ["5", "6"]
    assert page.locator("#minimum-note").inner_text().count("5") == 2
    visible(page)
    shoot(page, f"portfolio-analyst-{lang}")
    page.set_viewport_size({"width": 390, "height": 900})
    shoot(page, f"portfolio-analyst-{lang}-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.select_option("#filter-sector", "health")            # three bodies: hidden, and not even their number
    page.locator("#group-hidden").wait_for(timeout=15000)
    assert page.locator("#group-size").count() == 0 and page.locator("#breakdown").count() == 0
    assert "3" not in page.locator("#portfolio-results").inner_text()
    visible(page)
    page.select_option("#filter-sector", "")
    page.select_option("#filter-government_level", "local")   # five bodies, six left out: shown
    page.locator("#group-size", has_text="5").wait_for(timeout=15000)
    visible(page)
    page.select_option("#filter-by", "sector")                # by sector: every sector below five is hidden
    page.select_option("#filter-government_level", "")
    page.locator("#breakdown-hidden").wait_for(timeout=15000)
    # health 3, economy 2, social protection 1 are hidden (6 together, so 'other' with its 5 may be shown)
    groups = page.locator("#breakdown tr[data-group]").evaluate_all("rows => rows.map(r => [r.dataset.group, r.cells[1].innerText])")
    assert groups == [["other", "5"]]
    visible(page)
    response = page.goto(f"{live_server.url}/bodies/{world.bodies['A'].slug}/")
    assert response is not None and response.status == 404
    page.context.close()
