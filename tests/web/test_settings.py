"""Settings from the environment: production refuses to start without its secret; `check --deploy` is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from advisor.web.base import database

ROOT = Path(__file__).resolve().parents[2]


def run_django(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ADVISOR_", "DJANGO_", "DATABASE_URL"))}
    base.update(ADVISOR_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="advisor.web.settings_production", **env)
    return subprocess.run([sys.executable, "-m", "django", *args], env=base, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_production_without_a_secret_is_a_clear_error(tmp_path: Path) -> None:
    out = run_django(["check"], {"ADVISOR_ALLOWED_HOSTS": "advisor.example.kz"}, tmp_path)
    assert out.returncode != 0 and "ADVISOR_SECRET_KEY is not set" in out.stderr
    assert not (tmp_path / "secret_key").exists()  # production never makes one up


def test_production_without_hosts_is_a_clear_error(tmp_path: Path) -> None:
    out = run_django(["check"], {"ADVISOR_SECRET_KEY": "s" * 60}, tmp_path)
    assert out.returncode != 0 and "ADVISOR_ALLOWED_HOSTS is not set" in out.stderr


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    secret = "k8Jq2vN0xR5tW7yZ1bC3dF6gH9jL4mP8sU2wX5zA7cE0fI3kM6oQ9rT1vY4"
    out = run_django(["check", "--deploy", "--fail-level", "WARNING"],
                     {"ADVISOR_SECRET_KEY": secret, "ADVISOR_ALLOWED_HOSTS": "advisor.example.kz"}, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_the_site_hashes_passwords_with_scrypt() -> None:
    import advisor.web.base as site
    assert site.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.ScryptPasswordHasher"


def test_database_from_the_environment(tmp_path: Path) -> None:
    pg = database({"DATABASE_URL": "postgres://adv:p%40ss@db.local:5433/advisor"})
    assert pg == {"ENGINE": "django.db.backends.postgresql", "NAME": "advisor", "USER": "adv", "PASSWORD": "p@ss",
                  "HOST": "db.local", "PORT": "5433", "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    assert database({"DATABASE_URL": "postgres://a@h/n", "ADVISOR_DB_CONN_MAX_AGE": "0"})["CONN_MAX_AGE"] == 0
    parts = database({"ADVISOR_DB_ENGINE": "postgresql", "ADVISOR_DB_NAME": "a", "ADVISOR_DB_HOST": "h", "ADVISOR_DB_PORT": "1"})
    assert parts["ENGINE"].endswith("postgresql") and (parts["NAME"], parts["HOST"], parts["PORT"]) == ("a", "h", "1")
    assert database({"ADVISOR_DB_PATH": str(tmp_path / "x.sqlite3")})["ENGINE"].endswith("sqlite3")
    with pytest.raises(ImproperlyConfigured, match="unsupported scheme"):
        database({"DATABASE_URL": "mysql://x/y"})


def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/accounts/login/")
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in r["Content-Security-Policy"] and r["Referrer-Policy"] == "same-origin"
