"""Every user-interface string and every knowledge-base text exists in kk, ru and en."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from advisor.models.common import Text

from ..cli.helptexts import all_english_texts

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("advisor/**.py", "python"), ("advisor/reports/templates/**.j2", "jinja2"), ("advisor/web/**.html", "jinja2")]
OPTIONS = {"advisor/reports/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"},
           "advisor/web/**.html": {"extensions": "jinja2.ext.i18n"}}


def extracted_msgids() -> set[str]:
    return {m[2] if isinstance(m[2], str) else m[2][0]
            for m in extract_from_dir(str(ROOT), METHODS, options_map=OPTIONS)}


def used_msgids() -> set[str]:
    """What extraction finds, and every text of the command line's help (read from the click tree)."""
    return extracted_msgids() | all_english_texts()


def test_every_cli_help_text_is_marked_for_extraction() -> None:
    # an unmarked help text (a docstring, help="...") would be dropped as obsolete by the next pybabel update
    assert not sorted(all_english_texts() - extracted_msgids()), "mark them N_(...)"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_ui_string_is_translated(lang: str) -> None:
    catalog = read_po((ROOT / "advisor" / "reports" / "locale" / f"{lang}.po").open("rb"), locale=lang)
    # a plural entry's id is (singular, plural) and its string one form per plural category
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string and all(m.string)}
    missing = sorted(used_msgids() - translated)
    assert not missing, f"untranslated in {lang}.po (run pybabel extract/update, see docs/translations.md): {missing}"
    assert len(used_msgids()) > 80


def all_texts(obj, path="") -> list[tuple[str, Text]]:
    from pydantic import BaseModel
    if isinstance(obj, Text):
        return [(path, obj)]
    out = []
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            out += all_texts(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out += all_texts(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += all_texts(v, f"{path}[{i}]")
    return out


def test_every_knowledge_base_text_is_in_three_languages(kb) -> None:
    texts = all_texts([kb.metadata, kb.scale, kb.methods, kb.dimensions, kb.criteria, kb.profiles, kb.roles,
                       kb.weaknesses, kb.rules, kb.actions])
    assert len(texts) > 900
    for path, text in texts:
        for lang in ("kk", "ru", "en"):
            assert text.get(lang).strip(), f"{path}: no {lang} text"
        assert "\u0259" not in text.kk, f"{path}: Latin 'ə' in Kazakh text"
