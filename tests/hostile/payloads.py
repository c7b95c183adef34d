"""Hostile text and files: what an attacker would put in an assessment or a candidate knowledge base.

Everything here is generated at test time (no megabytes in the repository)."""

from __future__ import annotations

import html.parser
import shutil
from pathlib import Path
from typing import Any

import yaml

#: executable in a browser, a Markdown viewer, a template engine, a terminal or a spreadsheet
SCRIPT = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">a</a>'
MD_LINK = "[click](javascript:alert(4)) ![i](javascript:alert(5)) <javascript:alert(6)>"
TEMPLATE = "{{7*7}}{% raw %}"
ESCAPE = "\x1b[2J\x1b]0;owned\x07\r\x9b31m"
FORMULA = '=HYPERLINK("http://evil.example","Click")'
TAIL = f" {SCRIPT} {MD_LINK} {TEMPLATE} {ESCAPE}"
FORMULAS = [FORMULA, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def hostile(text: str, i: int = 0) -> str:
    """``text`` led by a formula (a different one each time) and followed by every other payload."""
    return f"{FORMULAS[i % len(FORMULAS)]} {text}{TAIL}"


def _poison(node: Any, counter: list[int]) -> Any:
    if isinstance(node, dict):
        if set(node) == {"kk", "ru", "en"} and all(isinstance(v, str) for v in node.values()):
            counter[0] += 1
            return {k: hostile(v, counter[0]) for k, v in node.items()}
        return {k: _poison(v, counter) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, counter) for v in node]
    return node


def hostile_kb(source: Path, dest: Path) -> int:
    """A copy of the knowledge base at ``source`` with every kk/ru/en text poisoned; returns how many."""
    shutil.copytree(source / "knowledge_base", dest / "knowledge_base")
    shutil.copytree(source / "rules", dest / "rules")
    counter = [0]
    for path in sorted(dest.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        path.write_text(yaml.dump(_poison(data, counter), Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return counter[0]


def hostile_assessment(data: dict[str, Any]) -> dict[str, Any]:
    """An assessment with the name, assessor and every evidence poisoned."""
    out = dict(data)
    out["organisation"] = dict(data["organisation"], name=hostile(data["organisation"]["name"]))
    out["assessor"] = hostile(str(data.get("assessor") or "x"), 1)
    scores = {}
    for i, (cid, entry) in enumerate(data["scores"].items()):
        if isinstance(entry, str):
            entry = {"not_applicable": True}
        entry = {"score": entry} if not isinstance(entry, dict) else dict(entry)
        entry["evidence"] = hostile(str(entry.get("evidence") or "evidence"), i)
        scores[cid] = entry
    out["scores"] = scores
    return out


class Executable(html.parser.HTMLParser):
    """Collects what a browser would run: script/iframe/object elements, on* handlers, javascript: URLs."""

    DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "base", "meta", "form"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DANGEROUS_TAGS and not (tag == "meta" and all(k in {"charset", "name", "content"} for k, _ in attrs)):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if value and name in {"href", "src", "action", "formaction", "xlink:href"} and \
                    value.strip().lower().startswith(("javascript:", "data:text/html", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


def executable(html_text: str) -> list[str]:
    parser = Executable()
    parser.feed(html_text)
    parser.close()
    return parser.found
