"""Exercises of chapter 3, stride and dilation: the full size formula, the padding that
halves, a dilated kernel worked out by hand, a span larger than the input, and the rows
a stride never reads.

The grid and kernel of the dilated exercise, written out::

    GRID              KERNEL
    1 4 2 0 3          1  0  2
    5 1 0 2 1          0  1  0
    0 2 3 1 4         −1  0  1
    2 0 1 5 0
    4 1 0 2 2
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
    stacked,
    tensor_source,
)

__all__ = ["GRID", "KERNEL", "dilated_by_hand", "full_formula", "halve", "span_too_wide", "unread"]

GRID: tuple[tuple[float, ...], ...] = (
    (1, 4, 2, 0, 3),
    (5, 1, 0, 2, 1),
    (0, 2, 3, 1, 4),
    (2, 0, 1, 5, 0),
    (4, 1, 0, 2, 2),
)
KERNEL: tuple[tuple[float, ...], ...] = ((1, 0, 2), (0, 1, 0), (-1, 0, 1))


def _span_steps(kernel_size: int, dilation: int) -> str:
    return f"d(k − 1) + 1 = {dilation}·({kernel_size} − 1) + 1 = {dilation * (kernel_size - 1) + 1}"


@exercise("shape")
def full_formula(
    size: int, out_channels: int, kernel_size: int, stride: int, padding: int, dilation: int
) -> Facts:
    """Stride, padding and dilation together on one layer."""
    arguments = {"stride": stride, "padding": padding, "dilation": dilation}
    source = call("nn.Conv2d", 1, out_channels, kernel_size, **arguments)
    shape = (1, 1, size, size)
    with torch.no_grad():
        layer = nn.Conv2d(1, out_channels, kernel_size, stride, padding, dilation)
        out = layer(torch.zeros(shape))
    return {
        "layer": source,
        "input": shape_text(shape),
        "span_steps": _span_steps(kernel_size, dilation),
        "out_steps": stacked(conv_size_steps(size, kernel_size, stride, padding, dilation)),
        "out": out.shape[-1],
        "output": shape_text(out.shape),
        "explorer": explorer_hash(
            "conv2d", shape, out_channels=out_channels, kernel_size=kernel_size, **arguments
        ),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"print({source}(torch.zeros{shape_text(shape)}).shape)",
            ]
        ),
        "result": str(out.shape),
    }


@exercise("design")
def halve(size: int, kernel_size: int, stride: int) -> Facts:
    """The padding that makes a strided layer's output ``size / stride``: the only one,
    as the neighbouring paddings show."""
    target = size // stride
    x = torch.zeros(1, 1, size, size)

    def out(padding: int) -> int:
        with torch.no_grad():
            return int(nn.Conv2d(1, 1, kernel_size, stride, padding)(x).shape[-1])

    found = [p for p in range(kernel_size) if out(p) == target]
    if len(found) != 1:
        raise ValueError(f"paddings {found} give {target}; the exercise needs exactly one")
    (padding,) = found
    source = call("nn.Conv2d", 1, 1, kernel_size, stride=stride, padding=padding)
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "target": target,
        "padding": padding,
        "steps": stacked(conv_size_steps(size, kernel_size, stride, padding)),
        "below": padding - 1,
        "below_steps": stacked(conv_size_steps(size, kernel_size, stride, padding - 1)),
        "above": padding + 1,
        "above_steps": stacked(conv_size_steps(size, kernel_size, stride, padding + 1)),
        "layer": source,
        "explorer": explorer_hash(
            "conv2d", x.shape, kernel_size=kernel_size, stride=stride, padding=padding
        ),
        "output": shape_text((1, 1, target, target)),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"print({source}(torch.zeros{shape_text(x.shape)}).shape)",
            ]
        ),
        "result": str(torch.Size((1, 1, out(padding), out(padding)))),
    }


@exercise("value")
def dilated_by_hand(dilation: int) -> Facts:
    """``KERNEL`` with ``dilation`` on ``GRID``: the single output, from the cells the
    taps read."""
    x = torch.tensor(GRID, dtype=torch.float32).view(1, 1, len(GRID), len(GRID[0]))
    w = torch.tensor(KERNEL, dtype=torch.float32).view(1, 1, len(KERNEL), len(KERNEL[0]))
    y = F.conv2d(x, w, dilation=dilation)
    k = w.shape[-1]
    taps = x[0, 0, 0 : dilation * (k - 1) + 1 : dilation, 0 : dilation * (k - 1) + 1 : dilation]
    pairs = list(zip(w.flatten().tolist(), taps.flatten().tolist(), strict=True))
    value = float(y[0, 0, 0, 0])
    cells = x.shape[-1] * x.shape[-2]
    return {
        "grids": side_by_side(("input", GRID), ("kernel", KERNEL)),
        "size": x.shape[-1],
        "kernel": k,
        "dilation": dilation,
        "layer": call("nn.Conv2d", 1, 1, k, dilation=dilation, bias=False),
        "span_steps": _span_steps(k, dilation),
        "out_steps": conv_size_steps(x.shape[-1], k, dilation=dilation),
        "out": y.shape[-1],
        "taps": grid_text(taps.tolist()),
        "last": dilation * (k - 1),
        "steps": products_steps(pairs, result=value),
        "value": value,
        "read": taps.numel(),
        "cells": cells,
        "unread_steps": f"{cells} − {taps.numel()} = {cells - taps.numel()}",
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                tensor_source("x", GRID, x.shape),
                tensor_source("w", KERNEL, w.shape),
                f"print(F.conv2d(x, w, dilation={dilation}))",
            ]
        ),
        "result": str(y),
    }


@exercise("error")
def span_too_wide(size: int, kernel_size: int, dilation: int) -> Facts:
    """A dilated kernel whose span is wider than the input, and the padding that fixes it."""
    source = call("nn.Conv2d", 1, 1, kernel_size, dilation=dilation)
    shape = (1, 1, size, size)
    kind, message = raised(
        lambda: nn.Conv2d(1, 1, kernel_size, dilation=dilation)(torch.zeros(shape))
    )
    span = dilation * (kernel_size - 1) + 1
    padding = -(-(span - size) // 2)  # the least p with n + 2p ≥ span
    with torch.no_grad():
        fixed = nn.Conv2d(1, 1, kernel_size, padding=padding, dilation=dilation)
        out = fixed(torch.zeros(shape)).shape[-1]
    return {
        "layer": source,
        "input": shape_text(shape),
        "size": size,
        "span_steps": _span_steps(kernel_size, dilation),
        "span": span,
        "error_type": kind,
        "error": message,
        "padding": padding,
        "fixed_layer": call("nn.Conv2d", 1, 1, kernel_size, padding=padding, dilation=dilation),
        "fixed_steps": conv_size_steps(size, kernel_size, padding=padding, dilation=dilation),
        "fixed_out": out,
        "explorer": explorer_hash("conv2d", shape, kernel_size=kernel_size, dilation=dilation),
        "code": "\n".join(
            ["import torch", "from torch import nn", f"{source}(torch.zeros{shape_text(shape)})"]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("concept")
def unread(size: int, kernel_size: int, stride: int) -> Facts:
    """The rows (and columns) a stride steps over: every window listed, and autograd's
    word for it (a cell no output reads gets no gradient)."""
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    total = F.conv2d(x, torch.ones(1, 1, kernel_size, kernel_size), stride=stride).sum()
    (grad,) = torch.autograd.grad(total, x)
    reads = grad[0, 0, :, 0]
    out = (size - kernel_size) // stride + 1
    windows = ", ".join(f"{o * stride}–{o * stride + kernel_size - 1}" for o in range(out))
    unread_rows = [row for row in range(size) if reads[row] == 0]
    return {
        "layer": call("nn.Conv2d", 1, 1, kernel_size, stride=stride),
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "out_steps": conv_size_steps(size, kernel_size, stride),
        "out": out,
        "windows": windows,
        "unread": ", ".join(str(row) for row in unread_rows),
        "unread_count": len(unread_rows),
        "first_unread": unread_rows[0] if unread_rows else size,
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.zeros(1, 1, {size}, {size}, requires_grad=True)",
                f"kernel = torch.ones(1, 1, {kernel_size}, {kernel_size})",
                f"F.conv2d(x, kernel, stride={stride}).sum().backward()",
                "print(x.grad[0, 0, :, 0])",
            ]
        ),
        "result": str(reads),
    }
