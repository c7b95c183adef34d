"""Checks of a knowledge base beyond its schema, for policy teams (``advisor rules lint``).

Implication and overlap between conditions are decided exactly: scores are compared after rounding
to 2 decimals, so a score is one of the 401 values 1.00 .. 5.00, levels are 1..5, and context fields
take the values the knowledge base knows. A condition is then a set of assessments' fact values,
and "rule A can only fire when rule B fires" is set inclusion.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

from ..engine import conditions
from ..engine.conditions import Alternative, Atom
from ..errors import N_, AdvisorError, Gettext, Problem, localise
from ..models.conditions import CONTEXT_VALUES
from ..models.knowledge import KnowledgeBase, Origin

Severity = Literal["error", "warning", "info"]
SCORES = tuple(round(1 + i / 100, 2) for i in range(401))
KAZAKH_LOOKALIKE = "\u0259"   # Latin schwa, left in Kazakh text by PDF extraction instead of "ә"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        return self.render(str)

    def render(self, gettext: Gettext) -> str:
        """``file:line:column: severity CODE: message (hint: …)`` in the language of ``gettext``; the code stays."""
        where = self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.column else "")
        text = f"{where}: {localise(SEVERITIES[self.severity], gettext)} {self.code}: {localise(self.message, gettext)}"
        return text + (" (" + N_("hint: {hint}", hint=self.hint).localise(gettext) + ")" if self.hint else "")


SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


CODES: dict[str, str] = {
    "E000": N_("the knowledge base does not load (schema, references, duplicate ids, cycles)"),
    "W101": N_("a weakness no rule asserts"),
    "W102": N_("an action never recommended and never a prerequisite"),
    "W103": N_("a dimension and level with no weakness: an office at that level gets no advice"),
    "W104": N_("an alternative of a condition that can never be true"),
    "W105": N_("a rule shadowed by another: whenever it fires, the other fires and asserts the same weaknesses"),
    "E106": N_("overlapping conditions assert weaknesses of two different levels of one dimension"),
    "W107": N_("a weakness that no action remedies"),
    "W108": N_("a text that is not translated (identical in two languages) or holds a look-alike letter"),
    "I109": N_("how many engine rules and rulesets the knowledge base compiles to"),
    "W110": N_("a rule can assert a weakness while every criterion the weakness is about scores at or above its threshold"),
    "W111": N_("an achieved_when that tests only a dimension or the overall level, not the criteria that evidence the outcome"),
    "W120": N_("a document of the source registry that no criterion, rule or action cites"),
    "I121": N_("how many registry documents are still unverified (shown to clients as such)"),
}


class Linter:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.findings: list[Finding] = []
        self._alts = {r.id: conditions.alternatives(r.when) for r in kb.rules.values()}

    def add(self, code: str, origin_key: str | None, loc: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        severity: Severity = {"E": "error", "W": "warning", "I": "info"}[code[0]]  # type: ignore[assignment]
        if origin_key is None:
            self.findings.append(Finding(code, severity, message, str(self.kb.root), hint=hint))
            return
        origin: Origin = self.kb.origins[origin_key]
        line, col = origin.source.where(origin.loc + loc)
        self.findings.append(Finding(code, severity, message, origin.source.path, line, col, hint))

    def run(self) -> list[Finding]:
        self.unreachable_weaknesses()
        self.useless_actions()
        self.empty_levels()
        self.impossible_alternatives()
        self.shadowed_rules()
        self.contradictory_levels()
        self.unremedied()
        self.texts()
        self.claims_beyond_evidence()
        self.achieved_by_level()
        self.engine_size()
        self.sources()
        order = {"error": 0, "warning": 1, "info": 2}
        return sorted(self.findings, key=lambda f: (order[f.severity], f.file, f.line or 0, f.code))

    def asserted(self) -> set[str]:
        return {w for r in self.kb.rules.values() for w in r.then}

    def unreachable_weaknesses(self) -> None:
        asserted = self.asserted()
        for w in sorted(self.kb.weaknesses):
            if w not in asserted:
                self.add("W101", f"weakness:{w}", ("id",), N_("no rule asserts weakness {id}", id=w),
                         hint=N_("add a rule with it under then:, or remove it"))

    def useless_actions(self) -> None:
        asserted = self.asserted()
        prerequisites = {p for a in self.kb.actions.values()
                         for p in [*a.requires, *(x for cp in a.requires_if for x in cp.requires)]}
        for a in sorted(self.kb.actions.values(), key=lambda a: a.id):
            if not set(a.remedies) & asserted and a.id not in prerequisites:
                self.add("W102", f"action:{a.id}", ("id",), N_("action {id} is never recommended and no action requires it", id=a.id),
                         hint=N_("list the weaknesses it remedies under remedies:, or make it a prerequisite"))

    def empty_levels(self) -> None:
        for d in self.kb.dimensions:
            for level in range(1, 5):
                if not any(w.dimension == d and w.level == level for w in self.kb.weaknesses.values()):
                    self.add("W103", f"dimension:{d}", ("id",),
                             N_("no weakness is typical of {dimension} at level {level}", dimension=d, level=level),
                             hint=N_("add weaknesses with dimension: {dimension} and level: {level}", dimension=d, level=level))

    def impossible_alternatives(self) -> None:
        for r in sorted(self.kb.rules.values(), key=lambda r: r.id):
            for i, alt in enumerate(conditions.all_alternatives(r.when), 1):
                if not conditions.satisfiable(alt):
                    tests = "; ".join(a.describe() for a in alt)
                    self.add("W104", f"rule:{r.id}", ("when",),
                             N_("rule {id}: alternative {n} can never be true ({tests})", id=r.id, n=i, tests=tests),
                             hint=N_("remove the contradicting test"))

    def shadowed_rules(self) -> None:
        rules = sorted(self.kb.rules.values(), key=lambda r: r.id)
        for a, b in itertools.permutations(rules, 2):
            if not set(a.then) <= set(b.then) or not self._alts[a.id]:
                continue
            if all(any(self.implies(x, y) for y in self._alts[b.id]) for x in self._alts[a.id]):
                if set(a.then) == set(b.then) and self._alts_equal(a.id, b.id) and a.id > b.id:
                    continue   # two equivalent rules: report the pair once, on the first id
                self.add("W105", f"rule:{a.id}", ("id",),
                         N_("rule {id} is shadowed by {other}: whenever {id} fires, {other} fires and asserts its weaknesses",
                            id=a.id, other=b.id),
                         hint=N_("remove {id}, or make it assert something {other} does not", id=a.id, other=b.id))

    def _alts_equal(self, a: str, b: str) -> bool:
        return all(any(self.implies(y, x) for x in self._alts[a]) for y in self._alts[b])

    def contradictory_levels(self) -> None:
        level_of = {w.id: (w.dimension, w.level) for w in self.kb.weaknesses.values() if w.level is not None}
        rules = sorted(self.kb.rules.values(), key=lambda r: r.id)
        for a, b in itertools.combinations(rules, 2):
            pairs = [(x, y) for x in a.then if x in level_of for y in b.then if y in level_of
                     if level_of[x][0] == level_of[y][0] and level_of[x][1] != level_of[y][1]]
            if not pairs:
                continue
            if any(conditions.satisfiable(tuple(sorted(set(x + y)))) for x in self._alts[a.id] for y in self._alts[b.id]):
                x, y = pairs[0]
                self.add("E106", f"rule:{b.id}", ("when",),
                         N_("rules {a} and {b} can fire together and assert {x} (level {x_level}) and {y} (level {y_level}) "
                            "of {dimension}", a=a.id, b=b.id, x=x, x_level=level_of[x][1], y=y, y_level=level_of[y][1],
                            dimension=level_of[x][0]),
                         hint=N_("make their score or level bands disjoint"))

    def unremedied(self) -> None:
        remedied = {w for a in self.kb.actions.values() for w in a.remedies}
        for w in sorted(self.kb.weaknesses):
            if w not in remedied:
                self.add("W107", f"weakness:{w}", ("id",), N_("no action remedies weakness {id}", id=w),
                         hint=N_("add it to the remedies: of an action"))

    def texts(self) -> None:
        from ..models.common import Text
        for key in sorted(self.kb.origins):
            kind, _, ident = key.partition(":")
            tables: dict[str, dict[str, Any]] = {"criterion": self.kb.criteria, "weakness": self.kb.weaknesses, "action": self.kb.actions,
                    "rule": self.kb.rules, "dimension": self.kb.dimensions, "role": self.kb.roles,
                    "method": self.kb.methods}
            item = tables.get(kind, {}).get(ident)
            if item is None:
                continue
            for path, text in _texts(item):
                assert isinstance(text, Text)
                if KAZAKH_LOOKALIKE in text.kk:
                    self.add("W108", key, path + ("kk",), N_("{id}: Kazakh text holds the Latin letter 'ə' (U+0259)", id=ident),
                             hint=N_("replace it with the Kazakh letter 'ә' (U+04D9)"))
                for x, y in (("kk", "en"), ("ru", "en"), ("kk", "ru")):
                    if text.get(x) == text.get(y) and any(ch.isalpha() for ch in text.get(x)) and len(text.get(x)) > 3:  # type: ignore[arg-type]
                        self.add("W108", key, path + (x,),
                                 N_("{id}: the {lang} text is the same as the {other} text", id=ident, lang=x, other=y),
                                 hint=N_("translate it into {lang}", lang=x))

    def claims_beyond_evidence(self) -> None:
        """A weakness is a claim about its ``about`` criteria: no rule may assert it while all of them score well."""
        for r in sorted(self.kb.rules.values(), key=lambda r: r.id):
            for i, w in enumerate(r.then):
                about = self.kb.weaknesses[w].about
                well = tuple(Atom("criterion" if a.criterion else "dimension", a.fact[1], "score", "gte", float(a.below))
                             for a in about)
                alt = next((alt for alt in self._alts[r.id] if _coupled_satisfiable(alt + well)), None)
                if alt is None:
                    continue
                shown = "; ".join(f"{a.fact[1]} >= {a.below:g}" for a in about)
                self.add("W110", f"rule:{r.id}", ("then", i),
                         N_("rule {id} can assert {weakness} while {tests} (when {when})", id=r.id, weakness=w, tests=shown,
                            when="; ".join(a.describe() for a in alt)),
                         hint=N_("add a test that one of the criteria {weakness} is about is low to the rule's when:", weakness=w))

    def achieved_by_level(self) -> None:
        for a in sorted(self.kb.actions.values(), key=lambda a: a.id):
            if a.achieved_when is None:
                continue
            kinds = {leaf_kind for leaf in conditions.leaves(a.achieved_when)
                     if (leaf_kind := type(leaf).__name__) != "ContextTest"}
            if kinds and "CriterionTest" not in kinds:
                self.add("W111", f"action:{a.id}", ("achieved_when",),
                         N_("action {id}: achieved_when tests only a dimension or overall level", id=a.id),
                         hint=N_("test the criteria whose evidence shows the action's outcome is in place"))
    def sources(self) -> None:
        kb = self.kb
        cited = {c.doc for _, sourcing in kb.sourced() for c in sourcing.cite}
        for d in sorted(set(kb.documents) - cited):
            self.add("W120", f"document:{d}", ("id",), N_("no criterion, rule or action cites document {id}", id=d),
                     hint=N_("cite it where it applies, or remove it from knowledge_base/sources.yaml"))
        unverified = sorted(d.id for d in kb.documents.values() if not d.verified)
        if unverified:
            self.add("I121", None, (), N_("{n} of {total} source documents are unverified: {ids}", n=len(unverified),
                                          total=len(kb.documents), ids=", ".join(unverified)),
                     hint=N_("check number, date and issuer against the published text"))

    def engine_size(self) -> None:
        from ..engine.adapter import MAX_RULES, RULES_PER_RULESET
        from ..engine.program import Program
        program = Program.of(self.kb)
        total = len(program.clauses) + len(program.remedies)
        sets = max(1, -(-total // RULES_PER_RULESET))
        if total > MAX_RULES:
            self.findings.append(Finding("E000", "error", N_("{n} engine rules; at most {limit} are supported", n=total,
                                                                limit=MAX_RULES), str(self.kb.root / "rules")))
        self.findings.append(Finding(
            "I109", "info", N_("{rules} rules compile to {total} engine rules in {sets} ruleset(s) (durable_rules allows "
                               "4096 per ruleset; advisor splits at {split})", rules=len(self.kb.rules), total=total, sets=sets,
                               split=RULES_PER_RULESET), str(self.kb.root / "rules")))

    def implies(self, a: Alternative, b: Alternative) -> bool:
        """Every assessment satisfying ``a`` satisfies ``b`` (exact over the finite domains)."""
        by_a = _group(a)
        for key, atoms in _group(b).items():
            domain = self._domain(key)
            allowed_a = [v for v in domain if all(x.holds(v) for x in by_a.get(key, []))]
            if not all(all(y.holds(v) for y in atoms) for v in allowed_a):
                return False
        return True

    def _domain(self, key: tuple[str, str, str]) -> list[Any]:
        kind, _, field = key
        if field == "score":
            return list(SCORES)
        if field == "level":
            return [1, 2, 3, 4, 5]
        if field == "reported":
            return [0, 1]
        return {**CONTEXT_VALUES, "sector": self.kb.sectors()}[field]


def _coupled_satisfiable(alt: Alternative) -> bool:
    """Like :func:`conditions.satisfiable`, but a fact's level is the whole part of its score, so
    'strategy level = 2' and 'strategy score >= 3' contradict each other."""
    if not conditions.satisfiable(alt):
        return False
    facts: dict[tuple[str, str], list[Atom]] = {}
    for atom in alt:
        if atom.kind not in ("context", "outcome"):   # an outcome's reported flag is not a score
            facts.setdefault(atom.fact, []).append(atom)
    return all(any(all(a.holds(min(5, int(s)) if a.field == "level" else s) for a in atoms) for s in SCORES)
               for atoms in facts.values())


def _group(alt: Alternative) -> dict[tuple[str, str, str], list[Atom]]:
    out: dict[tuple[str, str, str], list[Atom]] = {}
    for atom in alt:
        out.setdefault((atom.kind, atom.key, atom.field), []).append(atom)
    return out


def _texts(item: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    from pydantic import BaseModel

    from ..models.common import Text
    if isinstance(item, Text):
        return [(path, item)]
    out: list[tuple[tuple[Any, ...], Any]] = []
    if isinstance(item, BaseModel):
        for name in type(item).model_fields:
            out += _texts(getattr(item, name), path + (name,))
    elif isinstance(item, dict):
        for k, v in item.items():
            out += _texts(v, path + (k,))
    elif isinstance(item, list):
        for i, v in enumerate(item):
            out += _texts(v, path + (i,))
    return out


def lint(root: Any) -> list[Finding]:
    """Load and lint; a knowledge base that does not load gives its load problems as E000 errors."""
    from .loading import load_kb
    try:
        kb = load_kb(root)
    except AdvisorError as exc:
        return [_from_problem(p) for p in exc.problems]
    return Linter(kb).run()


def _from_problem(p: Problem) -> Finding:
    message = N_("{field}: {message}", field=p.field, message=p.message) if p.field else p.message
    return Finding("E000", "error", message, p.file, p.line, p.column, p.hint)
