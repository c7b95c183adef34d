"""``advisor rules …``: tools for policy teams who edit the rule files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import KB, emit, fmt, handles_errors


def _kb_root(kb_path: str | None) -> Path:
    from .. import api
    return Path(kb_path) if kb_path else api.default_kb_root()


def _version_line(root: Path) -> str:
    from .. import api
    return api.kb_version_line(root)


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
        emit(json.dumps({"kb": _version_line(root), "problems": [p.__dict__ for p in problems]},
                        ensure_ascii=False, indent=2) + "\n", None)
    else:
        click.echo(_version_line(root))
        for p in problems:
            click.echo(str(p))
        click.echo(f"{len(problems)} problem(s)" if problems else "valid")
    sys.exit(1 if problems else 0)


@rules.command()
@fmt("text", "json")
@KB
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@handles_errors
def lint(fmt: str, kb_path: str | None, strict: bool) -> None:
    """Checks beyond the schema: unreachable weaknesses, unused actions, shadowed rules, … Exit 1 on errors."""
    from .. import api
    root = _kb_root(kb_path)
    findings = api.lint(root)
    if fmt == "json":
        emit(json.dumps({"kb": _version_line(root), "codes": api.LINT_CODES, "findings": [f.__dict__ for f in findings]},
                        ensure_ascii=False, indent=2) + "\n", None)
    else:
        click.echo(_version_line(root))
        for f in findings:
            click.echo(str(f))
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
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
    kb = api.load_kb(kb_path)
    report = api.run_rule_tests(kb, [Path(p) for p in paths] or None, coverage=coverage or fail_under is not None)
    click.echo(f"knowledge base {kb.version}")
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
        emit(json.dumps({"old": result.old_version, "new": result.new_version, "summary": result.summary,
                         "changes": [c.__dict__ for c in result.changes]}, ensure_ascii=False, indent=2) + "\n", None)
        return
    click.echo(f"old {result.old_version} -> new {result.new_version}")
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
    s = result.summary
    click.echo(f"{s['changed']} of {s['assessments']} assessment(s) changed: "
               f"weaknesses +{s['weaknesses_added']} -{s['weaknesses_removed']}, "
               f"actions +{s['actions_added']} -{s['actions_removed']}, {s['stages_changed']} stage change(s)")


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
    click.echo(f"wrote {len(schemas)} schemas to {folder}")
