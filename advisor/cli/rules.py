"""``advisor rules …``: tools for policy teams who edit the rule files."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from ..errors import N_, localise
from .common import GROUP_LANG, KB, LANG, _, emit, fmt, handles_errors, translator
from .helptext import Group, argument, option

#: findings of one code in one file listed before `rules lint` summarises the rest
LINT_SHOWN = 5


def _percent(value: float, lang: str) -> str:
    """A percentage already in percent (87.5): English as it always was («87.5%»), else in the language's symbols."""
    from .. import api
    return f"{value}%" if lang == "en" else api.percent(value / 100, lang, 1)


def _kb_root(kb_path: str | None) -> Path:
    """--kb, else the knowledge base in the current folder (the one being edited), else the shipped one."""
    from .. import api
    if kb_path:
        return Path(kb_path)
    here = Path.cwd()
    if (here / "knowledge_base").is_dir() and (here / "rules").is_dir():
        return here
    return api.default_kb_root()


def _version_line(root: Path, kb_path: str | None = None, english: bool = False) -> str:
    """Which knowledge base was checked, with its path, and why that one (``english``: for JSON, which does
    not change with the language)."""
    from .. import api
    line = api.kb_version_line(root)
    if kb_path:
        said = line
    elif root == Path.cwd():
        said = N_("{kb}: the one in the current folder", kb=line)
    else:
        said = N_("{kb}: the shipped one (no knowledge_base/ and rules/ here; --kb DIR checks another)", kb=line)
    return str(said) if english else localise(said, translator())


@click.group(cls=Group, short_help=N_("Knowledge-base tools for policy teams."),
             help=N_("Validate, lint, test and compare knowledge bases (for policy teams)."))
@GROUP_LANG
def rules() -> None:
    pass


@rules.command(short_help=N_("Schema and reference problems, with file:line."),
               help=N_("Every schema and reference problem in every file, with file:line:column. Exit 1 if any."))
@fmt("text", "json")
@KB
@LANG
@handles_errors
def validate(fmt: str, kb_path: str | None, lang: str) -> None:
    from .. import api
    from ..errors import AdvisorError
    root = _kb_root(kb_path)
    try:
        api.load_kb(root)
        problems = []
    except AdvisorError as exc:
        if not (root / "knowledge_base").is_dir():
            raise
        problems = exc.problems
    if fmt == "json":
        emit(json.dumps({"kb": _version_line(root, english=True), "kb_path": str(root), "problems": [p.__dict__ for p in problems]},
                        ensure_ascii=False, indent=2) + "\n", None)
    else:
        gettext = translator()
        click.echo(_version_line(root, kb_path))
        for p in problems:
            click.echo(p.render(gettext))
        click.echo(_("{n} problem(s)", n=len(problems)) if problems else _("valid"))
    sys.exit(1 if problems else 0)


@rules.command(short_help=N_("Checks beyond the schema."),
               help=N_("Checks beyond the schema: unreachable weaknesses, unused actions, shadowed rules, … Exit 1 on "
                       "errors.\n\nErrors are always listed in full; many warnings of one code in one file are "
                       "summarised (--all lists them)."))
@fmt("text", "json")
@KB
@LANG
@option("--strict", is_flag=True, help=N_("Exit 1 on warnings too."))
@option("--all", "show_all", is_flag=True,
        help=N_("List every finding; by default many of one code in one file are summarised."))
@handles_errors
def lint(fmt: str, kb_path: str | None, lang: str, strict: bool, show_all: bool) -> None:
    from .. import api
    root = _kb_root(kb_path)
    findings = api.lint(root)
    if fmt == "json":
        emit(json.dumps({"kb": _version_line(root, english=True), "kb_path": str(root), "codes": api.LINT_CODES,
                         "findings": [f.__dict__ for f in findings]}, ensure_ascii=False, indent=2) + "\n", None)
    else:
        click.echo(_version_line(root, kb_path))
        for line in _lint_lines(findings, api.LINT_CODES, show_all):
            click.echo(line)
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        by_code = Counter(f.code for f in findings)
        if len(findings) > LINT_SHOWN:
            click.echo(_("by code: {counts}", counts=", ".join(f"{c} {n}" for c, n in sorted(by_code.items()))))
        click.echo(_("{errors} error(s), {warnings} warning(s), {infos} info", errors=counts["error"],
                     warnings=counts["warning"], infos=counts["info"]))
    bad = any(f.severity == "error" or (strict and f.severity == "warning") for f in findings)
    sys.exit(1 if bad else 0)


