"""The portfolio from pairs: one row per body (its latest round, with the trend), dates, links to reports, grouping."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import api
from advisor.io.portfolio import BodyResult, Portfolio

from ..conftest import MINI, mini_assessment, run_cli, write_yaml

ALL_4 = {c.replace(".", "__"): 4 for c in mini_assessment()["scores"]}


def assessment(oid: str, date: str, level: str = "republican", **scores: object) -> api.Assessment:
    data = mini_assessment(**scores)
    data["organisation"].update(id=oid, name=f"Орган {oid}", government_level=level)
    data["date"] = date
    return api.Assessment.model_validate(data)


def test_two_rounds_of_one_body_are_one_row_with_the_trend(mini: api.KnowledgeBase) -> None:
    pairs = [("b1 #2", assessment("b1", "2026-06-01", **ALL_4)), ("b1 #1", assessment("b1", "2026-01-10")),
             ("b2 #1", assessment("b2", "2026-02-01", level="local"))]
    p = api.portfolio_of_assessments(pairs, mini, reports={"b1 #2": "/bodies/b1/"})
    rows = {r.body.id: r for r in p.ranking()}
    assert set(rows) == {"b1", "b2"} and len(p.bodies) == 3
    b1 = rows["b1"]
    assert (b1.body.date, b1.previous.date if b1.previous else None, b1.rounds) == ("2026-06-01", "2026-01-10", 2)
    assert b1.trend == round(4.0 - 3.12, 2) and b1.level_change == 4 - 2
    assert rows["b2"].trend is None and rows["b2"].rounds == 1
    assert p.level_distribution() == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}   # the older round of b1 is not counted again
    table = list(csv.DictReader(io.StringIO(api.portfolio_csv(p, mini))))
    assert [(r["id"], r["date"], r["trend"], r["previous_date"], r["report"]) for r in table] == [
        ("b1", "2026-06-01", "0.88", "2026-01-10", "/bodies/b1/"), ("b2", "2026-02-01", "", "", "")]
    data = json.loads(api.portfolio_json(p, "government_level"))
    assert data["groups"] == [{"group": "republican", "ranking": ["b1"]}, {"group": "local", "ranking": ["b2"]}]


def test_stored_results_give_the_same_rows_as_fresh_ones(mini: api.KnowledgeBase) -> None:
    a = assessment("b1", "2026-01-10")
    ev = api.evaluate(a, mini)
    rm = api.roadmap(ev, mini)
    stored = api.stored_result(a, api.to_jsonable({"scores": ev.scores, "findings": ev.findings}),  # type: ignore[arg-type]
                               api.to_jsonable(rm))  # type: ignore[arg-type]
    fresh = api.portfolio_of_results([("k", ev, rm)], mini)
    again = api.portfolio_of_results([("k", *stored)], mini)
    assert api.portfolio_json(fresh) == api.portfolio_json(again)


def test_grouping_by_an_unknown_field_is_refused(mini: api.KnowledgeBase) -> None:
    import pytest

    from advisor.errors import AdvisorError
    with pytest.raises(AdvisorError, match="unknown grouping"):
        Portfolio("v").grouped("name")


def result(oid: str, date: str, score: float, level: str) -> BodyResult:
    return BodyResult(label=f"{oid}@{date}", id=oid, name=oid, overall_score=score, overall_level=max(1, min(5, int(score))),
                      dimensions={}, weaknesses=[], actions=[], report="", date=date, government_level=level)


rounds = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.dates().map(str),
                            st.floats(1, 5).map(lambda x: round(x, 2)), st.sampled_from(["republican", "local"])),
                  max_size=20)


@settings(max_examples=200, deadline=None)
@given(rounds)
def test_one_row_per_body_and_the_latest_date_kept(given_rounds: list[tuple[str, str, float, str]]) -> None:
    p = Portfolio("v", [result(*r) for r in given_rounds])
    rows = p.latest()
    assert sorted(r.body.id for r in rows) == sorted({r[0] for r in given_rounds})
    for r in rows:
        dates = [d for oid, d, _, _ in given_rounds if oid == r.body.id]
        assert r.body.date == max(dates) and r.rounds == len(dates)
        assert (r.previous is None) == (len(dates) == 1)
        if r.previous is not None:
            assert r.previous.date <= r.body.date and r.previous is not r.body
            assert r.trend == round(r.body.overall_score - r.previous.overall_score, 2)
    grouped = p.grouped("government_level")
    assert sorted(r.body.id for _, g in grouped for r in g) == sorted(r.body.id for r in rows)
    assert all(r.body.government_level == name for name, g in grouped for r in g)
    scores = [r.body.overall_score for _, g in grouped for r in g]
    assert all(sorted(g, key=lambda r: -r.body.overall_score) == g for _, g in grouped) and len(scores) == len(rows)
    assert sum(p.level_distribution().values()) == len(rows)


def test_cli_portfolio_links_dates_trend_and_groups(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    old = mini_assessment()
    new = mini_assessment(**ALL_4)
    new["date"] = "2026-07-01"
    other = mini_assessment()
    other["organisation"].update(id="t2", name="Әкімдік", government_level="local")
    for name, data in (("1-old.yaml", old), ("2-new.yaml", new), ("3-other.yaml", other)):
        write_yaml(d / name, data)
    out = tmp_path / "out"
    run_cli("batch", d, "-o", out, "--kb", MINI, "--group-by", "government_level")
    data = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["date"], r["trend"], r["rounds"]) for r in data["ranking"]] == [
        ("t1", "2026-07-01", 0.88, 2), ("t2", "2026-01-10", None, 1)]
    assert (out / "t1-2026-01-10.en.html").exists()      # every round keeps its report
    html = (out / "portfolio.html").read_text(encoding="utf-8")
    assert html.count('data-body="') == 2 and '<a href="t1-2026-07-01.en.html">' in html
    assert 'data-date="2026-07-01"' in html and 'data-trend="0.88"' in html
    assert html.index('data-group="republican"') < html.index('data-body="t1"') < html.index('data-group="local"') \
        < html.index('data-body="t2"')
    assert "Republican (central) body" in html
    rows = list(csv.reader((out / "portfolio.csv").open(encoding="utf-8")))
    assert [r[:4] for r in rows[1:]] == [["1", "t1", "Тест органы", "2026-07-01"], ["1", "t2", "Әкімдік", "2026-01-10"]]
    run_cli("batch", d, "-o", tmp_path / "bad", "--kb", MINI, "--group-by", "name", code=2)
