"""Role × progress endpoint × body, written out from the issue independently of advisor/web/progress/scoping.py:
a body the user may not see -> 404; visible but not allowed -> 403; allowed -> 200 (or the redirect of a form).
Office members and leads track their own body's actions; an engaged consultant and a coordinator read them; a
policy analyst sees no body's progress (it names people and links to evidence). No response names another body."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from tests.web.conftest import World
from tests.web.test_matrix import ROLES, other_body_words, sees_body
from tests.web.test_matrix import world as world  # noqa: F401 - the module-wide world, rolled back per request


def may(user: str, body: str, action: str) -> bool:
    own = user.endswith("-" + body)
    if action in ("view", "export"):
        return own or user == "coordinator" or (user == "consultant" and body == "A")
    return own  # edit, import: the office itself


def upload(slug: str) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("p.yaml", f"organisation: {slug}\ndone: []\n".encode(), "application/yaml")}


REQUESTS: list[tuple[str, str, str, Any]] = [
    ("view", "GET", "/bodies/{slug}/progress/", None),
    ("export", "GET", "/bodies/{slug}/progress/export/", None),
    ("edit", "POST", "/bodies/{slug}/progress/actions/STR-06/", lambda slug: {"status": "in_progress", "owner": "x"}),
    ("import", "POST", "/bodies/{slug}/progress/import/", upload),
]


def call(client: Client, method: str, url: str, data: dict[str, Any] | None) -> tuple[int, str]:
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data or {}, HTTP_HX_REQUEST="true" if "actions" in url else "")
        transaction.set_rollback(True)
    return response.status_code, response.content.decode("utf-8", "replace").replace(url, "")


@pytest.mark.django_db
@pytest.mark.parametrize("user", ROLES)
def test_progress_endpoints(world: World, user: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.users[user])
    hidden = other_body_words(world, user)
    checked = 0
    for key, body in world.bodies.items():
        for action, method, url, data in REQUESTS:
            status, text = call(client, method, url.format(slug=body.slug), data(body.slug) if data else None)
            if not sees_body(user, key):
                expected = 404
            elif not may(user, key, action):
                expected = 403
            else:
                expected = 302 if action == "import" else 200
            assert status == expected, f"{user} {method} {url.format(slug=body.slug)}: {status}, expected {expected}"
            assert not [h for h in hidden if h in text], f"{user} {url}: names another body"
            checked += 1
    assert checked == 2 * len(REQUESTS)


@pytest.mark.django_db
def test_the_body_page_links_to_progress_only_for_those_who_may_see_it(world: World) -> None:  # noqa: F811
    for user, shown in (("member-A", True), ("consultant", True), ("coordinator", True), ("analyst", False)):
        client = Client()
        client.force_login(world.users[user])
        page = client.get(f"/bodies/{world.bodies['A'].slug}/").content.decode()
        assert (f"/bodies/{world.bodies['A'].slug}/progress/" in page) == shown, user


@pytest.mark.django_db
def test_progress_forms_need_the_csrf_token(world: World) -> None:  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lead-A"])
    slug = world.bodies["A"].slug
    assert client.post(f"/bodies/{slug}/progress/actions/STR-06/", {"status": "done"}, HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(f"/bodies/{slug}/progress/import/", upload(slug)).status_code == 403
    page = client.get(f"/bodies/{slug}/progress/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page and 'name="csrfmiddlewaretoken"' in page


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world: World) -> None:  # noqa: F811
    client = Client()
    for _, _method, url, _ in REQUESTS:
        response = client.get(url.format(slug=world.bodies["A"].slug))
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("user", ROLES)
def test_the_progress_scoping_functions_agree_with_the_expectation(world: World, user: str) -> None:  # noqa: F811
    from advisor.web.progress import scoping, services
    for key in "AB":
        services.save(world.bodies[key], "STR-06", {"status": "in_progress"}, world.users[f"lead-{key}"])
    want = {world.bodies[b].slug for b in "AB" if sees_body(user, b) and may(user, b, "view")}
    assert {r.body.slug for r in scoping.progress(world.users[user])} == want
    assert {e.body.slug for e in scoping.events(world.users[user])} == want
