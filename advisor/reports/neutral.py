"""Neutralising text from files before it goes into an output: nothing a user or a knowledge base wrote
may act as markup, a link, a terminal command or a spreadsheet formula."""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab and newline, DEL, C1 controls (U+009B is a one-character CSI), and the bidirectional
# overrides that make a terminal or editor show text in an order other than the one it is stored in
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")
# only a '<' before a letter, '/', '!' or '?' can open HTML or an autolink, only a '&' before a letter or '#' an entity
_MD_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=[A-Za-z#])")


def terminal(value: Any) -> str:
    """Text for a terminal: control characters (escape sequences, carriage returns, C1) shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", str(value))


def one_line(value: Any) -> str:
    """Text for a single-line slot (a YAML comment): line breaks become spaces, controls U+FFFD."""
    return terminal(" ".join(str(value).splitlines()))


def markdown(value: Any) -> str:
    """Text for Markdown: HTML special characters as entities (no raw HTML, no <autolink:>), backslashes before
    the characters of link, image, code and table syntax, line breaks as spaces, controls neutralised."""
    text = one_line(value)
    text = _MD_HTML.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


#: OWASP's CSV-injection rule: a cell starting with one of these is a formula to Excel, LibreOffice and Sheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: Any) -> Any:
    """A CSV cell that cannot be a formula: text starting like one gets a leading single quote (OWASP);
    numbers pass unchanged."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("\ufffd", value)
    return "'" + text if value.startswith(_FORMULA_START) else text


def sheet_text(value: Any) -> Any:
    """An XLSX cell value that openpyxl stores as text, never as a formula, and that XML can hold: the caller
    marks formula-like text as a string cell (see ``formula_like``)."""
    return _CONTROL.sub("\ufffd", value) if isinstance(value, str) else value


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)
