"""Checkerboard artefacts: how unevenly the copies of a transposed convolution's kernel
overlap, against resizing then convolving.

Transposing an all-ones input with an all-ones kernel counts, for every output cell, how
many kernel placements add into it. When the kernel size is not a multiple of the
stride the counts alternate; a trained network inherits that as a checkerboard.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo.cells import number_grid

__all__ = [
    "checkerboard_facts",
    "checkerboard_figure",
    "overlap_counts",
    "resize_then_conv_counts",
]


def overlap_counts(size: int, kernel_size: int, stride: int) -> torch.Tensor:
    """How many kernel placements add into each output cell: transposed convolution of
    an all-ones input with an all-ones kernel."""
    ones = torch.ones(1, 1, size, size)
    return F.conv_transpose2d(ones, torch.ones(1, 1, kernel_size, kernel_size), stride=stride)[0, 0]


def resize_then_conv_counts(size: int, kernel_size: int, factor: int) -> torch.Tensor:
    """The same count for nearest-neighbour up-sampling followed by a padded convolution."""
    ones = torch.ones(1, 1, size, size)
    upsampled = F.interpolate(ones, scale_factor=factor, mode="nearest")
    kernel = torch.ones(1, 1, kernel_size, kernel_size)
    return F.conv2d(upsampled, kernel, padding=kernel_size // 2)[0, 0]


def checkerboard_facts(
    size: int = 4, stride: int = 2, kernels: tuple[int, int] = (3, 4)
) -> dict[str, float]:
    """The numbers ``checkerboard_figure`` draws: for the first kernel (not a multiple of
    the stride) the counts' least, middle and largest value (``k1_min``…); for the second
    (a multiple) and for resize-then-convolve (with the first kernel), the least and
    largest count away from the border, where every cell has all its neighbours."""
    k1, k2 = kernels
    first, second = overlap_counts(size, k1, stride), overlap_counts(size, k2, stride)
    resized = resize_then_conv_counts(size, k1, stride)
    inner = k2 // stride  # cells from the border where the second kernel's count settles
    values = sorted(set(first.flatten().tolist()))
    return {
        "size": size,
        "stride": stride,
        "k1": k1,
        "k2": k2,
        "k1_out": first.shape[0],
        "k2_out": second.shape[0],
        "k1_min": values[0],
        "k1_mid": values[len(values) // 2],
        "k1_max": values[-1],
        "k2_inner_min": float(second[inner:-inner, inner:-inner].min()),
        "k2_inner_max": float(second[inner:-inner, inner:-inner].max()),
        "resize_inner_min": float(resized[1:-1, 1:-1].min()),
        "resize_inner_max": float(resized[1:-1, 1:-1].max()),
    }


def checkerboard_figure(
    size: int = 4, stride: int = 2, kernels: tuple[int, int] = (3, 4)
) -> Figure:
    """Overlap counts: two kernel sizes with the same stride, and resize-then-convolve."""
    k1, k2 = kernels
    panels = (
        (overlap_counts(size, k1, stride), f"transposed, k={k1}, s={stride}"),
        (overlap_counts(size, k2, stride), f"transposed, k={k2}, s={stride}"),
        (resize_then_conv_counts(size, k1, stride), f"resize ×{stride}, then {k1}×{k1} conv"),
    )
    # Cells big enough for their counts when the figure fits the content column.
    widths = [counts.shape[1] for counts, _ in panels]
    cell = 0.27
    figure = Figure(figsize=(cell * (sum(widths) + 5), cell * (max(widths) + 3)))
    axes = figure.subplots(1, 3, gridspec_kw={"width_ratios": widths, "wspace": 0.15})
    top = max(float(counts.max()) for counts, _ in panels)
    norm = Normalize(0, top)
    from matplotlib import colormaps

    cmap = colormaps["Greens"]
    for ax, (counts, title) in zip(axes, panels, strict=True):
        number_grid(
            ax,
            counts.tolist(),
            lambda r, c, v: cmap(0.15 + 0.6 * norm(v)),
            f"{title}:\n{counts.shape[0]}×{counts.shape[1]}",
            fontsize=8,
        )
    return figure
