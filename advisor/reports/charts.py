"""Chart geometry for the reports, computed here so templates only draw (and tests can check the numbers)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

MAX_SCORE = 5.0


@dataclass(frozen=True)
class Axis:
    key: str
    label: str
    value: float
    target: float | None
    x: float          # end of the axis line
    y: float
    vx: float         # the value's point
    vy: float
    lx: float         # where the label goes
    ly: float
    anchor: str       # text-anchor of the label
    lines: tuple[str, ...]   # the label wrapped to short lines


def wrap(text: str, width: int = 16) -> tuple[str, ...]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines)


@dataclass(frozen=True)
class Radar:
    width: int
    size: int
    cx: float
    cy: float
    axes: list[Axis]
    rings: list[str]          # polygon points of levels 1..5
    current: str              # polygon points of the current scores
    target: str | None        # polygon points of the targets, when set


def _pt(cx: float, cy: float, r: float, angle: float) -> tuple[float, float]:
    return round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1)


def radar(values: list[tuple[str, str, float, float | None]], size: int = 340, width: int = 520,
          figure: Callable[[float], str] = "{:g}".format) -> Radar:
    """``values``: (key, label, score 1-5, target or None) per axis, clockwise from the top; ``figure``
    writes a score under its label (in the report's language)."""
    cx, cy = width / 2, size / 2
    radius = size / 2 - 60
    n = len(values)
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    axes = []
    for (key, label, value, target), a in zip(values, angles):
        x, y = _pt(cx, cy, radius, a)
        vx, vy = _pt(cx, cy, radius * value / MAX_SCORE, a)
        lx, ly = _pt(cx, cy, radius + 12, a)
        cos, sin = math.cos(a), math.sin(a)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = wrap(label) + (figure(value),)
        # labels above the chart grow upwards, so their last line stays next to the axis
        ly = round(ly - 14 * (len(lines) - 1) if sin < -0.3 else (ly if sin > 0.3 else ly - 7 * (len(lines) - 1)), 1)
        axes.append(Axis(key, label, value, target, x, y, vx, vy, lx, ly, anchor, lines))

    def polygon(scores: list[float]) -> str:
        return " ".join(f"{px},{py}" for px, py in (_pt(cx, cy, radius * s / MAX_SCORE, a) for s, a in zip(scores, angles)))

    rings = [polygon([level] * n) for level in range(1, 6)]
    has_target = any(t is not None for _, _, _, t in values)
    target_polygon = polygon([t if t is not None else v for (_, _, v, t) in values]) if has_target else None
    return Radar(width, size, cx, cy, axes, rings, polygon([v for _, _, v, _ in values]), target_polygon)


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    x: float
    y: float
    width: float
    start: int
    finish: int
    critical: bool
    stage: int


@dataclass(frozen=True)
class Gantt:
    width: int
    height: int
    left: int
    row: int
    bars: list[Bar]
    ticks: list[tuple[float, int, str]]    # (x, month, label)
    stage_lines: list[tuple[float, int]]   # (y, stage) where a new stage starts
    horizon_x: float | None = None         # where the planning horizon ends, when it is inside the chart


def gantt(rows: list[tuple[str, str, int, int, bool, int]], total: int, width: int = 760, left: int = 250,
          row: int = 22, tick_label: Callable[[int], str] = str, min_step: int = 1,
          horizon: int | None = None) -> Gantt:
    """``rows``: (key, label, start month, finish month, critical, stage) in display order; ``tick_label``
    names a month on the axis (e.g. its quarter),
    ``min_step`` the shortest step between ticks (3 for quarters)."""
    total = max(total, 1)
    scale = (width - left - 10) / total
    bars = [Bar(key, label, round(left + start * scale, 1), 24 + i * row, round(max((finish - start) * scale, 2), 1),
                start, finish, critical, stage)
            for i, (key, label, start, finish, critical, stage) in enumerate(rows)]
    # a tick every 1, 2, 3, 6, 12, 24, 48... months: at most 12 ticks however long the roadmap, and far
    # enough apart that their labels (about 6.5 px a character at the chart's 11 px) do not overlap
    widest = 6.5 * max(len(tick_label(m)) for m in range(0, total + 1, min_step)) + 8
    step = next(s for s in (1, 2, 3, 6, *(12 * 2 ** k for k in range(64)))
                if s >= min_step and total / s <= 12 and (s * scale >= widest or s >= total))
    ticks = [(round(left + m * scale, 1), m, tick_label(m)) for m in range(0, total + 1, step)]
    lines = [(b.y - 3, b.stage) for i, b in enumerate(bars) if i == 0 or bars[i - 1].stage != b.stage]
    horizon_x = round(left + horizon * scale, 1) if horizon is not None and 0 < horizon < total else None
    return Gantt(width, 24 + len(rows) * row + 8, left, row, bars, ticks, lines, horizon_x)


@dataclass(frozen=True)
class Dot:
    key: str
    label: str
    x: float          # the body's overall score
    y: float          # its outcome figure
    cx: float
    cy: float


@dataclass(frozen=True)
class ScatterChart:
    width: int
    height: int
    left: float       # the plot area
    top: float
    right: float
    bottom: float
    dots: list[Dot]
    xticks: list[tuple[float, str]]   # (x, label): maturity 1..5
    yticks: list[tuple[float, str]]   # (y, label): the unit's range in five steps


def scatter(points: list[tuple[str, str, float, float]], y_range: tuple[float, float], width: int = 360,
            height: int = 240, figure: Callable[[float], str] = "{:g}".format) -> ScatterChart:
    """``points``: (key, label, overall score 1-5, outcome value) per body; ``y_range``: the unit's bounds;
    ``figure`` writes a tick's value (in the report's language).
    Maturity runs on x over the whole scale, so charts of different indicators read alike."""
    left, top, right, bottom = 40.0, 10.0, width - 12.0, height - 34.0
    lo, hi = y_range

    def px(score: float) -> float:
        return round(left + (score - 1) / (MAX_SCORE - 1) * (right - left), 1)

    def py(value: float) -> float:
        return round(bottom - (value - lo) / (hi - lo) * (bottom - top), 1)

    dots = [Dot(key, label, x, y, px(x), py(y)) for key, label, x, y in points]
    xticks = [(px(s), str(s)) for s in range(1, 6)]
    yticks = [(py(lo + (hi - lo) * k / 4), figure(lo + (hi - lo) * k / 4)) for k in range(5)]
    return ScatterChart(width, height, left, top, right, bottom, dots, xticks, yticks)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: list[tuple[float, float, float]]   # (x, y, value) of each round that has a value
    line: str                                  # polyline points
    overall: bool                              # drawn heavier than the dimensions


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    left: int
    top: int
    bottom: float                              # y of level 1
    levels: list[tuple[float, int]]            # (y, level) gridlines 1..5
    columns: list[tuple[float, str]]           # (x, label) of each round
    series: list[Series]


def trend(rounds: list[str], series: list[tuple[str, str, list[float | None]]], width: int = 760,
          height: int = 300, left: int = 40, right: int = 20, top: int = 16, bottom: int = 40) -> Trend:
    """``rounds``: a label per round, oldest first; ``series``: (key, label, score 1-5 or None per round);
    the first series is the overall score. One round is drawn in the middle; each later round a step right."""
    inner = width - left - right
    step = inner / (len(rounds) - 1) if len(rounds) > 1 else 0.0
    xs = [round(left + (i * step if len(rounds) > 1 else inner / 2), 1) for i in range(len(rounds))]
    span = height - top - bottom

    def y(value: float) -> float:
        return round(top + (MAX_SCORE - value) / (MAX_SCORE - 1) * span, 1)

    drawn = []
    for i, (key, label, values) in enumerate(series):
        pts = [(xs[j], y(v), v) for j, v in enumerate(values) if v is not None]
        drawn.append(Series(key, label, pts, " ".join(f"{px},{py}" for px, py, _ in pts), i == 0))
    return Trend(width, height, left, top, y(1), [(y(level), level) for level in range(1, 6)],
                 list(zip(xs, rounds)), drawn)
