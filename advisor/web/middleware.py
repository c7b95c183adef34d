"""Headers Django 5.2 does not set itself, and each user's own language."""

from __future__ import annotations

from typing import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

Handler = Callable[[HttpRequest], HttpResponse]

#: scripts and styles only from this site; the radar is inline SVG; the report's inline <style> needs 'unsafe-inline'
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
LANGS = {"kk", "ru", "en"}


def content_security_policy(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
    return middleware


def user_language(get_response: Handler) -> Handler:
    """The signed-in user's chosen language, else the session's (the login page's switch), else Russian."""
    def middleware(request: HttpRequest) -> HttpResponse:
        lang = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            lang = getattr(getattr(user, "profile", None), "language", None)
        lang = lang or request.session.get("lang")
        if lang not in LANGS:
            lang = "ru"
        with translation.override(lang):
            request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]
            response = get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
    return middleware


def request_roles(get_response: Handler) -> Handler:
    """The user's roles looked up once per request (advisor/web/scoping.py), not once per check."""
    from . import scoping

    def middleware(request: HttpRequest) -> HttpResponse:
        with scoping.request_roles():
            return get_response(request)
    return middleware
