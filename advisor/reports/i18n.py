"""User-interface strings in Kazakh, Russian and English, from gettext catalogues (``advisor/locale/*.po``).

English is the source language (the msgids). Catalogues are read with Babel at run time, so there is
no compile step to forget; a test checks that every msgid used anywhere has a kk and ru translation.
Compiling a catalogue is about 0.09 s of every kk or ru command, so the compiled form (gettext's .mo) is kept
in the per-user cache while the .po and Babel are the same, as the knowledge base is: read only from a private
folder, behind a SHA-256 of its content, else compiled again.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from functools import lru_cache
from importlib import resources

import babel

from ..models.common import Lang
from ..private import cache_dir, open_private, write_private
from . import numbers

#: a compiled catalogue larger than this is not read from the cache (the shipped ones are about 0.4 MB)
MAX_COMPILED = 16 << 20


class Catalogue(gettext.GNUTranslations):
    """A language's messages, and its way of writing the numbers a message carries (see ``errors.Msg``)."""

    lang: Lang

    def number(self, text: str) -> str:
        return numbers.localise(text, self.lang)


@lru_cache(maxsize=None)
def translations(lang: Lang) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    catalogue = Catalogue(io.BytesIO(compiled(lang)))
    catalogue.lang = lang
    return catalogue


def compiled(lang: str) -> bytes:
    """The .mo of ``lang``'s catalogue: from the cache when it holds this .po compiled by this Babel (behind a
    SHA-256 of its content), else compiled now and stored."""
    po = (resources.files("advisor.reports.locale") / f"{lang}.po").read_bytes()
    key = hashlib.sha256(babel.__version__.encode() + b"\0" + po).hexdigest()[:32]
    base = cache_dir()
    path = base / "catalogues" / f"{lang}-{key}.mo" if base is not None else None
    fh = open_private(path) if path is not None else None
    if fh is not None:
        with fh:
            blob = fh.read(MAX_COMPILED + 66)
        digest, _, mo = blob.partition(b"\n")
        if digest == hashlib.sha256(mo).hexdigest().encode():
            return mo
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    buf = io.BytesIO()
    write_mo(buf, read_po(io.BytesIO(po), locale=lang))
    mo = buf.getvalue()
    if path is not None and write_private(path, lambda out: out.write(hashlib.sha256(mo).hexdigest().encode() + b"\n" + mo)):
        for old in path.parent.glob(f"{lang}-*.mo"):   # the catalogues of earlier versions
            if old != path:
                old.unlink(missing_ok=True)
    return mo
