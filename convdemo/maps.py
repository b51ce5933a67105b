"""Figures of images and feature maps: the input photo and what the filters make of it.

Signed maps (before ReLU) use a diverging colour map centred on zero, with the same
scale for the rows before and after ReLU, so "both signs before, only positive after"
shows as blue and red turning into white and red.
"""

from __future__ import annotations

import torch
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo.arithmetic import conv_output_size, effective_kernel_size, pool_output_size
from convdemo.cells import format_number, number_grid
from convdemo.filters import FILTER_NAMES, RAMP, edge_filters
from convdemo.network import POOL_SIZE, DemoNet, DemoOutputs
from convdemo.style import DIVERGING

__all__ = [
    "channel_sum",
    "channel_sum_facts",
    "channel_sum_figure",
    "feature_maps",
    "feature_maps_facts",
    "filters_facts",
    "filters_figure",
    "layer_sizes",
    "photo",
    "photo_facts",
]

LAYERS = ("conv1", "conv2")


def photo(image: torch.Tensor) -> Figure:
    """The input photo with pixel axes, titled with its size in the ``C×H×W`` convention."""
    _, channels, height, width = image.shape
    figure = Figure(figsize=(4.0, 4.0 * height / width + 0.4))
    ax = figure.subplots()
    pixels = image[0].permute(1, 2, 0).clamp(0, 1).numpy()
    ax.imshow(pixels if channels == 3 else pixels[:, :, 0], cmap=None if channels == 3 else "gray")
    ax.set_title(f"input: {channels}×{height}×{width}")
    ax.set_xlabel("column (pixels)")
    ax.set_ylabel("row (pixels)")
    return figure


def photo_facts(image: torch.Tensor) -> dict[str, int]:
    """The numbers ``photo`` draws: the photo's batch, channels, height and width."""
    batch, channels, height, width = image.shape
    return {"batch": batch, "channels": channels, "height": height, "width": width}


def filters_figure() -> Figure:
    """The four 5×5 filters, each weight written in its cell, coloured by sign."""
    filters = edge_filters()
    cmap = colormaps[DIVERGING]
    norm = Normalize(-1, 1)
    figure = Figure(figsize=(9.0, 2.7))
    for index, ax in enumerate(figure.subplots(1, len(filters))):
        values = filters[index].tolist()
        number_grid(
            ax,
            values,
            lambda r, c, v: cmap(norm(v)),
            f"filter {index + 1}: {FILTER_NAMES[index]}",
            fontsize=8,
        )
    return figure


def layer_sizes(height: int, width: int, stride: int = 1, dilation: int = 1) -> dict[str, int]:
    """Height and width after each layer of ``DemoNet``, from the size arithmetic."""
    kernel = edge_filters().shape[-1]
    sizes = {}
    for axis, size in (("h", height), ("w", width)):
        conv1 = conv_output_size(size, kernel, stride=stride, dilation=dilation)
        pool1 = pool_output_size(conv1, POOL_SIZE)
        conv2 = conv_output_size(pool1, kernel, stride=stride, dilation=dilation)
        for name, value in (
            ("conv1", conv1),
            ("pool1", pool1),
            ("conv2", conv2),
            ("pool2", pool_output_size(conv2, POOL_SIZE)),
        ):
            sizes[f"{name}_{axis}"] = value
    return sizes


def filters_facts() -> dict[str, int | str]:
    """The numbers ``filters_figure`` draws: how many filters, their size, the ramp."""
    filters = edge_filters()
    return {
        "filters": len(filters),
        "kernel": filters.shape[-1],
        "ramp": ", ".join(format_number(value) for value in RAMP),
        "ramp_min": format_number(min(RAMP)),
        "ramp_max": format_number(max(RAMP)),
    }


def feature_maps_facts(
    image: torch.Tensor, layer: str = "conv1", stride: int = 1, dilation: int = 1
) -> dict[str, int | str]:
    """The numbers ``feature_maps`` draws, with the same parameters: the size after every
    layer of ``DemoNet`` on ``image`` (``conv1_h``, ``pool1_w``…), the shown layer's
    (``layer_h``, ``layer_w``), and the network's shape: batch, input channels, filters,
    kernel, stride, dilation and the dilated span."""
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {LAYERS}, got {layer!r}")
    batch, channels, height, width = image.shape
    kernel = edge_filters().shape[-1]
    facts: dict[str, int | str] = dict(layer_sizes(height, width, stride, dilation))
    facts.update(
        layer_h=facts[f"{layer}_h"],
        layer_w=facts[f"{layer}_w"],
        layers=len(LAYERS),
        pool=POOL_SIZE,
        batch=batch,
        channels=channels,
        filters=len(FILTER_NAMES),
        kernel=kernel,
        stride=stride,
        dilation=dilation,
        span=effective_kernel_size(kernel, dilation),
    )
    return facts


