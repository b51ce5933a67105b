"""Figures of the receptive field, and the numbers their captions quote.

The boxes come from the recurrence of ``convdemo.receptive``; the gradient maps from
autograd on the demo network; the gridding pattern from the same recurrence on sets of
offsets. The tests check all three against PyTorch layers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from convdemo.cells import cell, frame, outline
from convdemo.receptive import measure_demo, reached_offsets, receptive_fields, stack
from convdemo.style import DIVERGING, KERNEL, OUTPUT

__all__ = [
    "SHOWN",
    "demo_field_facts",
    "field_gradients_figure",
    "field_photo_figure",
    "gridding_facts",
    "gridding_figure",
    "growth_facts",
    "growth_figure",
]

#: The layers the figures show; each ReLU keeps the field of the layer before it.
SHOWN = ("conv1", "pool1", "conv2", "pool2")
#: Pixels of photo around the deepest field in the zoomed panels.
MARGIN = 3
#: How each shown layer's box is drawn: convolutions vermillion, poolings green.
STYLES = {
    "conv1": (KERNEL, "-"),
    "pool1": (OUTPUT, "-"),
    "conv2": (KERNEL, "--"),
    "pool2": (OUTPUT, "--"),
}


def demo_field_facts(image: torch.Tensor) -> dict[str, int]:
    """The numbers both photo figures draw: per layer of ``DemoNet`` (``conv1_r``,
    ``pool2_j``, ``conv2_grad_h``…) its kernel, stride, field, jump, centre output and
    the gradient's box; the photo's size; and in how many layers the gradient's box is
    exactly the computed field (``agree`` of ``layers``)."""
    footprints, _ = measure_demo(image)
    facts = {
        f"{layer}_{key}": value for layer, row in footprints.items() for key, value in row.items()
    }
    agree = sum(
        (row["grad_top"], row["grad_left"], row["grad_h"], row["grad_w"])
        == (row["top"], row["left"], row["r"], row["r"])
        for row in footprints.values()
    )
    facts.update(
        height=image.shape[-2],
        width=image.shape[-1],
        kernel=footprints["conv1"]["k"],
        pool=footprints["pool1"]["k"],
        layers=len(footprints),
        shown=len(SHOWN),
        agree=agree,
    )
    return facts


def _crop(footprints: dict[str, dict[str, int]]) -> tuple[int, int, int]:
    """``(top, left, side)`` of the square shown zoomed: the deepest field and a margin."""
    last = footprints[SHOWN[-1]]
    return last["top"] - MARGIN, last["left"] - MARGIN, last["r"] + 2 * MARGIN


def _box(ax: Axes, row: dict[str, int], colour: str, style: str, label: str | None) -> None:
    """An outline around ``row``'s field, in pixel-edge coordinates."""
    ax.add_patch(
        Rectangle(
            (row["left"], row["top"]),
            row["r"],
            row["r"],
            fill=False,
            edgecolor=colour,
            linestyle=style,
            linewidth=2.5,
            label=label,
        )
    )


def field_photo_figure(image: torch.Tensor) -> Figure:
    """The photo, and a zoom on its centre with the receptive field of the centre output
    of each layer of ``DemoNet`` outlined."""
    footprints, _ = measure_demo(image)
    top, left, side = _crop(footprints)
    height, width = image.shape[-2:]
    pixels = image[0].permute(1, 2, 0).clamp(0, 1).numpy()
    figure = Figure(figsize=(7.6, 3.6), layout="constrained")
    whole, zoom = figure.subplots(1, 2, gridspec_kw={"width_ratios": [width / height, 1]})
    whole.imshow(pixels, extent=(0, width, height, 0))
    whole.add_patch(Rectangle((left, top), side, side, fill=False, edgecolor=KERNEL, linewidth=2))
    whole.set_title(f"photo, {height}×{width}", fontsize=10)
    zoom.imshow(
        pixels[top : top + side, left : left + side], extent=(left, left + side, top + side, top)
    )
    for layer in reversed(SHOWN):  # the largest first, so no box hides a smaller one
        row = footprints[layer]
        colour, style = STYLES[layer]
        _box(zoom, row, colour, style, f"{layer}: {row['r']}×{row['r']}")
    zoom.set_title(f"zoom: {side}×{side} pixels", fontsize=10)
    handles, labels = zoom.get_legend_handles_labels()
    zoom.legend(
        handles[::-1],
        labels[::-1],
        loc="center left",
        bbox_to_anchor=(1.02, 0.5),
        fontsize=9,
        frameon=False,
    )
    for ax in (whole, zoom):
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    return figure


def field_gradients_figure(image: torch.Tensor) -> Figure:
    """For each shown layer, ``|∂y/∂x|`` of its centre output on the zoomed region, with
    the field the recurrence computes outlined."""
    footprints, maps = measure_demo(image)
    top, left, side = _crop(footprints)
    figure = Figure(figsize=(7.6, 2.6), layout="constrained")
    for ax, layer in zip(figure.subplots(1, len(SHOWN)), SHOWN, strict=True):
        region = maps[layer][top : top + side, left : left + side]
        limit = float(region.max())
        # Magnitudes on the blue half of the site's diverging map: white where zero.
        ax.imshow(
            -region.numpy(),
            cmap=DIVERGING,
            norm=Normalize(-limit, limit),
            extent=(left, left + side, top + side, top),
        )
        row = footprints[layer]
        _box(ax, row, KERNEL, "-", None)
        ax.set_title(
            f"{layer}\nfield {row['r']}×{row['r']}\ngradient {row['grad_h']}×{row['grad_w']}",
            fontsize=9,
        )
        ax.set_xticks([])
        ax.set_yticks([])
    return figure