@rules.command(name="test", short_help=N_("Run the rule test cases."),
               help=N_("Run the rule test cases in PATHS, files or folders (default: the knowledge base's rules/tests/). "
                      "Exit 1 if any fails."))
@argument("paths", nargs=-1, type=click.Path(exists=True))
@option("--coverage", is_flag=True, help=N_("List rules and actions no case exercised."))
@option("--fail-under", type=float, default=None, metavar=N_("PERCENT"),
        help=N_("Exit 1 when coverage (percent) is below this."))
@KB
@LANG
@handles_errors
def test_(paths: tuple[str, ...], coverage: bool, fail_under: float | None, kb_path: str | None, lang: str) -> None:
    from .. import api
    root = _kb_root(kb_path)
    kb = api.load_kb(root)
    report = api.run_rule_tests(kb, [Path(p) for p in paths] or None, coverage=coverage or fail_under is not None)
    gettext = translator()
    click.echo(_version_line(root, kb_path))
    for o in report.failed:
        click.echo(_("FAILED {case} ({file}:{line})", case=o.case.id, file=o.case.file, line=o.case.line))
        for f in o.failures:
            click.echo(f"    {localise(f, gettext)}")
    if coverage or fail_under is not None:
        click.echo(_("coverage: {percent} of {rules} rules and {actions} actions", percent=_percent(report.coverage, lang),
                     rules=len(kb.rules), actions=len(kb.actions)))
        if report.rules_uncovered:
            click.echo(_("rules no case fired: {ids}", ids=", ".join(report.rules_uncovered)))
        if report.actions_uncovered:
            click.echo(_("actions in no case's roadmap: {ids}", ids=", ".join(report.actions_uncovered)))
    passed = len(report.outcomes) - len(report.failed)
    # English keeps the closing line test runners print ("3 passed, 0 failed"), which CI logs are read for
    click.echo(_("{passed} passed, {failed} failed", passed=passed, failed=len(report.failed)))
    low = fail_under is not None and report.coverage < fail_under
    if low:
        click.echo(_("coverage {percent} is below --fail-under {limit}", percent=_percent(report.coverage, lang),
                     limit=_percent(fail_under or 0.0, lang)))
    sys.exit(1 if report.failed or low else 0)


@rules.command(name="diff", short_help=N_("What a knowledge-base change does to real offices."),
               help=N_("What a knowledge-base change does to real offices: findings and stages added, removed, moved."))
@argument("old_kb", type=click.Path(file_okay=False))
@argument("new_kb", type=click.Path(file_okay=False))
@option("--assessments", "folder", required=True, type=click.Path(), metavar=N_("DIRECTORY"),
        help=N_("Folder of assessment files."))
@fmt("text", "json")
@LANG
@handles_errors
def diff_(old_kb: str, new_kb: str, folder: str, fmt: str, lang: str) -> None:
    from .. import api
    old, new = api.load_kb(old_kb), api.load_kb(new_kb)
    result = api.rules_diff(old, new, Path(folder))
    if fmt == "json":
        emit(impact_json(result, old_kb, new_kb), None)
        return
    show_impact(result, old_kb, new_kb)


def impact_json(result: Any, old_path: str, new_path: str) -> str:
    return json.dumps({"old": result.old_version, "new": result.new_version, "old_path": old_path, "new_path": new_path,
                       "summary": result.summary, "prerequisites": result.prerequisites,
                       "changes": [c.__dict__ for c in result.changes]}, ensure_ascii=False, indent=2) + "\n"


