"""What happens to a round: answers saved with their audit trail, the workflow, cloning, import and export,
and results computed by ``advisor.api`` (this layer never scores or plans)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ... import api
from ...errors import N_, AdvisorError, Problem
from .. import memo
from ..bodies.models import Body
from .models import Answer, AuditEvent, Result, Round


@lru_cache(maxsize=None)
def kb() -> api.KnowledgeBase:
    """The knowledge base the site runs on (``ADVISOR_KB``: another knowledge-base folder)."""
    return api.load_kb(getattr(settings, "ADVISOR_KB", None))


def completeness(round_: Round) -> tuple[int, int]:
    answered = sum(1 for a in round_.answers.all() if a.answered and a.criterion in kb().criteria)
    return answered, len(kb().criteria)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass
class Saved:
    answer: Answer
    #: who saved this criterion in between, when the save was based on an older revision
    replaced_by: str | None
    replaced_at: Any


@transaction.atomic
def save_answer(round_: Round, criterion: str, values: dict[str, Any], revision: int, user: AbstractBaseUser) -> Saved:
    """Save one criterion; the later save wins, and says whose newer change it replaced."""
    answer, _ = Answer.objects.select_for_update().get_or_create(round=round_, criterion=criterion)
    replaced_by = replaced_at = None
    if revision < answer.revision:
        replaced_by = answer.updated_by.get_username() if answer.updated_by else "?"
        replaced_at = answer.updated_at
    events = []
    for field in ("score", "not_applicable", "evidence", "method"):
        old, new = getattr(answer, field), values[field]
        if _text(old) != _text(new):
            events.append(AuditEvent(round=round_, criterion=criterion, field=field, old=_text(old), new=_text(new), user=user))
            setattr(answer, field, new)
    if events:
        answer.revision += 1
        answer.updated_by = user
        answer.save()
        AuditEvent.objects.bulk_create(events)
    return Saved(answer, replaced_by, replaced_at)


@transaction.atomic
def save_meta(round_: Round, assessed_on: Any, assessor: str, user: AbstractBaseUser) -> None:
    for field, new in (("assessed_on", assessed_on), ("assessor", assessor)):
        old = getattr(round_, field)
        if _text(old) != _text(new):
            AuditEvent.objects.create(round=round_, field=field, old=_text(old), new=_text(new), user=user)
            setattr(round_, field, new)
    round_.save()


def _outcome_text(o: dict[str, Any] | None) -> str:
    if not o:
        return ""
    return " · ".join(str(o[f]) for f in ("value", "unit", "period", "source", "note") if o.get(f) not in (None, ""))


@transaction.atomic
def save_outcomes(round_: Round, rows: dict[str, Any], user: AbstractBaseUser) -> int:
    """The round's outcomes replaced by ``rows`` once the library accepts them (AdvisorError, keyed
    ``outcomes.<id>.<field>``, and nothing saved when it does not); every changed indicator is an audit event.
    Returns how many changed."""
    checked = api.validate_outcomes(rows, kb(), origin=f"{round_.body.slug} #{round_.number}")
    new = {oid: checked[oid].model_dump(mode="json", exclude_none=True) for oid in kb().indicators() if oid in checked}
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    events = [AuditEvent(round=round_, criterion=oid, field="outcome", old=_outcome_text(round_.outcomes.get(oid)),
                         new=_outcome_text(new.get(oid)), user=user)
              for oid in sorted({*round_.outcomes, *new}) if round_.outcomes.get(oid) != new.get(oid)]
    if events:
        round_.outcomes = new
        round_.save(update_fields=["outcomes"])
        AuditEvent.objects.bulk_create(events)
    return len(events)


def assessment_data(round_: Round) -> dict[str, Any]:
    """The round as the data of an assessment file."""
    body = round_.body
    scores: dict[str, Any] = {}
    for a in round_.answers.all():
        if not (a.answered or a.evidence):
            continue
        entry: dict[str, Any] = {"not_applicable": True} if a.not_applicable else {}
        if a.score is not None:
            entry["score"] = float(a.score)
        if a.evidence:
            entry["evidence"] = a.evidence
        if a.method:
            entry["method"] = a.method
        scores[a.criterion] = entry
    data = {"organisation": {"name": body.name("ru"), "id": body.slug, "government_level": body.government_level,
                             "sector": body.sector, "office_type": body.office_type},
            "date": round_.assessed_on.isoformat(), "assessor": round_.assessor or "—", "scores": scores}
    if round_.outcomes:  # absent rather than empty: a round without outcomes keeps the digest of its stored results
        data["outcomes"] = round_.outcomes
    if round_.staffing:  # likewise
        data["staffing"] = round_.staffing
    return data


def assessment(round_: Round, data: dict[str, Any] | None = None) -> api.Assessment:
    """Validated by the library: problems are keyed by field path (``scores.strategy.monitoring``)."""
    return api.validate_assessment(data or assessment_data(round_), kb(), origin=f"{round_.body.slug} #{round_.number}")


@dataclass
class Computed:
    result: Result
    evaluation: api.Evaluation
    roadmap: Any


def compute(round_: Round, targets: dict[str, int] | None = None, max_per_stage: int | None = None) -> Computed:
    """Evaluate and plan through advisor.api; store the result once per input and knowledge base."""
    k = kb()
    data = assessment_data(round_)
    options = {"targets": targets or {}, "max_per_stage": max_per_stage}
    digest = hashlib.sha256(json.dumps([data, options], sort_keys=True).encode()).hexdigest()

    def make() -> tuple[api.Evaluation, Any]:
        ev = api.evaluate(assessment(round_, data), k)
        return ev, api.roadmap(ev, k, targets=targets, max_per_stage=max_per_stage)
    ev, rm = memo.computed.get(("round", k.content_hash, digest), make)
    # the stored row without its two large JSON documents (the page has them as objects already); they are
    # serialised only for a new row
    found = Result.objects.defer("evaluation", "roadmap").filter(round=round_, kb_hash=k.content_hash, input_digest=digest).first()
    if found is None:
        found, _ = Result.objects.get_or_create(
            round=round_, kb_hash=k.content_hash, input_digest=digest,
            defaults={"kb_version": k.version, "options": options, "roadmap": api.to_jsonable(rm),
                      "evaluation": api.to_jsonable({"scores": ev.scores, "findings": ev.findings})})
    return Computed(found, ev, rm)


def _transition(round_: Round, status: str, user: AbstractBaseUser, **fields: Any) -> None:
    AuditEvent.objects.create(round=round_, field="status", old=round_.status, new=status, user=user)
    round_.status = status
    for k, v in fields.items():
        setattr(round_, k, v)
    round_.save()


@transaction.atomic
def submit(round_: Round, user: AbstractBaseUser) -> None:
    """Draft -> submitted: every criterion answered, and the library accepts the assessment."""
    answered, total = completeness(round_)
    if answered < total:
        raise AdvisorError.single("round", N_("{n} criteria are not answered", n=total - answered), field="scores")
    assessment(round_)
    _transition(round_, Round.Status.SUBMITTED, user, submitted_at=timezone.now())


@transaction.atomic
def finalise(round_: Round, user: AbstractBaseUser) -> None:
    compute(round_)
    _transition(round_, Round.Status.FINAL, user, finalised_at=timezone.now(), finalised_by=user)


@transaction.atomic
def reopen(round_: Round, user: AbstractBaseUser) -> None:
    _transition(round_, Round.Status.DRAFT, user, submitted_at=None)


def _next_number(body: Body) -> int:
    return (Round.objects.filter(body=body).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def new_round(body: Body, user: AbstractBaseUser, previous: Round | None = None) -> Round:
    """A new draft; from ``previous`` it starts with a copy of its answers (the next round of a final one)."""
    Body.objects.select_for_update().get(pk=body.pk)  # numbers stay unique under concurrent clicks
    round_ = Round.objects.create(body=body, number=_next_number(body), assessed_on=timezone.localdate(),
                                  assessor=previous.assessor if previous else "", previous=previous, created_by=user)
    if previous is not None:  # the answers, not the outcomes: those are figures of the previous period
        Answer.objects.bulk_create([Answer(round=round_, criterion=a.criterion, score=a.score, not_applicable=a.not_applicable,
                                           evidence=a.evidence, method=a.method, updated_by=user)
                                    for a in previous.answers.all()])
        AuditEvent.objects.create(round=round_, field="cloned_from", new=str(previous.number), user=user)
    return round_


@transaction.atomic
def import_round(body: Body, name: str, content: bytes, user: AbstractBaseUser) -> Round:
    """A new draft from an uploaded file, read by the CLI's loaders (its outcomes too); all of it or nothing."""
    a = api.read_assessment_upload(name, content, kb(), body_id=body.slug)
    if a.organisation.id != body.slug:
        raise AdvisorError.single(name, N_("the file is for body {found!r}, not {body!r}", found=a.organisation.id, body=body.slug),
                                  field="organisation.id", hint=N_("upload this body's assessment"))
    halves = [cid for cid, e in a.scores.items() if e.score is not None and (e.score * 2) % 1]
    if halves:
        raise AdvisorError([Problem(name, N_("score {value} is not a whole or half point", value=a.scores[c].score),
                                    field=f"scores.{c}", hint=N_("use 1, 1.5, 2 ... 5")) for c in halves])
    round_ = new_round(body, user)
    round_.assessed_on, round_.assessor = a.date, a.assessor
    round_.outcomes = {oid: o.model_dump(mode="json", exclude_none=True) for oid, o in (a.outcomes or {}).items()}
    round_.staffing = a.staffing.model_dump(mode="json", exclude_none=True) if a.staffing else None
    round_.save()
    Answer.objects.bulk_create([
        Answer(round=round_, criterion=cid, score=None if e.score is None else Decimal(str(e.score)),
               not_applicable=e.not_applicable, evidence=e.evidence or "", method=e.method or "", updated_by=user)
        for cid, e in a.scores.items()])
    AuditEvent.objects.create(round=round_, field="imported", new=name, user=user)
    return round_


def export_yaml(round_: Round) -> str:
    return api.assessment_yaml(assessment(round_), kb())
