"""What a convolution layer holds, and why it is built that way: weights, bias, counts.

``nn.Conv2d(C_in, C_out, k)`` holds ``C_out`` filters, each a ``C_in × k × k`` block of
weights, and one bias per filter: a weight tensor of shape
``(C_out, C_in / groups, k, k)`` and a bias of shape ``(C_out,)``. Output channel ``o``
at ``(i, j)`` is

    y[o, i, j] = b[o] + Σ_c Σ_m Σ_n w[o, c, m, n] · x_pad[c, s·i + d·m, s·j + d·n]

with ``x_pad`` the input with ``p`` zeros around it, ``s`` the stride and ``d`` the
dilation. This module counts those parameters, compares them with a fully connected
layer that maps the same input to the same output, and draws the layer's filters.
"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convdemo.arithmetic import conv_output_size
from convdemo.cells import frame
from convdemo.style import INK, KERNEL_FILL, OUTPUT, PRODUCT

__all__ = [
    "demo_layer",
    "layer_facts",
    "layer_figure",
    "rounded_in_words",
    "why_facts",
]


def demo_layer() -> tuple[int, int, int]:
    """``(C_in, C_out, k)`` of the demo network's first layer, as it is built."""
    from convdemo.network import DemoNet

    conv = DemoNet().conv1
    return conv.in_channels, conv.out_channels, conv.kernel_size[0]


def layer_facts(groups: int = 1) -> dict[str, int | str]:
    """Shapes and counts of the demo network's first layer, ``nn.Conv2d(C_in, C_out, k,
    groups=groups)``: the weight, the bias, the parameters."""
    in_channels, out_channels, kernel_size = demo_layer()
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide in_channels and out_channels")
    per_filter = in_channels // groups * kernel_size * kernel_size
    weights = out_channels * per_filter
    return {
        "in_channels": in_channels,
        "out_channels": out_channels,
        "kernel": kernel_size,
        "groups": groups,
        "weight_shape": f"({out_channels}, {in_channels // groups}, {kernel_size}, {kernel_size})",
        "bias_shape": f"({out_channels},)",
        "per_filter": per_filter,
        "weights": weights,
        "biases": out_channels,
        "parameters": weights + out_channels,
    }


def why_facts(image: torch.Tensor) -> dict[str, float | str]:
    """The demo network's first layer against a fully connected layer on the photo: both
    map the ``C×H×W`` photo to the same maps; the fully connected one needs a weight for
    every pair of input and output values, and reads them all for every output."""
    _, out_channels, kernel_size = demo_layer()
    _, channels, height, width = image.shape
    out_h, out_w = conv_output_size(height, kernel_size), conv_output_size(width, kernel_size)
    conv = out_channels * channels * kernel_size * kernel_size + out_channels
    inputs, outputs = channels * height * width, out_channels * out_h * out_w
    dense = inputs * outputs + outputs
    return {
        "channels": channels,
        "height": height,
        "width": width,
        "out_channels": out_channels,
        "kernel": kernel_size,
        "out_h": out_h,
        "out_w": out_w,
        "inputs": inputs,
        "outputs": outputs,
        "conv_parameters": conv,
        "dense_parameters": dense,
        "ratio": dense / conv,
        "ratio_words": rounded_in_words(dense / conv),
        "reads": channels * kernel_size * kernel_size,
    }


def rounded_in_words(value: float) -> str:
    """``value`` to two significant figures, large ones read in millions or billions:
    118801255.3 gives "120 million", 2.46e9 "2.5 billion", 1234.5 "1,200"."""
    rounded = float(f"{value:.2g}")
    for scale, name in ((1e9, "billion"), (1e6, "million")):
        if rounded >= scale:
            return f"{rounded / scale:g} {name}"
    return f"{rounded:,.0f}" if rounded >= 1 else f"{rounded:g}"


def _block(ax: object, x: float, y: float, size: float, depth: int, fill: str) -> None:
    """A ``depth``-deep stack of squares, drawn from the back: a C_in × k × k block."""
    step = size * 0.18
    for layer in reversed(range(depth)):
        ax.add_patch(  # type: ignore[attr-defined]
            Rectangle(
                (x + layer * step, y + layer * step),
                size,
                size,
                facecolor=fill,
                edgecolor=INK,
                linewidth=0.7,
            )
        )


def layer_figure(groups: int = 1) -> Figure:
    """The demo network's first layer: its filters, each a ``C_in``-deep block of ``k×k``
    weights, each with its bias, each making one map."""
    in_channels, out_channels, kernel_size = demo_layer()
    in_channels //= groups
    figure = Figure(figsize=(1.55 * out_channels + 0.6, 3.3))
    ax = figure.subplots()
    size = 1.0
    for o in range(out_channels):
        x = o * 1.7 + 0.2
        _block(ax, x, 1.15, size, in_channels, KERNEL_FILL)
        ax.text(x + size / 2, 3.15, f"filter {o}", ha="center", va="bottom", fontsize=9)
        ax.text(x + size / 2, 2.82, f"{in_channels}×{kernel_size}×{kernel_size}",
                ha="center", va="bottom", fontsize=9)  # fmt: skip
        ax.add_patch(Rectangle((x + 0.2, 0.55), 0.6, 0.35, facecolor=PRODUCT, edgecolor=INK,
                               linewidth=0.7))  # fmt: skip
        ax.text(x + 0.5, 0.72, f"b[{o}]", ha="center", va="center", fontsize=9, color=INK)
        ax.add_patch(Rectangle((x + 0.1, -0.25), 0.8, 0.5, facecolor=OUTPUT, edgecolor=INK,
                               linewidth=0.7))  # fmt: skip
        ax.text(x + 0.5, 0.0, f"map {o}", ha="center", va="center", fontsize=9, color=INK)
    frame(ax, 1, 1)
    ax.set_xlim(-0.1, out_channels * 1.7 + 0.3)
    ax.set_ylim(-0.4, 3.5)
    ax.set_aspect("equal")
    return figure
