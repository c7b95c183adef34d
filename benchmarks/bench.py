"""Speed and memory figures of advisor, printed side by side in one run.

    python benchmarks/bench.py            # full run (about 10-15 minutes on 2 cores)
    python benchmarks/bench.py --quick    # smaller counts, for a smoke test
    python benchmarks/bench.py --quick --root OTHER_CHECKOUT   # the same figures of another checkout
    python benchmarks/bench.py --only engine   # the adapter against durable_rules' own API and the minimal C loop
    python benchmarks/bench.py --only floor    # a cold command against the interpreter and its components

``--root`` measures the code and knowledge base of another checkout (e.g. ``git archive main | tar -x -C
/tmp/old``) with this script, so old and new figures come from one script on one machine.

Figures are measured, never asserted: see benchmarks/README.md for what was measured and how.
"""

from __future__ import annotations

import argparse
import atexit
import dataclasses
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if "--root" in sys.argv:
    ROOT = Path(sys.argv[sys.argv.index("--root") + 1]).resolve()
sys.path.insert(0, str(ROOT))

import ownapi  # noqa: E402  (benchmarks/, beside this script)

from advisor import api  # noqa: E402
from advisor.diagnosis.pipeline import compiled  # noqa: E402
from advisor.diagnosis.scoring import score  # noqa: E402
from advisor.engine import adapter as engine_mod  # noqa: E402
from advisor.engine.program import Program, facts_of  # noqa: E402
from advisor.models.assessment import Assessment  # noqa: E402
from advisor.models.kb import Rule, Weakness  # noqa: E402
from advisor.models.knowledge import KnowledgeBase  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def generate(kb: KnowledgeBase, n: int, seed: int = 1) -> list[Assessment]:
    rng = random.Random(seed)
    sectors = [s for s in ("default", "health", "economy", "social_protection", "other") if s in kb.profiles.sector]
    out = []
    for i in range(n):
        scores: dict[str, Any] = {}
        base = rng.uniform(1, 5)
        for cid in kb.criteria:
            r = rng.random()
            if r < 0.03:
                scores[cid] = "n/a"
            else:
                scores[cid] = round(min(5, max(1, rng.gauss(base, 1))), rng.choice([0, 0, 1, 2]))
        for dim in kb.dimensions:   # keep every dimension scorable
            first = kb.criteria_of(dim)[0].id
            if scores[first] == "n/a":
                scores[first] = 3
        out.append(Assessment.model_validate({
            "organisation": {"name": f"Орган {i}", "id": f"o{i}", "government_level": rng.choice(["republican", "local"]),
                             "sector": rng.choice(sectors), "office_type": rng.choice(["centralised", "decentralised"])},
            "date": "2026-03-01", "assessor": "bench", "scores": scores}))
    return out


def per_second(func: Any, items: list[Any]) -> float:
    start = time.perf_counter()
    for x in items:
        func(x)
    return len(items) / (time.perf_counter() - start)


def paired(f: Any, xs: list[Any], g: Any, ys: list[Any], check: Any = None) -> tuple[float, float]:
    """Rates of ``f`` over ``xs`` and ``g`` over ``ys`` in CPU time, timed in turn item by item, so that a busy
    machine slows both alike and their ratio holds. ``check(i, f's result, g's result)``, if given, runs
    after each pair, untimed, and keeps nothing (results held would make the collector's work grow)."""
    tf = tg = 0.0
    clock = time.process_time
    for i, (x, y) in enumerate(zip(xs, ys)):
        t0 = clock()
        rf = f(x)
        t1 = clock()
        rg = g(y)
        tg += clock() - t1
        tf += t1 - t0
        if check is not None:
            check(i, rf, rg)
    return len(xs) / tf, len(ys) / tg


def pipeline(kb: KnowledgeBase, use_reference: bool = False) -> Any:
    def run(a: Assessment) -> None:
        ev = api.evaluate(a, kb, use_reference=use_reference)
        api.roadmap(ev, kb)
    return run


def direct_driver(eng: engine_mod.Engine) -> Any:
    """durable_rules driven with no adapter around it: the same rulesets, facts and engine work (assert the
    facts, drain the fired rules, assert the derived weakness and action facts, retract), none of the
    bookkeeping (no traces, no checks, no results; the fired rule's name cut out of the message, not parsed)."""
    import durable_rules_engine as dre
    then = eng.then
    parts = eng._parts

    def run(payload: str) -> None:
        for part in parts:
            h = part.handle
            derived = []
            _, state = dre.assert_facts(h, payload)
            result = dre.start_action_for_state(h, state)
            message = result[1] if result else None
            while message:
                for name in (message[2:message.index('":{', 2)],):   # the fired rule's name, the least reading there is
                    kind, owner, other = name.split("|", 2)
                    if kind == "d":
                        facts = [f'{{"sid":"advisor","g":0,"t":"weakness","id":"{w}"}}' for w in then[owner]]
                    elif kind == "r":
                        facts = [f'{{"sid":"advisor","g":0,"t":"action","id":"{owner}","weakness":"{other}"}}']
                    else:
                        facts = []
                    for fact in facts:
                        dre.assert_fact(h, fact)
                        derived.append(fact)
                message = dre.complete_and_start_action(h, state)
            dre.retract_facts(h, payload)
            if derived:
                dre.retract_facts(h, "[" + ",".join(derived) + "]")
    return run


