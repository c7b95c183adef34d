"""Generators of assessments for tests that need many of them."""

from __future__ import annotations

import random
from typing import Any

from advisor.models.knowledge import KnowledgeBase

SECTORS = ["default", "health", "economy", "social_protection", "other"]


def random_assessment(kb: KnowledgeBase, rng: random.Random) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for dim in kb.dimensions:
        ids = [c.id for c in kb.criteria_of(dim)]
        for i, cid in enumerate(ids):
            r = rng.random()
            if i and r < 0.05:
                scores[cid] = "n/a"
            elif i and r < 0.08:
                continue   # missing
            else:
                scores[cid] = rng.choice([1, 2, 3, 4, 5, round(rng.uniform(1, 5), 2)])
    return {"organisation": {"name": "Орган", "id": f"org{rng.randrange(10**6)}",
                             "government_level": rng.choice(["republican", "local"]),
                             "sector": rng.choice([s for s in SECTORS if s in kb.profiles.sector]),
                             "office_type": rng.choice(["centralised", "decentralised"])},
            "date": "2026-02-01", "assessor": "generator", "scores": scores}


def random_assessments(kb: KnowledgeBase, n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [random_assessment(kb, rng) for _ in range(n)]
