"""One cold ``advisor roadmap FILE`` (text, the command's default) in phases, in the process that runs this
script: prints, as JSON, the process's CPU time and number of loaded modules at the end of each phase.

    python benchmarks/cold_phases.py examples/republican-ministry.yaml    # run by bench.py --only floor

The phases call what the command calls (advisor/cli/main.py ``roadmap``: ``api.load_kb``, ``api.plan_for``
= load the assessment, evaluate, plan; ``api.render_text``), one at a time. A module imported lazily is
counted in the phase that first needs it, as it is in the command. It prepares and ends the process as the
program does (``advisor.cli.run``, where there is one).
"""

from __future__ import annotations

import sys
import time

marks: list[tuple[str, float, int]] = [("interpreter start (site included)", time.process_time(), len(sys.modules))]


def mark(phase: str) -> None:
    marks.append((phase, time.process_time(), len(sys.modules)))


import advisor.cli.main  # noqa: E402, F401  (the command's own imports: click, the CLI modules)
from advisor import api  # noqa: E402
from advisor.io import inputs  # noqa: E402

mark("imports (advisor.cli.main, advisor.api)")
# what the program does before and after its command, in the versions that do it (both came with advisor.cli.run):
# no search for pydantic plugins, and a frozen heap at exit
program = hasattr(advisor.cli, "run")
if program:
    __import__("os").environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
kb = api.load_kb(None)
mark("load_kb (unchanged since the last run)")
assessment = inputs.load_assessment(sys.argv[1], kb)
mark("read and validate the assessment")
ev = api.evaluate(assessment, kb)
mark("evaluate")
rm = api.roadmap(ev, kb)
mark("roadmap")
text = api.render_text("roadmap", "en", kb, ev=ev, rm=rm)
mark("render the text")
# the text's digest, so that the caller can check it is what the command prints
digest = __import__("hashlib").sha256(text.rstrip("\n").encode()).hexdigest()
sys.stdout.write(__import__("json").dumps({"marks": marks, "sha256": digest}) + "\n")
if program:
    __import__("gc").freeze()
