"""In headless Chromium: a coordinator points the knowledge-base page at a candidate that moves one threshold;
the job page follows the worker (htmx polling) and lists exactly the changes `advisor rules diff` gives on the
same rounds. An analyst sees the same changes without names. Then a body's rounds over time and a comparison.
ADVISOR_SCREENSHOTS=/dir saves the pages at desktop and phone (390 px) widths."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.web.kbhelpers import candidate
from tests.web.test_browser import CHROMIUM, browser, sign_in, world  # noqa: F401 - fixtures
from tests.web.test_kb_impact import rules_diff_of_rounds
from tests.web.test_progress_browser import shoot

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")


def run_worker_soon() -> threading.Thread:
    """The worker, as `advisor web worker --once` runs it, a moment after the page has started polling."""
    from django.db import connection

    from advisor.web.jobs import services

    def work() -> None:
        import time
        time.sleep(1.5)
        while (job := services.claim()) is not None:
            services.run(job)
        connection.close()
    t = threading.Thread(target=work)
    t.start()
    return t


@pytest.mark.parametrize("user, lang, width", [("coordinator", "ru", 1280), ("analyst", "kk", 390)])
def test_the_impact_page_lists_the_changes_of_rules_diff(browser: Any, live_server: Any, world: Any, settings: Any,  # noqa: F811
                                                         tmp_path: Path, user: str, lang: str, width: int) -> None:
    settings.ADVISOR_CANDIDATE_KBS = str(tmp_path / "candidates")
    candidate(tmp_path / "candidates" / "training-threshold")
    expected, summary = rules_diff_of_rounds(world, tmp_path, tmp_path / "candidates" / "training-threshold")
    changed = {k: v for k, v in expected.items() if any(v[f] for f in ("weaknesses_added", "weaknesses_removed", "actions_added",
                                                                       "actions_removed", "stage_changed", "months_changed"))}
    assert len(changed) == 1
    page = sign_in(browser, live_server.url, user, lang, width)
    page.click("a[href='/knowledge-base/']")
    shoot(page, f"kb-{user}-{lang}-{width}")
    page.select_option("select[name=candidate]", "training-threshold")
    page.click(".impact-form button.primary")
    page.wait_for_url("**/jobs/*/")
    shoot(page, f"impact-{user}-{lang}-{width}-queued")
    worker = run_worker_soon()
    page.locator("table.totals").wait_for(timeout=30000)    # swapped in by the polling when the job is done
    worker.join()
    assert page.locator("[data-total=changed]").inner_text() == f"{summary['changed']} / {summary['assessments']}"
    assert page.locator("[data-total=weaknesses]").inner_text() == f"+{summary['weaknesses_added']} / −{summary['weaknesses_removed']}"
    assert page.locator("[data-total=actions]").inner_text() == f"+{summary['actions_added']} / −{summary['actions_removed']}"
    sections = page.locator("section.impact-change")
    assert sections.count() == len(changed)
    (key, change), = changed.items()
    text = sections.first.inner_text()
    for w in change["weaknesses_added"]:
        assert w in text and "+ " in text
    body = next(b for b in world.bodies.values() if key.startswith(b.slug))
    assert (body.name(lang) in page.content()) == (user == "coordinator")
    shoot(page, f"impact-{user}-{lang}-{width}-done")


@pytest.mark.parametrize("lang, width", [("kk", 1280), ("ru", 390)])
def test_rounds_over_time_and_a_comparison(browser: Any, live_server: Any, world: Any, lang: str, width: int) -> None:  # noqa: F811
    from tests.web.test_timeline import second_final_round
    second_final_round(world)
    slug = world.bodies["A"].slug
    page = sign_in(browser, live_server.url, "lead-A", lang, width)
    page.click(f"a[href='/bodies/{slug}/']")
    page.click(f"a[href='/bodies/{slug}/timeline/']")
    assert page.locator("figure.trend svg polyline").count() >= 2
    shoot(page, f"timeline-{lang}-{width}")
    page.click("form.options button.primary")
    page.locator("section.comparison").wait_for()
    from advisor.web.assessments.services import kb
    text = page.locator("section.comparison").inner_text()
    for c in ("strategy.monitoring", "technology.big_data"):   # the two criteria the second round raised
        assert getattr(kb().criteria[c].name, lang) in text
    shoot(page, f"timeline-{lang}-{width}-compare")
