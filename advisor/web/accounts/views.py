"""Sign in (throttled), sign out, and each user's language."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..i18n import _
from ..pages import page
from .models import LoginAttempt, Profile


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def throttled(username: str, address: str | None) -> bool:
    since = timezone.now() - dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = LoginAttempt.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURES_ALLOWED
    # per address the limit is wider: several people of one office share an address
    return recent.filter(username=username.lower()).count() >= limit or (
        address is not None and recent.filter(address=address).count() >= 4 * limit)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else settings.LOGIN_REDIRECT_URL


def login_view(request: HttpRequest) -> HttpResponse:
    error = None
    username = ""
    status = 200
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        address = _address(request)
        if throttled(username, address):
            error = _("Too many failed sign-in attempts. Try again in 15 minutes.")
            status = 429
        else:
            user = authenticate(request, username=username, password=request.POST.get("password") or "")
            if user is None:
                LoginAttempt.objects.create(username=username.lower(), address=address)
                error = _("Wrong user name or password. Both are case-sensitive.")
            else:
                LoginAttempt.objects.filter(username=username.lower()).delete()
                chosen = request.session.get("lang")  # picked on this page: it becomes the user's language
                login(request, user)
                if chosen:
                    Profile.objects.update_or_create(user=user, defaults={"language": chosen})
                return redirect(_next(request))
    return page(request, "accounts/login.html", status=status, error=error, username=username,
                next=request.GET.get("next", ""))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Remember the choice for the user (or, before signing in, for the session)."""
    lang = request.POST.get("language")
    if lang in {"kk", "ru", "en"}:
        if request.user.is_authenticated:
            Profile.objects.update_or_create(user=request.user, defaults={"language": lang})
        request.session["lang"] = lang
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "home"
    return redirect(back)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's own CSRF page is English-only in Kazakh; say it in the user's language."""
    return page(request, "403_csrf.html", status=403)
