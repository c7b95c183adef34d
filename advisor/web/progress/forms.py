"""One action's progress form and its messages, in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict

from ..i18n import _
from ..jinja import N_
from .models import ActionProgress

Status = ActionProgress.Status
STATUS_NAMES = {Status.PLANNED: N_("planned"), Status.IN_PROGRESS: N_("in progress"), Status.DONE: N_("done"),
                Status.DROPPED: N_("dropped")}
FIELD_NAMES = {"status": N_("Status"), "owner": N_("Owner"), "planned_start": N_("Planned start"),
               "planned_finish": N_("Planned finish"), "started_on": N_("Started on"), "done_on": N_("Done on"),
               "note": N_("Note"), "evidence_url": N_("Evidence link"), "reason": N_("Reason for dropping"),
               "imported": N_("progress file imported")}
TEXT_MAX = 5000


def _date(data: QueryDict, field: str, errors: dict[str, str]) -> dt.date | None:
    raw = (data.get(field) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[field] = _("Enter the date as YYYY-MM-DD.")
        return None


def clean(data: QueryDict, today: dt.date) -> tuple[dict[str, Any], dict[str, str]]:
    """(values, errors by field). Done needs a date (today when left blank); dropped needs a reason."""
    errors: dict[str, str] = {}
    status = (data.get("status") or "").strip()
    if status not in Status.values:
        errors["status"] = _("Choose a status: planned, in progress, done or dropped.")
    owner = (data.get("owner") or "").strip()
    if len(owner) > 200:
        errors["owner"] = _("At most 200 characters.")
    values: dict[str, Any] = {"status": status, "owner": owner}
    for field in ("planned_start", "planned_finish", "started_on", "done_on"):
        values[field] = _date(data, field, errors)
    if values["planned_start"] and values["planned_finish"] and values["planned_finish"] < values["planned_start"]:
        errors["planned_finish"] = _("The planned finish is before the planned start.")
    for field in ("note", "reason"):
        values[field] = (data.get(field) or "").strip()
        if len(values[field]) > TEXT_MAX:
            errors[field] = _("At most 5000 characters.")
    url = (data.get("evidence_url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["evidence_url"] = _("Enter a web address starting with https:// or http://.")
        if len(url) > 500:
            errors["evidence_url"] = _("At most 500 characters.")
    values["evidence_url"] = url
    if status == Status.DONE:
        values["done_on"] = values["done_on"] or today
        if values["done_on"] > today:
            errors["done_on"] = _("An action cannot be done on a date in the future.")
    else:
        values["done_on"] = None
    if status == Status.IN_PROGRESS and values["started_on"] is None:
        values["started_on"] = today
    if status == Status.DROPPED and not values["reason"]:
        errors["reason"] = _("Say why the action is dropped.")
    return values, errors
