"""Convolution or cross-correlation? What ``torch.nn.functional.conv2d`` computes.

PyTorch's ``conv2d`` computes a *cross-correlation*:
``y[i, j] = Σ_m Σ_n k[m, n] · x[i + m, j + n]``. Convolution in the mathematical sense
flips the kernel first:
``y[i, j] = Σ_m Σ_n k[m, n] · x[i − m, j − n]``, which over the valid region equals the
cross-correlation with the kernel rotated by 180°. For a learned kernel the difference
does not matter (the network learns the flipped one); for a fixed, asymmetric kernel
it does.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo.cells import number_grid
from convdemo.style import DIVERGING, INPUT, KERNEL_FILL

__all__ = [
    "ASYMMETRIC",
    "SIGNAL",
    "convolve",
    "correlate",
    "correlation_facts",
    "correlation_figure",
]

SIGNAL: tuple[tuple[int, ...], ...] = (
    (0, 0, 0, 0, 0),
    (0, 1, 2, 0, 0),
    (0, 3, 4, 0, 0),
    (0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0),
)
#: Weight only in the top-left and bottom-right: flipping swaps them.
ASYMMETRIC: tuple[tuple[int, ...], ...] = ((1, 0, 0), (0, 0, 0), (0, 0, -1))


def correlate(signal: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """What ``F.conv2d`` computes (no padding): the kernel as given."""
    return F.conv2d(signal[None, None], kernel[None, None])[0, 0]


def convolve(signal: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """True convolution over the valid region: cross-correlation with the flipped kernel."""
    return correlate(signal, kernel.flip(0, 1))


def _tensors() -> tuple[torch.Tensor, torch.Tensor]:
    return (
        torch.tensor(SIGNAL, dtype=torch.float32),
        torch.tensor(ASYMMETRIC, dtype=torch.float32),
    )


def correlation_facts() -> dict[str, float]:
    signal, kernel = _tensors()
    corr, conv = correlate(signal, kernel), convolve(signal, kernel)
    return {
        "size": signal.shape[0],
        "kernel": kernel.shape[0],
        "out": corr.shape[0],
        "corr_00": float(corr[0, 0]),
        "conv_00": float(conv[0, 0]),
        "differing": int((corr != conv).sum()),
        "k_first": float(kernel[0, 0]),
        "k_last": float(kernel[-1, -1]),
    }


def correlation_figure() -> Figure:
    """Signal, kernel, flipped kernel, and the two results side by side."""
    signal, kernel = _tensors()
    corr, conv = correlate(signal, kernel), convolve(signal, kernel)
    limit = float(max(corr.abs().max(), conv.abs().max()))
    norm = Normalize(-limit, limit)
    from matplotlib import colormaps

    cmap = colormaps[DIVERGING]
    figure = Figure(figsize=(11.0, 2.9))
    grid = figure.add_gridspec(1, 5, width_ratios=[5, 3, 3, 3, 3])
    axes = [figure.add_subplot(grid[0, i]) for i in range(5)]
    number_grid(axes[0], signal.tolist(), INPUT, "input", fontsize=9)
    number_grid(axes[1], kernel.tolist(), KERNEL_FILL, "kernel k", fontsize=9)
    number_grid(axes[2], kernel.flip(0, 1).tolist(), KERNEL_FILL, "k rotated 180°", fontsize=9)
    number_grid(
        axes[3], corr.tolist(), lambda r, c, v: cmap(norm(v)), "F.conv2d: correlation", fontsize=9
    )
    number_grid(
        axes[4], conv.tolist(), lambda r, c, v: cmap(norm(v)), "true convolution", fontsize=9
    )
    for ax in axes[1:]:
        ax.set_ylim(4.1, -1.1)
    return figure
