"""durable_rules driven through its own Python API (``durable.engine``), as a user of the library drives it:
a baseline for the adapter (advisor/engine/adapter.py) that computes the same result.

The rulesets are the adapter's own: the JSON definitions it hands to ``create_ruleset`` are captured while
an :class:`~advisor.engine.adapter.Engine` is built, and each rule gets a Python action (``"run"``), as
durable_rules documents it (``Host.set_rulesets`` with a dict of definitions, see
shared/design/durable-rules.md). The actions record what fired, with the values the rule saw (read from
the matched facts the engine passes them, not from the input), and assert the derived weakness and action
facts through the action's closure (``c.assert_fact``), so the weakness -> action chaining happens in the
engine. Afterwards every asserted fact is retracted, so the one session is reused. The result is a
:class:`~advisor.engine.program.Firings`, compared in full with the adapter's by :func:`check_same`.

Two ways of driving it, both synchronous (``Host`` with its timer threads off: they run actions
themselves and lose results):

- ``"host"``: ``Host.assert_fact`` for each fact, then ``Host.retract_facts``. Not one ``Host.assert_facts``
  of the whole assessment: a batch holding any fact that no rule accepts comes back with code 1, which
  ``Ruleset._handle_result`` turns into ``MessageNotHandledException`` before it runs the actions that
  fired; they stay queued until a timer thread's ``Ruleset.dispatch`` runs them. Which facts are accepted
  depends on their values (a criterion fact with score 4, where the only rule on it tests ``score <= 2``,
  is refused too), so no filtering up front gets a batch through. One fact at a time, a refused fact
  raises on its own and is skipped. (``durable.lang.assert_facts`` is ``Host.assert_facts`` on a Host
  whose timers run.)
- ``"ruleset"``: the assessment asserted in one batch at the C layer (``durable_rules_engine.assert_facts``,
  as the adapter does), then durable's own action dispatch (``Ruleset.do_actions``: its ``Closure``,
  ``Promise`` and state updates) runs the same Python actions.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Callable, Iterator

import durable_rules_engine as dre
from durable import engine as durable

from advisor.engine import adapter
from advisor.engine.conditions import Atom, Facts
from advisor.engine.program import Firings

MODES = ("host", "ruleset")
_names = itertools.count()
_generation = itertools.count(1)
_SKIPPED = (durable.MessageNotHandledException, durable.MessageObservedException)


class SyncHost(durable.Host):
    """A ``Host`` whose timer threads never start: actions run only inside the caller's ``assert_fact``."""

    def _run(self) -> None:
        pass


def captured_definitions(make: Callable[[], adapter.Engine]) -> tuple[adapter.Engine, list[dict[str, Any]]]:
    """Build an engine with ``make`` and return it with the ruleset definitions it compiled, in order."""
    seen: list[dict[str, Any]] = []
    create = adapter.dre.create_ruleset

    def record(name: str, definition: str) -> Any:
        seen.append(json.loads(definition))
        return create(name, definition)

    adapter.dre.create_ruleset = record
    try:
        eng = make()
    finally:
        adapter.dre.create_ruleset = create
    return eng, seen


