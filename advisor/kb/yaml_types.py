"""How YAML is typed for our files: three YAML 1.1 surprises undone where they hurt users.

- A date stays text until the models check it: YAML's own conversion raises on ``2026-13-45`` outside
  any validation (no file, line or hint), and JSON gives dates as text anyway.
- ``1e5`` and ``2.5E-3`` are numbers, as in JSON and YAML 1.2 (YAML 1.1 wants a dot and a sign).
- A key written ``on``, ``no`` or ``null`` is that text, not True, False or None: YAML 1.1 would make
  ``1:`` and ``on:`` one duplicate key, and an unknown field "Keys should be strings".
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TEXT_KEY_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
_EXPONENT = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$")


def _resolvers() -> dict[Any, list[tuple[str, Any]]]:
    out = {first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
           for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    for first in "-+0123456789.":
        out.setdefault(first, []).insert(0, ("tag:yaml.org,2002:float", _EXPONENT))
    return out


class TypedLoader(yaml.SafeLoader):
    """SafeLoader with the typing above; everything else is YAML 1.1 as PyYAML reads it."""

    yaml_implicit_resolvers = _resolvers()
    _composing_key = False

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        # the composer passes no index while it composes a mapping's key
        self._composing_key = isinstance(current_node, yaml.MappingNode) and current_index is None
        super().descend_resolver(current_node, current_index)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        tag = super().resolve(kind, value, implicit)
        if self._composing_key and kind is yaml.ScalarNode and implicit[0] and tag in _TEXT_KEY_TAGS:
            return "tag:yaml.org,2002:str"
        return tag
