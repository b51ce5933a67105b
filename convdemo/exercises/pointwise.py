"""Exercises of chapter 6, 1×1 convolution: a weighted sum across channels by hand, the
shapes of a strided 1×1 layer, an image whose channels come last, the widest bottleneck
within a budget of multiplications, and the 1×1 layer as a matrix product per pixel.

The channels of the exercise worked by hand, written out::

    CHANNELS
    first    second   third
    1  3     2  0     4  2
    0  2     1  5     0  6
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from convdemo.arithmetic import conv_multiplications
from convdemo.exercises.kit import (
    Facts,
    call,
    conv_size_steps,
    exercise,
    explorer_hash,
    grid_text,
    number,
    products_steps,
    raised,
    shape_text,
    side_by_side,
    stacked,
)

__all__ = ["CHANNELS", "as_linear", "bottleneck", "by_hand", "channels_last", "strided"]

CHANNELS: tuple[tuple[tuple[float, ...], ...], ...] = (
    ((1, 3), (0, 2)),
    ((2, 0), (1, 5)),
    ((4, 2), (0, 6)),
)
_NAMES = ("first", "second", "third")


@exercise("value")
def by_hand(weights: tuple[float, ...], bias: float) -> Facts:
    """``nn.Conv2d(3, 1, 1)`` holding ``weights`` and ``bias`` on ``CHANNELS``: every
    output pixel, each the channels' values at that pixel weighted and summed."""
    if len(weights) != len(CHANNELS):
        raise ValueError(f"weights must have {len(CHANNELS)} values, got {weights!r}")
    x = torch.tensor(CHANNELS, dtype=torch.float32)[None]
    w = torch.tensor(weights, dtype=torch.float32).view(1, len(weights), 1, 1)
    y = F.conv2d(x, w, torch.tensor([bias]))
    lines = []
    for i in range(x.shape[-2]):
        for j in range(x.shape[-1]):
            pairs = list(zip(weights, x[0, :, i, j].tolist(), strict=True))
            value = float(y[0, 0, i, j])
            lines.append(f"out[{i}, {j}] = {products_steps(pairs, bias, value)}")
    lines_code = [
        "import torch",
        "import torch.nn.functional as F",
        f"x = torch.tensor({[[list(map(float, row)) for row in c] for c in CHANNELS]!r})[None]",
        f"w = torch.tensor({[float(v) for v in weights]!r}).view(1, {len(weights)}, 1, 1)",
        f"print(F.conv2d(x, w, torch.tensor([{float(bias)!r}])))",
    ]
    return {
        "channels": len(CHANNELS),
        "grids": side_by_side(*zip(_NAMES, CHANNELS, strict=True)),
        "weights": ", ".join(number(v) for v in weights),
        "bias": bias,
        "input": shape_text(x.shape),
        "layer": call("nn.Conv2d", len(weights), 1, 1),
        "steps": "\n".join(lines),
        "output": grid_text(y[0, 0].tolist()),
        "out": y.shape[-1],
        "code": "\n".join(lines_code),
        "result": str(y),
    }


@exercise("shape")
def strided(batch: int, in_channels: int, size: int, out_channels: int, stride: int) -> Facts:
    """A 1×1 layer with a stride: its output and weight shapes, its parameters, and the
    share of the input's pixels it reads."""
    layer = nn.Conv2d(in_channels, out_channels, 1, stride=stride)
    x = torch.zeros(batch, in_channels, size, size)
    with torch.no_grad():
        out = layer(x)
    source = call("nn.Conv2d", in_channels, out_channels, 1, stride=stride)
    parameters = sum(p.numel() for p in layer.parameters())
    read = out.shape[-1] * out.shape[-2]
    return {
        "layer": source,
        "input": shape_text(x.shape),
        "size": size,
        "stride": stride,
        "out_steps": stacked(conv_size_steps(size, 1, stride)),
        "output": shape_text(out.shape),
        "weight": shape_text(layer.weight.shape),
        "parameters": parameters,
        "parameter_steps": (
            f"C_out·C_in + C_out = {out_channels}·{in_channels} + {out_channels} = {parameters}"
        ),
        "read": read,
        "pixels": size * size,
        "share": read / (size * size),
        "explorer": explorer_hash(
            "conv2d", x.shape, out_channels=out_channels, kernel_size=1, stride=stride
        ),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"layer = {source}",
                f"print(layer(torch.zeros{shape_text(x.shape)}).shape)",
                "print(sum(p.numel() for p in layer.parameters()))",
            ]
        ),
        "result": f"{out.shape}\n{parameters}",
    }


