"""Managing bodies, accounts, memberships, engagements and roles; a new account's set-password page.

Who may do what is in :mod:`advisor.web.scoping` (``is_admin``, ``people_bodies``, ``may_manage``,
``may_remove``): a site administrator manages everything; an office lead adds and removes office members
of the bodies they lead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.views.decorators.http import require_POST

from .. import scoping
from ..accounts.models import Profile
from ..bodies.models import Body, Membership
from ..i18n import _
from ..jinja import N_
from ..pages import page, scoped
from . import forms, services

ACCESS_KINDS = {"body_created": N_("body created"), "user_created": N_("account created"),
                "link_issued": N_("new set-password link"), "member_added": N_("added to the body"),
                "member_removed": N_("removed from the body"), "role_changed": N_("role in the body changed"),
                "engaged": N_("consultant engaged"), "engagement_ended": N_("engagement ended"),
                "global_role": N_("role across bodies changed")}


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return page(request, template, status=status, access_kinds=ACCESS_KINDS, today=timezone.localdate(), **context)


def _admin(request: HttpRequest) -> None:
    if not scoping.is_admin(request.user):
        raise PermissionDenied("admin")


def _users() -> Any:
    return get_user_model().objects.order_by("username").select_related("profile")


def _link_page(request: HttpRequest, user: Any, path: str, back: str, status: int = 200) -> HttpResponse:
    """The set-password link, shown once to whoever made the account: there is no e-mail to send it by."""
    return page(request, "people/link.html", status=status, subject=user, link=request.build_absolute_uri(path), back=back)


@login_required
def manage_view(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return _page(request, "people/manage.html", bodies=Body.objects.all(), users=_users(), roles=forms.GLOBAL_ROLES,
                events=scoping.access_events(request.user).filter(body__isnull=True)[:50])


@login_required
def new_body_view(request: HttpRequest) -> HttpResponse:
    _admin(request)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = forms.clean_body(request.POST)
        if not errors:
            body = services.create_body(values, request.user)  # type: ignore[arg-type]
            return redirect("people", body.slug)
    return page(request, "people/body_form.html", status=422 if errors else 200, values=values, errors=errors,
                levels=Body.Level.values, sectors=forms.kb().sectors(), office_types=Body.OfficeType.values)


@login_required
def new_user_view(request: HttpRequest) -> HttpResponse:
    _admin(request)
    values: dict[str, Any] = {"language": Profile.objects.filter(user=request.user).values_list("language", flat=True).first()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = forms.clean_new_user(request.POST)
        body_slug = (request.POST.get("body") or "").strip()
        body = Body.objects.filter(slug=body_slug).first() if body_slug else None
        if body_slug and body is None:
            errors["body"] = _("Choose a body from the list.")
        body_role = forms.clean_role(request.POST, forms.BODY_ROLES, errors, "body_role") if body else ""
        values.update(body=body_slug, body_role=body_role)
        if not errors:
            user = services.create_user(values["username"], values["language"], request.user,  # type: ignore[arg-type]
                                        role=values["role"], admin=values["admin"])
            if body is not None:
                services.add_member(body, user, body_role, request.user)  # type: ignore[arg-type]
            return _link_page(request, user, services.set_password_path(user),
                              back=reverse("people", args=[body.slug]) if body else reverse("manage"))
    return page(request, "people/user_form.html", status=422 if errors else 200, values=values, errors=errors,
                roles=forms.GLOBAL_ROLES, bodies=Body.objects.all(), body_roles=forms.BODY_ROLES)


@login_required
@require_POST
def user_role_view(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    user = scoped(_users(), pk=pk)
    role = request.POST.get("role")
    if role not in forms.GLOBAL_ROLES:
        return _page(request, "people/manage.html", status=422, bodies=Body.objects.all(), users=_users(),
                    roles=forms.GLOBAL_ROLES, events=scoping.access_events(request.user).filter(body__isnull=True)[:50],
                    role_error=(user.pk, _("Choose a role from the list.")))
    services.set_global_role(user, role, request.user)  # type: ignore[arg-type]
    return redirect("manage")


@login_required
@require_POST
def user_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    user = scoped(_users(), pk=pk)
    return _link_page(request, user, services.issue_link(user, request.user), back=reverse("manage"))  # type: ignore[arg-type]


def _people(request: HttpRequest, slug: str, action: str) -> Body:
    body = scoped(scoping.bodies_or_people(request.user), slug=slug)
    if not scoping.may_manage(request.user, action, body):
        raise PermissionDenied(action)
    return body


def _people_page(request: HttpRequest, body: Body, status: int = 200, **extra: Any) -> HttpResponse:
    memberships = [(m, scoping.may_remove(request.user, m))
                   for m in body.memberships.select_related("user").order_by("-role", "user__username")]
    add_roles = forms.BODY_ROLES if scoping.may_manage(request.user, "add_lead", body) else ("member",)
    context: dict[str, Any] = {"errors": {}, "values": {}, "engagement_errors": {}, "engagement_values": {}, **extra}
    return _page(request, "people/people.html", status=status, body=body, memberships=memberships, add_roles=add_roles,
                engagements=body.engagements.select_related("consultant").order_by("-starts"),
                can_engage=scoping.may_manage(request.user, "engage", body), is_admin=scoping.is_admin(request.user),
                events=scoping.access_events(request.user).filter(body=body)[:100], **context)


@login_required
def people_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _people_page(request, _people(request, slug, "view"))


@login_required
@require_POST
def add_member_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Add an account to the body; a user name nobody has yet makes a new account (its link is shown)."""
    body = _people(request, slug, "add_member")
    allowed = forms.BODY_ROLES if scoping.may_manage(request.user, "add_lead", body) else ("member",)
    errors: dict[str, str] = {}
    role = forms.clean_role(request.POST, allowed, errors)
    username = (request.POST.get("username") or "").strip()
    user = get_user_model().objects.filter(username=username).first() if username else None
    values: dict[str, Any] = {"username": username, "role": role, "language": request.POST.get("language") or ""}
    if user is None:
        new, new_errors = forms.clean_new_user(request.POST, roles=("",))
        errors.update({k: v for k, v in new_errors.items() if k != "role"})
    elif Membership.objects.filter(user=user, body=body, role=Membership.Role.LEAD).exists() and "lead" not in allowed:
        errors["username"] = _("This user is a lead of the body; only an administrator changes a lead's role.")
    if errors:
        return _people_page(request, body, status=422, errors=errors, values=values)
    link = None
    if user is None:
        user = services.create_user(new["username"], new["language"], request.user)  # type: ignore[arg-type]
        link = services.set_password_path(user)
    services.add_member(body, user, role, request.user)  # type: ignore[arg-type]
    if link:
        return _link_page(request, user, link, back=reverse("people", args=[body.slug]))
    return redirect("people", body.slug)


