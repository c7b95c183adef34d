"""Who may see a body's rounds over time and recompute a result, in the style of ``advisor/web/scoping.py``:
everyone who sees the body's final rounds sees their history (a policy analyst too: they see final results);
recomputing a stored result with the installed knowledge base is for the office lead, the engaged consultant
and coordinators (it adds a result, it never changes answers)."""

from __future__ import annotations

from django.db.models import QuerySet

from .. import scoping
from ..assessments.models import Round
from ..bodies.models import Body

TIMELINE_ACTIONS: dict[str, set[str]] = {
    "view": {"member", "lead", "consultant", "coordinator", "analyst"},
    "recompute": {"lead", "consultant", "coordinator"},
}


def allowed(user: scoping.User, action: str, body: Body) -> bool:
    return scoping.role_in(user, body) in TIMELINE_ACTIONS[action]


def final_rounds(user: scoping.User, body: Body) -> QuerySet[Round]:
    """The body's final rounds the user sees, oldest first."""
    return scoping.rounds(user).filter(body=body, status=Round.Status.FINAL).order_by("assessed_on", "number")
