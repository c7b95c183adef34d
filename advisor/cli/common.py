"""What every command shares: the common options, output, JSON, and turning our errors into exit codes."""

from __future__ import annotations

import functools
import json
import re
import sys
from typing import Any, Callable

import click

from ..errors import N_
from .helptext import option

LANGS = ("kk", "ru", "en")
#: set once (e.g. in a shell profile) for every command's --lang
LANG_ENV = "ADVISOR_LANG"


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The command's messages and errors follow --lang from here on. A group's --lang (``advisor --lang ru
    roadmap …``) is the default of its commands; a command's own --lang, given later on the line, wins."""
    given = ctx.get_parameter_source(param.name or "") is click.core.ParameterSource.COMMANDLINE
    if given or "advisor.lang" not in ctx.meta:   # meta is shared by a group's context and its command's
        ctx.meta["advisor.lang"] = value
    return str(ctx.meta["advisor.lang"])


LANG = option("--lang", type=click.Choice(LANGS), default="en", show_default=True, envvar=LANG_ENV, show_envvar=True,
              callback=_remember_lang, help=N_("Language of the output and of the messages."))
#: a group's --lang: the default of its commands (``advisor --lang ru roadmap …``)
GROUP_LANG = option("--lang", type=click.Choice(LANGS), default="en", show_default=True, envvar=LANG_ENV, show_envvar=True,
                    callback=_remember_lang, expose_value=False,
                    help=N_("Language of the help, the output and the messages of every command that follows."))
KB = option("--kb", "kb_path", type=click.Path(file_okay=False), default=None,
            help=N_("Knowledge-base folder (with knowledge_base/ and rules/); default: the shipped one "
                    "(for `rules validate|lint|test`: the one in the current folder, if there is one)."))
OUT = option("-o", "--output", type=click.Path(dir_okay=False), default=None,
             help=N_("Write to this file instead of standard output (- is standard output). Never an input file."))
FORCE = option("--force", is_flag=True, help=N_("Replace the -o file if it exists."))
#: options naming a knowledge base: files inside one in use are never written
KB_PARAMS = ("kb_path", "old_kb", "new_kb")
OUTPUT_PARAMS = ("output", "out_dir")


def planning(func: Callable[..., Any]) -> Callable[..., Any]:
    """The planning options every planning command takes (roadmap, report, next, explain, gap): one
    definition, so they cannot drift apart. The command receives them as ``plan`` (a dict for api.plan_for)."""
    options = [
        option("--progress", type=click.Path(dir_okay=False), default=None,
               help=N_("Progress file: actions done and in progress.")),
        option("--target", multiple=True, metavar=N_("LEVEL|DIMENSION=LEVEL"),
               help=N_("Target level, overall (4) or for one dimension (technology=4); repeatable. "
                       "Default: the profile's target level, else the next level up.")),
        option("--horizon", type=int, default=None, metavar=N_("MONTHS"),
               help=N_("Months of the core plan (default: knowledge_base/planning.yaml, 12).")),
        option("--start", default=None, metavar=N_("YYYY-MM"), help=N_("Month 0 of the plan (default: the assessment's month).")),
        option("--max-per-stage", type=int, default=None, metavar="N", help=N_("At most N actions start in one stage (quarter).")),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, progress: str | None, target: tuple[str, ...], horizon: int | None, start: str | None,
                max_per_stage: int | None, **kwargs: Any) -> Any:
        return func(*args, plan=dict(progress=progress, targets=list(target), horizon=horizon, start=start,
                                     max_per_stage=max_per_stage), **kwargs)

    for decorate in reversed(options):
        wrapper = decorate(wrapper)
    return wrapper


def fmt(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                  help=N_("Output format."))


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Our own error type becomes a message and an exit code; anything else is a bug and keeps its traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import AdvisorError
        try:
            return func(*args, **kwargs)
        except AdvisorError as exc:
            from ..api import for_terminal
            gettext = translator()
            for problem in exc.problems:
                click.echo(for_terminal(gettext("error") + ": " + problem.render(gettext)), err=True)
            sys.exit(exc.exit_code)

    return wrapper


def current_lang() -> str:
    """The running command's --lang (before its options are parsed: the environment's default)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and "advisor.lang" in ctx.meta:
        return str(ctx.meta["advisor.lang"])
    return default_lang()


def default_lang() -> str:
    import os
    value = os.environ.get(LANG_ENV, "")
    return value if value in LANGS else "en"


def translator() -> Callable[[str], str]:
    """gettext of the running command's --lang: messages reach users in their language."""
    from ..api import gettext_for
    return gettext_for(current_lang())


def _(message: str, **args: Any) -> str:
    """``message`` (an English msgid with ``{name}`` placeholders) in the running command's language."""
    text = translator()(message)
    return text.format(**args) if args else text


def echo(message: str) -> None:
    """A line of a command's result (standard output), a translatable message in the user's language."""
    from ..errors import localise
    click.echo(localise(message, translator()))


def say(message: str) -> None:
    """A status line (standard error) in the user's language."""
    from ..errors import localise
    click.echo(localise(message, translator()), err=True)


def inputs_of_command() -> tuple[list[str], list[str]]:
    """Every path the running command reads (files and folders), and the knowledge bases it uses."""
    from ..api import default_kb_root
    files: list[str] = []
    kbs: list[str] = []
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        for param in ctx.command.params:
            if not isinstance(param.type, click.Path) or param.name in OUTPUT_PARAMS:
                continue
            value = ctx.params.get(param.name or "")
            values = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None]
            if param.name in KB_PARAMS:
                kbs += values or [str(default_kb_root())]
            else:
                files += values
        ctx = ctx.parent
    return files, kbs


def emit(data: str | bytes, output: str | None) -> None:
    """Print ``data``, or write it to ``output`` (``-``: standard output) unless that is one of the inputs."""
    from ..api import STDIO, refuse_inputs, write_output
    from ..errors import N_
    if output is None or (output == STDIO and isinstance(data, str)):
        text = data if isinstance(data, str) else data.decode("utf-8")
        click.echo(text, nl=not text.endswith("\n"))
        return
    files, kbs = inputs_of_command()
    refuse_inputs(output, files, kbs)
    write_output(output, data)
    if output != STDIO:
        say(N_("wrote {path}", path=output))


def refuse_existing(output: str | None, force: bool) -> None:
    """A command that writes a blank (``template``) must not replace a filled-in file by accident."""
    import os

    from ..errors import N_, AdvisorError
    if output is not None and not force and os.path.isfile(output):
        raise AdvisorError.single(output, N_("exists; it may be a filled-in assessment"),
                                  hint=N_("choose another file name, or add --force to replace it"))


def as_json(**parts: Any) -> str:
    from ..api import to_jsonable
    text = json.dumps(to_jsonable(parts), ensure_ascii=False, indent=2) + "\n"
    # json escapes C0 controls only: C1 (U+009B is a terminal's CSI) and bidi overrides as \u escapes too
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
