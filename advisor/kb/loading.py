"""Read the knowledge base and user files, validate them, and cross-check every reference.

All problems of all files are collected and raised together, each with file, line, field and hint.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable, TypeVar

from pydantic import BaseModel

from ..engine import conditions
from ..errors import AdvisorError, Problem, did_you_mean
from ..models.assessment import Assessment, DoneItem, InProgressItem, Progress
from ..models.kb import (
    ActionsFile,
    CriteriaFile,
    Metadata,
    ModelFile,
    PlanningFile,
    ProfilesFile,
    RolesFile,
    RulesFile,
    WeaknessesFile,
)
from ..models.knowledge import KnowledgeBase, Origin
from ..planning.roadmap import check_acyclic
from .sourcefile import Source, parse, validate

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

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def load(self, path: Path, model: type[M]) -> tuple[Source, M] | None:
        try:
            source = parse(path)
            return source, validate(source, model)
        except AdvisorError as exc:
            self.problems += exc.problems
            return None

    def load_all(self, folder: Path, model: type[M]) -> list[tuple[Source, M]]:
        return [x for p in sorted(folder.glob("*.yaml")) if (x := self.load(p, model)) is not None]

    def add(self, origin: Origin, loc: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        self.problems.append(origin.source.problem(origin.loc + loc, message, hint))


def load_kb(root: Path | str | None = None) -> KnowledgeBase:
    """Load and cross-check a knowledge base folder holding ``knowledge_base/`` and ``rules/``."""
    root = Path(root) if root is not None else default_kb_root()
    if not (root / "knowledge_base").is_dir() or not (root / "rules").is_dir():
        raise AdvisorError.single(str(root), "not a knowledge base folder",
                                  hint="--kb must name a folder with knowledge_base/ and rules/ inside")
    c = _Collector()
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
    if c.problems or not (meta and model and profiles and roles and planning):
        raise AdvisorError(c.problems)

    origins: dict[str, Origin] = {}

    def index(items: Iterable[tuple[Source, str, list[Any]]], what: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for source, key, values in items:
            for i, item in enumerate(values):
                origin = Origin(source, (key, i))
                if item.id in out:
                    first = origins[f"{what}:{item.id}"]
                    line, _ = first.source.where(first.loc)
                    c.add(origin, ("id",), f"duplicate {what} id {item.id!r}",
                          hint=f"first defined in {first.source.path}:{line}; ids must be unique")
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

    kb = KnowledgeBase(
        root=root, content_hash=content_hash(root, kb_files(root)), metadata=meta[1],
        scale=model_file.scale, methods=methods, dimensions=dimensions, criteria=crit,
        profiles=profiles[1], roles=role, weaknesses=weak, rules=rls, actions=acts, planning=planning[1],
        origins=origins)
    _check_model(kb, c, model_src, criteria)
    _check_profiles(kb, c, profiles[0])
    _check_weaknesses(kb, c)
    _check_rules(kb, c)
    _check_actions(kb, c)
    _check_planning(kb, c, planning[0])
    if c.problems:
        raise AdvisorError(c.problems)
    check_acyclic(kb)
    return kb


def _ref(c: _Collector, origin: Origin, loc: tuple[Any, ...], what: str, value: str, known: Iterable[str]) -> None:
    known = list(known)
    if value not in known:
        c.add(origin, loc, f"unknown {what} {value!r}", hint=did_you_mean(value, known) or f"known: {', '.join(sorted(known)[:12])}")


def _check_model(kb: KnowledgeBase, c: _Collector, model_src: Source, criteria: list[tuple[Source, CriteriaFile]]) -> None:
    levels = [s.level for s in kb.scale]
    if levels != [1, 2, 3, 4, 5]:
        c.add(Origin(model_src, ("scale",)), (), f"scale levels must be 1, 2, 3, 4, 5 in order, got {levels}")
    for dim in kb.dimensions.values():
        origin = kb.origins[f"dimension:{dim.id}"]
        for i, m in enumerate(dim.methods):
            _ref(c, origin, ("methods", i), "method", m, kb.methods)
        if not kb.criteria_of(dim.id):
            c.add(origin, ("id",), f"dimension {dim.id!r} has no criteria", hint="add knowledge_base/criteria/<dimension>.yaml")
    for source, file in criteria:
        _ref(c, Origin(source, ()), ("dimension",), "dimension", file.dimension, kb.dimensions)
        for i, cr in enumerate(file.criteria):
            origin = Origin(source, ("criteria", i))
            if not cr.id.startswith(file.dimension + "."):
                c.add(origin, ("id",), f"criterion id {cr.id!r} must start with its dimension {file.dimension + '.'!r}")
            for j, m in enumerate(cr.methods):
                _ref(c, origin, ("methods", j), "method", m, kb.methods)


def _check_profiles(kb: KnowledgeBase, c: _Collector, source: Source) -> None:
    dims = set(kb.dimensions)
    groups: list[tuple[str, dict[str, Any]]] = [
        ("government_level", {str(k): v for k, v in kb.profiles.government_level.items()}), ("sector", dict(kb.profiles.sector))]
    for group, profiles in groups:
        for name, prof in profiles.items():
            if prof is None:
                continue
            origin = Origin(source, (group, name, "weights"))
            for d in prof.weights:
                _ref(c, origin, (d,), "dimension", d, dims)
            if set(prof.weights) != dims:
                c.add(origin, (), f"weights must name every dimension: {', '.join(sorted(dims))}")
            elif sum(prof.weights.values()) <= 0:
                c.add(origin, (), "weights must not all be 0")
    for name, adj in kb.profiles.office_type.items():
        for d in adj.adjust:
            _ref(c, Origin(source, ("office_type", name, "adjust")), (d,), "dimension", d, dims)


def _check_planning(kb: KnowledgeBase, c: _Collector, source: Source) -> None:
    """Default capacities may only name roles of roles.yaml."""
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


def _check_condition(kb: KnowledgeBase, c: _Collector, origin: Origin, loc: tuple[Any, ...], cond: Any) -> None:
    from ..models.conditions import ContextTest, CriterionTest, DimensionTest
    for leaf in conditions.leaves(cond):
        if isinstance(leaf, CriterionTest):
            _ref(c, origin, loc, "criterion", leaf.criterion, kb.criteria)
        elif isinstance(leaf, DimensionTest):
            _ref(c, origin, loc, "dimension", leaf.dimension, kb.dimensions)
        elif isinstance(leaf, ContextTest):
            for field, values in leaf.context.fields():
                known = {"government_level": ["republican", "local"], "office_type": ["centralised", "decentralised"],
                         "sector": kb.sectors()}[field]
                for v in values:
                    _ref(c, origin, loc, field.replace("_", " "), v, known)
    try:
        if not conditions.alternatives(cond):
            c.add(origin, loc, "this condition can never be true (its tests contradict each other)",
                  hint="check the comparisons: e.g. at_most 2 together with at_least 4")
    except conditions.TooComplex as exc:
        c.add(origin, loc, str(exc), hint="split it into several rules")


def _check_weaknesses(kb: KnowledgeBase, c: _Collector) -> None:
    for w in kb.weaknesses.values():
        origin = kb.origins[f"weakness:{w.id}"]
        if w.dimension != "cross":
            _ref(c, origin, ("dimension",), "dimension", w.dimension, kb.dimensions)
        elif w.level is not None:
            c.add(origin, ("level",), "a cross-dimension weakness cannot be typical of one dimension's level")
        if w.criterion is not None:
            _ref(c, origin, ("criterion",), "criterion", w.criterion, kb.criteria)


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
                c.add(origin, ("requires", i), "an action cannot require itself")
        for i, cp in enumerate(a.requires_if):
            _check_condition(kb, c, origin, ("requires_if", i, "when"), cp.when)
            for j, p in enumerate(cp.requires):
                _ref(c, origin, ("requires_if", i, "requires", j), "action", p, kb.actions)
        for i, r in enumerate(a.raises):
            _ref(c, origin, ("raises", i, "criterion"), "criterion", r.criterion, kb.criteria)
        if a.achieved_when is not None:
            _check_condition(kb, c, origin, ("achieved_when",), a.achieved_when)


def load_assessment(path: Path | str, kb: KnowledgeBase) -> Assessment:
    """Read an assessment file and check it against the knowledge base."""
    source = parse(path)
    if not isinstance(source.data, dict):
        raise AdvisorError.single(str(path), "expected a mapping with organisation, date, assessor and scores",
                                  hint="run `advisor template` for a blank assessment")
    assessment = validate(source, Assessment)
    return check_assessment(assessment, kb, source)


def check_assessment(assessment: Assessment, kb: KnowledgeBase, source: Source) -> Assessment:
    problems: list[Problem] = []
    for cid, entry in assessment.scores.items():
        if cid not in kb.criteria:
            problems.append(source.problem(("scores", cid), f"unknown criterion {cid!r}",
                                           hint=did_you_mean(cid, kb.criteria) or "run `advisor model` for the list"))
        elif entry.method is not None and entry.method not in kb.methods:
            problems.append(source.problem(("scores", cid, "method"), f"unknown method {entry.method!r}",
                                           hint=did_you_mean(entry.method, kb.methods) or ", ".join(kb.methods)))
    sector = assessment.organisation.sector
    if sector not in kb.profiles.sector:
        problems.append(source.problem(("organisation", "sector"), f"unknown sector {sector!r}",
                                       hint=did_you_mean(sector, kb.sectors()) or f"known: {', '.join(kb.sectors())}"))
    if assessment.weights is not None:
        for d in assessment.weights:
            if d not in kb.dimensions:
                problems.append(source.problem(("weights", d), f"unknown dimension {d!r}",
                                               hint=did_you_mean(d, kb.dimensions) or ", ".join(kb.dimensions)))
        if not problems and set(assessment.weights) != set(kb.dimensions):
            problems.append(source.problem(("weights",), "weights must name every dimension: " + ", ".join(kb.dimensions)))
        elif not problems and sum(assessment.weights.values()) <= 0:
            problems.append(source.problem(("weights",), "weights must not all be 0"))
    if assessment.capacity is not None:
        for key in ("fte", "concurrent"):
            for role in getattr(assessment.capacity, key):
                if role not in kb.roles:
                    problems.append(source.problem(("capacity", key, role), f"unknown role {role!r}",
                                                   hint=did_you_mean(role, kb.roles) or ", ".join(kb.roles)))
    for dim in kb.dimensions:
        ids = [cr.id for cr in kb.criteria_of(dim)]
        if not any(cid in assessment.scores and assessment.scores[cid].score is not None for cid in ids):
            problems.append(source.problem(("scores",), f"dimension {dim!r} has no scored criterion",
                                           hint=f"score at least one of: {', '.join(ids)}"))
    if problems:
        raise AdvisorError(problems)
    return assessment


def load_progress(path: Path | str, kb: KnowledgeBase) -> Progress:
    """Read a progress file; every action id must exist in the catalogue."""
    source = parse(path)
    progress = validate(source, Progress)
    problems: list[Problem] = []
    seen: set[str] = set()
    listed: list[tuple[str, int, DoneItem | InProgressItem]] = [
        *(("done", i, x) for i, x in enumerate(progress.done)),
        *(("in_progress", i, y) for i, y in enumerate(progress.in_progress))]
    for key, i, item in listed:
        if item.action not in kb.actions:
            problems.append(source.problem((key, i, "action"), f"unknown action {item.action!r}",
                                           hint=did_you_mean(item.action, kb.actions) or "see the action catalogue"))
        elif item.action in seen:
            problems.append(source.problem((key, i, "action"), f"action {item.action!r} is listed twice",
                                           hint="an action is either done or in progress, once"))
        seen.add(item.action)
    if problems:
        raise AdvisorError(problems)
    return progress
