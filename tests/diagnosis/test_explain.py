"""`explain` agrees with `roadmap` by construction: same options, same roadmap, on the examples and generated inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.models.assessment import DoneItem, Progress
from advisor.models.knowledge import KnowledgeBase
from advisor.models.results import Evaluation

from ..conftest import EXAMPLES
from ..planning.test_constraints import inputs


def agree(kb: KnowledgeBase, ev: Evaluation, progress: Progress | None, targets: dict[str, int] | None,
          ids: list[str]) -> None:
    rm = api.roadmap(ev, kb, progress, targets)
    items = {i.id: i for i in rm.items}
    for a in ids:
        ex = api.explain(ev, kb, a, progress, targets)
        assert ex.on_roadmap == (a in items), a
        if a in items:
            i = items[a]
            assert (ex.status, ex.stage, ex.start_month, ex.finish_month) == (i.status, i.stage, i.start_month, i.finish_month)
            assert (ex.because, ex.pulled_by, ex.requires) == (i.because, i.pulled_by, i.requires)
            assert ex.recommended == bool(i.because)
            assert ex.unblocks == sorted(j.id for j in rm.items if a in j.requires)
            # an item there only as a prerequisite says who needs it (the target's own actions need no one)
            assert ex.recommended or ex.pulled_by or i.status in ("target", "in_progress")
        else:
            # not on the roadmap: done, achieved, left for later (the target does not need it), or nothing it
            # remedies was found and nothing needs it
            assert ex.done or ex.achieved or a in {x.id for x in rm.later} or not ({w.id for w in ex.weaknesses if w.found}
                                                  & {x for f in ev.findings.weaknesses for x in [f.id, *f.merged]})
    for w in ev.findings.weaknesses:
        ex = api.explain(ev, kb, w.id, progress, targets)
        assert ex.weaknesses[0].found and ex.weaknesses[0].firings == w.firings and ex.merged_into is None
        for r in ex.remedies:
            assert (r.state == "on_roadmap") == (r.id in items) and (r.stage == (items[r.id].stage if r.id in items else None))
        for m in w.merged:
            assert api.explain(ev, kb, m, progress, targets).merged_into == w.id


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("target", [None, 4])
def test_explain_agrees_with_roadmap_on_the_examples(kb, path, target) -> None:
    ev = api.assess(path, kb)
    progress = Progress(done=[DoneItem(action=a.id, date="2026-05-01") for a in ev.findings.actions[:2]])
    targets = {d: target for d in kb.dimensions} if target else None
    for p in (None, progress):
        agree(kb, ev, p, targets, sorted(kb.actions))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_explain_agrees_with_roadmap_on_generated_inputs(kb, data) -> None:
    assessment, progress, targets = data.draw(inputs(kb))
    ids = data.draw(st.lists(st.sampled_from(sorted(kb.actions)), min_size=1, max_size=8, unique=True))
    agree(kb, api.evaluate(assessment, kb), progress, targets or None, ids)


def test_a_prerequisite_is_explained_as_one(kb) -> None:
    # the first example whose plan pulls in a prerequisite (the health body's target needs none since issue 13)
    ev, rm, item = next((ev, rm, i) for ev in (api.assess(p, kb) for p in EXAMPLES)
                        for rm in [api.roadmap(ev, kb)] for i in rm.items if i.status == "prerequisite")
    text = api.render_text("explain", "en", kb, ex=api.explain(ev, kb, item.id))
    assert "On the roadmap" in text and "Needed first by" in text and "Not recommended" not in text
    assert all(p in text for p in item.pulled_by)
