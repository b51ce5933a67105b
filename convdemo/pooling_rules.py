"""Pooling in full: the rules PyTorch follows that the basic picture leaves out.

Average pooling over padding divides by the whole window by default
(``count_include_pad=True``); adaptive pooling chooses its windows to give the output
size asked for; pooling has no weights and works on each channel alone; and ReLU
commutes with max pooling but not with average pooling. Every value here is PyTorch's.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from convdemo.cells import format_number, frame, number_grid, text_colour
from convdemo.pooling import SIGNED_MAP
from convdemo.style import INK, INPUT, KERNEL, OUTPUT, PADDING, PRODUCT

__all__ = [
    "adaptive_facts",
    "adaptive_figure",
    "adaptive_windows",
    "average_padding_facts",
    "average_padding_figure",
    "pooling_in_code",
    "pooling_rule_facts",
]


def _values(size: int) -> torch.Tensor:
    return torch.tensor(
        [[float((3 * i + 5 * j + 2) % 4 + 1) for j in range(size)] for i in range(size)]
    )


def _average(
    x: torch.Tensor, kernel_size: int, padding: int, *, count_include_pad: bool
) -> torch.Tensor:
    """Average pooling of a 2-D map with stride 1."""
    pooled = F.avg_pool2d(
        x[None, None], kernel_size, 1, padding, count_include_pad=count_include_pad
    )
    return pooled[0, 0]


def average_padding_figure(size: int = 4, kernel_size: int = 3, padding: int = 1) -> Figure:
    """The input with its zero padding, and average pooling with and without the padded
    cells counted in the divisor (``count_include_pad``)."""
    x = _values(size)
    padded = F.pad(x[None, None], (padding,) * 4)[0, 0]
    counted = _average(x, kernel_size, padding, count_include_pad=True)
    left_out = _average(x, kernel_size, padding, count_include_pad=False)
    rows, out = padded.shape[0], counted.shape[0]
    figure = Figure(figsize=(0.4 * (3 * rows + 1.5), 0.4 * (rows + 1.6)))
    axes = figure.subplots(1, 3, gridspec_kw={"wspace": 0.1})

    def fill(r: int, c: int, v: float) -> str:
        inside = padding <= r < padding + size and padding <= c < padding + size
        return INPUT if inside else PADDING

    number_grid(axes[0], padded.tolist(), fill, f"input, padding {padding}\n", fontsize=9)
    number_grid(
        axes[1], counted.tolist(), OUTPUT, "count_include_pad=True\n(the default)", fontsize=8
    )
    number_grid(axes[2], left_out.tolist(), PRODUCT, "count_include_pad=False\n", fontsize=8)
    axes[0].add_patch(Rectangle((0, 0), kernel_size, kernel_size, fill=False, edgecolor=KERNEL,
                                linewidth=2.5, zorder=3))  # fmt: skip
    offset = (rows - out) / 2
    for ax in axes[1:]:
        # Same cell size as the input, the output centred beside it.
        ax.set_xlim(-offset - 0.1, out + offset + 0.1)
        ax.set_ylim(out + offset + 0.1, -offset - 0.1)
        ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, edgecolor=KERNEL, linewidth=2.5,
                               zorder=3))  # fmt: skip
    return figure


def average_padding_facts(
    size: int = 4, kernel_size: int = 3, padding: int = 1
) -> dict[str, float]:
    """The corner output both ways: its window's sum, and the two divisors."""
    x = _values(size)
    counted = _average(x, kernel_size, padding, count_include_pad=True)[0, 0]
    left_out = _average(x, kernel_size, padding, count_include_pad=False)[0, 0]
    inside = kernel_size - padding
    return {
        "size": size,
        "kernel": kernel_size,
        "padding": padding,
        "corner_sum": float(x[:inside, :inside].sum()),
        "window": kernel_size * kernel_size,
        "inside": inside * inside,
        "counted": float(counted),
        "left_out": float(left_out),
    }


# --8<-- [start:pooling-in-code]
def pooling_in_code(x: torch.Tensor) -> dict[str, torch.Tensor]:
    """``x`` (batch, channels, H, W) through the pooling layers of the chapter: blocks,
    overlapping windows, ``ceil_mode`` and ``count_include_pad``. Each pools every
    channel on its own, and none has a weight to learn."""
    layers = {
        "max": nn.MaxPool2d(2),  # the stride defaults to the kernel size
        "average": nn.AvgPool2d(2),
        "overlapping": nn.MaxPool2d(3, stride=1),
        "ceil_mode": nn.MaxPool2d(3, padding=1, ceil_mode=True),
        "count_include_pad": nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
    }
    return {name: layer(x) for name, layer in layers.items()}
    # --8<-- [end:pooling-in-code]


