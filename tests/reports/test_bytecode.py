"""Compiled templates are reused only from the user's own private cache; anything else is compiled afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from advisor.reports.bytecode import PrivateBytecodeCache

TEMPLATES = {"t.txt": "{% for x in items %}{{ x * 2 }},{% endfor %}"}


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = Environment.compile

    def spy(self: Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        seen.append(str(name))
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(Environment, "compile", spy)
    return seen


def render(folder: Path) -> str:
    env = Environment(loader=DictLoader(TEMPLATES), bytecode_cache=PrivateBytecodeCache(folder))
    return env.get_template("t.txt").render(items=[1, 2, 3])


def the_file(folder: Path) -> Path:
    files = list(folder.glob("*.cache"))
    assert len(files) == 1
    return files[0]


def test_a_template_is_compiled_once(tmp_path: Path, compiles: list[str]) -> None:
    folder = tmp_path / "templates"
    assert render(folder) == render(folder) == "2,4,6,"
    assert compiles == ["t.txt"]
    assert folder.stat().st_mode & 0o777 == 0o700 and the_file(folder).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("damage", ["loose file", "loose folder", "link", "garbage", "empty"])
def test_a_cache_entry_that_is_not_private_or_not_sound_is_not_used(tmp_path: Path, compiles: list[str],
                                                                     damage: str) -> None:
    folder = tmp_path / "templates"
    render(folder)
    f = the_file(folder)
    if damage == "loose file":
        f.chmod(0o666)
    elif damage == "loose folder":
        folder.chmod(0o777)
    elif damage == "link":
        other = tmp_path / "other.cache"
        f.rename(other)
        f.symlink_to(other)
    else:
        f.write_bytes(b"\x00garbage" * 50 if damage == "garbage" else b"")
    assert render(folder) == "2,4,6,"
    assert compiles == ["t.txt", "t.txt"]


def test_each_output_kind_has_its_own_compiled_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """jinja2 binds filters at compile time: Markdown's own ``join`` must not run code compiled for HTML."""
    from advisor.reports import render
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    render.environment.cache_clear()
    try:
        html = render.environment("en", "html").get_template("_macros.j2")
        md = render.environment("en", "md").get_template("_macros.j2")
        assert html is not md
        assert {p.name.split("-")[0] for p in (tmp_path / "advisor" / "templates").iterdir()} == {"html", "md"}
    finally:
        render.environment.cache_clear()
