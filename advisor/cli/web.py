"""``advisor web init|serve``: the web application, when the ``web`` extra is installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import click

from ..errors import N_
from .common import GROUP_LANG, LANG, _, current_lang, echo, emit, fmt, handles_errors
from .helptext import Group, argument, option

INSTALL_HINT = N_("the web application needs its extra: pip install '.[web]' (or pip install 'advisor[web]')")


def _web():  # type: ignore[no-untyped-def]
    """Import the web layer only now: the CLI works without Django."""
    if importlib.util.find_spec("django") is None:
        err = click.ClickException(_(INSTALL_HINT))
        err.exit_code = 2
        raise err
    from ..web import commands
    return commands


@click.group(cls=Group, short_help=N_("The web application."),
             help=N_("The web application: project offices fill in assessments, consultants produce roadmaps."))
@GROUP_LANG
def web() -> None:
    pass


@web.command(short_help=N_("Create or upgrade the database."),
             help=N_("Create or upgrade the database; with --demo, add demo bodies and print their logins."))
@option("--demo", is_flag=True, help=N_("Also create demo bodies (from examples/) and users of every role."))
@LANG
@handles_errors
def init(demo: bool, lang: str) -> None:
    logins = _web().init(demo)
    click.echo(_("database ready"))
    if logins:
        click.echo(_("demo logins (user / password / role); new passwords on every run:"))
        for name, password, role in logins:
            click.echo(f"  {name:<32} {password:<16} {role}")


@web.command(short_help=N_("Serve the application."),
             help=N_("Serve the application (gunicorn on 127.0.0.1:8000)."))
@option("--dev", is_flag=True, help=N_("Django's development server (reloads, debug pages) instead of gunicorn."))
@option("--host", default="127.0.0.1", show_default=True, metavar=N_("ADDRESS"), help=N_("Address to listen on."))
@option("--port", default=8000, show_default=True, type=int, help=N_("Port to listen on."))
@LANG
@handles_errors
def serve(dev: bool, host: str, port: int, lang: str) -> None:
    _web().serve(dev, host, port)


SITE = option("--site", default="http://127.0.0.1:8000", show_default=True, metavar="URL",
              help=N_("Address the users open, for the set-password link."))


@web.command(short_help=N_("Create a body."),
             help=N_("Create a body; SLUG is the organisation id of its assessment files."))
@argument("slug")
@option("--name-kk", required=True, help=N_("Name in Kazakh."))
@option("--name-ru", required=True, help=N_("Name in Russian."))
@option("--name-en", required=True, help=N_("Name in English."))
@option("--level", "government_level", required=True, type=click.Choice(["republican", "local"]),
        help=N_("Government level: republican or local."))
@option("--sector", required=True, metavar=N_("SECTOR"), help=N_("A sector id of knowledge_base/profiles.yaml, e.g. health."))
@option("--office-type", required=True, type=click.Choice(["centralised", "decentralised"]),
        help=N_("The project office: one for the whole body (centralised), or one per unit (decentralised)."))
@LANG
@handles_errors
def createbody(slug: str, lang: str, **names: str) -> None:
    click.echo(_("body {slug} created", slug=_web().create_body({"slug": slug, **names}, lang)))


@web.command(short_help=N_("Create an account and its set-password link."),
             help=N_("Create an account and print its set-password link (it works once; there is no e-mail)."))
@argument("username")
@option("--language", default="ru", show_default=True, type=click.Choice(["kk", "ru", "en"]),
        help=N_("Language of the user's pages."))
@option("--role", default="", type=click.Choice(["", "coordinator", "analyst"]), help=N_("A role across bodies."))
@option("--admin", is_flag=True, help=N_("A site administrator: manages bodies, accounts and roles on the site."))
@option("--body", default=None, metavar=N_("SLUG"), help=N_("Also make the user part of this body's office."))
@option("--body-role", default="member", show_default=True, type=click.Choice(["member", "lead"]),
        help=N_("The user's role in that office: a member, or its lead."))
@SITE
@LANG
@handles_errors
def adduser(username: str, language: str, role: str, admin: bool, body: str | None, body_role: str, site: str,
            lang: str) -> None:
    link = _web().add_user(username, language, role, admin, body, body_role, site, lang)
    click.echo(_("account {username} created; hand over its set-password link:", username=username) + f"\n  {link}")


@web.command(short_help=N_("A new set-password link for a user."),
             help=N_("A new set-password link for USERNAME; the old password and earlier links stop working."))
@argument("username")
@SITE
@LANG
@handles_errors
def link(username: str, site: str, lang: str) -> None:
    url = _web().new_link(username, site, lang)
    click.echo(_("new set-password link for {username}:", username=username) + f"\n  {url}")


@web.command(short_help=N_("Engage a consultant with a body."),
             help=N_("Engage the consultant USERNAME with the body SLUG for a period."))
@argument("username")
@argument("slug")
@option("--starts", required=True, metavar=N_("YYYY-MM-DD"), help=N_("First day."))
@option("--ends", default=None, metavar=N_("YYYY-MM-DD"), help=N_("Last day (none: open-ended)."))
@LANG
@handles_errors
def engage(username: str, slug: str, starts: str, ends: str | None, lang: str) -> None:
    _web().engage(username, slug, starts, ends, lang)
    if ends:
        click.echo(_("{username} engaged with {slug} from {starts} to {ends}", username=username, slug=slug, starts=starts, ends=ends))
    else:
        click.echo(_("{username} engaged with {slug} from {starts}, open-ended", username=username, slug=slug, starts=starts))


@web.command(short_help=N_("Recompute the stored results."),
             help=N_("Recompute stored results with the installed knowledge base (the older results stay in the "
                     "history)."))
@LANG
@handles_errors
def recompute(lang: str) -> None:
    _web().recompute(echo)


@web.command(short_help=N_("What a candidate knowledge base changes."),
             help=N_("What a candidate knowledge base changes for every stored final round (validated and linted "
                     "first; nothing is stored). The same changes as `advisor rules diff`, keyed by body and round."))
@argument("kb_dir", type=click.Path(file_okay=False))
@fmt("text", "json")
@LANG
@handles_errors
def impact(kb_dir: str, fmt: str, lang: str) -> None:
    from .. import api
    from .rules import impact_json, show_impact
    result, findings = _web().impact(kb_dir)
    errors = [f for f in findings if f.severity == "error"]
    gettext = api.gettext_for(current_lang())
    for f in errors:
        click.echo(api.for_terminal(f.render(gettext)), err=True)
    if result is None:
        click.echo(_("{n} lint error(s) in {folder}: nothing evaluated", n=len(errors), folder=api.for_terminal(kb_dir)), err=True)
        sys.exit(2)
    installed = api.kb_version_line(api.default_kb_root())
    if fmt == "json":
        emit(impact_json(result, installed, kb_dir), None)
    else:
        show_impact(result, _("installed"), kb_dir)


@web.command(short_help=N_("Run the queued jobs."),
             help=N_("Run queued jobs (recompute, impact) outside the web requests; one job at a time."))
@option("--once", is_flag=True, help=N_("Stop when the queue is empty (for cron or a test)."))
@option("--poll", default=2.0, show_default=True, type=float, metavar=N_("SECONDS"), help=N_("Seconds between looks at an empty queue."))
@LANG
@handles_errors
def worker(once: bool, poll: float, lang: str) -> None:
    _web().worker(once, poll, echo)


@web.command(short_help=N_("Delete old finished jobs and uploads."),
             help=N_("Delete finished jobs older than --days and unpacked candidate uploads no job needs (the worker "
                     "also does this at start and every hour)."))
@option("--days", type=click.IntRange(min=0), default=None, metavar=N_("DAYS"),
        help=N_("Keep finished jobs this many days (default: ADVISOR_JOB_KEEP_DAYS, 30)."))
@LANG
@handles_errors
def cleanup(days: int | None, lang: str) -> None:
    gone = _web().cleanup(days)
    echo(N_("{jobs} finished job(s) and {uploads} unpacked upload(s) removed", jobs=gone["jobs"], uploads=gone["uploads"]))


@web.command(short_help=N_("Back the database up into a new file."),
             help=N_("Back the site's database up into OUT, a new file (SQLite's backup API, or pg_dump on "
                     "PostgreSQL)."))
@argument("out", type=click.Path(dir_okay=False, path_type=Path))
@LANG
@handles_errors
def backup(out: Path, lang: str) -> None:
    kind = _web().backup(out)
    click.echo(_("backup written: {file} ({kind})", file=out, kind=kind))


@web.command(short_help=N_("Restore a backup into an empty database."),
             help=N_("Restore FILE (made by `advisor web backup`) into the configured database, which must be new or "
                     "empty."))
@argument("file", type=click.Path(dir_okay=False, path_type=Path))
@LANG
@handles_errors
def restore(file: Path, lang: str) -> None:
    target = _web().restore(file)
    click.echo(_("restored into {target}; run `advisor web init` to apply migrations newer than the backup", target=target))
