"""1×1 (pointwise) convolution: a weighted sum across channels at every pixel.

With ``m`` input channels and weights ``a_1 … a_m``, a 1×1 convolution computes, at each
pixel, ``out = a_1·in_1 + a_2·in_2 + … + a_m·in_m``. It mixes channels and never looks
at neighbouring pixels. Its use: reduce the number of channels cheaply before an
expensive convolution.

Naming: this is *pointwise* convolution. *Depthwise* convolution is a different thing
(``groups = channels``: each channel filtered on its own, nothing mixed); a
*depthwise-separable* convolution is a depthwise convolution followed by a pointwise one.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from convdemo.arithmetic import conv_multiplications
from convdemo.cells import format_number, number_grid, text_colour
from convdemo.examples import DEMO_WEIGHTS
from convdemo.network import DemoNet
from convdemo.style import DIVERGING, INPUT, KERNEL, KERNEL_FILL, OUTPUT

__all__ = [
    "DEMO_WEIGHTS",
    "MAPS",
    "operation_counts",
    "operation_facts",
    "operations_figure",
    "pointwise",
    "pointwise_facts",
    "pointwise_figure",
    "pointwise_maps",
    "pointwise_maps_facts",
]

#: Four small 3×3 maps (channels) for the diagram.
MAPS: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((2, 0, 1), (4, 3, 0), (1, 1, 2)),
    ((0, 2, 2), (1, 0, 4), (3, 0, 1)),
    ((4, 4, 0), (0, 2, 0), (0, 1, 4)),
    ((1, 0, 3), (2, 2, 1), (0, 3, 0)),
)


# --8<-- [start:pointwise]
def pointwise(maps: torch.Tensor, weights: tuple[float, ...]) -> torch.Tensor:
    """A 1×1 convolution from ``len(weights)`` channels to one: ``Σ_k a_k · maps[:, k]``."""
    kernel = torch.tensor(weights, dtype=maps.dtype).view(1, len(weights), 1, 1)
    return F.conv2d(maps, kernel)


# --8<-- [end:pointwise]


def pointwise_facts(weights: tuple[float, ...] = DEMO_WEIGHTS) -> dict[str, float | str]:
    """The numbers ``pointwise_figure`` draws: the weights (``a1``…), the channels' top-left
    values (``in1_00``…), and the top-left output worked out: ``expression`` is the sum
    written out ("1·2 + 0.5·0 + …", a negative weight in parentheses) and ``out_00``
    its value."""
    maps = torch.tensor(MAPS, dtype=torch.float32).unsqueeze(0)
    result = pointwise(maps, weights)[0, 0]
    facts: dict[str, float | str] = {f"a{k + 1}": w for k, w in enumerate(weights)}
    facts["count"] = len(weights)
    facts["map_size"] = len(MAPS[0])
    facts["out_00"] = float(result[0, 0])
    terms = []
    for k, weight in enumerate(weights):
        facts[f"in{k + 1}_00"] = MAPS[k][0][0]
        shown = format_number(weight)
        terms.append(f"({shown})·{MAPS[k][0][0]}" if weight < 0 else f"{shown}·{MAPS[k][0][0]}")
    facts["expression"] = " + ".join(terms)
    return facts


def operation_counts(
    size: int, channels: int, masks: int, kernel_size: int, reduced: int
) -> dict[str, float]:
    """Multiplications for ``masks`` k×k masks on ``channels`` maps of ``size×size``,
    directly and after a 1×1 reduction to ``reduced`` channels (same-size outputs)."""
    direct = conv_multiplications(size, size, channels, masks, kernel_size)
    reduce = conv_multiplications(size, size, channels, reduced, 1)
    then = conv_multiplications(size, size, reduced, masks, kernel_size)
    return {
        "size": size,
        "channels": channels,
        "masks": masks,
        "kernel": kernel_size,
        "reduced": reduced,
        "direct": direct,
        "reduce": reduce,
        "then": then,
        "total": reduce + then,
        "saving": 1 - (reduce + then) / direct,
        "ratio": direct / (reduce + then),
    }


def operation_facts(
    size: int, channels: int, masks: int, kernel_size: int, reduced: int
) -> dict[str, float]:
    """``operation_counts``, and what PyTorch's FLOP counter says of the same two layers
    run on a ``1×channels×size×size`` input (``flops_direct``, ``flops_total``): it
    counts two FLOPs per multiplication, one multiply and one add."""
    from torch.utils.flop_counter import FlopCounterMode

    facts = operation_counts(size, channels, masks, kernel_size, reduced)
    x = torch.zeros(1, channels, size, size)
    pad = kernel_size // 2
    direct = torch.nn.Conv2d(channels, masks, kernel_size, padding=pad, bias=False)
    reduce = torch.nn.Conv2d(channels, reduced, 1, bias=False)
    then = torch.nn.Conv2d(reduced, masks, kernel_size, padding=pad, bias=False)
    with torch.no_grad():
        with FlopCounterMode(display=False) as counter:
            direct(x)
        facts["flops_direct"] = counter.get_total_flops()
        with FlopCounterMode(display=False) as counter:
            then(reduce(x))
        facts["flops_total"] = counter.get_total_flops()
    facts["flops_per_mac"] = facts["flops_direct"] / facts["direct"]
    return facts


def operations_figure(
    size: int, channels: int, masks: int, kernel_size: int, reduced: int
) -> Figure:
    """Bar chart: multiplications directly versus through a 1×1 reduction."""
    counts = operation_counts(size, channels, masks, kernel_size, reduced)
    figure = Figure(figsize=(6.4, 2.6), layout="constrained")
    ax = figure.subplots()
    k = kernel_size
    ax.barh(1, counts["direct"], color=KERNEL, label=f"{k}×{k} convolution")
    ax.barh(0, counts["reduce"], color=OUTPUT, label="1×1 reduction")
    ax.barh(0, counts["then"], left=counts["reduce"], color=KERNEL, hatch="//", edgecolor="white")
    ax.set_yticks(
        [1, 0], [f"direct:\n{channels} → {masks} channels", f"1×1 to {reduced},\nthen {k}×{k}"]
    )
    for y, value in ((1, counts["direct"]), (0, counts["total"])):
        ax.text(value, y, f"  {value:,.0f}", va="center", fontsize=9)
    ax.set_xlim(0, counts["direct"] * 1.28)
    ax.set_xlabel("multiplications")
    ax.ticklabel_format(axis="x", style="plain")
    ax.xaxis.set_major_formatter(lambda value, _: f"{value / 1e6:.0f} M")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def pointwise_figure(weights: tuple[float, ...] = DEMO_WEIGHTS) -> Figure:
    """The 1×1 convolution of four small maps, every weighted sum written out."""
    maps = torch.tensor(MAPS, dtype=torch.float32).unsqueeze(0)
    if len(weights) != maps.shape[1]:
        raise ValueError(f"weights must have {maps.shape[1]} entries, got {len(weights)}")
    result = pointwise(maps, weights)[0, 0].tolist()
    count = len(weights)
    figure = Figure(figsize=(2.0 * (count + 1) + 0.5, 3.2))
    axes = figure.subplots(1, count + 1)
    for k, ax in enumerate(axes[:count]):
        number_grid(ax, MAPS[k], INPUT, f"channel {k + 1}", fontsize=9)
        ax.text(
            1.5,
            3.6,
            f"× a{k + 1} = {format_number(weights[k])}",
            ha="center",
            va="top",
            fontsize=9,
            color=text_colour(KERNEL_FILL),  # on its own fill in either scheme
            bbox={"boxstyle": "round,pad=0.3", "facecolor": KERNEL_FILL, "edgecolor": "none"},
        )
        ax.set_ylim(4.1, -0.1)
    number_grid(axes[count], result, OUTPUT, "output = Σ a_k · channel_k", fontsize=9)
    axes[count].set_ylim(4.1, -0.1)
    return figure


def _mixed(image: torch.Tensor, weights: tuple[float, ...]) -> tuple[torch.Tensor, int]:
    """The 1×1 layer's output on the demo network's last maps, and how many maps it mixed."""
    with torch.no_grad():
        pooled = DemoNet()(image).pool2
        return pointwise(pooled, weights)[0, 0], pooled.shape[1]


def pointwise_maps_facts(
    image: torch.Tensor, weights: tuple[float, ...] = DEMO_WEIGHTS
) -> dict[str, float]:
    """The numbers ``pointwise_maps`` draws: the maps mixed, the weights, the map's size."""
    mixed, count = _mixed(image, weights)
    facts: dict[str, float] = {f"a{k + 1}": w for k, w in enumerate(weights)}
    facts.update(maps=count, height=mixed.shape[0], width=mixed.shape[1])
    return facts


def pointwise_maps(image: torch.Tensor, weights: tuple[float, ...] = DEMO_WEIGHTS) -> Figure:
    """The demo network's output through a 1×1 layer, before and after ReLU."""
    mixed, _ = _mixed(image, weights)
    limit = float(mixed.abs().max())
    height, width = mixed.shape
    figure = Figure(figsize=(6.4, 3.2 * height / width + 0.8), layout="constrained")
    axes = figure.subplots(1, 2, sharey=True)
    norm = Normalize(-limit, limit)
    for ax, values, label in (
        (axes[0], mixed, "before ReLU"),
        (axes[1], torch.relu(mixed), "after ReLU"),
    ):
        ax.imshow(values.numpy(), cmap=DIVERGING, norm=norm)
        ax.set_title(f"1×1 output, {label} ({height}×{width})", fontsize=9)
        ax.tick_params(labelsize=7)
    figure.colorbar(ScalarMappable(norm, DIVERGING), ax=axes, shrink=0.85, label="response")
    return figure
