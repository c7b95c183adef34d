"""The sample reports in ``roadmaps/``, rendered from ``examples/``.

    python -m advisor.io.samples           # regenerate roadmaps/
    python -m advisor.io.samples --check   # exit 1 if roadmaps/ is out of date (tests do this)
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..diagnosis.pipeline import evaluate
from ..kb.loading import load_assessment, load_kb
from ..models.common import Lang
from ..planning import plan, roadmap
from ..reports.render import render_report

CHECKOUT = Path(__file__).resolve().parents[2]
LANGS: tuple[Lang, ...] = ("ru", "en", "kk")
FORMATS = ("html", "md")


def render_all(examples: Path = CHECKOUT / "examples") -> dict[str, str]:
    """file name in roadmaps/ -> its content."""
    kb = load_kb()
    out: dict[str, str] = {}
    for path in sorted(examples.glob("*.yaml")):
        ev = evaluate(load_assessment(path, kb), kb)
        rm = plan.make(kb, ev)
        nx = roadmap.next_steps(kb, rm)
        for lang in LANGS:
            for fmt in FORMATS:
                out[f"{path.stem}.{lang}.{fmt}"] = render_report(ev, rm, nx, kb, lang, fmt)
    return out


def stale(folder: Path = CHECKOUT / "roadmaps") -> list[str]:
    expected = render_all()
    present = {p.name for p in folder.glob("*.*") if p.suffix in {".html", ".md"} and p.name != "README.md"}
    wrong = [n for n, text in expected.items() if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != text]
    return sorted(wrong + sorted(present - set(expected)))


def main(argv: list[str]) -> int:
    folder = CHECKOUT / "roadmaps"
    if "--check" in argv:
        bad = stale(folder)
        for name in bad:
            print(f"out of date: roadmaps/{name}")
        return 1 if bad else 0
    from .output import write_atomic
    files = render_all()
    for name, text in files.items():
        write_atomic(folder / name, text)
    print(f"wrote {len(files)} files to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
