"""What every command shares: the common options, output, JSON, and turning our errors into exit codes."""

from __future__ import annotations

import functools
import json
import re
import sys
from typing import Any, Callable

import click

LANG = click.option("--lang", type=click.Choice(["kk", "ru", "en"]), default="en", show_default=True,
                    help="Language of the output.")
KB = click.option("--kb", "kb_path", type=click.Path(file_okay=False), default=None,
                  help="Knowledge-base folder (with knowledge_base/ and rules/); default: the shipped one.")
OUT = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of standard output.")


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
SCHEMA_VERSION = 1


def as_json(**parts: Any) -> str:
    from ..api import to_jsonable
    text = json.dumps(to_jsonable(parts), ensure_ascii=False, indent=2) + "\n"
    # json escapes C0 controls only: C1 (U+009B is a terminal's CSI) and bidi overrides as \u escapes too
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
