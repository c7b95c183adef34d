"""Why an action or a weakness was (or was not) found: the chain scores -> rule -> weakness -> action."""

from __future__ import annotations

from ..engine.conditions import alt_holds, failed_atoms
from ..engine.program import match, matches, trace_of
from ..errors import N_, AdvisorError, did_you_mean
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation, Explanation, Miss, WeaknessWhy
from .pipeline import compiled, facts


def explain(ev: Evaluation, kb: KnowledgeBase, item: str) -> Explanation:
    """The chain scores -> rule -> weakness -> action, or which tests failed."""
    if item in kb.weaknesses:
        return Explanation(kb_version=kb.version, id=item, kind="weakness", recommended=False, achieved=False,
                           achieved_trace=[], only_prerequisite=False, weaknesses=[_why(ev, kb, item)])
    if item not in kb.actions:
        raise AdvisorError.single("ID", N_("unknown action or weakness {item!r}", item=item),
                                  hint=did_you_mean(item, [*kb.actions, *kb.weaknesses])
                                  or N_("ids are listed by `advisor roadmap FILE` and `advisor assess FILE`"))
    finding = next((a for a in ev.findings.actions if a.id == item), None)
    achieved = item in ev.findings.achieved
    trace = finding.achieved_trace if finding else []
    if achieved and not trace:
        fs = facts(ev)
        clause = next(c for c in compiled(kb)[1].clauses if c.kind == "achieved" and c.owner == item
                      and alt_holds(c.alternative, fs))
        trace = matches(trace_of(clause.alternative, fs))
    remedies = finding.because if finding else sorted(kb.actions[item].remedies)
    return Explanation(kb_version=kb.version, id=item, kind="action", recommended=finding is not None and not achieved,
                       achieved=achieved, achieved_trace=trace, only_prerequisite=not kb.actions[item].remedies,
                       weaknesses=[_why(ev, kb, w) for w in remedies])


def _why(ev: Evaluation, kb: KnowledgeBase, wid: str) -> WeaknessWhy:
    finding = next((w for w in ev.findings.weaknesses if w.id == wid), None)
    if finding is not None:
        return WeaknessWhy(id=wid, found=True, firings=finding.firings, misses=[])
    rules = [r for r in sorted(kb.rules) if wid in kb.rules[r].then]
    return WeaknessWhy(id=wid, found=False, firings=[], misses=[m for r in rules for m in why_not(ev, kb, r)])


def why_not(ev: Evaluation, kb: KnowledgeBase, rule: str) -> list[Miss]:
    """Each alternative of a rule that did not hold, with the tests that failed (the reference's answer)."""
    fs = facts(ev)
    return [Miss(rule=c.owner, branch=c.branch, failed=[match(a, v) for a, v in failed_atoms(c.alternative, fs)])
            for c in compiled(kb)[1].clauses if c.kind == "diagnostic" and c.owner == rule
            and not alt_holds(c.alternative, fs)]
