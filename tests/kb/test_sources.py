"""The source registry: every criterion, rule and action cites real documents a client can look up, and no
client-facing text carries the authors' internal pointers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from pydantic import BaseModel

from advisor import api
from advisor.errors import AdvisorError
from advisor.models.common import Text
from advisor.models.sources import Sourcing

from ..conftest import MINI, ROOT, edit_yaml

#: pointers that only the authors can follow: seed file numbers, the design notes, paths outside the project
INTERNAL = re.compile(r"\bseed[ -]?0\d\d|\b(note|записк\w*|жазба|дереккөз) 0\d\d|\b0\d\d (жазба|дереккөз)|frameworks|§|"
                      r"\.\./|shared/domain|\[S\]|\[G\]", re.IGNORECASE)
WRONG_AI_LAW = re.compile(r"230-VII(?!I)")


def texts(item: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every client-facing text inside a model (the authors' ``source.note`` is not one)."""
    if isinstance(item, Text):
        for lang in ("kk", "ru", "en"):
            yield f"{where}.{lang}", item.get(lang)  # type: ignore[arg-type]
    elif isinstance(item, Sourcing):
        return
    elif isinstance(item, BaseModel):
        for name in type(item).model_fields:
            yield from texts(getattr(item, name), f"{where}.{name}")
    elif isinstance(item, (list, tuple)):
        for i, x in enumerate(item):
            yield from texts(x, f"{where}[{i}]")
    elif isinstance(item, dict):
        for k, x in item.items():
            yield from texts(x, f"{where}.{k}")


def kb_items(kb) -> Iterator[tuple[str, Any]]:
    for table in ("criteria", "rules", "actions", "weaknesses", "dimensions", "roles", "methods", "documents"):
        for key, item in getattr(kb, table).items():
            yield f"{table}:{key}", item
    yield "profiles", kb.profiles
    yield "scale", kb.scale
    yield "metadata", kb.metadata


def test_every_criterion_rule_and_action_cites_a_registry_document(kb) -> None:
    items = [*kb.criteria.values(), *kb.rules.values(), *kb.actions.values()]
    assert items and all(x.source.cite for x in items)
    assert {c.doc for x in items for c in x.source.cite} <= set(kb.documents)


def test_the_binding_kazakh_acts_are_cited(kb) -> None:
    cited = {c.doc for x in [*kb.rules.values(), *kb.actions.values()] for c in x.source.cite}
    for doc in ("kz-law-ai-230", "kz-decree-925", "kz-decree-832", "kz-order-301", "kz-order-mne-2", "kz-decree-125",
                "kz-concept-2030"):
        assert doc in cited, doc


def test_verified_kazakh_acts_have_number_date_and_where(kb) -> None:
    for d in kb.documents.values():
        if d.verified and d.kind != "international_framework":
            assert d.number and d.date and d.where, d.id
        if d.id.startswith("kz-") and d.verified:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.date or ""), d.id


def test_the_ai_law_is_230_viii_everywhere() -> None:
    assert api.load_kb().documents["kz-law-ai-230"].number.startswith("230-VIII")
    files = [*ROOT.glob("knowledge_base/**/*.yaml"), *ROOT.glob("rules/*.yaml"), *ROOT.glob("examples/*.yaml"),
             *ROOT.glob("roadmaps/*")]
    assert [str(p) for p in files if WRONG_AI_LAW.search(p.read_text(encoding="utf-8"))] == []


def test_no_client_text_holds_internal_pointers(kb) -> None:
    found = [(where, text) for key, item in kb_items(kb) for where, text in texts(item, key) if INTERNAL.search(text)]
    assert found == []


def test_the_shipped_files_point_at_nothing_outside_the_project() -> None:
    for p in [*ROOT.glob("knowledge_base/**/*.yaml"), *ROOT.glob("rules/**/*.yaml")]:
        assert "../shared" not in p.read_text(encoding="utf-8") and "frameworks.md" not in p.read_text(encoding="utf-8"), p


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_reports_show_full_citations_and_never_the_authors_notes(kb, lang: str) -> None:
    ev = api.assess(ROOT / "examples" / "health-body.yaml", kb)
    rm = api.roadmap(ev, kb)
    md = api.render_report(ev, rm, kb, lang, "md")
    assert "Z2500000230" in md and "P1600000832" in md       # the AI law and No. 832, with where to find them
    notes = {x.source.note for x in [*kb.rules.values(), *kb.actions.values()] if x.source.note}
    assert not any(n in md for n in notes)
    assert not INTERNAL.search(md)


def test_source_shorthand_and_unknown_documents(tmp_path: Path, mini_copy: Path) -> None:
    assert Sourcing.model_validate("test").cite[0].doc == "test"
    s = Sourcing.model_validate({"cite": ["a", {"doc": "b", "table": "1"}], "note": "x"})
    assert [c.doc for c in s.cite] == ["a", "b"] and s.cite[1].table == "1"
    with pytest.raises(ValueError):
        Sourcing.model_validate({"cite": []})
    edit_yaml(mini_copy / "rules" / "all.yaml", lambda d: d["rules"][0].update(source={"cite": ["tets"]}))
    with pytest.raises(AdvisorError) as err:
        api.load_kb(mini_copy)
    assert "unknown source document 'tets'" in str(err.value) and "test" in str(err.value)
    assert api.load_kb(MINI).documents["test"].verified is False
