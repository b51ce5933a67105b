"""Figures of grouped convolution, and the numbers their captions quote.

Every layer drawn here is a real ``nn.Conv2d``: its weight shape and parameter count are
read from the module, and which input channel each output channel reads is found by
running it (``convdemo.groups.reads``).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from convdemo.cells import cell, frame, text_colour
from convdemo.groups import dense_weight, reads, separable_counts
from convdemo.style import INK, INPUT, KERNEL, KERNEL_FILL, OUTPUT, PADDING, PADDING_HATCH

__all__ = [
    "block_facts",
    "block_figure",
    "connections_facts",
    "connections_figure",
    "cost_figure",
    "layers",
]

#: Line colours, group after group: neighbouring groups differ.
GROUP_COLOURS = (KERNEL, OUTPUT)


def layers(
    channels: int = 4, kernel_size: int = 3, groups: int = 2, multiplier: int = 2
) -> dict[str, tuple[str, nn.Conv2d]]:
    """The layers side by side, by key: a title and the module."""
    c, k = channels, kernel_size
    return {
        "standard": ("standard", nn.Conv2d(c, c, k)),
        "grouped": ("grouped", nn.Conv2d(c, c, k, groups=groups)),
        "depthwise": ("depthwise", nn.Conv2d(c, c, k, groups=c)),
        "multiplier": (f"depthwise, m={multiplier}", nn.Conv2d(c, multiplier * c, k, groups=c)),
        "pointwise": ("pointwise 1×1", nn.Conv2d(c, c, 1)),
    }


def _shape(conv: nn.Conv2d) -> str:
    return "×".join(str(n) for n in conv.weight.shape)


def connections_facts(
    channels: int = 4, kernel_size: int = 3, groups: int = 2, multiplier: int = 2
) -> dict[str, int | str]:
    """The numbers ``connections_figure`` draws, per layer (``standard_shape``,
    ``grouped_params``, ``depthwise_reads``…): the weight's shape, the parameters with
    bias, the groups, the output channels and how many input channels each one reads."""
    facts: dict[str, int | str] = {
        "channels": channels, "kernel": kernel_size, "groups": groups,
        "multiplier": multiplier, "panels": len(layers()),
    }  # fmt: skip
    for key, (_, conv) in layers(channels, kernel_size, groups, multiplier).items():
        facts[f"{key}_shape"] = _shape(conv)
        facts[f"{key}_params"] = sum(p.numel() for p in conv.parameters())
        facts[f"{key}_groups"] = conv.groups
        facts[f"{key}_out"] = conv.out_channels
        facts[f"{key}_reads"] = len(reads(conv)[0])
    return facts


def _boxes(ax: Axes, x: float, count: int, top: float, colour: str, name: str) -> list[float]:
    """``count`` channel boxes in a column from ``top`` down; their centres' heights."""
    centres = []
    for index in range(count):
        y = top + index
        ax.add_patch(Rectangle((x, y + 0.1), 1.0, 0.8, facecolor=colour, edgecolor=INK, lw=0.6))
        ax.text(x + 0.5, y + 0.5, f"{name}{index + 1}", ha="center", va="center", fontsize=9,
                color=text_colour(colour))  # fmt: skip
        centres.append(y + 0.5)
    return centres


