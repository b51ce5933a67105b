"""Exercises of chapter 4, pooling and rectification: ReLU then pooling by hand, the
floor and ceiling of a pooling size, a window larger than the input, the pooling that
adaptive pooling becomes, and why max pooling pads with −∞.

The maps, written out::

    SIGNED            NEGATIVE
     1 −2  3  0       −3 −1 −4
    −1  4 −3  2       −2 −5 −1
     0 −1  2  5       −6 −2 −3
     3  1 −4 −2
"""

from __future__ import annotations

import itertools
from collections import Counter

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
    number,
    pool_size_steps,
    raised,
    shape_text,
    side_by_side,
    stacked,
    tensor_source,
)
from convdemo.pooling_rules import adaptive_windows

__all__ = [
    "NEGATIVE",
    "SIGNED",
    "adaptive",
    "ceil_mode",
    "minus_infinity",
    "relu_pool",
    "too_small",
]

SIGNED: tuple[tuple[float, ...], ...] = (
    (1, -2, 3, 0),
    (-1, 4, -3, 2),
    (0, -1, 2, 5),
    (3, 1, -4, -2),
)
NEGATIVE: tuple[tuple[float, ...], ...] = ((-3, -1, -4), (-2, -5, -1), (-6, -2, -3))


def _tensor(rows: tuple[tuple[float, ...], ...]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32).view(1, 1, len(rows), len(rows[0]))


@exercise("value")
def relu_pool(kernel_size: int) -> Facts:
    """ReLU, then ``kernel_size`` max and average pooling of ``SIGNED``, block by block."""
    x = _tensor(SIGNED)
    rectified = torch.relu(x)
    k = kernel_size
    maxed, averaged = F.max_pool2d(rectified, k), F.avg_pool2d(rectified, k)
    blocks = rectified[0, 0].unfold(0, k, k).unfold(1, k, k)  # rows × cols × k × k
    max_lines, mean_lines = [], []
    for i in range(blocks.shape[0]):
        for j in range(blocks.shape[1]):
            values = ", ".join(number(v) for v in blocks[i, j].flatten().tolist())
            terms = " + ".join(number(v) for v in blocks[i, j].flatten().tolist())
            max_lines.append(f"max({values}) = {number(float(maxed[0, 0, i, j]))}")
            mean_lines.append(f"({terms}) / {k * k} = {number(float(averaged[0, 0, i, j]))}")
    return {
        "grid": grid_text(SIGNED),
        "size": x.shape[-1],
        "kernel": k,
        "rectified": grid_text(rectified[0, 0].tolist()),
        "negatives": int((x < 0).sum()),
        "max_steps": "\n".join(max_lines),
        "mean_steps": "\n".join(mean_lines),
        "pooled": side_by_side(("max", maxed[0, 0].tolist()), ("average", averaged[0, 0].tolist())),
        "out": maxed.shape[-1],
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                tensor_source("x", SIGNED, x.shape),
                f"print(F.max_pool2d(torch.relu(x), {k}))",
                f"print(F.avg_pool2d(torch.relu(x), {k}))",
            ]
        ),
        "result": f"{maxed}\n{averaged}",
    }


@exercise("shape")
def ceil_mode(channels: int, size: int, kernel_size: int, stride: int) -> Facts:
    """Overlapping max pooling, rounding the size down and then up."""
    shape = (1, channels, size, size)
    x = torch.zeros(shape)
    floor = nn.MaxPool2d(kernel_size, stride)(x)
    ceil = nn.MaxPool2d(kernel_size, stride, ceil_mode=True)(x)
    last_start = (ceil.shape[-1] - 1) * stride
    source = call("nn.MaxPool2d", kernel_size, stride=stride)
    ceil_source = call("nn.MaxPool2d", kernel_size, stride=stride, ceil_mode=True)
    return {
        "input": shape_text(shape),
        "layer": source,
        "ceil_layer": ceil_source,
        "floor_steps": stacked(conv_size_steps(size, kernel_size, stride)),
        "ceil_steps": stacked(pool_size_steps(size, kernel_size, stride)),
        "output": shape_text(ceil.shape),
        "floor_output": shape_text(floor.shape),
        "last_start": last_start,
        "last_start_steps": f"(out − 1)·s = ({ceil.shape[-1]} − 1)·{stride} = {last_start}",
        "size": size,
        "last_end": last_start + kernel_size - 1,
        "explorer": explorer_hash(
            "max_pool2d", shape, kernel_size=kernel_size, stride=stride, ceil_mode=True
        ),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"x = torch.zeros{shape_text(shape)}",
                f"print({source}(x).shape)",
                f"print({ceil_source}(x).shape)",
            ]
        ),
        "result": f"{floor.shape}\n{ceil.shape}",
    }