def growth_facts(
    kernel_size: int = 3, dilations: Sequence[int] = (1, 2, 4, 8)
) -> dict[str, int | str]:
    """The numbers ``growth_figure`` draws: the field after each layer with the dilations
    (``dilated_1``…) and with dilation 1 throughout (``plain_1``…), also as lists."""
    dilated = [field.size for field in receptive_fields(stack(kernel_size, dilations))]
    plain = [field.size for field in receptive_fields(stack(kernel_size, [1] * len(dilations)))]
    facts: dict[str, int | str] = {
        "kernel": kernel_size,
        "layers": len(dilations),
        "dilations": ", ".join(str(d) for d in dilations),
        "dilated": ", ".join(str(r) for r in dilated),
        "plain": ", ".join(str(r) for r in plain),
        "dilated_last": dilated[-1],
        "plain_last": plain[-1],
    }
    for index, (wide, narrow) in enumerate(zip(dilated, plain, strict=True)):
        facts[f"dilated_{index + 1}"], facts[f"plain_{index + 1}"] = wide, narrow
    return facts


def growth_figure(kernel_size: int = 3, dilations: Sequence[int] = (1, 2, 4, 8)) -> Figure:
    """Receptive field against depth: doubling dilations, and dilation 1 throughout."""
    facts = growth_facts(kernel_size, dilations)
    depth = range(1, len(dilations) + 1)
    figure = Figure(figsize=(6.0, 3.4), layout="constrained")
    ax = figure.subplots()
    series = (  # values above the upper line, below the lower one
        ("dilated", KERNEL, "o", f"dilations {facts['dilations']}", (0, 8), "bottom"),
        ("plain", OUTPUT, "s", "dilation 1 in every layer", (0, -9), "top"),
    )
    for key, colour, marker, label, offset, align in series:
        values = [int(facts[f"{key}_{layer}"]) for layer in depth]
        ax.plot(depth, values, color=colour, marker=marker, linewidth=2, label=label)
        for layer, value in zip(depth, values, strict=True):
            ax.annotate(
                str(value),
                (layer, value),
                textcoords="offset points",
                xytext=offset,
                ha="center",
                va=align,
                fontsize=9,
            )
    ax.set_xticks(list(depth))
    ax.set_xlabel(f"{kernel_size}×{kernel_size} layers stacked")
    ax.set_ylabel("receptive field (cells per side)")
    ax.set_ylim(0, int(facts["dilated_last"]) * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    return figure


def gridding_facts(
    kernel_size: int = 3, dilations: Sequence[int] = (2, 2, 2), remedy: Sequence[int] = (1, 2, 3)
) -> dict[str, int | str]:
    """The numbers ``gridding_figure`` draws: for the repeated dilation (``grid_…``) and
    for the remedy (``remedy_…``), the field's side and cells, how many of them reach the
    output and how many do not; and ``dilation``, the step of the repeated lattice."""
    facts: dict[str, int | str] = {"kernel": kernel_size, "layers": len(dilations)}
    for key, chosen in (("grid", dilations), ("remedy", remedy)):
        layers = stack(kernel_size, chosen)
        side = receptive_fields(layers)[-1].size
        reached = len(reached_offsets(layers))
        facts.update(
            {
                f"{key}_dilations": ", ".join(str(d) for d in chosen),
                f"{key}_side": side,
                f"{key}_cells": side * side,
                f"{key}_reached": reached * reached,
                f"{key}_holes": side * side - reached * reached,
            }
        )
    # Every offset is a multiple of the dilations' common factor: the lattice's step.
    facts["dilation"] = math.gcd(*dilations)
    return facts


def gridding_figure(
    kernel_size: int = 3, dilations: Sequence[int] = (2, 2, 2), remedy: Sequence[int] = (1, 2, 3)
) -> Figure:
    """The input cells that reach one output: repeated dilation, then a remedy."""
    panels = [stack(kernel_size, chosen) for chosen in (dilations, remedy)]
    sides = [receptive_fields(layers)[-1].size for layers in panels]
    figure = Figure(figsize=(0.26 * sum(sides) + 1.2, 0.26 * max(sides) + 1.1))
    axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": sides})
    for ax, layers, chosen, side in zip(axes, panels, (dilations, remedy), sides, strict=True):
        offsets = set(reached_offsets(layers))
        for row in range(side):
            for col in range(side):
                cell(ax, row, col, OUTPUT if row in offsets and col in offsets else "white")
        centre = (side - 1) // 2  # the output sits over its field's centre
        outline(ax, centre, centre, 1, 1, KERNEL)
        reached = len(offsets) ** 2
        names = ", ".join(str(d) for d in chosen)
        frame(ax, side, side, f"dilations {names}:\n{reached} of {side * side} cells reach it")
    return figure
