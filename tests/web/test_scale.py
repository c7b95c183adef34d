"""What keeps pages cheap under load: evaluations reused per input and knowledge base, and query counts that do not
grow with the rows a page lists (the load test, benchmarks/load.py, measures the speed itself)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from advisor import api
from advisor.web import memo
from advisor.web.accounts.models import Profile
from advisor.web.assessments import services
from advisor.web.bodies.models import Body
from tests.web.conftest import World


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def queries(c: Client, url: str) -> int:
    c.get(url)  # the first request of a session loads what every later one reuses (the knowledge base)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def without_token(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the library evaluates, with an empty memo."""
    memo.computed.clear()
    memo.reports.clear()
    calls: list[int] = []
    real = api.evaluate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(api, "evaluate", counted)
    return calls


def test_a_roadmap_shown_again_is_not_evaluated_again_and_is_the_same(world: World, evaluations: list[int]) -> None:
    c = client_for(world.users["lead-A"])
    url = f"/rounds/{world.rounds['A-final'].pk}/results/"
    first = c.get(url).content.decode()
    second = c.get(url).content.decode()
    assert len(evaluations) == 1
    assert without_token(second) == without_token(first) and "Выявленные слабые места" in first
    Profile.objects.filter(user=world.users["lead-A"]).update(language="en")
    english = c.get(url).content.decode()
    assert "Weaknesses found" in english and "Выявленные слабые места" not in english and len(evaluations) == 1
    assert c.get(url + "?target=5").status_code == 200 and len(evaluations) == 2  # other options: another plan


def test_a_changed_answer_is_evaluated_afresh(world: World, evaluations: list[int]) -> None:
    draft = world.rounds["A-draft"]
    c = client_for(world.users["member-A"])
    url = f"/rounds/{draft.pk}/results/"
    before = c.get(url).content.decode()
    c.post(f"/rounds/{draft.pk}/answers/strategy.monitoring/", {"score": "1", "revision": "0"}, HTTP_HX_REQUEST="true")
    after = c.get(url).content.decode()
    c.get(url)
    assert len(evaluations) == 2 and without_token(after) != without_token(before)
    assert services.compute(draft).evaluation.assessment.scores["strategy.monitoring"].score == 1


def test_progress_changes_replan_the_progress_page(world: World, evaluations: list[int]) -> None:
    c = client_for(world.users["lead-A"])
    url = f"/bodies/{world.bodies['A'].slug}/progress/"
    c.get(url)
    c.get(url)
    assert len(evaluations) == 1
    action = re.search(r'/progress/actions/([^/]+)/', c.get(url).content.decode())
    assert action is not None
    c.post(f"{url}actions/{action.group(1)}/", {"status": "done", "done_on": "2026-11-02"}, HTTP_HX_REQUEST="true")
    assert len(evaluations) == 2  # the saved progress is planned afresh, not served from before the change


@given(st.lists(st.integers(0, 6), max_size=40), st.integers(1, 4))
def test_the_memo_is_a_bounded_lru(keys: list[int], size: int) -> None:
    m = memo.Memo(size)
    made: list[int] = []
    recent: list[int] = []  # the model: most recently used last
    for k in keys:
        before = len(made)
        assert m.get(k, lambda k=k: made.append(k) or k * 10) == k * 10  # type: ignore[func-returns-value]
        assert (len(made) > before) == (k not in recent)  # computed exactly when not among the last `size` used
        if k in recent:
            recent.remove(k)
        recent = (recent + [k])[-size:]
        assert len(m._items) <= size and list(m._items) == recent
    assert m.misses == len(made) and m.hits == len(keys) - len(made)


def test_pages_cost_the_same_number_of_queries_whatever_they_list(world: World) -> None:
    coordinator, member = client_for(world.users["coordinator"]), client_for(world.users["member-A"])
    draft = world.rounds["A-draft"]
    home, questionnaire = queries(coordinator, "/"), queries(member, f"/rounds/{draft.pk}/")
    a = world.bodies["A"]
    for i in range(5):
        Body.objects.create(slug=f"extra-{i}", name_kk="x", name_ru="x", name_en="x", government_level=a.government_level,
                            sector=a.sector, office_type=a.office_type)
        services.new_round(a, world.users["lead-A"])
    for criterion in list(services.kb().criteria)[:6]:  # answers saved by people: the page names who saved each
        member.post(f"/rounds/{draft.pk}/answers/{criterion}/", {"score": "2", "revision": "0"}, HTTP_HX_REQUEST="true")
    assert queries(coordinator, "/") == home
    assert queries(member, f"/rounds/{draft.pk}/") == questionnaire
    assert questionnaire <= 12 and home <= 14
    assert queries(member, f"/rounds/{world.rounds['A-final'].pk}/results/") <= 12