class OwnApiDriver:
    """The adapter's rulesets with Python actions, driven through durable_rules' own Python layer."""

    def __init__(self, eng: adapter.Engine, definitions: list[dict[str, Any]], mode: str = "host") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if len(definitions) != len(eng._parts):
            raise ValueError(f"{len(definitions)} definitions for {len(eng._parts)} rulesets")
        self.mode = mode
        self.then = eng.then
        self.out = Firings()
        self.derived: list[dict[str, Any]] = []
        self.gen = 0
        self.host = SyncHost()
        rulesets: dict[str, dict[str, Any]] = {}
        for part, definition in zip(eng._parts, definitions):
            runs = {name: self._clause_action(*meaning) for name, meaning in part.clauses.items()}
            runs.update({name: self._remedy_action(*pair) for name, pair in part.remedies.items()})
            if set(runs) != set(definition):
                raise ValueError("the captured definition and the adapter's rules differ")
            # Ruleset() deletes "run" from what it is given: a copy per ruleset, never the captured one
            rulesets[f"own{next(_names)}"] = {name: {**rule, "run": runs[name]} for name, rule in definition.items()}
        self.host.set_rulesets(rulesets)
        self.names = list(rulesets)
        self.rulesets = [self.host.get_ruleset(name) for name in self.names]

    def _assert(self, c: Any, fact: dict[str, Any]) -> None:
        self.derived.append(fact)
        try:
            c.assert_fact(fact)
        except _SKIPPED:   # a weakness no action remedies, or an action fact: no rule tests them
            pass

    def _clause_action(self, clause: Any, aliases: dict[str, list[Atom]]) -> Callable[[Any], None]:
        owner, kind = clause.owner, clause.kind
        branch = clause.index if kind == "prerequisite" else clause.branch
        then = self.then[owner] if kind == "diagnostic" else []

        def run(c: Any) -> None:
            out = self.out
            if kind == "prerequisite":
                out.prerequisites.setdefault(owner, set()).add(branch)
                return
            # the values the rule saw, from the facts the engine matched (the adapter reads its input instead)
            trace = tuple((atom, getattr(c, alias)[atom.field]) for alias, atoms in aliases.items() for atom in atoms)
            if kind == "achieved":
                out.achieved.setdefault(owner, {})[branch] = trace
                return
            out.diagnostic.setdefault(owner, {})[branch] = trace
            for w in then:
                if w not in out.weaknesses:
                    out.weaknesses.add(w)
                    self._assert(c, {"sid": adapter._SID, "g": self.gen, "t": "weakness", "id": w})
        return run

    def _remedy_action(self, action: str, weakness: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            self.out.remedies.setdefault(action, set()).add(weakness)
            self._assert(c, {"sid": adapter._SID, "g": self.gen, "t": "action", "id": action, "weakness": weakness})
        return run

    def evaluate(self, facts: Facts) -> Firings:
        self.out, self.derived, self.gen = Firings(), [], next(_generation)
        payload = [adapter._fact(kind, key, values, self.gen) for (kind, key), values in facts.items()]
        for name, ruleset in zip(self.names, self.rulesets):
            derived_before = len(self.derived)
            try:
                if self.mode == "host":
                    for fact in payload:
                        try:
                            _raise_exception(self.host.assert_fact(name, fact))
                        except _SKIPPED:
                            pass
                else:
                    self._dispatch(ruleset, payload)
            finally:
                self._retract(name, payload)
                self._retract(name, self.derived[derived_before:])
        return self.out

    def _retract(self, name: str, batch: list[dict[str, Any]]) -> None:
        if batch:
            try:
                self.host.retract_facts(name, batch)
            except _SKIPPED:   # code 1 for a batch holding an untested fact: the rest is retracted all the same
                pass

    @staticmethod
    def _dispatch(ruleset: Any, payload: list[dict[str, Any]]) -> None:
        code, state = dre.assert_facts(ruleset._handle, json.dumps(payload, ensure_ascii=False))
        if code not in (0, 1, 2):
            raise RuntimeError(f"durable_rules returned code {code} asserting the assessment")
        result: list[Any] = [None, None]

        def done(error: Any, state: Any) -> None:
            result[:] = [error, state]
        ruleset.do_actions(state, done)
        if result[0]:
            raise RuntimeError(f"durable_rules failed in an action: {result[0]!r}")
        _raise_exception(result[1])

    def close(self) -> None:
        for ruleset in self.rulesets:
            dre.delete_ruleset(ruleset._handle)
        self.rulesets = []


def _raise_exception(state: Any) -> None:
    """An exception inside an action does not propagate: durable_rules leaves it in the session's state."""
    if isinstance(state, dict) and "exception" in state:
        raise RuntimeError(f"an action failed: {state['exception']}")


def check_same(adapter_results: Iterator[Firings] | list[Firings], own_results: Iterator[Firings] | list[Firings],
               label: str) -> int:
    """Fail loudly unless both drivers fired the same rules with the same values and derived the same facts
    on every assessment; return how many assessments were compared."""
    n = 0
    for n, (a, b) in enumerate(zip(adapter_results, own_results, strict=True), 1):
        if a != b:
            diff = [f"{part}: adapter {getattr(a, part)!r} != {label} {getattr(b, part)!r}"
                    for part in ("diagnostic", "weaknesses", "remedies", "achieved", "prerequisites")
                    if getattr(a, part) != getattr(b, part)]
            raise AssertionError(f"assessment {n}: {label} did not compute what the adapter did:\n  "
                                 + "\n  ".join(d[:2000] for d in diff))
    return n
