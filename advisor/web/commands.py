"""``advisor web init`` and ``advisor web serve``: what the CLI calls, after checking Django is installed."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.web.settings")


def setup() -> None:
    import django
    django.setup()


def migrate() -> None:
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)


def examples_dir() -> Path:
    from .. import api
    return api.default_kb_root() / "examples"


def init(demo: bool) -> list[tuple[str, str, str]]:
    """Migrate; with ``demo``, bodies from examples/ with users of every role. Returns (login, password, role)."""
    setup()
    migrate()
    return demo_data() if demo else []


def demo_data() -> list[tuple[str, str, str]]:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from .accounts.models import Profile
    from .assessments import services
    from .assessments.models import Round
    from .bodies.models import Body, Engagement, Membership

    users = get_user_model()
    logins: list[tuple[str, str, str]] = []

    def user(name: str, role: str) -> object:
        password = secrets.token_urlsafe(9)
        u, _ = users.objects.get_or_create(username=name)
        u.set_password(password)
        u.save()
        Profile.objects.update_or_create(user=u, defaults={"role": role if role in {"coordinator", "analyst"} else ""})
        logins.append((name, password, role))
        return u

    with transaction.atomic():
        coordinator = user("coordinator", "coordinator")
        user("analyst", "analyst")
        consultant = user("consultant", "consultant")
        for i, path in enumerate(sorted(examples_dir().glob("*.yaml"))):
            a = services.api.read_assessment_upload(path.name, path.read_bytes(), services.kb())
            org = a.organisation
            body, created = Body.objects.get_or_create(slug=org.id, defaults={
                "name_kk": org.name, "name_ru": org.name, "name_en": org.name, "government_level": org.government_level,
                "sector": org.sector, "office_type": org.office_type})
            lead, member = user(f"{org.id}-lead", "lead"), user(f"{org.id}-member", "member")
            Membership.objects.get_or_create(user=lead, body=body, defaults={"role": "lead"})
            Membership.objects.get_or_create(user=member, body=body, defaults={"role": "member"})
            if i < 2:
                Engagement.objects.get_or_create(consultant=consultant, body=body,
                                                 defaults={"starts": dt.date.today() - dt.timedelta(days=30)})
            if created:
                round_ = services.import_round(body, path.name, path.read_bytes(), lead)  # type: ignore[arg-type]
                if i == 0:  # one body with a final round and the next one started, to show the workflow
                    services.submit(round_, lead)  # type: ignore[arg-type]
                    services.finalise(round_, coordinator)  # type: ignore[arg-type]
                    services.new_round(body, lead, previous=Round.objects.get(pk=round_.pk))  # type: ignore[arg-type]
    return logins


def backup(out: Path) -> str:
    """The configured database into the new file ``out``; returns the kind of backup."""
    setup()
    from . import backup as b
    return b.backup(out)


def restore(source: Path) -> str:
    """A backup into the configured database, which must be new; returns where it went. No migration first."""
    setup()
    from . import backup as b
    return b.restore(source)


def serve(dev: bool, host: str, port: int) -> None:
    """gunicorn (or Django's development server with ``dev``); migrations are applied first."""
    if dev:
        os.environ.setdefault("ADVISOR_DEBUG", "1")
    setup()
    migrate()
    if dev:
        from django.core.management import call_command
        call_command("runserver", f"{host}:{port}")
        return
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "advisor.web.wsgi:application", "--bind", f"{host}:{port}",
                               "--workers", os.environ.get("ADVISOR_WEB_WORKERS", "2"), "--access-logfile", "-"])
