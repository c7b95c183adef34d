"""The only module that touches durable_rules.

The knowledge base's :class:`~advisor.engine.program.Program` is compiled once into durable_rules rulesets
and driven through the engine's C layer synchronously (no ``Host``: its timer threads sometimes run
actions themselves and lose results, see ``shared/design/durable-rules.md``). One evaluation:

1. assert the assessment's facts (one per scored criterion, per dimension, overall, context) into a
   fresh session;
2. drain the fired rules; a diagnostic rule's action asserts its weakness facts into the same session,
   where the remedy rules (weakness -> action) match them and assert action facts: the chaining
   happens in the engine;
3. retract every fact it asserted, always (``finally``), so the one reused session is empty again.
   One session id is ever used (at most 1024 live sessions exist per ruleset and ids are 32-bit hashes).
   ``delete_state`` is never called: measured here, it segfaults on a session whose facts fired no rule
   (depending on heap layout), while retracting is safe and faster (see durable-rules.md).
   Every fact carries the evaluation's generation number; a firing that matches a fact of another
   generation raises instead of leaking one assessment's facts into another.

Every call into the engine holds one process-wide lock: the C layer is not thread-safe.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

try:
    import durable_rules_engine as dre
except ImportError as exc:   # Python 3.13+: the released engine does not build or import there
    raise ImportError(f"the rule engine durable-rules cannot be loaded ({exc}). advisor needs Python 3.11 or "
                      "3.12; on a system whose Python is 3.13 see the README, section 'On Debian 13, Ubuntu "
                      "25.04 and later, Fedora 41 and later'") from exc

from ..errors import AdvisorError, EngineError
from .conditions import Atom, Facts
from .program import Clause, Firings, Program

#: durable_rules refuses more than 4096 rules in one ruleset and hangs when one node holds more than 512
#: distinct tests; rulesets are kept well below both, and larger programs are split.
RULES_PER_RULESET = 1000
WEAKNESSES_PER_RULESET = 400
MAX_RULES = 20_000

_LOCK = threading.RLock()
_SID = "advisor"
_generation = itertools.count(1)
_OK = (0, 1, 2)   # handled / matched no rule (a fact no rule tests) / already present (same weakness twice)


def _test(atom: Atom) -> dict[str, Any]:
    field = atom.field
    value = int(atom.value) if field in ("level", "reported") and not isinstance(atom.value, tuple) else atom.value
    if atom.op == "eq":
        return {field: value}
    if atom.op == "in":
        options = [{field: v} for v in atom.value]  # type: ignore[union-attr]
        return options[0] if len(options) == 1 else {"$or": options}
    if atom.op == "nin":
        return {"$and": [{"$neq": {field: v}} for v in atom.value]}  # type: ignore[union-attr]
    return {"$" + atom.op: {field: value}}


def _expression(kind: str, key: str, atoms: list[Atom]) -> dict[str, Any]:
    tests: list[dict[str, Any]] = [{"t": kind}]
    if key:
        tests.append({"id": key})
    tests += [_test(a) for a in atoms]
    return {"$and": tests}


#: what a fired engine rule means, read in one look-up per firing: (kind, owner, branch, its atoms in trace
#: order each with its fact and field, how many facts it matches, its name) for a clause, (kind, action,
#: weakness, the JSON of its action fact after the generation number, 1, its name) for a remedy
_Rule = tuple[int, str, Any, Any, int, str]
_DIAGNOSTIC, _ACHIEVED, _PREREQUISITE, _REMEDY = range(4)
_KINDS = {"diagnostic": _DIAGNOSTIC, "achieved": _ACHIEVED, "prerequisite": _PREREQUISITE}


@dataclass
class _Compiled:
    """One ruleset's handle and, for each engine rule, what it means."""

    handle: int
    clauses: dict[str, tuple[Clause, dict[str, list[Atom]]]]   # name -> clause, alias -> its atoms
    remedies: dict[str, tuple[str, str]]                        # name -> (action, weakness)
    rules: dict[str, _Rule] = field(default_factory=dict)       # name -> what it means, clauses and remedies alike


def compile_clause(clause: Clause) -> tuple[dict[str, Any], dict[str, list[Atom]]]:
    groups: dict[tuple[str, str], list[Atom]] = {}
    for atom in clause.alternative:
        groups.setdefault(atom.fact, []).append(atom)
    aliases = {f"f{i}": atoms for i, atoms in enumerate(groups.values())}
    conds = [{alias: _expression(atoms[0].kind, atoms[0].key, atoms)} for alias, atoms in aliases.items()]
    return {"all": conds, "pri": {"diagnostic": 1, "prerequisite": 1, "achieved": 1}[clause.kind]}, aliases