def feature_maps(
    image: torch.Tensor, layer: str = "conv1", stride: int = 1, dilation: int = 1
) -> Figure:
    """One layer's four maps before ReLU (top row) and after (bottom row).

    Both rows share one colour scale, symmetric about zero, shown by a colour bar.
    """
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {LAYERS}, got {layer!r}")
    with torch.no_grad():
        outputs: DemoOutputs = DemoNet(stride=stride, dilation=dilation)(image)
    before = getattr(outputs, layer)[0]
    after = torch.relu(before)
    limit = float(before.abs().max())
    count, height, width = before.shape
    # Narrow enough to show at full size in the content column: its ticks stay legible.
    panel = 1.55  # inches across a map; about 0.3 of it go to ticks, labels and the bar
    figure = Figure(
        figsize=(panel * count + 1.2, 2 * (panel - 0.3) * height / width + 1.1),
        layout="constrained",
    )
    axes = figure.subplots(2, count, sharex=True, sharey=True)
    norm = Normalize(-limit, limit)
    for row, (maps, label) in enumerate(((before, "before ReLU"), (after, "after ReLU"))):
        for index in range(count):
            ax = axes[row][index]
            ax.imshow(maps[index].numpy(), cmap=DIVERGING, norm=norm)
            if row == 0:
                ax.set_title(f"filter {index + 1}", fontsize=9)
            ax.tick_params(labelsize=7.5)
        axes[row][0].set_ylabel(label, fontsize=9)
    figure.colorbar(ScalarMappable(norm, DIVERGING), ax=axes, shrink=0.8, label="response")
    figure.suptitle(
        f"{layer}: {count} maps of {height}×{width} (stride {stride}, dilation {dilation})",
        fontsize=10,
    )
    return figure


def channel_sum(image: torch.Tensor) -> torch.Tensor:
    """What every second-layer filter of ``DemoNet`` sees: the sum of the first layer's
    pooled maps. Each filter applies one mask to all its input channels, so
    ``conv2(pool1)[k] == conv2d(pool1.sum(channels), mask_k)``."""
    with torch.no_grad():
        summed: torch.Tensor = DemoNet()(image).pool1[0].sum(dim=0)
    return summed


def channel_sum_figure(image: torch.Tensor) -> Figure:
    """The summed first-layer maps: roughly where the photo has an edge of any kind."""
    summed = channel_sum(image)
    height, width = summed.shape
    figure = Figure(figsize=(3.6, 3.6 * height / width + 0.5), layout="constrained")
    ax = figure.subplots()
    shown = ax.imshow(summed.numpy(), cmap="Greys")
    ax.set_title(f"sum of the {len(FILTER_NAMES)} pooled maps, {height}×{width}", fontsize=9)
    ax.tick_params(labelsize=7.5)
    figure.colorbar(shown, ax=ax, shrink=0.8)
    return figure


def channel_sum_facts(image: torch.Tensor) -> dict[str, int]:
    """The numbers ``channel_sum_figure`` draws, and the second layer's pairs of opposite
    maps before ReLU: filter 2 is minus filter 1, filter 4 minus filter 3. After ReLU a
    pair differs, since ``relu(-a)`` keeps what ``relu(a)`` drops: ``rectified_distinct``
    counts the different maps then."""
    summed = channel_sum(image)
    with torch.no_grad():
        outputs = DemoNet()(image)
    conv2, relu2 = outputs.conv2[0], outputs.relu2[0]
    opposite = sum(bool(torch.equal(conv2[k + 1], -conv2[k])) for k in (0, 2))
    rectified = [m for i, m in enumerate(relu2) if not any(torch.equal(m, n) for n in relu2[:i])]
    return {
        "maps": len(FILTER_NAMES),
        "height": summed.shape[0],
        "width": summed.shape[1],
        "opposite_pairs": opposite,
        "distinct": len(FILTER_NAMES) - opposite,
        "rectified_distinct": len(rectified),
    }
