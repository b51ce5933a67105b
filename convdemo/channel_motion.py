"""Channels in motion: which input channels each output channel reads, for a standard,
a grouped, a depthwise and a pointwise (1×1) convolution side by side.

A 2-D convolution takes a 3-D tensor, ``(C, H, W)`` per example. Each output channel is
made by one filter, a block of ``C / groups`` slices of ``k×k`` weights, reading the input
channels of its group. One step per output channel; what each reads is found by
autograd on the real layer, not by the rule the picture illustrates.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo.animations import CODE_FONT, Animation
from convdemo.cells import text_colour
from convdemo.style import INK, INPUT, KERNEL, KERNEL_FILL, OUTPUT

__all__ = ["Variant", "channel_reads", "channels_animation", "channels_facts", "variants"]

TILE_W, TILE_H, ROW = 1.8, 0.9, 1.2  # a channel's tile, and the distance between rows
FILTER_X, OUTPUT_X = 4.2, 8.4  # where the filters and the output column start


@dataclass(frozen=True)
class Variant:
    """One panel: a name, and the layer's ``kernel_size`` and ``groups``."""

    name: str
    kernel_size: int
    groups: int

    def layer(self, channels: int) -> torch.nn.Conv2d:
        return torch.nn.Conv2d(channels, channels, self.kernel_size, groups=self.groups,
                               bias=False)  # fmt: skip

    def module(self, channels: int) -> str:
        groups = f", groups={self.groups}" if self.groups != 1 else ""
        return f"nn.Conv2d({channels}, {channels}, {self.kernel_size}{groups})"


def variants(channels: int, kernel_size: int, groups: int) -> tuple[Variant, ...]:
    """Standard, grouped, depthwise and pointwise, with ``channels`` in and out."""
    if channels < 2 or groups < 2 or channels % groups or groups == channels:
        raise ValueError(
            f"groups must divide channels and lie strictly between 1 and channels; "
            f"got channels={channels}, groups={groups}"
        )
    return (
        Variant("standard", kernel_size, 1),
        Variant("grouped", kernel_size, groups),
        Variant("depthwise", kernel_size, channels),
        Variant("pointwise (1×1)", 1, 1),
    )


def channel_reads(layer: torch.nn.Conv2d, channels: int, size: int = 5) -> list[list[int]]:
    """For each output channel, the input channels it depends on: the non-zero gradient
    of its sum, with every weight one so that nothing cancels."""
    kh, kw = layer.kernel_size[0], layer.kernel_size[-1]
    probe = torch.nn.Conv2d(channels, layer.out_channels, (kh, kw), groups=layer.groups,
                            bias=False)  # fmt: skip
    with torch.no_grad():
        probe.weight.fill_(1.0)
    reads = []
    for o in range(layer.out_channels):
        x = torch.zeros(1, channels, size, size, requires_grad=True)
        (grad,) = torch.autograd.grad(probe(x)[0, o].sum(), x)
        reads.append([c for c in range(channels) if bool(grad[0, c].abs().sum() > 0)])
    return reads


def _span(channels: list[int]) -> str:
    if len(channels) == 1:
        return f"channel {channels[0]}"
    if channels == list(range(channels[0], channels[-1] + 1)):
        return f"channels {channels[0]}–{channels[-1]}"
    return "channels " + ", ".join(map(str, channels))


def _tile(ax: Axes, x: float, row: int, fill: str, label: str) -> Rectangle:
    tile = Rectangle((x, row * ROW), TILE_W, TILE_H, facecolor=fill, edgecolor=INK, linewidth=0.7)
    ax.add_patch(tile)
    ax.text(x + TILE_W / 2, row * ROW + TILE_H / 2, label, ha="center", va="center",
            fontsize=9, color=text_colour(fill))  # fmt: skip
    return tile


