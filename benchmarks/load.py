"""Load test of the web application: ``advisor web serve`` (gunicorn) on PostgreSQL, on loopback only.

    python benchmarks/load.py                          # 1, 8 then 32 clients, 40 rounds of pages each, at most 120 s a phase
    python benchmarks/load.py --clients 8 --iterations 20 --seconds 60 --workers 2
    DATABASE_URL=postgres://user@127.0.0.1:5432/empty_db python benchmarks/load.py   # an existing, empty database

Without ``DATABASE_URL`` (or ``ADVISOR_DB_*``) it starts PostgreSQL 15 in a temporary folder as the
``postgres`` user (the recipe of .ci/run; needs root), migrates it and makes the demo data
(``advisor web init --demo``). Each client signs in as an office lead or member of a demo body (its own
session and CSRF token) and repeats: the body's page, the questionnaire of the body's draft round, two
autosaves of a criterion (the htmx endpoint, a new evidence text each time), the draft's results (evaluated and planned
afresh, since the answers changed), the roadmap of the body's final round and the progress page (the final
round's roadmap with the body's progress). Demo bodies with only a draft get a final round first.
Afterwards every save is checked against the database: each answered criterion's revision moved by the
number of saves made to it, its audit trail holds one evidence change per save, and the stored evidence is
the text of the save that received the highest revision.

Everything it started is stopped on the way out. Figures are printed, never asserted (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's advisor (another checkout: copy the script into it)
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
CLIENT = "this client process"
KINDS = ("login", "body", "questionnaire", "save", "draft results", "roadmap", "progress")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, with_children: bool) -> float:
    """CPU time of a process; ``with_children``: also of its live children and of those it has reaped
    (PostgreSQL's backends come and go with each request's connection; gunicorn's workers stay)."""
    def stat(p: int) -> list[str]:
        text = Path(f"/proc/{p}/stat").read_text()
        return text[text.rindex(")") + 2:].split()  # fields after the command name, from the state on

    try:
        fields = stat(pid)
    except FileNotFoundError:
        return 0.0
    total = int(fields[11]) + int(fields[12])
    if with_children:
        total += int(fields[13]) + int(fields[14])
        for child in children(pid):
            try:
                f = stat(child)
            except FileNotFoundError:
                continue
            total += int(f[11]) + int(f[12])
    return total / TICK


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def postgres() -> Iterator[tuple[str, Path]]:
    """A throwaway PostgreSQL on a free loopback port; yields its DATABASE_URL and data folder, and stops it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="advisor-load-pg-"))
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"]
    try:
        shutil.chown(folder, "postgres")
        subprocess.run([*as_postgres, str(PGBIN / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        # fsync stays on (unlike CI): a save is only counted once PostgreSQL has made it durable
        subprocess.run([*as_postgres, str(PGBIN / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"), "-w",
                        "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*as_postgres, str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "advisor"],
                       check=True)
        yield f"postgres://postgres@127.0.0.1:{port}/advisor", folder / "data"
    finally:
        if (folder / "data" / "postmaster.pid").exists():
            subprocess.run([*as_postgres, str(PGBIN / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def server(env: dict[str, str], port: int, workers: int) -> Iterator[tuple[str, int]]:
    """``advisor web serve`` (gunicorn, ``workers`` processes); yields its base URL and gunicorn's pid once it answers."""
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("advisor")), "web", "serve", "--port", str(port)],
                            env={**env, "ADVISOR_WEB_WORKERS": str(workers)}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=30).read()
                break
            except OSError:  # not listening yet, or still loading
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit("advisor web serve did not start:\n" + log.read().decode(errors="replace")) from None
                time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)  # gunicorn's master (the serve command exec'd it): stops its workers too
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: with one client only: the server's CPU seconds (workers and PostgreSQL) each request cost
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    #: (round, criterion) -> [(revision the server answered, evidence sent)]
    saves: dict[tuple[int, str], list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Target:
    username: str
    password: str
    slug: str
    draft: int
    final: int
    criteria: list[str]


class Client:
    """One user in a browser: its own cookies (session, CSRF), requests timed by kind."""

    def __init__(self, base: str, target: Target, stats: Stats, name: str, cpu: Callable[[], float] | None = None) -> None:
        self.base, self.t, self.stats, self.name, self.cpu = base, target, stats, name, cpu
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.revisions: dict[str, int] = {}

    def csrf(self) -> str:
        return next(c.value or "" for c in self.jar if c.name == "csrftoken")

    def request(self, kind: str, path: str, data: dict[str, str] | None = None, htmx: bool = False) -> str:
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf()} if htmx else {}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        cpu_start = self.cpu() if self.cpu else 0.0
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as resp:
                text = resp.read().decode()
                status = resp.status
        except urllib.error.HTTPError as err:
            text, status = err.read().decode(errors="replace"), err.code
        except (urllib.error.URLError, OSError) as err:
            text, status = str(err), 0
        elapsed = time.perf_counter() - start
        with self.stats.lock:
            self.stats.times[kind].append(elapsed)
            if self.cpu:
                self.stats.cpu[kind].append(self.cpu() - cpu_start)
            if status != 200:
                self.stats.errors.append(f"{self.name} {kind} {path}: HTTP {status} {text[:200]!r}")
        return text

    def login(self) -> None:
        self.request("login", "/accounts/login/")
        self.request("login", "/accounts/login/", {"username": self.t.username, "password": self.t.password,
                                                   "csrfmiddlewaretoken": self.csrf(), "next": ""})

    def save(self, criterion: str, seq: int) -> None:
        evidence = f"{self.name} save {seq}: load test"
        text = self.request("save", f"/rounds/{self.t.draft}/answers/{criterion}/",
                            {"revision": str(self.revisions.get(criterion, 0)), "score": "3", "method": "",
                             "evidence": evidence}, htmx=True)
        found = re.search(r'id="rev-[^"]+" value="(\d+)"', text)
        if found:
            revision = int(found.group(1))
            self.revisions[criterion] = revision
            with self.stats.lock:
                self.stats.saves[(self.t.draft, criterion)].append((revision, evidence))

    def run(self, iterations: int, deadline: float, rng: random.Random) -> None:
        self.login()
        for i in range(iterations):
            if time.monotonic() > deadline:
                return
            self.request("body", f"/bodies/{self.t.slug}/")
            self.request("questionnaire", f"/rounds/{self.t.draft}/")
            for j in range(2):
                self.save(rng.choice(self.t.criteria), 2 * i + j)
            self.request("draft results", f"/rounds/{self.t.draft}/results/")
            self.request("roadmap", f"/rounds/{self.t.final}/results/")
            self.request("progress", f"/bodies/{self.t.slug}/progress/")


