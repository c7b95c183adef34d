"""JSON Schema of every file type, from the pydantic models, for editors that validate YAML as it is typed."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..models.assessment import Assessment, Progress
from ..models.kb import (
    ActionsFile,
    CriteriaFile,
    Metadata,
    ModelFile,
    OrderingFile,
    OutcomesFile,
    PathFile,
    PlanningFile,
    ProfilesFile,
    RolesFile,
    RulesFile,
    WeaknessesFile,
)
from ..models.results import RoadmapOutput
from ..models.ruletest import CasesFile
from ..models.sources import SourcesFile

#: schema file name -> (model, the files it describes)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "kb.schema.json": (Metadata, "knowledge_base/kb.yaml"),
    "model.schema.json": (ModelFile, "knowledge_base/model.yaml"),
    "profiles.schema.json": (ProfilesFile, "knowledge_base/profiles.yaml"),
    "roles.schema.json": (RolesFile, "knowledge_base/roles.yaml"),
    "sources.schema.json": (SourcesFile, "knowledge_base/sources.yaml"),
    "planning.schema.json": (PlanningFile, "knowledge_base/planning.yaml"),
    "criteria.schema.json": (CriteriaFile, "knowledge_base/criteria/*.yaml"),
    "weaknesses.schema.json": (WeaknessesFile, "knowledge_base/weaknesses/*.yaml"),
    "actions.schema.json": (ActionsFile, "knowledge_base/actions/*.yaml"),
    "ordering.schema.json": (OrderingFile, "knowledge_base/ordering.yaml"),
    "path.schema.json": (PathFile, "knowledge_base/path.yaml"),
    "outcomes.schema.json": (OutcomesFile, "knowledge_base/outcomes.yaml"),
    "rules.schema.json": (RulesFile, "rules/*.yaml"),
    "rule-tests.schema.json": (CasesFile, "rules/tests/*.yaml"),
    "assessment.schema.json": (Assessment, "an assessment"),
    "progress.schema.json": (Progress, "a progress file"),
    "output.schema.json": (RoadmapOutput, "the JSON output of advisor assess and advisor roadmap"),
}


def schema_text(model: type[BaseModel], name: str) -> str:
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name,
                              **model.model_json_schema(by_alias=True)}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def all_schemas() -> dict[str, str]:
    return {name: schema_text(model, name) for name, (model, _) in SCHEMAS.items()}
