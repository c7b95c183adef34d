"""Rounds over time: the chart and table of every final round from its stored result, `compare` between two
rounds (the same as the CLI's), and knowledge-base versions: a recompute adds a result marked with the
installed version and the old one stays in the history."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from django.test import Client

from advisor import api
from advisor.reports import numbers
from tests.conftest import run_cli
from tests.web.conftest import World
from tests.web.kbhelpers import candidate


def num(x: float) -> str:
    """A score as the member's page (in Russian) writes it: «2,55»."""
    return numbers.number(x, "ru")


def second_final_round(world: World) -> Any:
    """Body A's round 2, a month after round 1, with two criteria scored higher, made final."""
    from advisor.web.assessments import services
    lead, r = world.users["lead-A"], world.rounds["A-submitted"]
    services.reopen(r, lead)
    first = world.rounds["A-final"]
    services.save_meta(r, first.assessed_on + dt.timedelta(days=30), "Second assessor", lead)
    for criterion in ("strategy.monitoring", "technology.big_data"):
        a = r.answers.get(criterion=criterion)
        services.save_answer(r, criterion, {"score": 5, "not_applicable": False, "evidence": a.evidence or "e",
                                            "method": a.method}, a.revision, lead)
    services.submit(r, lead)
    services.finalise(r, lead)
    return r


@pytest.mark.django_db
def test_every_stored_result_names_the_knowledge_base_that_computed_it(world: World) -> None:
    from advisor.web.assessments.models import Result
    from advisor.web.assessments.services import kb
    results = list(Result.objects.all())
    assert results and all(r.kb_version == kb().version and r.kb_hash == kb().content_hash for r in results)


@pytest.mark.django_db
def test_the_chart_and_table_show_every_final_round(world: World) -> None:
    from advisor.web.timeline.services import stored
    second = second_final_round(world)
    client = Client()
    client.force_login(world.users["member-A"])
    page = client.get(f"/bodies/{world.bodies['A'].slug}/timeline/").content.decode()
    firsts = [stored(r)[0].evaluation["scores"] for r in (world.rounds["A-final"], second)]
    overall = re.search(r'<g class="series s0 overall">\s*<polyline points="([^"]+)"', page)
    assert overall is not None and len(overall.group(1).split()) == 2
    ys = [float(p.split(",")[1]) for p in overall.group(1).split()]
    # higher score, higher on the chart (smaller y)
    assert (ys[1] < ys[0]) == (firsts[1]["overall_score"] > firsts[0]["overall_score"])
    assert page.count("<polyline") == 1 + len(firsts[0]["dimensions"])
    assert 'role="img"' in page and 'aria-labelledby="trend-title trend-desc"' in page
    table = page[page.index('<table class="list levels">'):]
    for s in firsts:   # the table gives every value the chart draws
        assert f"{num(s['overall_score'])} ({s['overall_level']})" in table
        assert all(f"{num(d['score'])} ({d['level']})" in table for d in s["dimensions"])
    assert "Раунды во времени" in page          # the member's language


@pytest.mark.django_db
def test_compare_between_two_rounds_is_the_clis_compare(world: World, tmp_path: Path) -> None:
    from advisor.web.assessments import services
    second = second_final_round(world)
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(services.export_yaml(world.rounds["A-final"]), encoding="utf-8")
    new.write_text(services.export_yaml(second), encoding="utf-8")
    cli = json.loads(run_cli("compare", old, new, "--format", "json").output)["comparison"]
    client = Client()
    client.force_login(world.users["consultant"])
    url = f"/bodies/{world.bodies['A'].slug}/timeline/"
    from advisor.web.assessments.models import Result
    stored_before = Result.objects.count()
    # given in either order, the earlier round is the old one
    page = client.get(url, {"old": second.number, "new": world.rounds["A-final"].number}).content.decode()
    assert Result.objects.count() == stored_before   # a comparison stores nothing
    k = services.kb()
    section = page[page.index('<section class="comparison"'):]
    assert f"Изменившиеся критерии ({len(cli['criteria'])})" in section
    assert {c["id"] for c in cli["criteria"]} == {"strategy.monitoring", "technology.big_data"}
    for c in cli["criteria"]:
        assert k.criteria[c["id"]].name.ru in section
    assert f"Выполненные мероприятия ({len(cli['actions_completed'])})" in section
    assert f"Устранённые слабые места ({len(cli['weaknesses_resolved'])})" in section
    assert f"Новые слабые места ({len(cli['weaknesses_new'])})" in section
    for w in cli["weaknesses_resolved"]:
        assert k.weaknesses[w].title.ru in section
    for a in cli["actions_completed"]:
        assert k.actions[a].title.ru in section
    assert client.get(url, {"old": "1", "new": "1"}).status_code == 422
    assert client.get(url, {"old": "1", "new": "99"}).status_code == 422


