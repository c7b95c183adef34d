"""The one error type users see, carrying where the problem is and what to do about it."""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass, field
from typing import Callable, Iterable

Gettext = Callable[[str], str]


class Msg(str):
    """A user-facing text built from an English template that the gettext catalogues translate.

    ``str(msg)`` is the English text, so a Msg goes wherever a str does; :meth:`localise` gives it in
    another language. Build one with :func:`N_` (the marker the catalogue extraction looks for), with
    ``{name}`` placeholders, never an f-string: the template is the msgid."""

    template: str
    args: dict[str, object]

    def __new__(cls, template: str, **args: object) -> "Msg":
        self = super().__new__(cls, template.format(**args) if args else template)
        self.template, self.args = template, args
        return self

    def localise(self, gettext: Gettext) -> str:
        args = {k: localise(v, gettext) if isinstance(v, str) else v for k, v in self.args.items()}
        template = gettext(self.template)
        if not args:
            return template
        # a catalogue that knows its language's numbers (reports.i18n.Catalogue) writes «1 000 000», «4,5»
        number = getattr(getattr(gettext, "__self__", None), "number", None)
        return _Numbers(number).format(template, **args) if number else template.format(**args)


class _Numbers(string.Formatter):
    """str.format, with a message's decimals and grouped counts in the language's symbols. Other whole
    numbers (a line, a row, a byte) are written as they are."""

    def __init__(self, number: Callable[[str], str]) -> None:
        self.number = number

    def format_field(self, value: object, format_spec: str) -> str:
        text = format(value, format_spec)
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and "," in format_spec):
            return self.number(text)
        return text


def N_(template: str, **args: object) -> Msg:
    """Mark ``template`` for translation and fill it: ``N_("unknown criterion {id!r}", id=cid)``."""
    return Msg(template, **args)


def localise(text: str, gettext: Gettext) -> str:
    """A Msg in the language of ``gettext``; a plain str (not yet translatable) as it is."""
    return text.localise(gettext) if isinstance(text, Msg) else text


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        return self.render(_same)

    def render(self, gettext: Gettext) -> str:
        """``file:line:column: field: message (hint: …)`` in the language of ``gettext``."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: "
        if self.field:
            text += f"{localise(self.field, gettext)}: "
        text += localise(self.message, gettext)
        if self.hint:
            text += " (" + N_("hint: {hint}", hint=self.hint).localise(gettext) + ")"
        return text


class ProblemText(Msg):
    """A Problem as one line of text (English as a str) that is rendered anew in another language, for
    lists of reasons kept as text (a batch's refused inputs)."""

    problem: Problem

    def __new__(cls, problem: Problem) -> "ProblemText":
        self = str.__new__(cls, str(problem))
        self.template, self.args, self.problem = str(problem), {}, problem
        return self

    def __reduce__(self) -> tuple[type["ProblemText"], tuple[Problem]]:   # workers send it back by pickle
        return ProblemText, (self.problem,)

    def localise(self, gettext: Gettext) -> str:
        return self.problem.render(gettext)


@dataclass
class AdvisorError(Exception):
    """Bad input or a refused operation. The CLI prints it and exits with ``exit_code``."""

    problems: list[Problem] = field(default_factory=list)
    exit_code: int = 2

    @classmethod
    def single(cls, file: str, message: str, **kw: object) -> "AdvisorError":
        return cls([Problem(file, message, **kw)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class EngineError(RuntimeError):
    """The rule engine failed. A bug or an engine limit, not a user mistake: keeps its traceback."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known word, if one is close enough."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return N_("did you mean {word!r}?", word=match[0]) if match else None
