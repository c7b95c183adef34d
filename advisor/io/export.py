"""An assessment back to the YAML file the CLI reads (what a web round exports)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import yaml

from ..errors import N_, AdvisorError
from ..kb import data
from ..kb.encoding import decode
from ..models.assessment import Assessment
from ..models.knowledge import KnowledgeBase
from . import spreadsheet


def assessment_yaml(assessment: Assessment, kb: KnowledgeBase) -> str:
    """Criteria in the model's order, short entries kept short; ``advisor`` reads it back unchanged."""
    doc = assessment.model_dump(mode="json", exclude_none=True)
    order = {cid: i for i, cid in enumerate(spreadsheet.criterion_ids(kb))}
    scores = {}
    for cid in sorted(doc["scores"], key=lambda c: (order.get(c, len(order)), c)):
        entry = {k: v for k, v in doc["scores"][cid].items() if not (k == "not_applicable" and v is False)}
        scores[cid] = entry
    doc["scores"] = scores
    header = f"# Exported by advisor; knowledge base {kb.version}\n"
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)


#: upload suffixes read as text (YAML is a superset of JSON) and as spreadsheets
TEXT_SUFFIXES = (".yaml", ".yml", ".json")
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")


def read_upload(name: str, content: bytes, kb: KnowledgeBase, body_id: str | None = None) -> Assessment:
    """One body's assessment from an uploaded file, with the CLI's located problems.

    A spreadsheet may hold many bodies: the row of ``body_id`` is taken (the only row when None)."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return data.assessment_text(name, decode(name, content), kb)
    if suffix not in SHEET_SUFFIXES:
        raise AdvisorError.single(name, N_("unsupported file type {suffix!r}", suffix=suffix or "—"),
                                  hint=N_("upload .yaml, .json, .xlsx or .csv"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            rows = spreadsheet.read(path, kb)
        except AdvisorError as err:
            raise _named(err, path, name) from None
    chosen = [r for r in rows if body_id is None or (r.assessment is not None and r.assessment.organisation.id == body_id)]
    bad = [p for r in rows for p in r.problems]
    if len(chosen) == 1 and chosen[0].assessment is not None:
        return chosen[0].assessment
    if bad:
        raise _named(AdvisorError(bad), path, name)
    if not chosen:
        raise AdvisorError.single(name, N_("no row for body {id!r}", id=body_id), field="id",
                                  hint=N_("the id column must hold the body's id"))
    raise AdvisorError.single(name, N_("{n} rows for one body", n=len(chosen)), hint=N_("keep one row per body"))


def _named(err: AdvisorError, path: Path, name: str) -> AdvisorError:
    """The problems name the upload, not the temporary file it was read from."""
    return AdvisorError([dataclasses.replace(p, file=p.file.replace(str(path), name)) for p in err.problems])
