"""Two bodies with users of every role and rounds in every state, built through the services users go through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_A = ROOT / "examples" / "health-body.yaml"
EXAMPLE_B = ROOT / "examples" / "local-akimat.yaml"
PASSWORD = "correct horse battery staple"


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    bodies: dict[str, Any] = field(default_factory=dict)
    rounds: dict[str, Any] = field(default_factory=dict)   # "A-draft", "A-submitted", "A-final", "B-draft", ...


def make_user(name: str, role: str = "", lang: str = "ru") -> Any:
    from django.contrib.auth import get_user_model

    from advisor.web.accounts.models import Profile
    user = get_user_model().objects.create_user(name, password=PASSWORD)
    Profile.objects.create(user=user, role=role, language=lang)
    return user


def build_world() -> World:
    from advisor.web.assessments import services
    from advisor.web.bodies.models import Body, Engagement, Membership

    w = World()
    today = dt.date.today()
    for key, path in (("A", EXAMPLE_A), ("B", EXAMPLE_B)):
        a = services.api.read_assessment_upload(path.name, path.read_bytes(), services.kb())
        o = a.organisation
        body = Body.objects.create(slug=o.id, name_kk=f"{o.name} (kk)", name_ru=o.name, name_en=f"{o.name} (en)",
                                   government_level=o.government_level, sector=o.sector, office_type=o.office_type)
        w.bodies[key] = body
        lead, member = make_user(f"lead-{key}"), make_user(f"member-{key}")
        Membership.objects.create(user=lead, body=body, role="lead")
        Membership.objects.create(user=member, body=body, role="member")
        w.users[f"lead-{key}"], w.users[f"member-{key}"] = lead, member
        final = services.import_round(body, path.name, path.read_bytes(), lead)
        services.submit(final, lead)
        services.finalise(final, lead)
        submitted = services.new_round(body, lead, previous=final)
        services.submit(submitted, lead)
        draft = services.new_round(body, lead, previous=final)
        w.rounds.update({f"{key}-final": final, f"{key}-submitted": submitted, f"{key}-draft": draft})
    w.users["consultant"] = make_user("consultant")
    Engagement.objects.create(consultant=w.users["consultant"], body=w.bodies["A"], starts=today - dt.timedelta(days=10))
    Engagement.objects.create(consultant=w.users["consultant"], body=w.bodies["B"], starts=today - dt.timedelta(days=100),
                              ends=today - dt.timedelta(days=1))  # ended yesterday: B is no longer theirs
    w.users["coordinator"] = make_user("coordinator", role="coordinator")
    w.users["analyst"] = make_user("analyst", role="analyst")
    w.users["outsider"] = make_user("outsider")
    w.users["admin"] = make_user("admin")  # a site administrator: manages access, holds no body role
    w.users["admin"].is_staff = True
    w.users["admin"].save()
    return w


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
