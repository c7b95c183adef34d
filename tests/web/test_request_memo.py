"""What a request remembers to be fast, and that it never serves what changed: roles looked up once per
request (forgotten when a role, membership or engagement changes), one CSRF field per response, the page's
language taken from its context, and persistent connections in every deployment's settings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from advisor.web import scoping
from tests.web.conftest import World


def queries(c: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    return [x["sql"] for x in q.captured_queries]


@pytest.mark.django_db
def test_a_page_looks_the_users_roles_up_once(world: World) -> None:
    c = Client()
    c.force_login(world.users["lead-A"])
    pk = world.rounds["A-final"].pk
    c.get(f"/rounds/{pk}/results/")
    sql = queries(c, f"/rounds/{pk}/results/")
    # the language middleware reads the profile with the language; the role once more, the membership once
    assert sum(s.startswith('SELECT "accounts_profile"') for s in sql) <= 2
    assert sum(s.startswith('SELECT "bodies_membership"') for s in sql) == 1   # besides the scope's subquery


@pytest.mark.django_db
def test_outside_a_request_nothing_is_remembered_and_inside_a_change_is_seen(world: World) -> None:
    from advisor.web.bodies.models import Membership
    user, body = world.users["member-A"], world.bodies["A"]
    assert scoping.role_in(user, body) == "member"
    Membership.objects.filter(user=user, body=body).update(role="lead")     # no request: looked up afresh
    assert scoping.role_in(user, body) == "lead"
    with scoping.request_roles():
        assert scoping.role_in(user, body) == "lead"
        m = Membership.objects.get(user=user, body=body)
        m.role = "member"
        m.save()                                  # a change during the request: every role looked up again
        assert scoping.role_in(user, body) == "member"
        m.delete()
        assert scoping.role_in(user, body) == ""
        assert scoping.global_role(world.users["coordinator"]) == "coordinator"
        from advisor.web.accounts.models import Profile
        p = Profile.objects.get(user=world.users["coordinator"])
        p.role = "analyst"
        p.save()
        assert scoping.global_role(world.users["coordinator"]) == "analyst"


@pytest.mark.django_db
def test_one_csrf_field_per_response_and_it_is_accepted(world: World) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["lead-A"])
    page = c.get(f"/bodies/{world.bodies['A'].slug}/progress/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) > 5 and len(set(tokens)) == 1
    again = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                       c.get(f"/bodies/{world.bodies['A'].slug}/progress/").content.decode())
    assert again[0] != tokens[0]                 # masked afresh for every response
    action = re.search(r'id="action-([^"]+)"', page).group(1)  # type: ignore[union-attr]
    resp = c.post(f"/bodies/{world.bodies['A'].slug}/progress/actions/{action}/",
                  {"csrfmiddlewaretoken": tokens[0], "status": "in_progress"})
    assert resp.status_code in (200, 302)
    assert c.post(f"/bodies/{world.bodies['A'].slug}/progress/actions/{action}/",
                  {"csrfmiddlewaretoken": "x" * 64, "status": "done"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("lang, word", [("kk", "Сауалнама"), ("ru", "Анкета"), ("en", "Questionnaire")])
def test_the_pages_language_comes_from_its_context(world: World, lang: str, word: str) -> None:
    from advisor.web.accounts.models import Profile
    Profile.objects.filter(user=world.users["member-A"]).update(language=lang)
    c = Client()
    c.force_login(world.users["member-A"])
    page = c.get(f"/rounds/{world.rounds['A-draft'].pk}/").content.decode()
    assert f'<html lang="{lang}">' in page and word in page


def test_every_deployment_keeps_its_connections() -> None:
    from advisor.web.base import database
    for env in ({}, {"DATABASE_URL": "postgres://a:b@h:5432/n"}, {"ADVISOR_DB_ENGINE": "postgresql"}):
        found: dict[str, Any] = database(env)
        assert found["CONN_MAX_AGE"] == 60 and found["CONN_HEALTH_CHECKS"] is True
