"""Transposed convolution the other way: every input value stamps a scaled copy of the
kernel onto the output, and the copies add up where they overlap.

This is the same operation as zero insertion followed by a convolution with the kernel
rotated by 180° (``convdemo.motion``, ``convdemo.transposed``): there each *output*
cell gathers from the inputs, here each *input* cell scatters to the outputs. The
scatter view needs no rotation: the kernel lands as it is, its top-left weight on output
``(i·s − p, j·s − p)`` for input ``(i, j)``.
"""

from __future__ import annotations

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo.animations import Animation
from convdemo.arithmetic import transposed_output_size
from convdemo.cells import format_number, frame, text_colour
from convdemo.layers import NUMERIC_KERNEL, layer_of
from convdemo.style import INPUT, KERNEL, KERNEL_FILL, OUTPUT

__all__ = ["footprint", "scatter_animation", "scatter_facts", "scatter_sums"]

CELL_INCHES = 0.36
CODE_FONT = "DejaVu Sans Mono"


def _values(size: int, kernel_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The input (small integers, as in the gather view) and the kernel."""
    x = torch.tensor([[float((3 * i + 5 * j + 2) % 4) for j in range(size)] for i in range(size)])
    kernel = torch.tensor(
        [[float(NUMERIC_KERNEL[i % 3][j % 3]) for j in range(kernel_size)]
         for i in range(kernel_size)]
    )  # fmt: skip
    return x, kernel


def footprint(
    cell: tuple[int, int], out: int, kernel_size: int, stride: int, padding: int = 0
) -> list[tuple[int, int]]:
    """The output cells input ``cell``'s kernel copy lands on (those inside the output)."""
    i, j = cell
    return [
        (i * stride - padding + a, j * stride - padding + b)
        for a in range(kernel_size)
        for b in range(kernel_size)
        if 0 <= i * stride - padding + a < out and 0 <= j * stride - padding + b < out
    ]


def scatter_sums(
    size: int = 2, kernel_size: int = 3, stride: int = 2, padding: int = 0
) -> list[torch.Tensor]:
    """The output after each input cell has stamped its copy (row by row); the last is
    the transposed convolution's output."""
    x, kernel = _values(size, kernel_size)
    out = transposed_output_size(size, kernel_size, stride, padding)
    total = torch.zeros(out, out)
    sums = []
    for i in range(size):
        for j in range(size):
            for r, c in footprint((i, j), out, kernel_size, stride, padding):
                a, b = r - (i * stride - padding), c - (j * stride - padding)
                total[r, c] += x[i, j] * kernel[a, b]
            sums.append(total.clone())
    return sums


def _grid(ax: Axes, values: torch.Tensor, fill: str, title: str) -> None:
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=fill, edgecolor="#222222",
                                   linewidth=0.6, clip_on=False))  # fmt: skip
            ax.text(c + 0.5, r + 0.5, format_number(float(values[r, c])), ha="center",
                    va="center", fontsize=9, color=text_colour(fill))  # fmt: skip
    frame(ax, rows, cols)
    ax.set_title(title, fontsize=10, pad=6, y=1.0)


def scatter_animation(
    size: int = 2, kernel_size: int = 3, stride: int = 2, padding: int = 0
) -> Animation:
    """One step per input cell: the cell, its scaled kernel copy on the output, and the
    output's running sums, which end as ``conv_transpose2d``'s output."""
    x, kernel = _values(size, kernel_size)
    out = transposed_output_size(size, kernel_size, stride, padding)
    sums = scatter_sums(size, kernel_size, stride, padding)
    height = max(size, kernel_size, out)
    widths = [size, kernel_size, out]
    figure = Figure(figsize=(CELL_INCHES * (sum(widths) + 6), CELL_INCHES * (height + 4)))
    grid = figure.add_gridspec(1, 3, width_ratios=widths, wspace=0.35, top=0.78, bottom=0.05)
    source, stamp, target = (figure.add_subplot(grid[0, i]) for i in range(3))
    _grid(source, x, INPUT, f"input {size}×{size}")
    _grid(stamp, kernel, KERNEL_FILL, "kernel, as it is")
    frame(target, out, out)
    target.set_title(f"output {out}×{out}", fontsize=10, pad=6, y=1.0)
    for ax, rows in ((source, size), (stamp, kernel_size), (target, out)):
        offset = (height - rows) / 2
        ax.set_ylim(rows + offset + 0.1, -offset - 0.1)
    module = layer_of("conv_transpose", size, kernel_size, stride, padding).module()
    figure.suptitle(f"{module}, scattering", fontsize=10, family=CODE_FONT, y=0.98)

    descriptions: list[str] = []
    animation = Animation(figure, descriptions)
    step = 0
    for i in range(size):
        for j in range(size):
            cells = footprint((i, j), out, kernel_size, stride, padding)
            value = format_number(float(x[i, j]))
            descriptions.append(
                f"input ({i}, {j}) = {value} adds {value} × the kernel to output rows "
                f"{min(r for r, _ in cells)}–{max(r for r, _ in cells)}, columns "
                f"{min(c for _, c in cells)}–{max(c for _, c in cells)}"
            )
            here = source.add_patch(Rectangle((j, i), 1, 1, fill=False, edgecolor=KERNEL,
                                              linewidth=2.5, zorder=3))  # fmt: skip
            animation.add(here, step)
            for r in range(out):
                for c in range(out):
                    touched = (r, c) in cells
                    fill = KERNEL_FILL if touched else OUTPUT if sums[step][r, c] else "white"
                    box = target.add_patch(Rectangle((c, r), 1, 1, facecolor=fill,
                                                     edgecolor="#222222", linewidth=0.6,
                                                     zorder=2))  # fmt: skip
                    animation.add(box, step)
                    if sums[step][r, c] or touched:
                        shown = format_number(float(sums[step][r, c]))
                        label = target.text(
                            c + 0.5, r + 0.5, shown, ha="center", va="center", fontsize=9,
                            color=text_colour(fill), zorder=4,
                        )  # fmt: skip
                        animation.add(label, step)
            step += 1
    return animation


def scatter_facts(
    size: int = 2, kernel_size: int = 3, stride: int = 2, padding: int = 0
) -> dict[str, int | str]:
    """The numbers ``scatter_animation`` draws: sizes, steps and the layer's line."""
    out = transposed_output_size(size, kernel_size, stride, padding)
    layer = layer_of("conv_transpose", size, kernel_size, stride, padding)
    return {
        "module": layer.module(),
        "explorer": layer.explorer_hash(),
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "out": out,
        "steps": size * size,
        "copies": size * size,
    }
