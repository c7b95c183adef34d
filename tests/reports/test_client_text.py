"""What a client reads: no internal pointers, raw fact syntax or weakness/rule ids in any rendered sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import ROOT, run_cli

SAMPLES = sorted((ROOT / "roadmaps").glob("*.*.*"))
MACHINE = re.compile(
    r"\b[WR]-[A-Z]{1,3}-[A-Z0-9-]+"               # weakness and rule ids
    r"|\s(<=|>=|!=)\s|(score|level|балл|уровень|деңгей\w*) [\d.]+ [<>=]"   # raw comparisons
    r"|\b(culture|strategy|organisation|technology)[ .](level|score|[a-z_]+ score)\b"   # raw fact names
    r"|\bseed[ -]?0\d\d|\bnote 0\d\d|frameworks|§|\.\./")


def test_there_are_samples_in_three_languages() -> None:
    assert {p.name.split(".")[1] for p in SAMPLES} == {"kk", "ru", "en"} and len(SAMPLES) >= 24


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_hold_no_machine_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    found = sorted({m.group(0).strip() for m in MACHINE.finditer(text)})
    assert found == []


def test_the_consultant_keeps_the_ids(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    run_cli("report", ROOT / "examples" / "mature-agency.yaml", "--format", "md", "-o", out, "--ids")
    assert re.search(r"`W-HUM-[A-Z0-9-]+`", out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang, sector, default", [("ru", "Образование", "применены веса общего профиля"),
                                                   ("kk", "Білім беру", "жалпы профиль салмақтары қолданылды"),
                                                   ("en", "Education", "general profile weights used")])
def test_a_sector_without_a_profile_is_named_and_the_default_weights_stated(tmp_path: Path, lang: str, sector: str,
                                                                             default: str) -> None:
    src = (ROOT / "examples" / "mature-agency.yaml").read_text(encoding="utf-8")
    assessment = tmp_path / "edu.yaml"
    assessment.write_text(src.replace("sector: social_protection", "sector: education"), encoding="utf-8")
    out = tmp_path / "r.md"
    run_cli("report", assessment, "--format", "md", "--lang", lang, "-o", out)
    profile = next(line for line in out.read_text(encoding="utf-8").splitlines() if f"({default})" in line)
    assert f"{sector} ({default})" in profile and " education " not in profile   # the name, never the raw id
