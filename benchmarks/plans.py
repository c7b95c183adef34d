"""The examples' plans in figures, for a closing note's before/after table: actions in the 12-month core plan,
the roadmap's actions and months, and the peak load per owner role (actions at once, and FTE where known).

Runs the CLI of whatever checkout is on ``PYTHONPATH`` (or this one), so an older commit can be measured the
same way: ``git worktree add /tmp/old <commit>; PYTHONPATH=/tmp/old python benchmarks/plans.py``. Before the
scheduler a roadmap had no horizon: the core plan is then counted as the actions that finish by month 12.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HORIZON = 12


def plan(example: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "advisor", "roadmap", str(example), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    rm = json.loads(out)["roadmap"]
    items = rm["items"]
    start = "start_month" if items and "start_month" in items[0] else "start"
    finish = "finish_month" if items and "finish_month" in items[0] else None
    running: dict[tuple[str, int], int] = collections.Counter()
    for i in items:
        end = i[finish] if finish else i[start] + i["duration_months"]
        for m in range(i[start], end):
            running[i["owner"], m] += 1
    peak_n: dict[str, int] = {}
    for (role, _), n in running.items():
        peak_n[role] = max(peak_n.get(role, 0), n)
    fte = {c["role"]: (c["peak"], c.get("fte")) for c in rm.get("capacity", [])}
    core = [i for i in items if i.get("in_horizon", (i[finish] if finish else i[start] + i["duration_months"]) <= HORIZON)]
    return {"core": len(core), "actions": len(items), "months": rm.get("total_months"),
            "peak": {r: (n, *fte.get(r, (None, None))) for r, n in sorted(peak_n.items(), key=lambda x: -x[1])}}


def main() -> None:
    print("| example | core plan (12 months) | actions | months | peak per role: actions at once (FTE peak / capacity) |")
    print("|---|---:|---:|---:|---|")
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        p = plan(example)
        peaks = ", ".join(f"{r} {n}" + (f" ({pk:g}/{cap:g})" if pk is not None and cap is not None else "")
                          for r, (n, pk, cap) in list(p["peak"].items())[:4])  # type: ignore[union-attr]
        print(f"| {example.stem} | {p['core']} | {p['actions']} | {p['months']} | {peaks} |")


if __name__ == "__main__":
    main()
