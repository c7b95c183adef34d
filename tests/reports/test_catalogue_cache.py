"""The compiled catalogues kept in the per-user cache: reused while the .po and Babel are the same, compiled
again when the stored one is damaged, loose or of another version; off with ADVISOR_NO_CACHE."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest

from advisor.reports import i18n


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    return tmp_path / "advisor" / "catalogues"


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a: object, **k: object) -> None:
        raise AssertionError("compiled again")
    monkeypatch.setattr("babel.messages.pofile.read_po", refuse)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_compiled_catalogue_is_reused_and_says_the_same(home: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = i18n.compiled(lang)
    assert [p.name.split("-")[0] for p in home.iterdir()] == [lang]
    no_compiling(monkeypatch)
    assert i18n.compiled(lang) == first
    fresh = gettext.GNUTranslations(io.BytesIO(first))
    assert fresh.gettext("Full report (HTML)") == i18n.translations(lang).gettext("Full report (HTML)") != "Full report (HTML)"


def damage(path: Path) -> None:
    blob = bytearray(path.read_bytes())
    blob[-10] ^= 0xFF
    path.write_bytes(bytes(blob))


@pytest.mark.parametrize("spoil", [damage, lambda p: p.write_bytes(p.read_bytes()[:1000]), lambda p: p.chmod(0o666),
                                   lambda p: p.write_bytes(b"")],
                         ids=["damaged", "truncated", "writable by others", "empty"])
def test_a_spoilt_catalogue_is_compiled_again(home: Path, spoil: object) -> None:
    good = i18n.compiled("ru")
    (path,) = home.iterdir()
    spoil(path)  # type: ignore[operator]
    assert i18n.compiled("ru") == good


def test_the_catalogues_of_earlier_versions_are_removed(home: Path) -> None:
    home.mkdir(parents=True, mode=0o700)
    (home / "ru-0123456789abcdef0123456789abcdef.mo").write_bytes(b"old")
    (home / "kk-0123456789abcdef0123456789abcdef.mo").write_bytes(b"old")
    i18n.compiled("ru")
    assert sorted(p.name[:3] for p in home.iterdir()) == ["kk-", "ru-"]
    assert (home / "kk-0123456789abcdef0123456789abcdef.mo").exists()


def test_no_cache_means_nothing_stored(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    assert i18n.compiled("kk")
    assert not home.exists()
