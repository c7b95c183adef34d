"""Numbers in the reader's language: «4,26» and «1 234,5» in Russian and Kazakh, English as before; the
machine outputs (JSON) never change with the language."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from advisor import api
from advisor.reports import neutral, numbers

from ..conftest import EXAMPLES, edit_yaml, run_cli

NBSP = "\xa0"


@pytest.mark.parametrize(("x", "en", "ru"), [
    (4.26, "4.26", "4,26"), (4.5, "4.5", "4,5"), (12, "12", "12"), (3.0, "3", "3"), (1234.5, "1234.5", "1\xa0234,5"),
    (500000000, "500000000", "500\xa0000\xa0000"), (-0.25, "-0.25", "-0,25"), (None, "—", "—"), (2.004, "2", "2")])
def test_a_figure_in_each_language(x: float | None, en: str, ru: str) -> None:
    assert numbers.number(x, "en") == en
    assert numbers.number(x, "ru") == ru and numbers.number(x, "kk") == ru


def test_changes_and_percentages() -> None:
    assert [numbers.signed(x, "en") for x in (0.5, -1.25, 0)] == ["+0.50", "-1.25", "+0.00"]
    assert [numbers.signed(x, "ru") for x in (0.5, -1.25, 0)] == ["+0,50", "-1,25", "+0,00"]
    # CLDR: Russian puts a no-break space before the sign, Kazakh does not
    assert (numbers.percent(0.425, "en", 1), numbers.percent(0.425, "ru", 1), numbers.percent(0.425, "kk", 1)) == \
        ("42.5%", "42,5\xa0%", "42,5%")
    assert numbers.percent(1.0, "ru") == "100\xa0%" and numbers.percent(1.0, "en") == "100%"
    assert numbers.separator("en") == ", " and numbers.separator("ru") == numbers.separator("kk") == "; "


def test_only_one_number_is_localised() -> None:
    assert numbers.localise("1,000,000", "ru") == "1\xa0000\xa0000"   # an English "{:,}"
    for text in ("2026.11.0", "v2.1-beta", "4.5 MB", "", "—"):
        assert numbers.localise(text, "kk") == text


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 4), st.sampled_from(["ru", "kk"]))
def test_every_language_shows_the_same_digits(x: float, places: int, lang: str) -> None:
    # the rounding is decided once: a report in Russian and in English never disagree on a figure
    shown = numbers.number(x, lang, places)  # type: ignore[arg-type]
    assert "." not in shown
    assert shown.replace(NBSP, "").replace(",", ".") == numbers.number(x, "en", places)


# --- every rendered sample ---------------------------------------------------------------------------------

#: a number written with a decimal point: not part of a dotted chain (a version 2026.11.0, a date 15.01.2026,
#: a clause 3.2.1) and not in a DOI; act numbers («No. 2», «№ 2(93)») have no digit before their dot
DOTTED = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
DOI = re.compile(r"\bDOI:? *10\.\d+/\S+")


def strings_of(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings_of(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings_of(v)]
    return []


def prose(text: str, kind: str, given: list[str]) -> str:
    """What a reader reads as our text: no markup, no attributes, no code spans, no link; and without the
    assessment's own words (evidence, names, sources), which are the office's, printed as written."""
    if kind == "html":
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    else:
        text = re.sub(r"`[^`]*`", " ", text)
    for s in sorted(given, key=len, reverse=True):
        for form in {s, " ".join(s.split()), neutral.markdown(s)}:
            text = text.replace(form, " ")
    return DOI.sub(" ", re.sub(r"https?://\S+", " ", text))


def dotted_decimals(text: str) -> list[str]:
    return [text[max(0, m.start() - 50):m.end() + 20] for m in DOTTED.finditer(text)]


@pytest.fixture(scope="module")
def rendered(kb, tmp_path_factory) -> dict[str, tuple[str, str, list[str]]]:
    """name -> (text, kind, the assessment's own strings): every report, next-steps and compare page of
    every example in kk, ru and en."""
    tmp = tmp_path_factory.mktemp("older")
    out: dict[str, tuple[str, str, list[str]]] = {}
    for path in EXAMPLES:
        older = tmp / path.name
        older.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")

        def earlier(data: dict[str, Any]) -> None:   # an earlier round, half a point lower where it can be
            data["date"] = "2025-09-01"
            for entry in data["scores"].values():
                if isinstance(entry, dict) and isinstance(entry.get("score"), (int, float)) and entry["score"] > 1.5:
                    entry["score"] -= 0.5
        edit_yaml(older, earlier)
        given = strings_of(yaml.safe_load(path.read_text(encoding="utf-8")))
        ev, rm = api.plan_for(path, kb)
        nx = api.next_steps(rm, kb)
        cmp = api.compare(older, path, kb)
        for lang in ("kk", "ru", "en"):
            for fmt in ("html", "md"):
                out[f"{path.stem}.report.{lang}.{fmt}"] = (api.render_report(ev, rm, kb, lang, fmt), fmt, given)
                out[f"{path.stem}.next.{lang}.{fmt}"] = (api.render_page("next", fmt, lang, kb, ev=ev, rm=rm, nx=nx), fmt, given)
                out[f"{path.stem}.compare.{lang}.{fmt}"] = (api.render_page("compare", fmt, lang, kb, cmp=cmp), fmt, given)
            for name, ctx in (("assess", {"ev": ev}), ("roadmap", {"ev": ev, "rm": rm}), ("gap", {"ev": ev, "rm": rm}),
                              ("next", {"ev": ev, "rm": rm, "nx": nx}), ("compare", {"cmp": cmp})):
                out[f"{path.stem}.{name}.{lang}.txt"] = (api.render_text(name, lang, kb, **ctx), "txt", given)
    return out


def test_no_decimal_point_in_kazakh_and_russian_prose(rendered) -> None:
    wrong = {name: found for name, (text, kind, given) in rendered.items() if ".en." not in name
             and (found := dotted_decimals(prose(text, kind, given)))}
    assert not wrong, wrong
    # and the check would see one: the English ones have them, the others commas
    assert all(dotted_decimals(prose(t, k, g)) for n, (t, k, g) in rendered.items() if ".en." in n and ".report." in n)
    assert all(re.search(r"\d,\d", t) for n, (t, _, _) in rendered.items() if ".en." not in n and ".report." in n)


def test_lists_of_figures_are_not_ambiguous(rendered) -> None:
    # «2026 7,5, 2027 21,2» would read as three numbers: where the comma is the decimal sign, figures are
    # separated by semicolons
    for name, (text, _, _) in rendered.items():
        if ".report." in name and ".en." not in name:
            assert not re.search(r"\d,\d+, \d", text), name


def test_svg_labels_follow_the_language_and_attributes_do_not(kb) -> None:
    path = next(p for p in EXAMPLES if "mature" in p.stem)
    ev, rm = api.plan_for(path, kb)
    ru = api.render_report(ev, rm, kb, "ru", "html")
    en = api.render_report(ev, rm, kb, "en", "html")
    score = next(d.score for d in ev.scores.dimensions if not float(d.score).is_integer())
    assert f'class="value">{numbers.number(score, "ru")}</tspan>' in ru and f'class="value">{score:g}</tspan>' in en
    # the geometry and the data the charts carry are the same in every language, written with points
    same = re.compile(r' (points|cx|cy|width|data-(?:score|target|start|finish|level))="([^"]*)"')
    assert same.findall(ru) == same.findall(en) and len(same.findall(en)) > 50
    coordinates = re.compile(r' (?:x|y|x1|y1|x2|y2|cx|cy|width|height|points|viewBox)="([^"]*)"')
    assert all(re.fullmatch(r"[-\d. ,]*", v) and "\xa0" not in v for v in coordinates.findall(ru))


@pytest.mark.parametrize("command", ["assess", "roadmap", "gap", "next"])
def test_json_does_not_depend_on_the_language(command: str, tmp_path: Path) -> None:
    example = str(EXAMPLES[0])
    outputs = {lang: run_cli(command, example, "--format", "json", "--lang", lang).output
               for lang in ("en", "ru", "kk")}
    assert outputs["en"] == outputs["ru"] == outputs["kk"]
    assert re.search(r'": \d+\.\d+', outputs["en"])    # a JSON number keeps its point


def test_numbers_inside_messages_follow_the_language() -> None:
    from advisor.errors import N_
    rows = N_("more than {count:,} rows", count=1_000_000)
    line = N_("duplicate key {key!r} (first given on line {line})", key="a", line=12345)
    value = N_("expected a value from {minimum} to {maximum} for the unit {unit!r}, got {value}", minimum=0.0,
               maximum=100.0, unit="percent", value=104.5)
    assert rows.localise(api.gettext_for("en")) == "more than 1,000,000 rows" == str(rows)
    assert "1\xa0000\xa0000" in rows.localise(api.gettext_for("ru")) and "1\xa0000\xa0000" in rows.localise(api.gettext_for("kk"))
    assert "12345" in line.localise(api.gettext_for("ru"))          # a line number is not a quantity: never grouped
    assert "104,5" in value.localise(api.gettext_for("kk")) and "100,0" in value.localise(api.gettext_for("ru"))
