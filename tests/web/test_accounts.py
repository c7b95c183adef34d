"""Sign-in with throttling, sign-out by POST only, each user's language."""

from __future__ import annotations

from django.test import Client

from advisor.web.accounts.models import LoginAttempt, Profile
from tests.web.conftest import PASSWORD, World


def test_sign_in_and_out(world: World) -> None:
    c = Client()
    r = c.post("/accounts/login/", {"username": "lead-A", "password": PASSWORD, "next": "/bodies/adz-example/"})
    assert r.status_code == 302 and r["Location"] == "/bodies/adz-example/"
    assert c.get("/").status_code == 200
    assert c.get("/accounts/logout/").status_code == 405  # a link cannot sign anyone out
    assert c.post("/accounts/logout/").status_code == 302 and c.get("/").status_code == 302


def test_an_open_redirect_is_refused(world: World) -> None:
    r = Client().post("/accounts/login/", {"username": "lead-A", "password": PASSWORD, "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_throttling_after_five_failures_even_with_the_right_password(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    for _ in range(settings.LOGIN_FAILURES_ALLOWED):
        r = c.post("/accounts/login/", {"username": "lead-A", "password": "wrong"})
        assert r.status_code == 200 and "Неверное имя пользователя или пароль" in r.content.decode()
    r = c.post("/accounts/login/", {"username": "Lead-A", "password": PASSWORD})
    assert r.status_code == 429 and "Слишком много неудачных попыток" in r.content.decode()
    assert c.get("/").status_code == 302
    LoginAttempt.objects.all().delete()  # the window has passed
    assert c.post("/accounts/login/", {"username": "lead-A", "password": PASSWORD}).status_code == 302


def test_login_page_in_kazakh_and_the_choice_is_kept(world: World) -> None:
    c = Client()
    c.post("/language/", {"language": "kk", "next": "/accounts/login/"})
    page = c.get("/accounts/login/").content.decode()
    assert "Пайдаланушы аты" in page and "Құпиясөз" in page and 'lang="kk"' in page
    wrong = c.post("/accounts/login/", {"username": "lead-A", "password": "x"}).content.decode()
    assert "Пайдаланушы аты немесе құпиясөз қате" in wrong
    c.post("/accounts/login/", {"username": "lead-A", "password": PASSWORD})
    assert Profile.objects.get(user=world.users["lead-A"]).language == "kk"
    c.post("/language/", {"language": "en", "next": "/"})
    assert Profile.objects.get(user=world.users["lead-A"]).language == "en"
    assert "Your bodies" in c.get("/").content.decode()


def test_csrf_failure_page_in_the_users_language(world: World) -> None:
    c = Client(enforce_csrf_checks=True)
    c.post("/language/", {"language": "kk"})  # refused too (no token), so set the language on the profile
    Profile.objects.filter(user=world.users["lead-A"]).update(language="kk")
    c.force_login(world.users["lead-A"])
    r = c.post(f"/rounds/{world.rounds['A-draft'].pk}/submit/")
    assert r.status_code == 403 and "Сессияның мерзімі өтті" in r.content.decode()
