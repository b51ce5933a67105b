"""Figures of im2col and fold, and the numbers their captions quote.

Every matrix drawn is what ``F.unfold`` or ``F.fold`` returns; every product is computed
by PyTorch and equals ``F.conv2d`` or ``F.conv_transpose2d`` (the tests check both).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo.cells import cell, format_number, frame, number_grid, outline
from convdemo.im2col import coverage, demo_input, demo_weight, memory_facts
from convdemo.style import INPUT, KERNEL, KERNEL_FILL, OUTPUT, PRODUCT
from convdemo.transposed import KERNEL as TRANSPOSED_KERNEL

__all__ = [
    "columns_facts",
    "columns_figure",
    "coverage_facts",
    "coverage_figure",
    "memory_figure",
    "transpose_facts",
    "transpose_figure",
]


def _columns(channels: int, size: int, kernel_size: int) -> tuple[torch.Tensor, ...]:
    x, weight = demo_input(channels, size), demo_weight(channels, kernel_size)
    columns = F.unfold(x, kernel_size)[0]
    product = weight.reshape(1, -1) @ columns
    return x[0], weight.reshape(-1), columns, product[0]


def columns_facts(channels: int = 2, size: int = 3, kernel_size: int = 2) -> dict[str, int | str]:
    """The numbers ``columns_figure`` draws: the input, its windows, the columns' shape,
    the weights, and the first output worked out (``first_sum``, ``first``)."""
    x, weights, columns, product = _columns(channels, size, kernel_size)
    out = size - kernel_size + 1
    terms = [
        f"({format_number(w)})·{format_number(v)}"
        if w < 0
        else f"{format_number(w)}·{format_number(v)}"
        for w, v in zip(weights.tolist(), columns[:, 0].tolist(), strict=True)
    ]
    return {
        "channels": channels, "size": size, "kernel": kernel_size, "out": out,
        "last": format_number(float(x.max())),
        "rows": columns.shape[0], "windows": columns.shape[1],
        "weights": ", ".join(format_number(w) for w in weights.tolist()),
        "first_column": ", ".join(format_number(v) for v in columns[:, 0].tolist()),
        "first_sum": " + ".join(terms), "first": format_number(float(product[0])),
        "product": ", ".join(format_number(v) for v in product.tolist()),
    }  # fmt: skip


def columns_figure(channels: int = 2, size: int = 3, kernel_size: int = 2) -> Figure:
    """The input's channels, the columns ``F.unfold`` makes of it, the weight row, their
    product and the product reshaped into the output, laid out so that each output value
    sits under its column and beside the weight row (Falk's scheme)."""
    x, weights, columns, product = _columns(channels, size, kernel_size)
    rows, windows = columns.shape
    out = size - kernel_size + 1
    left = rows + 1.5  # the columns start right of the weight row's length
    figure = Figure(figsize=(0.4 * (left + windows + out + 3), 0.4 * (rows + 3.6)))
    ax = figure.add_subplot()
    # The channels, side by side above the weight row; the first window outlined.
    for c in range(channels):
        col0 = c * (size + 1)
        top = (rows - size) / 2
        for r in range(size):
            for k in range(size):
                cell(
                    ax, top + r, col0 + k, INPUT, label=format_number(float(x[c, r, k])), fontsize=9
                )
        outline(ax, top, col0, kernel_size, kernel_size, KERNEL)
        ax.text(
            col0 + size / 2, top - 0.3, f"channel {c + 1}", ha="center", va="bottom", fontsize=9
        )
    ax.text(rows / 2, rows + 0.3, "weights", ha="center", va="top", fontsize=9)
    for r in range(rows):
        for w in range(windows):
            fill = PRODUCT if w else INPUT
            cell(ax, r, left + w, fill, label=format_number(float(columns[r, w])), fontsize=9)
    outline(ax, 0, left, rows, 1, KERNEL)
    ax.text(
        left + windows / 2, -0.3, f"unfold: {rows}×{windows}", ha="center", va="bottom", fontsize=9
    )
    # Weight row and product on one line below.
    line = rows + 1.0
    for i, weight in enumerate(weights.tolist()):
        cell(ax, line, i, KERNEL_FILL, label=format_number(weight), fontsize=9)
    ax.text(rows + 0.75, line + 0.5, "×", ha="center", va="center", fontsize=11)
    for w in range(windows):
        cell(ax, line, left + w, OUTPUT, label=format_number(float(product[w])), fontsize=9)
    outline(ax, line, left, 1, 1, KERNEL)  # the first window's output
    ax.text(left + windows + 0.4, line + 0.5, "→", ha="left", va="center", fontsize=11)
    # The product reshaped: the output grid.
    start = left + windows + 1.6
    for w in range(windows):
        r, c = divmod(w, out)
        cell(
            ax,
            line - (out - 1) + r,
            start + c,
            OUTPUT,
            label=format_number(float(product[w])),
            fontsize=9,
        )
    outline(ax, line - (out - 1), start, 1, 1, KERNEL)
    ax.text(
        start + out / 2,
        line - out + 0.7,
        f"{out}×{out} output",
        ha="center",
        va="bottom",
        fontsize=9,
    )
    frame(ax, line + 1.6, start + out)
    return figure


def coverage_facts(
    size: int = 5, kernel_size: int = 3, strides: Sequence[int] = (1, 2)
) -> dict[str, int]:
    """The numbers ``coverage_figure`` draws: for each stride in turn (``low_1``,
    ``high_1``…), the fewest and the most windows covering one cell."""
    facts = {"size": size, "kernel": kernel_size}
    for index, stride in enumerate(strides, start=1):
        counts = coverage(size, kernel_size, stride)
        facts[f"stride_{index}"] = stride
        facts[f"low_{index}"] = int(counts.min())
        facts[f"high_{index}"] = int(counts.max())
    return facts


def coverage_figure(size: int = 5, kernel_size: int = 3, strides: Sequence[int] = (1, 2)) -> Figure:
    """``fold(unfold(ones))`` for each stride: how many windows cover each cell."""
    maps = [coverage(size, kernel_size, stride) for stride in strides]
    top = max(float(counts.max()) for counts in maps)
    cmap, norm = colormaps["Greens"], Normalize(0, top)
    figure = Figure(figsize=(3.1 * len(strides), 3.3))
    for ax, counts, stride in zip(figure.subplots(1, len(strides)), maps, strides, strict=True):
        title = f"{kernel_size}×{kernel_size} windows, stride {stride}"
        number_grid(
            ax, counts.tolist(), lambda r, c, v: cmap(0.15 + 0.6 * norm(v)), title, fontsize=10
        )
    return figure


def _transposed(size: int) -> tuple[torch.Tensor, ...]:
    kernel = torch.tensor(TRANSPOSED_KERNEL, dtype=torch.float32)
    k = kernel.shape[-1]
    y = torch.arange(1.0, size * size + 1).view(1, 1, size, size)
    columns = kernel.reshape(1, -1).T @ y.reshape(1, 1, -1)  # wᵀ y: (k·k, L)
    result = F.fold(columns, (size + k - 1, size + k - 1), k)
    return y[0, 0], kernel, columns[0], result[0, 0]


def transpose_facts(size: int = 2) -> dict[str, int | str]:
    """The numbers ``transpose_figure`` draws: the input's side, the kernel's, the columns'
    shape and the output's side; the output's largest value, where most columns meet."""
    _, kernel, columns, result = _transposed(size)
    return {
        "size": size, "kernel": kernel.shape[-1], "rows": columns.shape[0],
        "windows": columns.shape[1], "out": result.shape[-1],
        "largest": format_number(float(result.max())),
    }  # fmt: skip


def transpose_figure(size: int = 2) -> Figure:
    """A transposed convolution as a fold: the input, each value times the kernel as a
    column (``wᵀ y``), and ``F.fold`` adding the columns back where windows overlap."""
    y, _, columns, result = _transposed(size)
    rows, windows = columns.shape
    out = result.shape[-1]
    figure = Figure(figsize=(7.4, 0.36 * rows + 1.2))
    grid = figure.add_gridspec(1, 3, width_ratios=[size + 1, windows + 1, out])
    first, middle, last = (figure.add_subplot(grid[0, i]) for i in range(3))
    number_grid(first, y.tolist(), INPUT, f"y: {size}×{size}", fontsize=10)
    number_grid(middle, columns.tolist(), KERNEL_FILL, f"wᵀy: {rows}×{windows}", fontsize=9)
    number_grid(last, result.tolist(), OUTPUT, f"fold: {out}×{out}", fontsize=10)
    for ax, side in ((first, size), (last, out)):
        pad = (rows - side) / 2
        ax.set_ylim(side + pad + 0.1, -pad - 0.1)
    return figure


def memory_figure(
    size: int = 56, in_channels: int = 128, out_channels: int = 128, kernel_size: int = 3
) -> Figure:
    """Bar chart: the input and the columns im2col makes of it, in float32 megabytes."""
    facts = memory_facts(size, in_channels, out_channels, kernel_size)
    figure = Figure(figsize=(6.4, 2.2), layout="constrained")
    ax = figure.subplots()
    bars = (
        (1, facts["input_mb"], INPUT, f"input\n{in_channels}×{size}×{size}"),
        (0, facts["columns_mb"], KERNEL, f"columns\n{facts['rows']}×{facts['windows']}"),
    )
    for y, value, colour, _ in bars:
        ax.barh(y, value, color=colour)
        ax.text(value, y, f"  {value:.1f} MB", va="center", fontsize=9)
    ax.set_yticks([y for y, *_ in bars], [label for *_, label in bars])
    ax.set_xlim(0, facts["columns_mb"] * 1.25)
    ax.set_xlabel("float32 megabytes")
    ax.spines[["top", "right"]].set_visible(False)
    return figure