def connections_figure(
    channels: int = 4, kernel_size: int = 3, groups: int = 2, multiplier: int = 2
) -> Figure:
    """Standard, grouped, depthwise (with and without a depth multiplier) and pointwise
    layers side by side: input channels left, output channels right, a line for each
    input an output reads, coloured by group; the weight shape and parameters below."""
    chosen = layers(channels, kernel_size, groups, multiplier)
    tallest = max(conv.out_channels for _, conv in chosen.values())
    figure = Figure(figsize=(1.56 * len(chosen), 0.42 * tallest + 1.9))
    for ax, (title, conv) in zip(figure.subplots(1, len(chosen)), chosen.values(), strict=True):
        inputs = _boxes(ax, 0.0, conv.in_channels, (tallest - conv.in_channels) / 2, INPUT, "x")
        outputs = _boxes(ax, 2.4, conv.out_channels, (tallest - conv.out_channels) / 2, OUTPUT, "y")
        per_group = conv.out_channels // conv.groups
        for output, read in enumerate(reads(conv)):
            colour = GROUP_COLOURS[(output // per_group) % len(GROUP_COLOURS)]
            for channel in read:
                ax.plot([1.0, 2.4], [inputs[channel], outputs[output]], color=colour, lw=1.4)
        params = sum(p.numel() for p in conv.parameters())
        ax.text(1.7, tallest + 0.3, f"weight\n{_shape(conv)}\n{params} parameters",
                ha="center", va="top", fontsize=9)  # fmt: skip
        ax.set_title(f"{title}\ngroups={conv.groups}", fontsize=9)
        ax.set_xlim(-0.1, 3.5)
        ax.set_ylim(tallest + 1.9, -0.1)
        ax.set_aspect("equal")
        ax.set_axis_off()
    return figure


def block_facts(
    channels: int = 4, kernel_size: int = 3, groups: Sequence[int] = (1, 2, 4)
) -> dict[str, int]:
    """The numbers ``block_figure`` draws: per ``groups`` value, in order (``masks_1``…),
    the masks a standard layer would have that the grouped one keeps, and the zeros."""
    facts = {"channels": channels, "kernel": kernel_size, "all": channels * channels}
    for index, g in enumerate(groups):
        conv = nn.Conv2d(channels, channels, kernel_size, groups=g)
        dense = dense_weight(conv.weight.detach(), g)
        kept = int((dense.flatten(2).abs().sum(2) != 0).sum())
        facts[f"groups_{index + 1}"] = g
        facts[f"masks_{index + 1}"] = kept
        facts[f"zeros_{index + 1}"] = channels * channels - kept
    return facts


def block_figure(
    channels: int = 4, kernel_size: int = 3, groups: Sequence[int] = (1, 2, 4)
) -> Figure:
    """The weight of each grouped layer as the standard layer it equals: one cell per
    (output, input) channel pair, a k×k mask where it reads, a zero mask where not."""
    figure = Figure(figsize=(2.3 * len(groups) + 0.6, 3.0))
    for ax, g in zip(figure.subplots(1, len(groups)), groups, strict=True):
        conv = nn.Conv2d(channels, channels, kernel_size, groups=g)
        masks = dense_weight(conv.weight.detach(), g).flatten(2).abs().sum(2)
        for out in range(channels):
            for inp in range(channels):
                if masks[out, inp] != 0:
                    cell(
                        ax, out, inp, KERNEL_FILL, label=f"{kernel_size}×{kernel_size}", fontsize=8
                    )
                else:
                    cell(ax, out, inp, PADDING, hatch=PADDING_HATCH, label="0", fontsize=8)
        kept = int((masks != 0).sum())
        frame(ax, channels, channels, f"groups={g}: {kept} masks")
        for index in range(channels):
            ax.text(index + 0.5, -0.15, f"x{index + 1}", ha="center", va="bottom", fontsize=8)
            ax.text(-0.15, index + 0.5, f"y{index + 1}", ha="right", va="center", fontsize=8)
        ax.set_xlim(-0.8, channels + 0.1)
        ax.set_ylim(channels + 0.1, -0.7)
    return figure


def cost_figure(
    size: int = 56, in_channels: int = 128, out_channels: int = 128, kernel_size: int = 3
) -> Figure:
    """Bar chart: multiplications of the standard layer and of its depthwise-separable
    replacement (depthwise, then pointwise)."""
    facts = separable_counts(size, in_channels, out_channels, kernel_size)
    facts["separable"] = facts["depthwise"] + facts["pointwise"]
    k = kernel_size
    figure = Figure(figsize=(6.4, 2.5), layout="constrained")
    ax = figure.subplots()
    ax.barh(1, facts["standard"], color=KERNEL, label=f"{k}×{k} convolution")
    ax.barh(0, facts["depthwise"], color=KERNEL, hatch="//", edgecolor="white",
            label=f"{k}×{k} depthwise")  # fmt: skip
    ax.barh(0, facts["pointwise"], left=facts["depthwise"], color=OUTPUT, label="1×1 pointwise")
    ax.set_yticks(
        [1, 0], [f"standard\n{in_channels} → {out_channels}", "depthwise,\nthen pointwise"]
    )
    for y, value in ((1, facts["standard"]), (0, facts["separable"])):
        ax.text(value, y, f"  {value:,.0f}", va="center", fontsize=9)
    ax.set_xlim(0, facts["standard"] * 1.3)
    ax.set_xlabel(f"multiplications, {size}×{size} output")
    ax.xaxis.set_major_formatter(lambda value, _: f"{value / 1e6:.0f} M")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return figure
