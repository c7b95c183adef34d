"""Pydantic's validation errors in words a user reads, in their language: what was expected, with a hint.

Pydantic's own texts ("String should match pattern '^[^\\W\\d_][\\w.\\-]*$'") never reach users: each
error type has a translatable template here, and a type we do not know keeps pydantic's text only as
a last resort.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import N_, Msg

#: the id patterns of advisor/models, in words
ID_PATTERN = r"^[^\W\d_][\w.\-]*$"
PATTERNS: dict[str, Msg] = {
    ID_PATTERN: N_("expected an id: a letter first, then letters, digits, '.', '-' or '_' (no spaces)"),
    r"^W-[A-Z]{1,3}-[A-Z0-9][A-Z0-9-]*$": N_("expected a weakness id such as W-STR-L1-1"),
    r"^[A-Z]{3}-\d{2}$": N_("expected an action id: three capital letters, '-', two digits, such as STR-01"),
    r"^R-[A-Z]{1,3}-[A-Z0-9][A-Z0-9-]*$": N_("expected a rule id such as R-STR-LOW-1"),
    r"^[A-Z]{3}$": N_("expected three capital letters, such as STR"),
}

#: the ValueErrors that advisor/models raise (models import nothing of ours, so they are matched by text)
MODEL_ERRORS: dict[str, Msg] = {m: m for m in (
    N_("give a score or not_applicable: true, not both"),
    N_("expected a score from 1 to 5, 'n/a', or a mapping with score/evidence/method"),
    N_("levels must describe each score 1, 2, 3, 4 and 5"),
    N_("sector needs a 'default' profile with weights"),
    N_("give at least one of at_most, below, at_least, above"),
    N_("give at least one of equals, at_most, below, at_least, above"),
    N_("test the score, the level, or both"),
    N_("give at least one of government_level, sector, office_type"),
    N_("give at least one of government_level, sector, office_type, office_staffing, additional_duties"),
    N_("filled cannot exceed posts"),
    N_("every government level needs weights"),
    N_("expect at least one of fires, not_fires, weaknesses, no_weaknesses, actions, no_actions, before"),
    N_("give exactly one of criterion, dimension"),
    N_("give each role's capacity as fte or as concurrent, not both"),
    N_("by_effort needs every effort class S, M and L"),
    N_("effort needs every class S, M and L"),
    N_("a safeguard rule needs priority 1"),
)}

DATE_TYPES = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
              "date_future", "date_past"}
NUMBER_TYPES = {"float_type", "int_type", "float_parsing", "int_parsing", "int_from_float", "finite_number"}
LIMITS = {"greater_than_equal": N_("must be at least {limit}, got {given}"),
          "less_than_equal": N_("must be at most {limit}, got {given}"),
          "greater_than": N_("must be more than {limit}, got {given}"),
          "less_than": N_("must be less than {limit}, got {given}")}
_LIMIT_KEY = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt", "less_than": "lt"}


def _kind(value: Any) -> Msg:
    if value is None:
        return N_("nothing (an empty value)")
    if isinstance(value, dict):
        return N_("a mapping")
    if isinstance(value, list):
        return N_("a list")
    return Msg("{value!r}", value=value)


def describe(err: Any) -> str:
    """One pydantic error as a message saying what was expected and what was given."""
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return N_("required field is missing")
    if kind == "extra_forbidden":
        return N_("unknown field")
    if kind in DATE_TYPES:
        return N_("expected a date written as YYYY-MM-DD, e.g. 2026-05-01; got {given}", given=_kind(given))
    if kind == "finite_number":
        return N_("expected a finite number, got {given}", given=_kind(given))
    if kind == "int_from_float" or (kind == "int_type" and isinstance(given, float)):
        return N_("expected a whole number, got {given}", given=_kind(given))
    if kind in NUMBER_TYPES:
        return N_("expected a number, got {given}", given=_kind(given))
    if kind in LIMITS:
        limit = ctx.get(_LIMIT_KEY[kind], "?")
        limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
        return Msg(LIMITS[kind].template, limit=limit, given=_kind(given))
    if kind == "string_pattern_mismatch":
        expected = PATTERNS.get(str(ctx.get("pattern")), N_("does not have the expected form"))
        return N_("{expected}; got {given}", expected=expected, given=_kind(given))
    if kind == "string_too_short":
        return N_("must not be empty")
    if kind == "string_type":
        return N_("expected text, got {given}", given=_kind(given))
    if kind in {"bool_type", "bool_parsing"}:
        return N_("expected true or false, got {given}", given=_kind(given))
    if kind == "literal_error":
        return N_("expected one of {expected}; got {given}", expected=str(ctx.get("expected", "")), given=_kind(given))
    if kind in {"dict_type", "model_type", "model_attributes_type", "mapping_type"}:
        return N_("expected a mapping (lines of 'key: value'), got {given}", given=_kind(given))
    if kind in {"list_type", "tuple_type", "set_type"}:
        return N_("expected a list (lines starting with '- '), got {given}", given=_kind(given))
    if kind == "too_short":
        return N_("expected at least {count} item(s), got {actual}", count=ctx.get("min_length", "?"),
                  actual=ctx.get("actual_length", "?"))
    if kind == "too_long":
        return N_("expected at most {count} item(s), got {actual}", count=ctx.get("max_length", "?"),
                  actual=ctx.get("actual_length", "?"))
    if kind in {"union_tag_invalid", "union_tag_not_found"}:
        return N_("not a known kind of condition; expected one of {tags}", tags=str(ctx.get("expected_tags", "")))
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"]))
        known = MODEL_ERRORS.get(text)
        if known is None:
            return text
        if not isinstance(given, (dict, list)) and given is not None:
            return N_("{expected}; got {given}", expected=known, given=_kind(given))
        return known
    if "input" in err and not isinstance(given, (dict, list)):
        return f"{err['msg']} (got {given!r})"
    return str(err["msg"])


_DOTTED_DATE = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")


def hint(err: Any) -> str | None:
    """What to do about one pydantic error, when there is something useful to say."""
    kind = err["type"]
    given = err.get("input")
    if kind in DATE_TYPES:
        m = _DOTTED_DATE.match(given) if isinstance(given, str) else None
        if m:
            day, month, year = m.groups()
            iso = "%s-%02d-%02d" % (year, int(month), int(day))
            return N_("write {given} as {iso}", given=given, iso=iso)
        return N_("a real calendar date, year-month-day")
    if kind in {"float_type", "float_parsing"} and isinstance(given, str):
        return N_("write the number without quotes, e.g. 3 or 2.5")
    if kind == "finite_number":
        return N_("write an ordinary number such as 1 or 0.25")
    if kind == "extra_forbidden":
        return N_("remove it or check its spelling against the documented fields")
    if kind in {"union_tag_invalid", "union_tag_not_found", "condition"}:
        return N_("see docs/rules.md for the condition language")
    if kind == "string_pattern_mismatch" and isinstance(given, str) and (err.get("ctx") or {}).get("pattern") == ID_PATTERN:
        example = _suggest_id(given)
        return N_("e.g. {example}", example=example) if example else None
    if kind in {"dict_type", "model_type", "model_attributes_type"} and given is None:
        return N_("the file or this section is empty: fill it in; see docs/assessment.md or docs/progress.md")
    return None


def _suggest_id(given: str) -> str | None:
    """An id close to what was written: spaces and other characters become '_'."""
    cleaned = re.sub(r"[^\w.\-]+", "_", given.strip()).strip("_")
    return cleaned if cleaned and cleaned != given and re.match(r"^[^\W\d_]", cleaned) else None


#: PyYAML's commonest complaints, in words (the rest keep the parser's text after ours)
SYNTAX: dict[str, tuple[Msg, Msg]] = {
    "found character '\\t' that cannot start any token": (
        N_("a tab character"), N_("indent with spaces, never tabs")),
    "mapping values are not allowed here": (
        N_("a ':' where a value was expected"), N_("put a value containing ': ' in quotes, or check the indentation")),
    "could not find expected ':'": (
        N_("a line without 'key: value'"), N_("check the indentation and that each key ends with ':'")),
    "found undefined alias": (N_("an undefined alias ('*' without a matching '&')"),
                              N_("put text starting with '*' in quotes")),
}


def syntax_message(name: str, problem: str) -> Msg:
    """'invalid YAML' or 'invalid JSON' (by the file's name) with the parser's complaint in words."""
    kind = "JSON" if name.lower().endswith(".json") else "YAML"
    said = next((words for start, (words, _) in SYNTAX.items() if problem.startswith(start)), None)
    return N_("invalid {kind}: {problem}", kind=kind, problem=said if said is not None else problem)


def syntax_hint(name: str, problem: str) -> Msg:
    said = next((h for start, (_, h) in SYNTAX.items() if problem.startswith(start)), None)
    if said is not None:
        return said
    if name.lower().endswith(".json"):
        return N_("check the brackets, commas and quotes near this place")
    return N_("check indentation and quoting on this line")

