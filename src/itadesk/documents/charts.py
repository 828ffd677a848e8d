"""PNG bar charts of ITA results for the DOCX (and PDF) documents.

matplotlib ≥ 3.11 is required: it shapes Thai with libraqm (3.10 loses tone marks).
Figures are built with the object API on the Agg canvas (no pyplot and no global state
besides registering the Sarabun font once), so charts can be made from any thread.

Speed: matplotlib's tick machinery costs about 1.5 ms per tick and a legend about 8 ms,
so the axes carry no ticks; tick labels, grid lines and the legend are drawn as plain
texts, lines and rectangles. Tick labels still go through a FuncFormatter so Thai digits
are applied in one place.

Everything but the bars and their scores (scale, grid, labels, legend) is the same for every
agency, so it is drawn once per kind of chart and kept as pixels; each chart then restores
those pixels and draws only its bars, the pass line over them and the scores (matplotlib's
blitting). A chart's figure is used by one thread at a time.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter
from PIL import Image
from pythainlp.util import arabic_digit_to_thai_digit

from itadesk.documents.model import ScoreBar

FONT_FAMILY = "Sarabun"
DPI = 150
Y_MAX = 110.0
Y_TICKS = (0, 20, 40, 60, 80, 100)

ITA_COLOUR = "#1f3b73"
# The same colours as the PDF template (templates/measures.typ) and the web UI (site.css).
TOOL_COLOURS = {"IIT": "#2f6db5", "EIT": "#2c9a68", "OIT": "#e0861b"}
OTHER_COLOUR = "#7f7f7f"
PASS_COLOUR = "#b3261e"
GRID_COLOUR = "#d9d9d9"
AXIS_COLOUR = "#404040"

# Figure sizes and margins in inches (margins leave room for the hand-drawn labels).
TOOLS_SIZE_IN = (5.2, 2.6)
INDICATORS_SIZE_IN = (6.4, 3.0)
MARGIN_LEFT_IN, MARGIN_RIGHT_IN = 0.62, 0.08
MARGIN_TOP_IN = 0.12              # value labels only
MARGIN_TOP_LEGEND_IN = 0.30       # value labels and a legend line
Y_TITLE_OFFSET_IN = 0.50          # from the plot's left edge to the 'คะแนน' title
MARGIN_BOTTOM_IN = 0.32           # x labels only
MARGIN_BOTTOM_TITLED_IN = 0.52    # x labels and an x-axis title

LABEL_SIZE = 10
VALUE_SIZE = 9
LEGEND_SIZE = 9


@lru_cache(maxsize=1)
def _register_font() -> str:
    """Add Sarabun to matplotlib's font list once; return the family name to use."""
    import fontpkg_sarabun

    files = fontpkg_sarabun.ROOT / "files"
    font_manager.fontManager.addfont(str(files / "Sarabun-Regular.ttf"))
    return FONT_FAMILY


def _digit_formatter(thai_digits: bool) -> FuncFormatter:
    def fmt(value: float, _pos: int | None = None) -> str:
        text = f"{value:g}"
        return arabic_digit_to_thai_digit(text) if thai_digits else text

    return FuncFormatter(fmt)


def _new_axes(size_in: tuple[float, float], bottom_in: float, top_in: float = MARGIN_TOP_IN):
    width, height = size_in
    fig = Figure(figsize=size_in, dpi=DPI)
    FigureCanvasAgg(fig)
    rect = (MARGIN_LEFT_IN / width, bottom_in / height,
            1 - (MARGIN_LEFT_IN + MARGIN_RIGHT_IN) / width,
            1 - (bottom_in + top_in) / height)
    ax = fig.add_axes(rect)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(AXIS_COLOUR)
    ax.set_ylim(0, Y_MAX)
    return fig, ax


def _draw_y_scale(ax, n_bars: int, thai_digits: bool, family: str) -> None:
    """Grid lines and y tick labels, drawn as lines and texts (no Tick objects)."""
    fmt = _digit_formatter(thai_digits)
    ax.hlines(Y_TICKS[1:], -0.6, n_bars - 0.4, colors=GRID_COLOUR, linewidths=0.6, zorder=1)
    yaxis = ax.get_yaxis_transform()
    for pos, value in enumerate(Y_TICKS):
        ax.text(-0.012, value, fmt(value, pos), transform=yaxis, ha="right", va="center",
                fontsize=LABEL_SIZE, family=family)
    axes_width_in = ax.get_position().width * ax.figure.get_figwidth()
    ax.text(-Y_TITLE_OFFSET_IN / axes_width_in, 0.5, "คะแนน", transform=ax.transAxes,
            rotation=90, ha="center", va="center", fontsize=LABEL_SIZE, family=family)


def _bar_artists(ax, bars: list[ScoreBar], colours: list[str], family: str, pass_mark: float) -> list:
    """Bars with their printed score above, added to ``ax`` (drawn and removed by the caller).
    A score that would touch the pass line is written inside the top of its bar, in white."""
    artists = []
    for x, (bar, colour) in enumerate(zip(bars, colours, strict=False)):
        top = bar.value if bar.value is not None else 0.0
        artists.append(ax.add_patch(Rectangle((x - 0.31, 0.0), 0.62, top, color=colour, zorder=2)))
        if pass_mark - 9.5 < top < pass_mark + 0.5 and top >= 12:
            artists.append(ax.text(x, top - 1.5, bar.text, ha="center", va="top", fontsize=VALUE_SIZE,
                                   family=family, zorder=4, color="white"))
        else:
            artists.append(ax.text(x, top + 1.5, bar.text, ha="center", va="bottom", fontsize=VALUE_SIZE,
                                   family=family, zorder=4))
    return artists


