from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from advisor import api
from advisor.cli.main import main
from advisor.models.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent

# The suite neither reads nor prunes the caches of the person running it (~/.cache/advisor keeps a few knowledge
# bases; the tests load hundreds): each run, each xdist worker, starts from a cache folder of its own.
os.environ["XDG_CACHE_HOME"] = _CACHE = tempfile.mkdtemp(prefix="advisor-tests-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped knowledge base."""
    return api.load_kb()


@pytest.fixture(scope="session")
def mini() -> KnowledgeBase:
    return api.load_kb(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small test knowledge base, for breaking it."""
    dest = tmp_path / "kb"
    shutil.copytree(MINI, dest)
    return dest


class _NoAliases(yaml.SafeDumper):
    """Writes a repeated object out in full: our loader refuses YAML aliases (billion laughs)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


def edit_yaml(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump_yaml(data), encoding="utf-8")


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def mini_assessment(**scores: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "strategy.a": 2, "strategy.b": 3.5, "organisation.a": 3, "organisation.b": "n/a",
        "technology.a": 4, "technology.b": 5, "culture.a": 1.5, "culture.b": 2}
    base.update({k.replace("__", "."): v for k, v in scores.items()})
    return {"organisation": {"name": "Тест органы", "id": "t1", "government_level": "republican",
                             "sector": "health", "office_type": "centralised"},
            "date": "2026-01-10", "assessor": "Тестілеуші", "scores": base}


def run_cli(*args: str, code: int = 0) -> Result:
    """Run the CLI and assert its exit code; the output is returned for further checks."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}\n{result.output}"
    return result
