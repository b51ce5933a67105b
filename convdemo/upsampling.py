"""Transposed convolution as PyTorch uses it: the gradient of a convolution, its weight's
shape, and the usual ways to double a feature map's size.

Every number comes from running the layers: the gradient from autograd, the shapes from
the modules, the overlap counts from transposing ones with ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from convdemo.arithmetic import conv_windows
from convdemo.cells import cell, format_number
from convdemo.style import INPUT, KERNEL_FILL, OUTPUT, PADDING

__all__ = [
    "RECIPES",
    "bridge_facts",
    "bridge_figure",
    "gradient_facts",
    "input_gradient",
    "output_padding",
    "recipe_facts",
    "strided_matrix",
    "weight_facts",
]


def output_padding(size: int, kernel_size: int, stride: int, padding: int) -> int:
    """What a transposed convolution must add to give back ``size``: the rows a strided
    convolution's rounding down lost."""
    out = (size + 2 * padding - kernel_size) // stride + 1
    return size - ((out - 1) * stride - 2 * padding + kernel_size)


# --8<-- [start:gradient]
def input_gradient(
    x: torch.Tensor, weight: torch.Tensor, grad_out: torch.Tensor, stride: int, padding: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """The gradient of ``F.conv2d`` with respect to its input, twice: from autograd, and
    as the transposed convolution of the output's gradient with the same weight."""
    x = x.detach().requires_grad_(True)
    y = F.conv2d(x, weight, stride=stride, padding=padding)
    (by_autograd,) = torch.autograd.grad(y, x, grad_out)
    # The sizes that map to y's size differ by up to stride - 1: name the one x has.
    extra = output_padding(x.shape[-1], weight.shape[-1], stride, padding)
    by_transpose = F.conv_transpose2d(
        grad_out, weight, stride=stride, padding=padding, output_padding=extra
    )
    return by_autograd, by_transpose
    # --8<-- [end:gradient]


def gradient_facts(
    size: int = 6, kernel_size: int = 3, stride: int = 2, padding: int = 1
) -> dict[str, float | int]:
    """``input_gradient`` on random numbers: the shapes and the largest difference."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1, 1, size, size, generator=g, dtype=torch.float64)
    w = torch.randn(1, 1, kernel_size, kernel_size, generator=g, dtype=torch.float64)
    out = (size + 2 * padding - kernel_size) // stride + 1
    grad_out = torch.randn(1, 1, out, out, generator=g, dtype=torch.float64)
    by_autograd, by_transpose = input_gradient(x, w, grad_out, stride, padding)
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "padding": padding,
        "out": out,
        "output_padding": output_padding(size, kernel_size, stride, padding),
        "difference": float((by_autograd - by_transpose).abs().max()),
    }


def weight_facts(
    in_channels: int = 3, out_channels: int = 8, kernel_size: int = 3, groups: int = 1
) -> dict[str, str | int]:
    """The weight shapes of ``Conv2d`` and ``ConvTranspose2d`` with the same arguments:
    the transposed layer stores ``(in, out / groups, k, k)``, the other way round."""
    conv = torch.nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups)
    transposed = torch.nn.ConvTranspose2d(in_channels, out_channels, kernel_size, groups=groups)
    return {
        "in_channels": in_channels,
        "out_channels": out_channels,
        "kernel": kernel_size,
        "conv_weight": str(tuple(conv.weight.shape)),
        "transposed_weight": str(tuple(transposed.weight.shape)),
    }


RECIPES: tuple[tuple[int, int, int, int], ...] = ((4, 2, 1, 0), (3, 2, 1, 1), (2, 2, 0, 0))


def _overlaps(
    size: int, kernel: int, stride: int, padding: int, output_padding: int
) -> torch.Tensor:
    ones = torch.ones(1, 1, size, size)
    return F.conv_transpose2d(
        ones, torch.ones(1, 1, kernel, kernel), stride=stride, padding=padding,
        output_padding=output_padding,
    )[0, 0]  # fmt: skip


def recipe_facts(
    size: int = 8, recipes: Sequence[tuple[int, int, int, int]] = RECIPES, scale: int = 2
) -> dict[str, int | str]:
    """For each ``(k, s, p, output_padding)``, the output size on a ``size`` input and the
    range of overlap counts away from the border; then the two alternatives: resize then
    convolve, and a convolution to ``scale²`` times the channels then ``PixelShuffle``."""
    largest = max(k for k, *_ in recipes)
    if size <= largest:
        raise ValueError(
            f"size must exceed the largest kernel, {largest}, to leave an inside; got {size}"
        )
    facts: dict[str, int | str] = {"size": size, "scale": scale}
    for i, (k, s, p, op) in enumerate(recipes, start=1):
        layer = torch.nn.ConvTranspose2d(1, 1, k, s, p, op)
        out = layer(torch.zeros(1, 1, size, size)).shape[-1]
        inner = _overlaps(size, k, s, p, op)[k:-k, k:-k]
        facts |= {
            f"r{i}_k": k, f"r{i}_s": s, f"r{i}_p": p, f"r{i}_op": op, f"r{i}_out": out,
            f"r{i}_min": int(inner.min()), f"r{i}_max": int(inner.max()),
        }  # fmt: skip
    channels = 4
    shuffle = torch.nn.Sequential(
        torch.nn.Conv2d(channels, channels * scale * scale, 3, padding=1),
        torch.nn.PixelShuffle(scale),
    )
    before = torch.nn.Conv2d(channels, channels * scale * scale, 3, padding=1)
    middle = before(torch.zeros(1, channels, size, size))
    resized = F.interpolate(torch.zeros(1, channels, size, size), scale_factor=scale)
    facts |= {
        "channels": channels,
        "shuffle_channels": channels * scale * scale,
        "shuffle_middle": str(tuple(middle.shape)),
        "shuffle_out": str(tuple(shuffle(torch.zeros(1, channels, size, size)).shape)),
        "resize_out": str(tuple(resized.shape)),
    }
    return facts


def strided_matrix(size: int, kernel: Sequence[int], stride: int) -> torch.Tensor:
    """The matrix ``C`` of a 1-D convolution: ``C @ x == conv1d(x, kernel, stride)``."""
    windows = conv_windows(size, len(kernel), stride)
    matrix = torch.zeros(len(windows), size)
    for row, window in enumerate(windows):
        for weight, tap in zip(kernel, window.taps, strict=True):
            matrix[row, tap] = weight
    return matrix


def bridge_figure(
    size: int = 5, kernel: Sequence[int] = (1, 2, 3), strides: Sequence[int] = (1, 2)
) -> Figure:
    """For each stride, ``Cᵀ`` of a 1-D convolution times an input ``y``, and ``Cᵀy``:
    from one column of ``Cᵀ`` to the next the kernel moves down ``stride`` rows, so the
    values it spreads land ``stride`` cells apart."""
    blocks = [strided_matrix(size, kernel, stride) for stride in strides]
    width = sum(matrix.shape[0] + 6 for matrix in blocks) - 2
    figure = Figure(figsize=(0.45 * width + 0.2, 0.45 * (size + 2.2)))
    ax = figure.subplots()
    x = 0.0
    for stride, matrix in zip(strides, blocks, strict=True):
        outputs = matrix.shape[0]
        y = torch.arange(1.0, outputs + 1)
        for r, row in enumerate(matrix.T.tolist()):
            for c, v in enumerate(row):
                cell(ax, r, x + c, KERNEL_FILL if v else PADDING, label=format_number(v),
                     fontsize=9)  # fmt: skip
        ax.text(x + outputs / 2, -0.35, f"stride {stride}: Cᵀ, {size}×{outputs}", ha="center",
                va="bottom", fontsize=9)  # fmt: skip
        for r, v in enumerate(y.tolist()):
            cell(ax, r, x + outputs + 1, INPUT, label=format_number(v), fontsize=9)
        ax.text(x + outputs + 1.5, -0.35, "y", ha="center", va="bottom", fontsize=9)
        ax.text(x + outputs + 2.5, size / 2, "=", ha="center", va="center", fontsize=12)
        for r, v in enumerate((matrix.T @ y).tolist()):
            cell(ax, r, x + outputs + 3, OUTPUT, label=format_number(v), fontsize=9)
        ax.text(x + outputs + 3.5, -0.35, "Cᵀy", ha="center", va="bottom", fontsize=9)
        x += outputs + 6
    ax.set_xlim(-0.1, width + 0.1)
    ax.set_ylim(size + 0.1, -1.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return figure


def bridge_facts(
    size: int = 5, kernel: Sequence[int] = (1, 2, 3), strides: Sequence[int] = (1, 2)
) -> dict[str, int | str]:
    """The shapes of each ``Cᵀ`` ``bridge_figure`` draws and how far apart the kernel's
    copies start in consecutive columns."""
    facts: dict[str, int | str] = {"size": size, "kernel": len(kernel)}
    for i, stride in enumerate(strides, start=1):
        matrix = strided_matrix(size, kernel, stride)
        # Row o of C is column o of Cᵀ: where its first weight sits.
        starts = [int(torch.nonzero(row)[0]) for row in matrix]
        facts |= {
            f"s{i}": stride,
            f"s{i}_outputs": matrix.shape[0],
            f"s{i}_shift": starts[1] - starts[0] if len(starts) > 1 else 0,
        }
    return facts
