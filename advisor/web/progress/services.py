"""A body's stored progress as the library's ``Progress``, the current roadmap planned with it, saving one
action's progress with its audit trail, and the progress file the CLI reads (``advisor next FILE --progress P``)
out and in. Planning is advisor.api's; this layer only says what is late against the office's own dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ... import api
from ...errors import AdvisorError
from ...models.assessment import DoneItem, InProgressItem
from .. import memo
from ..assessments import services as rounds
from ..assessments.models import Round
from ..bodies.models import Body
from .models import ActionProgress, ProgressEvent

Status = ActionProgress.Status
#: the fields a user edits, in the order the form shows them
FIELDS = ("status", "owner", "planned_start", "planned_finish", "started_on", "done_on", "note", "evidence_url", "reason")


def to_progress(body_id: str, rows: Iterable[ActionProgress]) -> api.Progress:
    """The progress file of these rows: done (with its date) and in progress (since when); planned and dropped
    actions are not progress for the planner. A done action without a date counts from its last change."""
    done: list[DoneItem] = []
    underway: list[InProgressItem] = []
    for r in sorted(rows, key=lambda r: r.action):
        note = r.note or None
        if r.status == Status.DONE:
            date = r.done_on or (r.updated_at.date() if r.updated_at else dt.date.today())
            done.append(DoneItem(action=r.action, date=date, note=note))
        elif r.status == Status.IN_PROGRESS:
            underway.append(InProgressItem(action=r.action, since=r.started_on, note=note))
    return api.Progress(organisation=body_id, done=done, in_progress=underway)


def current_round(body: Body, visible: Any) -> Round | None:
    """The body's current roadmap comes from its latest final round (``visible``: the user's scoped rounds)."""
    return visible.filter(body=body, status=Round.Status.FINAL).order_by("-number").first()


@dataclass
class Late:
    action: str
    planned_finish: dt.date
    days: int


@dataclass
class Current:
    round: Round
    evaluation: api.Evaluation
    roadmap: Any
    next: Any
    late: list[Late]


def late(rows: Iterable[ActionProgress], roadmap_ids: set[str], today: dt.date) -> list[Late]:
    """Actions of the roadmap not finished by their planned date (done or dropped ones are never late)."""
    out = [Late(r.action, r.planned_finish, (today - r.planned_finish).days) for r in rows
           if r.action in roadmap_ids and r.planned_finish is not None and r.planned_finish < today
           and r.status in (Status.PLANNED, Status.IN_PROGRESS)]
    return sorted(out, key=lambda x: (-x.days, x.action))


def current(body: Body, round_: Round, today: dt.date | None = None, rows: list[ActionProgress] | None = None) -> Current:
    """The round's roadmap planned with the body's progress (``rows``: the body's, when the caller has them),
    and what is next, through advisor.api."""
    k = rounds.kb()
    rows = list(ActionProgress.objects.filter(body=body)) if rows is None else rows
    progress = to_progress(body.slug, rows)
    data = rounds.assessment_data(round_)

    def make() -> tuple[api.Evaluation, Any]:
        ev = api.evaluate(rounds.assessment(round_, data), k)
        return ev, api.roadmap(ev, k, progress=progress)
    # the same round with the same progress plans the same: shown again until one of them changes
    key = ("progress", k.content_hash, memo.digest(data, progress.model_dump(mode="json")))
    ev, rm = memo.computed.get(key, make)
    ids = {i.id for i in rm.items}
    return Current(round_, ev, rm, api.next_steps(rm, k), late(rows, ids, today or timezone.localdate()))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _record(row: ActionProgress, values: dict[str, Any], user: AbstractBaseUser) -> list[ProgressEvent]:
    events = []
    for field in FIELDS:
        if field in values and _text(getattr(row, field)) != _text(values[field]):
            events.append(ProgressEvent(body=row.body, action=row.action, field=field, old=_text(getattr(row, field)),
                                        new=_text(values[field]), user=user))
            setattr(row, field, values[field])
    return events


@transaction.atomic
def save(body: Body, action: str, values: dict[str, Any], user: AbstractBaseUser) -> ActionProgress:
    """One action's progress; every changed field is an audit event."""
    row, _ = ActionProgress.objects.select_for_update().get_or_create(body=body, action=action)
    events = _record(row, values, user)
    if events:
        row.updated_by = user
        row.save()
        ProgressEvent.objects.bulk_create(events)
    return row


def export_yaml(body: Body) -> str:
    """The progress file ``advisor next FILE --progress P`` reads."""
    progress = to_progress(body.slug, ActionProgress.objects.filter(body=body))
    doc = {k: v for k, v in progress.model_dump(exclude_none=True).items() if v or k == "organisation"}
    header = f"# progress of {body.slug}; knowledge base {rounds.kb().version}\n"
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)


def read_upload(name: str, content: bytes, round_: Round) -> api.Progress:
    """An uploaded progress file, read by the CLI's loader: its problems name the uploaded file and line."""
    base = Path(name).name or "progress.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / base
        path.write_bytes(content)
        try:
            progress = api.load_progress(path, rounds.kb(), rounds.assessment(round_))
        except AdvisorError as err:
            raise AdvisorError([dataclasses.replace(p, file=base) if p.file == str(path) else p
                                for p in err.problems]) from None
    assert progress is not None  # only None for no path
    return progress


@transaction.atomic
def import_progress(body: Body, progress: api.Progress, user: AbstractBaseUser) -> int:
    """The file's statuses replace the stored ones, all or nothing: listed actions become done or in progress
    (with the file's dates and notes), other done or in-progress ones planned again; owners, planned dates,
    evidence links and dropped actions stay. Returns the number of audit events."""
    listed: dict[str, dict[str, Any]] = {}
    for d in progress.done:
        listed[d.action] = {"status": Status.DONE, "done_on": d.date, "note": d.note or ""}
    for i in progress.in_progress:
        listed[i.action] = {"status": Status.IN_PROGRESS, "started_on": i.since, "done_on": None, "note": i.note or ""}
    changed = 0
    for row in ActionProgress.objects.select_for_update().filter(body=body, status__in=[Status.DONE, Status.IN_PROGRESS]):
        if row.action not in listed:
            listed[row.action] = {"status": Status.PLANNED}
    for action, values in sorted(listed.items()):
        row, _ = ActionProgress.objects.select_for_update().get_or_create(body=body, action=action)
        events = _record(row, values, user)
        if events:
            row.updated_by = user
            row.save()
            ProgressEvent.objects.bulk_create(events)
            changed += len(events)
    ProgressEvent.objects.create(body=body, action="", field="imported", new=str(len(listed)), user=user)
    return changed
