"""Many offices at once: each body's report, and a portfolio summary across them.

Work runs in ``jobs`` processes (durable_rules is not thread-safe, and one process per worker is how it
scales). Where the system can fork, the workers are forked after the knowledge base is loaded, the
engine compiled and the report template read, so no worker repeats that work; the items go out by
their position in chunks. Elsewhere each worker loads the knowledge base once.

Nothing a batch is given is ever lost silently: whatever fails for one body (a bad file, a bug, a
worker process that dies) leaves that body a line saying why, and every other body its report and
its place in the portfolio. Only regular files of a bounded size are read. A body's report is written
under a private temporary name, then renamed to its final name by the parent, which alone decides the
names: two bodies never share a report file. One batch at a time writes into a folder (a lock).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import stat
import traceback
import unicodedata
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import N_, AdvisorError, ProblemText
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from .portfolio import BodyResult, Failure, Portfolio, body_result

ASSESSMENT_SUFFIXES = {".yaml", ".yml", ".json"}
SHEET_SUFFIXES = {".csv", ".xlsx", ".xlsm"}
#: far above any real assessment or sheet; a larger "input" is a mistake (or /dev/zero behind a link)
MAX_INPUT_BYTES = 20 << 20
LOCK_NAME = ".advisor-batch.lock"
PORTFOLIO_FILES = ("portfolio.csv", "portfolio.json", "portfolio.html")
#: items per task sent to a worker: large enough to make messages rare, small enough to balance
MAX_CHUNK = 25


@dataclass(frozen=True)
class Item:
    label: str
    path: str | None = None                 # an assessment file
    data: dict[str, Any] | None = None      # or a row already validated from a spreadsheet


def items_of(pairs: Iterable[tuple[str, Assessment]]) -> list[Item]:
    """``(key, Assessment)`` pairs as batch items: a batch of bodies held in memory (a store, a notebook)."""
    return [Item(key, data=a.model_dump(mode="json")) for key, a in pairs]


def _unreadable(path: Path) -> str | None:
    """Why ``path`` is not read as an input, or None: only regular files of a bounded size are."""
    try:
        st = path.stat()
    except OSError as exc:
        return N_("cannot read it: {reason}", reason=exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        kind = (N_("a folder") if stat.S_ISDIR(st.st_mode) else N_("a named pipe (FIFO)") if stat.S_ISFIFO(st.st_mode)
                else N_("a device") if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else N_("a socket"))
        if path.is_symlink():
            return N_("not a regular file ({kind}, through a link); only files are read", kind=kind)
        return N_("not a regular file ({kind}); only files are read", kind=kind)
    if st.st_size > MAX_INPUT_BYTES:
        return N_("too large ({size:.0f} MB; at most {limit} MB are read)", size=st.st_size / 2**20, limit=MAX_INPUT_BYTES >> 20)
    return None


def _bug(exc: BaseException, where: str) -> Failure:
    error = f"{type(exc).__name__}: {exc}"
    return Failure(where, [N_("internal error while processing it ({error}); the other inputs were processed; "
                              "please report this with the traceback below", error=error)],
                   trace=traceback.format_exc())


def collect(inputs: list[Path], kb: KnowledgeBase) -> tuple[list[Item], list[Failure]]:
    """Expand folders and spreadsheets into items; unreadable inputs and bad rows become failures."""
    from . import spreadsheet
    items: list[Item] = []
    failures: list[Failure] = []
    for path in inputs:
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                failures.append(Failure(str(path), [N_("cannot list the folder: {reason}", reason=exc.strerror or str(exc))]))
                continue
            files = [p for p in entries if p.suffix.lower() in ASSESSMENT_SUFFIXES | SHEET_SUFFIXES]
        elif path.exists() or path.is_symlink():
            files = [path]
        else:
            failures.append(Failure(str(path), [N_("file not found")]))
            continue
        for f in files:
            reason = _unreadable(f)
            if reason is not None:
                failures.append(Failure(str(f), [reason]))
            elif f.suffix.lower() in SHEET_SUFFIXES:
                try:
                    rows = spreadsheet.read(f, kb)
                except AdvisorError as exc:
                    failures.append(Failure(str(f), [ProblemText(p) for p in exc.problems]))
                    continue
                except Exception as exc:  # noqa: BLE001 - a bug in one sheet must not cost the other inputs
                    failures.append(_bug(exc, str(f)))
                    continue
                for row in rows:
                    if row.assessment is None:
                        failures.append(Failure(row.label, [ProblemText(p) for p in row.problems]))
                    else:
                        items.append(Item(row.label, data=row.assessment.model_dump(mode="json")))
            else:
                items.append(Item(str(f), path=str(f)))
    return items, failures


class OutputFolder:
    """The batch's output folder, locked for this run; remembers the files that were there before."""

    def __init__(self, folder: Path) -> None:
        self.path = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._lock = open(folder / LOCK_NAME, "a")   # noqa: SIM115 - held until close()
        except OSError as exc:
            raise AdvisorError.single(str(folder), N_("cannot write into this folder: {reason}", reason=exc.strerror or str(exc)),
                                      hint=N_("choose a folder of your own for -o")) from None
        try:
            import fcntl
        except ImportError:   # not POSIX: no lock
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._lock.close()
                raise AdvisorError.single(str(folder), N_("another `advisor batch` is writing into this folder now"),
                                          hint=N_("wait until it has finished, or choose another -o folder")) from None
        self.before = {p.name for p in self._files()}
        self.token = f".advisor-{os.getpid()}-"

    def _files(self) -> list[Path]:
        return [p for p in self.path.iterdir() if p.is_file() and not p.name.startswith(".")]

    def others(self, written: set[str]) -> list[str]:
        """Files already in the folder that this run did not write (reports of an earlier run, say)."""
        return sorted(self.before - written - set(PORTFOLIO_FILES))

    def close(self) -> None:
        for p in self.path.glob(self.token + "*"):     # temporary reports of this run left by a failure
            p.unlink(missing_ok=True)
        self._lock.close()

    def __enter__(self) -> "OutputFolder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_WORKER: dict[str, Any] = {}


