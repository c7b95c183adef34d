"""Bodies, accounts, memberships, engagements and cross-body roles: what the pages and the `advisor web`
commands both call. Every change of someone's access leaves an :class:`AccessEvent`.

No e-mail server is assumed: a new account gets no password but a set-password link, which its creator
hands over. The link works once (it is bound to the password hash, which setting a password changes) and
for ``PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..accounts.models import Profile
from ..bodies.models import Body, Engagement, Membership
from .models import AccessEvent

Kind = AccessEvent.Kind


def _log(kind: str, by: AbstractBaseUser | None, body: Body | None = None, subject: str = "", old: str = "",
         new: str = "") -> None:
    AccessEvent.objects.create(kind=kind, by=by, body=body, subject=subject, old=old, new=new)


def set_password_path(user: Any) -> str:
    """The path of the user's set-password page; valid until a password is set."""
    return reverse("set_password", args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])


@transaction.atomic
def create_body(values: dict[str, str], by: AbstractBaseUser | None) -> Body:
    body = Body.objects.create(**values)
    _log(Kind.BODY_CREATED, by, body, subject=body.slug)
    return body


@transaction.atomic
def create_user(username: str, language: str, by: AbstractBaseUser | None, role: str = "", admin: bool = False) -> Any:
    """An account without a password (it signs in once its owner followed the set-password link)."""
    user = get_user_model().objects.create_user(username, is_staff=admin)
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, language=language, role=role)
    _log(Kind.USER_CREATED, by, subject=username, new="admin" if admin else role)
    return user


@transaction.atomic
def issue_link(user: Any, by: AbstractBaseUser | None) -> str:
    """A new set-password link; the old password and every earlier link stop working (a lost or leaked one)."""
    user.set_unusable_password()
    user.save()
    _log(Kind.LINK_ISSUED, by, subject=user.get_username())
    return set_password_path(user)


@transaction.atomic
def set_global_role(user: Any, role: str, by: AbstractBaseUser | None) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    if profile.role != role:
        _log(Kind.GLOBAL_ROLE, by, subject=user.get_username(), old=profile.role, new=role)
        profile.role = role
        profile.save()


@transaction.atomic
def add_member(body: Body, user: Any, role: str, by: AbstractBaseUser | None) -> Membership:
    """Add ``user`` to ``body`` as member or lead; an existing membership takes the new role."""
    membership, created = Membership.objects.select_for_update().get_or_create(user=user, body=body, defaults={"role": role})
    if created:
        _log(Kind.MEMBER_ADDED, by, body, subject=user.get_username(), new=role)
    elif membership.role != role:
        _log(Kind.ROLE_CHANGED, by, body, subject=user.get_username(), old=membership.role, new=role)
        membership.role = role
        membership.save()
    return membership


@transaction.atomic
def remove_member(membership: Membership, by: AbstractBaseUser | None) -> None:
    _log(Kind.MEMBER_REMOVED, by, membership.body, subject=membership.user.get_username(), old=membership.role)
    membership.delete()


@transaction.atomic
def engage(body: Body, consultant: Any, starts: dt.date, ends: dt.date | None, by: AbstractBaseUser | None) -> Engagement:
    engagement = Engagement.objects.create(body=body, consultant=consultant, starts=starts, ends=ends)
    _log(Kind.ENGAGED, by, body, subject=consultant.get_username(), new=f"{starts} – {ends or '…'}")
    return engagement


@transaction.atomic
def end_engagement(engagement: Engagement, by: AbstractBaseUser | None) -> None:
    """Ends it yesterday: from today the consultant no longer sees the body."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    engagement.ends = max(yesterday, engagement.starts - dt.timedelta(days=1))
    engagement.save()
    _log(Kind.ENGAGEMENT_ENDED, by, engagement.body, subject=engagement.consultant.get_username(), old=str(engagement.starts),
         new=str(engagement.ends))
