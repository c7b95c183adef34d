"""What every command shares: the common options, output, JSON, and turning our errors into exit codes."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable

import click

LANG = click.option("--lang", type=click.Choice(["kk", "ru", "en"]), default="en", show_default=True,
                    help="Language of the output.")
KB = click.option("--kb", "kb_path", type=click.Path(file_okay=False), default=None,
                  help="Knowledge-base folder (with knowledge_base/ and rules/); default: the shipped one.")
OUT = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of standard output.")


def planning(func: Callable[..., Any]) -> Callable[..., Any]:
    """The planning options every planning command takes (roadmap, report, next, explain, gap): one
    definition, so they cannot drift apart. The command receives them as ``plan`` (a dict for api.plan_for)."""
    options = [
        click.option("--progress", type=click.Path(dir_okay=False), default=None,
                     help="Progress file: actions done and in progress."),
        click.option("--target", multiple=True, metavar="LEVEL|DIM=LEVEL",
                     help="Target level, overall (4) or for one dimension (technology=4); repeatable. "
                          "Default: the profile's target level, else the next level up."),
        click.option("--horizon", type=int, default=None,
                     help="Months of the core plan (default: knowledge_base/planning.yaml, 12)."),
        click.option("--start", default=None, metavar="YYYY-MM", help="Month 0 of the plan (default: the assessment's month)."),
        click.option("--max-per-stage", type=int, default=None, help="At most N actions start in one stage (quarter)."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, progress: str | None, target: tuple[str, ...], horizon: int | None, start: str | None,
                max_per_stage: int | None, **kwargs: Any) -> Any:
        return func(*args, plan=dict(progress=progress, targets=list(target), horizon=horizon, start=start,
                                     max_per_stage=max_per_stage), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def fmt(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="Output format.")


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Our own error type becomes a message and an exit code; anything else is a bug and keeps its traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import AdvisorError
        try:
            return func(*args, **kwargs)
        except AdvisorError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def emit(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        from ..api import write_output
        write_output(output, text)
        click.echo(f"wrote {output}", err=True)


#: version of the JSON output's layout (docs/json.md); bump it when a field changes meaning or goes away
SCHEMA_VERSION = 2


def as_json(**parts: Any) -> str:
    from ..api import to_jsonable
    return json.dumps(to_jsonable(parts), ensure_ascii=False, indent=2) + "\n"
