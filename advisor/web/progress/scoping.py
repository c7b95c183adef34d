"""Who may see and change a body's progress, in the style of ``advisor/web/scoping.py`` (whose bodies and roles
it builds on): a body the user may not see does not exist for them (404); progress they may not see or change
is refused (403). Policy analysts see no body's progress: it names people and links to evidence."""

from __future__ import annotations

from django.db.models import QuerySet

from .. import scoping
from ..bodies.models import Body
from .models import ActionProgress, ProgressEvent

PROGRESS_ACTIONS: dict[str, set[str]] = {
    "view": {"member", "lead", "consultant", "coordinator"},
    "edit": {"member", "lead"},
    "import": {"member", "lead"},
}
PROGRESS_ACTIONS["export"] = PROGRESS_ACTIONS["view"]


def allowed(user: scoping.User, action: str, body: Body) -> bool:
    return scoping.role_in(user, body) in PROGRESS_ACTIONS[action]


def visible_bodies(user: scoping.User) -> list[Body]:
    def look_up() -> list[Body]:
        bodies = list(scoping.bodies(user))
        roles = scoping.roles_in(user, bodies)   # a fixed number of queries, however many bodies
        return [b for b in bodies if roles[b.pk] in PROGRESS_ACTIONS["view"]]
    return list(scoping.remembered(("progress-bodies", user.pk), look_up))


def progress(user: scoping.User) -> QuerySet[ActionProgress]:
    return ActionProgress.objects.filter(body__in=visible_bodies(user))


def events(user: scoping.User) -> QuerySet[ProgressEvent]:
    return ProgressEvent.objects.filter(body__in=visible_bodies(user)).select_related("user")
