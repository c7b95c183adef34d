"""``advisor rules …``: tools for policy teams who edit the rule files."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from .common import KB, emit, fmt, handles_errors

#: findings of one code in one file listed before `rules lint` summarises the rest
LINT_SHOWN = 5


def _kb_root(kb_path: str | None) -> Path:
    """--kb, else the knowledge base in the current folder (the one being edited), else the shipped one."""
    from .. import api
    if kb_path:
        return Path(kb_path)
    here = Path.cwd()
    if (here / "knowledge_base").is_dir() and (here / "rules").is_dir():
        return here
    return api.default_kb_root()


def _version_line(root: Path, kb_path: str | None = None) -> str:
    """Which knowledge base was checked, with its path, and why that one."""
    from .. import api
    line = api.kb_version_line(root)
    if kb_path:
        return line
    if root == Path.cwd():
        return line + ": the one in the current folder"
    return line + ": the shipped one (no knowledge_base/ and rules/ here; --kb DIR checks another)"


@click.group()
def rules() -> None:
    """Validate, lint, test and compare knowledge bases (for policy teams)."""


@rules.command()
@fmt("text", "json")
@KB
@handles_errors
def validate(fmt: str, kb_path: str | None) -> None:
    """Every schema and reference problem in every file, with file:line:column. Exit 1 if any."""
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
        emit(json.dumps({"kb": _version_line(root), "kb_path": str(root), "problems": [p.__dict__ for p in problems]},
                        ensure_ascii=False, indent=2) + "\n", None)
    else:
        click.echo(_version_line(root, kb_path))
        for p in problems:
            click.echo(str(p))
        click.echo(f"{len(problems)} problem(s)" if problems else "valid")
    sys.exit(1 if problems else 0)


@rules.command()
@fmt("text", "json")
@KB
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--all", "show_all", is_flag=True,
              help=f"List every finding; by default more than {LINT_SHOWN} of one code in one file are summarised.")
@handles_errors
def lint(fmt: str, kb_path: str | None, strict: bool, show_all: bool) -> None:
    """Checks beyond the schema: unreachable weaknesses, unused actions, shadowed rules, … Exit 1 on errors.

    Errors are always listed in full; many warnings of one code in one file are summarised (--all lists them)."""
    from .. import api
    root = _kb_root(kb_path)
    findings = api.lint(root)
    if fmt == "json":
        emit(json.dumps({"kb": _version_line(root), "kb_path": str(root), "codes": api.LINT_CODES,
                         "findings": [f.__dict__ for f in findings]}, ensure_ascii=False, indent=2) + "\n", None)
    else:
        click.echo(_version_line(root, kb_path))
        for line in _lint_lines(findings, api.LINT_CODES, show_all):
            click.echo(line)
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        by_code = Counter(f.code for f in findings)
        if len(findings) > LINT_SHOWN:
            click.echo("by code: " + ", ".join(f"{c} {n}" for c, n in sorted(by_code.items())))
        click.echo(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info")
    bad = any(f.severity == "error" or (strict and f.severity == "warning") for f in findings)
    sys.exit(1 if bad else 0)


@rules.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--coverage", is_flag=True, help="List rules and actions no case exercised.")
@click.option("--fail-under", type=float, default=None, help="Exit 1 when coverage (percent) is below this.")
@KB
@handles_errors
def test_(paths: tuple[str, ...], coverage: bool, fail_under: float | None, kb_path: str | None) -> None:
    """Run rule test cases (default: the knowledge base's rules/tests/). Exit 1 if any fails."""
    from .. import api
    root = _kb_root(kb_path)
    kb = api.load_kb(root)
    report = api.run_rule_tests(kb, [Path(p) for p in paths] or None, coverage=coverage or fail_under is not None)
    click.echo(_version_line(root, kb_path))
    for o in report.failed:
        click.echo(f"FAILED {o.case.id} ({o.case.file}:{o.case.line})")
        for f in o.failures:
            click.echo(f"    {f}")
    if coverage or fail_under is not None:
        click.echo(f"coverage: {report.coverage}% of {len(kb.rules)} rules and {len(kb.actions)} actions")
        if report.rules_uncovered:
            click.echo("rules no case fired: " + ", ".join(report.rules_uncovered))
        if report.actions_uncovered:
            click.echo("actions in no case's roadmap: " + ", ".join(report.actions_uncovered))
    passed = len(report.outcomes) - len(report.failed)
    click.echo(f"{passed} passed, {len(report.failed)} failed")
    low = fail_under is not None and report.coverage < fail_under
    if low:
        click.echo(f"coverage {report.coverage}% is below --fail-under {fail_under}%")
    sys.exit(1 if report.failed or low else 0)


@rules.command(name="diff")
@click.argument("old_kb", type=click.Path(file_okay=False))
@click.argument("new_kb", type=click.Path(file_okay=False))
@click.option("--assessments", "folder", required=True, type=click.Path(), help="Folder of assessment files.")
@fmt("text", "json")
@handles_errors
def diff_(old_kb: str, new_kb: str, folder: str, fmt: str) -> None:
    """What a knowledge-base change does to real offices: findings and stages added, removed, moved."""
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
    click.echo(f"old {result.old_version} ({old_kb}) -> new {result.new_version} ({new_kb})")
    for x, (before, after) in result.prerequisites.items():
        click.echo(f"    ~ prerequisites of {x} in the catalogue: {', '.join(before) or 'none'} -> {', '.join(after) or 'none'}")
    for c in result.changes:
        if not c.changed:
            continue
        click.echo(c.file)
        for label, items in (("+ weakness", c.weaknesses_added), ("- weakness", c.weaknesses_removed),
                             ("+ action", c.actions_added), ("- action", c.actions_removed)):
            for x in items:
                click.echo(f"    {label} {x}")
        for x, (a, b) in c.stage_changed.items():
            click.echo(f"    ~ stage {x}: {a} -> {b}")
        for x, (ra, rb) in c.requires_changed.items():
            click.echo(f"    ~ requires {x}: {', '.join(ra) or 'none'} -> {', '.join(rb) or 'none'}")
        for x, ((s1, f1), (s2, f2)) in c.months_changed.items():
            click.echo(f"    ~ months {x}: {s1}-{f1} -> {s2}-{f2}")
        if c.total_months:
            click.echo(f"    ~ roadmap length: {c.total_months[0]} -> {c.total_months[1]} months")
    s = result.summary
    click.echo(f"{s['changed']} of {s['assessments']} assessment(s) changed: "
               f"weaknesses +{s['weaknesses_added']} -{s['weaknesses_removed']}, "
               f"actions +{s['actions_added']} -{s['actions_removed']}, {s['stages_changed']} stage change(s), "
               f"{s['requires_changed']} prerequisite change(s), {s['months_changed']} action(s) moved in time; "
               f"{s['prerequisites_changed']} action(s) with changed prerequisites in the catalogue")


@rules.command()
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write the schemas to.")
@handles_errors
def schema(out_dir: str) -> None:
    """Write a JSON Schema for every file type (from the pydantic models)."""
    from .. import api
    folder = api.ensure_folder(out_dir)
    schemas = api.schemas()
    for name, text in schemas.items():
        api.write_output(folder / name, text)
    click.echo(f"wrote {len(schemas)} schemas to {folder.resolve()}")


def _lint_lines(findings: list[Any], codes: dict[str, str], show_all: bool) -> list[str]:
    """Every error; warnings and infos with more than LINT_SHOWN of one code in one file summarised, so that
    thousands of one kind do not bury the few others."""
    groups = Counter((f.code, f.file) for f in findings if f.severity != "error")
    shown: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for f in findings:
        key = (f.code, f.file)
        if show_all or f.severity == "error" or groups[key] <= LINT_SHOWN:
            lines.append(str(f))
            continue
        shown[key] += 1
        if shown[key] < LINT_SHOWN:
            lines.append(str(f))
        elif shown[key] == LINT_SHOWN:
            rest = groups[key] - LINT_SHOWN + 1
            lines.append(f"{f.file}: {f.severity} {f.code}: … and {rest} more like this in this file "
                         f"({codes.get(f.code, f.code)}; --all lists them)")
    return lines
