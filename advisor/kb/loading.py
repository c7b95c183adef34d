"""Read the knowledge base and user files, validate them, and cross-check every reference.

All problems of all files are collected and raised together, each with file, line, field and hint.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from pydantic import BaseModel

from ..engine import conditions
from ..errors import N_, AdvisorError, Msg, Problem, did_you_mean
from ..models.assessment import Assessment, DoneItem, InProgressItem, Outcome, Progress
from ..models.kb import (
    ActionsFile,
    CriteriaFile,
    Metadata,
    ModelFile,
    OrderingFile,
    OutcomesFile,
    PathFile,
    PlanningFile,
    ProfilesFile,
    RolesFile,
    RulesFile,
    WeaknessesFile,
)
from ..models.knowledge import KnowledgeBase, Origin
from ..models.sources import SourcesFile
from ..planning import constraints
from ..planning.roadmap import check_acyclic
from . import cache
from .sourcefile import KB_FILE_LIMIT, Source, parse, validate

M = TypeVar("M", bound=BaseModel)


def default_kb_root() -> Path:
    """The shipped knowledge base: installed beside the package, or the checkout's top folder."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "data"
    return installed if (installed / "knowledge_base").is_dir() else here.parent


def kb_files(root: Path) -> list[Path]:
    """Every file that defines the knowledge base (rule tests excluded: they do not change results)."""
    kb, rules = root / "knowledge_base", root / "rules"
    files = [p for p in kb.rglob("*.yaml")] + [p for p in rules.glob("*.yaml")]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def content_hash(root: Path, files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()[:12]


class _Collector:
    """Gathers problems across files so the user sees all of them at once."""

    def __init__(self, parse_file: Callable[[Path], Source] | None = None) -> None:
        self.problems: list[Problem] = []
        #: ids (and dimensions) named in files that did not validate: not "unknown" to the cross-checks,
        #: so that one run reports schema and reference problems together without false alarms
        self.unvalidated: set[str] = set()
        self.parse = parse_file or (lambda path: parse(path, limit=KB_FILE_LIMIT))

    def load(self, path: Path, model: type[M]) -> tuple[Source, M] | None:
        source = None
        try:
            source = self.parse(path)
            return source, validate(source, model)
        except AdvisorError as exc:
            self.problems += exc.problems
            if source is not None and isinstance(source.data, dict):
                self.unvalidated |= _ids_in(source.data)
            return None

    def load_all(self, folder: Path, model: type[M]) -> list[tuple[Source, M]]:
        return [x for p in sorted(folder.glob("*.yaml")) if (x := self.load(p, model)) is not None]

    def add(self, origin: Origin, loc: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        self.problems.append(origin.source.problem(origin.loc + loc, message, hint))


def load_kb(root: Path | str | None = None) -> KnowledgeBase:
    """Load and cross-check a knowledge base folder holding ``knowledge_base/`` and ``rules/``."""
    with _no_gc():
        return _load_kb(Path(root) if root is not None else default_kb_root())


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a knowledge base loads: a load builds up to millions of objects
    that all live on (parsed files, positions, models), and the collector, run every few hundred of them,
    would scan the growing heap again and again (a third of the time of a large one) for garbage there is
    almost none of. Afterwards they are put with the long-lived objects (``freeze`` then ``unfreeze`` moves
    every tracked object to the oldest generation), where the next full collection looks at them as at any
    other, instead of the next young one scanning them all at once."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:   # what a host froze for its own reasons (e.g. before forking) stays frozen
            gc.freeze()
            gc.unfreeze()
        if was:
            gc.enable()


def _load_kb(root: Path) -> KnowledgeBase:
    if not (root / "knowledge_base").is_dir() or not (root / "rules").is_dir():
        raise AdvisorError.single(str(root), N_("not a knowledge base folder"),
                                  hint=N_("--kb must name a folder with knowledge_base/ and rules/ inside"))
    sources = cache.Sources(root, kb_files(root))
    cached = sources.knowledge_base()   # an unchanged knowledge base, as loaded the last time
    if cached is not None:
        return cached
    c = _Collector(sources.parse)        # else the files that did not change are reused parsed
    kbdir = root / "knowledge_base"
    meta = c.load(kbdir / "kb.yaml", Metadata)
    model = c.load(kbdir / "model.yaml", ModelFile)
    profiles = c.load(kbdir / "profiles.yaml", ProfilesFile)
    roles = c.load(kbdir / "roles.yaml", RolesFile)
    planning = c.load(kbdir / "planning.yaml", PlanningFile)
    criteria = c.load_all(kbdir / "criteria", CriteriaFile)
    weaknesses = c.load_all(kbdir / "weaknesses", WeaknessesFile)
    actions = c.load_all(kbdir / "actions", ActionsFile)
    rules = c.load_all(root / "rules", RulesFile)
    ordering = c.load(kbdir / "ordering.yaml", OrderingFile) if (kbdir / "ordering.yaml").is_file() else None
    path = c.load(kbdir / "path.yaml", PathFile) if (kbdir / "path.yaml").is_file() else None
    outcomes = c.load(kbdir / "outcomes.yaml", OutcomesFile) if (kbdir / "outcomes.yaml").is_file() else None
    # optional so a small test knowledge base can do without; anything it cites must still be listed
    has_sources = (kbdir / "sources.yaml").is_file()
    registry = c.load(kbdir / "sources.yaml", SourcesFile) if has_sources else None
    if not (meta and model and profiles and roles and planning):
        raise AdvisorError(c.problems)   # without these five nothing can be cross-checked

    origins: dict[str, Origin] = {}

    def index(items: Iterable[tuple[Source, str, list[Any]]], what: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for source, key, values in items:
            for i, item in enumerate(values):
                origin = Origin(source, (key, i))
                if item.id in out:
                    first = origins[f"{what}:{item.id}"]
                    line, _ = first.source.where(first.loc)
                    where = f"{first.source.path}:{line}"
                    c.add(origin, ("id",), Msg(DUPLICATE[what].template, id=item.id),
                          hint=N_("first defined in {where}; ids must be unique", where=where))
                    continue
                out[item.id] = item
                origins[f"{what}:{item.id}"] = origin
        return out

    model_src, model_file = model
    dimensions = index([(model_src, "dimensions", model_file.dimensions)], "dimension")
    methods = index([(model_src, "methods", model_file.methods)], "method")
    crit = index([(s, "criteria", f.criteria) for s, f in criteria], "criterion")
    weak = index([(s, "weaknesses", f.weaknesses) for s, f in weaknesses], "weakness")
    acts = index([(s, "actions", f.actions) for s, f in actions], "action")
    rls = index([(s, "rules", f.rules) for s, f in rules], "rule")
    role = index([(roles[0], "roles", roles[1].roles)], "role")
    docs = index([(registry[0], "documents", registry[1].documents)], "document") if registry else {}
    if path is not None:
        index([(path[0], "stages", path[1].stages)], "stage")
    if outcomes is not None:
        index([(outcomes[0], "indicators", outcomes[1].indicators)], "indicator")
        origins["outcomes:"] = Origin(outcomes[0], ())

    kb = KnowledgeBase(
        root=root, content_hash=sources.content_hash or content_hash(root, kb_files(root)), metadata=meta[1],
        scale=model_file.scale, methods=methods, dimensions=dimensions, criteria=crit,
        profiles=profiles[1], roles=role, weaknesses=weak, rules=rls, actions=acts, planning=planning[1],
        origins=origins, documents=docs, path=path[1] if path else None, outcomes=outcomes[1] if outcomes else None)
    if ordering is not None:
        kb.ordering = ordering[1]
        origins["ordering:"] = Origin(ordering[0], ())
        c.problems += constraints.check(kb)
    _check_model(kb, c, model_src, criteria)
    _check_profiles(kb, c, profiles[0])
    _check_weaknesses(kb, c)
    _check_rules(kb, c)
    _check_actions(kb, c)
    _check_planning(kb, c, planning[0])
    _check_path(kb, c)
    _check_outcomes(kb, c)
    if registry is not None or not has_sources:   # a broken registry is reported once, not at every citation
        _check_citations(kb, c)
    try:
        check_acyclic(kb)
    except AdvisorError as exc:
        c.problems += exc.problems
    if c.problems:
        raise AdvisorError(c.problems)
    sources.save(kb)
    return kb


def _ids_in(data: dict[str, Any]) -> set[str]:
    """The ids a knowledge-base file means to define, read from its raw data."""
    out = {data["dimension"]} if isinstance(data.get("dimension"), str) else set()
    for items in data.values():
        if isinstance(items, list):
            out |= {x["id"] for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)}
    return out


#: "unknown <what>" for every kind of reference (one template each, so that each translates as a whole)
UNKNOWN: dict[str, Msg] = {
    "method": N_("unknown method {value!r}"), "dimension": N_("unknown dimension {value!r}"),
    "criterion": N_("unknown criterion {value!r}"), "weakness": N_("unknown weakness {value!r}"),
    "action": N_("unknown action {value!r}"), "role": N_("unknown role {value!r}"),
    "sector": N_("unknown sector {value!r}"), "government level": N_("unknown government level {value!r}"),
    "office type": N_("unknown office type {value!r}"), "cost class": N_("unknown cost class {value!r}"),
    "source document": N_("unknown source document {value!r}"),
    "unit": N_("unknown unit {value!r}"), "indicator": N_("unknown outcome indicator {value!r}")}


DUPLICATE: dict[str, Msg] = {
    "dimension": N_("duplicate dimension id {id!r}"), "method": N_("duplicate method id {id!r}"),
    "criterion": N_("duplicate criterion id {id!r}"), "weakness": N_("duplicate weakness id {id!r}"),
    "action": N_("duplicate action id {id!r}"), "rule": N_("duplicate rule id {id!r}"),
    "role": N_("duplicate role id {id!r}"), "document": N_("duplicate document id {id!r}"),
    "stage": N_("duplicate stage id {id!r}"), "indicator": N_("duplicate indicator id {id!r}")}


def _ref(c: _Collector, origin: Origin, loc: tuple[Any, ...], what: str, value: str, known: Iterable[str]) -> None:
    if not isinstance(known, (dict, set, frozenset)):
        known = list(known)
    if value not in known and value not in c.unvalidated:
        c.add(origin, loc, Msg(UNKNOWN[what].template, value=value),
              hint=did_you_mean(value, known) or N_("known: {ids}", ids=", ".join(sorted(known)[:12])))


def _check_model(kb: KnowledgeBase, c: _Collector, model_src: Source, criteria: list[tuple[Source, CriteriaFile]]) -> None:
    levels = [s.level for s in kb.scale]
    if levels != [1, 2, 3, 4, 5]:
        c.add(Origin(model_src, ("scale",)), (), N_("scale levels must be 1, 2, 3, 4, 5 in order, got {levels}", levels=levels))
    for dim in kb.dimensions.values():
        origin = kb.origins[f"dimension:{dim.id}"]
        for i, m in enumerate(dim.methods):
            _ref(c, origin, ("methods", i), "method", m, kb.methods)
        if not kb.criteria_of(dim.id) and dim.id not in c.unvalidated:
            c.add(origin, ("id",), N_("dimension {id!r} has no criteria", id=dim.id),
                  hint=N_("add knowledge_base/criteria/<dimension>.yaml"))
    for source, file in criteria:
        _ref(c, Origin(source, ()), ("dimension",), "dimension", file.dimension, kb.dimensions)
        for i, cr in enumerate(file.criteria):
            origin = Origin(source, ("criteria", i))
            if not cr.id.startswith(file.dimension + "."):
                c.add(origin, ("id",), N_("criterion id {id!r} must start with its dimension {prefix!r}", id=cr.id,
                                          prefix=file.dimension + "."))
            for j, m in enumerate(cr.methods):
                _ref(c, origin, ("methods", j), "method", m, kb.methods)


def _check_profiles(kb: KnowledgeBase, c: _Collector, source: Source) -> None:
    dims = set(kb.dimensions)
    groups: list[tuple[str, dict[str, Any]]] = [
        ("government_level", {str(k): v for k, v in kb.profiles.government_level.items()}), ("sector", dict(kb.profiles.sector))]
    for group, profiles in groups:
        for name, prof in profiles.items():
            if prof is None or prof.weights is None:
                continue
            origin = Origin(source, (group, name, "weights"))
            for d in prof.weights:
                _ref(c, origin, (d,), "dimension", d, dims)
            if set(prof.weights) != dims:
                c.add(origin, (), N_("weights must name every dimension: {dimensions}", dimensions=", ".join(sorted(dims))))
            elif sum(prof.weights.values()) <= 0:
                c.add(origin, (), N_("weights must not all be 0"))
    for name, adj in kb.profiles.office_type.items():
        for d in adj.adjust:
            _ref(c, Origin(source, ("office_type", name, "adjust")), (d,), "dimension", d, dims)


def _check_planning(kb: KnowledgeBase, c: _Collector, source: Source) -> None:
    """Default capacities may only name roles of roles.yaml, and the actions that restore them actions of the catalogue."""
    origin = Origin(source, ("capacity",))
    cap = kb.planning.capacity
    tables: list[tuple[str, dict[str, dict[str, float]]]] = [
        ("government_level", {str(k): v for k, v in cap.government_level.items()}),
        ("office_type", {str(k): v for k, v in cap.office_type.items()})]
    for group, table in tables:
        for key, roles in table.items():
            for role in roles:
                _ref(c, origin, (group, key, role), "role", role, kb.roles)
    if kb.planning.coordination is not None:
        _ref(c, Origin(source, ("coordination",)), ("role",), "role", kb.planning.coordination.role, kb.roles)
    for i, a in enumerate(cap.restored_by):
        _ref(c, origin, ("restored_by", i), "action", a, kb.actions)
    classes = kb.planning.cost.classes if kb.planning.cost is not None else {}
    for effort, name in kb.planning.cost.by_effort.items() if kb.planning.cost is not None else ():
        _ref(c, Origin(source, ("cost", "by_effort")), (effort,), "cost class", name, classes)
    for a, own in kb.planning.actions.items():
        _ref(c, Origin(source, ("actions",)), (a,), "action", a, kb.actions)
        if own.cost is not None:
            _ref(c, Origin(source, ("actions", a)), ("cost",), "cost class", own.cost, classes)


def _check_condition(kb: KnowledgeBase, c: _Collector, origin: Origin, loc: tuple[Any, ...], cond: Any) -> None:
    from ..models.conditions import CONTEXT_VALUES, ContextTest, CriterionTest, DimensionTest, OutcomeTest
    for leaf in conditions.leaves(cond):
        if isinstance(leaf, CriterionTest):
            _ref(c, origin, loc, "criterion", leaf.criterion, kb.criteria)
        elif isinstance(leaf, DimensionTest):
            _ref(c, origin, loc, "dimension", leaf.dimension, kb.dimensions)
        elif isinstance(leaf, OutcomeTest):
            _ref(c, origin, loc, "indicator", leaf.outcome, kb.indicators())
        elif isinstance(leaf, ContextTest):
            for field, values in leaf.context.fields():
                known = {**CONTEXT_VALUES, "sector": kb.sectors()}[field]
                for v in values:
                    _ref(c, origin, loc, field.replace("_", " "), v, known)
    try:
        if not conditions.alternatives(cond):
            c.add(origin, loc, N_("this condition can never be true (its tests contradict each other)"),
                  hint=N_("check the comparisons: e.g. at_most 2 together with at_least 4"))
    except conditions.TooComplex as exc:
        c.add(origin, loc, str(exc), hint=N_("split it into several rules"))


def _check_path(kb: KnowledgeBase, c: _Collector) -> None:
    """Stage conditions name known facts and only lower bounds: a higher score can never move a body back."""
    for stage in kb.path_stages().values():
        origin = kb.origins[f"stage:{stage.id}"]
        _check_condition(kb, c, origin, ("when",), stage.when)
        try:
            alts = conditions.alternatives(stage.when)
        except conditions.TooComplex:
            continue   # reported by _check_condition
        if any(a.kind != "context" and a.op not in ("gte", "gt") for alt in alts for a in alt):
            c.add(origin, ("when",), N_("a stage's condition may only test that scores or levels are at least "
                                        "(or above) a value"),
                  hint=N_("use at_least or above; at_most, below and equals would let a better score move a body back"))


def _check_outcomes(kb: KnowledgeBase, c: _Collector) -> None:
    if kb.outcomes is None:
        return
    for name, unit in kb.outcomes.units.items():
        if unit.minimum >= unit.maximum:
            c.add(kb.origins["outcomes:"], ("units", name, "maximum"), N_("the maximum must be above the minimum"))
    for ind in kb.outcomes.indicators:
        for i, u in enumerate(ind.units):
            _ref(c, kb.origins[f"indicator:{ind.id}"], ("units", i), "unit", u, kb.outcomes.units)


def _check_weaknesses(kb: KnowledgeBase, c: _Collector) -> None:
    for w in kb.weaknesses.values():
        origin = kb.origins[f"weakness:{w.id}"]
        if w.dimension != "cross":
            _ref(c, origin, ("dimension",), "dimension", w.dimension, kb.dimensions)
        elif w.level is not None:
            c.add(origin, ("level",), N_("a cross-dimension weakness cannot be typical of one dimension's level"))
        if w.criterion is not None:
            _ref(c, origin, ("criterion",), "criterion", w.criterion, kb.criteria)
        for i, about in enumerate(w.about):
            kind, key = about.fact
            _ref(c, origin, ("about", i, kind), kind, key, kb.criteria if kind == "criterion" else kb.dimensions)


def _check_rules(kb: KnowledgeBase, c: _Collector) -> None:
    for r in kb.rules.values():
        origin = kb.origins[f"rule:{r.id}"]
        _check_condition(kb, c, origin, ("when",), r.when)
        for i, w in enumerate(r.then):
            _ref(c, origin, ("then", i), "weakness", w, kb.weaknesses)


def _check_actions(kb: KnowledgeBase, c: _Collector) -> None:
    for a in kb.actions.values():
        origin = kb.origins[f"action:{a.id}"]
        _ref(c, origin, ("dimension",), "dimension", a.dimension, kb.dimensions)
        _ref(c, origin, ("owner",), "role", a.owner, kb.roles)
        for i, w in enumerate(a.remedies):
            _ref(c, origin, ("remedies", i), "weakness", w, kb.weaknesses)
        for i, p in enumerate(a.requires):
            _ref(c, origin, ("requires", i), "action", p, kb.actions)
            if p == a.id:
                c.add(origin, ("requires", i), N_("an action cannot require itself"))
        for i, cp in enumerate(a.requires_if):
            _check_condition(kb, c, origin, ("requires_if", i, "when"), cp.when)
            for j, p in enumerate(cp.requires):
                _ref(c, origin, ("requires_if", i, "requires", j), "action", p, kb.actions)
        for i, r in enumerate(a.raises):
            _ref(c, origin, ("raises", i, "criterion"), "criterion", r.criterion, kb.criteria)
        for i, old in enumerate(a.replaces):
            # a merged id names no action any more, and only one: a progress record of it has one meaning
            if old in kb.actions:
                c.add(origin, ("replaces", i), N_("{value!r} is still an action of the catalogue", value=old))
            elif kb.successor(old) != a.id:
                c.add(origin, ("replaces", i), N_("{value!r} is replaced by another action too", value=old))
        if a.achieved_when is not None:
            _check_condition(kb, c, origin, ("achieved_when",), a.achieved_when)


def _check_citations(kb: KnowledgeBase, c: _Collector) -> None:
    """Every criterion, rule and action cites documents of the registry, so a client can look each one up."""
    for key, sourcing in kb.sourced():
        for i, cite in enumerate(sourcing.cite):
            _ref(c, kb.origins[key], ("source", "cite", i, "doc"), "source document", cite.doc, kb.documents)


def load_assessment(path: Path | str, kb: KnowledgeBase, text: str | None = None) -> Assessment:
    """Read an assessment file (``text``: its content, already read) and check it against the knowledge base."""
    source = parse(path, text)
    if not isinstance(source.data, dict):
        raise AdvisorError.single(str(path), N_("expected a mapping with organisation, date, assessor and scores"),
                                  hint=N_("run `advisor template` for a blank assessment"))
    assessment = validate(source, Assessment)
    return check_assessment(assessment, kb, source)


def check_assessment(assessment: Assessment, kb: KnowledgeBase, source: Source) -> Assessment:
    problems: list[Problem] = []
    for cid, entry in assessment.scores.items():
        if cid not in kb.criteria:
            problems.append(source.problem(("scores", cid), N_("unknown criterion {value!r}", value=cid),
                                           hint=did_you_mean(cid, kb.criteria) or N_("run `advisor model` for the list")))
        elif entry.method is not None and entry.method not in kb.methods:
            problems.append(source.problem(("scores", cid, "method"), N_("unknown method {value!r}", value=entry.method),
                                           hint=did_you_mean(entry.method, kb.methods)
                                           or N_("known: {ids}", ids=", ".join(kb.methods))))
    sector = assessment.organisation.sector
    if sector not in kb.profiles.sector:
        problems.append(source.problem(("organisation", "sector"), N_("unknown sector {value!r}", value=sector),
                                       hint=did_you_mean(sector, kb.sectors())
                                       or N_("known: {ids}", ids=", ".join(kb.sectors()))))
    if assessment.weights is not None:
        for d in assessment.weights:
            if d not in kb.dimensions:
                problems.append(source.problem(("weights", d), N_("unknown dimension {value!r}", value=d),
                                               hint=did_you_mean(d, kb.dimensions)
                                               or N_("known: {ids}", ids=", ".join(kb.dimensions))))
        if not problems and set(assessment.weights) != set(kb.dimensions):
            problems.append(source.problem(("weights",), N_("weights must name every dimension: {dimensions}",
                                                            dimensions=", ".join(kb.dimensions))))
        elif not problems and sum(assessment.weights.values()) <= 0:
            problems.append(source.problem(("weights",), N_("weights must not all be 0")))
    if assessment.capacity is not None:
        for key in ("fte", "concurrent"):
            for role in getattr(assessment.capacity, key):
                if role not in kb.roles:
                    problems.append(source.problem(("capacity", key, role), N_("unknown role {value!r}", value=role),
                                                   hint=did_you_mean(role, kb.roles)
                                                   or N_("known: {ids}", ids=", ".join(kb.roles))))
        budget = assessment.capacity.budget
        classes = kb.planning.cost.classes if kb.planning.cost is not None else {}
        if budget is not None and not classes:
            problems.append(source.problem(("capacity", "budget"), N_("this knowledge base defines no cost classes, "
                                                                      "so a budget ceiling cannot be planned"),
                                           hint=N_("add cost classes to knowledge_base/planning.yaml, or remove budget")))
        for name in budget.classes if budget is not None and classes else ():
            if name not in classes:
                problems.append(source.problem(("capacity", "budget", "classes", name),
                                               N_("unknown cost class {value!r}", value=name),
                                               hint=did_you_mean(name, classes)
                                               or N_("known: {ids}", ids=", ".join(classes))))
    problems += check_outcome_values(assessment.outcomes, kb, source)
    for dim in kb.dimensions:
        ids = [cr.id for cr in kb.criteria_of(dim)]
        if not any(cid in assessment.scores and assessment.scores[cid].score is not None for cid in ids):
            problems.append(source.problem(("scores",), N_("dimension {id!r} has no scored criterion", id=dim),
                                           hint=N_("score at least one of: {ids}", ids=", ".join(ids))))
    if problems:
        raise AdvisorError(problems)
    return assessment


def check_outcome_values(outcomes: dict[str, Outcome] | None, kb: KnowledgeBase, source: Source) -> list[Problem]:
    """Each outcome names an indicator of the knowledge base, one of its units, and a figure that unit allows."""
    problems: list[Problem] = []
    known = kb.indicators()
    for oid, outcome in (outcomes or {}).items():
        indicator = known.get(oid)
        if indicator is None:
            problems.append(source.problem(("outcomes", oid), N_("unknown outcome indicator {value!r}", value=oid),
                                           hint=did_you_mean(oid, known)
                                           or N_("known: {ids}", ids=", ".join(known) or "—")))
            continue
        if outcome.unit not in indicator.units:
            problems.append(source.problem(("outcomes", oid, "unit"), N_("unit {value!r} is not one of this "
                                                                          "indicator's", value=outcome.unit),
                                           hint=N_("one of {choices}", choices=", ".join(indicator.units))))
            continue
        unit = kb.outcomes.units[outcome.unit] if kb.outcomes is not None else None
        if unit is not None and not unit.minimum <= outcome.value <= unit.maximum:
            problems.append(source.problem(("outcomes", oid, "value"), N_(
                "expected a value from {minimum} to {maximum} for the unit {unit!r}, got {value}",
                minimum=_plain(unit.minimum), maximum=_plain(unit.maximum), unit=outcome.unit, value=_plain(outcome.value)),
                hint=N_("a share is written in percent: 62 for 62%") if outcome.unit == "percent" else None))
    return problems


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def load_progress(path: Path | str, kb: KnowledgeBase, text: str | None = None) -> Progress:
    """Read a progress file; every action id must exist in the catalogue."""
    source = parse(path, text)
    return check_progress(validate(source, Progress), kb, source)


def check_progress(progress: Progress, kb: KnowledgeBase, source: Source) -> Progress:
    """Every action of a validated progress record is in the catalogue, and listed once."""
    problems: list[Problem] = []
    seen: set[str] = set()
    listed: list[tuple[str, int, DoneItem | InProgressItem]] = [
        *(("done", i, x) for i, x in enumerate(progress.done)),
        *(("in_progress", i, y) for i, y in enumerate(progress.in_progress))]
    for key, i, item in listed:
        if item.action not in kb.actions and kb.successor(item.action) is None:  # a merged id: roadmap.build
            problems.append(source.problem((key, i, "action"), N_("unknown action {value!r}", value=item.action),
                                           hint=did_you_mean(item.action, kb.actions)
                                           or N_("the action ids are listed by `advisor roadmap`")))
        elif item.action in seen:
            problems.append(source.problem((key, i, "action"), N_("action {value!r} is listed twice", value=item.action),
                                           hint=N_("an action is either done or in progress, once")))
        seen.add(item.action)
    if problems:
        raise AdvisorError(problems)
    return progress
