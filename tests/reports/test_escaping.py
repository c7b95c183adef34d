"""Every template escapes by its output kind; nothing marks text safe or builds a template from text."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.reports import neutral
from advisor.reports.render import environment, kind_of

TEMPLATES = Path(__file__).resolve().parents[2] / "advisor" / "reports" / "templates"
PACKAGE = TEMPLATES.parents[1]


def test_no_template_marks_text_safe_or_turns_escaping_off() -> None:
    for path in TEMPLATES.rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, path


def test_no_template_is_built_from_a_string() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert "from_string" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("name, kind", [("report/report.html.j2", "html"), ("portfolio/portfolio.html.j2", "html"),
                                        ("report/report.md.j2", "md"), ("text/assess.txt.j2", "text"),
                                        ("assessment.yaml.j2", "yaml")])
def test_each_top_level_template_has_a_kind(name: str, kind: str) -> None:
    assert kind_of(name) == kind
    assert (TEMPLATES / name).is_file()


def test_every_top_level_template_is_covered() -> None:
    tops = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.j2") if not p.name.startswith("_")
            and p.name != "style.css.j2"]
    assert all(kind_of(t) in {"html", "md", "text", "yaml"} for t in tops)


def test_a_macro_escapes_in_html_and_not_in_text() -> None:
    """Macros in _macros.j2 were compiled without autoescaping and returned raw text marked safe in HTML."""
    source = '{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{{ m(v) }}'
    from jinja2 import DictLoader
    for kind, expected in [("html", "<b>&lt;i&gt;\ufffd</b>"), ("text", "<b><i>\ufffd</b>")]:
        env = environment("en", kind).overlay(loader=DictLoader({"t.j2": source}))
        assert env.get_template("t.j2").render(v="<i>\x1b") == expected


def test_a_template_expression_in_data_stays_literal() -> None:
    env = environment("en", "html").overlay(loader=__import__("jinja2").DictLoader({"t.j2": "{{ v }}"}))
    assert env.get_template("t.j2").render(v="{{7*7}}") == "{{7*7}}"


@pytest.mark.parametrize("text, expected", [
    ("<script>x</script>", "&lt;script>x&lt;/script>"),
    ("[a](javascript:x)", "\\[a\\](javascript:x)"),
    ("![i](javascript:x)", "!\\[i\\](javascript:x)"),
    ("<javascript:x>", "&lt;javascript:x>"),
    ("a | b", "a \\| b"),
    ("`code`", "\\`code\\`"),
    ("&amp; & 1 < 2", "&amp;amp; & 1 < 2"),
    ("line\nbreak\r\n# heading", "line break # heading"),
    ("\\[x]", "\\\\\\[x\\]"),
])
def test_markdown_escaping(text: str, expected: str) -> None:
    assert neutral.markdown(text) == expected


@pytest.mark.parametrize("text", ["\x1b[2J", "a\rb", "\x9b31m", "\u202egnp.exe", "\x07", "\x7f"])
def test_terminal_neutralises_controls(text: str) -> None:
    out = neutral.terminal(text)
    assert "\ufffd" in out and not any(ch in out for ch in "\x1b\r\x9b\u202e\x07\x7f")


def test_terminal_keeps_ordinary_text() -> None:
    assert neutral.terminal("Министрлік\tқ\n😀") == "Министрлік\tқ\n😀"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_that_look_like_formulas_are_quoted(value: str) -> None:
    assert neutral.cell(value).startswith("'")


def test_csv_numbers_and_plain_text_pass() -> None:
    assert neutral.cell(-1.5) == -1.5 and neutral.cell("Ministry = health") == "Ministry = health"
