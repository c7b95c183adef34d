"""Why an action or a weakness is (or is not) in one roadmap: the chain scores -> rule -> weakness -> action,
read off the Roadmap object itself, so ``explain`` and ``roadmap`` cannot disagree."""

from __future__ import annotations

from ..engine.conditions import alt_holds, failed_atoms
from ..engine.program import match, matches, trace_of
from ..errors import N_, AdvisorError, did_you_mean
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation, Explanation, Match, Miss, RemedyState, Roadmap, WeaknessWhy
from .pipeline import compiled, facts


def explain(ev: Evaluation, kb: KnowledgeBase, item: str, roadmap: Roadmap) -> Explanation:
    """``item`` (an action or weakness id) in ``roadmap``, the roadmap of ``ev``."""
    if item in kb.weaknesses:
        return _weakness(ev, kb, item, roadmap)
    if item not in kb.actions:
        raise AdvisorError.single("ID", N_("unknown action or weakness {item!r}", item=item),
                                  hint=did_you_mean(item, [*kb.actions, *kb.weaknesses])
                                  or N_("ids are listed by `advisor roadmap FILE` and `advisor assess FILE`"))
    on = next((i for i in roadmap.items if i.id == item), None)
    achieved = item in ev.findings.achieved
    finding = next((a for a in ev.findings.actions if a.id == item), None)
    remedies = on.because if on and on.because else (finding.because if finding else sorted(kb.actions[item].remedies))
    return Explanation(
        kb_version=kb.version, id=item, kind="action", recommended=bool(on and on.because), achieved=achieved,
        achieved_trace=_achieved_trace(ev, kb, item) if achieved else [],
        only_prerequisite=not kb.actions[item].remedies, weaknesses=[_why(ev, kb, w) for w in remedies],
        on_roadmap=on is not None, done=item in roadmap.done, status=on.status if on else None,
        stage=on.stage if on else None, start_month=on.start_month if on else None,
        finish_month=on.finish_month if on else None, because=on.because if on else [],
        pulled_by=on.pulled_by if on else [], requires=on.requires if on else [],
        satisfied=on.satisfied if on else [], unblocks=sorted(i.id for i in roadmap.items if item in i.requires))


def _weakness(ev: Evaluation, kb: KnowledgeBase, wid: str, roadmap: Roadmap) -> Explanation:
    finding = ev.findings.weakness(wid)
    items = {i.id: i for i in roadmap.items}

    def state(a: str) -> RemedyState:
        if a in items:
            return RemedyState(id=a, state="on_roadmap", stage=items[a].stage)
        if a in roadmap.done:
            return RemedyState(id=a, state="done")
        return RemedyState(id=a, state="achieved" if a in ev.findings.achieved else "not_on_roadmap")

    return Explanation(kb_version=kb.version, id=wid, kind="weakness", recommended=False, achieved=False,
                       achieved_trace=[], only_prerequisite=False, weaknesses=[_why(ev, kb, wid)],
                       merged_into=finding.id if finding is not None and finding.id != wid else None,
                       remedies=[state(a) for a in kb.remedies_for(wid)])


def _achieved_trace(ev: Evaluation, kb: KnowledgeBase, action: str) -> list[Match]:
    finding = next((a for a in ev.findings.actions if a.id == action), None)
    if finding is not None and finding.achieved_trace:
        return finding.achieved_trace
    fs = facts(ev, kb)
    clause = next(c for c in compiled(kb)[1].clauses if c.kind == "achieved" and c.owner == action
                  and alt_holds(c.alternative, fs))
    return matches(trace_of(clause.alternative, fs))


def _why(ev: Evaluation, kb: KnowledgeBase, wid: str) -> WeaknessWhy:
    finding = ev.findings.weakness(wid)
    if finding is not None:
        # the finding's every reason when it is the finding; its own rules when it was merged into another
        own = finding.firings if finding.id == wid else [f for f in finding.firings if wid in kb.rules[f.rule].then]
        return WeaknessWhy(id=wid, found=True, firings=own, misses=[])
    rules = [r for r in sorted(kb.rules) if wid in kb.rules[r].then]
    return WeaknessWhy(id=wid, found=False, firings=[], misses=[m for r in rules for m in why_not(ev, kb, r)])


def why_not(ev: Evaluation, kb: KnowledgeBase, rule: str) -> list[Miss]:
    """Each alternative of a rule that did not hold, with the tests that failed (the reference's answer)."""
    fs = facts(ev, kb)
    return [Miss(rule=c.owner, branch=c.branch, failed=[match(a, v) for a, v in failed_atoms(c.alternative, fs)])
            for c in compiled(kb)[1].clauses if c.kind == "diagnostic" and c.owner == rule
            and not alt_holds(c.alternative, fs)]
