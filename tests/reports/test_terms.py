"""Official terms, one per concept (docs/translations.md): the old forms never come back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .test_i18n import ROOT, all_texts, used_msgids

#: (language, old form, what to write instead); the regexes are the glossary's "old forms" column
OLD: list[tuple[str, str, str]] = [
    ("kk", r"(?i)ситуациялық-талдау", "ахуалдық-талдамалық орталық"),
    ("kk", r"Цифрлық Қазақстан", "Digital Qazaqstan"),
    ("ru", r"Цифров\w+ Казахстан", "Digital Qazaqstan"),
    ("ru", r"конфиденциальност\w* по умолчанию", "встроенная защита данных"),
    ("kk", r"жобалау арқылы құпиялылық", "деректерді кіріктірілген қорғау"),
    ("kk", r"privacy by design", "деректерді кіріктірілген қорғау"),
    ("ru", r"privacy by design", "встроенная защита данных"),
    ("kk", r"\bIT\b", "ІТ (Cyrillic)"),
    ("kk", r"\bOECD\b", "ЭЫДҰ"),
    ("ru", r"\bOECD\b", "ОЭСР"),
    ("kk", r"\bKerzner\b", "Керцнер"),
    ("ru", r"\bKerzner\b", "Керцнер"),
    ("kk", r"\bКезең \d", "N-кезең"),
    ("kk", r"(?i)\bдеңгей \d", "N-деңгей"),
    ("kk", r"\bай \d", "a–b ай"),
    ("kk", r"алғышарты:", "X үшін алғышарт"),
    ("kk", r"^Алдында$", "Алғышарттары"),
    ("kk", r"230-VII(?!I)", "230-VIII"),
    ("ru", r"230-VII(?!I)", "230-VIII"),
]


def offences(lang: str, text: str) -> list[str]:
    return [f"{old!r} (write {new})" for lg, old, new in OLD
            if lg == lang and re.search(old, text, re.MULTILINE)]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_knowledge_base_texts_use_the_official_terms(kb, lang: str) -> None:
    texts = all_texts([kb.metadata, kb.scale, kb.methods, kb.dimensions, kb.criteria, kb.profiles, kb.roles,
                       kb.weaknesses, kb.rules, kb.actions, kb.documents])
    bad = [(path, o) for path, t in texts for o in offences(lang, t.get(lang))]
    assert bad == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_used_catalogue_entries_use_the_official_terms(lang: str) -> None:
    used = used_msgids()
    catalog = read_po((ROOT / "advisor" / "reports" / "locale" / f"{lang}.po").open("rb"), locale=lang)
    bad = []
    for msg in catalog:
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        if key in used:
            for s in ([msg.string] if isinstance(msg.string, str) else list(msg.string)):
                bad += [(key, o) for o in offences(lang, s)]
    assert bad == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_rendered_samples_use_the_official_terms(lang: str) -> None:
    samples = sorted((ROOT / "roadmaps").glob(f"*.{lang}.*"))
    assert len(samples) >= 8
    # ids (W-TEC-LEGACY-IT, R-...) are codes, not language; the glossary governs the words around them
    ids = re.compile(r"\b[WR]-[A-Z]{1,3}-[A-Z0-9-]+")
    bad = [(p.name, o) for p in samples for o in offences(lang, ids.sub("", p.read_text(encoding="utf-8")))]
    assert bad == []


def test_the_old_forms_are_caught() -> None:
    assert offences("kk", "IT-активтер") and offences("ru", "«конфиденциальности по умолчанию»")
    assert offences("kk", "Кезең 1") and not offences("kk", "1-кезең")
    assert not offences("kk", "ІТ-активтер") and not offences("ru", "данные по умолчанию передаются")
    assert offences("kk", "230-VII") and not offences("kk", "230-VIII")


def test_templates_glue_no_word_to_a_number() -> None:
    """Kazakh word order needs whole phrases: no `_("Stage") }} {{ n` or `_("months") }}` left in templates."""
    glued = re.compile(r'_\("(Stage|stage|months|actions|stages|prerequisite of|Prerequisite of)"\)')
    for p in Path(ROOT / "advisor" / "reports" / "templates").rglob("*.j2"):
        assert not glued.search(p.read_text(encoding="utf-8")), p
