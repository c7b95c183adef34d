"""The ``advisor`` command: parse options, call :mod:`advisor.api`, print. Heavy modules load lazily."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__
from ..errors import N_
from . import usage
from .common import FORCE, GROUP_LANG, KB, LANG, OUT, _, as_json, emit, fmt, handles_errors, planning, refuse_existing
from .helptext import Group, Option, argument, option
from .rules import rules
from .web import web


class Advisor(Group):
    """The command group, speaking the user's language before click parses anything (click's usage errors too)."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if "web" not in argv:
            # The first model validator pydantic builds would otherwise read the entry points of every installed
            # package to find pydantic plugins (about 0.04 s of each command). The command line has no use for
            # them; the web application (an operator's monitoring plugin) keeps them, and so does a user who set
            # the variable (the documented switch) to anything.
            os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        usage.speak(usage.lang_of(argv))
        return super().main(argv, *rest, **kwargs)


@click.group(cls=Advisor, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Digital-maturity assessment of a state body's project office -> explained, staged roadmap."))
@click.version_option(__version__, prog_name="advisor", cls=Option, help=N_("Show the version and exit."))
@GROUP_LANG
def main() -> None:
    pass


@main.command(short_help=N_("Score an assessment: levels, weaknesses, actions."),
              help=N_("Score an assessment FILE: dimensions, levels, weaknesses found and actions recommended."))
@argument("file", type=click.Path(dir_okay=False))
@fmt("text", "json")
@LANG
@KB
@OUT
@handles_errors
def assess(file: str, fmt: str, lang: str, kb_path: str | None, output: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    ev = api.assess(file, kb)
    if fmt == "json":
        emit(as_json(schema_version=api.SCHEMA_VERSION, kb_version=kb.version, assessment=ev.assessment, scores=ev.scores,
                     findings=ev.findings), output)
    else:
        emit(api.render_text("assess", lang, kb, ev=ev), output)


@main.command(short_help=N_("Why an action or weakness is in the roadmap, or is not."),
              help=N_("Why ITEM (an action or weakness id) is or is not in FILE's roadmap (same options as `roadmap`), "
                      "and where the plan puts it."))
@argument("file", type=click.Path(dir_okay=False))
@argument("item")
@planning
@fmt("text", "json")
@LANG
@KB
@handles_errors
def explain(file: str, item: str, plan: dict[str, Any], fmt: str, lang: str, kb_path: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    ev, rm = api.plan_for(file, kb, **plan)
    ex = api.explain(ev, kb, item, rm=rm)
    placed = next((i for i in rm.items if i.id == item), None)
    emit(as_json(explanation=ex, plan=placed) if fmt == "json"
         else api.render_text("explain", lang, kb, ex=ex, rm=rm), None)


@main.command(short_help=N_("The roadmap: target, schedule, core plan and later."),
              help=N_("A roadmap for FILE that its office can carry out: target, capacity, schedule, core plan and "
                      "later."))
@argument("file", type=click.Path(dir_okay=False))
@planning
@fmt("text", "json", "md", "html")
@LANG
@KB
@OUT
@handles_errors
def roadmap(file: str, plan: dict[str, Any], fmt: str, lang: str, kb_path: str | None, output: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    ev, rm = api.plan_for(file, kb, **plan)
    if fmt == "json":
        emit(as_json(schema_version=api.SCHEMA_VERSION, kb_version=kb.version, assessment=ev.assessment, scores=ev.scores,
                     findings=ev.findings, roadmap=rm, next=api.next_steps(rm, kb)), output)
    elif fmt in ("md", "html"):
        emit(api.render_report(ev, rm, kb, lang, fmt), output)
    else:
        emit(api.render_text("roadmap", lang, kb, ev=ev, rm=rm), output)


@main.command(short_help=N_("The client report (HTML or Markdown)."),
              help=N_("The client report for FILE: summary, radar, criteria, weaknesses, roadmap, timeline, method."))
@argument("file", type=click.Path(dir_okay=False))
@planning
@fmt("html", "md")
@LANG
@KB
@option("-o", "--output", required=True, type=click.Path(dir_okay=False), help=N_("The report file to write."))
@option("--ids", is_flag=True, help=N_("Show weakness ids for the consultant (the client version hides them)."))
@option("--paper", type=click.Choice(["leadership", "full"]), default="leadership", show_default=True,
        help=N_("What the HTML report prints: the leadership's short copy, or everything the screen shows."))
@handles_errors
def report(file: str, plan: dict[str, Any], fmt: str, lang: str, kb_path: str | None, output: str, ids: bool,
           paper: str) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    ev, rm = api.plan_for(file, kb, **plan)
    emit(api.render_report(ev, rm, kb, lang, fmt, ids=ids, paper=paper), output)


@main.command(name="next", short_help=N_("What the office can start now, and what waits."),
              help=N_("The actions FILE's office can start now, and what the others wait for (md/html: one page for "
                      "leadership)."))
@argument("file", type=click.Path(dir_okay=False))
@planning
@fmt("text", "json", "md", "html")
@LANG
@KB
@OUT
@handles_errors
def next_(file: str, plan: dict[str, Any], fmt: str, lang: str, kb_path: str | None, output: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    ev, rm = api.plan_for(file, kb, **plan)
    steps = api.next_steps(rm, kb)
    if fmt == "json":
        emit(as_json(kb_version=kb.version, next=steps), output)
    elif fmt in ("md", "html"):
        emit(api.render_page("next", fmt, lang, kb, ev=ev, rm=rm, nx=steps), output)
    else:
        emit(api.render_text("next", lang, kb, ev=ev, rm=rm, nx=steps), output)


@main.command(short_help=N_("What it takes to reach the target."),
              help=N_("What it takes FILE's office to reach the target: criteria to raise, least-effort actions, "
                      "projected scores."))
@argument("file", type=click.Path(dir_okay=False))
@planning
@fmt("text", "json")
@LANG
@KB
@OUT
@handles_errors
def gap(file: str, plan: dict[str, Any], fmt: str, lang: str, kb_path: str | None, output: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    ev, rm = api.plan_for(file, kb, **plan)
    emit(as_json(schema_version=api.SCHEMA_VERSION, kb_version=kb.version, targets=rm.targets,
                 target_source=rm.target_source, gap=rm.gap) if fmt == "json"
         else api.render_text("gap", lang, kb, ev=ev, rm=rm), output)


@main.command(short_help=N_("Two assessments of one body: what changed."),
              help=N_("Two assessments of one body (OLD, NEW): changes per criterion and dimension, weaknesses, "
                      "actions, level."))
@argument("old", type=click.Path(dir_okay=False))
@argument("new", type=click.Path(dir_okay=False))
@fmt("text", "json", "md", "html")
@LANG
@KB
@OUT
@handles_errors
def compare(old: str, new: str, fmt: str, lang: str, kb_path: str | None, output: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    cmp = api.compare(old, new, kb)
    if fmt == "json":
        emit(as_json(schema_version=api.SCHEMA_VERSION, comparison=cmp), output)
    elif fmt in ("md", "html"):
        emit(api.render_page("compare", fmt, lang, kb, cmp=cmp), output)
    else:
        emit(api.render_text("compare", lang, kb, cmp=cmp), output)


@main.command(short_help=N_("A blank assessment (YAML or a spreadsheet)."),
              help=N_("A blank assessment: YAML with descriptors and methods as comments, or a spreadsheet (one row per "
                      "body).\n\nAn existing -o file is not replaced unless --force is given."))
@fmt("yaml", "xlsx", "csv")
@LANG
@KB
@OUT
@FORCE
@handles_errors
def template(fmt: str, lang: str, kb_path: str | None, output: str | None, force: bool) -> None:
    from .. import api
    refuse_existing(output, force)
    kb = api.load_kb(kb_path)
    if fmt == "yaml":
        emit(api.blank_assessment(kb, lang), output)
        return
    if output is None and fmt == "xlsx":
        raise click.UsageError(_("an .xlsx template needs -o FILE (or -o - to write it to standard output)"))
    emit(api.spreadsheet_template(kb, lang, fmt), output)


@main.command(short_help=N_("Many bodies at once: their reports and a portfolio."),
              help=N_("Many bodies at once: INPUTS are assessment files, folders of them, or spreadsheets (CSV, "
                      "XLSX).\n\nWrites each body's report and a portfolio summary (portfolio.html, .csv, .json): one "
                      "row per body, its latest round with the trend since the one before. A bad input is listed and "
                      "skipped; the exit code is then 1. One batch at a time writes into a folder."))
@argument("inputs", nargs=-1, required=True, type=click.Path())
@option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
        help=N_("Folder for the reports and the portfolio."))
@option("--jobs", type=click.IntRange(min=0), default=None, metavar="N",
        help=N_("Worker processes. Default (or 0): one per core left free by other processes, one for fewer than 40 bodies."))
@option("--group-by", type=click.Choice(["government_level", "sector", "office_type"]), default=None,
        help=N_("Rank the portfolio's bodies within each government level (or sector, or office type)."))
@fmt("html", "md")
@LANG
@KB
@handles_errors
def batch(inputs: tuple[str, ...], out_dir: str, jobs: int | None, group_by: str | None, fmt: str, lang: str,
          kb_path: str | None) -> None:
    from pathlib import Path

    from .. import api
    from ..errors import N_, AdvisorError, localise
    gettext = api.gettext_for(lang)
    kb = api.load_kb(kb_path)
    with api.batch_folder(Path(out_dir)) as folder:
        items, failures = api.collect_batch([Path(p) for p in inputs], kb)
        if not items and not failures:
            raise AdvisorError.single(", ".join(inputs), N_("no bodies: no assessment file and no filled-in spreadsheet row"),
                                      hint=N_("fill in one row per body below the header, or name assessment files"))
        show = sys.stderr.isatty() and len(items) > 1

        def progress(results):  # type: ignore[no-untyped-def]
            with click.progressbar(results, length=len(items), label=N_("assessing").localise(gettext), file=sys.stderr) as bar:
                yield from bar

        portfolio = api.run_batch(items, kb, folder, lang, fmt, jobs or None, progress if show else None)
        portfolio.failures = failures + portfolio.failures
        api.write_portfolio(portfolio, kb, folder.path, lang, group_by)
    click.echo(N_("{count} report(s) and the portfolio written to {folder}", count=len(portfolio.bodies),
                  folder=out_dir).localise(gettext), err=True)
    for note in portfolio.notes:
        click.echo(api.for_terminal(N_("note: {note}", note=note).localise(gettext)), err=True)
    for f in portfolio.failures:
        click.echo(api.for_terminal(N_("refused: {input}", input=f.label).localise(gettext)), err=True)
        for reason in f.reasons:
            click.echo(api.for_terminal("    " + localise(reason, gettext)), err=True)
        if f.trace:
            click.echo("    " + f.trace.rstrip().replace("\n", "\n    "), err=True)
    sys.exit(1 if portfolio.failures else 0)


@main.command(short_help=N_("The maturity model: scale, dimensions, criteria."),
              help=N_("Show the maturity model: the scale, dimensions, key requirements, methods and criteria."))
@fmt("text", "json")
@LANG
@KB
@handles_errors
def model(fmt: str, lang: str, kb_path: str | None) -> None:
    from .. import api
    kb = api.load_kb(kb_path)
    if fmt == "json":
        emit(as_json(kb_version=kb.version, scale=kb.scale, dimensions=list(kb.dimensions.values()),
                     criteria=list(kb.criteria.values()), methods=list(kb.methods.values())), None)
    else:
        emit(api.render_text("model", lang, kb), None)



main.add_command(rules)
main.add_command(web)
