"""Files are read with libyaml's events under our own composer: data, positions and every message are those
of the pure-Python reader (which still reads any file libyaml or a check refuses)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.errors import AdvisorError
from advisor.kb import sourcefile as sf

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("knowledge_base/**/*.yaml"), *ROOT.glob("rules/**/*.yaml"), *ROOT.glob("examples/*.yaml"),
                *ROOT.glob("examples/*.json"), *ROOT.glob("tests/fixtures/**/*.yaml")])
SAMPLE = (ROOT / "examples" / "republican-ministry.yaml").read_text(encoding="utf-8")[:3000]


def outcome(text: str, libyaml: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(sf, "_LIBYAML", libyaml)
    try:
        source = sf.parse("x.yaml", text=text)
    except AdvisorError as exc:
        return [(p.message, p.line, p.column, p.hint) for p in exc.problems]
    except Exception as exc:   # noqa: BLE001 - a crash must be the same crash (e.g. ``!!int`` on a mapping)
        return type(exc).__name__, str(exc)
    return source.data, source.positions


def test_libyaml_is_used_here() -> None:
    assert sf._LIBYAML


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(text, True, monkeypatch) == outcome(text, False, monkeypatch)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE)), st.integers(0, 3),
                          st.sampled_from(["", ":", " ", "\n", "-", "[", "]", "{", "}", "'", '"', "&a", "*a", "#", "\t",
                                           "? ", "!!int ", "1e5", "on", "\x07", "é", "\\ud83d", "|", ">", "\r", "\x85", "\u2028", "\ufeff",
                                           "---\n", "...\n", "%YAML 1.1\n", "!foo ", "~", "0x1F", "2026-13-45"])), max_size=4))
def test_damaged_files_read_the_same(edits: list[tuple[int, int, str]]) -> None:
    text = SAMPLE
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut:]
    with pytest.MonkeyPatch.context() as mp:
        assert outcome(text, True, mp) == outcome(text, False, mp)