def targets(logins: list[tuple[str, str, str]]) -> list[Target]:
    """Every demo lead and member, with their body's final and draft round (read through the ORM). A demo body
    with only a draft gets what the first one has: that round submitted and finalised, and the next one started."""
    from django.contrib.auth import get_user_model

    from advisor.web.assessments import services
    from advisor.web.assessments.models import Round
    from advisor.web.bodies.models import Membership

    criteria = sorted(services.kb().criteria)
    out = []
    for username, password, role in logins:
        if role not in {"lead", "member"}:
            continue
        body = Membership.objects.get(user__username=username).body
        if not Round.objects.filter(body=body, status=Round.Status.FINAL).exists():
            lead = get_user_model().objects.get(memberships__body=body, memberships__role="lead")
            first = Round.objects.get(body=body, status=Round.Status.DRAFT)
            services.submit(first, lead)
            services.finalise(first, lead)
            services.new_round(body, lead, previous=first)
        final = Round.objects.get(body=body, status=Round.Status.FINAL)
        draft = Round.objects.get(body=body, status=Round.Status.DRAFT)
        out.append(Target(username, password, body.slug, draft.pk, final.pk, criteria))
    return out


def phase(base: str, pool: list[Target], clients: int, iterations: int, seconds: float,
          cpu: Callable[[], float] | None = None) -> tuple[Stats, float]:
    stats = Stats()
    deadline = time.monotonic() + seconds
    workers = [Client(base, pool[i % len(pool)], stats, f"c{clients}-{i}", cpu if clients == 1 else None) for i in range(clients)]
    threads = [threading.Thread(target=w.run, args=(iterations, deadline, random.Random(i))) for i, w in enumerate(workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stats, time.perf_counter() - start


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def report(stats: Stats, wall: float, clients: int, before: str, after: str, cpu: dict[str, float]) -> None:
    total = sum(len(v) for v in stats.times.values())
    print(f"\n{clients} clients: {total} requests in {wall:.1f} s = {total / wall:.1f} requests/s; "
          f"errors {len(stats.errors)}; load average {before} before, {after} after")
    print("  CPU per request: " + ", ".join(f"{k} {v * 1000 / total:.1f} ms" for k, v in cpu.items()))
    cpu_head = f"{'server CPU ms':>15}" if stats.cpu else ""
    print(f"  {'page':<14}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{cpu_head}")
    for kind in KINDS:
        v = stats.times.get(kind)
        if v:
            c = f"{statistics.mean(stats.cpu[kind]) * 1000:>15.0f}" if stats.cpu else ""
            print(f"  {kind:<14}{len(v):>9}{statistics.median(v) * 1000:>11.0f}{p95(v) * 1000:>9.0f}{max(v) * 1000:>9.0f}{c}")
    for e in stats.errors[:10]:
        print("  error:", e)


def check_saves(saves: dict[tuple[int, str], list[tuple[int, str]]], before: dict[tuple[int, str], int]) -> list[str]:
    """Every save is in the database: revisions, audit trail, and the last save's text is the stored one."""
    from advisor.web.assessments.models import Answer, AuditEvent

    problems = []
    for (round_pk, criterion), made in sorted(saves.items()):
        answer = Answer.objects.get(round_id=round_pk, criterion=criterion)
        start = before.get((round_pk, criterion), 0)
        revisions = sorted(r for r, _ in made)
        if revisions != list(range(start + 1, start + 1 + len(made))):
            problems.append(f"round {round_pk} {criterion}: revisions answered {revisions}, expected {start + 1}..{start + len(made)}")
        if answer.revision != start + len(made):
            problems.append(f"round {round_pk} {criterion}: stored revision {answer.revision}, {len(made)} saves from {start}")
        last = max(made)[1]
        if answer.evidence != last:
            problems.append(f"round {round_pk} {criterion}: stored {answer.evidence!r}, the last save was {last!r}")
        texts = set(AuditEvent.objects.filter(round_id=round_pk, criterion=criterion, field="evidence").values_list("new", flat=True))
        lost = [e for _, e in made if e not in texts]
        if lost:
            problems.append(f"round {round_pk} {criterion}: {len(lost)} saves missing from the audit trail")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32],
                    help="concurrent clients of each phase (one client: also the server CPU time of each page)")
    ap.add_argument("--iterations", type=int, default=40, help="rounds of pages per client (each 5-6 requests)")
    ap.add_argument("--seconds", type=float, default=120,
                    help="time limit of each phase: no client starts a new round of pages after it")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = ap.parse_args()

    with ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="advisor-load-"))
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        pg_data = None
        if not (env.get("DATABASE_URL") or env.get("ADVISOR_DB_ENGINE", "").startswith("postgres")):
            env["DATABASE_URL"], pg_data = stack.enter_context(postgres())
        env.update(ADVISOR_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="advisor.web.settings", PYTHONPATH=str(ROOT))
        os.environ.update(env)
        from advisor.web import commands

        logins = commands.init(demo=True)  # migrate, demo bodies and users: the same as ``advisor web init --demo``
        pool = targets(logins)
        from advisor.web.assessments.models import Answer
        before = {(a.round_id, a.criterion): a.revision for a in Answer.objects.all()}
        port = free_port()
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; gunicorn workers: {args.workers}; "
              f"database: PostgreSQL; {len(pool)} demo users over {len({t.slug for t in pool})} bodies")
        base, gunicorn = stack.enter_context(server(env, port, args.workers))
        postmaster = int((pg_data / "postmaster.pid").read_text().split()[0]) if pg_data else None

        def cpu() -> dict[str, float]:
            out = {"gunicorn workers": cpu_seconds(gunicorn, with_children=True),
                   CLIENT: time.process_time()}
            if postmaster:
                out["PostgreSQL"] = cpu_seconds(postmaster, with_children=True)
            return out
        saves: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
        # each worker loads the knowledge base and compiles its engine on its first requests: not measured
        warm, _ = phase(base, pool, 2 * args.workers, 2, args.seconds)
        errors = len(warm.errors)
        print(f"warm-up: {sum(len(v) for v in warm.times.values())} requests, errors {errors}")
        for key, made in warm.saves.items():
            saves[key].extend(made)
        for n in args.clients:
            load_before, cpu_before = loadavg(), cpu()
            stats, wall = phase(base, pool, n, args.iterations, args.seconds, lambda: sum(v for k, v in cpu().items() if k != CLIENT))
            report(stats, wall, n, load_before, loadavg(), {k: v - cpu_before[k] for k, v in cpu().items()})
            errors += len(stats.errors)
            for key, made in stats.saves.items():
                saves[key].extend(made)
        rss = [rss_mb(pid) for pid in children(gunicorn)]
        print(f"\ngunicorn workers' resident memory after the run: {', '.join(f'{m:.0f} MB' for m in rss)}")
        from django.db import connection
        connection.close()  # the server's saves are committed: read them afresh
        problems = check_saves(saves, before)
        print(f"\nsaves: {sum(len(v) for v in saves.values())} answered by the server over {len(saves)} criteria; "
              f"{'all stored, the last save of each criterion is its stored value' if not problems else f'{len(problems)} PROBLEMS'}")
        for p in problems[:20]:
            print("  lost:", p)
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
