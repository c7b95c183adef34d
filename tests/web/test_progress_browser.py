"""The office lead's progress journey in headless Chromium: an action in progress, then done; next and the
roadmap follow. Uses the browser fixtures of test_browser.py (Debian's chromium; never `playwright install`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import CHROMIUM, SHOTS, browser, sign_in, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def save(page: Any, action: str, status: str, **fields: str) -> None:
    row = page.locator(f"#action-{action}")
    row.locator("summary").click()
    row.locator("select[name=status]").select_option(status)
    for name, value in fields.items():
        row.locator(f"[name={name}]").fill(value)
    row.locator("button.primary").click()
    page.locator(f"#action-{action}[data-status={status}]").wait_for(timeout=15000)
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


@pytest.mark.parametrize("lang", ["kk"])
def test_office_lead_marks_an_action_in_progress_then_done(browser: Any, live_server: Any, world: Any, lang: str) -> None:  # noqa: F811
    from advisor.web.assessments import services
    k, body = services.kb(), world.bodies["A"]
    title = {a: getattr(k.actions[a].title, lang) for a in ("STR-06", "STR-07")}
    page = sign_in(browser, live_server.url, "lead-A", lang)
    page.click(f"a[href='/bodies/{body.slug}/']")
    page.click(f"a[href='/bodies/{body.slug}/progress/']")
    bars = page.locator("svg.gantt .bar").count()
    assert title["STR-06"] in page.locator("#next-ready").inner_text()
    assert title["STR-07"] in page.locator("#next-blocked").inner_text()

    save(page, "STR-06", "in_progress", owner="Стратегия бөлімінің басшысы", planned_finish="2020-01-31")
    assert title["STR-06"] in page.locator("#next-underway").inner_text()
    assert title["STR-06"] in page.locator("#next-late").inner_text()
    shoot(page, f"progress-{lang}-in-progress")

    save(page, "STR-06", "done", note="бұйрық № 12")
    assert title["STR-07"] in page.locator("#next-ready").inner_text()  # its only prerequisite is done
    assert title["STR-06"] not in page.locator("#next").inner_text()
    assert page.locator("svg.gantt .bar").count() == bars - 1  # the roadmap lost the done action
    page.reload()  # stored, not just swapped in
    assert page.locator("#action-STR-06").get_attribute("data-status") == "done"
    assert "бұйрық № 12" in page.locator("#action-STR-06").inner_text()
    shoot(page, f"progress-{lang}-done")
    page.context.close()