@login_required
@require_POST
def remove_member_view(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    body = _people(request, slug, "view")
    membership = scoped(Membership.objects.filter(body=body).select_related("user", "body"), user_id=user_pk)
    if not scoping.may_remove(request.user, membership):
        raise PermissionDenied("remove")
    services.remove_member(membership, request.user)  # type: ignore[arg-type]
    return redirect("people", body.slug)


@login_required
@require_POST
def add_engagement_view(request: HttpRequest, slug: str) -> HttpResponse:
    body = _people(request, slug, "engage")
    values, errors = forms.clean_engagement(request.POST)
    if errors:
        return _people_page(request, body, status=422, engagement_errors=errors, engagement_values=request.POST)
    services.engage(body, values["consultant"], values["starts"], values["ends"], request.user)  # type: ignore[arg-type]
    return redirect("people", body.slug)


@login_required
@require_POST
def end_engagement_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    body = _people(request, slug, "engage")
    services.end_engagement(scoped(body.engagements.select_related("consultant", "body"), pk=pk), request.user)  # type: ignore[arg-type]
    return redirect("people", body.slug)


#: Django's password validators by code, said in the user's language (Django's own Kazakh catalogue lacks them)
PASSWORD_MESSAGES = {"password_too_short": N_("The password is too short: at least 10 characters."),
                     "password_too_common": N_("This password is too common: choose another."),
                     "password_entirely_numeric": N_("The password cannot be only digits."),
                     "password_too_similar": N_("The password is too similar to the user name.")}


def set_password_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """A new account's (or a reset) set-password page: works once, then the link is spent."""
    try:
        user = get_user_model().objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return page(request, "people/set_password.html", status=404, invalid=True, errors={})
    # a new account opens its link in a fresh browser: speak the language its creator chose for it
    lang = request.session.get("lang") or Profile.objects.filter(user=user).values_list("language", flat=True).first() or "ru"
    with translation.override(lang):
        response = _set_password(request, user, lang)
    response["Content-Language"] = lang
    return response


def _set_password(request: HttpRequest, user: Any, lang: str) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        first, second = request.POST.get("password1") or "", request.POST.get("password2") or ""
        try:
            password_validation.validate_password(first, user)
        except ValidationError as err:
            errors["password1"] = " ".join(_(PASSWORD_MESSAGES.get(e.code or "", N_("Choose another password.")))
                                           for e in err.error_list)
        if not errors and first != second:
            errors["password2"] = _("The two passwords differ.")
        if not errors:
            user.set_password(first)
            user.save()
            request.session["lang"] = lang
            return redirect(reverse("login") + "?" + urlencode({"set": user.get_username()}))
    return page(request, "people/set_password.html", status=422 if errors else 200, invalid=False, errors=errors,
                subject=user)
