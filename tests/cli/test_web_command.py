"""`advisor web`: Django is imported only inside the command; without the extra it says how to install it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from advisor.cli import web as web_cli
from advisor.cli.main import main


def test_the_cli_does_not_import_django() -> None:
    code = "import sys, advisor.cli.main; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("args", [["web", "init", "--demo"], ["web", "serve"]])
def test_without_the_web_extra(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.setattr(web_cli.importlib.util, "find_spec", lambda name: None)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "pip install '.[web]'" in result.output and "Traceback" not in result.output


def test_init_demo_prints_logins_that_work(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"ADVISOR_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    script = ("from click.testing import CliRunner; from advisor.cli.main import main; "
              "r = CliRunner().invoke(main, ['web', 'init', '--demo']); print(r.output); "
              "from django.contrib.auth import authenticate; import sys; "
              "rows = [l.split() for l in r.output.splitlines() if l.startswith('  ')]; "
              "sys.exit(0 if rows and all(authenticate(username=u, password=p) for u, p, _ in rows) else 1)")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "database ready" in out.stdout and "adz-example-lead" in out.stdout and "consultant" in out.stdout
    assert (tmp_path / "advisor.sqlite3").exists()