@exercise("error")
def channels_last(in_channels: int, out_channels: int, size: int) -> Facts:
    """An image batch laid out height × width × channels, as image libraries give it,
    handed to a 1×1 layer that expects the channels on axis 1."""
    source = call("nn.Conv2d", in_channels, out_channels, 1)
    shape = (1, size, size, in_channels)
    kind, message = raised(lambda: nn.Conv2d(in_channels, out_channels, 1)(torch.zeros(shape)))
    fixed = (1, in_channels, size, size)
    return {
        "layer": source,
        "input": shape_text(shape),
        "in_channels": in_channels,
        "size": size,
        "error_type": kind,
        "error": message,
        "permute": "x.permute(0, 3, 1, 2)",
        "fixed": shape_text(fixed),
        "output": shape_text((1, out_channels, size, size)),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"x = torch.zeros{shape_text(shape)}",
                f"{source}(x)",
            ]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def bottleneck(size: int, channels: int, masks: int, kernel_size: int, budget: float) -> Facts:
    """The widest 1×1 reduction ``r`` for which reducing then applying the masks costs at
    most ``budget`` of the direct layer's multiplications (same-size outputs):
    ``s²·r·(C + M·k²) ≤ b·s²·M·k²·C``, so ``r = ⌊b·M·k²·C / (C + M·k²)⌋``."""
    k, c, m = kernel_size, channels, masks
    widest = math.floor(budget * m * k * k * c / (c + m * k * k))
    if widest < 1:
        raise ValueError(f"no reduction fits a budget of {budget}")
    direct = conv_multiplications(size, size, c, m, k)

    def pair(reduced: int) -> int:
        return conv_multiplications(size, size, c, reduced, 1) + conv_multiplications(
            size, size, reduced, m, k
        )

    reduce = call("nn.Conv2d", c, widest, 1, bias=False)
    then = call("nn.Conv2d", widest, m, k, padding=k // 2, bias=False)
    top, bottom = budget * m * k * k * c, c + m * k * k
    return {
        "size": size,
        "channels": c,
        "masks": m,
        "kernel": k,
        "budget": budget,
        "reduced": widest,
        "reduced_steps": stacked(
            f"r = ⌊b·M·k·k·C / (C + M·k·k)⌋"
            f" = ⌊{number(budget)}·{m}·{k}·{k}·{c} / ({c} + {m}·{k}·{k})⌋"
            f" = ⌊{number(top)} / {number(bottom)}⌋ = {widest}"
        ),
        "direct": direct,
        "pair": pair(widest),
        "pair_share": pair(widest) / direct,
        "next": widest + 1,
        "next_share": pair(widest + 1) / direct,
        "reduce": reduce,
        "then": then,
        "explorer": explorer_hash("conv2d", (1, c, size, size), out_channels=widest, kernel_size=1),
        "output": shape_text((1, widest, size, size)),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                "from torch.utils.flop_counter import FlopCounterMode",
                f"x = torch.zeros(1, {c}, {size}, {size})",
                f"direct = nn.Conv2d({c}, {m}, {k}, padding={k // 2}, bias=False)",
                f"pair = nn.Sequential({reduce}, {then})",
                "counts = []",
                "for layer in (direct, pair):",
                "    with FlopCounterMode(display=False) as counter:",
                "        layer(x)",
                "    counts.append(counter.get_total_flops())",
                "print(counts[1] / counts[0])",
            ]
        ),
        "result": str(2 * pair(widest) / (2 * direct)),
    }


@exercise("concept")
def as_linear(channels: int, out_channels: int, size: int) -> Facts:
    """A 1×1 layer is ``nn.Linear`` applied to every pixel's channel vector: the same
    weights, viewed as a matrix, give the same output (checked on seeded random data)."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, channels, size, size, generator=generator)
    conv = nn.Conv2d(channels, out_channels, 1)
    linear = nn.Linear(channels, out_channels)
    with torch.no_grad():
        linear.weight.copy_(conv.weight.view(out_channels, channels))
        assert conv.bias is not None  # nn.Conv2d has a bias unless told otherwise
        linear.bias.copy_(conv.bias)
        same = torch.allclose(conv(x), linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2), atol=1e-5)
    return {
        "channels": channels,
        "out_channels": out_channels,
        "size": size,
        "pixels": size * size,
        "conv": call("nn.Conv2d", channels, out_channels, 1),
        "linear": call("nn.Linear", channels, out_channels),
        "conv_weight": shape_text(conv.weight.shape),
        "linear_weight": shape_text(linear.weight.shape),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"x = torch.randn(1, {channels}, {size}, {size})",
                f"conv = nn.Conv2d({channels}, {out_channels}, 1)",
                f"linear = nn.Linear({channels}, {out_channels})",
                "with torch.no_grad():",
                f"    linear.weight.copy_(conv.weight.view({out_channels}, {channels}))",
                "    linear.bias.copy_(conv.bias)",
                "    per_pixel = linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)",
                "    print(torch.allclose(conv(x), per_pixel, atol=1e-5))",
            ]
        ),
        "result": str(same),
    }
