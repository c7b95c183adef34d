"""``advisor web init`` and ``advisor web serve``: what the CLI calls, after checking Django is installed."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any, Callable

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
        admin = user("admin", "administrator")
        admin.is_staff = True  # type: ignore[attr-defined]
        admin.save()  # type: ignore[attr-defined]
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


def _ready() -> None:
    """Django set up and the database migrated: these commands may come before `advisor web init`."""
    setup()
    migrate()


def _refuse(errors: dict[str, str], options: dict[str, str]) -> None:
    """The pages' per-field messages, each named by the command's option."""
    from ..errors import AdvisorError, Problem
    if errors:
        raise AdvisorError([Problem(options.get(f, f"--{f.replace('_', '-')}"), m) for f, m in errors.items()])


def _user(username: str, option: str) -> object:
    from .people import forms
    errors: dict[str, str] = {}
    user = forms.existing_user({option: username}, option, errors)
    _refuse(errors, {option: option.upper()})
    return user


def _body(slug: str) -> object:
    from .bodies.models import Body
    body = Body.objects.filter(slug=slug).first()
    from ..errors import N_
    _refuse({} if body else {"body": N_("no body has the id {slug!r} (advisor web createbody makes one)", slug=slug)}, {})
    return body


def create_body(values: dict[str, str], lang: str = "en") -> str:
    """``advisor web createbody``: the checks and the trail of the administration page."""
    _ready()
    from django.db import transaction
    from django.utils import translation

    from .people import forms, services
    with translation.override(lang), transaction.atomic():
        clean, errors = forms.clean_body(values)
        _refuse(errors, {"slug": "SLUG", "government_level": "--level"})
        return services.create_body(clean, None).slug


def add_user(username: str, language: str, role: str, admin: bool, body: str | None, body_role: str, site: str,
             lang: str = "en") -> str:
    """``advisor web adduser``: an account (optionally in a body's office); returns its set-password link."""
    _ready()
    from django.db import transaction
    from django.utils import translation

    from .people import forms, services
    with translation.override(lang), transaction.atomic():
        values, errors = forms.clean_new_user({"username": username, "language": language, "role": role, "admin": admin})
        found = _body(body) if body else None
        role_in_body = forms.clean_role({"body_role": body_role}, forms.BODY_ROLES, errors, "body_role")
        _refuse(errors, {"username": "USERNAME"})
        user = services.create_user(values["username"], values["language"], None, role=values["role"], admin=values["admin"])
        if found is not None:
            services.add_member(found, user, role_in_body, None)  # type: ignore[arg-type]
        return site.rstrip("/") + services.set_password_path(user)


def new_link(username: str, site: str, lang: str = "en") -> str:
    """``advisor web link``: a new set-password link (a lost link, a forgotten password)."""
    _ready()
    from django.utils import translation

    from .people import services
    with translation.override(lang):
        return site.rstrip("/") + services.issue_link(_user(username, "username"), None)


def engage(username: str, slug: str, starts: str, ends: str | None, lang: str = "en") -> None:
    """``advisor web engage``: a consultant engaged with a body for a period."""
    _ready()
    from django.db import transaction
    from django.utils import translation

    from .people import forms, services
    with translation.override(lang), transaction.atomic():
        body = _body(slug)
        values, errors = forms.clean_engagement({"consultant": username, "starts": starts, "ends": ends or ""})
        _refuse(errors, {"consultant": "USERNAME"})
        services.engage(body, values["consultant"], values["starts"], values["ends"], None)  # type: ignore[arg-type]
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


def recompute(echo: Callable[[str], None]) -> int:
    from ..errors import N_
    """Every final round without a result of the installed knowledge base gets one; the older results stay.
    Returns how many results were computed."""
    setup()
    from .jobs import services
    from .jobs.models import Job
    ids = services.outdated_rounds(None)
    job = services.run(Job(kind=Job.Kind.RECOMPUTE, rounds=ids, total=len(ids)))
    if job.status == Job.Status.FAILED:
        from ..errors import AdvisorError
        raise AdvisorError(services.problems_of(job))
    echo(N_("{count} result(s) computed with knowledge base {kb} ({missing} final round(s) had none)",
            count=job.result["recomputed"], kb=job.result["kb_version"], missing=len(ids)))
    return int(job.result["recomputed"])


def impact(kb_dir: str) -> tuple[Any, list[Any]]:
    """Every stored final round under the installed and the candidate knowledge base (validated and linted
    first): the library's Impact, keyed ``body #round``, and the lint findings. Nothing is stored."""
    setup()
    from pathlib import Path

    from .. import api
    from .assessments import services as rounds
    from .assessments.models import Round
    from .jobs import services
    candidate, findings = services.check_candidate(Path(kb_dir))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        return None, findings
    final = Round.objects.filter(status=Round.Status.FINAL).select_related("body").order_by("body__slug", "number")
    return api.rules_impact(rounds.kb(), candidate, [(f"{r.body.slug} #{r.number}", rounds.assessment(r)) for r in final]), findings


def worker(once: bool, poll: float, echo: Callable[[str], None]) -> int:
    """Run queued jobs one after another (advisor.web.jobs.services.worker_loop). Returns how many ran."""
    setup()
    migrate()
    from ..errors import N_
    from .jinja import JOB_KINDS, JOB_STATES  # a job's kind and state as the pages name them
    from .jobs import services
    return services.worker_loop(once, poll, echo, kind=lambda k: N_(JOB_KINDS.get(k, k)),
                                state=lambda s: N_(JOB_STATES.get(s, s)))


def cleanup(keep_days: int | None) -> dict[str, int]:
    """``advisor web cleanup``: old finished jobs and unpacked candidate uploads no job needs (jobs/services.py)."""
    setup()
    migrate()
    from .jobs import services
    return services.cleanup(keep_days=keep_days)
