"""A non-editable install ships what the code needs: every package and every package's templates."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def packages_on_disk() -> set[str]:
    return {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "advisor").rglob("__init__.py")
            if "__pycache__" not in p.parts}


def test_every_package_is_listed() -> None:
    assert packages_on_disk() - set(SETUPTOOLS["packages"]) == set()


def test_every_template_folder_is_package_data() -> None:
    data = SETUPTOOLS["package-data"]
    missing = [pkg for pkg in packages_on_disk()
               if (ROOT / pkg.replace(".", "/") / "jinja2").is_dir() and not any("jinja2/" in g for g in data.get(pkg, []))]
    assert missing == []