class Engine:
    """A compiled knowledge base. Create once per knowledge base, call :meth:`evaluate` many times."""

    def __init__(self, program: Program, then: dict[str, list[str]]) -> None:
        total = len(program.clauses) + len(program.remedies)
        if total > MAX_RULES:
            raise AdvisorError.single("rules/", f"the knowledge base compiles to {total} engine rules; at most {MAX_RULES} are supported",
                                      hint="merge rules with the same weaknesses or split the knowledge base")
        self.then = then
        #: the JSON of each weakness fact after its generation number, made once
        self._weakness_tails = {w: f',"t":"weakness","id":{json.dumps(w)}}}' for ws in then.values() for w in ws}
        self._parts: list[_Compiled] = []
        #: test hook: called for each fired rule; an exception here must surface, not vanish
        self.on_fire: Callable[[str], None] | None = None
        try:
            for chunk in _chunks(program, then):
                self._parts.append(self._create(*chunk))
        except BaseException:
            self.close()
            raise

    def _create(self, clauses: list[Clause], remedies: list[tuple[str, str]]) -> _Compiled:
        definition: dict[str, Any] = {}
        meaning: dict[str, tuple[Clause, dict[str, list[Atom]]]] = {}
        for clause in clauses:
            definition[clause.name], aliases = compile_clause(clause)
            meaning[clause.name] = (clause, aliases)
        remedy_names: dict[str, tuple[str, str]] = {}
        for action, weakness in remedies:
            name = f"r|{action}|{weakness}"
            definition[name] = {"all": [{"w": {"$and": [{"t": "weakness"}, {"id": weakness}]}}], "pri": 2}
            remedy_names[name] = (action, weakness)
        with _LOCK:
            try:
                handle = dre.create_ruleset(f"advisor{id(self)}_{len(self._parts)}", json.dumps(definition, ensure_ascii=False))
            except Exception as exc:  # the engine reports bare codes; our validation should have caught the cause
                raise EngineError(f"durable_rules refused the compiled rules: {exc}") from exc
        rules: dict[str, _Rule] = {
            name: (_KINDS[clause.kind], clause.owner, clause.index if clause.kind == "prerequisite" else clause.branch,
                   tuple((a, a.fact, a.field) for atoms in aliases.values() for a in atoms), len(aliases), name)
            for name, (clause, aliases) in meaning.items()}
        rules.update({name: (_REMEDY, a, w, f',"t":"action","id":{json.dumps(a)},"weakness":{json.dumps(w)}}}', 1, name)
                      for name, (a, w) in remedy_names.items()})
        return _Compiled(handle, meaning, remedy_names, rules)

    def evaluate(self, facts: Facts) -> Firings:
        """Run one assessment's facts through every ruleset and collect what fired."""
        out = Firings()
        with _LOCK:
            gen = next(_generation)
            payload = json.dumps([_fact(kind, key, values, gen) for (kind, key), values in facts.items()],
                                 ensure_ascii=False)
            for part in self._parts:
                self._run(part, payload, facts, out, gen)
        return out

    def _run(self, part: _Compiled, payload: str, facts: Facts, out: Firings, gen: int) -> None:
        h = part.handle
        derived: list[str] = []     # facts the rules' actions asserted, as JSON, to retract afterwards
        asserted: dict[str, str] = {}   # weakness -> its fact as asserted: remedy firings echo it verbatim
        head = f'{{"sid":"{_SID}","g":{gen}'
        # this loop runs about a hundred times per assessment: what it uses is looked up once
        rules, on_fire, weakness_tails = part.rules, self.on_fire, self._weakness_tails
        found, weaknesses = out.remedies, out.weaknesses
        assert_fact, complete = dre.assert_fact, dre.complete_and_start_action
        mark = f'"g": {gen},'   # how the engine echoes this evaluation's facts (json.dumps of the payload)
        message = None
        state = 0
        try:
            code, state = dre.assert_facts(h, payload)
            _check(code, "assert the assessment's facts")
            result = dre.start_action_for_state(h, state)
            message = result[1] if result else None
            while message:
                # The fired rule's name, checked to have matched only facts of this evaluation, read without
                # parsing the JSON in the usual shapes: a remedy rule echoes the weakness fact we asserted;
                # a clause's facts each carry this generation ("g" is only ever a key of a fact: a string
                # holding it would be escaped). Any other shape is read in full by _fired.
                end = message.find('":{', 2)
                name = message[2:end] if end > 0 and message.startswith('{"') else ""
                rule = rules.get(name)
                if rule is not None and (
                        message == f'{{"{name}":{{"w":{asserted.get(rule[2])}}}}}' if rule[0] == _REMEDY
                        else message.count('"g":') == rule[4] == message.count(mark)):
                    fired: list[_Rule] | tuple[_Rule] = (rule,)
                else:
                    fired = [rules[n] for n in self._fired(message, gen)]
                for rule in fired:
                    kind = rule[0]
                    if on_fire is not None:
                        on_fire(rule[5])
                    if kind == _REMEDY:
                        action, weakness = rule[1], rule[2]
                        if action in found:
                            found[action].add(weakness)
                        else:
                            found[action] = {weakness}
                        new = [head + rule[3]]
                    else:
                        # the values the rule saw: by construction, each alias matched this evaluation's fact
                        trace = tuple([(atom, facts[fact][key]) for atom, fact, key in rule[3]])
                        owner, branch = rule[1], rule[2]
                        new = []
                        if kind == _DIAGNOSTIC:
                            if owner in out.diagnostic:
                                out.diagnostic[owner][branch] = trace
                            else:
                                out.diagnostic[owner] = {branch: trace}
                            for w in self.then[owner]:
                                if w not in weaknesses:
                                    weaknesses.add(w)
                                    asserted[w] = fact = head + weakness_tails[w]
                                    new.append(fact)
                        elif kind == _ACHIEVED:
                            out.achieved.setdefault(owner, {})[branch] = trace
                        else:
                            out.prerequisites.setdefault(owner, set()).add(branch)
                    for fact in new:
                        code, _ = assert_fact(h, fact)
                        if code not in _OK:
                            _check(code, f"assert {fact}")
                        derived.append(fact)
                message = complete(h, state)
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"durable_rules failed during evaluation: {exc!r}") from exc
        finally:
            try:
                while message:   # an evaluation that failed half-way leaves fired rules queued
                    message = dre.complete_and_start_action(h, state)
                for batch in (payload, "[" + ",".join(derived) + "]") if derived else (payload,):
                    code, _ = dre.retract_facts(h, batch)
                    _check(code, "retract the evaluation's facts")
            except Exception as exc:
                raise EngineError(f"durable_rules could not clear the session: {exc!r}") from exc

    @staticmethod
    def _fired(message: str, gen: int) -> list[str]:
        """The rules a message of any shape reports as fired, each checked to have matched only facts of
        this evaluation."""
        names = []
        for name, matched in json.loads(message).items():
            if any(f.get("g") != gen for f in matched.values()):
                raise EngineError(f"rule {name} matched a fact of another evaluation: {matched}")
            names.append(name)
        return names

    def close(self) -> None:
        """Free the compiled rulesets: durable_rules never frees them by itself."""
        with _LOCK:
            for part in self._parts:
                dre.delete_ruleset(part.handle)
            self._parts = []

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fact(kind: str, key: str, values: dict[str, Any], gen: int) -> dict[str, Any]:
    fact = {"sid": _SID, "g": gen, "t": kind, **values}
    if key:
        fact["id"] = key
    return fact


