"""Who may see and do what: one scoping function per model, and one permission check. Views never filter.

A row a user may not see does not exist for them (views look it up in the scoped queryset: 404); an
action they may not take on a row they see is refused (403). Counts, exports and error messages are
built from scoped querysets only, so nothing of another body leaks through them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .accounts.models import Profile
from .assessments.models import Answer, AuditEvent, Result, Round
from .bodies.models import Body, Engagement, Membership
from .people.models import AccessEvent

User: TypeAlias = AbstractBaseUser | AnonymousUser

#: what each role may do to a round it sees, and in which states of the round
ROUND_ACTIONS: dict[str, dict[str, set[str]]] = {
    "view": {"member": {"draft", "submitted", "final"}, "lead": {"draft", "submitted", "final"},
             "consultant": {"draft", "submitted", "final"}, "coordinator": {"draft", "submitted", "final"}},
    "edit": {"member": {"draft"}, "lead": {"draft"}},
    "submit": {"lead": {"draft"}},
    "finalise": {"lead": {"submitted"}, "consultant": {"submitted"}},
    "reopen": {"lead": {"submitted"}, "consultant": {"submitted"}},
    "next_round": {"lead": {"final"}},
    "history": {"member": {"draft", "submitted", "final"}, "lead": {"draft", "submitted", "final"},
                "consultant": {"draft", "submitted", "final"}, "coordinator": {"draft", "submitted", "final"}},
}
ROUND_ACTIONS["results"] = ROUND_ACTIONS["view"]
ROUND_ACTIONS["download"] = ROUND_ACTIONS["view"]
BODY_ACTIONS: dict[str, set[str]] = {"view": {"member", "lead", "consultant", "coordinator"},
                                     "create_round": {"lead"}, "import": {"lead"}}


#: the roles looked up while one request is answered (a page asks for them many times: the permission, the
#: buttons it offers, the header's links); None outside a request, where nothing is remembered
_roles: ContextVar[dict[Hashable, Any] | None] = ContextVar("advisor_roles", default=None)


@contextmanager
def request_roles() -> Iterator[None]:
    """Remember roles for one request (``middleware.request_roles``); forgotten when it ends."""
    token = _roles.set({})
    try:
        yield
    finally:
        _roles.reset(token)


def remembered(key: Hashable, make: Callable[[], Any]) -> Any:
    found = _roles.get()
    if found is None:
        return make()
    if key not in found:
        found[key] = make()
    return found[key]


def _forget(**_: Any) -> None:
    """A role, membership or engagement changed during the request: look every role up again."""
    found = _roles.get()
    if found is not None:
        found.clear()


for _model in (Profile, Membership, Engagement):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"scoping-forget-save-{_model.__name__}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"scoping-forget-delete-{_model.__name__}")


def global_role(user: User) -> str:
    if not user.is_authenticated:
        return ""

    def look_up() -> str:
        profile = Profile.objects.filter(user=user).only("role").first()
        return profile.role if profile else ""
    return str(remembered(("global", user.pk), look_up))


def _engaged(user: User) -> Q:
    """Bodies of the consultant's engagements that are running today."""
    return Q(pk__in=Engagement.objects.filter(Engagement.active_on(timezone.localdate()), consultant=user).values("body"))


def bodies(user: User) -> QuerySet[Body]:
    if not user.is_authenticated:
        return Body.objects.none()
    role = global_role(user)
    if role == "coordinator":
        return Body.objects.all()
    if role == "analyst":   # aggregates only (portfolio_rounds): no body's page, name or evidence
        return Body.objects.none()
    return Body.objects.filter(Q(pk__in=Membership.objects.filter(user=user).values("body")) | _engaged(user)).distinct()


def rounds(user: User) -> QuerySet[Round]:
    return Round.objects.filter(body__in=bodies(user)).select_related("body")


def answers(user: User) -> QuerySet[Answer]:
    return Answer.objects.filter(round__in=rounds(user))


def audit_events(user: User) -> QuerySet[AuditEvent]:
    visible = [r.pk for r in rounds(user) if allowed(user, "history", r)]
    return AuditEvent.objects.filter(round__in=visible).select_related("user")


def results(user: User) -> QuerySet[Result]:
    return Result.objects.filter(round__in=rounds(user))


def role_in(user: User, body: Body) -> str:
    """The user's role for this body: lead, member, consultant (engaged today), coordinator, analyst or ''."""
    if not user.is_authenticated:
        return ""
    return str(remembered(("body", user.pk, body.pk), lambda: _role_in(user, body)))


