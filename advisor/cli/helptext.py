"""Every command's help in the user's language: descriptions, option help and the words of metavars.

The texts are English msgids marked with ``N_`` where they are declared (so extraction finds them) and
translated when click reads them to format the help, never at import: the language is known only once
``Advisor.main`` has read the command line (``usage.speak`` calls :func:`speak`). The classes below make
the attributes click reads (``help``, ``short_help``, ``epilog``, the usage line's metavars) translate on
access, so every path of click's (the help page, the list of commands, a usage error's hint) gets the
same words. English loads nothing: ``advisor --help`` stays as quick as it was.
"""

from __future__ import annotations

from typing import Any, Callable

import click

from ..errors import N_

#: the words click makes metavars of: a type's name upper-cased, the usage line's placeholders, and an argument's
#: name (click shows an explicit metavar without its brackets and dots, so arguments keep their names)
METAVARS = (N_("FILE"), N_("DIRECTORY"), N_("PATH"), N_("TEXT"), N_("INTEGER"), N_("FLOAT"), N_("INTEGER RANGE"),
            N_("[OPTIONS]"), N_("COMMAND [ARGS]..."),
            N_("ITEM"), N_("OLD"), N_("NEW"), N_("INPUTS"), N_("PATHS"), N_("OLD_KB"), N_("NEW_KB"), N_("KB_DIR"),
            N_("USERNAME"), N_("SLUG"), N_("OUT"))
#: click's help option, made again on first use and then kept in that language (a test switches languages)
HELP = "Show this message and exit."

_gettext: list[Callable[[str], str]] = [str]   # English until usage.speak says otherwise


def speak(gettext: Callable[[str], str]) -> None:
    """Help texts in the language of ``gettext`` from now on (the catalogue click's messages use)."""
    _gettext[0] = gettext


def text(message: str) -> str:
    """``message`` (an English msgid: a help text, a metavar) in the language click speaks now."""
    return _gettext[0](message)


def _translated(name: str) -> property:
    """An attribute kept in English, read in the language click speaks now."""

    def get(self: Any) -> Any:
        value = self.__dict__.get(name)
        return text(value) if isinstance(value, str) else value

    def put(self: Any, value: Any) -> None:
        self.__dict__[name] = value

    return property(get, put)


class Option(click.Option):
    help = _translated("help")  # type: ignore[assignment]

    def make_metavar(self, ctx: click.Context) -> str:
        return text(super().make_metavar(ctx))


class Argument(click.Argument):
    help = _translated("help")  # type: ignore[assignment]

    def make_metavar(self, ctx: click.Context) -> str:
        # click brackets and dots the word ("[PATHS]..."): the word alone is the msgid
        word = self.metavar or (self.name or "").upper()
        return super().make_metavar(ctx).replace(word, text(word), 1)


class Command(click.Command):
    help = _translated("help")  # type: ignore[assignment]
    short_help = _translated("short_help")  # type: ignore[assignment]
    epilog = _translated("epilog")  # type: ignore[assignment]
    options_metavar = _translated("options_metavar")  # type: ignore[assignment]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = text(HELP)
        return option


class Group(Command, click.Group):
    subcommand_metavar = _translated("subcommand_metavar")  # type: ignore[assignment]
    command_class = Command
    group_class = type   # a group's groups are of its class


def option(*decls: str, **attrs: Any) -> Any:
    """``click.option`` whose help and metavar are read in the user's language."""
    return click.option(*decls, cls=Option, **attrs)


def argument(*decls: str, **attrs: Any) -> Any:
    """``click.argument`` whose metavar (and help) are read in the user's language."""
    return click.argument(*decls, cls=Argument, **attrs)
