"""Helpers every view uses: render a page with the common context, look an object up in its scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.backends.utils import csrf_input

from . import i18n, scoping
from .i18n import _


class _CsrfInput:
    """The CSRF field, made once per response: a page with a form per row (the progress page) would otherwise
    mask a new token for every form (Django's ``csrf_input`` is evaluated anew at each use)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._html: str | None = None

    def __html__(self) -> str:
        if self._html is None:
            self._html = csrf_input(self.request)
        return self._html

    __str__ = __html__


def common(request: HttpRequest) -> dict[str, Any]:
    """Every template's context, error pages included (a context processor runs after the backend set
    ``csrf_input``, so this one replaces it)."""
    from .assessments.services import kb
    return {"lang": i18n.lang(), "kb": kb(), "csrf_input": _CsrfInput(request),
            "portfolio_nav": scoping.portfolio_view(request.user) if hasattr(request, "user") else "",
            "nav_kb": hasattr(request, "user") and scoping.global_role(request.user) in {"coordinator", "analyst"}}


def page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, template, context, status=status)


def scoped(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """The object if the user's scope holds it; 404 otherwise (never 'exists but forbidden')."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404 from None


def require(request: HttpRequest, action: str, obj: Any) -> None:
    if not scoping.allowed(request.user, action, obj):
        raise PermissionDenied(action)


def refused_upload(upload: UploadedFile | None) -> tuple[str, int] | None:
    """Why an upload is refused before it is read (no file, too large), with its status; None to read it."""
    if upload is None:
        return _("Choose a file to upload."), 422
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        return _("The file is too large: at most %(kb)d KB.") % {"kb": settings.UPLOAD_MAX_BYTES // 1024}, 413
    return None
