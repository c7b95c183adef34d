"""Bytes of a user's text file to text: UTF-8 (with or without a BOM), or UTF-16/32 with a BOM.

Windows editors save "Unicode" as UTF-16 with a BOM, and that is unambiguous, so it is read. Anything
else that is not UTF-8 is refused with where the first bad byte is and, for the common Windows-1251
case, what the file most likely is.
"""

from __future__ import annotations

import codecs

from ..errors import N_, AdvisorError

BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def decode(name: str, data: bytes) -> str:
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1:exc.start].decode(encoding, "replace")) + 1
        hint = N_("save it as UTF-8 (in most editors: Save as, Encoding: UTF-8)")
        if encoding == "utf-8" and _looks_cyrillic_1251(data):
            hint = N_("it looks like Windows-1251 (Cyrillic) text: save it as UTF-8 (Save as, Encoding: UTF-8)")
        raise AdvisorError.single(name, N_("not UTF-8 text: byte 0x{byte:02x} cannot be read",
                                           byte=data[exc.start]), line=line, column=column, hint=hint) from None


def _looks_cyrillic_1251(data: bytes) -> bool:
    """Most high bytes are Windows-1251 letters (0xC0-0xFF) and the bytes are not UTF-8."""
    high = [b for b in data if b >= 0x80]
    return bool(high) and sum(b >= 0xC0 for b in high) / len(high) > 0.6
