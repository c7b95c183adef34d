"""The library's facade: everything the CLI (or a notebook, or a web service) needs.

    kb = load_kb()                       # the shipped knowledge base, or load_kb("path/to/kb")
    ev = assess("examples/health-body.yaml", kb)
    rm = roadmap(ev, kb, progress=None, targets={"technology": 4})
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .diagnosis.pipeline import context_of, evaluate
from .errors import N_, AdvisorError, did_you_mean
from .io import inputs as _inputs
from .io import output as _output
from .kb import loading
from .models.assessment import Assessment, Progress
from .models.common import LANGS, Lang
from .models.knowledge import KnowledgeBase
from .models.results import SCHEMA_VERSION, Comparison, Evaluation, Explanation, NextSteps, Roadmap
from .planning import plan as _plan
from .planning import roadmap as _roadmap
from .reports import neutral as _neutral

if TYPE_CHECKING:
    from .diagnosis.explain import why_not
    from .io.batch import OutputFolder as batch_folder
    from .io.batch import collect as collect_batch
    from .io.batch import items_of as batch_items
    from .io.batch import run as run_batch
    from .io.export import assessment_yaml
    from .io.export import read_upload as read_assessment_upload
    from .io.portfolio import GROUPINGS as PORTFOLIO_GROUPINGS
    from .io.portfolio import of_assessments as portfolio_of_assessments
    from .io.portfolio import of_results as portfolio_of_results
    from .io.portfolio import table as portfolio_table
    from .io.portfolio import table_csv, table_xlsx, write_portfolio
    from .io.portfolio import to_csv as portfolio_csv
    from .io.portfolio import to_json as portfolio_json
    from .kb import impact as _impact
    from .kb import ruletest
    from .kb.data import assessment as validate_assessment
    from .kb.data import outcomes as validate_outcomes
    from .kb.data import progress as validate_progress
    from .kb.lint import CODES as LINT_CODES
    from .kb.lint import lint
    from .kb.schema import all_schemas as schemas
    from .reports import view as _view
    from .reports.charts import Trend
    from .reports.i18n import translations
    from .reports.render import shared_environment as template_environment

__all__ = ["Evaluation", "KnowledgeBase", "Assessment", "Progress", "load_kb", "context_of", "evaluate", "assess",
           "load_progress", "parse_targets", "roadmap", "plan_for", "next_steps", "explain", "why_not", "render_text", "render_page",
           "render_report", "blank_assessment", "to_jsonable", "write_output", "compare", "spreadsheet_template",
           "collect_batch", "run_batch", "batch_folder", "batch_items", "write_portfolio", "portfolio_of_assessments",
           "portfolio_of_results", "portfolio_csv", "portfolio_json", "portfolio_table",
           "table_csv", "table_xlsx", "stored_result", "PORTFOLIO_GROUPINGS", "default_kb_root", "kb_version_line", "lint",
           "LINT_CODES", "run_rule_tests", "rules_diff", "rules_impact", "trend_chart", "Trend", "compare_evaluations",
           "schemas", "gettext_for", "STDIO", "refuse_inputs", "ensure_folder",
           "validate_assessment", "validate_progress", "validate_outcomes", "assessment_yaml", "read_assessment_upload", "report_view",
           "translations", "template_environment", "for_terminal", "SCHEMA_VERSION", "number", "percent"]

default_kb_root = loading.default_kb_root
#: text for a terminal: a file name or value from any file never rewrites the user's screen
for_terminal = _neutral.terminal
write_output = _output.write_atomic
refuse_inputs = _output.refuse_inputs
ensure_folder = _output.ensure_folder
STDIO = _output.STDIO
#: what only some commands need is imported on first use, so a command pays only for what it runs (jinja2
#: and babel, say, only when something is rendered)
_LAZY = {
    # a jinja2 environment with the reports' filters, for an application that installs its own gettext
    "template_environment": ("reports.render", "shared_environment"),
    "Trend": ("reports.charts", "Trend"),
    "why_not": ("diagnosis.explain", "why_not"),
    "collect_batch": ("io.batch", "collect"),
    "run_batch": ("io.batch", "run"),
    "batch_folder": ("io.batch", "OutputFolder"),
    # ``(key, Assessment)`` pairs as batch items (reports written like those of files)
    "batch_items": ("io.batch", "items_of"),
    "write_portfolio": ("io.portfolio", "write_portfolio"),
    # the portfolio of ``(key, Assessment)`` pairs, each evaluated and planned with the default options
    "portfolio_of_assessments": ("io.portfolio", "of_assessments"),
    # the portfolio of ``(key, Evaluation, Roadmap)`` triples already computed (a store of results)
    "portfolio_of_results": ("io.portfolio", "of_results"),
    "portfolio_csv": ("io.portfolio", "to_csv"),
    "portfolio_json": ("io.portfolio", "to_json"),
    "portfolio_table": ("io.portfolio", "table"),
    # rows as CSV or as one XLSX sheet, every text cell neutralised against formula injection
    "table_csv": ("io.portfolio", "table_csv"),
    "table_xlsx": ("io.portfolio", "table_xlsx"),
    "PORTFOLIO_GROUPINGS": ("io.portfolio", "GROUPINGS"),
    "lint": ("kb.lint", "lint"),
    "LINT_CODES": ("kb.lint", "CODES"),
    "schemas": ("kb.schema", "all_schemas"),
    # an assessment or progress given as data; problems keyed by field path (``scores.strategy.monitoring``)
    "validate_assessment": ("kb.data", "assessment"),
    "validate_progress": ("kb.data", "progress"),
    # an assessment's outcomes on their own, with the assessment's checks; problems keyed ``outcomes.<id>.<field>``
    "validate_outcomes": ("kb.data", "outcomes"),
    "assessment_yaml": ("io.export", "assessment_yaml"),
    "read_assessment_upload": ("io.export", "read_upload"),
    "translations": ("reports.i18n", "translations"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = globals()[name] = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
    return value


def _lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise AdvisorError.single("--lang", N_("unknown language {lang!r}", lang=lang),
                                  hint=N_("one of {choices}", choices=", ".join(LANGS)))
    return lang  # type: ignore[return-value]


def gettext_for(lang: str) -> Callable[[str], str]:
    """The translation function of ``lang`` (messages are built from translatable templates)."""
    from .reports.i18n import translations
    return translations(lang if lang in LANGS else "en").gettext  # type: ignore[arg-type]


def number(x: float | None, lang: str, places: int = 2) -> str:
    """A figure in the symbols of ``lang``: «4.26», «4,26», «1 234,5»."""
    from .reports import numbers as _numbers
    return _numbers.number(x, _lang(lang), places)


def percent(share: float, lang: str, places: int = 0) -> str:
    """A share (0.425) as a percentage in ``lang``: «42.5%», «42,5 %»."""
    from .reports import numbers as _numbers
    return _numbers.percent(share, _lang(lang), places)


def load_kb(path: Path | str | None = None) -> KnowledgeBase:
    """Load, validate and cross-check a knowledge base (the shipped one when ``path`` is None)."""
    return loading.load_kb(path)


def assess(path: Path | str, kb: KnowledgeBase) -> Evaluation:
    """Evaluate one body: a YAML or JSON assessment, a spreadsheet with one row, or ``-`` (standard input)."""
    return evaluate(_inputs.load_assessment(path, kb), kb)


def load_progress(path: Path | str | None, kb: KnowledgeBase, assessment: Assessment) -> Progress | None:
    if path is None:
        return None
    progress = _inputs.load_progress(path, kb)
    if progress.organisation is not None and progress.organisation != assessment.organisation.id:
        raise AdvisorError.single(str(path), N_("progress is for organisation {progress!r}, the assessment for "
                                                 "{assessment!r}", progress=progress.organisation,
                                                 assessment=assessment.organisation.id), field="organisation",
                                  hint=N_("use the progress file of the same body"))
    return progress


def parse_targets(specs: list[str], kb: KnowledgeBase) -> dict[str, int]:
    """``4`` (every dimension) or ``technology=4`` (one dimension) -> {dimension: level}."""
    out: dict[str, int] = {}
    for spec in specs:
        name, _, value = spec.rpartition("=")
        try:
            level = int(value)
        except ValueError:
            level = 0
        if not 1 <= level <= 5:
            raise AdvisorError.single("--target", N_("expected a level from 1 to 5, got {value!r}", value=value),
                                      hint=N_("e.g. --target 4 or --target technology=4"))
        dims = list(kb.dimensions) if not name else [name]
        for d in dims:
            if d not in kb.dimensions:
                raise AdvisorError.single("--target", N_("unknown dimension {value!r}", value=d),
                                          hint=did_you_mean(d, kb.dimensions)
                                          or N_("one of {choices}", choices=", ".join(kb.dimensions)))
            out[d] = level
    return out


def roadmap(ev: Evaluation, kb: KnowledgeBase, progress: Progress | None = None,
            targets: dict[str, int] | None = None, max_per_stage: int | None = None, horizon: int | None = None,
            start: str | None = None) -> Roadmap:
    """The plan every command shows: ``None`` options take their documented defaults (docs/planning.md)."""
    return _plan.make(kb, ev, progress, targets, max_per_stage, horizon, start)


def plan_for(file: Path | str, kb: KnowledgeBase, progress: Path | str | None = None, targets: list[str] | None = None,
             max_per_stage: int | None = None, horizon: int | None = None,
             start: str | None = None) -> tuple[Evaluation, Roadmap]:
    """Assess ``file`` and plan it with the command-line planning options: what roadmap, report, next,
    explain and gap share, so they agree by construction."""
    ev = assess(file, kb)
    rm = roadmap(ev, kb, load_progress(progress, kb, ev.assessment), parse_targets(list(targets or []), kb) or None,
                 max_per_stage, horizon, start)
    return ev, rm


def explain(ev: Evaluation, kb: KnowledgeBase, item: str, progress: Progress | None = None,
            targets: dict[str, int] | None = None, max_per_stage: int | None = None, horizon: int | None = None,
            start: str | None = None, *, rm: Roadmap | None = None) -> Explanation:
    """Why ``item`` is or is not in the roadmap that :func:`roadmap` builds with the same options
    (``rm``: that roadmap, when the caller has already built it)."""
    from .diagnosis import explain as _explain
    return _explain.explain(ev, kb, item, rm or roadmap(ev, kb, progress, targets, max_per_stage, horizon, start))


def next_steps(rm: Roadmap, kb: KnowledgeBase) -> NextSteps:
    return _roadmap.next_steps(kb, rm)


def render_text(name: str, lang: str, kb: KnowledgeBase, **context: object) -> str:
    from .reports import render as _render
    return _render.render_text(name, _lang(lang), kb, **context)


def render_page(name: str, fmt: str, lang: str, kb: KnowledgeBase, **context: object) -> str:
    """``next`` (what to start now, for leadership) or ``compare`` (progress between two rounds), as ``html`` or ``md``."""
    from .reports import render as _render
    return _render.render_page(name, fmt, _lang(lang), kb, **context)


def render_report(ev: Evaluation, rm: Roadmap, kb: KnowledgeBase, lang: str, fmt: str, ids: bool = False,
                  paper: str = "leadership") -> str:
    """The client report: ``fmt`` is ``html`` (one self-contained file) or ``md``; ``ids`` keeps weakness ids;
    ``paper`` (``leadership`` or ``full``) is what the HTML prints."""
    from .reports import render as _render
    if paper not in _render.PAPERS:
        raise AdvisorError.single("--paper", N_("expected one of {expected}; got {given}",
                                                expected=", ".join(_render.PAPERS), given=paper))
    return _render.render_report(ev, rm, next_steps(rm, kb), kb, _lang(lang), fmt, ids=ids,
                                 paper=paper)  # type: ignore[arg-type]


def blank_assessment(kb: KnowledgeBase, lang: str) -> str:
    from .reports import render as _render
    return _render.blank_assessment(kb, _lang(lang), dt.date.today().isoformat())


def compare(old: Path | str, new: Path | str, kb: KnowledgeBase) -> Comparison:
    """Two assessments of one body: changes per criterion and dimension, weaknesses, actions, level."""
    return compare_evaluations(assess(old, kb), assess(new, kb), kb, str(old), str(new))


def spreadsheet_template(kb: KnowledgeBase, lang: str, fmt: str) -> bytes:
    """A blank spreadsheet (``xlsx`` or ``csv``): one row per body, one column per criterion."""
    from .io import spreadsheet as _spreadsheet
    return _spreadsheet.write_template(kb, lang, fmt)


def kb_version_line(root: Path) -> str:
    """The knowledge base's version even when it does not load (validate and lint report why)."""
    from .kb.sourcefile import KB_FILE_LIMIT, parse
    try:
        meta = parse(root / "knowledge_base" / "kb.yaml", limit=KB_FILE_LIMIT).data
        version = meta.get("version", "?") if isinstance(meta, dict) else "?"
        return N_("knowledge base {version} ({path})", version=f"{version}+{loading.content_hash(root, loading.kb_files(root))}",
                  path=str(root))
    except (AdvisorError, OSError):
        return N_("knowledge base ({path})", path=str(root))


