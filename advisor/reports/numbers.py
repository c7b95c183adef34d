"""Numbers as a reader of the output's language writes them: «4.26» in English, «4,26» and «1 234,5» (a
no-break space between thousands, from Babel's locale data) in Russian and Kazakh.

The digits are decided once, by the English formatting, and only their symbols change with the language:
a report in three languages shows the same rounding. Machine outputs (JSON, CSV, XLSX cells, SVG
attributes) never come through here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal

from ..models.common import Lang

#: a number as Python writes it in English: optional sign, digits (perhaps grouped by commas), decimals
_ENGLISH = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


def english(x: float | int, places: int = 2) -> str:
    """At most ``places`` decimals, no trailing zeros, no grouping: «4.26», «4.5», «12»."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.{places}f}".rstrip("0").rstrip(".")


def localise(text: str, lang: Lang) -> str:
    """``text``, one number written in English (``english``, ``"%+.2f"``, ``"{:,}"``), in ``lang``'s symbols,
    keeping its sign and every decimal it shows (trailing zeros too). Text that is not one number stays as it is."""
    if lang == "en":
        return text
    found = _ENGLISH.fullmatch(text)
    if found is None:
        return text
    sign, whole, decimals = found.groups()
    places = len(decimals or "")
    pattern = "#,##0" + ("." + "0" * places if places else "")
    value = Decimal(whole.replace(",", "") + ("." + decimals if decimals else ""))
    return sign + format_decimal(value, format=pattern, locale=lang)


def number(x: float | int | None, lang: Lang, places: int = 2) -> str:
    """A figure for a reader: at most ``places`` decimals; «—» for no value."""
    if x is None:
        return "—"
    return localise(english(x, places), lang)


def signed(x: float, lang: Lang, places: int = 2) -> str:
    """A change, always with its sign and ``places`` decimals: «+0.50», «−» as the language writes it."""
    return localise(f"{x:+.{places}f}", lang)


def percent(share: float, lang: Lang, places: int = 0) -> str:
    """A share (0.425) as a percentage: «42.5%» in English, «42,5 %» in Russian, «42,5%» in Kazakh (CLDR)."""
    return number(round(share * 100, places), lang, places) + _percent_sign(lang)


def percent_gap(lang: Lang) -> str:
    """What stands between a figure and its «%» (a figure already in percent, such as an outcome's value)."""
    return _percent_sign(lang)[:-1]


def separator(lang: Lang) -> str:
    """Between the items of a list of figures: «7.5, 21.2» in English, but «7,5; 21,2» where the comma is
    the decimal sign."""
    return "; " if localise("0.5", lang)[1] == "," else ", "


@lru_cache(maxsize=None)
def _percent_sign(lang: Lang) -> str:
    if lang == "en":
        return "%"
    pattern = Locale.parse(lang).percent_formats[None].pattern   # ru "#,##0\xa0%", kk "#,##0%"
    return pattern.split(";")[0][pattern.rindex("0") + 1:]
