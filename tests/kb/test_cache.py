"""The parsed-file cache: reused when nothing changed, ignored and rebuilt when damaged, stale or not private."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from advisor.kb import cache, loading
from advisor.kb import sourcefile as sf

from ..conftest import MINI


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    return tmp_path / "cache" / "advisor"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually parsed (cache misses)."""
    seen: list[str] = []

    def spy(path: Path, **kwargs: Any) -> sf.Source:
        seen.append(Path(path).name)
        return sf.parse(path, **kwargs)
    monkeypatch.setattr(cache, "parse", spy)
    return seen


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "kb"))


def same(a: object, b: object) -> None:
    for field in ("content_hash", "criteria", "rules", "weaknesses", "actions", "profiles", "dimensions"):
        assert getattr(a, field) == getattr(b, field)
    assert {k: (o.source.path, o.loc, o.source.where(o.loc)) for k, o in a.origins.items()} == {  # type: ignore[attr-defined]
        k: (o.source.path, o.loc, o.source.where(o.loc)) for k, o in b.origins.items()}  # type: ignore[attr-defined]


def the_cache(home: Path) -> Path:
    files = list(home.glob("kb-*.cache"))
    assert len(files) == 1
    return files[0]


def test_an_unchanged_knowledge_base_is_not_parsed_again(home: Path, parses: list[str], kb_dir: Path) -> None:
    first = loading.load_kb(kb_dir)
    n = len(parses)
    assert n >= 10
    second = loading.load_kb(kb_dir)
    assert len(parses) == n      # every file came from the cache
    same(first, second)
    f = the_cache(home)
    assert f.stat().st_mode & 0o777 == 0o600 and home.stat().st_mode & 0o077 == 0


