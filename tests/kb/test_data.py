"""Assessments and progress given as data: problems keyed by field path."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from advisor import api
from advisor.errors import AdvisorError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "health-body.yaml"


def data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def fields(err: AdvisorError) -> set[str | None]:
    return {p.field for p in err.problems}


def test_valid_data_is_the_same_assessment_as_the_file(kb) -> None:
    assert api.validate_assessment(data(), kb) == api.assess(EXAMPLE, kb).assessment


@pytest.mark.parametrize("change, field", [
    (lambda d: d["scores"]["strategy.monitoring"].update(score=7), "scores.strategy.monitoring.score"),
    (lambda d: d["scores"].update({"strategy.monitorin": 3}), "scores.strategy.monitorin"),
    (lambda d: d["scores"]["strategy.monitoring"].update(method="astrology"), "scores.strategy.monitoring.method"),
    (lambda d: d["organisation"].update(sector="space"), "organisation.sector"),
    (lambda d: d["organisation"].pop("id"), "organisation.id"),
    (lambda d: d.update(date="yesterday"), "date"),
])
def test_problems_are_keyed_by_field_path(kb, change, field) -> None:
    d = copy.deepcopy(data())
    change(d)
    with pytest.raises(AdvisorError) as exc:
        api.validate_assessment(d, kb, origin="web round 3")
    assert field in fields(exc.value)
    assert all(p.file == "web round 3" and p.line is None for p in exc.value.problems)


def test_not_a_mapping(kb) -> None:
    with pytest.raises(AdvisorError, match="expected a mapping"):
        api.validate_assessment([1, 2], kb)


def test_progress_as_data(kb) -> None:
    action = sorted(kb.actions)[0]
    p = api.validate_progress({"done": [{"action": action, "date": "2026-01-01"}]}, kb)
    assert p.done[0].action == action
    with pytest.raises(AdvisorError) as exc:
        api.validate_progress({"done": [{"action": action, "date": "2026-01-01"}], "in_progress": [{"action": action}]}, kb)
    assert fields(exc.value) == {"in_progress[0].action"}
    with pytest.raises(AdvisorError) as exc:
        api.validate_progress({"done": [{"action": "NOPE-1", "date": "2026-01-01"}]}, kb)
    assert fields(exc.value) == {"done[0].action"}
