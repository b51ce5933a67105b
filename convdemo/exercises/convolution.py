"""Exercises of chapter 1, the convolution operation: one output by hand, the shapes of a
layer, what a layer refuses, choosing a layer, and why one mask on every channel is a
mask on their sum.

The grid of the exercise worked by hand is a module constant, written out here::

    GRID          KERNEL
    1 2 0 1        1 0 −1
    0 1 3 2        2 0 −2
    2 0 1 1        1 0 −1
    1 3 2 0

``KERNEL`` is a Sobel mask: it responds to brightness falling from left to right.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.kit import (
    Facts,
    call,
    conv_size_steps,
    exercise,
    explorer_hash,
    grid_text,
    products_steps,
    raised,
    shape_text,
    side_by_side,
    tensor_source,
)

__all__ = [
    "GRID",
    "KERNEL",
    "by_hand",
    "choose_layer",
    "layer_shapes",
    "one_mask",
    "wrong_channels",
]

GRID: tuple[tuple[float, ...], ...] = ((1, 2, 0, 1), (0, 1, 3, 2), (2, 0, 1, 1), (1, 3, 2, 0))
KERNEL: tuple[tuple[float, ...], ...] = ((1, 0, -1), (2, 0, -2), (1, 0, -1))


@exercise("value")
def by_hand(row: int, col: int, bias: float) -> Facts:
    """One output of ``nn.Conv2d(1, 1, 3)`` holding ``KERNEL`` and ``bias``, on ``GRID``."""
    x = torch.tensor(GRID, dtype=torch.float32).view(1, 1, len(GRID), len(GRID[0]))
    w = torch.tensor(KERNEL, dtype=torch.float32).view(1, 1, len(KERNEL), len(KERNEL[0]))
    y = F.conv2d(x, w, torch.tensor([bias]))
    k = w.shape[-1]
    window = x[0, 0, row : row + k, col : col + k]
    pairs = list(zip(w.flatten().tolist(), window.flatten().tolist(), strict=True))
    value = float(y[0, 0, row, col])
    code = "\n".join(
        [
            "import torch",
            "import torch.nn.functional as F",
            tensor_source("x", GRID, x.shape),
            tensor_source("w", KERNEL, w.shape),
            f"print(F.conv2d(x, w, torch.tensor([{float(bias)!r}]))[0, 0, {row}, {col}].item())",
        ]
    )
    return {
        "layer": call("nn.Conv2d", 1, 1, k),
        "grids": side_by_side(("input", GRID), ("kernel", KERNEL)),
        "window": grid_text(window.tolist()),
        "size": x.shape[-1],
        "kernel": k,
        "bias": bias,
        "row": row,
        "col": col,
        "last_row": row + k - 1,
        "last_col": col + k - 1,
        "steps": products_steps(pairs, bias, value),
        "value": value,
        "out": y.shape[-1],
        "out_steps": conv_size_steps(x.shape[-1], k),
        "code": code,
        "result": str(value),
    }


@exercise("shape")
def layer_shapes(
    batch: int, in_channels: int, size: int, out_channels: int, kernel_size: int
) -> Facts:
    """``nn.Conv2d(in_channels, out_channels, kernel_size)`` on a batch of images: the
    output's shape, the weight's and bias's, and the parameter count."""
    layer = nn.Conv2d(in_channels, out_channels, kernel_size)
    x = torch.zeros(batch, in_channels, size, size)
    with torch.no_grad():
        out = layer(x)
    source = call("nn.Conv2d", in_channels, out_channels, kernel_size=kernel_size)
    weights, biases = layer.weight.numel(), layer.bias.numel() if layer.bias is not None else 0
    return {
        "layer": source,
        "input": shape_text(x.shape),
        "batch": batch,
        "in_channels": in_channels,
        "out_channels": out_channels,
        "kernel": kernel_size,
        "size": size,
        "out_steps": conv_size_steps(size, kernel_size),
        "output": shape_text(out.shape),
        "weight": shape_text(layer.weight.shape),
        "weights": weights,
        "biases": biases,
        "parameters": sum(p.numel() for p in layer.parameters()),
        "explorer": explorer_hash(
            "conv2d", x.shape, out_channels=out_channels, kernel_size=kernel_size
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
        "result": f"{out.shape}\n{sum(p.numel() for p in layer.parameters())}",
    }


@exercise("error")
def wrong_channels(in_channels: int, out_channels: int, kernel_size: int, size: int) -> Facts:
    """A layer made for ``in_channels`` given a one-channel (grey) image."""
    source = call("nn.Conv2d", in_channels, out_channels, kernel_size)
    grey = (1, 1, size, size)
    kind, message = raised(
        lambda: nn.Conv2d(in_channels, out_channels, kernel_size)(torch.zeros(grey))
    )
    return {
        "layer": source,
        "input": shape_text(grey),
        "in_channels": in_channels,
        "error_type": kind,
        "error": message,
        "weight": shape_text((out_channels, in_channels, kernel_size, kernel_size)),
        "grey_layer": call("nn.Conv2d", 1, out_channels, kernel_size),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"{source}(torch.zeros{shape_text(grey)})",
            ]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def choose_layer(in_channels: int, size: int, out_channels: int, out_size: int) -> Facts:
    """The stride-1, unpadded layer that maps ``in_channels×size×size`` to
    ``out_channels×out_size×out_size``: the kernel size from ``n − k + 1 = out``."""
    kernel_size = size - out_size + 1
    if kernel_size < 1:
        raise ValueError(f"out_size must be at most size ({size}), got {out_size}")
    layer = nn.Conv2d(in_channels, out_channels, kernel_size)
    x = torch.zeros(1, in_channels, size, size)
    with torch.no_grad():
        out = layer(x)
    source = call("nn.Conv2d", in_channels, out_channels, kernel_size)
    parameters = sum(p.numel() for p in layer.parameters())
    return {
        "in_channels": in_channels,
        "size": size,
        "out_channels": out_channels,
        "out_size": out_size,
        "kernel": kernel_size,
        "kernel_steps": f"k = n − out + 1 = {size} − {out_size} + 1 = {kernel_size}",
        "layer": source,
        "output": shape_text(out.shape),
        "parameters": parameters,
        "parameter_steps": (
            f"C_out·C_in·k·k + C_out = {out_channels}·{in_channels}·{kernel_size}·{kernel_size}"
            f" + {out_channels} = {parameters}"
        ),
        "explorer": explorer_hash(
            "conv2d", x.shape, out_channels=out_channels, kernel_size=kernel_size
        ),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"print({source}(torch.zeros{shape_text(x.shape)}).shape)",
            ]
        ),
        "result": str(out.shape),
    }


@exercise("concept")
def one_mask(channels: int, size: int, kernel_size: int) -> Facts:
    """The same mask on every channel equals that mask on the channels' sum; the check
    runs on random data (seeded, so the facts do not change from build to build)."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, channels, size, size, generator=generator)
    w = torch.randn(1, 1, kernel_size, kernel_size, generator=generator)
    same = torch.allclose(
        F.conv2d(x, w.repeat(1, channels, 1, 1)), F.conv2d(x.sum(1, keepdim=True), w), atol=1e-5
    )
    return {
        "channels": channels,
        "size": size,
        "kernel": kernel_size,
        "weight": shape_text((1, channels, kernel_size, kernel_size)),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.randn(1, {channels}, {size}, {size})",
                f"w = torch.randn(1, 1, {kernel_size}, {kernel_size})",
                f"same_mask = F.conv2d(x, w.repeat(1, {channels}, 1, 1))",
                "on_the_sum = F.conv2d(x.sum(1, keepdim=True), w)",
                "print(torch.allclose(same_mask, on_the_sum, atol=1e-5))",
            ]
        ),
        "result": str(same),
    }