def test_a_changed_file_is_parsed_again_and_its_new_content_used(home: Path, parses: list[str], kb_dir: Path) -> None:
    loading.load_kb(kb_dir)
    rules = kb_dir / "rules" / "all.yaml"
    text = rules.read_text(encoding="utf-8")
    rid = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("- id:"))
    rules.write_text(text.replace(rid, rid + "-X", 1), encoding="utf-8")
    parses.clear()
    kb = loading.load_kb(kb_dir)
    assert parses == ["all.yaml"] and rid + "-X" in kb.rules and rid not in kb.rules


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "other format"])
def test_a_damaged_cache_is_ignored_and_rebuilt(home: Path, parses: list[str], kb_dir: Path, damage: str) -> None:
    good = loading.load_kb(kb_dir)
    f = the_cache(home)
    blob = f.read_bytes()
    f.write_bytes({"truncate": blob[: len(blob) // 2], "flip": blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:],
                   "garbage": os.urandom(4000), "empty": b"",
                   "other format": blob.replace(cache.FORMAT, b"advisor-kb-cache-0", 1)}[damage])
    parses.clear()
    same(loading.load_kb(kb_dir), good)
    assert len(parses) >= 10                     # parsed afresh
    parses.clear()
    loading.load_kb(kb_dir)
    assert parses == []                          # and the rebuilt cache is used next time


@pytest.mark.parametrize("loose", ["file", "folder"])
def test_a_cache_others_can_write_is_never_read(home: Path, parses: list[str], kb_dir: Path, loose: str) -> None:
    loading.load_kb(kb_dir)
    target = the_cache(home) if loose == "file" else home
    target.chmod(0o666 if loose == "file" else 0o777)
    parses.clear()
    loading.load_kb(kb_dir)
    assert len(parses) >= 10


def test_a_link_in_place_of_the_cache_is_not_followed(home: Path, parses: list[str], kb_dir: Path, tmp_path: Path) -> None:
    loading.load_kb(kb_dir)
    f = the_cache(home)
    elsewhere = tmp_path / "elsewhere.cache"
    f.rename(elsewhere)
    f.symlink_to(elsewhere)
    parses.clear()
    loading.load_kb(kb_dir)
    assert len(parses) >= 10


def test_the_cache_can_be_turned_off(home: Path, parses: list[str], kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    loading.load_kb(kb_dir)
    loading.load_kb(kb_dir)
    assert not home.exists() and len(parses) >= 20


def test_a_knowledge_base_with_problems_is_not_cached(home: Path, kb_dir: Path) -> None:
    (kb_dir / "rules" / "all.yaml").write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(loading.AdvisorError):
        loading.load_kb(kb_dir)
    assert not list(home.glob("kb-*.cache")) if home.exists() else True


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb_dir: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    same(loading.load_kb(kb_dir), loading.load_kb(kb_dir))


def test_a_file_saved_while_loading_is_not_cached_under_its_old_content(home: Path, kb_dir: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    rules = kb_dir / "rules" / "all.yaml"
    original = rules.read_text(encoding="utf-8")
    rid = next(line.split(":", 1)[1].strip() for line in original.splitlines() if line.strip().startswith("- id:"))

    def saved_meanwhile(path: Path, **kwargs: Any) -> sf.Source:
        if Path(path) == rules:     # the user saves an edit after the digests were taken, before the parse
            rules.write_text(original.replace(rid, rid + "-NEW", 1), encoding="utf-8")
        return sf.parse(path, **kwargs)
    monkeypatch.setattr(cache, "parse", saved_meanwhile)
    assert rid + "-NEW" in loading.load_kb(kb_dir).rules
    monkeypatch.setattr(cache, "parse", sf.parse)
    rules.write_text(original, encoding="utf-8")     # back to the content whose digest was taken
    kb = loading.load_kb(kb_dir)
    assert rid in kb.rules and rid + "-NEW" not in kb.rules


def test_an_unchanged_knowledge_base_is_neither_parsed_nor_validated_again(
        home: Path, parses: list[str], kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses
    first = loading.load_kb(kb_dir)
    validated: list[str] = []
    real = loading.validate
    monkeypatch.setattr(loading, "validate", lambda source, model: validated.append(model.__name__) or real(source, model))
    parses.clear()
    second = loading.load_kb(kb_dir)
    assert parses == [] and validated == []
    for f in dataclasses.fields(first):
        if f.name != "origins":
            assert getattr(second, f.name) == getattr(first, f.name), f.name
    same(first, second)
    # the models are whole: their fields as validated, and what was left unset still unset
    for a, b in zip(first.rules.values(), second.rules.values()):
        assert type(a) is type(b) and a.model_fields_set == b.model_fields_set
        assert a.model_dump(exclude_unset=True) == b.model_dump(exclude_unset=True)
    assert parses == []          # the lines asked for by same() came from the cache too


def test_a_change_of_code_loads_the_knowledge_base_afresh(home: Path, kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loading.load_kb(kb_dir)
    validated: list[str] = []
    real = loading.validate
    monkeypatch.setattr(loading, "validate", lambda source, model: validated.append(model.__name__) or real(source, model))
    monkeypatch.setattr(cache, "_code", lambda: "another version of advisor")
    loading.load_kb(kb_dir)
    assert "RulesFile" in validated


def test_a_cached_result_naming_anything_but_our_models_is_not_used(home: Path, parses: list[str], kb_dir: Path) -> None:
    import hashlib
    import marshal
    good = loading.load_kb(kb_dir)
    f = the_cache(home)
    blob = f.read_bytes()
    payload = blob.split(b"\n", 2)[2]
    size = int.from_bytes(payload[:8], "big")
    digests, code, data = marshal.loads(payload[8:8 + size])
    data["metadata"] = ("M", "subprocess.Popen", {"args": "true"}, ())
    result = marshal.dumps((digests, code, data))
    payload = len(result).to_bytes(8, "big") + result + payload[8 + size:]
    f.write_bytes(cache.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    parses.clear()
    kb = loading.load_kb(kb_dir)
    assert kb.metadata == good.metadata and type(kb.metadata).__module__ == "advisor.models.kb"
    assert parses == []          # the cached files were still good: only the result was refused
