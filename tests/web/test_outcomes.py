"""A round's outcome indicators in the web application: stored on import (checked by the library's loaders),
exported to the YAML the CLI reads, not carried into the next round, shown per final round on the timeline
and compared between two rounds with the library's compare, only where the round is visible."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from markupsafe import escape

from advisor import api
from advisor.reports import numbers
from advisor.web.assessments import services
from advisor.web.assessments.models import Answer, Round
from tests.conftest import run_cli
from tests.web.conftest import EXAMPLE_A, World
from tests.web.test_matrix import ROLES, sees_body

REPORTED = api.assess(EXAMPLE_A, services.kb()).assessment.outcomes or {}


def client_of(world: World, user: str, lang: str | None = None) -> Client:
    from advisor.web.accounts.models import Profile
    if lang is not None:
        Profile.objects.filter(user=world.users[user]).update(language=lang)
    c = Client()
    c.force_login(world.users[user])
    return c


def later_round(world: World, outcomes: dict[str, Any]) -> Round:
    """Body A's next assessment, a year on, imported from a file with these outcomes and made final."""
    data = yaml.safe_load(EXAMPLE_A.read_text(encoding="utf-8"))
    data["date"], data["outcomes"] = "2026-11-20", outcomes
    lead = world.users["lead-A"]
    r = services.import_round(world.bodies["A"], "later.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), lead)
    services.submit(r, lead)
    services.finalise(r, lead)
    return r


def test_the_example_reports_outcomes() -> None:
    assert set(REPORTED) == {"projects_on_time", "citizen_satisfaction"}


@pytest.mark.django_db
def test_import_stores_the_outcomes_and_the_export_gives_them_back_to_the_cli(world: World, tmp_path: Path) -> None:
    final = world.rounds["A-final"]
    assert final.outcomes == {oid: o.model_dump(mode="json", exclude_none=True) for oid, o in REPORTED.items()}
    exported = tmp_path / "round.yaml"
    exported.write_text(services.export_yaml(final), encoding="utf-8")
    assert api.assess(exported, services.kb()).assessment.outcomes == REPORTED
    cli = json.loads(run_cli("assess", exported, "--format", "json").output)
    assert cli["assessment"]["outcomes"]["citizen_satisfaction"]["note"] == REPORTED["citizen_satisfaction"].note


@pytest.mark.django_db
def test_the_next_round_starts_without_the_outcomes_and_says_so(world: World) -> None:
    final = world.rounds["A-final"]
    nxt = services.new_round(final.body, world.users["lead-A"], previous=final)
    assert Round.objects.get(pk=nxt.pk).outcomes == {} and final.outcomes
    assert "outcomes" not in services.assessment_data(nxt)
    page = client_of(world, "lead-A").get(f"/rounds/{nxt.pk}/").content.decode()
    assert f"Значения показателей результатов раунда №{final.number} не скопированы" in page
    page = client_of(world, "lead-A").get(f"/rounds/{final.pk}/").content.decode()
    assert escape(REPORTED["projects_on_time"].source) in page and "48\xa0%" in page   # Russian: «48 %»


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_timeline_table_shows_each_final_rounds_figures(world: World, lang: str) -> None:
    k = services.kb()
    later_round(world, {"projects_on_time": {"value": 55.5, "unit": "percent", "period": "2026", "source": "Годовой отчёт 2026"}})
    page = client_of(world, "member-A", lang).get(f"/bodies/{world.bodies['A'].slug}/timeline/").content.decode()
    table = page[page.index('<table class="list outcomes">'):]
    table = table[:table.index("</table>")]
    units = k.outcomes.units  # type: ignore[union-attr]
    for oid, o in REPORTED.items():
        assert escape(getattr(k.indicators()[oid].name, lang)) in table
        assert escape(o.source) in table and escape(o.note or "") in table
    gap = numbers.percent_gap(lang)    # the language's space before «%»: Russian «48 %», Kazakh «48%»
    assert f"48{gap}{units['percent'].name.get(lang)}" in table and f"55,5{gap}%" in table and "Годовой отчёт 2026" in table
    assert table.count("<tr>") == 1 + len(REPORTED) + 1     # the header, round 1's two figures, the later round's one
    assert {"ru": "Результаты деятельности", "kk": "Қызмет нәтижелері"}[lang] in page


@pytest.mark.django_db
def test_a_timeline_without_outcomes_says_so(world: World) -> None:
    Round.objects.filter(body=world.bodies["A"]).update(outcomes={})
    page = client_of(world, "member-A").get(f"/bodies/{world.bodies['A'].slug}/timeline/").content.decode()
    assert '<table class="list outcomes">' not in page
    assert "Ни в одном утверждённом раунде пока не указаны показатели результатов." in page


@pytest.mark.django_db
def test_compare_shows_the_libraries_outcome_changes_only_in_one_unit(world: World, tmp_path: Path) -> None:
    first = world.rounds["A-final"]
    later = later_round(world, {"projects_on_time": {"value": 55, "unit": "percent", "period": "2026", "source": "Отчёт 2026"},
                                "citizen_satisfaction": {"value": 4.2, "unit": "score_5", "period": "2026", "source": "Опрос 2026"},
                                "results_published": {"value": 30, "unit": "percent", "period": "2026", "source": "Сайт органа"}})
    paths = []
    for name, r in (("old", first), ("new", later)):
        paths.append(tmp_path / f"{name}.yaml")
        paths[-1].write_text(services.export_yaml(r), encoding="utf-8")
    cli = {o["id"]: o for o in json.loads(run_cli("compare", *paths, "--format", "json").output)["comparison"]["outcomes"]}
    assert cli["projects_on_time"]["change"] == 7 and cli["citizen_satisfaction"]["change"] is None
    page = client_of(world, "member-A").get(f"/bodies/{first.body.slug}/timeline/",
                                            {"old": first.number, "new": later.number}).content.decode()
    section = page[page.index('<table class="list outcomes-change">'):]
    section = section[:section.index("</table>")]
    k = services.kb()
    rows = {oid: section[section.index(k.indicators()[oid].name.ru):].split("</tr>")[0] for oid in cli}
    assert "48\xa0% (2025) → 55\xa0% (2026) (+7)" in rows["projects_on_time"]     # in Russian: «48 %», «4,2»
    assert "71\xa0% (2025) → 4,2 балл (1–5) (2026) — разные единицы, не сравниваются" in rows["citizen_satisfaction"]
    assert "— → 30\xa0% (2026)" in rows["results_published"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_bad_outcome_on_import_is_located_in_the_users_language_and_stores_nothing(world: World, lang: str) -> None:
    gettext = api.translations(lang).gettext
    rounds, answers = Round.objects.count(), Answer.objects.count()
    text = EXAMPLE_A.read_text(encoding="utf-8")
    cases = {"value": text.replace("value: 48", "value: 148", 1),
             "unit": text.replace("value: 71\n    unit: percent", "value: 71\n    unit: score_7", 1),
             "indicator": text.replace("projects_on_time:", "projects_in_time:", 1)}
    c = client_of(world, "lead-A", lang)
    for what, bad in cases.items():
        with pytest.raises(api.AdvisorError) as err:
            services.import_round(world.bodies["A"], "mine.yaml", bad.encode(), world.users["lead-A"])
        [problem] = err.value.problems
        assert problem.field is not None and problem.field.startswith("outcomes.")
        resp = c.post(f"/bodies/{world.bodies['A'].slug}/import/", {"file": SimpleUploadedFile("mine.yaml", bad.encode())})
        page = resp.content.decode()
        assert resp.status_code == 422, what
        assert f"mine.yaml:{problem.line}" in page and problem.field in page, what
        assert escape(problem.render(gettext)) in page and escape(str(problem.message)) not in page, what
    assert (Round.objects.count(), Answer.objects.count()) == (rounds, answers)


@pytest.mark.django_db
def test_outcomes_appear_only_where_the_round_is_visible(world: World) -> None:
    source = str(escape(REPORTED["projects_on_time"].source))
    slug, pk = world.bodies["A"].slug, world.rounds["A-final"].pk
    for user in ROLES:
        c = client_of(world, user)
        for url in (f"/bodies/{slug}/timeline/", f"/rounds/{pk}/", f"/rounds/{pk}/results/"):
            resp = c.get(url)
            assert resp.status_code == (200 if sees_body(user, "A") else 404), (user, url)
            assert (source in resp.content.decode()) == sees_body(user, "A"), (user, url)


@pytest.mark.django_db
def test_the_results_report_shows_the_rounds_outcomes(world: World) -> None:
    page = client_of(world, "member-A").get(f"/rounds/{world.rounds['A-final'].pk}/results/").content.decode()
    section = page[page.index('<section id="outcomes">'):]
    section = section[:section.index("</section>")]
    assert "48\xa0%" in section and "71\xa0%" in section and escape(REPORTED["citizen_satisfaction"].source) in section
    html = client_of(world, "member-A").get(f"/rounds/{world.rounds['A-final'].pk}/download/html/").content.decode()
    assert escape(REPORTED["projects_on_time"].source) in html