def _check(code: int, what: str) -> None:
    if code not in _OK:
        raise EngineError(f"durable_rules returned code {code} when trying to {what}")


def _chunks(program: Program, then: dict[str, list[str]]) -> list[tuple[list[Clause], list[tuple[str, str]]]]:
    """Split the program into rulesets under the engine's limits; each diagnostic chunk carries the
    remedy rules of the weaknesses it asserts, so chaining stays inside one ruleset. A chunk also
    tests at most WEAKNESSES_PER_RULESET distinct weakness ids (durable_rules hangs past 512 per node)."""
    by_weakness: dict[str, list[tuple[str, str]]] = {}
    for action, weakness in program.remedies:
        by_weakness.setdefault(weakness, []).append((action, weakness))
    chunks: list[tuple[list[Clause], list[tuple[str, str]]]] = []
    clauses: list[Clause] = []
    remedies: dict[tuple[str, str], None] = {}

    def needed(clause: Clause) -> list[tuple[str, str]]:
        if clause.kind != "diagnostic":
            return []
        return [r for w in then[clause.owner] for r in by_weakness.get(w, []) if r not in remedies]

    for clause in program.clauses:
        extra = needed(clause)
        tested = {w for _, w in remedies} | {w for _, w in extra}
        if clauses and (len(clauses) + len(remedies) + 1 + len(extra) > RULES_PER_RULESET
                        or len(tested) > WEAKNESSES_PER_RULESET):
            chunks.append((clauses, list(remedies)))
            clauses, remedies = [], {}
            extra = needed(clause)
        clauses.append(clause)
        remedies.update(dict.fromkeys(extra))
    if clauses or not chunks:
        chunks.append((clauses, list(remedies)))
    return chunks
