"""A sector without a profile of its own says so in every output and language: default weights, and why."""

from __future__ import annotations

import json

import pytest
import yaml

from advisor import api
from advisor.models.assessment import Assessment

from ..conftest import ROOT

UNPROFILED = ["education", "agriculture", "transport", "justice", "other"]
PLAIN = {"en": "the default weights are used", "ru": "применяются веса общего профиля",
         "kk": "жалпы профиль салмақтары қолданылады"}


def body(sector: str, weights: dict[str, float] | None = None) -> Assessment:
    data = yaml.safe_load((ROOT / "examples" / "republican-ministry.yaml").read_text(encoding="utf-8"))
    data["organisation"]["sector"] = sector
    if weights:
        data["weights"] = weights
    return Assessment.model_validate(data)


def test_the_four_sectors_of_the_issue_and_other_have_no_weights_of_their_own(kb) -> None:
    assert [s for s, p in kb.profiles.sector.items() if p is not None and p.weights is None] == UNPROFILED


@pytest.mark.parametrize("sector", UNPROFILED)
def test_every_output_states_the_default_weights(kb, sector: str) -> None:
    ev = api.evaluate(body(sector), kb)
    assert [d.weight for d in ev.scores.dimensions] == [d.weight for d in api.evaluate(body("default"), kb).scores.dimensions]
    note = json.loads(ev.scores.model_dump_json())["sector_note"]
    assert set(note) == {"kk", "ru", "en"} and all(PLAIN[lang] in note[lang] for lang in PLAIN)
    rm = api.roadmap(ev, kb)
    name = kb.profiles.sector[sector].name
    for lang in ("kk", "ru", "en"):
        for fmt in ("md", "html"):
            out = api.render_report(ev, rm, kb, lang, fmt)
            assert PLAIN[lang] in out and getattr(name, lang) in out, (sector, lang, fmt)


def test_a_sector_with_its_own_profile_or_explicit_weights_has_no_note(kb) -> None:
    assert api.evaluate(body("health"), kb).scores.sector_note is None
    assert api.evaluate(body("education", {"strategy": 1, "organisation": 1, "technology": 1, "culture": 1}),
                        kb).scores.sector_note is None
    md = api.render_report(*(lambda ev: (ev, api.roadmap(ev, kb)))(api.evaluate(body("health"), kb)), kb, "en", "md")
    assert PLAIN["en"] not in md
