"""`--help` of every command and group in Kazakh and Russian: every text translated through the catalogue when
click formats it, nothing left in English; `advisor --lang ru …` on the group itself."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from advisor import api
from advisor.cli.common import LANG
from advisor.cli.helptext import option
from advisor.cli.main import main
from advisor.errors import N_

from ..conftest import MINI
from .helptexts import commands, english_texts

LANGS = ("kk", "ru")
COMMANDS = [path for path, _ in commands()]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False, prog_name="advisor")
    return result.exit_code, result.output


def flat(text: str) -> str:
    """Whitespace as one space: click wraps at 80 columns (also after the hyphen of «іс-шара», as a typesetter
    may), and the no-break space before a dash stays a space."""
    return " ".join(re.sub(r"(?<=\w-)\n\s*", "", text).split())


def untranslated(command: click.Command, lang: str) -> list[str]:
    gettext = api.gettext_for(lang)
    return [f"{where}: {text!r}" for where, text in english_texts(command) if gettext(text) == text]


def english_left(path: tuple[str, ...], command: click.Command, lang: str) -> list[str]:
    """What `advisor PATH --help --lang LANG` shows in English, or does not show in the language."""
    gettext = api.gettext_for(lang)
    code, out = invoke(*path, "--help", "--lang", lang)
    assert code == 0, out
    shown, wrong = flat(out), []
    for where, text in english_texts(command):
        if where.endswith("metavar") or where.endswith("_metavar"):
            if re.search(rf"(?<![\w\[|]){re.escape(text)}(?![\w|\]])", out):
                wrong.append(f"{where}: {text!r} shown in English")
        elif where != "short_help":   # the short help is shown in the group's list (below)
            if flat(text) in shown or flat(gettext(text)) not in shown:
                wrong.append(f"{where}: {text!r} shown in English")
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            short = vars(sub).get("short_help")
            if short and f"{name} {flat(gettext(short))}" not in shown:   # in full, not cut short with "..."
                wrong.append(f"{name}: short help {short!r} not shown in full in {lang}")
    return wrong


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "advisor")
def test_every_help_text_is_in_the_catalogue(path: tuple[str, ...], lang: str) -> None:
    command = dict(commands())[path]
    assert not untranslated(command, lang), \
        f"advisor {' '.join(path)}: mark these N_(...) and translate them in {lang}.po (# --- CLI help ---)"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "advisor")
def test_help_shows_no_english(path: tuple[str, ...], lang: str) -> None:
    command = dict(commands())[path]
    assert not english_left(path, command, lang)
    code, out = invoke(*path, "--help", "--lang", lang)
    assert ("Использование:" if lang == "ru" else "Қолданылуы:") in out and "Usage:" not in out and "[OPTIONS]" not in out


def test_every_option_says_what_it_does() -> None:
    bare = [f"advisor {' '.join(path)} {param.opts[0]}" for path, command in commands() for param in command.params
            if isinstance(param, click.Option) and not vars(param).get("help")]
    assert not bare


def test_an_option_added_without_translation_fails() -> None:
    """The checks above catch an option whose help has no translation, and one declared with click's own
    option (help shown in English even when its text is in the catalogue)."""
    command = click.Command("probe", callback=lambda **_: None, params=[])
    option("--width", help=N_("Never translated, for this test."))(command)
    assert untranslated(command, "kk") == ["--width help: 'Never translated, for this test.'"]
    plain = click.Command("probe", callback=lambda **_: None, params=[])
    click.option("--out", help=N_("Output format."))(plain)       # in the catalogue, but click's Option
    LANG(plain)
    main.add_command(plain)
    try:
        assert english_left(("probe",), plain, "ru") == ["--out help: 'Output format.' shown in English",
                                                         "--out metavar: 'TEXT' shown in English"]
    finally:
        del main.commands["probe"]


def test_english_help_reads_as_before_after_another_language() -> None:
    invoke("roadmap", "--help", "--lang", "kk")
    code, out = invoke("roadmap", "--help")
    assert "Usage: advisor roadmap [OPTIONS] FILE" in out and "Progress file: actions done and in progress." in out
    assert "Show this message and exit." in out and not set("абвгдеқәі") & set(out.lower())


@pytest.mark.parametrize(("lang", "usage_word"), [("ru", "Использование: advisor [ПАРАМЕТРЫ] КОМАНДА"),
                                                  ("kk", "Қолданылуы: advisor [ПАРАМЕТРЛЕР] КОМАНДА")])
def test_the_group_takes_lang(lang: str, usage_word: str) -> None:
    code, out = invoke("--lang", lang, "--help")
    assert code == 0 and usage_word in out and "--lang" in out
    code, out = invoke("--lang", lang, "rules", "--help")
    assert code == 0 and usage_word.replace("advisor", "advisor rules") in out
    code, out = invoke("rules", "--lang", lang, "lint", "--help")
    assert code == 0 and ("Параметры:" if lang == "ru" else "Параметрлер:") in out


def test_a_groups_lang_is_its_commands_default_and_their_own_wins() -> None:
    last = lambda *args, env=None: invoke(*args, env=env)[1].splitlines()[-1]   # noqa: E731
    assert last("--lang", "ru", "rules", "validate", "--kb", str(MINI)) == "ошибок нет"
    assert last("rules", "--lang", "kk", "validate", "--kb", str(MINI)) == invoke("rules", "validate", "--kb", str(MINI),
                                                                                     "--lang", "kk")[1].splitlines()[-1]
    # the line says it: --lang given to the group beats ADVISOR_LANG; the command's own, later, beats the group's
    assert last("--lang", "ru", "rules", "validate", "--kb", str(MINI), env={"ADVISOR_LANG": "kk"}) == "ошибок нет"
    assert last("--lang", "ru", "rules", "validate", "--kb", str(MINI), "--lang", "en") == "valid"
    assert last("rules", "validate", "--kb", str(MINI), env={"ADVISOR_LANG": "ru"}) == "ошибок нет"
    code, out = invoke("--lang", "de", "rules", "validate", "--kb", str(MINI))
    assert code == 2 and "'de'" in out
