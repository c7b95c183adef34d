"""Reports: the HTML is self-contained and its charts carry the right numbers; Markdown matches its golden file."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from advisor import api
from advisor.models.assessment import Assessment
from advisor.reports.charts import gantt, radar

from ..conftest import MINI, mini_assessment, run_cli, write_yaml

GOLDEN = Path(__file__).parent / "golden"


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, attr: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and attr in a]


def render(lang: str, fmt: str, targets: list[str] | None = None) -> str:
    kb = api.load_kb(MINI)
    ev = api.evaluate(Assessment.model_validate(mini_assessment()), kb)
    rm = api.roadmap(ev, kb, targets=api.parse_targets(targets or [], kb))
    return api.render_report(ev, rm, kb, lang, fmt)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_html_charts_carry_the_numbers(lang: str) -> None:
    html = render(lang, "html", ["culture=3"])
    doc = Elements()
    doc.feed(html)
    axes = doc.find("line", "data-axis")
    assert [a["data-axis"] for a in axes] == ["strategy", "organisation", "technology", "culture"]
    points = {p["data-dimension"]: float(p["data-score"]) for p in doc.find("circle", "data-dimension")}
    assert points == {"strategy": 2.75, "organisation": 3.0, "technology": 4.5, "culture": 1.75}
    # culture as asked; the others keep the profile's target level (republican: 4)
    assert [c["data-target"] for c in doc.find("circle", "data-target")] == ["4", "4", "4", "3"]
    bars = {b["data-action"]: (int(b["data-start"]), int(b["data-finish"])) for b in doc.find("rect", "data-action")}
    assert bars == {"STR-01": (0, 3), "HUM-01": (0, 2), "HUM-02": (2, 5)}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_html_is_self_contained_and_escaped(lang: str, tmp_path: Path) -> None:
    data = mini_assessment()
    data["organisation"]["name"] = "<script>alert(1)</script> & Co"
    kb = api.load_kb(MINI)
    ev = api.evaluate(Assessment.model_validate(data), kb)
    html = api.render_report(ev, api.roadmap(ev, kb), kb, lang, "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    doc = Elements()
    doc.feed(html)
    for tag, attrs in doc.elements:
        for name in ("src", "href"):
            assert not attrs.get(name), f"<{tag} {name}=…> fetches something"
        assert tag not in {"script", "link", "img", "iframe"}
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    assert "@media print" in html and "size:A4" in html


def test_radar_geometry() -> None:
    r = radar([("a", "A", 5, None), ("b", "B", 2.5, 4), ("c", "C", 1, None)], size=300, width=300)
    top = r.axes[0]
    assert (top.x, top.vx) == (150.0, 150.0) and top.vy == top.y          # 5 reaches the end of the axis
    b = r.axes[1]
    # 2.5 of 5 is halfway along the axis
    assert abs((b.vx - r.cx) * 2 - (b.x - r.cx)) < 0.2 and abs((b.vy - r.cy) * 2 - (b.y - r.cy)) < 0.2
    assert r.target is not None and len(r.rings) == 5


def test_gantt_geometry() -> None:
    g = gantt([("A", "A", 0, 3, True, 1), ("B", "B", 3, 9, True, 2)], total=9, width=460, left=100)
    a, b = g.bars
    assert a.x == 100 and b.x == pytest.approx(100 + 3 * 350 / 9, abs=0.1)
    assert b.width == pytest.approx(2 * a.width, abs=0.2) and b.y > a.y
    assert g.ticks[0] == (100, 0, "0") and g.ticks[-1][1] == 9


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_markdown_golden(lang: str) -> None:
    text = render(lang, "md", ["culture=3"])
    golden = GOLDEN / f"mini-report.{lang}.md"
    if os.environ.get("ADVISOR_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "regenerate with ADVISOR_UPDATE_GOLDEN=1 pytest tests/reports/test_report.py"


def test_report_to_missing_or_unwritable_place(tmp_path: Path, monkeypatch) -> None:
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    assert "does not exist" in run_cli("report", a, "--kb", MINI, "-o", tmp_path / "missing" / "r.html", code=2).output
    import advisor.io.output as output

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", denied)
    out = run_cli("report", a, "--kb", MINI, "-o", tmp_path / "r.html", code=2).output
    assert "cannot write here: Permission denied" in out and not (tmp_path / "r.html").exists()


def test_a_failed_write_keeps_the_previous_report(tmp_path: Path, monkeypatch) -> None:
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    out = tmp_path / "r.html"
    out.write_text("previous report", encoding="utf-8")
    import advisor.io.output as output

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", no_space)
    assert "No space left" in run_cli("report", a, "--kb", MINI, "-o", out, code=2).output
    assert out.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "r.html"]   # no temporary file left


def test_next_level_findings_are_one_table_not_a_list_of_weaknesses() -> None:
    """A mature agency (level 4) has one real weakness and two dozen criteria at 4 that could reach 5. A consultant
    does not hand a deputy minister 25 "weaknesses": the steps up are one table, out of the weakness count and the
    summary's most serious weaknesses, and every one of them is still shown."""
    kb = api.load_kb()
    ev = api.assess("examples/mature-agency.yaml", kb)
    rm = api.roadmap(ev, kb)
    view = api.report_view(ev, rm, kb, "en")
    from advisor.reports.view import is_next_level
    open_ = [w for w in ev.findings.weaknesses if not w.addressed]
    steps = [w for w in open_ if is_next_level(kb, w)]
    assert len(steps) >= 20 and len(view.next_level) == len(steps) and len(view.gaps) == len(open_) - len(steps)
    assert [w.id for w in view.gaps] == ["W-HUM-SENSITIVE-DATA-SKILLS"]
    assert all(not is_next_level(kb, w) for _, ws in view.groups for w in ws)
    assert ("culture.motivation", 3.5, 4) in view.next_level   # the agency's stated gap is still there, at level 4
    for lang in ("kk", "ru", "en"):
        md = api.render_report(ev, rm, kb, lang, "md")
        html = api.render_report(ev, rm, kb, lang, "html")
        roadmap = api.gettext_for(lang)("Transformation roadmap")   # its actions say what they remedy, by title
        for text in (md.split("## " + roadmap)[0], html.split('<section id="roadmap">')[0]):
            assert "level 5 not yet reached" not in text and "5-деңгейге әлі жетпеген" not in text
            assert "уровень 5 ещё не достигнут" not in text
            assert kb.criteria["culture.motivation"].levels[4].get(lang) in text   # each step shows its next level
    # a foundational weakness of a low-level body stays a weakness
    low = api.assess("examples/local-akimat.yaml", kb)
    low_view = api.report_view(low, api.roadmap(low, kb), kb, "en")
    assert low_view.gaps and all(not is_next_level(kb, w) for w in low_view.gaps)