def run_rule_tests(kb: KnowledgeBase, paths: list[Path] | None, coverage: bool) -> "ruletest.Report":
    """Run the rule test cases in ``paths`` (default: the knowledge base's ``rules/tests/``)."""
    from .kb import ruletest
    return ruletest.run_all(ruletest.load_cases(ruletest.case_files(paths, kb), kb), kb, coverage=coverage)


def rules_diff(old: KnowledgeBase, new: KnowledgeBase, folder: Path) -> "_impact.Impact":
    """Each assessment in ``folder`` under both knowledge bases: findings and stages that changed."""
    from .kb import impact as _impact
    return _impact.diff(old, new, _impact.assessment_files(folder))


def stored_result(assessment: Assessment, evaluation: dict[str, object], roadmap: dict[str, object]) -> tuple[Evaluation, Roadmap]:
    """An evaluation and roadmap back from their JSON (``to_jsonable`` of ``{"scores", "findings"}`` and of the
    roadmap), for a store that keeps results rather than recomputing them."""
    from .models.results import Findings, Scores
    return (Evaluation(assessment, Scores.model_validate(evaluation["scores"]), Findings.model_validate(evaluation["findings"])),
            Roadmap.model_validate(roadmap))


def rules_impact(old: KnowledgeBase, new: KnowledgeBase, pairs: Iterable[tuple[str, Assessment]],
                 progress: Callable[[int], None] | None = None) -> "_impact.Impact":
    """``rules_diff`` for assessments already in hand, keyed by the caller (a stored round, say)."""
    from .kb import impact as _impact
    return _impact.diff_assessments(old, new, pairs, progress)


def compare_evaluations(old: Evaluation, new: Evaluation, kb: KnowledgeBase, old_name: str, new_name: str) -> Comparison:
    """:func:`compare` for two evaluations already in hand (two stored rounds of a body)."""
    from .io import compare as _compare
    return _compare.compare(old, new, kb, old_name, new_name)


def trend_chart(rounds: list[str], series: list[tuple[str, str, list[float | None]]]) -> Trend:
    """Scores of several rounds on one line chart (the first series, the overall score, drawn heavier)."""
    from .reports import charts as _charts
    return _charts.trend(rounds, series)


def to_jsonable(value: object) -> object:
    """Pydantic models and plain containers as JSON-ready data, in a stable order."""
    from pydantic import BaseModel
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def report_view(ev: Evaluation, rm: Roadmap, kb: KnowledgeBase, lang: str) -> "_view.ReportView":
    """What the report shows (scores, radar, findings, stages, timeline, next steps), for another renderer."""
    from .reports import view as _view
    return _view.build(ev, rm, next_steps(rm, kb), kb, _lang(lang))