def synthetic_kb(kb: KnowledgeBase, n_rules: int, seed: int = 7) -> KnowledgeBase:
    """The shipped model with ``n_rules`` generated rules (criterion bands, dimension levels, cross pairs)."""
    rng = random.Random(seed)
    crit = list(kb.criteria)
    dims = list(kb.dimensions)
    proto_w = next(iter(kb.weaknesses.values()))
    proto_r = next(iter(kb.rules.values()))
    weaknesses = {}
    rules = {}
    for i in range(n_rules):
        wid = f"W-G-{i:05d}"
        weaknesses[wid] = Weakness(**{**proto_w.model_dump(), "id": wid, "dimension": "cross", "level": None,
                                      "criterion": None})
        kind = rng.random()
        t = rng.choice([1.5, 2, 2.5, 3, 3.5, 4])
        if kind < 0.6:
            when: dict[str, Any] = {"criterion": rng.choice(crit), "score": {"at_most": t}}
        elif kind < 0.8:
            when = {"all": [{"criterion": rng.choice(crit), "score": {"at_most": t}},
                            {"dimension": rng.choice(dims), "level": {"at_least": rng.randint(1, 4)}}]}
        else:
            when = {"all": [{"criterion": rng.choice(crit), "score": {"below": t}},
                            {"context": {"sector": rng.choice(kb.sectors())}}]}
        rid = f"R-G-{i:05d}"
        rules[rid] = Rule(**{**proto_r.model_dump(by_alias=True), "id": rid, "when": when, "then": [wid]})
    actions = {}
    ids = list(kb.actions)
    for k, a in enumerate(kb.actions.values()):
        # spread the generated weaknesses over the shipped actions
        remedies = [w for j, w in enumerate(weaknesses) if j % len(ids) == k]
        actions[a.id] = a.model_copy(update={"remedies": remedies})
    return dataclasses.replace(kb, rules=rules, weaknesses=weaknesses, actions=actions,
                               content_hash=f"synthetic{n_rules}", root=kb.root / f"synthetic{n_rules}")


def engine_rates(kb: KnowledgeBase, assessments: list[Assessment]) -> tuple[float, float, float, int, float]:
    program = Program.of(kb)
    then = {r.id: list(r.then) for r in kb.rules.values()}
    t0 = time.perf_counter()
    eng = engine_mod.Engine(program, then)
    compile_s = time.perf_counter() - t0
    facts = [facts_of(score(a, kb), api.context_of(a)) for a in assessments]
    from advisor.engine import reference
    eng_rate = per_second(eng.evaluate, facts)
    ref_rate = per_second(lambda f: reference.evaluate(program, f, then), facts)
    sets = len(eng._parts)
    eng.close()
    per = 0
    for f in facts:
        x = reference.evaluate(program, f, then)
        per += sum(len(b) for b in x.diagnostic.values()) + sum(len(w) for w in x.remedies.values())
    return eng_rate, ref_rate, compile_s, sets, per / len(facts)


_RUN: list[Any] = []


def _load(root: str) -> None:
    kb = api.load_kb(root)
    _RUN.append(pipeline(kb))


def _chunk(items: list[dict[str, Any]]) -> int:
    for data in items:
        _RUN[0](Assessment.model_validate(data))
    return len(items)


def jobs_rate(kb: KnowledgeBase, assessments: list[Assessment], jobs: int) -> float:
    """Throughput with ``jobs`` worker processes, each loading the knowledge base once (as `advisor batch`)."""
    data = [a.model_dump(mode="json") for a in assessments]
    chunks = [data[i::jobs * 4] for i in range(jobs * 4)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_load, initargs=(str(kb.root),)) as pool:
        list(pool.map(_chunk, [[]] * jobs))      # start the workers and load the knowledge base first
        start = time.perf_counter()
        done = sum(pool.map(_chunk, chunks))
        return done / (time.perf_counter() - start)


#: the new processes keep their bytecode here, as an installed package has it (PYTHONDONTWRITEBYTECODE, set on
#: some machines, would otherwise make every cold command compile advisor's modules again)
_PYCACHE = tempfile.mkdtemp(prefix="advisor-bench-pyc-")
#: and their own cache folder: another program's knowledge bases (a test run) cannot push ours out of it
_CACHE = tempfile.mkdtemp(prefix="advisor-bench-cache-")
atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in (_PYCACHE, _CACHE)])


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": _PYCACHE, "XDG_CACHE_HOME": _CACHE, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cold(cmd: list[str], runs: int = 5, **env: str) -> float:
    return cold_times(cmd, runs, **env)[0]


