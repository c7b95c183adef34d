"""The questionnaire: autosave per criterion, a second tab, validation in the user's language, the workflow, the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.reports import numbers
from advisor.web.accounts.models import Profile
from advisor.web.assessments import services
from advisor.web.assessments.forms import SCORES
from advisor.web.assessments.models import Answer, AuditEvent, Result, Round
from tests.web.conftest import World

CID = "strategy.monitoring"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def save(c: Client, round_: Round, data: dict[str, str], criterion: str = CID) -> Any:
    return c.post(f"/rounds/{round_.pk}/answers/{criterion}/", data, HTTP_HX_REQUEST="true")


def test_autosave_stores_the_answer_and_says_when(world: World) -> None:
    r = world.rounds["A-draft"]
    c = client_for(world.users["member-A"])
    before = Answer.objects.get(round=r, criterion=CID)
    resp = save(c, r, {"score": "4.5", "evidence": "Протокол № 7", "method": "document_analysis", "revision": str(before.revision)})
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "Сохранено в" in text and "hx-swap-oob" in text
    a = Answer.objects.get(round=r, criterion=CID)
    assert (a.score, a.evidence, a.method, a.revision) == (Decimal("4.5"), "Протокол № 7", "document_analysis", before.revision + 1)
    assert f'id="rev-strategy-monitoring" value="{a.revision}"' in text
    page = c.get(f"/rounds/{r.pk}/").content.decode()
    assert "Протокол № 7" in page and '<option value="4.5" selected>' in page  # a reload finds the answer


def test_completeness_is_live(world: World) -> None:
    r = services.new_round(world.bodies["A"], world.users["lead-A"])
    c = client_for(world.users["lead-A"])
    assert "0 / 34" in c.get(f"/rounds/{r.pk}/").content.decode()
    assert "1 / 34" in save(c, r, {"score": "na", "revision": "0"}).content.decode()
    assert "1 / 34" in save(c, r, {"score": "", "evidence": "only text", "revision": "1"}, "strategy.alignment").content.decode()


def test_a_second_tab_later_save_wins_and_says_whose_change_it_replaced(world: World) -> None:
    r = world.rounds["A-draft"]
    rev = Answer.objects.get(round=r, criterion=CID).revision
    tab1, tab2 = client_for(world.users["member-A"]), client_for(world.users["lead-A"])
    assert "заменило" not in save(tab1, r, {"score": "2", "revision": str(rev)}).content.decode()
    second = save(tab2, r, {"score": "3", "revision": str(rev)}).content.decode()  # tab2 never saw tab1's save
    assert "заменило более новое изменение" in second and "member-A" in second
    assert Answer.objects.get(round=r, criterion=CID).score == 3


def test_field_messages_in_the_users_language(world: World) -> None:
    Profile.objects.filter(user=world.users["member-A"]).update(language="kk")
    c = client_for(world.users["member-A"])
    r = world.rounds["A-draft"]
    before = Answer.objects.get(round=r, criterion=CID)
    resp = save(c, r, {"score": "7", "method": "astrology", "evidence": "x" * 5001, "revision": "0"})
    text = resp.content.decode()
    assert resp.status_code == 422
    assert 'id="err-strategy-monitoring-score"' in text and "1-ден 5-ке дейінгі балды" in text
    assert "әдістердің бірін таңдаңыз" in text and "Дәлел тым ұзын" in text and "Сақталмады" in text
    assert Answer.objects.get(round=r, criterion=CID).revision == before.revision


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.sampled_from(["1", "1.5", "2,5", "5", "na", "", "0", "5.5", "2.25", "nan", "inf", "-1", "1e1"]),
                     st.text(max_size=8)))
def test_any_score_text_is_stored_as_a_half_point_or_refused(world: World, raw: str) -> None:
    c = client_for(world.users["lead-A"])
    r = world.rounds["A-draft"]
    resp = save(c, r, {"score": raw, "revision": "0"})
    assert resp.status_code in (200, 422)
    a = Answer.objects.get(round=r, criterion=CID)
    assert a.score is None or a.score in SCORES
    if resp.status_code == 422:
        assert "Выберите балл" in resp.content.decode()


def test_final_round_is_read_only(world: World) -> None:
    r = world.rounds["A-final"]
    c = client_for(world.users["lead-A"])
    page = c.get(f"/rounds/{r.pk}/").content.decode()
    assert "<select" not in page and "<textarea" not in page and "утверждён" in page
    before = list(Answer.objects.filter(round=r).values_list("criterion", "score", "evidence"))
    assert save(c, r, {"score": "1", "revision": "0"}).status_code == 403
    assert c.post(f"/rounds/{r.pk}/meta/", {"assessed_on": "2020-01-01", "assessor": "x"}).status_code == 403
    assert list(Answer.objects.filter(round=r).values_list("criterion", "score", "evidence")) == before


def test_workflow_draft_submitted_final_and_next_round_is_a_copy(world: World) -> None:
    lead = client_for(world.users["lead-A"])
    r = services.new_round(world.bodies["A"], world.users["lead-A"])
    lead.post(f"/rounds/{r.pk}/submit/")
    r.refresh_from_db()
    assert r.status == "draft"  # nothing answered: refused, and said why
    assert "осталось 34" in lead.get(f"/rounds/{r.pk}/").content.decode()
    source = world.rounds["A-final"]
    for a in source.answers.all():
        save(lead, r, {"score": "na" if a.not_applicable else (format(a.score.normalize(), "f") if a.score is not None else ""),
                       "evidence": a.evidence, "method": a.method, "revision": "0"}, a.criterion)
    assert lead.post(f"/rounds/{r.pk}/submit/").status_code == 302
    r.refresh_from_db()
    assert r.status == "submitted"
    assert save(lead, r, {"score": "1", "revision": "9"}).status_code == 403  # locked while submitted
    assert lead.post(f"/rounds/{r.pk}/finalise/").status_code == 302
    r.refresh_from_db()
    assert r.status == "final" and r.finalised_by == world.users["lead-A"]
    result = Result.objects.get(round=r)
    kb = services.kb()
    assert (result.kb_version, result.kb_hash) == (kb.version, kb.content_hash)
    resp = lead.post(f"/rounds/{r.pk}/next/")
    new = Round.objects.get(pk=int(resp["Location"].strip("/").split("/")[-1]))
    assert new.status == "draft" and new.previous == r and new.number == r.number + 1
    copy = {a.criterion: (a.score, a.not_applicable, a.evidence, a.method) for a in new.answers.all()}
    assert copy == {a.criterion: (a.score, a.not_applicable, a.evidence, a.method) for a in r.answers.all()}
    assert len(copy) == 34


def test_audit_trail_says_who_changed_what_when(world: World) -> None:
    r = world.rounds["A-draft"]
    c = client_for(world.users["member-A"])
    old = Answer.objects.get(round=r, criterion=CID)
    save(c, r, {"score": "1.5", "evidence": "новое", "method": old.method, "revision": str(old.revision)})
    events = {e.field: e for e in AuditEvent.objects.filter(round=r, criterion=CID, user=world.users["member-A"])}
    assert set(events) == {"score", "evidence"}
    assert events["score"].old == format(old.score.normalize(), "f") and events["score"].new == "1.5"
    assert events["evidence"].old == old.evidence and events["evidence"].new == "новое"
    history = c.get(f"/rounds/{r.pk}/history/").content.decode()
    assert "member-A" in history and "новое" in history


def test_results_page_shows_scores_radar_findings_roadmap_and_explains(world: World) -> None:
    c = client_for(world.users["consultant"])
    r = world.rounds["A-final"]
    page = c.get(f"/rounds/{r.pk}/results/").content.decode()
    ev = services.compute(r).evaluation
    assert f'class="overall-score">{numbers.number(ev.scores.overall_score, "ru")}<' in page   # the consultant reads Russian
    assert 'class="radar"' in page and 'class="gantt"' in page and services.kb().version in page
    weakness = ev.findings.weaknesses[0].id
    assert f"/explain/{weakness}/" in page
    why = c.get(f"/rounds/{r.pk}/explain/{weakness}/").content.decode()
    assert "выявлено" in why and "правило" in why
    report = c.get(f"/rounds/{r.pk}/download/html/")
    assert report["Content-Disposition"].startswith("attachment") and b"<svg" in report.content
    # the leadership's short print by default, everything on paper on request, as `advisor report --paper`
    assert b'<body class="paper-leadership">' in report.content
    full = c.get(f"/rounds/{r.pk}/download/html/?paper=full")
    assert b'<body class="paper-full">' in full.content and "paper=full" in page
    assert c.get(f"/rounds/{r.pk}/download/html/?paper=a4").status_code == 404


@pytest.mark.parametrize("lang, word", [("kk", "Сауалнама"), ("ru", "Анкета"), ("en", "Questionnaire")])
def test_each_user_sees_their_language(world: World, lang: str, word: str) -> None:
    Profile.objects.filter(user=world.users["member-A"]).update(language=lang)
    page = client_for(world.users["member-A"]).get(f"/rounds/{world.rounds['A-draft'].pk}/")
    assert word in page.content.decode() and page["Content-Language"] == lang


def test_results_take_the_clis_roadmap_options(world: World) -> None:
    from advisor import api
    c = client_for(world.users["consultant"])
    r = world.rounds["A-final"]
    kb = services.kb()
    ev = services.compute(r).evaluation
    want = api.roadmap(ev, kb, targets=api.parse_targets(["4"], kb), max_per_stage=2)
    page = c.get(f"/rounds/{r.pk}/results/?target=4&max_per_stage=2").content.decode()
    assert f"{len(want.items)} " in page and f"{want.stages} " in page and "download/html/?target=4&amp;max_per_stage=2" in page
    report = c.get(f"/rounds/{r.pk}/download/json/?target=4&max_per_stage=2").json()
    assert report["roadmap"]["targets"] == {d: 4 for d in kb.dimensions} and report["roadmap"]["stages"] == want.stages
    # the layout of `advisor roadmap --format json`, with its one schema version
    from advisor.models.results import RoadmapOutput
    assert RoadmapOutput.model_validate(report).schema_version == api.SCHEMA_VERSION == 2
    assert Result.objects.filter(round=r, options__max_per_stage=2).exists()
    bad = c.get(f"/rounds/{r.pk}/results/?target=9")
    assert bad.status_code == 422 and "ожидался уровень от 1 до 5" in bad.content.decode()  # the user's language


def test_results_page_shows_the_capacity_assumed_and_when_staffing_restores_it(world: World) -> None:
    from advisor import api
    r = world.rounds["A-final"]
    r.staffing = {"posts": 5, "filled": 1}
    r.save()
    ev = services.compute(r).evaluation
    rm = api.roadmap(ev, services.kb())
    office = next(c for c in rm.capacity if c.role == "project_office_head")
    assert office.restored_month is not None and office.restored_month > 0
    page = client_for(world.users["consultant"]).get(f"/rounds/{r.pk}/results/").content.decode()
    assert "Принятые ресурсы на мероприятия дорожной карты" in page   # the consultant reads Russian
    assert (f"({numbers.number(office.restored_fte, 'ru')} шт. ед. с месяца {office.restored_month}, {office.restored_from}, "
            "после завершения мероприятия «Укомплектование проектного офиса сотрудниками»)") in page
