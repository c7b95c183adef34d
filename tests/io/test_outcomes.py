"""Outcome indicators (seed 000, direction 2): validated with located messages in the user's language, shown in the
report, compared between rounds, and set against maturity across bodies in the portfolio."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from advisor import api
from advisor.errors import AdvisorError
from advisor.reports import numbers

from ..conftest import ROOT, edit_yaml, run_cli, write_yaml

MATURE = ROOT / "examples" / "mature-agency.yaml"
RAW_LIBRARY_TEXT = ["Input should", "String should", "Value error", "Traceback", "validation error"]


def example(name: str = "mature-agency") -> dict:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))


def with_outcomes(tmp_path: Path, outcomes: object, name: str = "a.yaml") -> Path:
    data = example()
    data["outcomes"] = outcomes
    return write_yaml(tmp_path / name, data)


def test_every_existing_assessment_stays_valid_without_outcomes(kb, tmp_path: Path) -> None:
    data = example()
    del data["outcomes"]
    ev = api.assess(write_yaml(tmp_path / "a.yaml", data), kb)
    assert ev.assessment.outcomes is None
    assert "Outcomes" in api.render_report(ev, api.roadmap(ev, kb), kb, "en", "md")   # the section invites them


@pytest.mark.parametrize(("outcomes", "field", "en", "ru"), [
    ({"projects_on_tme": {"value": 5, "unit": "percent", "period": "2025", "source": "x"}}, "outcomes.projects_on_tme",
     "did you mean 'projects_on_time'", "неизвестный показатель результатов"),
    ({"projects_on_time": {"value": 5, "unit": "score_5", "period": "2025", "source": "x"}},
     "outcomes.projects_on_time.unit", "one of percent", "не предусмотрена для этого показателя"),
    ({"projects_on_time": {"value": 0.62, "unit": "percent", "period": "2025", "source": "x"}}, None, None, None),
    ({"projects_on_time": {"value": 162, "unit": "percent", "period": "2025", "source": "x"}},
     "outcomes.projects_on_time.value", "62 for 62%", "от 0 до 100"),
    ({"citizen_satisfaction": {"value": 6, "unit": "score_5", "period": "2025", "source": "x"}},
     "outcomes.citizen_satisfaction.value", "from 1 to 5", "ожидалось значение от 1 до 5"),
    ({"projects_on_time": {"value": "62%", "unit": "percent", "period": "2025", "source": "x"}},
     "outcomes.projects_on_time.value", "expected a number", "ожидалось число"),
    ({"projects_on_time": {"value": 62, "unit": "percent", "period": "2025"}},
     "outcomes.projects_on_time.source", "required field is missing", "обязательное поле"),
    ({"projects_on_time": {"value": 62, "unit": "percent", "period": "2025", "source": "x", "target": 90}},
     "outcomes.projects_on_time.target", "unknown field", "неизвестное поле"),
])
def test_bad_outcomes_get_a_located_message(tmp_path: Path, outcomes: dict, field: str | None, en: str | None,
                                           ru: str | None) -> None:
    path = with_outcomes(tmp_path, outcomes)
    if field is None:   # 0.62 percent is a valid (if unlikely) figure: a share is not second-guessed
        run_cli("assess", path)
        return
    for lang, words in (("en", en), ("ru", ru)):
        out = run_cli("assess", path, "--lang", lang, code=2).output
        assert "a.yaml:" in out and field in out and words in out, out
        assert not any(w in out for w in RAW_LIBRARY_TEXT), out
    line = int(run_cli("assess", path, code=2).output.split("a.yaml:")[1].split(":")[0])
    text = path.read_text(encoding="utf-8").splitlines()
    last = field.split(".")[-1]
    # the line of the field itself, or (a field that is missing) of the outcome that lacks it
    assert last in text[line - 1] or (last == "source" and "projects_on_time" in text[line - 1]), (line, text[line - 1])


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_report_shows_outcomes_and_path_in_each_language(kb, lang: str) -> None:
    ev = api.assess(MATURE, kb)
    rm = api.roadmap(ev, kb)
    html = api.render_report(ev, rm, kb, lang, "html")
    md = api.render_report(ev, rm, kb, lang, "md")
    _ = api.gettext_for(lang)
    for ind in kb.indicators().values():
        assert str(escape(ind.name.get(lang))) in html and ind.name.get(lang) in md   # all four are reported
    # figures in the language's symbols: «4,3» and «81 %» in Russian
    assert numbers.percent(0.81, lang) in html and numbers.number(4.3, lang) + " " + kb.outcomes.units["score_5"].name.get(lang) in html
    assert _("Outcomes") in html and _("Stage of public administration development") in md
    stages = kb.path_stages()
    assert f'<li class="reached current">{stages["open_government"].name.get(lang)}</li>' in html
    assert f"**{stages['open_government'].name.get(lang)}**" in md
    assert kb.criteria["technology.ai_use"].name.get(lang) in html.split('id="path"')[1].split("</div>")[0]
    # the summary block comes before the criteria; the outcomes section after them, before the weaknesses
    assert html.index('id="path"') < html.index('id="criteria"') < html.index('id="outcomes"') < html.index('id="weaknesses"')


def later_round(tmp_path: Path) -> tuple[Path, Path]:
    old = example()
    new = example()
    new["date"] = "2027-09-20"
    new["scores"]["technology.ai_use"]["score"] = 4
    new["outcomes"]["projects_on_time"].update(value=86, period="2026")
    new["outcomes"]["citizen_satisfaction"].update(value=78, unit="percent", period="2026-H2")
    del new["outcomes"]["projects_on_budget"]
    return write_yaml(tmp_path / "old.yaml", old), write_yaml(tmp_path / "new.yaml", new)


def test_compare_tracks_the_path_and_each_outcome(kb, tmp_path: Path) -> None:
    old, new = later_round(tmp_path)
    data = json.loads(run_cli("compare", old, new, "--format", "json").output)["comparison"]
    assert (data["path_old"], data["path_new"], data["path_moved"]) == ("open_government", "smart_government", 1)
    got = {o["id"]: o for o in data["outcomes"]}
    assert list(got) == ["projects_on_time", "projects_on_budget", "results_published", "citizen_satisfaction"]
    assert (got["projects_on_time"]["old"], got["projects_on_time"]["new"], got["projects_on_time"]["change"]) == (81, 86, 5)
    assert got["projects_on_budget"]["new"] is None and got["projects_on_budget"]["change"] is None
    assert got["results_published"]["change"] == 0
    assert got["citizen_satisfaction"]["change"] is None   # score (1–5) then percent: not compared
    ru = run_cli("compare", old, new, "--lang", "ru").output
    assert "Этап развития государственного управления: Открытое правительство → Умное правительство (продвижение вперёд)." in ru
    assert "Доля проектов, завершённых в срок: 81\xa0% (2025) → 86\xa0% (2026) (+5)" in ru   # Russian: a space before %
    assert "разные единицы, не сравниваются" in ru
    kk = run_cli("compare", old, new, "--lang", "kk", "--format", "md").output
    assert "Ашық үкімет → Ақылды үкімет (алға жылжыды)" in kk and "Қызмет нәтижелері" in kk
    html = run_cli("compare", old, new, "--format", "html").output
    assert "Open government → Smart government (moved forward)" in html and "Share of projects finished on time" in html


def test_compare_without_outcomes_or_movement(kb, tmp_path: Path) -> None:
    data = example("local-akimat")
    later = {**data, "date": "2026-12-01"}
    old, new = write_yaml(tmp_path / "o.yaml", data), write_yaml(tmp_path / "n.yaml", later)
    cmp = json.loads(run_cli("compare", old, new, "--format", "json").output)["comparison"]
    assert cmp["outcomes"] == [] and cmp["path_moved"] == 0 and cmp["path_new"] == "e_government"
    assert "(unchanged)" in run_cli("compare", old, new).output


def test_portfolio_sets_outcomes_against_maturity(kb, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for p in sorted((ROOT / "examples").glob("*.yaml")):
        (inputs / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    run_cli("batch", inputs, "-o", out, "--lang", "ru")
    rows = list(csv.DictReader((out / "portfolio.csv").open(encoding="utf-8")))
    assert {r["id"]: r["path_stage"] for r in rows} == {
        "apss-example": "open_government", **{r["id"]: "e_government" for r in rows if r["id"] != "apss-example"}}
    data = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    by_id = {b["id"]: b for b in data["ranking"]}
    assert by_id["apss-example"]["outcomes"]["citizen_satisfaction"] == {"value": 4.3, "unit": "score_5"}
    html = (out / "portfolio.html").read_text(encoding="utf-8")
    section = html.split('<section id="outcomes">')[1].split("</section>")[0]
    # on time: two bodies (48% and 81%); on budget and published: one; satisfaction in two units: a chart for each
    assert section.count("<svg") == 5
    on_time = section.split("<figure")[1]
    assert on_time.count('class="dot"') == 2 and "2 органа представили значение" in on_time
    health = api.assess(ROOT / "examples" / "health-body.yaml", kb)
    assert f'data-x="{health.scores.overall_score}" data-y="48.0"' in on_time
    assert "не то, что одна вызывает другую" in section
    path = html.split('<section id="path">')[1].split("</section>")[0]
    assert '<td class="num" data-stage="e_government">3</td>' in path and '<td class="num" data-stage="open_government">1</td>' in path


def test_the_blank_template_offers_every_indicator_ready_to_fill(kb, tmp_path: Path) -> None:
    blank = tmp_path / "t.yaml"
    run_cli("template", "--lang", "kk", "-o", blank)
    text = blank.read_text(encoding="utf-8")
    assert all(f"#   {i}: " in text for i in kb.indicators())
    filled = yaml.safe_load(MATURE.read_text(encoding="utf-8"))
    del filled["outcomes"]
    body = yaml.safe_dump(filled, allow_unicode=True)
    line = next(x for x in text.splitlines() if x.startswith("#   projects_on_time:"))
    body += "outcomes:\n" + line[1:].replace("value: ,", "value: 70,").replace('period: ""', 'period: "2025"').replace(
        'source: ""', "source: report").split("   #")[0] + "\n"
    ev = api.assess(write_yaml(tmp_path / "a.yaml", yaml.safe_load(body)), kb)
    assert ev.assessment.outcomes["projects_on_time"].value == 70


def test_the_loader_checks_outcomes_yaml(mini_copy: Path) -> None:
    (mini_copy / "knowledge_base" / "outcomes.yaml").write_text(
        (ROOT / "knowledge_base" / "outcomes.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    def spoil(d: dict) -> None:
        d["units"]["score_5"]["maximum"] = 1
        d["indicators"][0]["units"] = ["procent"]
        for ind in d["indicators"]:
            ind["source"] = {"cite": ["test"]}
    edit_yaml(mini_copy / "knowledge_base" / "outcomes.yaml", spoil)
    with pytest.raises(AdvisorError) as err:
        api.load_kb(mini_copy)
    got = {(p.field, p.message, p.hint) for p in err.value.problems}
    assert ("units.score_5.maximum", "the maximum must be above the minimum", None) in got
    assert any(f == "indicators[0].units[0]" and m == "unknown unit 'procent'" and "percent" in (h or "")
               for f, m, h in got), got
    assert all(p.line is not None for p in err.value.problems)