def _panel(ax: Axes, animation: Animation, variant: Variant, channels: int) -> list[list[int]]:
    layer = variant.layer(channels)
    reads = channel_reads(layer, channels)
    for c in range(channels):
        _tile(ax, 0.0, c, INPUT, f"in {c}")
        _tile(ax, OUTPUT_X, c, "white", "")
    per_filter = channels // variant.groups
    for o, read in enumerate(reads):
        # The filter: its C/groups slices of k×k weights, drawn as a short stack.
        top = o * ROW + TILE_H / 2 - 0.5
        side = 0.35 + 0.22 * variant.kernel_size  # a 1×1 filter looks smaller than a 3×3
        for s in range(per_filter):
            square = Rectangle((FILTER_X + 0.16 * s, top + (1 - side) / 2 - 0.12 * s), side, side,
                               facecolor=KERNEL_FILL, edgecolor=KERNEL, linewidth=0.8)  # fmt: skip
            ax.add_patch(square)
            animation.add(square, o)
        shape = f"{per_filter}×{variant.kernel_size}×{variant.kernel_size}"
        label = ax.text(FILTER_X + 0.6, top + 1.35, shape, ha="center", va="top", fontsize=9)
        animation.add(label, o)
        for c in read:
            (line,) = ax.plot([TILE_W, FILTER_X], [c * ROW + TILE_H / 2, o * ROW + TILE_H / 2],
                              color=KERNEL, linewidth=1.4)  # fmt: skip
            animation.add(line, o)
        (arrow,) = ax.plot([FILTER_X + side + 0.2 + 0.16 * (per_filter - 1), OUTPUT_X],
                           [o * ROW + TILE_H / 2] * 2, color=KERNEL, linewidth=1.4)  # fmt: skip
        animation.add(arrow, o)
        filled = Rectangle((OUTPUT_X, o * ROW), TILE_W, TILE_H, facecolor=OUTPUT, edgecolor=INK,
                           linewidth=0.7)  # fmt: skip
        ax.add_patch(filled)
        animation.add(filled, o, "from")
        name = ax.text(OUTPUT_X + TILE_W / 2, o * ROW + TILE_H / 2, f"out {o}", ha="center",
                       va="center", fontsize=9, color=text_colour(OUTPUT))  # fmt: skip
        animation.add(name, o, "from")
        current = Rectangle((OUTPUT_X, o * ROW), TILE_W, TILE_H, fill=False, edgecolor=KERNEL,
                            linewidth=2.4)  # fmt: skip
        ax.add_patch(current)
        animation.add(current, o)
    weights = layer.weight.numel()
    ax.set_title(f"{variant.name}: {weights} weights\n{variant.module(channels)}", fontsize=9,
                 family=CODE_FONT, pad=4, y=1.0)  # fmt: skip
    ax.set_xlim(-0.1, OUTPUT_X + TILE_W + 0.1)
    ax.set_ylim(channels * ROW + 0.2, -0.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return reads


def channels_animation(channels: int = 4, kernel_size: int = 3, groups: int = 2) -> Animation:
    """Four panels, one step per output channel: the filter that makes it, the input
    channels that filter reads, and the output channels made so far."""
    panels = variants(channels, kernel_size, groups)
    width = OUTPUT_X + TILE_W
    height = channels * ROW + 1.6
    figure = Figure(figsize=(0.3 * (2 * width + 2.5), 0.3 * (2 * height + 1.8)))
    grid = figure.add_gridspec(2, 2, wspace=0.18, hspace=0.32, left=0.02, right=0.98,
                               top=0.88, bottom=0.02)  # fmt: skip
    figure.suptitle(f"input {channels}×H×W → output {channels}×H×W, one step per output channel",
                    fontsize=9, y=0.985)  # fmt: skip
    descriptions = [f"Output channel {o}:" for o in range(channels)]
    animation = Animation(figure, descriptions)
    for i, variant in enumerate(panels):
        reads = _panel(figure.add_subplot(grid[i // 2, i % 2]), animation, variant, channels)
        for o, read in enumerate(reads):
            descriptions[o] += f" {variant.name} reads input {_span(read)};"
    descriptions[:] = [d.rstrip(";") + "." for d in descriptions]
    return animation


def channels_facts(
    channels: int = 4, kernel_size: int = 3, groups: int = 2
) -> dict[str, int | str]:
    """The numbers ``channels_animation`` draws: each variant's weights and how many input
    channels one output channel reads."""
    facts: dict[str, int | str] = {"channels": channels, "kernel": kernel_size, "groups": groups,
                                   "steps": channels}  # fmt: skip
    for variant in variants(channels, kernel_size, groups):
        key = variant.name.split()[0]
        layer = variant.layer(channels)
        facts[f"{key}_weights"] = layer.weight.numel()
        facts[f"{key}_reads"] = len(channel_reads(layer, channels)[0])
        facts[f"{key}_module"] = variant.module(channels)
    return facts
