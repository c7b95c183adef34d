"""Batch never loses a body silently: odd inputs, crashes anywhere, dead workers, clashing names, a busy folder."""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path
from typing import Any, Iterator

import pytest

from advisor.io import batch
from advisor.reports import render

from ..conftest import MINI, run_cli, write_yaml
from .test_batch import body


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A batch that blocks (on a FIFO, say) fails the test instead of hanging it."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the batch hung"))
    signal.alarm(120)
    yield
    signal.alarm(0)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(1, 6):
        write_yaml(d / f"{i}.yaml", body(i))
    return d


def portfolio(out: Path) -> dict[str, Any]:
    return json.loads((out / "portfolio.json").read_text(encoding="utf-8"))


def reports(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith(("portfolio.", ".")))


def failing_for(ids: dict[str, BaseException | str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering fails for these bodies: raises the exception, or 'kill' kills the worker process."""
    real = render.render_report

    def fake(ev: Any, *args: Any) -> str:
        what = ids.get(ev.assessment.organisation.id)
        if what == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if isinstance(what, BaseException):
            raise what
        return real(ev, *args)
    monkeypatch.setattr(render, "render_report", fake)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crash_in_one_body_costs_only_that_body(inputs: Path, tmp_path: Path, jobs: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # StopIteration used to end `batch --jobs 1` early with exit 0 (2 of 5 reports, no failure listed)
    failing_for({"b2": StopIteration(), "b4": RuntimeError("boom")}, monkeypatch)
    out = tmp_path / "out"
    result = run_cli("batch", inputs, "-o", out, "--kb", MINI, "--jobs", jobs, code=1)
    assert reports(out) == [f"b{i}-2026-01-10.en.html" for i in (1, 3, 5)]
    data = portfolio(out)
    assert sorted(r["id"] for r in data["ranking"]) == ["b1", "b3", "b5"]
    assert [f["input"] for f in data["failures"]] == [str(inputs / "2.yaml"), str(inputs / "4.yaml")]
    assert "internal error" in result.output and "RuntimeError: boom" in result.output and "Traceback" in result.output


def test_a_killed_worker_costs_only_its_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(1, 31):
        write_yaml(d / f"{i:02d}.yaml", body(i))
    failing_for({"b7": "kill"}, monkeypatch)
    out = tmp_path / "out"
    result = run_cli("batch", d, "-o", out, "--kb", MINI, "--jobs", "2", code=1)
    assert len(reports(out)) == 29 and "b7-2026-01-10.en.html" not in reports(out)
    data = portfolio(out)
    assert len(data["ranking"]) == 29 and [f["input"] for f in data["failures"]] == [str(d / "07.yaml")]
    assert "worker process died" in result.output
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_special_files_are_refused_not_read(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(inputs / "pipe.yaml")
    (inputs / "zero.yaml").symlink_to("/dev/zero")
    limit = max(p.stat().st_size for p in inputs.glob("*.yaml") if p.is_file() and not p.is_symlink())
    (inputs / "big.yaml").write_text("a: 1\n" * limit, encoding="utf-8")
    monkeypatch.setattr(batch, "MAX_INPUT_BYTES", limit)
    out = tmp_path / "out"
    result = run_cli("batch", inputs, "-o", out, "--kb", MINI, code=1)
    assert len(reports(out)) == 5
    why = {Path(f["input"]).name: " ".join(f["reasons"]) for f in portfolio(out)["failures"]}
    assert "named pipe" in why["pipe.yaml"] and "device, through a link" in why["zero.yaml"]
    assert "too large" in why["big.yaml"]
    assert "refused:" in result.output
    # named on the command line, too
    run_cli("batch", inputs / "pipe.yaml", inputs / "1.yaml", "-o", tmp_path / "out2", "--kb", MINI, code=1)


@pytest.mark.parametrize("where", ["/proc/advisor-test", "/proc/self/x/y", "/proc"])
def test_an_output_folder_that_cannot_be_written_is_a_message(inputs: Path, where: str) -> None:
    result = run_cli("batch", inputs, "-o", where, "--kb", MINI, code=2)
    assert "cannot write into this folder" in result.output and "Traceback" not in result.output


def test_a_folder_is_written_by_one_batch_at_a_time(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with batch.OutputFolder(out):
        result = run_cli("batch", inputs, "-o", out, "--kb", MINI, code=2)
    assert "another `advisor batch` is writing into this folder" in result.output
    assert not (out / "portfolio.json").exists()
    run_cli("batch", inputs, "-o", out, "--kb", MINI)   # free again


def test_reports_of_an_earlier_run_are_named_and_kept(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("batch", inputs, "-o", out, "--kb", MINI)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (inputs / "5.yaml").unlink()
    result = run_cli("batch", inputs, "-o", out, "--kb", MINI)
    assert "2 file(s)" in result.output and "b5-2026-01-10.en.html" in result.output and "notes.txt" in result.output
    assert (out / "b5-2026-01-10.en.html").exists() and (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert len(portfolio(out)["ranking"]) == 4


def test_the_same_body_twice_is_refused_and_its_report_not_overwritten(inputs: Path, tmp_path: Path) -> None:
    twin = body(2, **{"culture__a": 5})        # b2 again, same date, other scores and name
    twin["organisation"]["name"] = "Двойник"
    write_yaml(inputs / "2-again.yaml", twin)
    out = tmp_path / "out"
    result = run_cli("batch", inputs, "-o", out, "--kb", MINI, "--jobs", "2", code=1)
    assert "same organisation id and date as" in result.output
    data = portfolio(out)
    first, second = sorted(["2.yaml", "2-again.yaml"])      # input order: the first one is kept
    kept = "Двойник" if first == "2-again.yaml" else "Орган 2"
    b2 = [r for r in data["ranking"] if r["id"] == "b2"]
    assert len(data["ranking"]) == 5 and [r["name"] for r in b2] == [kept]
    html = (out / b2[0]["report"]).read_text(encoding="utf-8")
    assert kept in html and ({"Двойник", "Орган 2"} - {kept}).pop() not in html
    assert [Path(f["input"]).name for f in data["failures"]] == [second]


@pytest.mark.parametrize("ids", [("Ab", "ab"), ("a_b", "a\u200db"), ("a\u200cb", "a\u200db")])
def test_ids_that_would_share_a_file_name_get_their_own_reports(tmp_path: Path, ids: tuple[str, str]) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for n, oid in enumerate(ids, 1):
        data = body(n)
        data["organisation"]["id"] = oid
        write_yaml(d / f"{n}.yaml", data)
    out = tmp_path / "out"
    result = run_cli("batch", d, "-o", out, "--kb", MINI)
    data = portfolio(out)
    names = sorted(r["report"] for r in data["ranking"])
    assert len(set(n.casefold() for n in names)) == 2 and all((out / n).exists() for n in names)
    assert "written as" in result.output


def test_a_bug_in_a_spreadsheet_reader_costs_only_that_sheet(inputs: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.io import spreadsheet
    (inputs / "sheet.csv").write_text("x\n", encoding="utf-8")

    def broken(*_: Any) -> Any:
        raise ValueError("bad cell")
    monkeypatch.setattr(spreadsheet, "read", broken)
    out = tmp_path / "out"
    result = run_cli("batch", inputs, "-o", out, "--kb", MINI, code=1)
    assert len(reports(out)) == 5 and "ValueError: bad cell" in result.output


def test_the_default_number_of_jobs() -> None:
    assert batch.default_jobs(1) == 1 and batch.default_jobs(39) == 1
    assert 1 <= batch.default_jobs(2000) <= (os.cpu_count() or 1)


@pytest.mark.parametrize(("busy", "expected"), [(0, 4), (1, 3), (3, 1), (7, 1)])
def test_default_jobs_leave_the_busy_cores_alone(monkeypatch, busy, expected) -> None:
    monkeypatch.setattr(batch.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(batch, "_busy_cores", lambda: busy)
    assert batch.default_jobs(2000) == expected
    assert batch.default_jobs(40) == min(expected, 2)


@pytest.mark.parametrize(("text", "busy"), [("0.50 0.40 0.30 3/120 999\n", 2), ("7.9 7.0 6.1 1/300 5\n", 0),
                                            ("garbled\n", 0)])
def test_busy_cores_are_the_running_tasks_but_this_one(monkeypatch, tmp_path: Path, text: str, busy: int) -> None:
    (tmp_path / "loadavg").write_text(text)
    monkeypatch.setattr(batch, "LOADAVG", str(tmp_path / "loadavg"))
    assert batch._busy_cores() == busy
    monkeypatch.setattr(batch, "LOADAVG", str(tmp_path / "missing"))
    assert batch._busy_cores() == 0


def test_reports_follow_the_umask(inputs: Path, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        run_cli("batch", inputs, "-o", tmp_path / "out", "--kb", MINI)
    finally:
        os.umask(old)
    modes = {stat.S_IMODE((tmp_path / "out" / n).stat().st_mode) for n in reports(tmp_path / "out")}
    assert modes == {0o600}
