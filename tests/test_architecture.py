"""The module borders of docs/architecture.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_borders(path: Path) -> None:
    name = path.stem
    found = imports(path)
    if name not in {"cli", "cli_rules", "__main__"}:
        assert not any(i.endswith("cli") or i.endswith(".cli_rules") for i in found), "nothing imports the CLI"
    if name != "engine":
        assert "durable_rules_engine" not in found and not any(i.startswith("durable") for i in found)
    if name != "roadmap":
        assert "networkx" not in found and not any(i.startswith("networkx") for i in found)
    if path.parent.name == "models":
        assert not any(i.startswith("..") for i in found), "models import nothing of ours"
    if name == "errors":
        assert not any(i.startswith(".") for i in found)
