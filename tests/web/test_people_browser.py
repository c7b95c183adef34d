"""An administrator creates a body and its lead; the lead adds a member; the member sets a password and
signs in. In headless Chromium (Debian's; never `playwright install`), in Kazakh and Russian.

ADVISOR_SCREENSHOTS=/some/dir saves each page of the journey at desktop and phone (390 px) widths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import CHROMIUM, SHOTS, browser, sign_in, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")
WORDS = {"kk": {"name": "Цифрлық даму басқармасы", "slug_error": "Органға идентификатор беріңіз",
                "lead": "жобалық кеңсе басшысы", "member": "жобалық кеңсе қызметкері", "set": "Құпиясөзіңіз орнатылды"},
         "ru": {"name": "Управление цифрового развития", "slug_error": "Задайте идентификатор органа",
                "lead": "руководитель проектного офиса", "member": "сотрудник проектного офиса", "set": "Пароль установлен"}}
PASSWORD = "a long and private passphrase"


def shoot(page: Any, name: str) -> None:
    """The page as it is now, at desktop width and at a phone's (the same page, narrowed: a form's errors stay)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / f"{name}-desktop.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(Path(SHOTS) / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)


def set_password_and_sign_in(chromium: Any, base: str, link: str, username: str, lang: str) -> Any:
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == lang  # the language its creator chose for the account
    shoot(page, f"set-password-{lang}")
    page.fill("#f-password1", PASSWORD)
    page.fill("#f-password2", PASSWORD)
    page.click("button[type=submit]")
    assert WORDS[lang]["set"] in page.locator(".notice").inner_text()
    assert page.locator("#username").input_value() == username
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_administrator_creates_a_body_and_its_lead_who_adds_a_member_who_signs_in(
        browser: Any, live_server: Any, world: Any, lang: str) -> None:  # noqa: F811
    w, base = WORDS[lang], live_server.url
    admin = sign_in(browser, base, "admin", lang)
    admin.click("a[href='/manage/']")
    shoot(admin, f"manage-{lang}")
    admin.click("a[href='/manage/bodies/new/']")
    admin.click("button[type=submit]")  # nothing filled in: each field says what it needs
    assert w["slug_error"] in admin.locator("#e-slug").inner_text()
    assert admin.locator("#f-slug").get_attribute("aria-invalid") == "true"
    shoot(admin, f"body-form-errors-{lang}")
    admin.fill("#f-slug", f"digital-{lang}")
    admin.fill("#f-name_kk", WORDS["kk"]["name"])
    admin.fill("#f-name_ru", WORDS["ru"]["name"])
    admin.fill("#f-name_en", "Digital development office")
    admin.select_option("#f-government_level", "local")
    admin.select_option("#f-sector", "other")
    admin.select_option("#f-office_type", "centralised")
    admin.click("button[type=submit]")
    admin.wait_for_url(f"{base}/bodies/digital-{lang}/people/")
    assert w["name"] in admin.locator("h1").inner_text()

    admin.goto(base + "/manage/users/new/")
    admin.fill("#f-username", f"bolat-{lang}")
    admin.select_option("#f-language", lang)
    admin.select_option("#f-body", f"digital-{lang}")
    admin.select_option("#f-body_role", "lead")
    shoot(admin, f"user-form-{lang}")
    admin.click("button[type=submit]")
    lead_link = admin.locator("#set-password-link").inner_text()
    assert lead_link.startswith(base + "/accounts/set-password/")
    shoot(admin, f"link-{lang}")
    admin.context.close()

    lead = set_password_and_sign_in(browser, base, lead_link, f"bolat-{lang}", lang)
    lead.click(f"a[href='/bodies/digital-{lang}/']")
    lead.click(f"a[href='/bodies/digital-{lang}/people/']")
    assert w["lead"] in lead.locator("table.people").first.inner_text()
    assert lead.locator("#add-engagement").count() == 0  # engagements are the administrator's
    assert lead.locator("#add-member select[name=role] option").all_inner_texts() == [w["member"]]
    lead.fill("#add-member #f-username", f"dana-{lang}")
    lead.click("#add-member button[type=submit]")
    member_link = lead.locator("#set-password-link").inner_text()
    lead.goto(f"{base}/bodies/digital-{lang}/people/")
    assert f"dana-{lang}" in lead.locator("table.people").first.inner_text()
    assert f"dana-{lang}" in lead.locator("table.history").inner_text()  # the access trail
    shoot(lead, f"people-{lang}")
    lead.context.close()

    member = set_password_and_sign_in(browser, base, member_link, f"dana-{lang}", lang)
    row = member.locator("table.list tbody tr")
    assert row.count() == 1 and w["name"] in row.inner_text() and w["member"] in row.inner_text()
    assert member.locator("a[href='/manage/']").count() == 0
    assert member.goto(f"{base}/bodies/digital-{lang}/people/").status == 403
    member.context.close()
