"""The fields of bodies, accounts, memberships and engagements, and their messages in the user's language.

Each ``clean_*`` returns (values, errors by field); the pages and the `advisor web` commands share them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from django.contrib.auth import get_user_model

from ..assessments.services import kb
from ..bodies.models import Body
from ..i18n import _

LANGUAGES = ("kk", "ru", "en")
#: the values of Profile.Role and Membership.Role
GLOBAL_ROLES = ("", "coordinator", "analyst")
BODY_ROLES = ("member", "lead")
#: the organisation id of assessment files (advisor.models.common.Identifier), lower case for addresses
SLUG = re.compile(r"^[^\W\d_A-Z][\w.\-]*$")
USERNAME = re.compile(r"^[\w.@+\-]+$")
NAME_MAX = 300


def _text(data: Mapping[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def clean_body(data: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    values = {f: _text(data, f) for f in ("slug", "name_kk", "name_ru", "name_en", "government_level", "sector", "office_type")}
    slug = values["slug"]
    if not slug:
        errors["slug"] = _("Give the body an id, e.g. health-ministry.")
    elif len(slug) > 80 or not SLUG.match(slug):
        errors["slug"] = _("An id starts with a lower-case letter and holds only letters, digits, dots and hyphens (at most 80).")
    elif Body.objects.filter(slug=slug).exists():
        errors["slug"] = _("A body with this id exists already.")
    for f in ("name_kk", "name_ru", "name_en"):
        if not values[f]:
            errors[f] = _("Give the name in this language.")
        elif len(values[f]) > NAME_MAX:
            errors[f] = _("At most 300 characters.")
    if values["government_level"] not in Body.Level.values:
        errors["government_level"] = _("Choose the level of government.")
    if values["sector"] not in kb().sectors():
        errors["sector"] = _("Choose a sector from the list.")
    if values["office_type"] not in Body.OfficeType.values:
        errors["office_type"] = _("Choose the type of project office.")
    return values, errors


def clean_new_user(data: Mapping[str, Any], roles: tuple[str, ...] = GLOBAL_ROLES) -> tuple[dict[str, Any], dict[str, str]]:
    """A new account: user name (free), language, cross-body role and the administrator flag."""
    errors: dict[str, str] = {}
    username, language, role = _text(data, "username"), _text(data, "language") or "ru", _text(data, "role")
    if not username:
        errors["username"] = _("Give a user name.")
    elif len(username) > 150 or not USERNAME.match(username):
        errors["username"] = _("A user name holds only letters, digits and . @ + - _ (at most 150).")
    elif get_user_model().objects.filter(username__iexact=username).exists():
        errors["username"] = _("This user name is taken.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose Kazakh, Russian or English.")
    if role not in roles:
        errors["role"] = _("Choose a role from the list.")
    return {"username": username, "language": language, "role": role, "admin": bool(data.get("admin"))}, errors


def existing_user(data: Mapping[str, Any], field: str, errors: dict[str, str]) -> Any:
    username = _text(data, field)
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is None:
        errors[field] = _("No user has this name. Create the account first.") if username else _("Give a user name.")
    return user


def clean_role(data: Mapping[str, Any], allowed: tuple[str, ...], errors: dict[str, str], field: str = "role") -> str:
    role = _text(data, field) or "member"
    if role not in allowed:
        errors[field] = _("Choose a role from the list.")
    return role


def clean_engagement(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    consultant = existing_user(data, "consultant", errors)
    dates: dict[str, dt.date | None] = {}
    for f in ("starts", "ends"):
        raw = _text(data, f)
        try:
            dates[f] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            dates[f] = None
            errors[f] = _("Enter the date as YYYY-MM-DD.")
    if dates["starts"] is None and "starts" not in errors:
        errors["starts"] = _("Give the first day of the engagement.")
    if dates["starts"] and dates["ends"] and dates["ends"] < dates["starts"]:
        errors["ends"] = _("The engagement cannot end before it starts.")
    return {"consultant": consultant, **dates}, errors
