"""The timeline's outcome table and the comparison's outcome changes in a browser, at desktop and phone widths.
ADVISOR_SCREENSHOTS=/dir saves the pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_browser import CHROMIUM, browser, sign_in, world  # noqa: F401 - fixtures
from tests.web.test_outcomes import later_round
from tests.web.test_progress_browser import shoot

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


@pytest.mark.parametrize("lang, width", [("ru", 1280), ("kk", 390)])
def test_the_outcome_table_and_their_changes(browser: Any, live_server: Any, world: Any, lang: str, width: int) -> None:  # noqa: F811
    from advisor.web.assessments.services import kb
    later_round(world, {"projects_on_time": {"value": 55, "unit": "percent", "period": "2026", "source": "Отчёт 2026"},
                        "citizen_satisfaction": {"value": 4.2, "unit": "score_5", "period": "2026", "source": "Опрос 2026"}})
    page = sign_in(browser, live_server.url, "member-A", lang, width)
    page.goto(f"{live_server.url}/bodies/{world.bodies['A'].slug}/timeline/")
    table = page.locator("table.outcomes")
    assert table.locator("tbody tr").count() == 4
    assert getattr(kb().indicators()["projects_on_time"].name, lang) in table.inner_text()
    # a wide table scrolls inside its own box: the page itself never scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"outcomes-{lang}-{width}")
    page.click("form.options button.primary")
    change = page.locator("table.outcomes-change")
    change.wait_for()
    assert "(+7)" in change.inner_text()
    change.scroll_into_view_if_needed()
    shoot(page, f"outcomes-{lang}-{width}-compare")


@pytest.mark.parametrize("lang, width", [("kk", 1280), ("ru", 390)])
def test_a_lead_enters_the_next_rounds_figures_and_the_coordinator_sees_them(browser: Any, live_server: Any, world: Any,  # noqa: F811
                                                                              lang: str, width: int) -> None:
    from advisor import api
    from advisor.web.assessments.models import Round
    draft = world.rounds["A-draft"]
    page = sign_in(browser, live_server.url, "lead-A", lang, width)
    page.goto(f"{live_server.url}/rounds/{draft.pk}/")
    page.click("#edit-outcomes")
    row = page.locator("#o-projects_on_time")
    assert "48" in row.locator(".previous-figure").inner_text()          # the previous period's figure, beside the row
    row.locator("input[name='projects_on_time-value']").fill("148")
    row.locator("input[name='projects_on_time-period']").fill("2026")
    row.locator("input[name='projects_on_time-source']").fill("Жылдық есеп 2026")
    page.click("#save-outcomes")
    error = page.locator("#e-projects_on_time-value")
    error.wait_for()
    gettext = api.translations(lang).gettext
    assert gettext("expected a value from {minimum} to {maximum} for the unit {unit!r}, got {value}").split("{")[0] in error.inner_text()
    assert row.locator("input[name='projects_on_time-source']").input_value() == "Жылдық есеп 2026"   # nothing typed is lost
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"outcomes-form-{lang}-{width}")
    row.locator("input[name='projects_on_time-value']").fill("62,5")
    page.click("#save-outcomes")
    page.wait_for_url(f"{live_server.url}/rounds/{draft.pk}/#outcomes")
    assert api.percent(0.625, lang, 1) in page.locator("table.outcomes").inner_text()   # «62,5 %», «62,5%»
    assert Round.objects.get(pk=draft.pk).outcomes["projects_on_time"]["value"] == 62.5
    # finalised, the round's figures are the body's latest in the coordinator's portfolio, beside its maturity
    from advisor.web.assessments import services
    lead = world.users["lead-A"]
    services.submit(Round.objects.get(pk=draft.pk), lead)
    services.finalise(Round.objects.get(pk=draft.pk), lead)
    page = sign_in(browser, live_server.url, "coordinator", lang, width)
    page.goto(f"{live_server.url}/portfolio/")
    cell = page.locator(f"tr[data-body='{world.bodies['A'].slug}'] td.outcome[data-indicator='projects_on_time']")
    assert api.percent(0.625, lang, 1) in cell.inner_text() and "2026" in cell.inner_text()
    chart = page.locator("#outcome-scatters figure[data-indicator='projects_on_time'][data-unit='percent']")
    dot = chart.locator(f"circle[data-body='{world.bodies['A'].slug}']")
    assert dot.get_attribute("data-y") == "62.5"
    chart.scroll_into_view_if_needed()
    shoot(page, f"portfolio-outcomes-{lang}-{width}")
