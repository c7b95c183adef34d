"""The ``advisor`` program exits without the collector's passes over the heap; ``main`` called in a process that
goes on (tests, a host application) leaves the collector alone. Either way the output is complete."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from advisor.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "republican-ministry.yaml")

#: the program as its console script runs it, reporting at exit (after ``run`` returned) what the collector saw
SCRIPT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen" if gc.get_freeze_count() else "not frozen", file=sys.stderr))
from advisor.cli import run
sys.argv = ["advisor", *sys.argv[1:]]
run()
"""


def program(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_program_freezes_the_heap_at_exit_and_its_output_is_whole(tmp_path: Path) -> None:
    out = tmp_path / "roadmap.json"
    done = program("roadmap", EXAMPLE, "--format", "json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "frozen"
    printed = program("roadmap", EXAMPLE, "--format", "json")
    assert json.loads(printed.stdout) == json.loads(out.read_text(encoding="utf-8"))   # both whole, the same plan


def test_a_user_mistake_still_exits_2_with_its_message() -> None:
    done = program("roadmap", str(ROOT / "no-such-file.yaml"))
    assert done.returncode == 2
    assert "no-such-file.yaml" in done.stderr and done.stderr.strip().splitlines()[-1] == "frozen"


def test_main_in_a_process_that_goes_on_leaves_the_collector_alone() -> None:
    before = gc.get_freeze_count()
    result = CliRunner().invoke(main, ["roadmap", EXAMPLE, "--format", "json"])
    assert result.exit_code == 0
    assert gc.get_freeze_count() == before == 0
