"""Rectification and pooling on a small signed map, with every number shown.

``SIGNED_MAP`` stands for the output of a convolution: both signs. ReLU keeps the positive
values and sets the rest to zero; 2×2 pooling then replaces each 2×2 block by its
maximum or its mean.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from convdemo.arithmetic import conv_windows, pool_output_size
from convdemo.cells import frame, number_grid, outline
from convdemo.style import INPUT, KERNEL, OUTPUT, PADDING, PRODUCT

__all__ = [
    "SIGNED_MAP",
    "pool",
    "pooling_facts",
    "pooling_figure",
    "relu",
    "relu_facts",
    "relu_figure",
]

Grid = list[list[float]]

SIGNED_MAP: tuple[tuple[int, ...], ...] = (
    (3, -1, 0, 2),
    (-4, 6, -2, 5),
    (1, -3, 7, -6),
    (2, 4, -5, 1),
)


def relu(values: tuple[tuple[int, ...], ...] | Grid) -> Grid:
    return [[max(0.0, float(v)) for v in row] for row in values]


def pool(values: Grid, kernel_size: int, mode: str) -> Grid:
    """Max or average pooling with stride = kernel size, windows from the arithmetic."""
    if mode not in ("max", "mean"):
        raise ValueError(f"mode must be 'max' or 'mean', got {mode!r}")
    rows = conv_windows(len(values), kernel_size, kernel_size)
    cols = conv_windows(len(values[0]), kernel_size, kernel_size)
    result = []
    for r in rows:
        line = []
        for c in cols:
            block = [values[i][j] for i in r.taps for j in c.taps]
            line.append(max(block) if mode == "max" else sum(block) / len(block))
        result.append(line)
    return result


def relu_facts() -> dict[str, int]:
    """The numbers ``relu_figure`` draws: the map's size and its negative cells."""
    size = len(SIGNED_MAP)
    return {
        "size": size,
        "cells": size * size,
        "negatives": sum(v < 0 for row in SIGNED_MAP for v in row),
    }


def pooling_facts(kernel_size: int = 2) -> dict[str, float]:
    """The numbers ``pooling_figure`` draws: sizes, the share of values kept, and the
    top-left block worked out (its maximum, sum and mean)."""
    rectified = relu(SIGNED_MAP)
    size = len(SIGNED_MAP)
    pooled = pool_output_size(size, kernel_size)
    block = [rectified[i][j] for i in range(kernel_size) for j in range(kernel_size)]
    return {
        "size": size,
        "kernel": kernel_size,
        "pooled": pooled,
        "blocks": pooled * pooled,
        "max_top_left": pool(rectified, kernel_size, "max")[0][0],
        "mean_top_left": pool(rectified, kernel_size, "mean")[0][0],
        "top_left_sum": sum(block),
        "kept_fraction": pooled * pooled / (size * size),
    }


def relu_figure() -> Figure:
    """The signed map and its rectified version side by side."""
    figure = Figure(figsize=(6.0, 3.0))
    left, right = figure.subplots(1, 2)
    number_grid(
        left, SIGNED_MAP, lambda r, c, v: PADDING if v < 0 else INPUT, "before ReLU", fontsize=10
    )
    number_grid(
        right,
        relu(SIGNED_MAP),
        lambda r, c, v: PADDING if v == 0 else OUTPUT,
        "after ReLU: max(0, x)",
        fontsize=10,
    )
    return figure


def pooling_figure(kernel_size: int = 2) -> Figure:
    """A rectified map, its 2×2 blocks outlined, then max and average pooling."""
    rectified = relu(SIGNED_MAP)
    size, out = len(rectified), pool_output_size(len(rectified), kernel_size)
    figure = Figure(figsize=(8.4, 3.0))
    grid = figure.add_gridspec(1, 3, width_ratios=[size, out + 1, out + 1])
    source, maximum, mean = (figure.add_subplot(grid[0, i]) for i in range(3))
    number_grid(source, rectified, INPUT, f"{size}×{size} map (after ReLU)", fontsize=10)
    for r in range(out):
        for c in range(out):
            outline(source, r * kernel_size, c * kernel_size, kernel_size, kernel_size, KERNEL)
    for ax, mode, title in ((maximum, "max", "max pooling"), (mean, "mean", "average pooling")):
        number_grid(
            ax,
            pool(rectified, kernel_size, mode),
            OUTPUT if mode == "max" else PRODUCT,
            f"{kernel_size}×{kernel_size} {title}",
            fontsize=10,
        )
        frame(ax, out, out, "")
        ax.set_title(f"{kernel_size}×{kernel_size} {title}", fontsize=10, pad=6)
        pad = (size - out) / 2
        ax.set_ylim(out + pad + 0.1, -pad - 0.1)
    return figure
