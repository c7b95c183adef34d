"""Class test: no command writes over what the user gave it (every command with a file -o)."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest

from advisor.cli.main import main

from ..conftest import MINI, mini_assessment, run_cli, write_yaml


def commands_with_file_output() -> list[str]:
    return sorted(name for name, cmd in main.commands.items()
                  if any(p.name == "output" for p in cmd.params))


#: how to call each such command with inputs; a new command with -o must be added here
CALLS = {
    "assess": lambda a, b, p: ["assess", a],
    "roadmap": lambda a, b, p: ["roadmap", a, "--progress", p],
    "report": lambda a, b, p: ["report", a, "--progress", p],
    "next": lambda a, b, p: ["next", a, "--progress", p],
    "gap": lambda a, b, p: ["gap", a, "--progress", p],
    "compare": lambda a, b, p: ["compare", a, b],
}


def test_every_command_with_output_is_covered() -> None:
    assert set(commands_with_file_output()) == set(CALLS) | {"template"}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    a = write_yaml(tmp_path / "a.yaml", mini_assessment())
    b = write_yaml(tmp_path / "b.yaml", mini_assessment(strategy__a=4))
    p = write_yaml(tmp_path / "p.yaml", {"done": [{"action": "HUM-01", "date": "2026-02-01"}]})
    return a, b, p


@pytest.mark.parametrize("command", sorted(CALLS))
@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_output_onto_an_input_is_refused(command: str, link: str, files: tuple[Path, Path, Path],
                                         tmp_path: Path) -> None:
    args = [str(x) for x in CALLS[command](*files)]
    inputs = [Path(x) for x in args if x.endswith(".yaml")]
    for victim in inputs:
        before = victim.read_bytes()
        out = victim
        if link == "symlink":
            out = tmp_path / f"soft-{victim.name}"
            out.symlink_to(victim)
        elif link == "hardlink":
            out = tmp_path / f"hard-{victim.name}"
            os.link(victim, out)
        result = run_cli(*args, "--kb", MINI, "-o", out, code=2)
        assert "is an input of this command" in result.output
        assert victim.read_bytes() == before
        if out != victim:
            out.unlink()


@pytest.mark.parametrize("command", sorted(CALLS))
def test_output_into_the_knowledge_base_is_refused(command: str, files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    import shutil
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb)
    victim = next((kb / "rules").glob("*.yaml"))
    before = victim.read_bytes()
    run_cli(*CALLS[command](*files), "--kb", kb, "-o", victim, code=2)
    assert victim.read_bytes() == before


@pytest.mark.parametrize("command", sorted(CALLS))
def test_dash_means_standard_output(command: str, files: tuple[Path, Path, Path], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fmt = ["--format", "md"] if command == "report" else []
    out = run_cli(*CALLS[command](*files), "--kb", MINI, *fmt, "-o", "-").output
    assert len(out) > 100 and not (tmp_path / "-").exists()


def test_template_refuses_an_existing_file_unless_forced(files: tuple[Path, Path, Path]) -> None:
    a = files[0]
    before = a.read_bytes()
    for fmt in ("yaml", "csv", "xlsx"):
        assert "--force" in run_cli("template", "--kb", MINI, "--format", fmt, "-o", a, code=2).output
        assert a.read_bytes() == before
    run_cli("template", "--kb", MINI, "-o", a, "--force")
    assert a.read_bytes() != before


def test_template_xlsx_to_standard_output(tmp_path: Path) -> None:
    out = run_cli("template", "--kb", MINI, "--format", "xlsx", "-o", "-").stdout_bytes
    assert out.startswith(b"PK\x03\x04")


def test_every_path_option_is_seen_as_an_input() -> None:
    """The refusal relies on click.Path parameters: a file option of another type would escape it."""
    for name, cmd in main.commands.items():
        for p in cmd.params:
            if p.name in {"file", "old", "new", "progress", "inputs"}:
                assert isinstance(p.type, click.Path), (name, p.name)