def _draw_x_labels(ax, labels: list[str], family: str) -> None:
    xaxis = ax.get_xaxis_transform()
    for x, label in enumerate(labels):
        ax.text(x, -0.03, label, transform=xaxis, ha="center", va="top", fontsize=LABEL_SIZE, family=family)
    ax.set_xlim(-0.6, len(labels) - 0.4)


def _pass_line(ax, n_bars: int, pass_mark: float):
    return ax.hlines(pass_mark, -0.6, n_bars - 0.4, colors=PASS_COLOUR, linewidths=1.0,
                     linestyles="--", zorder=3)


def _draw_legend(ax, entries: list[tuple[str, str, bool]], family: str) -> None:
    """A one-line legend above the plot: (colour, label, is_dashed_line) per entry."""
    x = 0.0
    y = 1.035
    for colour, label, dashed in entries:
        if dashed:
            ax.plot([x, x + 0.035], [y + 0.025] * 2, transform=ax.transAxes, color=colour,
                    linewidth=1.0, linestyle="--", clip_on=False)
            x += 0.045
        else:
            ax.add_patch(Rectangle((x, y), 0.018, 0.05, transform=ax.transAxes, color=colour,
                                   clip_on=False))
            x += 0.026
        ax.text(x, y + 0.025, label, transform=ax.transAxes, ha="left", va="center",
                fontsize=LEGEND_SIZE, family=family)
        x += 0.03 + 0.0135 * len(label)


@dataclass
class _Background:
    """A chart's fixed part, drawn once: the figure, its axes, its pixels and what goes over the bars."""

    fig: Figure
    ax: Axes
    pixels: object
    overlays: list = field(default_factory=list)   # drawn again above the bars (pass line, axis)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _finish_background(fig: Figure, ax, overlays: list) -> _Background:
    for artist in overlays:
        artist.set_visible(False)
    fig.canvas.draw()
    for artist in overlays:
        artist.set_visible(True)
    return _Background(fig, ax, _agg(fig).copy_from_bbox(fig.bbox), overlays)


@lru_cache(maxsize=32)
def _tools_background(labels: tuple[str, ...], thai_digits: bool, pass_mark: float) -> _Background:
    family = _register_font()
    fig, ax = _new_axes(TOOLS_SIZE_IN, MARGIN_BOTTOM_IN)
    _draw_y_scale(ax, len(labels), thai_digits, family)
    _draw_x_labels(ax, list(labels), family)
    return _finish_background(fig, ax, [_pass_line(ax, len(labels), pass_mark), ax.spines["bottom"]])


@lru_cache(maxsize=32)
def _indicators_background(labels: tuple[str, ...], groups: tuple[str, ...], thai_digits: bool,
                           pass_mark: float) -> _Background:
    family = _register_font()
    fig, ax = _new_axes(INDICATORS_SIZE_IN, MARGIN_BOTTOM_TITLED_IN, MARGIN_TOP_LEGEND_IN)
    _draw_y_scale(ax, len(labels), thai_digits, family)
    _draw_x_labels(ax, list(labels), family)
    ax.text(0.5, -0.15, "ตัวชี้วัดที่", transform=ax.transAxes, ha="center", va="top",
            fontsize=LABEL_SIZE, family=family)
    pass_label = f"เกณฑ์ผ่าน {_digit_formatter(thai_digits)(pass_mark)} คะแนน"
    entries = [(TOOL_COLOURS.get(g, OTHER_COLOUR), g, False) for g in groups]
    _draw_legend(ax, entries + [(PASS_COLOUR, pass_label, True)], family)
    return _finish_background(fig, ax, [_pass_line(ax, len(labels), pass_mark), ax.spines["bottom"]])


def _draw_over(background: _Background, bars: list[ScoreBar], colours: list[str], pass_mark: float) -> bytes:
    with background.lock:
        canvas, ax = _agg(background.fig), background.ax
        canvas.restore_region(background.pixels)
        artists = _bar_artists(ax, bars, colours, _register_font(), pass_mark)
        try:
            ordered = sorted([*artists, *background.overlays], key=lambda a: a.get_zorder())
            for artist in ordered:
                ax.draw_artist(artist)
            return _png_bytes(canvas)
        finally:
            for artist in artists:
                artist.remove()


def _agg(fig: Figure) -> FigureCanvasAgg:
    """The figure's Agg canvas (every chart figure gets one in ``_new_axes``)."""
    return cast(FigureCanvasAgg, fig.canvas)


def _png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """Encode what is on the canvas as RGB PNG with light compression (savefig's bookkeeping is skipped)."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1, dpi=(DPI, DPI))
    return buffer.getvalue()


def tools_chart_png(ita: ScoreBar, tools: list[ScoreBar], thai_digits: bool, pass_mark: float) -> bytes:
    """Bars for ITA and each tool (IIT, EIT, OIT) with their scores and the pass line."""
    bars = [ita, *tools]
    colours = [ITA_COLOUR] + [TOOL_COLOURS.get(bar.short_label, OTHER_COLOUR) for bar in tools]
    background = _tools_background(tuple(bar.short_label for bar in bars), thai_digits, pass_mark)
    return _draw_over(background, bars, colours, pass_mark)


def indicators_chart_png(indicators: list[ScoreBar], thai_digits: bool, pass_mark: float) -> bytes:
    """Bars for the ten indicators, coloured by tool, with the pass line (the year's pass mark)."""
    colours = [TOOL_COLOURS.get(bar.group, OTHER_COLOUR) for bar in indicators]
    groups = tuple(dict.fromkeys(bar.group for bar in indicators if bar.group))
    background = _indicators_background(tuple(bar.short_label for bar in indicators), groups, thai_digits, pass_mark)
    return _draw_over(background, indicators, colours, pass_mark)
