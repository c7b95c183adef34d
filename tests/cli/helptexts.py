"""The texts of the command line's help, read from the click tree (not listed by hand): for the tests of
``--help`` in kk and ru and for the catalogue test, so that a new command or option is checked on its own."""

from __future__ import annotations

import re
from typing import Iterator

import click

from advisor.cli.main import main

#: metavars that are not words: a choice of values the user types ([text|json]), a count, an address
SYMBOL = re.compile(r"\[[^\]]*\]|N|URL")


def commands(command: click.Command = main, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``command``, with the words that call it."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, path + (name,))


def english_texts(command: click.Command) -> list[tuple[str, str]]:
    """(where, English text) of every text a reader meets in ``command``'s help: its description and short help,
    the usage line's placeholders, each parameter's help and metavar. Read as declared (``vars``), not through
    the translating attributes; click's own --help is click's message (usage.MESSAGES)."""
    ctx = click.Context(command, info_name=command.name)
    found = [(attr, vars(command).get(attr)) for attr in ("help", "short_help", "epilog", "options_metavar", "subcommand_metavar")]
    for param in command.params:
        name = param.opts[0] if param.opts else str(param.name)
        found.append((f"{name} help", vars(param).get("help")))
        if isinstance(param, click.Argument):
            found.append((f"{name} metavar", param.metavar or str(param.name).upper()))
        elif isinstance(param, click.Option) and not param.is_flag:
            found.append((f"{name} metavar", click.Option.make_metavar(param, ctx)))
    return [(where, text) for where, text in found if isinstance(text, str) and text and not SYMBOL.fullmatch(text)]


def all_english_texts() -> set[str]:
    return {text for _, command in commands() for _, text in english_texts(command)}
