"""The loaded knowledge base: every file's models, indexed by id, with where each item came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from .kb import (
    Action,
    Criterion,
    Dimension,
    Metadata,
    Method,
    OrderingFile,
    OutcomeIndicator,
    OutcomesFile,
    PathFile,
    PathStage,
    PlanningFile,
    ProfilesFile,
    Role,
    Rule,
    ScaleLevel,
    Weakness,
)
from .sources import Document, Sourcing


class Located(Protocol):
    """A parsed file that can point at the line of any item in it (``kb.sourcefile.Source``)."""

    path: str

    def where(self, loc: Any) -> tuple[int | None, int | None]: ...

    def problem(self, loc: Any, message: str, hint: str | None = None) -> Any: ...


@dataclass(frozen=True)
class Origin:
    """Where an item was defined, so later checks can point at its line."""

    source: Located
    loc: tuple[Any, ...]


@dataclass
class KnowledgeBase:
    """Everything in ``knowledge_base/`` and ``rules/``, validated and cross-checked."""

    root: Path
    content_hash: str
    metadata: Metadata
    scale: list[ScaleLevel]
    methods: dict[str, Method]
    dimensions: dict[str, Dimension]
    criteria: dict[str, Criterion]
    profiles: ProfilesFile
    roles: dict[str, Role]
    weaknesses: dict[str, Weakness]
    rules: dict[str, Rule]
    actions: dict[str, Action]
    planning: PlanningFile
    ordering: OrderingFile = field(default_factory=OrderingFile)
    origins: dict[str, Origin] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # knowledge_base/sources.yaml
    path: PathFile | None = None          # knowledge_base/path.yaml: optional, as in a small test knowledge base
    outcomes: OutcomesFile | None = None  # knowledge_base/outcomes.yaml: optional too

    @property
    def version(self) -> str:
        """What every output prints: the human version and the content hash."""
        return f"{self.metadata.version}+{self.content_hash}"

    def criteria_of(self, dimension: str) -> list[Criterion]:
        return list(self._criteria_index.get(dimension, ()))

    @cached_property
    def _criteria_index(self) -> dict[str, tuple[Criterion, ...]]:
        index: dict[str, list[Criterion]] = {}
        for c in self.criteria.values():
            index.setdefault(c.id.split(".", 1)[0], []).append(c)
        return {d: tuple(cs) for d, cs in index.items()}

    def successor(self, action_id: str) -> str | None:
        """The action an earlier, merged action id now belongs to (its ``replaces``), if any."""
        return self._successors.get(action_id)

    @cached_property
    def _successors(self) -> dict[str, str]:
        return {old: a.id for a in self.actions.values() for old in a.replaces}

    def remedies_for(self, weakness_id: str) -> list[str]:
        """The actions that remedy a weakness, in catalogue order."""
        return self._remedy_index.get(weakness_id, [])

    @cached_property
    def _remedy_index(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for a in self.actions.values():
            for w in a.remedies:
                index.setdefault(w, []).append(a.id)
        return index

    def level_weaknesses(self, dimension: str) -> tuple[Weakness, ...]:
        """The weaknesses typical of a level of a dimension, in catalogue order."""
        return self._level_index.get(dimension, ())

    @cached_property
    def _level_index(self) -> dict[str, tuple[Weakness, ...]]:
        index: dict[str, list[Weakness]] = {}
        for w in self.weaknesses.values():
            if w.level is not None:
                index.setdefault(w.dimension, []).append(w)
        return {d: tuple(ws) for d, ws in index.items()}

    def sourced(self) -> list[tuple[str, Sourcing]]:
        """Every item that cites the source registry, keyed like ``origins`` (criterion:, rule:, action:, stage:,
        indicator:)."""
        return [*((f"criterion:{x.id}", x.source) for x in self.criteria.values()),
                *((f"rule:{x.id}", x.source) for x in self.rules.values()),
                *((f"action:{x.id}", x.source) for x in self.actions.values()),
                *((f"stage:{x.id}", x.source) for x in self.path_stages().values()),
                *((f"indicator:{x.id}", x.source) for x in self.indicators().values())]

    def path_stages(self) -> dict[str, PathStage]:
        return {s.id: s for s in self.path.stages} if self.path is not None else {}

    def indicators(self) -> dict[str, OutcomeIndicator]:
        return {i.id: i for i in self.outcomes.indicators} if self.outcomes is not None else {}

    def sectors(self) -> list[str]:
        return list(self.profiles.sector)
