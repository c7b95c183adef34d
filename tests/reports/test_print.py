"""What keeps the printed report short (about a dozen A4 pages for an example) and honest about it: the consultant's
material is marked screen-only, the print stylesheet hides it and gives each action one line, and the method note on
paper says what was left out. (Page counts themselves are measured with Chromium, see docs/cli.md.)"""

from __future__ import annotations

import re

import pytest

from advisor import api


def _print_css(html: str) -> str:
    css = "".join(re.findall(r"@media print \{(.*?)\n\}", html, re.S))
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_paper_drops_the_consultants_material_and_says_so(lang: str) -> None:
    kb = api.load_kb()
    ev = api.assess("examples/republican-ministry.yaml", kb)
    rm = api.roadmap(ev, kb)
    html = api.render_report(ev, rm, kb, lang, "html")
    css = _print_css(html)
    # hidden on paper: the screen-only blocks, the criteria's evidence, what each source is cited for
    assert '<body class="paper-leadership">' in html
    assert (".paper-leadership .screen-only, .paper-leadership table.criteria .evidence, "
            ".paper-leadership ol.sources .cited-for { display:none; }") in css
    assert '<table class="scale screen-only">' in html and '<details class="screen-only trace">' in html
    assert html.count('class="small muted cited-for"') == len(api.report_view(ev, rm, kb, lang).sources)
    # one line per action: the description, remedies and months hidden, the short effort and wait shown
    assert (".paper-leadership table.roadmap .desc, .paper-leadership table.roadmap .months, "
            ".paper-leadership table.roadmap .in-full { display:none; }") in css
    rows = re.findall(r'<tr class="[^"]*">\s*<td><span class="id">(.*?)</tr>', html, re.S)
    assert len(rows) == len(rm.items)
    for row in rows:
        assert row.count('class="in-short"') == 2 and 'class="months"' in row and 'class="small desc"' in row
    # the note that says so prints, and only prints
    assert ".print-only { display:none; }" in html and ".paper-leadership .print-only { display:block; }" in css
    note = re.search(r'<p class="print-only">(.*?)</p>', html, re.S)
    assert note and len(note[1]) > 100
    # no forced page break but before the roadmap, so no near-empty page after a short section
    assert re.findall(r"section#(\w+) \{ break-before:page; \}", css) == ["roadmap"]


def test_the_full_paper_copy_prints_what_the_screen_shows(tmp_path) -> None:
    """``--paper full``: no rule of the leadership's copy applies (each is scoped to it), so paper holds everything."""
    kb = api.load_kb()
    ev = api.assess("examples/local-akimat.yaml", kb)
    rm = api.roadmap(ev, kb)
    full = api.render_report(ev, rm, kb, "ru", "html", paper="full")
    assert '<body class="paper-full">' in full and "paper-leadership" not in full.split("<body", 1)[1]
    # every print rule that hides something is the leadership copy's
    hiding = re.findall(r"([^{}]+)\{[^}]*display:none", _print_css(full))
    assert hiding and all(s.strip().startswith(".paper-leadership") or "summary::-webkit" in s for s in hiding)
    with pytest.raises(api.AdvisorError):
        api.render_report(ev, rm, kb, "ru", "html", paper="poster")


def test_report_paper_option(tmp_path) -> None:
    from ..conftest import run_cli
    out = tmp_path / "r.html"
    run_cli("report", "examples/mature-agency.yaml", "--paper", "full", "-o", out)
    assert '<body class="paper-full">' in out.read_text(encoding="utf-8")
    assert "--paper" in run_cli("report", "examples/mature-agency.yaml", "--paper", "poster", "-o", out, code=2).output
