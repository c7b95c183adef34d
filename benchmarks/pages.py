"""CPU time of the web pages the load test opens, one request at a time in this process (Django's test client
on a throwaway SQLite database with the demo data), and optionally a cProfile of each page.

    python benchmarks/pages.py                     # CPU ms per request of each page, warm (median of --repeat)
    python benchmarks/pages.py --profile roadmap   # and its costliest functions (--sort, --top)

Pages: ``roadmap`` (a final round's results), ``draft`` (a draft's results after an answer changed, so evaluated
afresh), ``progress`` (the body's progress page), ``questionnaire`` and ``body``. Each is requested once to warm
up (engines compiled, templates loaded), then ``--repeat`` times; the figure is process CPU time (not wall
time), so a busy machine slows it less than it slows a latency. Compare two checkouts one right after the
other: ``python benchmarks/pages.py --root /tmp/old``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

PAGES = ("body", "questionnaire", "draft", "roadmap", "progress")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--profile", choices=PAGES, action="append", default=[])
    ap.add_argument("--sort", default="cumulative", help="pstats order of the profile: cumulative, tottime...")
    ap.add_argument("--top", type=int, default=25, help="functions of the profile shown")
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout to measure")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root))
    data = tempfile.mkdtemp(prefix="advisor-pages-")
    os.environ.update({"ADVISOR_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "advisor.web.settings",
                       "ADVISOR_ALLOWED_HOSTS": "testserver"})
    from advisor.web import commands
    logins = commands.init(demo=True)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from advisor.web.assessments.models import Round
    final = Round.objects.filter(status="final").select_related("body").first()
    assert final is not None, "the demo data has a final round"
    draft = Round.objects.filter(body=final.body, status="draft").first()
    assert draft is not None
    lead = next(name for name, _, role in logins if role == "lead" and name.startswith(final.body.slug))
    client = Client()
    client.force_login(get_user_model().objects.get(username=lead))
    seq = iter(range(10**9))

    def draft_page() -> Any:
        # a changed answer first (not timed), as the load test does: the draft is evaluated afresh
        client.post(f"/rounds/{draft.pk}/answers/strategy.monitoring/", {"score": "2", "evidence": f"e{next(seq)}",
                    "method": "", "revision": "0"}, HTTP_HX_REQUEST="true")
        return lambda: client.get(f"/rounds/{draft.pk}/results/")

    urls: dict[str, Callable[[], Callable[[], Any]]] = {
        "body": lambda: lambda: client.get(f"/bodies/{final.body.slug}/"),
        "questionnaire": lambda: lambda: client.get(f"/rounds/{draft.pk}/"),
        "draft": draft_page,
        "roadmap": lambda: lambda: client.get(f"/rounds/{final.pk}/results/"),
        "progress": lambda: lambda: client.get(f"/bodies/{final.body.slug}/progress/"),
    }
    print(f"checkout {args.root}; {args.repeat} requests per page after one to warm up; CPU ms per request")
    for name in PAGES:
        assert urls[name]()().status_code == 200, name  # the warm-up request
        times = []
        profile = cProfile.Profile() if name in args.profile else None
        for _ in range(args.repeat):
            call = urls[name]()
            start = time.process_time()
            if profile:
                profile.enable()
            response = call()
            if profile:
                profile.disable()
            times.append((time.process_time() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        print(f"  {name:<14} median {statistics.median(times):7.1f}   min {min(times):7.1f}")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
