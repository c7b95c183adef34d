"""The main journeys in headless Chromium (Debian's; never `playwright install`), in Kazakh and Russian.

ADVISOR_SCREENSHOTS=/some/dir saves the questionnaire and results at desktop and phone (390 px) widths.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")
SHOTS = os.environ.get("ADVISOR_SCREENSHOTS")
WORDS = {"kk": {"saved": "Сақталған уақыты", "final": "бекітілген", "lang": "Қазақша", "not_found": "Табылмады"},
         "ru": {"saved": "Сохранено в", "final": "утверждён", "lang": "Русский", "not_found": "Не найдено"}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from tests.web.conftest import build_world
    return build_world()


def sign_in(browser: Any, base: str, user: str, lang: str, width: int = 1280) -> Any:
    from tests.web.conftest import PASSWORD
    page = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True).new_page()
    page.goto(base + "/accounts/login/")
    page.click(f"button[name=language][value={lang}]")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_office_lead_fills_autosaves_reloads_submits_finalises_downloads_and_starts_the_next_round(
        browser: Any, live_server: Any, world: Any, lang: str, tmp_path: Path) -> None:
    from advisor.web.assessments import services
    w, base = WORDS[lang], live_server.url
    body = world.bodies["A"]
    page = sign_in(browser, base, "lead-A", lang)
    page.click(f"a[href='/bodies/{body.slug}/']")
    page.click("form[action$='/rounds/new/'] button")
    page.wait_for_url(re.compile(r".*/rounds/\d+/$"))
    page.fill("input[name=assessor]", "Ә. Бекова")
    criteria = [c.id for d in services.kb().dimensions for c in services.kb().criteria_of(d)]
    wanted: dict[str, str] = {}
    for i, cid in enumerate(criteria):
        value = "na" if i == 5 else ["1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"][i % 9]
        form = page.locator(f"form[data-criterion='{cid}']")
        form.locator("select[name=score]").select_option(value)
        if i % 4 == 0:
            form.locator("textarea").fill(f"Дәлел {i}: бұйрық № {100 + i}")
        wanted[cid] = value
    for cid in criteria:
        status = page.locator(f"#status-{cid.replace('.', '-')}")
        status.filter(has_text=w["saved"]).wait_for(timeout=15000)
    assert "34 / 34" in page.locator("#completeness").inner_text()
    shoot(page, f"questionnaire-{lang}-desktop")

    page.reload()  # every answer is back
    for i, cid in enumerate(criteria):
        form = page.locator(f"form[data-criterion='{cid}']")
        assert form.locator("select[name=score]").input_value() == wanted[cid]
        if i % 4 == 0:
            assert form.locator("textarea").input_value() == f"Дәлел {i}: бұйрық № {100 + i}"
    assert page.locator("input[name=assessor]").input_value() == "Ә. Бекова"

    page.click("button[data-action=submit]")
    page.click("button[data-action=finalise]")
    assert w["final"] in page.locator("h1 .status").inner_text()
    assert page.locator("select").count() == 0 and page.locator("textarea").count() == 0  # final: read-only
    round_url = page.url

    page.click(f"a[href='{round_url.removeprefix(base)}results/']")
    assert page.locator("svg.radar").count() == 1
    page.locator("button.link").first.click()
    page.locator(".why li").first.wait_for()
    shoot(page, f"results-{lang}-desktop")
    with page.expect_download() as info:
        page.click("a[href$='/download/html/']")
    report = Path(info.value.path()).read_text(encoding="utf-8")
    assert body.name_ru in report and "<svg" in report and services.kb().version in report

    page.goto(round_url)
    page.click("button[data-action=next_round]")
    page.wait_for_url(lambda url: url != round_url and re.search(r"/rounds/\d+/$", url) is not None)
    for cid in criteria[:6]:  # the next round starts from a copy of the final one
        assert page.locator(f"form[data-criterion='{cid}'] select[name=score]").input_value() == wanted[cid]
    page.context.close()

    if SHOTS:  # the same pages on a phone
        phone = sign_in(browser, base, "lead-A", lang, width=390)
        phone.goto(round_url)
        shoot(phone, f"questionnaire-{lang}-phone")
        phone.goto(round_url + "results/")
        shoot(phone, f"results-{lang}-phone")
        phone.context.close()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_consultant_sees_only_engaged_bodies(browser: Any, live_server: Any, world: Any, lang: str) -> None:
    page = sign_in(browser, live_server.url, "consultant", lang)
    home = page.content()
    assert world.bodies["A"].name_ru in home and world.bodies["B"].name_ru not in home
    page.goto(f"{live_server.url}/bodies/{world.bodies['B'].slug}/")
    assert WORDS[lang]["not_found"] in page.content() and world.bodies["B"].name_ru not in page.content()
    page.context.close()


def test_member_of_another_body_gets_nothing(browser: Any, live_server: Any, world: Any) -> None:
    page = sign_in(browser, live_server.url, "member-B", "ru")
    assert world.bodies["A"].name_ru not in page.content()
    for state in ("draft", "final"):
        pk = world.rounds[f"A-{state}"].pk
        for url in (f"/rounds/{pk}/", f"/rounds/{pk}/results/", f"/rounds/{pk}/download/yaml/"):
            response = page.goto(live_server.url + url)
            assert response.status == 404 and world.bodies["A"].name_ru not in page.content()
    page.context.close()
