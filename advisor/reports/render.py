"""jinja2 environment, filters and translations. Templates receive finished values; they never compute."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..models.common import Lang, Text
from ..models.knowledge import KnowledgeBase
from ..models.results import Evaluation, NextSteps, Roadmap
from .i18n import translations


def _num(x: float | int | None, places: int = 2) -> str:
    if x is None:
        return "—"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.{places}f}".rstrip("0").rstrip(".")


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes or line breaks that would split the row."""
    return " ".join(str(text).replace("|", "\\|").split())


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


@lru_cache(maxsize=None)
def environment(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("advisor.reports", "templates"),
        # templates are named *.html.j2 / *.svg.j2: escape by the inner extension
        autoescape=lambda name: name is not None and (".html" in name or ".svg" in name),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]

    def t(text: Text | None) -> str:
        return "" if text is None else text.get(lang)

    env.filters.update(t=t, num=_num, pct=_pct, md=_md)
    env.globals["lang"] = lang
    return env


def render(template: str, lang: Lang, kb: KnowledgeBase, **context: Any) -> str:
    """Render ``templates/<template>`` in ``lang``; ``kb`` gives the templates every name and text."""
    return environment(lang).get_template(template).render(kb=kb, **context)


def render_text(name: str, lang: Lang, kb: KnowledgeBase, **context: Any) -> str:
    """A command's text output (``templates/text/<name>.txt.j2``)."""
    return render(f"text/{name}.txt.j2", lang, kb, **context)


def render_report(ev: Evaluation, rm: Roadmap, nx: NextSteps, kb: KnowledgeBase, lang: Lang, fmt: str) -> str:
    """The client report: ``fmt`` is ``html`` (one self-contained file) or ``md``."""
    from . import view
    return render(f"report/report.{fmt}.j2", lang, kb, view=view.build(ev, rm, nx, kb, lang))


def render_page(name: str, fmt: str, lang: Lang, kb: KnowledgeBase, **context: Any) -> str:
    """A one-page document for an office's leadership (``templates/page/<name>.<fmt>.j2``): what next, progress."""
    return render(f"page/{name}.{fmt}.j2", lang, kb, **context)


def blank_assessment(kb: KnowledgeBase, lang: Lang, today: str) -> str:
    """A blank assessment with every descriptor and method as a comment."""
    return render("assessment.yaml.j2", lang, kb, today=today)
