"""click's own messages (usage errors, «Usage:», «Try … for help.») in the user's language.

click translates through Python's gettext: each of its modules imported ``gettext``'s ``_`` and ``ngettext``
and calls them when it builds a message. Pointing those names at our catalogue of the language is the one
hook that needs no compiled .mo files under click's text domain and no parsing of click's English text; the
msgids below are click's, translated in ``advisor/reports/locale``. The language is known before click
parses anything: ``--lang`` on the command line, else ``ADVISOR_LANG``.
"""

from __future__ import annotations

import importlib
from typing import Sequence

from ..errors import N_
from . import helptext
from .common import LANGS, default_lang

#: the click modules that build messages (a module missing from another click version is left out)
CLICK_MODULES = ("core", "exceptions", "parser", "types", "decorators", "formatting", "termui", "utils")


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural msgid pair of click's for the catalogue (babel's ``ngettext`` keyword)."""
    return singular, plural


#: what a user of the command line meets; click's messages for programmers (a bad declaration) stay English
MESSAGES = (
    N_("Usage:"), N_("Try '{command} {option}' for help."), N_("Error: {message}"), N_("No such option {name!r}."),
    N_("No such command {name!r}."), N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"), N_("Missing command."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."), N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."), N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."), N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."), N_("file"), N_("directory"), N_("path"),
    N_("Could not open file {filename!r}: {message}"), N_("Aborted!"), N_("Options"), N_("Commands"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("default: {default}"), N_("env var: {var}"),
    N_("Value must be an iterable."), N_("unknown error"), N_("Positional arguments"),
)
#: click passes this one to its gettext as a variable (``_(extra["required"])``): its [required] in help
DYNAMIC = (N_("required"),)
PLURALS = (
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    ngettext("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."),
    ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."),
)


def lang_of(args: Sequence[str]) -> str:
    """The --lang the command line gives (its last one, as click takes it), else the environment's default."""
    lang = default_lang()
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[len("--lang="):] if arg.startswith("--lang=") else None
        if value in LANGS:
            lang = value
    return lang


_spoken = ["en"]   # what click speaks now: English needs nothing loaded (`advisor --help` stays quick)


def speak(lang: str) -> None:
    """click's messages in ``lang`` from now on (English: click's own text)."""
    if lang == _spoken[0]:
        return
    _spoken[0] = lang
    from ..api import translations
    catalogue = translations(lang)  # type: ignore[arg-type]
    helptext.speak(catalogue.gettext)
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:   # pragma: no cover - another click version
            continue
        if hasattr(module, "_"):
            module._ = catalogue.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext  # type: ignore[attr-defined]
