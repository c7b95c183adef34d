"""The questionnaire's fields and their messages, in the user's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from ..i18n import _

#: scores the questionnaire offers: 1 to 5 in half points
SCORES = [Decimal(n) / 2 for n in range(2, 11)]
EVIDENCE_MAX = 5000
NA = "na"


def score_choices() -> list[str]:
    return [format(s.normalize(), "f") for s in SCORES]


def clean_answer(data: QueryDict, criterion: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """(values, errors by field) for one criterion's form; ``criterion`` is the knowledge base's criterion."""
    errors: dict[str, str] = {}
    raw = (data.get("score") or "").strip().replace(",", ".")
    score: Decimal | None = None
    not_applicable = raw == NA
    if raw and not not_applicable:
        try:
            score = Decimal(raw)
        except InvalidOperation:
            score = None
        if score is None or score not in SCORES:
            errors["score"] = _("Choose a score from 1 to 5 (halves allowed) or “not applicable”.")
            score = None
    evidence = (data.get("evidence") or "").strip()
    if len(evidence) > EVIDENCE_MAX:
        errors["evidence"] = _("Evidence is too long: at most 5000 characters.")
    method = (data.get("method") or "").strip()
    if method and method not in criterion.methods:
        errors["method"] = _("Choose one of the methods listed for this criterion.")
    return {"score": score, "not_applicable": not_applicable, "evidence": evidence, "method": method}, errors


def clean_meta(data: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    assessor = (data.get("assessor") or "").strip()
    if not assessor:
        errors["assessor"] = _("Name the assessor.")
    elif len(assessor) > 300:
        errors["assessor"] = _("At most 300 characters.")
    try:
        assessed_on = dt.date.fromisoformat((data.get("assessed_on") or "").strip())
    except ValueError:
        assessed_on = None
        errors["assessed_on"] = _("Enter the date as YYYY-MM-DD.")
    return {"assessor": assessor, "assessed_on": assessed_on}, errors


#: an outcome's fields as the form names them (``<indicator>-<field>``), the assessment's own names
OUTCOME_FIELDS = ("value", "unit", "period", "source", "note")
#: the text fields a user types; a row where all are empty is an indicator the round does not report
OUTCOME_TYPED = ("value", "period", "source", "note")


def outcome_rows(data: QueryDict, indicators: Any) -> dict[str, dict[str, Any]]:
    """The outcomes the form reports, as the assessment file's ``outcomes:`` data, for the library to check:
    a row with anything typed is reported (a missing figure is the library's "required" message). A value is
    read as a number when it is one ("62,5" as written in kk/ru too); otherwise the text goes to the library,
    which says what it expected."""
    rows: dict[str, dict[str, Any]] = {}
    for oid in indicators:
        raw = {f: (data.get(f"{oid}-{f}") or "").strip() for f in OUTCOME_FIELDS}
        if not any(raw[f] for f in OUTCOME_TYPED):
            continue
        row: dict[str, Any] = {f: raw[f] for f in ("unit", "period", "source") if raw[f]}
        if raw["note"]:
            row["note"] = raw["note"]
        if raw["value"]:
            text = raw["value"].replace("\u00a0", "").replace(" ", "").replace(",", ".")
            try:
                row["value"] = float(text)
            except ValueError:
                row["value"] = raw["value"]
        rows[oid] = row
    return rows
