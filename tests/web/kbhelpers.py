"""Candidate knowledge bases for the web's version and impact tests: a copy of the shipped one with one edit."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from advisor import api

#: culture.yaml, rule R-HUM-16: "training planned" from a score of 3 down to 2 (one threshold): it then fires
#: for one of the example bodies (a weakness added), and for the other not
THRESHOLD = ("    when:\n      all:\n        - {criterion: culture.training_system, score: {at_least: 3}}",
             "    when:\n      all:\n        - {criterion: culture.training_system, score: {at_least: 2}}")


def candidate(folder: Path, version: str | None = None) -> Path:
    """The shipped knowledge base with one threshold moved (and, if given, another version in kb.yaml)."""
    root = api.default_kb_root()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root / "knowledge_base", folder / "knowledge_base")
    shutil.copytree(root / "rules", folder / "rules", ignore=shutil.ignore_patterns("tests"))
    rules = folder / "rules" / "culture.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count(THRESHOLD[0]) == 1
    rules.write_text(text.replace(*THRESHOLD), encoding="utf-8")
    if version is not None:
        meta = folder / "knowledge_base" / "kb.yaml"
        text = re.sub(r"^version: .*$", f'version: "{version}"', meta.read_text(encoding="utf-8"), count=1, flags=re.M)
        meta.write_text(text, encoding="utf-8")
    return folder


def zipped(folder: Path, top: str = "candidate") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, f"{top}/{p.relative_to(folder).as_posix()}")
    return buf.getvalue()
