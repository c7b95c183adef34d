"""The command line skips pydantic's plugin search (every installed package's entry points, read when the first
validator is built), except for the web application and where the user set the switch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: runs one command in a fresh interpreter and says whether pydantic searched for plugins, and the switch it saw
SCRIPT = """
import json, os, sys
from pydantic.plugin import _loader
from advisor.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps({"searched": _loader._plugins is not None, "switch": os.environ.get("PYDANTIC_DISABLE_PLUGINS")}),
      file=sys.stderr)
"""


def run(*args: str, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"} | env
    out = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=environ, capture_output=True,
                         text=True, timeout=120)
    return json.loads(out.stderr.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_command_builds_its_validators_without_searching_for_plugins() -> None:
    assert run("assess", "examples/republican-ministry.yaml", "--format", "json") == {"searched": False,
                                                                                       "switch": "__all__"}


@pytest.mark.parametrize("value", ["", "logfire"])
def test_the_users_own_setting_is_kept(value: str) -> None:
    seen = run("assess", "examples/republican-ministry.yaml", "--format", "json", PYDANTIC_DISABLE_PLUGINS=value)
    assert seen == {"searched": True, "switch": value}


def test_the_web_application_keeps_its_plugins() -> None:
    assert run("web", "--help")["switch"] is None
