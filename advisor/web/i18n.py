"""The web's strings come from the same gettext catalogues as the reports (``advisor/reports/locale``),
read with Babel at run time: no compiled .mo files to forget. Django keeps track of the active language."""

from __future__ import annotations

from django.utils.translation import get_language

from .. import api, errors


def lang() -> str:
    code = (get_language() or "ru")[:2]
    return code if code in {"kk", "ru", "en"} else "ru"


def gettext(message: str) -> str:
    return api.translations(lang()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return api.translations(lang()).ngettext(singular, plural, n)


def localise(text: str) -> str:
    """A library message (a msgid with its arguments) in the user's language."""
    return errors.localise(text, gettext)


_ = gettext