def adaptive_windows(size: int, output: int) -> list[tuple[int, int]]:
    """The ``[start, stop)`` of each window of adaptive pooling along one axis:
    ``start = ⌊i·n / out⌋``, ``stop = ⌈(i + 1)·n / out⌉``. Windows may overlap."""
    return [
        (math.floor(i * size / output), math.ceil((i + 1) * size / output)) for i in range(output)
    ]


def adaptive_figure(size: int = 7, output: int = 3) -> Figure:
    """A row of ``size`` cells and the ``output`` windows adaptive pooling reads."""
    windows = adaptive_windows(size, output)
    figure = Figure(figsize=(0.5 * (size + 2.2), 0.5 * (output + 2.4)))
    ax = figure.subplots()
    x = _values(size)[0]
    for c in range(size):
        ax.add_patch(Rectangle((c, 0), 1, 1, facecolor=INPUT, edgecolor=INK, linewidth=0.6))
        ax.text(c + 0.5, 0.5, format_number(float(x[c])), ha="center", va="center",
                fontsize=9, color=text_colour(INPUT))  # fmt: skip
    pooled = F.adaptive_avg_pool1d(x[None, None], output)[0, 0]
    for i, (start, stop) in enumerate(windows):
        y = 1.4 + i * 0.9
        ax.add_patch(Rectangle((start, y), stop - start, 0.7, facecolor=OUTPUT, edgecolor=INK,
                               linewidth=0.6))  # fmt: skip
        ax.text((start + stop) / 2, y + 0.35, f"mean {format_number(float(pooled[i]))}",
                ha="center", va="center", fontsize=9, color=text_colour(OUTPUT))  # fmt: skip
        ax.text(-0.2, y + 0.35, f"window {i}", ha="right", va="center", fontsize=9)
    for c in range(size):
        ax.text(c + 0.5, -0.25, str(c), ha="center", va="bottom", fontsize=8)
    frame(ax, 1.4 + output * 0.9, size)
    ax.set_xlim(-2.1, size + 0.1)
    ax.set_ylim(1.4 + output * 0.9, -0.9)
    ax.set_title(f"AdaptiveAvgPool1d({output}) on {size} cells", fontsize=10)
    return figure


def adaptive_facts(size: int = 7, output: int = 3) -> dict[str, int | str]:
    """The windows ``adaptive_figure`` draws, listed, and how many cells they share."""
    windows = adaptive_windows(size, output)
    # Neighbours overlap by one cell at most: ⌈x⌉ − ⌊x⌋ for the shared bound x.
    pairs = [max(0, a[1] - b[0]) for a, b in itertools.pairwise(windows)]
    reads = Counter(cell for start, stop in windows for cell in range(start, stop))
    if pairs and all(pairs):
        overlap = "Neighbouring windows share a cell."
    elif any(pairs):
        overlap = "Some neighbouring windows share a cell."
    else:
        overlap = "No two windows share a cell."
    return {
        "size": size,
        "output": output,
        "windows": ", ".join(f"{start}–{stop - 1}" for start, stop in windows),
        "shared": sum(count > 1 for count in reads.values()),  # cells, not pairs
        "overlap": overlap,
    }


def pooling_rule_facts(
    kernel_size: int = 3, padding: int = 2, channels: int = 3
) -> dict[str, float | str]:
    """PyTorch's own answers: the message for too much max-pooling padding, the
    parameters of a pooling layer, channels in and out, and ReLU against pooling on
    ``SIGNED_MAP`` (equal for max, not for average: the top-left values both ways)."""
    try:
        torch.nn.MaxPool2d(kernel_size, padding=padding)(torch.zeros(1, 1, 8, 8))
        message = ""
    except RuntimeError as error:
        message = str(error)
    layer = torch.nn.MaxPool2d(2)
    y = layer(torch.zeros(1, channels, 8, 8))
    x = torch.tensor(SIGNED_MAP, dtype=torch.float32)[None, None]
    max_commutes = torch.equal(F.relu(F.max_pool2d(x, 2)), F.max_pool2d(F.relu(x), 2))
    relu_then_avg = F.avg_pool2d(F.relu(x), 2)[0, 0, 0, 0]
    avg_then_relu = F.relu(F.avg_pool2d(x, 2))[0, 0, 0, 0]
    return {
        "kernel": kernel_size,
        "padding": padding,
        "half": kernel_size // 2,
        "error": message,
        "parameters": sum(p.numel() for p in layer.parameters()),
        "channels_in": channels,
        "channels_out": y.shape[1],
        "max_commutes": "yes" if max_commutes else "no",
        "relu_then_avg": float(relu_then_avg),
        "avg_then_relu": float(avg_then_relu),
    }
