"""Entering a round's outcome figures in the web form: checked by the library's model and checks (the ones an
imported file goes through), problems shown beside their field in the user's language, nothing saved on a
problem, an audit event per changed indicator, the figures in the YAML the CLI reads and in the round's results."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from advisor import api
from advisor.web.assessments import forms, services
from advisor.web.assessments.models import AuditEvent, Round
from tests.web.conftest import World
from tests.web.test_outcomes import REPORTED, client_of

GOOD = {"projects_on_time-value": "52,5", "projects_on_time-unit": "percent", "projects_on_time-period": "2026",
        "projects_on_time-source": "Годовой отчёт 2026", "citizen_satisfaction-value": "4.1",
        "citizen_satisfaction-unit": "score_5", "citizen_satisfaction-period": "2026-H1",
        "citizen_satisfaction-source": "Опрос", "citizen_satisfaction-note": "1 200 ответов"}


def qd(data: dict[str, str]) -> QueryDict:
    q = QueryDict(mutable=True)
    q.update(data)
    return q


def post(c: Any, round_: Round, data: dict[str, str]) -> Any:
    return c.post(f"/rounds/{round_.pk}/outcomes/", data)


@pytest.mark.django_db
def test_a_cloned_round_gets_its_own_figures_through_the_form(world: World, tmp_path: Path) -> None:
    draft = world.rounds["A-draft"]            # the next round of A's final one: starts without figures
    assert draft.outcomes == {} and draft.previous.outcomes
    c = client_of(world, "member-A")
    form = c.get(f"/rounds/{draft.pk}/outcomes/").content.decode()
    # the previous period's figure is beside its row, not in it
    assert "Раунд №1 указал: 48\xa0% (2025; " in form and 'name="projects_on_time-value" value=""' in form
    assert re.search(r'<option value="score_5" selected>', form) is None   # the previous round reported satisfaction in percent
    resp = post(c, draft, GOOD)
    assert resp.status_code == 302 and resp["Location"] == f"/rounds/{draft.pk}/#outcomes"
    draft.refresh_from_db()
    assert draft.outcomes == {
        "projects_on_time": {"value": 52.5, "unit": "percent", "period": "2026", "source": "Годовой отчёт 2026"},
        "citizen_satisfaction": {"value": 4.1, "unit": "score_5", "period": "2026-H1", "source": "Опрос", "note": "1 200 ответов"}}
    # the CLI reads the exported round with the same figures
    path = tmp_path / "round.yaml"
    path.write_text(services.export_yaml(draft), encoding="utf-8")
    assert {k: v.model_dump(exclude_none=True) for k, v in (api.assess(path, services.kb()).assessment.outcomes or {}).items()} \
        == draft.outcomes
    events = AuditEvent.objects.filter(round=draft, field="outcome")
    assert sorted(e.criterion for e in events) == ["citizen_satisfaction", "projects_on_time"]
    page = c.get(f"/rounds/{draft.pk}/").content.decode()
    assert "52,5\xa0%" in page and "Годовой отчёт 2026" in page
    history = c.get(f"/rounds/{draft.pk}/history/").content.decode()
    assert "Показатель результатов" in history and "52.5 · percent · 2026 · Годовой отчёт 2026" in history


@pytest.mark.django_db
def test_an_emptied_row_is_no_longer_reported_and_unchanged_figures_make_no_event(world: World) -> None:
    draft, c = world.rounds["A-draft"], client_of(world, "lead-A")
    post(c, draft, GOOD)
    before = AuditEvent.objects.filter(round=draft, field="outcome").count()
    post(c, draft, GOOD)
    assert AuditEvent.objects.filter(round=draft, field="outcome").count() == before
    kept = {k: v for k, v in GOOD.items() if k.startswith("projects_on_time")} | {"citizen_satisfaction-unit": "score_5"}
    assert post(c, draft, kept).status_code == 302
    draft.refresh_from_db()
    assert set(draft.outcomes) == {"projects_on_time"}
    [gone] = AuditEvent.objects.filter(round=draft, field="outcome", criterion="citizen_satisfaction").order_by("-id")[:1]
    assert gone.new == "" and gone.old.startswith("4.1")


BAD = {  # what the user typed -> the field the library names
    "value": ({"projects_on_time-value": "148"}, "projects_on_time", "value"),
    "not a number": ({"projects_on_time-value": "много"}, "projects_on_time", "value"),
    "no period": ({"projects_on_time-period": ""}, "projects_on_time", "period"),
    "no source": ({"citizen_satisfaction-source": " "}, "citizen_satisfaction", "source"),
    "unit": ({"projects_on_time-unit": "score_5"}, "projects_on_time", "unit"),
    "no value": ({"citizen_satisfaction-value": ""}, "citizen_satisfaction", "value"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_figure_is_said_beside_its_field_in_the_users_language_and_nothing_is_saved(world: World, lang: str,
                                                                                           case: str) -> None:
    change, oid, field = BAD[case]
    draft = world.rounds["A-draft"]
    c = client_of(world, "member-A", lang)
    data = GOOD | change
    # what the library says of the same figures, in the same language
    with pytest.raises(api.AdvisorError) as err:
        services.save_outcomes(draft, forms.outcome_rows(qd(data), services.kb().indicators()), world.users["member-A"])
    [problem] = err.value.problems
    assert problem.field == f"outcomes.{oid}.{field}"
    resp = post(c, draft, data)
    page = resp.content.decode()
    assert resp.status_code == 422
    message = api.translations(lang).gettext  # the message's template, translated
    said = page[page.index(f'id="e-{oid}-{field}"'):].split("</p>")[0]
    assert escape(problem.message.localise(message)) in said  # type: ignore[attr-defined]
    assert str(problem.message) not in said or lang == "en"      # never the English text
    assert 'aria-invalid="true"' in page and 'role="alert"' in page
    # what the user typed is still in the form
    for key, value in data.items():
        if key.endswith(("-value", "-period", "-source")) and value.strip():
            assert f'name="{key}" value="{escape(value)}"' in page
    draft.refresh_from_db()
    assert draft.outcomes == {} and not AuditEvent.objects.filter(round=draft, field="outcome").exists()


@pytest.mark.django_db
def test_only_who_may_edit_the_round_enters_figures_and_a_final_round_keeps_its_own(world: World) -> None:
    final, draft = world.rounds["A-final"], world.rounds["A-draft"]
    assert post(client_of(world, "lead-A"), final, GOOD).status_code == 403
    assert post(client_of(world, "consultant"), draft, GOOD).status_code == 403
    assert post(client_of(world, "coordinator"), draft, GOOD).status_code == 403
    assert post(client_of(world, "member-B"), draft, GOOD).status_code == 404
    final.refresh_from_db()
    draft.refresh_from_db()
    assert final.outcomes == {k: v.model_dump(mode="json", exclude_none=True) for k, v in REPORTED.items()} and draft.outcomes == {}
    page = client_of(world, "consultant").get(f"/rounds/{draft.pk}/").content.decode()
    assert 'id="edit-outcomes"' not in page


@pytest.mark.django_db
def test_the_results_follow_the_entered_figures(world: World) -> None:
    draft, c = world.rounds["A-draft"], client_of(world, "lead-A")
    first = c.get(f"/rounds/{draft.pk}/results/").content.decode()
    assert "Годовой отчёт 2026" not in first
    post(c, draft, GOOD)
    again = c.get(f"/rounds/{draft.pk}/results/").content.decode()
    section = again[again.index('<section id="outcomes">'):]
    assert "52,5\xa0%" in section.split("</section>")[0] and "Годовой отчёт 2026" in section


numbers = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(value=numbers, comma=st.booleans(), spaces=st.booleans())
def test_a_figure_reads_the_same_written_with_a_comma_or_a_point(value: Any, comma: bool, spaces: bool) -> None:
    text = format(value, "f")
    if comma:
        text = text.replace(".", ",")
    if spaces:
        text = f"  {text} "
    rows = forms.outcome_rows(qd({"projects_on_time-value": text, "projects_on_time-unit": "percent",
                                  "projects_on_time-period": "2026", "projects_on_time-source": "s"}), services.kb().indicators())
    assert rows == {"projects_on_time": {"value": float(value), "unit": "percent", "period": "2026", "source": "s"}}
    assert api.validate_outcomes(rows, services.kb())["projects_on_time"].value == float(value)
