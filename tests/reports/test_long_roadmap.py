"""A roadmap of about 200 actions (a larger catalogue than the shipped one) renders, and stays readable: the Gantt is
several charts of equal length on one time scale, the stages fold on screen, and paper gets one line per action."""

from __future__ import annotations

import dataclasses
import random
import re

from advisor import api
from advisor.models.knowledge import KnowledgeBase
from advisor.reports.view import GANTT_ROWS


def long_catalogue(kb: KnowledgeBase, planned: list[str], n: int = 170, seed: int = 5) -> KnowledgeBase:
    """The shipped knowledge base plus ``n`` generated actions, each remedying one of the weaknesses ``planned``
    (so the plan holds them), with up to two prerequisites among the previous 20 and owners and durations drawn
    from the catalogue's ranges."""
    rng = random.Random(seed)
    proto = next(iter(kb.actions.values()))
    actions = dict(kb.actions)
    dims, roles = sorted(kb.dimensions), sorted(kb.roles)
    for j in range(n):
        aid = f"GEN-{j:03d}"
        title = {lang: f"Generated action {j} of a long catalogue" for lang in ("en", "ru", "kk")}
        requires = sorted({f"GEN-{rng.randrange(max(0, j - 20), j):03d}" for _ in range(rng.randint(0, 2))}) if j else []
        actions[aid] = proto.model_copy(update={
            "id": aid, "dimension": rng.choice(dims), "title": proto.title.model_copy(update=title),
            "remedies": [rng.choice(planned)], "requires": requires, "requires_if": [], "replaces": [],
            "duration_months": rng.randint(1, 12), "effort": rng.choice("SML"), "owner": rng.choice(roles),
            "raises": [], "achieved_when": None})
    return dataclasses.replace(kb, actions=actions, content_hash=f"long{n}", root=kb.root / f"long{n}")


def long_plan(lang: str = "en") -> tuple[str, object]:
    kb = api.load_kb()
    ev = api.assess("examples/local-akimat.yaml", kb)
    planned = sorted({w for i in api.roadmap(ev, kb).items for w in i.because})
    big = long_catalogue(kb, planned)
    ev = api.assess("examples/local-akimat.yaml", big)
    rm = api.roadmap(ev, big)
    return api.render_report(ev, rm, big, lang, "html"), api.report_view(ev, rm, big, lang)


def test_a_200_action_roadmap_renders_paged_and_folded() -> None:
    html, view = long_plan()
    items = view.rm.items  # type: ignore[attr-defined]
    assert 150 <= len(items) <= 230
    gantts = view.gantts  # type: ignore[attr-defined]
    # every action has a bar, once; the charts are of equal length (±1) and none longer than a page holds
    bars = [b.key for g in gantts for b in g.bars]
    assert sorted(bars) == sorted(i.id for i in items)
    sizes = [len(g.bars) for g in gantts]
    assert len(gantts) == -(-len(items) // GANTT_ROWS) and max(sizes) - min(sizes) <= 1 and max(sizes) <= GANTT_ROWS
    # one time scale: every chart's ticks are the same, and a bar's place follows its months
    assert len({tuple(g.ticks) for g in gantts}) == 1
    assert html.count('<svg class="gantt"') == len(gantts)
    for m in re.finditer(r'data-action="([^"]+)" data-start="(\d+)" data-finish="(\d+)"', html):
        item = next(i for i in items if i.id == m[1])
        assert (int(m[2]), int(m[3])) == (item.start_month, item.finish_month)
    # stages fold on screen: those wholly after the horizon are closed, the core plan's open
    folds = re.findall(r'<details class="stage"( open)?>', html)
    assert len(folds) == len(view.stages) and "" in folds and " open" in folds  # type: ignore[attr-defined]


def test_a_long_gantt_past_24_years_has_ticks() -> None:
    from advisor.reports.charts import gantt
    g = gantt([("A", "A", 0, 400, True, 1)], 400)
    assert g.ticks[0][1] == 0 and len(g.ticks) <= 13 and g.bars[0].width > 0


def test_an_empty_roadmap_has_no_chart() -> None:
    kb = api.load_kb()
    ev = api.assess("examples/mature-agency.yaml", kb)
    rm = api.roadmap(ev, kb).model_copy(update={"items": [], "critical_path": [], "stages": 0, "total_months": 0})
    assert api.report_view(ev, rm, kb, "en").gantts == []
    assert '<svg class="gantt"' not in api.render_report(ev, rm, kb, "en", "html")
