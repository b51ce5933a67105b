"""Drawing grids of cells on a matplotlib ``Axes``: the one primitive every diagram uses.

Row 0 is at the top, like a matrix; cell ``(row, col)`` covers ``[col, col+1]`` across and
``[row, row+1]`` down. Callers say what each cell is (its role colour, an optional hatch,
an optional label); positions come from the caller's arithmetic, never from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from convdemo.style import INK

__all__ = [
    "add_rectangle",
    "cell",
    "format_number",
    "frame",
    "number_grid",
    "outline",
    "text_colour",
]


Colour = str | tuple[float, float, float] | tuple[float, float, float, float]


def _luminance(colour: Colour) -> float:
    """WCAG relative luminance: sRGB decoded to linear light, then weighted."""
    linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in to_rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(fill: Colour) -> str:
    """White or ink, whichever has the higher WCAG contrast ratio with ``fill``.

    With ink at #222222 the better of the two reaches 3.99:1 on the worst fill (a mid grey
    of relative luminance 0.21), and more on every other.
    """
    fill_luminance = _luminance(fill)
    on_white = 1.05 / (fill_luminance + 0.05)
    on_ink = (fill_luminance + 0.05) / (_luminance(INK) + 0.05)
    return "white" if on_white > on_ink else INK


def add_rectangle(ax: Axes, rectangle: Rectangle) -> Rectangle:
    """``ax.add_patch(rectangle)`` for an upright rectangle in data coordinates, at a
    fraction of the cost: the data limits grow by its two corners, where ``add_patch``
    walks its outline through the transforms to find the same two points. The build adds
    over 8,000 cells; added so, they take half the time (about 3 s of a cold build)."""
    if rectangle.get_angle() or rectangle.is_transform_set():
        ax.add_patch(rectangle)  # turned, or not in data coordinates: the full walk
        return rectangle
    ax.add_artist(rectangle)
    cast(Any, rectangle)._set_in_autoscale(True)  # as add_patch: ``relim`` counts it
    (x, y), width, height = rectangle.get_xy(), rectangle.get_width(), rectangle.get_height()
    if width or height:  # as add_patch: a rectangle of no size leaves the limits alone
        ax.update_datalim([(x, y), (x + width, y + height)])
    return rectangle


def cell(
    ax: Axes,
    row: float,
    col: float,
    colour: Colour,
    *,
    hatch: str | None = None,
    label: str | None = None,
    fontsize: float = 8,
) -> None:
    """One unit square, optionally hatched and labelled at its centre."""
    add_rectangle(
        ax,
        Rectangle((col, row), 1, 1, facecolor=colour, edgecolor=INK, linewidth=0.6, hatch=hatch),
    )
    if label is not None:
        ax.text(
            col + 0.5,
            row + 0.5,
            label,
            ha="center",
            va="center",
            fontsize=fontsize,
            color=text_colour(colour),
        )


def outline(ax: Axes, row: float, col: float, rows: float, cols: float, colour: str) -> None:
    """A thick rectangle around a block of cells (a mask's position)."""
    add_rectangle(
        ax, Rectangle((col, row), cols, rows, fill=False, edgecolor=colour, linewidth=2.5, zorder=3)
    )


def frame(ax: Axes, rows: float, cols: float, title: str = "") -> None:
    """Fit the axes to a ``rows×cols`` grid, square cells, no ticks."""
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(rows + 0.1, -0.1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10, pad=6)


def format_number(value: float) -> str:
    """Integers without a decimal point, others with up to two decimals; a true minus sign.

    Negative zero (from negating a zero weight) is written as 0.
    """
    value = 0.0 if value == 0 else value
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")
    return text.replace("-", "−")


def number_grid(
    ax: Axes,
    values: Sequence[Sequence[float]],
    colour: Colour | Callable[[int, int, float], Colour],
    title: str = "",
    *,
    fontsize: float = 8,
    hatch: Callable[[int, int], str | None] | None = None,
) -> None:
    """A matrix drawn as cells with its values written in them.

    ``colour`` is one colour for every cell, or a function of ``(row, col, value)``.
    """
    rows, cols = len(values), len(values[0])
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            fill = colour(r, c, value) if callable(colour) else colour
            cell(
                ax,
                r,
                c,
                fill,
                hatch=hatch(r, c) if hatch else None,
                label=format_number(value),
                fontsize=fontsize,
            )
    frame(ax, rows, cols, title)