@pytest.fixture
def new_kb_installed(tmp_path: Path, settings: Any) -> Iterator[api.KnowledgeBase]:
    """The site's knowledge base replaced by a new version (one threshold moved), as after an upgrade."""
    from advisor.web.assessments import services
    settings.ADVISOR_KB = str(candidate(tmp_path / "kb-next", version="2026.12.0"))
    services.kb.cache_clear()
    yield services.kb()
    services.kb.cache_clear()


@pytest.mark.django_db
def test_a_recompute_adds_a_result_of_the_new_version_and_keeps_the_old(world: World, new_kb_installed: Any) -> None:
    from advisor.web.timeline.services import stored
    slug, first = world.bodies["A"].slug, world.rounds["A-final"]
    old_result = stored(first)[0]
    member, lead = Client(), Client()
    member.force_login(world.users["member-A"])
    lead.force_login(world.users["lead-A"])
    page = member.get(f"/bodies/{slug}/timeline/").content.decode()
    assert "прежняя версия" in page and old_result.kb_version in page
    assert f"/timeline/recompute/{first.number}/" not in page          # a member may not recompute
    assert member.post(f"/bodies/{slug}/timeline/recompute/{first.number}/").status_code == 403
    assert f"/timeline/recompute/{first.number}/" in lead.get(f"/bodies/{slug}/timeline/").content.decode()
    assert lead.post(f"/bodies/{slug}/timeline/recompute/{first.number}/").status_code == 302
    results = stored(first)
    assert [r.kb_version for r in results] == [new_kb_installed.version, old_result.kb_version]
    assert new_kb_installed.version.startswith("2026.12.0+")
    assert results[1].pk == old_result.pk and results[1].evaluation == old_result.evaluation
    page = lead.get(f"/bodies/{slug}/timeline/").content.decode()
    assert "2026.12.0" in page and old_result.kb_hash[:12] in page and new_kb_installed.content_hash[:12] in page
    assert "прежняя версия" not in page


@pytest.mark.django_db
def test_the_management_command_and_the_job_recompute_what_is_outdated(world: World, new_kb_installed: Any) -> None:
    from advisor.web import commands
    from advisor.web.jobs import services
    from advisor.web.jobs.models import Job
    client = Client()
    client.force_login(world.users["coordinator"])
    page = client.get("/knowledge-base/").content.decode()
    assert "2 утверждённых раунда не имеют результата" in page
    location = client.post("/knowledge-base/recompute/")["Location"]
    job = Job.objects.get()
    assert location == f"/jobs/{job.pk}/" and job.total == 2
    while (claimed := services.claim()) is not None:
        services.run(claimed)
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"recomputed": 2, "kb_version": new_kb_installed.version}
    lines: list[str] = []
    assert commands.recompute(lines.append) == 0                    # nothing left to do
    assert lines == [f"0 result(s) computed with knowledge base {new_kb_installed.version} (0 final round(s) had none)"]
    assert "У каждого утверждённого раунда есть результат" in client.get("/knowledge-base/").content.decode()


@pytest.mark.django_db
def test_the_recompute_command_from_the_cli(world: World, new_kb_installed: Any) -> None:
    from advisor.web.assessments.models import Round
    from advisor.web.timeline.services import outdated
    out = run_cli("web", "recompute").output
    assert f"2 result(s) computed with knowledge base {new_kb_installed.version} (2 final round(s) had none)" in out
    assert outdated(list(Round.objects.filter(status="final"))) == []
