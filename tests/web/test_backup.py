"""Back up the demo data and restore it into a fresh database: every row and a rendered report come back the same.

Runs on the database the suite runs on: SQLite normally, PostgreSQL when DATABASE_URL is set (.ci/run).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client

from advisor import api
from advisor.cli.main import main
from advisor.errors import AdvisorError
from advisor.web import backup, commands
from advisor.web.accounts.models import LoginAttempt, Profile
from advisor.web.assessments import services
from advisor.web.assessments.models import Answer, AuditEvent, Result, Round
from advisor.web.bodies.models import Body, Engagement, Membership
from advisor.web.progress import services as progress
from advisor.web.progress.models import ActionProgress, ProgressEvent

pytestmark = pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads them from another connection

#: the tables the demo fills; every other table of the site is compared too, even when empty
SEEDED = [get_user_model(), Profile, LoginAttempt, Session, Body, Membership, Engagement, Round, Answer, AuditEvent, Result,
          ActionProgress, ProgressEvent]
MODELS = SEEDED + sorted((m for m in django_apps.get_models() if m.__module__.startswith("advisor.web.") and m not in SEEDED),
                         key=lambda m: m._meta.label)
ROOT = Path(__file__).resolve().parents[2]


def snapshot(slug: str) -> str:
    """Every row of the site's tables and the body's current roadmap rendered as the HTML report, as JSON."""
    body = Body.objects.get(slug=slug)
    final = progress.current_round(body, Round.objects.all())
    assert final is not None
    k = services.kb()
    ev = api.evaluate(services.assessment(final), k)
    rm = api.roadmap(ev, k, progress=progress.to_progress(slug, ActionProgress.objects.filter(body=body)))
    return json.dumps({"rows": {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS},
                       "report": api.render_report(ev, rm, k, "ru", "html")}, cls=DjangoJSONEncoder, sort_keys=True)


def restored_snapshot(db: dict[str, Any], slug: str) -> str:
    """The snapshot as a site started on the restored database sees it (a new process, its own settings)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ADVISOR_DB_PATH"}}
    if db["ENGINE"].endswith("sqlite3"):
        env["ADVISOR_DB_PATH"] = db["NAME"]
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    code = f"import django; django.setup(); from tests.web.test_backup import snapshot; print(snapshot({slug!r}))"
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def demo() -> str:
    """The demo data, a signed-in session, a failed sign-in and a body's progress; returns the body with a final round."""
    logins = commands.demo_data()
    lead, password, _ = next(x for x in logins if x[2] == "lead" and
                             Round.objects.filter(body__memberships__user__username=x[0], status="final").exists())
    c = Client(HTTP_HOST="localhost")
    assert c.post("/accounts/login/", {"username": lead, "password": password}).status_code == 302
    c.post("/accounts/login/", {"username": lead, "password": "wrong"})
    body = Body.objects.get(memberships__user__username=lead)
    user = get_user_model().objects.get(username=lead)
    final = progress.current_round(body, Round.objects.all())
    assert final is not None
    items = progress.current(body, final).roadmap.items
    progress.save(body, items[0].id, {"status": "done", "done_on": dt.date(2026, 11, 2), "owner": "ИТ-отдел"}, user)
    progress.save(body, items[1].id, {"status": "in_progress", "started_on": dt.date(2026, 11, 3), "note": "Пилот"}, user)
    return body.slug


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The settings of a second, empty database of the same engine."""
    db = dict(connection.settings_dict)
    sqlite = db["ENGINE"].endswith("sqlite3")
    if sqlite:
        db["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        db["NAME"] = f"{db['NAME']}_restored"
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
            cur.execute(f'CREATE DATABASE "{db["NAME"]}"')
    yield db
    if not sqlite:
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def test_a_restored_backup_holds_every_row_and_renders_the_same_report(demo: str, fresh: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "site.backup"
    backup.backup(out)
    assert backup.restore(out, fresh) == fresh["NAME"]
    before = snapshot(demo)
    tables = json.loads(before)["rows"]
    assert all(tables[m.__name__] for m in SEEDED), [m.__name__ for m in SEEDED if not tables[m.__name__]]
    assert set(tables) >= {"AccessEvent", "Job"}   # tables added since are compared as well
    assert restored_snapshot(fresh, demo) == before


def test_a_backup_never_overwrites_and_a_restore_never_replaces(demo: str, fresh: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "site.backup"
    out.write_text("an earlier backup")
    with pytest.raises(AdvisorError, match="never overwrites"):
        backup.backup(out)
    assert out.read_text() == "an earlier backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no half-written file left beside it
    out.unlink()
    backup.backup(out)
    assert out.stat().st_mode & 0o777 == 0o600  # password hashes and sessions: for its owner only
    backup.restore(out, fresh)
    if fresh["ENGINE"].endswith("sqlite3"):
        restored = Path(fresh["NAME"]).read_bytes()
    with pytest.raises(AdvisorError, match="never overwrite"):  # the restored database now holds data
        backup.restore(out, fresh)
    if fresh["ENGINE"].endswith("sqlite3"):
        assert Path(fresh["NAME"]).read_bytes() == restored
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a backup")
    with pytest.raises(AdvisorError, match="not a"):
        backup.restore(stranger, fresh)


def test_the_commands_refuse_without_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "exists.backup"
    out.write_text("keep me")
    result = CliRunner().invoke(main, ["web", "backup", str(out)])
    assert result.exit_code == 2 and "never overwrites" in result.output and "Traceback" not in result.output
    assert out.read_text() == "keep me"
    result = CliRunner().invoke(main, ["web", "restore", str(tmp_path / "missing.backup")])
    assert result.exit_code == 2 and "no such backup file" in result.output