@exercise("error")
def too_small(size: int, kernel_size: int) -> Facts:
    """A pooling window larger than the map."""
    shape = (1, 1, size, size)
    source = call("nn.MaxPool2d", kernel_size)
    kind, message = raised(lambda: nn.MaxPool2d(kernel_size)(torch.zeros(shape)))
    return {
        "layer": source,
        "input": shape_text(shape),
        "size": size,
        "kernel": kernel_size,
        "out_steps": stacked(conv_size_steps(size, kernel_size, kernel_size)),
        "error_type": kind,
        "error": message,
        "fix": call("nn.AdaptiveMaxPool2d", 1),
        "explorer": explorer_hash("max_pool2d", shape, kernel_size=kernel_size),
        "code": "\n".join(
            ["import torch", "from torch import nn", f"{source}(torch.zeros{shape_text(shape)})"]
        ),
        "result": f"{kind}: {message}",
    }


def _adaptive_spans(size: int, out: int) -> list[tuple[int, int]]:
    """Adaptive pooling's windows as (first, last) cells, by PyTorch's rule."""
    return [(start, stop - 1) for start, stop in adaptive_windows(size, out)]


def _adaptive_windows(size: int, out: int) -> str:
    """Adaptive pooling's windows as ``first–last`` cell ranges."""
    return ", ".join(f"{first}–{last}" for first, last in _adaptive_spans(size, out))


def _adaptive_layout(size: int, out: int) -> str:
    """How adaptive pooling's windows lie on ``size`` cells, in words: how far apart they
    start, which cells two windows share, and whether a fixed kernel and stride could
    place them so."""
    spans = _adaptive_spans(size, out)
    gaps = sorted({b[0] - a[0] for a, b in itertools.pairwise(spans)})
    widths = {last - first + 1 for first, last in spans}
    reads = Counter(cell for first, last in spans for cell in range(first, last + 1))
    shared = [str(cell) for cell in sorted(reads) if reads[cell] > 1]
    unit = "cell" if gaps == [1] else "cells"
    said = "they start " + " or ".join(str(gap) for gap in gaps) + f" {unit} apart"
    if shared:
        cells = " and ".join([", ".join(shared[:-1]), shared[-1]] if len(shared) > 1 else shared)
        said += f", and {'cells' if len(shared) > 1 else 'cell'} {cells} "
        counts = sorted({reads[int(cell)] for cell in shared})
        windows = "two" if counts == [2] else " or ".join(map(str, counts))  # digits if mixed
        said += (
            f"each fall in {windows} windows" if len(shared) > 1 else f"falls in {windows} windows"
        )
    if len(gaps) == 1 and len(widths) == 1 and gaps[0] > 0:  # a stride is at least 1
        return said + f": a fixed kernel of {widths.pop()} and stride {gaps[0]} gives the same"
    return said + ", which no fixed kernel and stride reproduces"


@exercise("design")
def adaptive(size: int, out_size: int, other_size: int) -> Facts:
    """The non-overlapping max pooling from ``size`` to ``out_size``, and adaptive pooling:
    the same windows when ``out_size`` divides ``size``, overlapping ones on ``other_size``."""
    if size % out_size:
        raise ValueError(f"out_size {out_size} must divide size {size}")
    k = size // out_size
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, 1, size, size, generator=generator)
    fixed = nn.MaxPool2d(k)(x)
    same = torch.equal(fixed, nn.AdaptiveMaxPool2d(out_size)(x))
    source = call("nn.MaxPool2d", k)
    adaptive_source = call("nn.AdaptiveMaxPool2d", out_size)
    return {
        "size": size,
        "out_size": out_size,
        "kernel": k,
        "kernel_steps": f"k = s = n / out = {size} / {out_size} = {k}",
        "layer": source,
        "adaptive": adaptive_source,
        "windows": _adaptive_windows(size, out_size),
        "other_size": other_size,
        "other_windows": _adaptive_windows(other_size, out_size),
        "other_layout": _adaptive_layout(other_size, out_size),
        "output": shape_text(fixed.shape),
        "explorer": explorer_hash("max_pool2d", x.shape, kernel_size=k),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"x = torch.randn(1, 1, {size}, {size})",
                f"print(torch.equal({source}(x), {adaptive_source}(x)))",
            ]
        ),
        "result": str(same),
    }


@exercise("concept")
def minus_infinity(kernel_size: int, padding: int) -> Facts:
    """Max pooling with padding on an all-negative map: −∞ padding keeps the corner's own
    value, zero padding would report a 0 that is not in the map."""
    x = _tensor(NEGATIVE)
    source = call("nn.MaxPool2d", kernel_size, padding=padding)
    pooled = nn.MaxPool2d(kernel_size, padding=padding)(x)
    zero_padded = nn.MaxPool2d(kernel_size)(F.pad(x, (padding,) * 4))
    return {
        "grid": grid_text(NEGATIVE),
        "layer": source,
        "kernel": kernel_size,
        "padding": padding,
        "corner": float(x[0, 0, 0, 0]),
        "pooled": grid_text(pooled[0, 0].tolist()),
        "zero_padded": grid_text(zero_padded[0, 0].tolist()),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                tensor_source("x", NEGATIVE, x.shape),
                f"print({source}(x))",
            ]
        ),
        "result": str(pooled),
    }
