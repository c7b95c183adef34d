"""jinja2 environment, filters and translations. Templates receive finished values; they never compute."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Literal

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from ..models.common import LANGS, Lang, Text
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation, NextSteps, Roadmap, explaining
from . import neutral, numbers
from .bytecode import bytecode_cache
from .i18n import translations

#: what a printed HTML report holds: the leadership's short copy, or everything the screen shows
Paper = Literal["leadership", "full"]
PAPERS: tuple[Paper, ...] = ("leadership", "full")


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: no line breaks that would split the row (pipes are escaped anyway)."""
    return Markup(" ".join(neutral.markdown(text).split()))


#: How each kind of output escapes the values a template prints (text from any file is data, never markup):
#: HTML (with its inline SVG and CSS) by HTML autoescaping; Markdown by HTML entities plus backslashes before
#: link, image and table syntax; text for a terminal and the YAML comments by neutralising control characters.
_KINDS = {"html": "html", "md": "md", "txt": "text", "yaml": "yaml"}


def kind_of(template: str) -> str:
    """The output kind of a top-level template, by its inner extension (``report.html.j2`` is html)."""
    inner = template.rsplit("/", 1)[-1].split(".")[1:-1]
    for ext in inner:
        if ext in _KINDS:
            return _KINDS[ext]
    raise ValueError(f"template {template!r} has no known output kind")  # a programming error, not user input


def _finalize(kind: str) -> Any:
    """What every printed value goes through before escaping (a Markup value was finalized where it was made)."""
    if kind == "md":
        return lambda v: v if hasattr(v, "__html__") else Markup(neutral.markdown(v))
    if kind == "html":
        # markup made safe elsewhere (Markup, Django's SafeString such as csrf_input) passes as it is
        return lambda v: v if hasattr(v, "__html__") else neutral.terminal(v)
    return neutral.terminal if kind == "text" else neutral.one_line


@lru_cache(maxsize=None)
def environment(lang: Lang, kind: str = "html") -> Environment:
    """One environment per language and output kind: every template it loads (macros, included CSS and SVG
    too) escapes the same way, so no path prints a value raw."""
    env = Environment(
        loader=PackageLoader("advisor.reports", "templates"),
        autoescape=kind in ("html", "md"), finalize=_finalize(kind),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"], bytecode_cache=bytecode_cache(kind))   # compiled once per user, not per run
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]

    def t(text: Text | None) -> str:
        # neutralised here too: a text passed into a translated message as an argument is not finalized
        return "" if text is None else neutral.terminal(text.get(lang))

    gettext = translations(lang).gettext
    # S/M/L are the catalogue's relative sizes; the words say what they mean to a reader
    efforts = {"S": gettext("small (S)"), "M": gettext("medium (M)"), "L": gettext("large (L)")}

    env.filters.update(t=t, md=_md, effort=lambda size: efforts.get(size, size), explaining=explaining,
                       **number_filters(lambda: lang))
    env.globals.update(numsep=lambda: numbers.separator(lang), percent_gap=lambda: numbers.percent_gap(lang))
    if kind == "md":
        env.filters["join"] = _md_join
    env.globals["lang"] = lang
    return env


def number_filters(lang_of: Callable[[], Lang]) -> dict[str, Callable[..., str]]:
    """``num`` (a figure), ``pct`` (a share as a percentage), ``signed`` (a change): every number a reader
    sees, in the symbols of the language being rendered."""
    return {"num": lambda x, places=2: numbers.number(x, lang_of(), places),
            "pct": lambda x, places=0: numbers.percent(x, lang_of(), places),
            "signed": lambda x, places=2: numbers.signed(x, lang_of(), places)}


def _md_join(values: Any, sep: str = "", attribute: str | None = None) -> Markup:
    """jinja's join escapes for HTML only; in Markdown each item needs the Markdown escaping too."""
    items = [getattr(v, attribute) if attribute else v for v in values]
    return Markup(neutral.markdown(sep).join(v if isinstance(v, Markup) else neutral.markdown(v) for v in items))


def shared_environment(lang_of: Callable[[], str], **options: Any) -> Environment:
    """The reports' templates and filters under another application's loader and gettext (Django's
    Jinja2 backend passes ``options``); ``lang_of`` gives the language of the request being rendered."""
    loader = options.pop("loader", None)
    package = PackageLoader("advisor.reports", "templates")
    options.setdefault("extensions", ["jinja2.ext.i18n"])
    options.setdefault("finalize", _finalize("html"))   # control characters neutralised, as in the reports
    env = Environment(loader=ChoiceLoader([loader, package]) if loader is not None else package, **options)

    def language(context: Any) -> str:
        # the page's language from its context (the application puts it there once per page): hundreds of
        # strings on a page need not each ask the application for the active language
        found = context.get("lang")
        return found if found in LANGS else lang_of()

    @pass_context
    def t(context: Any, text: Text | None) -> str:
        return "" if text is None else text.get(language(context))  # type: ignore[arg-type]

    @pass_context
    def gettext(context: Any, message: str) -> str:
        return translations(language(context)).gettext(message)  # type: ignore[arg-type]

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
        return translations(language(context)).ngettext(singular, plural, n)  # type: ignore[arg-type]

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(t=t, md=_md, explaining=explaining, **number_filters(lang_of))  # type: ignore[arg-type]
    env.globals.update(numsep=lambda: numbers.separator(lang_of()),  # type: ignore[arg-type]
                       percent_gap=lambda: numbers.percent_gap(lang_of()))  # type: ignore[arg-type]
    return env


def render(template: str, lang: Lang, kb: KnowledgeBase, **context: Any) -> str:
    """Render ``templates/<template>`` in ``lang``; ``kb`` gives the templates every name and text."""
    return environment(lang, kind_of(template)).get_template(template).render(kb=kb, **context)


def render_text(name: str, lang: Lang, kb: KnowledgeBase, **context: Any) -> str:
    """A command's text output (``templates/text/<name>.txt.j2``)."""
    return render(f"text/{name}.txt.j2", lang, kb, **context)


def render_report(ev: Evaluation, rm: Roadmap, nx: NextSteps, kb: KnowledgeBase, lang: Lang, fmt: str,
                  ids: bool = False, paper: Paper = "leadership") -> str:
    """The client report: ``fmt`` is ``html`` (one self-contained file) or ``md``. Weakness ids are the
    consultant's handles, not the client's words: shown only with ``ids``. ``paper``: what the HTML prints,
    the leadership's short copy or everything the screen shows (docs/cli.md)."""
    from . import view
    return render(f"report/report.{fmt}.j2", lang, kb, view=view.build(ev, rm, nx, kb, lang), ids=ids, paper=paper)


def render_page(name: str, fmt: str, lang: Lang, kb: KnowledgeBase, **context: Any) -> str:
    """A one-page document for an office's leadership (``templates/page/<name>.<fmt>.j2``): what next, progress."""
    return render(f"page/{name}.{fmt}.j2", lang, kb, **context)


def blank_assessment(kb: KnowledgeBase, lang: Lang, today: str) -> str:
    """A blank assessment with every descriptor and method as a comment."""
    return render("assessment.yaml.j2", lang, kb, today=today)
