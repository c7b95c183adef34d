"""The shipped examples, knowledge base and sample reports, as a user and CI see them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from advisor.io import samples
from advisor.kb.schema import all_schemas

from .conftest import EXAMPLES, ROOT, run_cli


def test_there_are_four_realistic_examples(kb) -> None:
    assert {p.stem for p in EXAMPLES} >= {"republican-ministry", "local-akimat", "health-body", "mature-agency"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_complete_with_evidence(path: Path, kb) -> None:
    data = json.loads(run_cli("assess", path, "--format", "json").output)
    assert data["scores"]["completeness"] == 1.0
    assert all(c["evidence"] for c in data["scores"]["criteria"])
    assert data["findings"]["weaknesses"] or path.stem == "mature-agency"


def test_the_mature_body_is_mature(kb) -> None:
    data = json.loads(run_cli("assess", ROOT / "examples" / "mature-agency.yaml", "--format", "json").output)
    assert data["scores"]["overall_level"] >= 4


@pytest.mark.skipif(shutil.which("advisor") is None, reason="the console script is not installed")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_installed_command_works_from_another_folder(path: Path, tmp_path: Path) -> None:
    result = subprocess.run(["advisor", "assess", str(path), "--format", "json"], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["kb_version"]


def test_sample_reports_are_up_to_date() -> None:
    assert samples.stale() == [], "regenerate with: python -m advisor.io.samples"


def test_shipped_kb_validates_lints_and_tests() -> None:
    assert "valid" in run_cli("rules", "validate").output
    lint = run_cli("rules", "lint").output
    assert " 0 error(s)" in lint or lint.splitlines()[-1].startswith("0 error(s)")
    out = run_cli("rules", "test", "--coverage", "--fail-under", "100").output
    assert "coverage: 100.0%" in out and " 0 failed" in out


def test_schemas_are_current_and_files_point_at_them() -> None:
    for name, text in all_schemas().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"regenerate: advisor rules schema -o schemas ({name})"
    headers = {"criteria": "criteria", "weaknesses": "weaknesses", "actions": "actions"}
    for folder, schema in headers.items():
        for f in (ROOT / "knowledge_base" / folder).glob("*.yaml"):
            assert f.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json"), f
    for f in (ROOT / "rules").glob("*.yaml"):
        assert f.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/rules.schema.json"), f
    for f in (ROOT / "rules" / "tests").glob("*.yaml"):
        assert f.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/rule-tests.schema.json"), f


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_output_is_byte_identical_across_processes(fmt: str, tmp_path: Path) -> None:
    import os
    import sys
    outputs = set()
    for seed in ("1", "2", "3"):
        out = tmp_path / f"{seed}.{fmt}"
        subprocess.run([sys.executable, "-m", "advisor", "roadmap", str(ROOT / "examples" / "health-body.yaml"),
                        "--format", fmt, "--lang", "kk", "-o", str(out)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT)
        outputs.add(out.read_bytes())
    assert len(outputs) == 1
