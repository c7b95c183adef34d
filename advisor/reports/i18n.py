"""User-interface strings in Kazakh, Russian and English, from gettext catalogues (``advisor/locale/*.po``).

English is the source language (the msgids). Catalogues are read with Babel at run time, so there is
no compile step to forget; a test checks that every msgid used anywhere has a kk and ru translation.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..models.common import Lang
from . import numbers


class Catalogue(gettext.GNUTranslations):
    """A language's messages, and its way of writing the numbers a message carries (see ``errors.Msg``)."""

    lang: Lang

    def number(self, text: str) -> str:
        return numbers.localise(text, self.lang)


@lru_cache(maxsize=None)
def translations(lang: Lang) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    path = resources.files("advisor.reports.locale") / f"{lang}.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    catalogue = Catalogue(buf)
    catalogue.lang = lang
    return catalogue
