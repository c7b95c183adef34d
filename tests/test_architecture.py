"""The borders of docs/architecture.md, checked on the source: which folder of advisor/ may import which."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))

#: folder (or top-level module) -> the parts of advisor it may import; keep in step with docs/architecture.md
MAY_IMPORT: dict[str, set[str]] = {
    "models": set(),
    "errors": set(),
    "private": set(),
    "engine": {"models", "errors"},
    "diagnosis": {"models", "errors", "engine"},
    "planning": {"models", "errors", "private", "diagnosis"},
    "reports": {"models", "errors", "private"},
    "kb": {"models", "errors", "private", "engine", "diagnosis", "planning"},
    "io": {"models", "errors", "engine", "diagnosis", "planning", "reports", "kb"},
    "api": {"models", "errors", "engine", "diagnosis", "planning", "reports", "kb", "io"},
    "cli": {"api", "errors", "__init__", "web"},  # web only lazily, inside `advisor web` (tests/cli/test_web_command.py)
    "web": {"api", "models", "errors"},
    "__main__": {"cli"},
    "__init__": set(),
}
#: third-party packages that only one part may import
ONLY_IN = {"durable_rules_engine": {"engine.adapter"}, "durable": {"engine.adapter"}, "networkx": {"planning"},
           "jinja2": {"reports"}, "click": {"cli"}, "django": {"web"}}


def part(module: str) -> str:
    """advisor.kb.loading -> kb; advisor.api -> api; advisor -> __init__."""
    parts = module.split(".")[1:]
    return parts[0] if parts and parts[0] != "__version__" else "__init__"


def imports(path: Path) -> set[str]:
    """Absolute names of everything the module imports (relative imports resolved)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    here = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                if node.module:
                    out.add(mod)
                else:
                    out |= {f"{mod}.{a.name}" for a in node.names}
            else:
                out.add(node.module or "")
    return out


def owner(path: Path) -> tuple[str, str]:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return (rel.parts[0] if len(rel.parts) > 1 else rel.name), ".".join(rel.parts)


def violations(path: Path) -> list[str]:
    me, dotted = owner(path)
    allowed = MAY_IMPORT.get(me)
    assert allowed is not None, f"{me}: a new part of advisor/ needs a row in MAY_IMPORT and in docs/architecture.md"
    bad = []
    for name in imports(path):
        top = name.split(".")[0]
        if top == "advisor":
            target = part(name)
            sub = ".".join(name.split(".")[1:3])
            if target != me and target not in allowed and sub not in allowed:
                bad.append(f"{dotted} imports {name}: {me} may import only {sorted(allowed) or 'nothing of ours'}")
        elif top in ONLY_IN and not any(dotted == o or dotted.startswith(o + ".") or me == o for o in ONLY_IN[top]):
            bad.append(f"{dotted} imports {top}: only {sorted(ONLY_IN[top])} may")
    return bad


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_borders(path: Path) -> None:
    assert violations(path) == []


@pytest.mark.parametrize("folder, line", [
    ("planning", "from ..reports import render"), ("diagnosis", "import durable_rules_engine"),
    ("kb", "from ..cli import main"), ("io", "from .. import api"), ("reports", "from ..web import views"),
    ("models", "from ..errors import AdvisorError"), ("engine", "from ..diagnosis import scoring")])
def test_the_check_catches_a_wrong_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, line: str) -> None:
    fake = tmp_path / "advisor"
    (fake / folder).mkdir(parents=True)
    (fake / folder / "x.py").write_text(line + "\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert violations(fake / folder / "x.py")


def test_no_import_cycles() -> None:
    """No module imports, directly or through others, a module that imports it back."""
    import networkx as nx
    g = nx.DiGraph()
    names = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__") for p in MODULES}
    for p in MODULES:
        src = ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for name in imports(p):
            target = name if name in names else name.rsplit(".", 1)[0]
            if target in names and target != src and not target == "advisor":
                g.add_edge(src, target)
    assert list(nx.simple_cycles(g)) == []
