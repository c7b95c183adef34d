"""A round exported to YAML is a file `advisor` reads back to the same assessment."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import api
from advisor.errors import AdvisorError

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_yaml_round_trip(kb, tmp_path: Path, path: Path) -> None:
    a = api.assess(path, kb).assessment
    out = tmp_path / "x.yaml"
    out.write_text(api.assessment_yaml(a, kb), encoding="utf-8")
    assert api.assess(out, kb).assessment == a
    assert kb.version in out.read_text(encoding="utf-8").splitlines()[0]


def test_upload_of_unknown_type_and_located_problems(kb) -> None:
    with pytest.raises(AdvisorError, match="unsupported file type"):
        api.read_assessment_upload("a.docx", b"", kb)
    with pytest.raises(AdvisorError) as exc:
        api.read_assessment_upload("a.yaml", b"organisation: {name: x}\nscores: {}\n", kb)
    assert {p.file for p in exc.value.problems} == {"a.yaml"} and any(p.line for p in exc.value.problems)
    with pytest.raises(AdvisorError) as exc:
        api.read_assessment_upload("a.csv", b"name;id\nx;y\n", kb)
    assert all("upload" not in p.file for p in exc.value.problems) and exc.value.problems[0].file.startswith("a.csv")
