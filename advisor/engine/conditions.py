"""Conditions in normal form, and the reference evaluator.

A condition tree is rewritten into *alternatives*: a list of alternatives, each a list of atomic tests
that must all hold (disjunctive normal form). Negations are pushed into the tests (``not score <= 2``
becomes ``score > 2``), so a test on a criterion that was not scored is false even under ``not``.
The engine compiles each alternative to one durable_rules rule; this module evaluates the same
alternatives in plain Python, which answers "why not?", serves the linter, and is the reference the
engine is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Literal, Union

from ..models.conditions import (
    AllOf,
    AnyOf,
    ContextTest,
    CriterionTest,
    DimensionTest,
    NotOf,
    OutcomeTest,
    OverallTest,
    _ScoreLevel,
)

ConditionNode = Union[AllOf, AnyOf, NotOf, CriterionTest, DimensionTest, OverallTest, ContextTest, OutcomeTest]

#: More alternatives than this means a condition a person cannot review either.
MAX_ALTERNATIVES = 64

_OPS = {"at_most": "lte", "below": "lt", "at_least": "gte", "above": "gt", "equals": "eq"}
_NEGATE = {"lte": "gt", "gt": "lte", "lt": "gte", "gte": "lt", "eq": "neq", "neq": "eq", "in": "nin", "nin": "in"}
_SYMBOL = {"lte": "<=", "lt": "<", "gte": ">=", "gt": ">", "eq": "=", "neq": "!=", "in": "in", "nin": "not in"}

FactKey = tuple[str, str]          # ("criterion", "strategy.x"), ("dimension", "culture"), ("overall", ""), ("context", ""),
                                   # ("outcome", "projects_on_time")
Facts = dict[FactKey, dict[str, Union[float, int, str]]]


FactKind = Literal["criterion", "dimension", "overall", "context", "outcome"]


@dataclass(frozen=True, order=True)
class Atom:
    """One comparison on one field of one fact."""

    kind: FactKind
    key: str
    field: str
    op: str
    value: Union[float, tuple[str, ...]]

    @property
    def fact(self) -> FactKey:
        return (self.kind, self.key)

    def negated(self) -> "Atom":
        return Atom(self.kind, self.key, self.field, _NEGATE[self.op], self.value)

    def holds(self, actual: Union[float, int, str]) -> bool:
        v = self.value
        if self.op == "in":
            return actual in v  # type: ignore[operator]
        if self.op == "nin":
            return actual not in v  # type: ignore[operator]
        a = float(actual)  # type: ignore[arg-type]
        b = float(v)  # type: ignore[arg-type]
        return {"lte": a <= b, "lt": a < b, "gte": a >= b, "gt": a > b, "eq": a == b, "neq": a != b}[self.op]

    @property
    def symbol(self) -> str:
        return _SYMBOL[self.op]

    def describe(self, actual: Union[float, int, str, None] = None) -> str:
        name = self.key if self.kind in ("criterion", "dimension", "outcome") else self.kind
        value = ", ".join(self.value) if isinstance(self.value, tuple) else _num(self.value)
        shown = "" if actual is None else f" {_num(actual) if not isinstance(actual, str) else actual}"
        return f"{name} {self.field}{shown} {_SYMBOL[self.op]} {value}"


def _num(x: Union[float, int, str]) -> str:
    if isinstance(x, str):
        return x
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


Alternative = tuple[Atom, ...]


class TooComplex(ValueError):
    pass


def _leaf_atoms(node: ConditionNode) -> list[Atom]:
    if isinstance(node, (CriterionTest, DimensionTest)):
        kind: FactKind = "criterion" if isinstance(node, CriterionTest) else "dimension"
        key = node.criterion if isinstance(node, CriterionTest) else node.dimension
        tests: _ScoreLevel = node
    elif isinstance(node, OverallTest):
        kind, key, tests = "overall", "", node.overall
    elif isinstance(node, OutcomeTest):
        # a fact per indicator of the knowledge base, reported 1 or 0, so "not reported" is a test like any other
        return [Atom("outcome", node.outcome, "reported", "eq", 1.0 if node.reported else 0.0)]
    else:
        assert isinstance(node, ContextTest)
        return [Atom("context", "", name, "in", values) for name, values in node.context.fields()]
    atoms = []
    for field_name in ("score", "level"):
        compare = getattr(tests, field_name)
        if compare is not None:
            atoms += [Atom(kind, key, field_name, _OPS[op], float(v)) for op, v in compare.bounds()]
    return atoms


def _dnf(node: ConditionNode, negate: bool) -> list[list[Atom]]:
    if isinstance(node, NotOf):
        return _dnf(node.not_, not negate)
    if isinstance(node, (AllOf, AnyOf)):
        parts = node.all if isinstance(node, AllOf) else node.any
        conjunctive = isinstance(node, AllOf) != negate
        children = [_dnf(p, negate) for p in parts]
        if not conjunctive:
            return [alt for child in children for alt in child]
        result: list[list[Atom]] = [[]]
        for child in children:
            result = [a + b for a in result for b in child]
            if len(result) > MAX_ALTERNATIVES:
                raise TooComplex(f"the condition expands to more than {MAX_ALTERNATIVES} alternatives")
        return result
    atoms = _leaf_atoms(node)
    if not negate:
        return [atoms]
    # not (a and b) == (not a) or (not b)
    return [[a.negated()] for a in atoms]


def alternatives(node: ConditionNode) -> list[Alternative]:
    """The condition as satisfiable alternatives, each sorted, duplicates removed, in a stable order."""
    out: list[Alternative] = []
    for alt in _dnf(node, False):
        canon = tuple(sorted(set(alt)))
        if canon not in out and satisfiable(canon):
            out.append(canon)
    if len(out) > MAX_ALTERNATIVES:
        raise TooComplex(f"the condition expands to more than {MAX_ALTERNATIVES} alternatives")
    return out


def all_alternatives(node: ConditionNode) -> list[Alternative]:
    """Like :func:`alternatives` but keeps the unsatisfiable ones (the linter reports them)."""
    return [tuple(sorted(set(alt))) for alt in _dnf(node, False)]


def satisfiable(alt: Alternative) -> bool:
    """Can some assessment make every test of ``alt`` true? Scores lie in [1, 5], levels are 1..5, an outcome
    is reported (1) or not (0)."""
    groups: dict[tuple[FactKey, str], list[Atom]] = {}
    for atom in alt:
        groups.setdefault((atom.fact, atom.field), []).append(atom)
    for (_, field_name), atoms in groups.items():
        if atoms[0].kind == "context":
            allowed: set[str] | None = None
            banned: set[str] = set()
            for a in atoms:
                values = set(a.value)  # type: ignore[arg-type]
                if a.op == "in":
                    allowed = values if allowed is None else allowed & values
                else:
                    banned |= values
            if allowed is not None and not (allowed - banned):
                return False
            continue
        if field_name in ("level", "reported"):
            domain = range(1, 6) if field_name == "level" else (0, 1)
            if not any(all(a.holds(v) for a in atoms) for v in domain):
                return False
            continue
        lo, hi, lo_open, hi_open = 1.0, 5.0, False, False
        excluded: set[float] = set()
        for a in atoms:
            v = float(a.value)  # type: ignore[arg-type]
            if a.op in ("gte", "gt") and (v > lo or (v == lo and a.op == "gt")):
                lo, lo_open = v, a.op == "gt"
            elif a.op in ("lte", "lt") and (v < hi or (v == hi and a.op == "lt")):
                hi, hi_open = v, a.op == "lt"
            elif a.op == "eq":
                if not (lo <= v <= hi):
                    return False
                lo = hi = v
                lo_open = hi_open = False
            elif a.op == "neq":
                excluded.add(v)
        if lo > hi or (lo == hi and (lo_open or hi_open or lo in excluded)):
            return False
    return True


def alt_holds(alt: Alternative, facts: Facts) -> bool:
    for atom in alt:
        fact = facts.get(atom.fact)
        if fact is None or atom.field not in fact or not atom.holds(fact[atom.field]):
            return False
    return True


def failed_atoms(alt: Alternative, facts: Facts) -> list[tuple[Atom, Union[float, int, str, None]]]:
    """Why an alternative does not hold: each failing test with the value it saw (None: not scored)."""
    out: list[tuple[Atom, Union[float, int, str, None]]] = []
    for atom in alt:
        fact = facts.get(atom.fact)
        if fact is None or atom.field not in fact:
            out.append((atom, None))
        elif not atom.holds(fact[atom.field]):
            out.append((atom, fact[atom.field]))
    return out


def leaves(node: ConditionNode) -> Iterator[ConditionNode]:
    """Every leaf test of a condition tree, in order."""
    if isinstance(node, NotOf):
        yield from leaves(node.not_)
    elif isinstance(node, (AllOf, AnyOf)):
        for part in node.all if isinstance(node, AllOf) else node.any:
            yield from leaves(part)
    else:
        yield node
