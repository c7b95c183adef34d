"""A loaded knowledge base as plain values and back, for the cache of an unchanged knowledge base.

Loading validates every file with pydantic and cross-checks every reference; for an unchanged knowledge
base (same files, same code) that gives the same result each time, so the cache keeps the result and
rebuilds it with ``model_construct``: no validation, no schema to build. The encoded form is data only
(dicts, lists, strings, numbers and tagged tuples); a model is named by its class, looked up among the
models of :mod:`advisor.models` only, so the cache can build nothing else. Anything the encoding does not
know makes the knowledge base uncached (it is then loaded as usual), never wrongly cached.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from ..models.knowledge import KnowledgeBase, Located, Origin

_PLAIN = (str, int, float, bool, type(None))
_MODELS_PACKAGE = "advisor.models."


class Unencodable(Exception):
    """A value the encoding does not know: the knowledge base is not cached."""


def _models() -> dict[str, type[BaseModel]]:
    out: dict[str, type[BaseModel]] = {}
    todo = list(BaseModel.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(_MODELS_PACKAGE):
            out[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return out


def _enc(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return [_enc(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, _PLAIN) for k in value):
            raise Unencodable(repr(value)[:80])
        return {k: _enc(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        cls = type(value)
        if not cls.__module__.startswith(_MODELS_PACKAGE) or value.__pydantic_extra__ or value.__pydantic_private__:
            raise Unencodable(cls.__qualname__)
        return ("M", f"{cls.__module__}.{cls.__qualname__}", [_enc(getattr(value, k)) for k in cls.model_fields],
                tuple(sorted(value.model_fields_set)))
    if isinstance(value, tuple):
        return ("T", [_enc(v) for v in value])
    raise Unencodable(type(value).__qualname__)


def _dec(value: Any, models: dict[str, type[BaseModel]]) -> Any:
    if isinstance(value, list):
        return [_dec(v, models) for v in value]
    if isinstance(value, dict):
        return {k: _dec(v, models) for k, v in value.items()}
    if isinstance(value, tuple):
        if value[0] == "M":
            cls = models[value[1]]   # KeyError for a name that is not one of our models: the cache is refused
            fields = cls.model_fields
            if len(value[2]) != len(fields):
                raise ValueError(f"{value[1]}: {len(value[2])} values for {len(fields)} fields")
            return _construct(cls, dict(zip(fields, [_dec(v, models) for v in value[2]])), set(value[3]))
        if value[0] == "T":
            return tuple(_dec(v, models) for v in value[1])
        raise ValueError(f"unknown tag {value[0]!r}")
    return value


def _construct(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> BaseModel:
    """``cls.model_construct(fields_set, **values)`` for a model given every field: what it sets, without its
    per-field lookups of aliases and defaults (a few thousand models per knowledge base)."""
    if cls.__pydantic_post_init__ is not None or cls.__private_attributes__ or cls.__pydantic_root_model__:
        return cls.model_construct(fields_set, **values)
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def encode(kb: KnowledgeBase) -> Any:
    """``kb`` as plain values; origins as (file relative to the knowledge base, location in it)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(kb):
        if f.name == "root":
            continue
        value = getattr(kb, f.name)
        if f.name == "origins":
            out["origins"] = {k: (_relative(kb.root, o.source.path), o.loc) for k, o in value.items()}
        else:
            out[f.name] = _enc(value)
    return out


def decode(data: Any, root: Path, source_of: Callable[[str], Located]) -> KnowledgeBase:
    """The knowledge base :func:`encode` gave; ``source_of(relative path)`` gives the file's (lazy) source.
    Raises ValueError, KeyError or TypeError on data that is not such an encoding."""
    models = _models()
    fields = {k: _dec(v, models) for k, v in data.items() if k != "origins"}
    sources: dict[str, Located] = {}
    origins = {}
    for key, (rel, loc) in data["origins"].items():
        if rel not in sources:
            sources[rel] = source_of(rel)
        origins[key] = Origin(sources[rel], tuple(loc))
    return KnowledgeBase(root=root, origins=origins, **fields)


def _relative(root: Path, path: str) -> str:
    rel = Path(os.path.relpath(path, root)).as_posix()
    if rel.startswith("..") or str(root / rel) != path:
        raise Unencodable(path)   # a source outside the folder, or spelt so that it would not come back the same
    return rel