def show_impact(result: Any, old_kb: str, new_kb: str) -> None:
    """The text of ``rules diff`` (and of ``web impact``, which keys the changes by stored round)."""
    none = _("none")

    def ids(items: list[str]) -> str:
        return ", ".join(items) or none

    click.echo(_("old {old} ({old_path}) -> new {new} ({new_path})", old=result.old_version, old_path=old_kb,
                 new=result.new_version, new_path=new_kb))
    for x, (before, after) in result.prerequisites.items():
        click.echo("    ~ " + _("prerequisites of {id} in the catalogue: {before} -> {after}", id=x, before=ids(before), after=ids(after)))
    labels = (("+", _("weakness"), "weaknesses_added"), ("-", _("weakness"), "weaknesses_removed"),
              ("+", _("action"), "actions_added"), ("-", _("action"), "actions_removed"))
    for c in result.changes:
        if not c.changed:
            continue
        click.echo(c.file)
        for sign, label, items in labels:
            for x in getattr(c, items):
                click.echo(f"    {sign} {label} {x}")
        for x, (a, b) in c.stage_changed.items():
            click.echo("    ~ " + _("stage {id}: {before} -> {after}", id=x, before=a, after=b))
        for x, (ra, rb) in c.requires_changed.items():
            click.echo("    ~ " + _("requires {id}: {before} -> {after}", id=x, before=ids(ra), after=ids(rb)))
        for x, ((s1, f1), (s2, f2)) in c.months_changed.items():
            click.echo("    ~ " + _("months {id}: {before} -> {after}", id=x, before="{}-{}".format(s1, f1), after="{}-{}".format(s2, f2)))
        if c.total_months:
            click.echo("    ~ " + _("roadmap length in months: {before} -> {after}", before=c.total_months[0], after=c.total_months[1]))
    s = result.summary
    click.echo(_("{changed} of {total} assessment(s) changed: weaknesses +{w_added} -{w_removed}, actions +{a_added} "
                 "-{a_removed}, {stages} stage change(s), {requires} prerequisite change(s), {months} action(s) moved in time; "
                 "{catalogue} action(s) with changed prerequisites in the catalogue", changed=s["changed"], total=s["assessments"],
                 w_added=s["weaknesses_added"], w_removed=s["weaknesses_removed"], a_added=s["actions_added"],
                 a_removed=s["actions_removed"], stages=s["stages_changed"], requires=s["requires_changed"],
                 months=s["months_changed"], catalogue=s["prerequisites_changed"]))


@rules.command(short_help=N_("Write a JSON Schema for every file type."),
               help=N_("Write a JSON Schema for every file type (from the pydantic models)."))
@option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help=N_("Folder to write the schemas to."))
@LANG
@handles_errors
def schema(out_dir: str, lang: str) -> None:
    from .. import api
    folder = api.ensure_folder(out_dir)
    schemas = api.schemas()
    for name, text in schemas.items():
        api.write_output(folder / name, text)
    click.echo(_("wrote {n} schemas to {folder}", n=len(schemas), folder=folder.resolve()))


def _lint_lines(findings: list[Any], codes: dict[str, str], show_all: bool) -> list[str]:
    """Every error; warnings and infos with more than LINT_SHOWN of one code in one file summarised, so that
    thousands of one kind do not bury the few others."""
    gettext = translator()
    groups = Counter((f.code, f.file) for f in findings if f.severity != "error")
    shown: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for f in findings:
        key = (f.code, f.file)
        if show_all or f.severity == "error" or groups[key] <= LINT_SHOWN:
            lines.append(f.render(gettext))
            continue
        shown[key] += 1
        if shown[key] < LINT_SHOWN:
            lines.append(f.render(gettext))
        elif shown[key] == LINT_SHOWN:
            rest = groups[key] - LINT_SHOWN + 1
            more = _("… and {n} more like this in this file ({what}; --all lists them)", n=rest,
                     what=localise(codes.get(f.code, f.code), gettext))
            lines.append(f"{f.file}: {gettext(f.severity)} {f.code}: {more}")
    return lines
