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

    def sourced(self) -> list[tuple[str, Sourcing]]:
        """Every item that cites the source registry, keyed like ``origins`` (criterion:, rule:, action:)."""
        return [*((f"criterion:{x.id}", x.source) for x in self.criteria.values()),
                *((f"rule:{x.id}", x.source) for x in self.rules.values()),
                *((f"action:{x.id}", x.source) for x in self.actions.values())]

    def sectors(self) -> list[str]:
        return list(self.profiles.sector)
