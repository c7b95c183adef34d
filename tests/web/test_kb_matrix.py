"""Role × page for rounds over time, the knowledge-base page, its jobs: written out from the issue independently
of the apps' scoping. A body the user may not see -> 404; visible but not allowed -> 403; allowed -> 200 (or the
redirect of a form). Everyone who sees a body's final rounds sees their history; the office lead, the engaged
consultant and coordinators recompute; the knowledge-base page is for coordinators and policy analysts (only
coordinators recompute everything); a job is seen by its author only. No response names another body."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.web.conftest import World
from tests.web.test_matrix import ROLES, call, other_body_words, sees_body
from tests.web.test_matrix import world as world  # noqa: F401 - the module-wide world, rolled back per request


def may_recompute(user: str, body: str) -> bool:
    return user == f"lead-{body}" or user == "coordinator" or (user == "consultant" and body == "A")


BODY_REQUESTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("view", "GET", "/bodies/{slug}/timeline/", {}),
    ("view", "GET", "/bodies/{slug}/timeline/?old=1", {}),   # only one round chosen: said so, 422
    ("recompute", "POST", "/bodies/{slug}/timeline/recompute/1/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ROLES)
def test_timeline_pages(world: World, user: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.users[user])
    hidden = other_body_words(world, user)
    for key, body in world.bodies.items():
        for action, method, url, data in BODY_REQUESTS:
            status, text = call(client, method, url.format(slug=body.slug), data)
            if not sees_body(user, key):
                expected = 404
            elif action == "recompute":
                expected = 302 if may_recompute(user, key) else 403
            else:
                expected = 422 if "old=" in url else 200
            assert status == expected, f"{user} {method} {url.format(slug=body.slug)}: {status}, expected {expected}"
            assert not [h for h in hidden if h in text], f"{user} {url}: names another body"


KB_REQUESTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("view", "GET", "/knowledge-base/", {}),
    ("impact", "POST", "/knowledge-base/impact/", {"candidate": ""}),   # none chosen: said so, 422
    ("recompute", "POST", "/knowledge-base/recompute/", {}),            # nothing outdated: said so, 200
]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ROLES)
def test_knowledge_base_pages(world: World, user: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.users[user])
    hidden = other_body_words(world, user)
    for action, method, url, data in KB_REQUESTS:
        status, text = call(client, method, url, data)
        if user not in ("coordinator", "analyst") or (action == "recompute" and user != "coordinator"):
            expected = 403
        else:
            expected = 422 if action == "impact" else 200
        assert status == expected, f"{user} {method} {url}: {status}, expected {expected}"
        assert not [h for h in hidden if h in text]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ROLES)
def test_a_job_is_seen_by_its_author_only(world: World, user: str) -> None:  # noqa: F811
    from advisor.web.jobs.models import Job
    client = Client()
    client.force_login(world.users[user])
    with transaction.atomic():
        jobs = {author: Job.objects.create(kind="recompute", created_by=world.users[author], status="done",
                                           result={"recomputed": 0, "kb_version": "x"})
                for author in ("coordinator", "analyst")}
        for author, job in jobs.items():
            for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/"):
                status, _ = call(client, "GET", url, {})
                expected = 403 if user not in ("coordinator", "analyst") else (200 if user == author else 404)
                assert status == expected, f"{user} GET {url} (by {author}): {status}, expected {expected}"
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world: World) -> None:  # noqa: F811
    client = Client()
    slug = world.bodies["A"].slug
    for url in [u.format(slug=slug) for _, _, u, _ in BODY_REQUESTS] + [u for _, _, u, _ in KB_REQUESTS] + ["/jobs/1/", "/jobs/1/status/"]:
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_links_to_the_new_pages_only_for_those_who_may_use_them(world: World) -> None:  # noqa: F811
    slug = world.bodies["A"].slug
    for user in ROLES:
        client = Client()
        client.force_login(world.users[user])
        home = client.get("/").content.decode()
        assert ('href="/knowledge-base/"' in home) == (user in ("coordinator", "analyst")), user
        if sees_body(user, "A"):
            assert f'href="/bodies/{slug}/timeline/"' in client.get(f"/bodies/{slug}/").content.decode(), user


@pytest.mark.django_db
def test_the_forms_need_the_csrf_token(world: World) -> None:  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    slug = world.bodies["A"].slug
    for url in (f"/bodies/{slug}/timeline/recompute/1/", "/knowledge-base/impact/", "/knowledge-base/recompute/"):
        assert client.post(url, {}).status_code == 403, url