def cold_times(cmd: list[str], runs: int = 5, **env: str) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``cmd`` in a new process."""
    times = [child(cmd, **env)[:2] for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def child(cmd: list[str], **env: str) -> tuple[float, float, bytes]:
    """Wall time, CPU time (user + system, as the OS counts it: the exit included) and output of ``cmd`` run
    once in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=_env(**env)).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, out


def write_kb(kb: KnowledgeBase, folder: Path) -> Path:
    """``kb`` as YAML files: the shipped model, profiles and criteria, and its own weaknesses, rules and actions."""
    import yaml
    shutil.copytree(ROOT / "knowledge_base", folder / "knowledge_base")
    (folder / "rules").mkdir()
    for sub in ("weaknesses", "actions"):
        shutil.rmtree(folder / "knowledge_base" / sub)
        (folder / "knowledge_base" / sub).mkdir()

    def dump(folder: Path, key: str, items: Any) -> None:
        # files of 25 items: each stays under the limits of one knowledge-base file (2 MB, 10,000 values: docs/limits.md)
        items = list(items)
        for n in range(0, len(items), 25):
            data = {key: [x.model_dump(mode="json", by_alias=True, exclude_none=True) for x in items[n:n + 25]]}
            (folder / f"{key}-{n // 25:03d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                             encoding="utf-8")
    dump(folder / "knowledge_base" / "weaknesses", "weaknesses", kb.weaknesses.values())
    dump(folder / "knowledge_base" / "actions", "actions", kb.actions.values())
    dump(folder / "rules", "rules", kb.rules.values())
    return folder


def load_seconds(folder: Path, runs: int = 3, **env: str) -> float:
    """Median CPU time of loading a knowledge base in a new process (interpreter and imports excluded)."""
    code = ("import time, sys; from advisor import api; t = time.process_time(); api.load_kb(sys.argv[1]); "
            "print(time.process_time() - t)")
    return statistics.median(float(child([sys.executable, "-c", code, str(folder)], **env)[2]) for _ in range(runs))


def edited_seconds(folder: Path, runs: int = 3) -> float:
    """Median CPU time of loading a knowledge base in a new process just after one of its rule files was saved
    again with a change (a comment line added: its bytes differ, so it is parsed and everything validated and
    cross-checked again), as a policy team's next command after an edit."""
    rules = sorted((folder / "rules").glob("*.yaml"))[0]
    times = []
    for i in range(runs):
        rules.write_text(rules.read_text(encoding="utf-8") + f"# edit {i}\n", encoding="utf-8")
        times.append(load_seconds(folder, runs=1))
    return statistics.median(times)


def batch_seconds(folder: Path, out: Path, jobs: int | None) -> tuple[float, float]:
    """Wall time and CPU time (all processes of the run) of one `advisor batch`."""
    cmd = [sys.executable, "-m", "advisor", "batch", str(folder), "-o", str(out)] + ([] if jobs is None else ["--jobs", str(jobs)])
    wall, cpu, _ = child(cmd)
    return wall, cpu


def _timed_scheduler() -> list[float]:
    """Wrap the scheduler so every roadmap built records how long its scheduling took."""
    from advisor.planning import schedule as sched
    times: list[float] = []
    inner = sched.schedule

    def timed(*a: Any, **k: Any) -> Any:
        start = time.process_time()
        out = inner(*a, **k)
        times.append(time.process_time() - start)
        return out

    sched.schedule = timed  # type: ignore[assignment]
    return times


def generated_tasks(kb: KnowledgeBase, n: int, seed: int = 3) -> list[Any]:
    """A 200-action catalogue's worth of scheduler tasks: a random DAG (up to 3 prerequisites among the
    previous 30), durations 1-12, effort classes and owner roles drawn from the shipped knowledge base."""
    from advisor.planning.schedule import Task
    rng = random.Random(seed)
    roles = sorted(kb.roles)
    tasks = []
    for j in range(n):
        reqs = sorted({f"GEN-{rng.randrange(max(0, j - 30), j):03d}" for _ in range(rng.randint(0, 3))}) if j else []
        effort = rng.choice("SML")
        cost = kb.planning.cost.classes[kb.planning.cost.by_effort[effort]].units if kb.planning.cost else 0.0
        tasks.append(Task(id=f"GEN-{j:03d}", duration=rng.randint(1, 12), role=rng.choice(roles),
                          demand=kb.planning.effort[effort].fte, requires=tuple(reqs),
                          severity=round(rng.uniform(0, 3), 3), quick_win=effort == "S" and rng.random() < 0.3,
                          cost=cost))
    return tasks


def planning_section(kb: KnowledgeBase, assessments: list[Assessment]) -> None:
    from advisor.planning.schedule import schedule
    # CPU time of this process, not wall time: on a shared machine wall time mostly measures the neighbours
    print(f"\nplanning ({len(assessments)} generated assessments; CPU time per roadmap, median and 95th percentile)")
    evs = [api.evaluate(a, kb) for a in assessments]
    times = _timed_scheduler()
    whole = []
    sizes = []
    for ev in evs:
        start = time.process_time()
        rm = api.roadmap(ev, kb)
        whole.append(time.process_time() - start)
        sizes.append(len(rm.items))

    def ms(values: list[float]) -> str:
        q = statistics.quantiles(values, n=20)
        return f"{statistics.median(values) * 1000:6.2f} ms median, {q[18] * 1000:6.2f} ms p95"

    print(f"  scheduler, shipped knowledge base ({statistics.median(sizes):.0f} actions median, "
          f"{max(sizes)} max):   {ms(times)}")
    print(f"  whole plan (scope, gap to target, schedule), shipped:      {ms(whole)}")
    capacity = {r: kb.planning.capacity.default_fte for r in kb.roles}
    tasks = generated_tasks(kb, 200)
    runs = []
    for _ in range(50):
        start = time.process_time()
        schedule(tasks, capacity, lambda m: m // 3 + 1)
        runs.append(time.process_time() - start)
    print(f"  scheduler, generated 200-action catalogue (all planned):    {ms(runs)}")
    runs = []
    for _ in range(50):
        start = time.process_time()
        # 10 relative units a year: unchecked, this catalogue spends up to 38 in a year (10 on average)
        schedule(tasks, capacity, lambda m: m // 3 + 1, budget=10.0, year=lambda m: m // 12)
        runs.append(time.process_time() - start)
    print(f"  the same with a budget ceiling per year:                    {ms(runs)}")


def pipeline_section(kb: KnowledgeBase, assessments: list[Assessment]) -> None:
    """CPU time of each stage of the whole pipeline per assessment, each stage's function timed by wrapping it
    (CPU time, because wall time on a shared machine mostly measures the other processes)."""
    from advisor.diagnosis import pipeline as pipe
    from advisor.planning import roadmap as rm_mod
    stages = [("scoring", pipe.scoring, "score"), ("engine (durable_rules through the adapter)", engine_mod.Engine, "evaluate"),
              ("findings", pipe.findings, "build"), ("roadmap, all of it", rm_mod, "build"),
              ("  of which gap to target", rm_mod.gap, "gap"), ("  of which scheduler", rm_mod.schedule, "schedule")]
    spent = {name: 0.0 for name, _, _ in stages}
    originals = [(owner, attr, getattr(owner, attr)) for _, owner, attr in stages]

    def timed(name: str, func: Any) -> Any:
        def run(*a: Any, **k: Any) -> Any:
            t = time.process_time()
            try:
                return func(*a, **k)
            finally:
                spent[name] += time.process_time() - t
        return run

    run = pipeline(kb)
    for a in assessments[:50]:
        run(a)          # warm the caches (compiled engine, action graphs)
    for (name, owner, attr), (_, _, func) in zip(stages, originals):
        setattr(owner, attr, timed(name, func))
    try:
        start = time.process_time()
        for a in assessments:
            run(a)
        total = time.process_time() - start
    finally:
        for owner, attr, func in originals:
            setattr(owner, attr, func)
    n = len(assessments)
    print(f"\nwhole pipeline, CPU time per assessment ({n} generated assessments, shipped knowledge base)")
    for name, _, _ in stages:
        print(f"  {name:44s} {spent[name] * 1000 / n:7.2f} ms  {spent[name] / total:5.0%}")
    print(f"  {'total':44s} {total * 1000 / n:7.2f} ms  = {n / total:.0f} assessments/s of CPU;"
          f" outside the engine: {1 - spent[stages[1][0]] / total:.0%}")
    # the engine's own floor on the same assessments: durable_rules driven directly, paired with the adapter
    eng, _ = compiled(kb)
    facts = [facts_of(score(a, kb), api.context_of(a)) for a in assessments]
    payloads = [json.dumps([engine_mod._fact(k, key, v, 0) for (k, key), v in f.items()], ensure_ascii=False)
                for f in facts]
    adapter, direct = paired(eng.evaluate, facts, direct_driver(eng), payloads)
    print(f"  {'engine step alone, through the adapter':44s} {1000 / adapter:7.2f} ms  = {adapter:.0f} /s")
    print(f"  {'durable_rules driven directly (paired)':44s} {1000 / direct:7.2f} ms  = {direct:.0f} /s: the pipeline's"
          f" ceiling with nothing outside the engine")


def batch_section(kb: KnowledgeBase, sizes: tuple[int, ...]) -> None:
    import yaml
    print("\nadvisor batch in a new process, html reports (one run each; wall time, then the CPU time of all its processes:"
          "\n  on a busy machine the wall-time speed-up is bounded by the cores left free, the CPU time shows the work added)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / f"in{size}"
            folder.mkdir()
            for i, a in enumerate(generate(kb, size, seed=size)):
                (folder / f"{i:05d}.yaml").write_text(yaml.safe_dump(a.model_dump(mode="json", exclude_none=True),
                                                                     allow_unicode=True), encoding="utf-8")
            # a first command in a new bytecode and cache folder compiles advisor's modules and its dependencies,
            # parses the knowledge base and compiles the template (about 4 CPU seconds): not part of any run below
            warm = Path(tmp) / f"warm{size}"
            warm.mkdir()
            for p in sorted(folder.iterdir())[:2]:
                shutil.copy(p, warm / p.name)
            batch_seconds(warm, Path(tmp) / f"out-warm{size}", 1)
            runs = {jobs: batch_seconds(folder, Path(tmp) / f"out{size}-{jobs}", jobs) for jobs in (1, 2, None)}
            (w1, c1), (w2, c2), (wd, cd) = runs[1], runs[2], runs[None]
            print(f"  {size:5d} bodies: --jobs 1 {w1:6.2f} s   --jobs 2 {w2:6.2f} s (x{w1 / w2:.2f})"
                  f"   default {wd:6.2f} s (x{w1 / wd:.2f})")
            print(f"         CPU seconds: --jobs 1 {c1:6.2f}     --jobs 2 {c2:6.2f} (x{c2 / c1:.2f} the work)"
                  f"   default {cd:6.2f}")


def cold_section() -> None:
    exe = [sys.executable, "-m", "advisor"]
    example = str(ROOT / "examples" / "republican-ministry.yaml")
    print("\ncold commands (median of 5: wall time, CPU time)")
    cold(exe + ["roadmap", example], runs=1)      # bytecode written; the knowledge base unchanged since the last run

    base: list[float] = []   # the interpreter's own start (wall, CPU), which no change of ours can lower

    def show(label: str, cmd: list[str], **env: str) -> None:
        wall, cpu = cold_times(cmd, **env)
        above = f"   {wall - base[0]:+6.3f} s  {cpu - base[1]:+6.3f} s CPU above the interpreter" if base else ""
        print(f"  {label:56s} {wall:6.3f} s  {cpu:6.3f} s CPU{above}")
        base[:] = base or [wall, cpu]
    show("python -c pass (the interpreter alone)", [sys.executable, "-c", "pass"])
    show("advisor --help", exe + ["--help"])
    show(f"advisor roadmap {Path(example).name}", exe + ["roadmap", example])
    show("the same, --lang ru (the catalogue of messages too)", exe + ["roadmap", example, "--lang", "ru"])
    show("the same, --format json (nothing rendered)", exe + ["roadmap", example, "--format", "json"])
    show("the same, no cache (as the first run after a change)", exe + ["roadmap", example], ADVISOR_NO_CACHE="1")


#: the components a cold `advisor roadmap` imports besides the standard library (python -X importtime -m advisor
#: roadmap examples/republican-ministry.yaml: pydantic with pydantic_core, annotated_types, typing_inspection and
#: typing_extensions; jinja2 with markupsafe; babel; PyYAML; click; durable_rules' C module)
COMPONENTS = "pydantic, yaml, jinja2, babel, click, durable_rules_engine"
#: what pydantic imports and builds on its first model (its schema generator, the core validator)
FIRST_MODEL = ("class M(pydantic.BaseModel):\n    model_config = pydantic.ConfigDict(extra='forbid')\n"
               "    name: str\n    score: float | None = None\n    tags: list[str] = []\n"
               "M.model_validate({'name': 'x', 'score': 2.5, 'tags': ['a']})\n")
#: and the first use of each of the others, as the command uses them: a YAML document parsed with the C loader,
#: a template compiled and rendered with autoescape, a number written in Russian
FIRST_USE = ("yaml.load('a: [1, 2]', Loader=yaml.CSafeLoader)\n"
             "jinja2.Environment(autoescape=True).from_string('{% for x in xs %}{{ x }}{% endfor %}').render(xs=[1])\n"
             "import babel.numbers; babel.numbers.format_decimal(2.5, locale='ru')\n")


def floor_section(runs: int = 15) -> None:
    """What a cold command costs on this machine before advisor does anything (the interpreter, the named
    components imported and first used), beside the commands themselves and one cold roadmap in phases."""
    exe = [sys.executable, "-m", "advisor"]
    example = str(ROOT / "examples" / "republican-ministry.yaml")
    cold(exe + ["roadmap", example], runs=1)      # bytecode written; the knowledge base unchanged since the last run
    py = [sys.executable]
    print(f"\nfloors of a cold command: CPU time of a new process (user + system, exit included), median and min of "
          f"{runs} rounds; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    interpreter, click, floor = ("python -c pass (the interpreter as every command starts it)",
                                 "+ import click (all that --help needs of them)", "+ first use of yaml, jinja2 and babel")
    help_, roadmap = "advisor --help", f"advisor roadmap {Path(example).name}"
    rows = {"python -S -c pass (no site module, no .pth files)": py + ["-S", "-c", "pass"],
            interpreter: py + ["-c", "pass"],
            click: py + ["-c", "import click"],
            "+ import the named components": py + ["-c", f"import {COMPONENTS}"],
            "+ pydantic's first model (defined, validated once)": py + ["-c", f"import {COMPONENTS}\n{FIRST_MODEL}"],
            floor: py + ["-c", f"import {COMPONENTS}\n{FIRST_MODEL}{FIRST_USE}"],
            help_: exe + ["--help"],
            roadmap: exe + ["roadmap", example]}
    cpu: dict[str, list[float]] = {label: [] for label in rows}
    for _ in range(runs):       # round by round, so that a change of load on the machine hits every row alike
        for label, cmd in rows.items():
            cpu[label].append(child(cmd)[1])
    median = {label: statistics.median(times) for label, times in cpu.items()}
    for label, times in cpu.items():
        print(f"  {label:60s} {median[label]:6.3f} s  min {min(times):6.3f} s")
    for label, below, what in ((help_, click, "import click"), (roadmap, floor, "the components imported and first used")):
        print(f"  {label:60s} {median[label] - median[interpreter]:+6.3f} s above the interpreter, "
              f"{median[label] - median[below]:+6.3f} s above {what}")

    # one cold roadmap in phases: the same calls as the command, in a new process each run
    script = [sys.executable, str(Path(__file__).resolve().parent / "cold_phases.py"), example]
    printed = child(exe + ["roadmap", example])[2]
    phases: list[list[tuple[str, float, int]]] = []
    whole: list[float] = []     # the same processes as the OS counts them: their exit included
    for _ in range(runs):
        _, cpu_s, stdout = child(script)
        whole.append(cpu_s * 1000)
        out = json.loads(stdout)
        if out["sha256"] != hashlib.sha256(printed.rstrip(b"\n")).hexdigest():
            raise AssertionError("the phases script did not produce the text `advisor roadmap` prints")
        phases.append([tuple(m) for m in out["marks"]])
    print(f"one cold `advisor roadmap {Path(example).name}` in phases (benchmarks/cold_phases.py: the command's calls, "
          f"one at a time; CPU ms, median of {runs} new processes; modules loaded in the phase)")
    for i, (label, _, _) in enumerate(phases[0]):
        spent = [(run[i][1] - (run[i - 1][1] if i else 0.0)) * 1000 for run in phases]
        loaded = phases[0][i][2] - (phases[0][i - 1][2] if i else 0)
        print(f"  {label:56s} {statistics.median(spent):7.1f} ms  min {min(spent):7.1f}  {loaded:4d} modules")
    total = [run[-1][1] * 1000 for run in phases]
    exits = [w - t for w, t in zip(whole, total)]
    print(f"  {'the process exit (the OS count less the last line)':56s} {statistics.median(exits):7.1f} ms"
          f"  min {min(exits):7.1f}")
    print(f"  {'total, as the OS counts it':56s} {statistics.median(whole):7.1f} ms  min {min(whole):7.1f}")


def kb_load_section(kb: KnowledgeBase) -> None:
    print("\ncold load of a knowledge base in a new process (CPU time, imports excluded; median of 3, parsing "
          "a generated one: one run)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (0, 2000, 4000):
            folder = Path(tmp) / f"kb{size}"
            if size == 0:   # a copy: the edits below must not touch the checkout
                for part in ("knowledge_base", "rules"):
                    shutil.copytree(ROOT / part, folder / part)
            else:
                write_kb(synthetic_kb(kb, size), folder)
            mb = sum(p.stat().st_size for p in [*(folder / "knowledge_base").rglob("*.yaml"),
                                                *(folder / "rules").glob("*.yaml")]) / 2**20
            fresh = load_seconds(folder, runs=3 if size == 0 else 1, ADVISOR_NO_CACHE="1")   # a minute each
            load_seconds(folder, runs=1)
            cached = load_seconds(folder)
            edited = edited_seconds(folder)
            print(f"  {'shipped' if size == 0 else f'{size} rules':>10} ({mb:4.1f} MB of YAML): {fresh:6.3f} s parsed, "
                  f"{cached:6.3f} s unchanged since the last run, {edited:6.3f} s after one rules file was edited")


def engine_section(kb: KnowledgeBase, assessments: list[Assessment]) -> None:
    """The adapter against three ways of driving durable_rules on the same rulesets and facts, paired, in
    both orders: its own Python API with a Host (one fact at a time), its Ruleset objects' own action
    dispatch after one batch assert (both computing the adapter's whole result, checked on every
    assessment: benchmarks/ownapi.py), and the minimal C-layer loop (``direct_driver``: no results, a
    lower bound); then the RSS of the engine step over 20,000 assessments."""
    then = {r.id: list(r.then) for r in kb.rules.values()}
    eng, definitions = ownapi.captured_definitions(lambda: engine_mod.Engine(Program.of(kb), then))
    facts = [facts_of(score(a, kb), api.context_of(a)) for a in assessments]
    payloads = [json.dumps([engine_mod._fact(k, key, v, 0) for (k, key), v in f.items()], ensure_ascii=False)
                for f in facts]
    own = {mode: ownapi.OwnApiDriver(eng, definitions, mode) for mode in ownapi.MODES}
    label = {"adapter": "the adapter", "host": "own API, Host", "ruleset": "own API, Ruleset", "minimal": "minimal C loop"}
    step: dict[str, tuple[Any, list[Any]]] = {
        "adapter": (eng.evaluate, facts), "host": (own["host"].evaluate, facts),
        "ruleset": (own["ruleset"].evaluate, facts), "minimal": (direct_driver(eng), payloads)}
    checked = {"host": 0, "ruleset": 0}

    def check(names: tuple[str, str]) -> Any:
        """Every assessment of every pass: an own-API driver fired what the adapter fires, with the same values,
        and derived the same weakness and action facts (else the figures compare unlike work)."""
        def run(i: int, *results: Any) -> None:
            got = dict(zip(names, results))
            for name in checked.keys() & got.keys():
                expected = got["adapter"] if "adapter" in got else eng.evaluate(facts[i])
                checked[name] += ownapi.check_same([expected], [got[name]], label[name])
        return run

    print(f"\nengine step, {len(facts)} assessments, paired item by item (CPU time); load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("  own API, Host:    durable.engine.Host (timer threads off), one Host.assert_fact per fact, Python actions"
          "\n                    asserting the derived facts with c.assert_fact, Host.retract_facts afterwards"
          "\n  own API, Ruleset: one batch assert at the C layer, then durable's Ruleset.do_actions runs the same actions"
          "\n  minimal C loop:   the adapter's own C-layer loop stripped of its bookkeeping (no result: a lower bound)")
    print(f"  {'A vs B':36s} {'A first: A /s':>14s} {'B /s':>6s} {'A÷B time':>9s}   {'B first: A /s':>14s} {'B /s':>6s}"
          f" {'A÷B time':>9s}")
    for a, b in (("adapter", "host"), ("adapter", "ruleset"), ("adapter", "minimal"), ("host", "minimal"),
                 ("ruleset", "minimal")):
        a1, b1 = paired(*step[a], *step[b], check=check((a, b)))
        b2, a2 = paired(*step[b], *step[a], check=check((b, a)))
        print(f"  {label[a] + ' vs ' + label[b]:36s} {a1:14.0f} {b1:6.0f} {b1 / a1:9.2f}   {a2:14.0f} {b2:6.0f}"
              f" {b2 / a2:9.2f}")
    for driver in own.values():
        driver.close()
    if set(checked.values()) != {4 * len(facts)}:
        raise AssertionError(f"not every own-API evaluation was checked: {checked}")
    print(f"  checked, untimed: the own-API drivers computed the adapter's result (the rules fired, the values they saw,"
          f"\n  the weaknesses, the actions) on every assessment of every pass: {checked['host']} and"
          f" {checked['ruleset']} evaluations")
    # the engine step alone (the whole pipeline's memory over 20,000 is in the full run: an hour on a busy machine)
    cycled = (facts * -(-10_000 // len(facts)))[:10_000]
    rss0 = rss_mb()
    per_second(eng.evaluate, cycled)
    rss_first = rss_mb()
    per_second(eng.evaluate, cycled)
    rss_end = rss_mb()
    eng.close()
    print(f"  memory (RSS) of the engine step: {rss0:.1f} MB, {rss_first:.1f} MB after 10000 assessments, {rss_end:.1f} MB "
          f"after 10000 more ({(rss_end - rss_first) * 1024 / 10_000:.2f} KB per assessment in the second pass)")


def generated_section(kb: KnowledgeBase, n_synth: int) -> None:
    print(f"\ngenerated knowledge bases ({n_synth} assessments each)")
    print("  rules | rulesets | compile s | firings per assessment | engine /s | reference /s | ratio")
    for size in (500, 2000, 4000):
        skb = synthetic_kb(kb, size)
        sa = generate(skb, n_synth, seed=size)
        e_rate, r_rate, compile_s, sets, per = engine_rates(skb, sa)
        print(f"  {size:5d} | {sets:8d} | {compile_s:9.2f} | {per:22.0f} | {e_rate:9.0f} | {r_rate:12.0f} | 1/{r_rate / e_rate:.0f}")


def memory_section(kb: KnowledgeBase, assessments: list[Assessment], passes: int = 10_000) -> None:
    """RSS of the whole pipeline (scoring, engine, findings, roadmap: api.evaluate then api.roadmap) in one
    process: a first pass fills every bounded cache, so growth over a second pass of as many would be a leak."""
    run = pipeline(kb)
    cycled = (assessments * -(-passes // len(assessments)))[:passes]
    rss0 = rss_mb()
    for a in cycled:
        run(a)
    rss_first = rss_mb()
    for a in cycled:
        run(a)
    rss_end = rss_mb()
    print(f"\nmemory (RSS) of the whole pipeline, {2 * passes} assessments in one process ({len(assessments)} distinct):"
          f"\n  {rss0:.1f} MB before, {rss_first:.1f} MB after {passes}, {rss_end:.1f} MB after {passes} more"
          f" ({(rss_end - rss_first) * 1024 / passes:.2f} KB per assessment in the second pass)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--root", help="measure this checkout instead (its code and knowledge base)")
    parser.add_argument("--only", choices=["planning", "pipeline", "cold", "floor", "batch", "engine", "kbload",
                                           "memory", "generated"],
                        help="run one section only")
    args = parser.parse_args()
    n = 1000 if args.quick else 10_000
    n_synth = 300 if args.quick else 2000

    kb = api.load_kb(ROOT)
    print(f"code and knowledge base: {ROOT}")
    if args.only == "planning":
        planning_section(kb, generate(kb, 500))
        return
    if args.only == "pipeline":
        pipeline_section(kb, generate(kb, 500))
        return
    if args.only == "cold":
        cold_section()
        return
    if args.only == "floor":
        floor_section(7 if args.quick else 15)
        return
    if args.only == "batch":
        batch_section(kb, (200,) if args.quick else (200, 2000))
        return
    if args.only == "engine":
        engine_section(kb, generate(kb, 1000))
        return
    if args.only == "kbload":
        kb_load_section(kb)
        return
    if args.only == "generated":
        generated_section(kb, n_synth)
        return
    if args.only == "memory":
        memory_section(kb, generate(kb, 1000), 2000 if args.quick else 10_000)
        return
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"knowledge base {kb.version}: {len(kb.criteria)} criteria, {len(kb.rules)} rules, "
          f"{len(kb.weaknesses)} weaknesses, {len(kb.actions)} actions")
    program = Program.of(kb)
    print(f"compiled: {len(program.clauses)} condition clauses + {len(program.remedies)} remedy rules")
    assessments = generate(kb, n)
    print(f"\n{n} generated assessments")

    run = pipeline(kb)
    full = per_second(run, assessments)
    # memory: 10,000 evaluations fill the bounded caches, so growth over 10,000 more would be a leak
    cycled = (assessments * -(-10_000 // n))[:10_000]
    rss0 = rss_mb()
    per_second(run, cycled)
    rss_first = rss_mb()
    per_second(run, cycled)
    rss_end = rss_mb()
    ref = per_second(pipeline(kb, use_reference=True), assessments)
    print(f"  whole pipeline (scoring, engine, roadmap), durable_rules: {full:8.0f} /s")
    print(f"  whole pipeline, reference evaluator (plain Python):       {ref:8.0f} /s")

    eng, _ = compiled(kb)
    facts = [facts_of(score(a, kb), api.context_of(a)) for a in assessments]
    payloads = [json.dumps([engine_mod._fact(k, key, v, 0) for (k, key), v in f.items()], ensure_ascii=False)
                for f in facts]
    adapter, direct = paired(eng.evaluate, facts, direct_driver(eng), payloads)
    from advisor.engine import reference
    then = {r.id: list(r.then) for r in kb.rules.values()}
    ref_step = per_second(lambda f: reference.evaluate(program, f, then), facts)
    print(f"  engine step through the adapter:                          {adapter:8.0f} /s")
    print(f"  durable_rules driven directly (same rulesets and facts):  {direct:8.0f} /s"
          f"   adapter overhead x{direct / adapter:.2f} (paired: each assessment through both in turn)")
    print(f"  reference evaluator step:                                 {ref_step:8.0f} /s"
          f"   engine/reference = 1/{ref_step / adapter:.0f}")
    scoring_rate = per_second(lambda a: score(a, kb), assessments)
    print(f"  scoring alone:                                            {scoring_rate:8.0f} /s")

    sample = assessments[: max(50, n // 50)]
    evs = [api.evaluate(a, kb) for a in sample]
    rms = [api.roadmap(e, kb) for e in evs]
    for fmt in ("html", "md"):
        start = time.perf_counter()
        for e, r in zip(evs, rms):
            api.render_report(e, r, kb, "ru", fmt)
        print(f"  rendering the {fmt} report:                                {len(evs) / (time.perf_counter() - start):8.0f} /s")
    print(f"  memory (RSS): {rss0:.0f} MB with the inputs loaded, {rss_first:.0f} MB after 10000 more assessments, "
          f"{rss_end:.0f} MB after 10000 more ({(rss_end - rss_first) * 1024 / 10_000:.2f} KB per assessment in the second pass)")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory so far (this process, with the {n} inputs held): {peak:.0f} MB")

    generated_section(kb, n_synth)

    print("\nprocesses (whole pipeline)")
    one = jobs_rate(kb, assessments[: n // 2], 1)
    two = jobs_rate(kb, assessments[: n // 2], 2)
    print(f"  --jobs 1: {one:6.0f} /s   --jobs 2: {two:6.0f} /s   speed-up x{two / one:.2f}")

    batch_section(kb, (200, 2000))

    planning_section(kb, assessments[:500])

    pipeline_section(kb, assessments[:500])
    cold_section()
    floor_section()

    kb_load_section(kb)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process, generated knowledge bases included: {peak:.0f} MB")


if __name__ == "__main__":
    main()
