"""What a plan is for: the target level used, the safeguards it always holds, and the capacity assumed."""

from __future__ import annotations

from ..models.assessment import Capacity, Staffing
from ..models.knowledge import KnowledgeBase
from ..models.results import Findings, RoleCapacity, Scores


def profile_target(kb: KnowledgeBase, government_level: str | None, sector: str | None) -> int | None:
    """The profile's target level: the sector's where it sets one, else the government level's."""
    sec = kb.profiles.sector.get(sector) if sector else None
    if sec is not None and sec.target_level is not None:
        return sec.target_level
    gov = kb.profiles.government_level.get(government_level) if government_level else None  # type: ignore[call-overload]
    return gov.target_level if gov is not None else None


def default_targets(kb: KnowledgeBase, scores: Scores, government_level: str | None,
                    sector: str | None) -> tuple[dict[str, int], str]:
    """Every dimension aims at the profile's target level when it is above the current overall level,
    else at the next level up; and which of the two it was ("profile" or "next_level")."""
    wanted = profile_target(kb, government_level, sector)
    if wanted is not None and wanted > scores.overall_level:
        return {d: wanted for d in kb.dimensions}, "profile"
    return {d: min(5, scores.overall_level + 1) for d in kb.dimensions}, "next_level"


def safeguards(kb: KnowledgeBase, findings: Findings) -> set[str]:
    """Weaknesses found by a safeguard rule (priority 1: information security and data protection, legal
    compliance, AI guardrails where AI is in use), with those merged into them. Other urgent findings, such as
    missing basics, are planned when the target needs them, like any other."""
    return {x for w in findings.weaknesses
            if any(f.rule in kb.rules and kb.rules[f.rule].safeguard is not None for f in w.firings)
            for x in (w.id, *w.merged)}


def capacity(kb: KnowledgeBase, government_level: str | None, office_type: str | None,
             given: Capacity | None, staffing: Staffing | None = None) -> list[RoleCapacity]:
    """Capacity of every role: the assessment's where it names the role, else the profile's default. The project
    office's own default (the coordination role) shrinks with its share of posts filled and with other duties, and
    names the unscaled default and the actions that restore it (knowledge_base/planning.yaml, capacity.restored_by)."""
    d = kb.planning.capacity
    co = kb.planning.coordination
    office, floor = (co.role, co.fte) if co is not None else (None, 0.0)
    base = dict(d.government_level.get(government_level, {})) if government_level else {}  # type: ignore[call-overload]
    extra = d.office_type.get(office_type, {}) if office_type else {}  # type: ignore[call-overload]
    out = []
    for role in kb.roles:
        if given is not None and role in given.concurrent:
            out.append(RoleCapacity(role=role, concurrent=given.concurrent[role], source="assessment"))
        elif given is not None and role in given.fte:
            out.append(RoleCapacity(role=role, fte=given.fte[role], source="assessment"))
        else:
            fte = base.get(role, d.default_fte) + extra.get(role, 0.0)
            if role == office and staffing is not None:
                full = round(fte, 3)
                fte *= staffing.filled / staffing.posts * (d.additional_duties_share if staffing.additional_duties else 1.0)
                # never below the share the office gives to tracking others' actions: with no post filled someone
                # still answers for the office, and a role with no time at all would hold its actions forever
                scaled = round(max(fte, floor), 3)
                # what the office has once staffed (the roadmap decides from which month, if it plans that at all)
                step = bool(d.restored_by) and full > scaled
                out.append(RoleCapacity(role=role, fte=scaled, source="staffing", restored_fte=full if step else None,
                                        restored_by=list(d.restored_by) if step else []))
                continue
            out.append(RoleCapacity(role=role, fte=round(fte, 3), source="profile"))
    return out
