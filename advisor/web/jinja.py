"""The Jinja2 environment of every page: the reports' filters and templates, Django's url/static/csrf, htmx."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django_htmx.jinja import htmx_script

from .. import api
from ..errors import Problem, localise
from . import i18n


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


ROLE_NAMES = {"member": N_("office member"), "lead": N_("office lead"), "consultant": N_("consultant"),
              "coordinator": N_("coordinator"), "analyst": N_("policy analyst")}
FIELD_NAMES = {"score": N_("Score"), "not_applicable": N_("not applicable"), "evidence": N_("Evidence"), "method": N_("Method"),
               "status": N_("Status"), "assessor": N_("Assessor"), "assessed_on": N_("Assessment date"),
               "cloned_from": N_("copied from round"), "imported": N_("imported from file"),
               "outcome": N_("Outcome indicator")}
FILTER_NAMES = {"government_level": N_("Government level"), "sector": N_("Sector"), "office_type": N_("Office type")}
STATUS_NAMES = {"draft": N_("draft"), "submitted": N_("submitted"), "final": N_("final")}
JOB_KINDS = {"recompute": N_("Recompute results"), "impact": N_("Impact of a candidate knowledge base")}
JOB_STATES = {"queued": N_("queued"), "running": N_("running"), "done": N_("done"), "failed": N_("failed")}


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _localtime(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _say(value: Any) -> str:
    """A library problem or message in the user's language (its English text is only the msgid)."""
    gettext = api.gettext_for(i18n.lang())   # the catalogue itself: it writes a message's numbers too
    if isinstance(value, Problem):
        return value.render(gettext)
    return localise(value, gettext) if isinstance(value, str) else str(value)


def environment(**options: Any) -> Any:
    # gettext and |t take the page's language from its context ("lang", pages.common), else i18n.lang
    env = api.template_environment(i18n.lang, **options)
    env.globals.update(url=_url, static=static, htmx_script=htmx_script, current_lang=i18n.lang,
                       role_names=ROLE_NAMES, field_names=FIELD_NAMES, status_names=STATUS_NAMES, field_labels=FILTER_NAMES)
    env.globals.update(job_kinds=JOB_KINDS, job_states=JOB_STATES)
    env.filters.update(localtime=_localtime, say=_say)
    return env
