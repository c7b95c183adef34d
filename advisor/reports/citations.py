"""Full citations of the registry documents a report relies on, in the report's language.

Only the registry reaches the client: document, number, date, issuer, where to read it, and a mark when its
details are not verified. Authors' notes (``source.note``) and the verification remarks stay internal.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.common import Lang
from ..models.knowledge import KnowledgeBase
from ..models.sources import Citation, Document, Sourcing
from .i18n import translations


@dataclass(frozen=True)
class CitedDocument:
    number: int
    text: str
    verified: bool
    cited_for: list[str]   # titles of the report's actions and findings that rest on it, with the part cited


def date(value: str) -> str:
    """2025-11-17 -> 17.11.2025; 2025-06 -> 06.2025; 2025 -> 2025 (never an invented day)."""
    return ".".join(reversed(value.split("-")))


def full(doc: Document, lang: Lang) -> str:
    _ = translations(lang).gettext
    parts = [doc.issuer.get(lang), f"«{doc.title.get(lang)}»"]
    if doc.number:
        parts.append(_("No. %(n)s") % {"n": doc.number})
    if doc.date:
        parts.append(date(doc.date))
    text = ", ".join(parts)
    if doc.amended_by:
        text += "; " + _("as amended by %(acts)s") % {"acts": "; ".join(doc.amended_by)}
    text += ". " + (_("Where to find it: %(where)s") % {"where": doc.where} if doc.where
                    else _("No public copy is known."))
    if not doc.verified:
        text += " " + _("(details not yet verified against the published text)")
    return text


def locator(cite: Citation, lang: Lang) -> str:
    _ = translations(lang).gettext
    parts = [(_("art. %(n)s") % {"n": cite.article}) if cite.article else "",
             (_("section %(n)s") % {"n": cite.section}) if cite.section else "",
             (_("Table %(n)s") % {"n": cite.table}) if cite.table else ""]
    return ", ".join(p for p in parts if p)


def cited(kb: KnowledgeBase, items: list[tuple[str, Sourcing]], lang: Lang) -> list[CitedDocument]:
    """The documents behind ``items`` (title, sourcing), numbered in order of first use."""
    order: dict[str, list[str]] = {}
    for title, sourcing in items:
        for c in sourcing.cite:
            where = locator(c, lang)
            label = f"{title} ({where})" if where else title
            uses = order.setdefault(c.doc, [])
            if label not in uses:
                uses.append(label)
    return [CitedDocument(i, full(kb.documents[d], lang), kb.documents[d].verified, uses)
            for i, (d, uses) in enumerate(order.items(), 1)]
