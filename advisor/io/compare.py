"""Progress over time: two assessments of the same body compared (the article's monitoring use)."""

from __future__ import annotations

from ..diagnosis.scoring import rnd
from ..errors import N_, AdvisorError
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from ..models.results import Comparison, Delta, Evaluation, OutcomeDelta


def _delta(key: str, old: float | None, new: float | None, old_level: int | None, new_level: int | None) -> Delta:
    change = rnd(new - old) if old is not None and new is not None else None
    return Delta(id=key, old=old, new=new, change=change, old_level=old_level, new_level=new_level)


def compare(old: Evaluation, new: Evaluation, kb: KnowledgeBase, old_name: str, new_name: str) -> Comparison:
    a, b = old.assessment, new.assessment
    if a.organisation.id != b.organisation.id:
        raise AdvisorError.single(new_name, N_("organisation {new!r} differs from {old!r} in {file}", new=b.organisation.id,
                                                 old=a.organisation.id, file=old_name),
                                  field="organisation.id", hint=N_("compare two assessments of the same body"))
    if b.date < a.date:
        raise AdvisorError.single(new_name, N_("dated {new}, before {file} ({old})", new=str(b.date), file=old_name,
                                                 old=str(a.date)), field="date",
                                  hint=N_("give the older assessment first: advisor compare OLD NEW"))
    so, sn = old.scores, new.scores
    crit_old = {c.id: c for c in so.criteria}
    criteria = [_delta(c.id, crit_old[c.id].score, c.score, crit_old[c.id].level, c.level) for c in sn.criteria]
    dims = [_delta(d.id, so.dimension(d.id).score, d.score, so.dimension(d.id).level, d.level) for d in sn.dimensions]
    w_old = {x for w in old.findings.weaknesses for x in [w.id, *w.merged]}
    w_new = {x for w in new.findings.weaknesses for x in [w.id, *w.merged]}
    recommended_before = {f.id for f in old.findings.actions if not f.achieved}
    return Comparison(
        kb_version=kb.version, organisation=b.organisation.name, old_date=str(a.date), new_date=str(b.date),
        overall=_delta("overall", so.overall_score, sn.overall_score, so.overall_level, sn.overall_level),
        dimensions=dims, criteria=[c for c in criteria if c.old != c.new],
        weaknesses_resolved=sorted(w_old - w_new), weaknesses_new=sorted(w_new - w_old),
        actions_completed=sorted(recommended_before & set(new.findings.achieved)),
        level_moved=sn.overall_level - so.overall_level,
        path_old=old.findings.path.stage if old.findings.path else None,
        path_new=new.findings.path.stage if new.findings.path else None,
        path_moved=(new.findings.path.index - old.findings.path.index) if old.findings.path and new.findings.path else 0,
        outcomes=outcome_deltas(a, b, kb))


def outcome_deltas(a: Assessment, b: Assessment, kb: KnowledgeBase) -> list[OutcomeDelta]:
    """Every outcome either round reports, in the knowledge base's order; a change only between figures in one unit."""
    old, new = a.outcomes or {}, b.outcomes or {}
    out = []
    for oid in [i for i in kb.indicators() if i in old or i in new]:
        x, y = old.get(oid), new.get(oid)
        same_unit = x is not None and y is not None and x.unit == y.unit
        out.append(OutcomeDelta(id=oid, old=x.value if x else None, new=y.value if y else None,
                                old_unit=x.unit if x else None, new_unit=y.unit if y else None,
                                old_period=x.period if x else None, new_period=y.period if y else None,
                                change=rnd(y.value - x.value) if same_unit and x and y else None))
    return out
