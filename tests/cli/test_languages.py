"""Every command a user reads speaks --lang (or ADVISOR_LANG): `advisor rules …`, lint findings, and click's
own usage errors; the codes, the JSON and the English text stay as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from click.testing import CliRunner

from advisor import api
from advisor.cli import usage
from advisor.cli.main import main
from advisor.kb.lint import CODES, lint

from ..conftest import MINI, edit_yaml, run_cli

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    return result.exit_code, result.output


def broken_kb(mini_copy: Path) -> Path:
    edit_yaml(mini_copy / "knowledge_base/actions/all.yaml", lambda d: d["actions"][0].update(owner="cdoo"))
    return mini_copy


@pytest.mark.parametrize(("lang", "word"), [("ru", "проблем: 1"), ("kk", "мәселелер: 1")])
def test_rules_validate_speaks_the_language(mini_copy: Path, lang: str, word: str) -> None:
    out = run_cli("rules", "validate", "--kb", broken_kb(mini_copy), "--lang", lang, code=1).output
    assert word in out and ("неизвестная роль 'cdoo'" in out if lang == "ru" else "cdoo" in out)
    assert "problem(s)" not in out and "knowledge base" not in out
    en = run_cli("rules", "validate", "--kb", mini_copy, code=1).output
    assert "1 problem(s)" in en and "unknown role 'cdoo'" in en   # English as before
    # the JSON does not change with the language
    assert run_cli("rules", "validate", "--kb", mini_copy, "--format", "json", "--lang", "kk", code=1).output == \
        run_cli("rules", "validate", "--kb", mini_copy, "--format", "json", code=1).output


def test_the_environment_sets_the_default_and_lang_overrides_it() -> None:
    assert invoke("rules", "validate", "--kb", MINI, env={"ADVISOR_LANG": "ru"})[1].splitlines()[-1] == "ошибок нет"
    assert invoke("rules", "validate", "--kb", MINI, "--lang", "en", env={"ADVISOR_LANG": "ru"})[1].splitlines()[-1] == "valid"
    assert invoke("rules", "validate", "--kb", MINI, env={"ADVISOR_LANG": "xx"})[0] == 2   # a wrong default is said


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_lint_findings_are_translated_and_keep_their_codes(lang: str) -> None:
    findings = lint(api.default_kb_root()) + lint(MINI)
    gettext = api.gettext_for(lang)
    assert findings
    for f in findings:
        shown = f.render(gettext)
        assert f" {f.code}: " in shown and shown != str(f)
        message = shown.split(f" {f.code}: ", 1)[1]
        assert CYRILLIC & set(message.lower()), shown
    for code, description in CODES.items():
        assert gettext(description) != description, code
    out = run_cli("rules", "lint", "--kb", MINI, "--lang", lang, "--all").output
    assert all(f.code in out for f in lint(MINI))
    assert ("ошибок: " if lang == "ru" else "қателер: ") in out.splitlines()[-1]


def test_lint_in_english_reads_as_before() -> None:
    out = run_cli("rules", "lint", "--kb", MINI, "--all").output
    assert "info I109: " in out and " rules compile to " in out and out.splitlines()[-1].startswith("0 error(s), ")


@pytest.mark.parametrize(("lang", "usage_word", "error_word"), [("ru", "Использование:", "Ошибка:"), ("kk", "Қолданылуы:", "Қате:")])
def test_clicks_usage_errors_in_the_language(lang: str, usage_word: str, error_word: str) -> None:
    for args in (["roadmap", "--lang", lang, "--bogus"], ["roadmap", "--lang", lang],
                 ["report", "--lang", lang, "x.yaml", "--format", "pdf", "-o", "x.html"], ["rules", "lint", "--lang", lang, "--strikt"]):
        code, out = invoke(*args)
        assert code == 2 and usage_word in out and error_word in out and "--help" in out, out
        assert "Usage:" not in out and "Error:" not in out and "Try " not in out, out
    code, out = invoke("roadmap", env={"ADVISOR_LANG": lang})   # the environment's default
    assert code == 2 and usage_word in out
    # the next run in English is English again
    code, out = invoke("roadmap", "--bogus")
    assert code == 2 and "Error: No such option '--bogus'." in out and "Usage: main roadmap" in out


def test_click_messages_named_are_clicks_own() -> None:
    import click
    folder = Path(click.__file__).parent
    found = {m[1] if isinstance(m[1], str) else tuple(m[1])
             for name in usage.CLICK_MODULES if (folder / f"{name}.py").is_file()
             for m in extract_from_file("python", str(folder / f"{name}.py"))}
    ours = set(usage.MESSAGES) | set(usage.PLURALS)
    assert ours <= found, sorted(map(str, ours - found))   # a click upgrade that renames one fails here


def test_lang_is_read_before_click_parses() -> None:
    assert usage.lang_of(["roadmap", "--lang", "kk", "x"]) == "kk"
    assert usage.lang_of(["roadmap", "--lang=ru"]) == "ru"
    assert usage.lang_of(["roadmap", "--lang", "ru", "--lang", "kk"]) == "kk"
    assert usage.lang_of(["roadmap", "--", "--lang", "ru"]) == usage.lang_of([])
    assert usage.lang_of(["roadmap", "--lang", "de"]) == usage.lang_of([])


def test_a_test_run_and_the_schemas_in_russian(tmp_path: Path) -> None:
    out = run_cli("rules", "test", "--kb", api.default_kb_root(), "--lang", "ru", "--coverage").output
    assert "пройдено: " in out and "покрытие: " in out and "passed" not in out
    out = run_cli("rules", "schema", "-o", tmp_path, "--lang", "kk").output
    assert "схема жазылды" in out
    assert os.listdir(tmp_path)