def _setup(kb: KnowledgeBase, items: list[Item], lang: str, fmt: str, out_dir: str, token: str) -> None:
    """Everything a worker needs, ready before any fork: the engine compiled and the template read."""
    from ..diagnosis.pipeline import compiled
    from ..reports.render import environment
    compiled(kb)
    environment(lang).get_template(f"report/report.{fmt}.j2")  # type: ignore[arg-type]
    _WORKER.update(kb=kb, items=items, lang=lang, fmt=fmt, out=Path(out_dir), token=token)


def _init(kb_root: str, items: list[Item], lang: str, fmt: str, out_dir: str, token: str) -> None:
    """A worker that was not forked (no fork on this system) loads the knowledge base itself."""
    from ..kb.loading import load_kb
    _setup(load_kb(kb_root), items, lang, fmt, out_dir, token)


def _process(index: int) -> BodyResult | Failure:
    item: Item = _WORKER["items"][index]
    try:
        return _body(index, item)
    except AdvisorError as exc:
        return Failure(item.label, [ProblemText(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 - one body's bug must not cost the others their reports
        return _bug(exc, item.label)


def _body(index: int, item: Item) -> BodyResult:
    from ..diagnosis.pipeline import evaluate
    from ..kb.loading import load_assessment
    from ..planning import plan, roadmap
    from ..reports.render import render_report
    from .output import write_atomic
    kb: KnowledgeBase = _WORKER["kb"]
    assessment = load_assessment(item.path, kb) if item.path is not None else Assessment.model_validate(item.data)
    ev = evaluate(assessment, kb)
    rm = plan.make(kb, ev)
    written = f"{_WORKER['token']}{index}.tmp"
    write_atomic(_WORKER["out"] / written, render_report(ev, rm, roadmap.next_steps(kb, rm), kb, _WORKER["lang"],
                                                         _WORKER["fmt"]))
    result = body_result(item.label, ev, rm, report=f"{_safe(ev.assessment.organisation.id)}-{ev.assessment.date}")
    result.written = written
    return result


def _chunk(indexes: list[int]) -> list[BodyResult | Failure]:
    return [_process(i) for i in indexes]


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def default_jobs(n_items: int) -> int:
    """One worker per usable core that other processes leave free (on a busy machine extra workers only
    queue for the same cores, and a run got slower than with one), and one for a small batch, where
    starting workers costs more than it saves."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores - _busy_cores(), n_items // 20))


LOADAVG = "/proc/loadavg"


def _busy_cores() -> int:
    """Processes running on other cores right now (Linux's count of runnable tasks, this one left out);
    the load average would still count a run that ended a minute ago. 0 where the system does not say."""
    try:
        with open(LOADAVG, encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, running - 1)


def _forking() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _pool(jobs: int, init: tuple[Any, ...] | None) -> ProcessPoolExecutor:
    if init is None:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    return ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=init)


def _results(n: int, jobs: int, init: tuple[Any, ...] | None) -> Iterator[BodyResult | Failure]:
    """Every item's result, in input order. A worker that dies costs only the body it was working on:
    the items of every chunk it broke are run again one at a time, each in a fresh worker if need be."""
    chunks = _chunks(n, jobs)
    pool = _pool(jobs, init)
    try:
        futures: list[Future[list[BodyResult | Failure]]] = [pool.submit(_chunk, c) for c in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                done = future.result()
            except BrokenProcessPool:
                yield from _one_by_one(chunk, init)
            else:
                yield from done
    finally:
        pool.shutdown(cancel_futures=True)


def _chunks(n: int, jobs: int) -> list[list[int]]:
    """The items' positions in chunks that shrink as the work left does (a quarter of each worker's share of
    what is left, at most MAX_CHUNK, at least one): few messages while there is much to do, and at the end
    chunks of one, so that no worker is left with a long chunk while the others wait (with equal chunks the
    last one alone could take a tenth of a run)."""
    chunks = []
    start = 0
    while start < n:
        size = max(1, min(MAX_CHUNK, (n - start) // (jobs * 4)))
        chunks.append(list(range(start, min(start + size, n))))
        start += size
    return chunks


def _one_by_one(indexes: list[int], init: tuple[Any, ...] | None) -> Iterator[BodyResult | Failure]:
    """Items whose worker died, one at a time: one that kills its worker again is the cause."""
    pool: ProcessPoolExecutor | None = None
    try:
        for i in indexes:
            pool = pool or _pool(1, init)
            try:
                yield pool.submit(_process, i).result()
            except BrokenProcessPool:
                pool.shutdown()
                pool = None
                yield Failure(_WORKER["items"][i].label, [
                    N_("the worker process died while processing it (killed, or a crash in the engine); "
                       "the other inputs were processed")])
    finally:
        if pool is not None:
            pool.shutdown()


def run(items: list[Item], kb: KnowledgeBase, out: Path | OutputFolder, lang: str, fmt: str, jobs: int | None = None,
        progress: Callable[[Iterator[Any]], Iterator[Any]] | None = None) -> Portfolio:
    """Process every item into the folder ``out`` (locked for the run unless the caller holds it already);
    results come back in input order whatever the number of jobs (default: :func:`default_jobs`)."""
    if not isinstance(out, OutputFolder):
        with OutputFolder(out) as folder:
            return run(items, kb, folder, lang, fmt, jobs, progress)
    portfolio = _run(items, kb, out, lang, fmt, default_jobs(len(items)) if jobs is None else jobs, progress)
    others = out.others({b.report for b in portfolio.bodies})
    if others:
        shown = ", ".join(others[:5])
        if len(others) > 5:
            shown = N_("{files} and {count} more", files=shown, count=len(others) - 5)
        portfolio.notes.append(N_("{count} file(s) in {folder} were not written by this run and are not in its "
                                  "portfolio (reports of an earlier run?): {files}",
                                  count=len(others), folder=str(out.path), files=shown))
    return portfolio


def _run(items: list[Item], kb: KnowledgeBase, folder: OutputFolder, lang: str, fmt: str, jobs: int,
         progress: Callable[[Iterator[Any]], Iterator[Any]] | None) -> Portfolio:
    portfolio = Portfolio(kb.version)
    args = (items, lang, fmt, str(folder.path), folder.token)
    _setup(kb, *args)
    # what every body uses (the knowledge base, the compiled engine, the template) is set aside from the
    # collector for the run: its full collections would otherwise scan it again and again, and in a forked
    # worker touch (and so copy) every page of it; never when the host froze objects itself, which unfreezing
    # would thaw
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    if jobs <= 1 or len(items) <= 1:
        results: Iterator[BodyResult | Failure] = map(_process, range(len(items)))
    else:
        results = _results(len(items), jobs, None if _forking() else (str(kb.root), *args))
    suffix = f".{lang}.{fmt}"
    by_body: dict[tuple[str, str], str] = {}       # (id, date) -> the input that gave it first
    names: set[str] = set()                       # report names taken, as a file system may compare them
    try:
        for result in (progress(results) if progress else results):
            if isinstance(result, Failure):
                portfolio.failures.append(result)
                continue
            body = (result.id, result.date)
            if body in by_body:
                portfolio.failures.append(Failure(result.label, [
                    N_("same organisation id and date as {other}; left out of the portfolio and no report written",
                       other=by_body[body])]))
                (folder.path / result.written).unlink(missing_ok=True)
                continue
            by_body[body] = result.label
            name, n = result.report + suffix, 1
            while _fold(name) in names:
                n += 1
                name = f"{result.report}~{n}{suffix}"
            if n > 1:
                portfolio.notes.append(N_("{input}: its report name {report} would be the same file as another "
                                          "body's (ids differ only in case or invisible characters); written as {name}",
                                          input=result.label, report=result.report + suffix, name=name))
            names.add(_fold(name))
            try:
                os.replace(folder.path / result.written, folder.path / name)
            except OSError as exc:
                portfolio.failures.append(Failure(result.label, [N_("cannot write its report {name}: {reason}", name=name,
                                                                         reason=exc.strerror or str(exc))]))
                continue
            result.report, result.written = name, ""
            portfolio.bodies.append(result)
    finally:
        _WORKER.clear()
        if freeze:
            gc.unfreeze()
    return portfolio


def _fold(name: str) -> str:
    """File names that one file system or another takes for the same file."""
    return unicodedata.normalize("NFKC", name).casefold()
