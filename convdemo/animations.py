"""Animations of the sliding window: every step drawn once, one step shown at a time.

An ``Animation`` is a matplotlib ``Figure`` holding the still parts (the grids, their
padding, titles) and, for every step, the artists that belong to it: the window's taps
and the output cell it writes, shown for that step only, and the output's filled cells
and values, shown from that step on. The figure build saves it as an SVG whose step
groups the page's player shows one at a time, as a GIF and as a PDF of one page a step;
``Animation.show`` sets which step is drawn. Positions come from ``convdemo.motion``,
values from PyTorch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo.cells import add_rectangle, format_number, frame, text_colour
from convdemo.layers import layer_of, numeric_values
from convdemo.motion import Layer, Motion, Step, motion
from convdemo.narration import describe
from convdemo.style import INK, INPUT, KERNEL, KERNEL_FILL, OUTPUT, PADDING, PADDING_HATCH

__all__ = ["Animation", "sliding_window"]

Mode = Literal["only", "from"]
CELL_INCHES = 0.34
CODE_FONT = "DejaVu Sans Mono"


@dataclass
class Animation:
    """A figure with its steps: ``overlays`` lists each step's artists and whether they
    show at that step ``"only"`` or ``"from"`` it on; ``descriptions`` says each step in
    words, for the page's live line.

    An artist added with a ``role`` (the window, the output cell being written) is the
    same shape at every step, only moved: ``anchors`` records where each step's copy
    sits, in its axes' data units, so the page can draw one copy and move it.
    """

    figure: Figure
    descriptions: list[str]
    overlays: list[tuple[Artist, int, Mode]] = field(default_factory=list)
    roles: dict[str, list[tuple[Artist, tuple[float, float]]]] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return len(self.descriptions)

    def add(
        self,
        artist: Artist,
        step: int,
        mode: Mode = "only",
        role: str | None = None,
        anchor: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        # The id names the group in the SVG; the figure build turns it into data-step.
        suffix = f"-{role}" if role else ""
        artist.set_gid(f"step-{mode}-{step}-{len(self.overlays)}{suffix}")
        artist.set_clip_on(False)  # no clip path to move, or to repeat in every group
        self.overlays.append((artist, step, mode))
        if role is not None:
            self.roles.setdefault(role, []).append((artist, anchor))

    def shown(self, step: int) -> list[Artist]:
        """The artists step ``step`` shows, in the order they were added."""
        return [
            artist
            for artist, at, mode in self.overlays
            if (at == step if mode == "only" else at <= step)
        ]

    def show(self, step: int | None) -> None:
        """Draw step ``step`` (``None``: the still parts alone)."""
        visible = set() if step is None else {id(artist) for artist in self.shown(step)}
        for artist, _, _ in self.overlays:
            artist.set_visible(id(artist) in visible)


#: How each kind of grid cell is drawn: fill, hatch, edge style.
_CELL_STYLES: dict[str, dict[str, Any]] = {
    "input": {"facecolor": INPUT},
    "padding": {"facecolor": PADDING, "hatch": PADDING_HATCH},
    "inserted": {"facecolor": "white", "hatch": "."},
    "outside": {"facecolor": "none", "edgecolor": PADDING, "linestyle": (0, (2, 2))},
    "empty": {"facecolor": "white"},
    "kernel": {"facecolor": KERNEL_FILL},
}


def _cells(ax: Axes, cells: Sequence[tuple[int, int, str, str | None]]) -> None:
    """Unit squares, one collection per kind (a few artists, however many cells: every
    frame of the GIF and page of the PDF draws them), each labelled in its cell."""
    by_kind: dict[str, list[Rectangle]] = {}
    for row, col, kind, label in cells:
        by_kind.setdefault(kind, []).append(Rectangle((col, row), 1, 1))
        if label is not None:
            fill = _CELL_STYLES[kind]["facecolor"]
            ink = text_colour(fill) if fill != "none" else INK
            ax.text(col + 0.5, row + 0.5, label, ha="center", va="center", fontsize=9,
                    color=ink)  # fmt: skip
    for kind, patches in by_kind.items():
        style = {"edgecolor": INK, "linewidth": 0.6, **_CELL_STYLES[kind]}
        ax.add_collection(PatchCollection(patches, match_original=False, clip_on=False, **style))


def sliding_window(
    op: str,
    size: int | Sequence[int],
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    output_padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    dims: int = 2,
    causal: bool = False,
    numbers: bool = False,
) -> Animation:
    """The window of a one-channel layer, one step per output cell (see ``layer_of``).

    Left, the grid the window slides over: the input (blue) with its padding (grey,
    hatched) or, for a transposed convolution, spread out with zeros between (white,
    dotted) and around. Right, the output, filling in as the steps go. With ``numbers``
    every value is written in, the kernel is shown, and each step writes out its sum.
    """
    layer = layer_of(op, size, kernel_size, stride, padding, dilation, output_padding,
                     ceil_mode, dims, causal)  # fmt: skip
    moved = motion(layer)
    rows, cols = moved.grid_size
    out_h, out_w = moved.output_size
    values, kernel, result = numeric_values(layer) if numbers else (None, None, None)
    show_kernel = kernel is not None
    kh, kw = layer.kernel_size
    widths = [cols, *([kw] if show_kernel else []), out_w]
    height = max(rows, out_h)
    gap = 1.5  # cells between panels
    top, bottom = 3.2, 1.6 if numbers and layer.op == "conv" else 0.6  # cells of margin
    inches = (
        CELL_INCHES * (sum(widths) + gap * (len(widths) + 1)),
        CELL_INCHES * (height + top + bottom),
    )
    figure = Figure(figsize=inches)
    grid = figure.add_gridspec(
        1, len(widths), width_ratios=widths, wspace=gap / (sum(widths) / len(widths)),
        left=gap / (inches[0] / CELL_INCHES), right=1 - gap / (inches[0] / CELL_INCHES),
        top=1 - top / (inches[1] / CELL_INCHES), bottom=bottom / (inches[1] / CELL_INCHES),
    )  # fmt: skip
    axes = [figure.add_subplot(grid[0, i]) for i in range(len(widths))]
    source, target = axes[0], axes[-1]

    pad_zero = "−∞" if layer.op == "max_pool" else "0"
    grid_cells: list[tuple[int, int, str, str | None]] = []
    for r, line in enumerate(moved.grid):
        for c, spot in enumerate(line):
            label = None
            if values is not None and spot.kind == "input" and spot.source is not None:
                label = format_number(float(values[spot.source]))
            elif values is not None and spot.kind in ("padding", "inserted"):
                label = pad_zero if spot.kind == "padding" else "0"
            grid_cells.append((r, c, spot.kind, label))
    _cells(source, grid_cells)
    _frame(source, rows, cols, height, _input_title(layer, moved))
    _cells(target, [(r, c, "empty", None) for r in range(out_h) for c in range(out_w)])
    _frame(target, out_h, out_w, height, f"output {_shape(layer, (out_h, out_w))}")
    if show_kernel and kernel is not None:
        shown = kernel.flip(0, 1) if layer.op == "conv_transpose" else kernel
        weights = [(i, j, "kernel", format_number(float(shown[i, j]))) for i in range(kh)
                   for j in range(kw)]  # fmt: skip
        _cells(axes[1], weights)
        title = "kernel,\nrotated 180°" if layer.op == "conv_transpose" else "kernel"
        _frame(axes[1], kh, kw, height, title)
    figure.suptitle(layer.module(), fontsize=10, family=CODE_FONT, y=0.99)

    descriptions: list[str] = []
    animation = Animation(figure, descriptions)
    for index, step in enumerate(moved.steps):
        value = None if result is None else float(result[step.output])
        descriptions.append(describe(moved, step, value))
        _draw_step(animation, index, step, layer, source, target, value)
        if numbers and kernel is not None and layer.op == "conv":
            terms = " + ".join(
                f"{format_number(float(kernel[i, j]))}·{_label_at(moved, values, tap)}"
                for (i, j), tap in zip(
                    ((i, j) for i in range(kh) for j in range(kw)), step.taps, strict=True
                )
            )
            formula = figure.text(
                0.5, 0.02, f"{terms} = {format_number(value or 0.0)}", ha="center",
                fontsize=9, family=CODE_FONT,
            )  # fmt: skip
            animation.add(formula, index)
    for axis, start in moved.dropped:
        _draw_dropped(source, axis, start, layer)
    return animation


def _frame(ax: Axes, rows: int, cols: int, height: int, title: str) -> None:
    """``frame`` a ``rows×cols`` grid in a panel ``height`` cells tall, centred in it."""
    frame(ax, rows, cols)
    offset = (height - rows) / 2
    ax.set_ylim(rows + offset + 0.1, -offset - 0.1)
    ax.set_title(title, fontsize=10, pad=6, y=1.0)  # a fixed place: no layout pass per frame


def _label_at(moved: Motion, values: torch.Tensor | None, tap: tuple[int, int]) -> str:
    spot = moved.grid[tap[0]][tap[1]]
    if values is not None and spot.kind == "input" and spot.source is not None:
        return format_number(float(values[spot.source]))
    return "0"


def _input_title(layer: Layer, moved: Motion) -> str:
    title = f"input {_shape(layer, layer.size)}"
    if layer.op == "conv_transpose":
        s, p, d = layer.steps[1], layer.padding[1], layer.dilation[1]
        border = d * (layer.kernel_size[1] - 1) - p
        zeros = "zero" if s - 1 == 1 else "zeros"
        return f"{title}, spread out:\n{s - 1} {zeros} between, {max(border, 0)} around"
    if layer.causal:
        return f"{title},\n{layer.left_padding[1]} zeros on the left only"
    if layer.padding != (0, 0):
        fill = "−∞" if layer.op == "max_pool" else "zeros"
        return f"{title},\npadding {_value(layer, layer.padding)} ({fill}, hatched)"
    return f"{title}\n"


def _shape(layer: Layer, pair: tuple[int, int]) -> str:
    return f"length {pair[1]}" if layer.dims == 1 else f"{pair[0]}×{pair[1]}"


def _value(layer: Layer, pair: tuple[int, int]) -> str:
    if layer.dims == 1 or pair[0] == pair[1]:
        return str(pair[1])
    return f"({pair[0]}, {pair[1]})"


def _draw_step(
    animation: Animation,
    index: int,
    step: Step,
    layer: Layer,
    source: Axes,
    target: Axes,
    value: float | None,
) -> None:
    taps = [Rectangle((c, r), 1, 1) for r, c in step.taps]
    rows = [r for r, _ in step.taps]
    cols = [c for _, c in step.taps]
    span = Rectangle((min(cols), min(rows)), max(cols) - min(cols) + 1, max(rows) - min(rows) + 1)
    window = PatchCollection(
        [*taps, span],
        facecolors=[(*_rgb(KERNEL), 0.35)] * len(taps) + ["none"],
        edgecolors=[KERNEL] * len(taps) + [KERNEL],
        linewidths=[0.8] * len(taps) + [2.5],
        zorder=3,
    )
    source.add_collection(window)
    animation.add(window, index, role="window", anchor=(min(cols), min(rows)))
    r, c = step.output
    done = Rectangle((c, r), 1, 1, facecolor=OUTPUT, edgecolor="none", zorder=2)
    animation.add(add_rectangle(target, done), index, "from")
    current = Rectangle((c, r), 1, 1, fill=False, edgecolor=KERNEL, linewidth=2.5, zorder=3)
    add_rectangle(target, current)
    animation.add(current, index, role="current", anchor=(c, r))
    if value is not None:
        text = target.text(
            c + 0.5, r + 0.5, format_number(value), ha="center", va="center", fontsize=9,
            color=text_colour(OUTPUT), zorder=4,
        )  # fmt: skip
        animation.add(text, index, "from")


def _draw_dropped(ax: Axes, axis: int, start: int, layer: Layer) -> None:
    """The first window ``ceil_mode`` would add along ``axis`` but PyTorch drops, since
    it would start in the padding: dashed, beside the first window of its row or column."""
    kh, kw = layer.kernel_size
    row, col = (start, 0) if axis == 0 else (0, start)
    ax.add_patch(
        Rectangle(
            (col, row),
            kw,
            kh,
            fill=False,
            linestyle=(0, (3, 2)),
            edgecolor=KERNEL,
            linewidth=1.8,
            zorder=3,
        )
    )
    if axis == 1:
        ax.text(col + kw + 0.15, row + kh / 2, "dropped", ha="left", va="center", fontsize=9)
    else:
        ax.text(col + kw / 2, row + kh + 0.15, "dropped", ha="center", va="top", fontsize=9)


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)
