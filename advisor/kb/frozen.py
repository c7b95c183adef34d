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
import functools
import os
import sys
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
    """``value`` as plain values; a list or dict holding no model or tuple is kept as it is (plain), one that
    does is tagged ("L", "D"), so that decoding walks only the parts that hold models."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        items = [_enc(v) for v in value]
        return ("L", items) if any(type(x) is tuple for x in items) else items
    if isinstance(value, dict):
        if not all(isinstance(k, _PLAIN) for k in value):
            raise Unencodable(repr(value)[:80])
        mapping = {k: _enc(v) for k, v in value.items()}
        return ("D", mapping) if any(type(x) is tuple for x in mapping.values()) else mapping
    if isinstance(value, BaseModel):
        cls = type(value)
        if not cls.__module__.startswith(_MODELS_PACKAGE) or value.__pydantic_extra__ or value.__pydantic_private__:
            raise Unencodable(cls.__qualname__)
        values = {k: _enc(getattr(value, k)) for k in cls.model_fields}
        # the fields whose values are tagged: the only ones decoding has to look into
        tagged = tuple(k for k, x in values.items() if type(x) is tuple)
        return ("M", _name(cls), values, tuple(sorted(value.model_fields_set)), tagged)
    if isinstance(value, tuple):
        return ("T", [_enc(v) for v in value])
    raise Unencodable(type(value).__qualname__)


@functools.lru_cache(maxsize=None)
def _name(cls: type[BaseModel]) -> str:
    """A model's name, one string for all its models: marshal then writes it once and refers to it after."""
    return sys.intern(f"{cls.__module__}.{cls.__qualname__}")


class _Decoder:
    """Rebuilds what :func:`_enc` gave; only tagged tuples are looked into (plain values are used as read)."""

    def __init__(self) -> None:
        self.models = _models()
        #: a model's class, its fields, and whether it can be built by setting its attributes (see _construct)
        self.known: dict[str, tuple[type[BaseModel], set[str], bool]] = {}

    def __call__(self, value: Any) -> Any:
        return self.dec(value) if type(value) is tuple else value

    def dec(self, value: tuple[Any, ...]) -> Any:
        tag = value[0]
        if tag == "M":
            name = value[1]
            known = self.known.get(name)
            if known is None:
                cls = self.models[name]   # KeyError for a name that is not one of our models: the cache is refused
                known = self.known[name] = (cls, set(cls.model_fields), _settable(cls))
            cls, names, settable = known
            values = value[2]
            if type(values) is not dict or values.keys() != names:
                raise ValueError(f"{name}: not the fields of the model")
            for k in value[4]:
                values[k] = self.dec(values[k])
            if not settable:
                return cls.model_construct(set(value[3]), **values)
            # what model_construct sets for a model given every field, without its per-field lookups of aliases
            # and defaults (tens of thousands of models in a large knowledge base)
            model = _new(cls)
            _set(model, "__dict__", values)
            _set(model, "__pydantic_fields_set__", set(value[3]))
            _set(model, "__pydantic_extra__", None)
            _set(model, "__pydantic_private__", None)
            return model
        if tag == "L":
            return [self.dec(x) if type(x) is tuple else x for x in value[1]]
        if tag == "D":
            return {k: self.dec(x) if type(x) is tuple else x for k, x in value[1].items()}
        if tag == "T":
            return tuple([self.dec(x) if type(x) is tuple else x for x in value[1]])
        raise ValueError(f"unknown tag {tag!r}")


_new = object.__new__
_set = object.__setattr__


def _settable(cls: type[BaseModel]) -> bool:
    """A model that model_construct would build by setting its four attributes (nothing run after, no
    private attributes, not a root model)."""
    return cls.__pydantic_post_init__ is None and not cls.__private_attributes__ and not cls.__pydantic_root_model__


def encode(kb: KnowledgeBase) -> Any:
    """``kb`` as plain values; origins as (file relative to the knowledge base, location in it)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(kb):
        if f.name == "root":
            continue
        value = getattr(kb, f.name)
        if f.name == "origins":
            relative = {path: _relative(kb.root, path) for path in {o.source.path for o in value.values()}}
            out["origins"] = {k: (relative[o.source.path], o.loc) for k, o in value.items()}
        else:
            out[f.name] = _enc(value)
    return out


def decode(data: Any, root: Path, source_of: Callable[[str], Located]) -> KnowledgeBase:
    """The knowledge base :func:`encode` gave; ``source_of(relative path)`` gives the file's (lazy) source.
    Raises ValueError, KeyError, IndexError or TypeError on data that is not such an encoding."""
    dec = _Decoder()
    fields = {k: dec(v) for k, v in data.items() if k != "origins"}
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
