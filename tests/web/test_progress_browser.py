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
    from advisor.web.assessments.models import Round
    from advisor.web.progress import services as progress
    k, body = services.kb(), world.bodies["A"]
    # an action that can start now and one that waits for it alone (the plan decides which, not the test)
    cur = progress.current(body, progress.current_round(body, Round.objects.all()))
    ready = {r.id for r in cur.next.ready}
    x, y = next((b.blocked_by[0], b.id) for b in cur.next.blocked if len(b.blocked_by) == 1 and b.blocked_by[0] in ready)
    title = {a: getattr(k.actions[a].title, lang) for a in (x, y)}
    page = sign_in(browser, live_server.url, "lead-A", lang)
    page.click(f"a[href='/bodies/{body.slug}/']")
    page.click(f"a[href='/bodies/{body.slug}/progress/']")
    assert title[x] in page.locator("#next-ready").inner_text()
    assert title[y] in page.locator("#next-blocked").inner_text()

    save(page, x, "in_progress", owner="Стратегия бөлімінің басшысы", planned_finish="2020-01-31")
    assert title[x] in page.locator("#next-underway").inner_text()
    assert title[x] in page.locator("#next-late").inner_text()
    shoot(page, f"progress-{lang}-in-progress")

    save(page, x, "done", note="бұйрық № 12")
    assert title[y] in page.locator("#next-ready").inner_text()  # its only prerequisite is done
    assert title[x] not in page.locator("#next").inner_text()
    after = progress.current(body, progress.current_round(body, Round.objects.all()))
    assert x not in {i.id for i in after.roadmap.items}  # the roadmap lost the done action
    assert page.locator("svg.gantt .bar").count() == len(after.roadmap.items)  # and the page shows that roadmap
    page.reload()  # stored, not just swapped in
    assert page.locator(f"#action-{x}").get_attribute("data-status") == "done"
    assert "бұйрық № 12" in page.locator(f"#action-{x}").inner_text()
    shoot(page, f"progress-{lang}-done")
    page.context.close()
