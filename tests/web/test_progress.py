"""Action tracking: the stored progress as the library's Progress, saving with its audit trail, next steps and
the roadmap after a change, and the progress file out (read by ``advisor next``) and back in."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.cli.main import main as advisor_cli
from tests.web.conftest import EXAMPLE_A, World

TODAY = dt.date(2026, 6, 1)


def kb() -> Any:
    from advisor.web.assessments.services import kb as site_kb
    return site_kb()


def row(action: str, status: str, **fields: Any) -> Any:
    from advisor.web.progress.models import ActionProgress
    return ActionProgress(action=action, status=status, **fields)


def test_done_and_in_progress_become_the_progress_file_planned_and_dropped_do_not() -> None:
    from advisor.web.progress.services import to_progress
    rows = [row("STR-06", "done", done_on=dt.date(2026, 5, 1), note="approved"), row("TEC-01", "in_progress"),
            row("ORG-03", "in_progress", started_on=dt.date(2026, 4, 1)), row("STR-08", "planned"),
            row("STR-11", "dropped", reason="merged into another programme")]
    p = to_progress("health-body", rows)
    assert p.organisation == "health-body"
    assert [(d.action, d.date, d.note) for d in p.done] == [("STR-06", dt.date(2026, 5, 1), "approved")]
    assert [(i.action, i.since) for i in p.in_progress] == [("ORG-03", dt.date(2026, 4, 1)), ("TEC-01", None)]
    assert api.validate_progress(api.to_jsonable(p), kb()) == p  # the library accepts what the web builds


STATUSES = ["planned", "in_progress", "done", "dropped"]


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(api.load_kb().actions)), st.sampled_from(STATUSES), max_size=12))
def test_every_status_mix_is_a_valid_progress_that_lists_exactly_the_started_actions(statuses: dict[str, str]) -> None:
    from advisor.web.progress.services import to_progress
    rows = [row(a, s, done_on=dt.date(2026, 1, 2) if s == "done" else None) for a, s in statuses.items()]
    p = api.validate_progress(api.to_jsonable(to_progress("health-body", rows)), kb())
    assert {d.action for d in p.done} == {a for a, s in statuses.items() if s == "done"}
    assert {i.action for i in p.in_progress} == {a for a, s in statuses.items() if s == "in_progress"}


def test_late_means_not_finished_by_the_planned_finish_and_in_the_roadmap() -> None:
    from advisor.web.progress.services import late
    rows = [row("A", "planned", planned_finish=dt.date(2026, 5, 1)), row("B", "in_progress", planned_finish=dt.date(2026, 5, 30)),
            row("C", "done", planned_finish=dt.date(2026, 1, 1)), row("D", "dropped", planned_finish=dt.date(2026, 1, 1)),
            row("E", "planned", planned_finish=TODAY), row("F", "planned", planned_finish=dt.date(2026, 1, 1)),
            row("G", "planned")]
    assert [(x.action, x.days) for x in late(rows, {"A", "B", "C", "D", "E", "G"}, TODAY)] == [("A", 31), ("B", 2)]


def clean(**data: str) -> tuple[dict[str, Any], dict[str, str]]:
    from django.http import QueryDict

    from advisor.web.progress import forms
    q = QueryDict(mutable=True)
    q.update(data)
    return forms.clean(q, TODAY)


def test_form_rules() -> None:
    values, errors = clean(status="done")
    assert not errors and values["done_on"] == TODAY
    values, errors = clean(status="in_progress", done_on="2026-01-01")
    assert not errors and values["started_on"] == TODAY and values["done_on"] is None
    assert set(clean(status="dropped")[1]) == {"reason"}
    assert set(clean(status="finished")[1]) == {"status"}
    assert set(clean(status="done", done_on="2026-07-01")[1]) == {"done_on"}
    assert set(clean(status="planned", planned_start="2026-07-01", planned_finish="2026-06-01")[1]) == {"planned_finish"}
    assert set(clean(status="planned", planned_start="1 June")[1]) == {"planned_start"}
    assert set(clean(status="planned", evidence_url="javascript:alert(1)")[1]) == {"evidence_url"}
    assert not clean(status="planned", evidence_url="https://example.org/order-12", owner="Deputy head")[1]


def signed_in(world: World, user: str) -> Client:
    client = Client()
    client.force_login(world.users[user])
    return client


def post_action(client: Client, slug: str, action: str, **data: str) -> Any:
    return client.post(f"/bodies/{slug}/progress/actions/{action}/", data, HTTP_HX_REQUEST="true")


@pytest.mark.django_db
def test_marking_an_action_in_progress_then_done_changes_next_and_the_roadmap(world: World) -> None:
    from advisor.web.progress.models import ProgressEvent
    slug = world.bodies["A"].slug
    client = signed_in(world, "lead-A")
    page = client.get(f"/bodies/{slug}/progress/").content.decode()
    assert 'id="action-STR-11"' in page and 'id="action-TEC-09"' in page
    response = post_action(client, slug, "STR-11", status="in_progress", owner="Head of strategy", planned_finish="2020-01-31")
    assert response.status_code == 200
    panel = response.content.decode()
    assert panel.startswith('<div id="progress-panel">')
    underway = panel.split('id="next-underway"')[1].split("</ul>")[0]
    late = panel.split('id="next-late"')[1].split("</ul>")[0]
    compliance = kb().actions["STR-11"].title.ru
    assert compliance in underway and compliance in late
    response = post_action(client, slug, "STR-11", status="done", owner="Head of strategy", note="order No. 12")
    panel = response.content.decode()
    ready = panel.split('id="next-ready"')[1].split("</ul>")[0]
    assert kb().actions["TEC-09"].title.ru in ready  # its only prerequisite is done
    assert 'id="action-STR-11" data-status="done"' in panel
    assert compliance not in panel.split('id="next"')[1].split("</section>")[0]
    fields = {(e.field, e.new) for e in ProgressEvent.objects.filter(action="STR-11")}
    assert {("status", "in_progress"), ("status", "done"), ("owner", "Head of strategy"), ("note", "order No. 12")} <= fields
    assert all(e.user == world.users["lead-A"] for e in ProgressEvent.objects.all())


@pytest.mark.django_db
def test_a_bad_form_is_refused_in_place_and_nothing_is_saved(world: World) -> None:
    from advisor.web.progress.models import ActionProgress
    client = signed_in(world, "member-A")
    response = post_action(client, world.bodies["A"].slug, "STR-06", status="dropped")
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    assert not ActionProgress.objects.exists()
    assert post_action(client, world.bodies["A"].slug, "NO-SUCH", status="done").status_code == 404


def export(client: Client, slug: str) -> str:
    response = client.get(f"/bodies/{slug}/progress/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/yaml")
    return response.content.decode()


@pytest.mark.django_db
def test_the_progress_file_goes_out_to_the_cli_and_comes_back_in(world: World, tmp_path: Any) -> None:
    from advisor.web.progress.models import ActionProgress
    slug = world.bodies["A"].slug
    client = signed_in(world, "lead-A")
    post_action(client, slug, "STR-11", status="done", done_on="2026-01-15", note="order No. 12")
    # the needs-based training (level 4): the health body's literacy programme (HUM-03) is already achieved at 3
    post_action(client, slug, "HUM-24", status="in_progress", started_on="2026-02-01", owner="CIO")
    post_action(client, slug, "STR-08", status="dropped", reason="no budget")
    text = export(client, slug)
    path = tmp_path / "progress.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(advisor_cli, ["next", str(EXAMPLE_A), "--progress", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    nx = json.loads(result.output)["next"]
    assert nx["in_progress"] == ["HUM-24"] and "TEC-09" in [a["id"] for a in nx["ready"]]
    assert "STR-11" not in [a["id"] for a in nx["ready"]] + [b["id"] for b in nx["blocked"]]
    # back in: the file's statuses replace the stored ones; what only the web keeps stays
    post_action(client, slug, "ORG-03", status="in_progress")
    response = client.post(f"/bodies/{slug}/progress/import/", {"file": open(path, "rb")})
    assert response.status_code == 302
    assert export(client, slug) == text
    rows = {r.action: r for r in ActionProgress.objects.filter(body=world.bodies["A"])}
    assert rows["ORG-03"].status == "planned" and rows["HUM-24"].owner == "CIO" and rows["STR-08"].status == "dropped"
    # and into body A from the file the CLI's user wrote by hand
    assert CliRunner().invoke(advisor_cli, ["next", str(EXAMPLE_A), "--progress", str(path)]).exit_code == 0


@pytest.mark.django_db
def test_a_bad_progress_file_is_shown_located_and_changes_nothing(world: World, tmp_path: Any) -> None:
    from advisor.web.progress.models import ActionProgress, ProgressEvent
    slug = world.bodies["A"].slug
    client = signed_in(world, "lead-A")
    post_action(client, slug, "TEC-01", status="in_progress")
    bad = b"organisation: health-body\ndone:\n  - action: STR-06\n    date: 2026-01-15\n  - action: STR-6\n    date: 2026-01-16\n"
    path = tmp_path / "mine.yaml"
    path.write_bytes(bad)
    response = client.post(f"/bodies/{slug}/progress/import/", {"file": open(path, "rb")})
    assert response.status_code == 422
    page = response.content.decode()
    assert "mine.yaml:5" in page and "STR-6" in page and str(tmp_path) not in page
    assert [(r.action, r.status) for r in ActionProgress.objects.all()] == [("TEC-01", "in_progress")]
    assert not ProgressEvent.objects.filter(field="imported").exists()
    other = tmp_path / "other.yaml"
    other.write_bytes(b"organisation: local-akimat\ndone: []\n")
    page = client.post(f"/bodies/{slug}/progress/import/", {"file": open(other, "rb")}).content.decode()
    assert "local-akimat" in page and "organisation" in page


@pytest.mark.django_db
def test_without_javascript_the_form_posts_and_returns_to_the_page(world: World) -> None:
    slug = world.bodies["A"].slug
    client = signed_in(world, "member-A")
    response = client.post(f"/bodies/{slug}/progress/actions/STR-08/", {"status": "dropped", "reason": "no budget this year"})
    assert response.status_code == 302 and response["Location"] == f"/bodies/{slug}/progress/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="action-STR-08" data-status="dropped"' in page and "no budget this year" in page
    client.post(f"/bodies/{slug}/progress/actions/STR-06/", {"status": "dropped", "reason": "replaced"})
    blocked = client.get(f"/bodies/{slug}/progress/").content.decode().split('id="next-blocked"')[1].split("</ul>")[0]
    assert f"{kb().actions['STR-06'].title.ru} (отменено)" in blocked  # what waits for a dropped action says so
    response = client.post(f"/bodies/{slug}/progress/actions/STR-08/", {"status": "done", "done_on": "2999-01-01"})
    assert response.status_code == 422 and "<html" in response.content.decode() and "<details open>" in response.content.decode()
