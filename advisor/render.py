"""jinja2 environment, filters and translations. Templates receive finished values; they never compute."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .i18n import translations
from .knowledge import KnowledgeBase
from .models.common import Lang, Text


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
        loader=PackageLoader("advisor", "templates"),
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
