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
