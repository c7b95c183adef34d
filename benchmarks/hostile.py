"""Time and peak memory of loading each file of the hostile corpus, each in its own memory-capped process.

    python benchmarks/hostile.py          # every case, one process each (about 2-4 minutes on 2 cores)

Figures are measured, never asserted (tests/hostile/test_corpus.py asserts the outcomes under the cap).
``peak_mb`` is the process's peak resident memory, the knowledge base loaded (``baseline`` shows that alone).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor import api  # noqa: E402
from advisor.io.spreadsheet import columns  # noqa: E402
from tests.hostile.corpus import MEMORY_CAP, run_cases, write_all  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "baseline.yaml"
        empty.write_text("{}\n")
        paths = {"baseline": empty, **write_all(Path(tmp), columns(api.load_kb()))}
        print(f"memory cap per process: {MEMORY_CAP >> 20} MB")
        print(f"{'case':28} {'size':>12} {'outcome':9} {'seconds':>8} {'peak MB':>8}  message")
        for name, path in paths.items():
            [r] = run_cases([path])[:1]
            print(f"{name:28} {path.stat().st_size:>12,} {r['outcome']!s:9} {r.get('seconds', '-')!s:>8} "
                  f"{r.get('peak_mb', '-')!s:>8}  {str(r['message']).splitlines()[0][len(str(path)):][:90] if r['message'] else ''}")


if __name__ == "__main__":
    main()