def _role_in(user: User, body: Body) -> str:
    membership = Membership.objects.filter(user=user, body=body).first()
    if membership is not None:
        return membership.role
    if Engagement.objects.filter(Engagement.active_on(timezone.localdate()), consultant=user, body=body).exists():
        return "consultant"
    return global_role(user)


def roles_in(user: User, bodies: list[Body]) -> dict[int, str]:
    """``role_in`` for many bodies in a fixed number of queries (a coordinator's home page lists every body)."""
    if not user.is_authenticated:
        return {}
    ids = [b.pk for b in bodies]
    members = dict(Membership.objects.filter(user=user, body__in=ids).values_list("body", "role"))
    engaged = set(Engagement.objects.filter(Engagement.active_on(timezone.localdate()), consultant=user, body__in=ids)
                  .values_list("body", flat=True))
    role = global_role(user)
    return {pk: members.get(pk) or ("consultant" if pk in engaged else role) for pk in ids}


def allowed_on_round(user: User, actions: tuple[str, ...], round_: Round) -> dict[str, bool]:
    """``allowed`` for several actions on one round, looking the user's role up once."""
    role = role_in(user, round_.body)
    return {a: round_.status in ROUND_ACTIONS[a].get(role, set()) for a in actions}


def allowed(user: User, action: str, obj: Body | Round) -> bool:
    if isinstance(obj, Round):
        return obj.status in ROUND_ACTIONS[action].get(role_in(user, obj.body), set())
    return role_in(user, obj) in BODY_ACTIONS[action]


# --- managing bodies, users and roles (issue 16) ---
#: who may manage access: a site administrator (Django's staff or superuser flag) everywhere; an office
#: lead adds and removes office members of their own body (not leads, not themselves)
PEOPLE_ACTIONS: dict[str, set[str]] = {"view": {"admin", "lead"}, "add_member": {"admin", "lead"},
                                       "add_lead": {"admin"}, "engage": {"admin"}}


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)))


def people_bodies(user: User) -> QuerySet[Body]:
    """Bodies whose people the user manages: every body for an administrator, else those they lead."""
    if is_admin(user):
        return Body.objects.all()
    if not user.is_authenticated:
        return Body.objects.none()
    return Body.objects.filter(pk__in=Membership.objects.filter(user=user, role=Membership.Role.LEAD).values("body"))


def bodies_or_people(user: User) -> QuerySet[Body]:
    """Bodies the user sees or manages: a people page of any other is 404."""
    return Body.objects.filter(Q(pk__in=bodies(user).values("pk")) | Q(pk__in=people_bodies(user).values("pk")))


def people_role(user: User, body: Body) -> str:
    return "admin" if is_admin(user) else role_in(user, body)


def may_manage(user: User, action: str, body: Body) -> bool:
    return people_role(user, body) in PEOPLE_ACTIONS[action]


def may_remove(user: User, membership: Membership) -> bool:
    if is_admin(user):
        return True
    return (membership.role == Membership.Role.MEMBER and membership.user_id != user.pk
            and role_in(user, membership.body) == "lead")


def access_events(user: User) -> QuerySet[AccessEvent]:
    """An administrator's: all; a lead's: those of the bodies they lead."""
    if is_admin(user):
        return AccessEvent.objects.all().select_related("by", "body")
    return AccessEvent.objects.filter(body__in=people_bodies(user)).select_related("by", "body")
#: what the portfolio shows each cross-body role: coordinators every body by name, analysts aggregates only
PORTFOLIO_VIEWS: dict[str, str] = {"coordinator": "bodies", "analyst": "aggregates"}


def portfolio_view(user: User) -> str:
    """'bodies', 'aggregates' or '' (no portfolio: office members, leads and consultants work body by body)."""
    return PORTFOLIO_VIEWS.get(global_role(user), "")


def portfolio_rounds(user: User) -> QuerySet[Round]:
    """Every final round of the bodies in the user's portfolio, oldest first; none without a portfolio role.
    An analyst's are every body's final rounds, for aggregates only (the analyst sees no body itself)."""
    view = portfolio_view(user)
    if not view:
        return Round.objects.none()
    qs = rounds(user) if view == "bodies" else Round.objects.all()
    return qs.filter(status=Round.Status.FINAL).select_related("body").order_by("body__slug", "assessed_on", "number")
