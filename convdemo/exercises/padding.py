"""Exercises of chapter 2, padding: a non-square kernel, the padding that grows an
output, a corner worked out with zeros and with the edge repeated, reflection past the
input, and ``F.pad``'s order of sides.

The grid of the corner exercise, written out::

    GRID
    3 1 2
    1 0 2
    2 4 1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.kit import (
    Facts,
    Source,
    call,
    conv_size_steps,
    exercise,
    explorer_hash,
    grid_text,
    raised,
    shape_text,
    stacked,
    sum_steps,
    tensor_source,
)

__all__ = ["GRID", "corner", "grow", "non_square", "pad_order", "reflect_too_far"]

GRID: tuple[tuple[float, ...], ...] = ((3, 1, 2), (1, 0, 2), (2, 4, 1))
PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]


@exercise("shape")
def non_square(height: int, width: int, kernel_size: tuple[int, int], padding: int) -> Facts:
    """A non-square kernel with the same padding on every side: each axis on its own."""
    source = call("nn.Conv2d", 1, 1, kernel_size=kernel_size, padding=padding)
    shape = (1, 1, height, width)
    with torch.no_grad():
        out = nn.Conv2d(1, 1, kernel_size=kernel_size, padding=padding)(torch.zeros(shape))
    kh, kw = kernel_size
    padding_same = ((kh - 1) // 2, (kw - 1) // 2)
    return {
        "layer": source,
        "input": shape_text(shape),
        "height": height,
        "width": width,
        "kernel_h": kh,
        "kernel_w": kw,
        "padding": padding,
        "keep_h": (kh - 1) // 2,
        "keep_w": (kw - 1) // 2,
        "keep_layer": call("nn.Conv2d", 1, 1, kernel_size=kernel_size, padding=padding_same),
        "h_steps": conv_size_steps(height, kh, padding=padding),
        "w_steps": conv_size_steps(width, kw, padding=padding),
        "output": shape_text(out.shape),
        "explorer": explorer_hash("conv2d", shape, kernel_size=kernel_size, padding=padding),
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
def grow(size: int, kernel_size: int, out_size: int) -> Facts:
    """The padding that takes a stride-1 convolution from ``size`` to ``out_size``:
    ``p = (out − n + k − 1) / 2`` from ``out = n + 2p − k + 1``."""
    twice = out_size - size + kernel_size - 1
    if twice < 0 or twice % 2:
        raise ValueError(f"no padding takes size {size} to {out_size} with kernel {kernel_size}")
    padding = twice // 2
    source = call("nn.Conv2d", 1, 1, kernel_size, padding=padding)
    shape = (1, 1, size, size)
    with torch.no_grad():
        out = nn.Conv2d(1, 1, kernel_size, padding=padding)(torch.zeros(shape))
    keep = (kernel_size - 1) // 2
    return {
        "size": size,
        "kernel": kernel_size,
        "out_size": out_size,
        "padding": padding,
        "padding_steps": stacked(
            f"p = (out − n + k − 1) / 2 = ({out_size} − {size} + {kernel_size} − 1) / 2 = {padding}"
        ),
        "check_steps": conv_size_steps(size, kernel_size, padding=padding),
        "keep": keep,
        "keep_steps": f"(k − 1) / 2 = ({kernel_size} − 1) / 2 = {keep}",
        "extra": padding - keep,
        "layer": source,
        "output": shape_text(out.shape),
        "explorer": explorer_hash("conv2d", shape, kernel_size=kernel_size, padding=padding),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"print({source}(torch.zeros{shape_text(shape)}).shape)",
            ]
        ),
        "result": str(out.shape),
    }


@exercise("value")
def corner(kernel_size: int, modes: Sequence[PaddingMode]) -> Facts:
    """The top-left output of a box sum (every weight 1, padding ``(k − 1) / 2``) on
    ``GRID``, for each ``padding_mode``: the window it reads, and its sum."""
    x = torch.tensor(GRID, dtype=torch.float32).view(1, 1, len(GRID), len(GRID[0]))
    padding = (kernel_size - 1) // 2
    facts: Facts = {
        "grid": grid_text(GRID),
        "size": x.shape[-1],
        "kernel": kernel_size,
        "padding": padding,
        "weight": 1,  # nn.init.ones_, as the code below says
    }
    lines = ["import torch", "from torch import nn", tensor_source("x", GRID, x.shape)]
    results = []
    for mode in modes:
        layer = nn.Conv2d(1, 1, kernel_size, padding=padding, padding_mode=mode, bias=False)
        nn.init.ones_(layer.weight)
        with torch.no_grad():
            value = float(layer(x)[0, 0, 0, 0])
        pad_mode = "constant" if mode == "zeros" else mode
        window = F.pad(x, (padding,) * 4, mode=pad_mode)[0, 0, :kernel_size, :kernel_size]
        facts[f"{mode}_layer"] = call(
            "nn.Conv2d", 1, 1, kernel_size, padding=padding, padding_mode=mode, bias=False
        )
        facts[f"{mode}_window"] = grid_text(window.tolist())
        facts[f"{mode}_steps"] = sum_steps(window.flatten().tolist())
        facts[f"{mode}_value"] = value
        lines += [
            f"{mode} = {facts[f'{mode}_layer']}",
            f"nn.init.ones_({mode}.weight)",
            f"print({mode}(x)[0, 0, 0, 0].item())",
        ]
        results.append(str(value))
    return {**facts, "code": "\n".join(lines), "result": "\n".join(results)}


@exercise("error")
def reflect_too_far(size: int, kernel_size: int, padding: int) -> Facts:
    """Reflection padding at least as large as the input: PyTorch refuses it."""
    source = call("nn.Conv2d", 1, 1, kernel_size, padding=padding, padding_mode="reflect")
    shape = (1, 1, size, size)
    kind, message = raised(
        lambda: nn.Conv2d(1, 1, kernel_size, padding=padding, padding_mode="reflect")(
            torch.zeros(shape)
        )
    )
    return {
        "layer": source,
        "input": shape_text(shape),
        "size": size,
        "padding": padding,
        "most": size - 1,
        "dimension": len(shape) - 1,
        "error_type": kind,
        "error": message,
        "explorer": explorer_hash(
            "conv2d", shape, kernel_size=kernel_size, padding=padding, padding_mode="reflect"
        ),
        "code": "\n".join(
            ["import torch", "from torch import nn", f"{source}(torch.zeros{shape_text(shape)})"]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("concept")
def pad_order(size: int, left: int, right: int) -> Facts:
    """``F.pad`` reads its amounts last axis first: ``(0, 0, left, right)`` pads the rows
    (top, bottom), not the columns; ``(left, right)`` is what was meant."""
    x = torch.zeros(1, 1, size, size)
    written = (0, 0, left, right)
    wrong, meant = F.pad(x, written), F.pad(x, (left, right))
    wrong_source = call("F.pad", Source("x"), written)
    meant_source = call("F.pad", Source("x"), (left, right))
    return {
        "input": shape_text(x.shape),
        "left": left,
        "right": right,
        "written": wrong_source,
        "meant": meant_source,
        "meant_long": call("F.pad", Source("x"), (left, right, 0, 0)),
        "wrong_shape": shape_text(wrong.shape),
        "meant_shape": shape_text(meant.shape),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.zeros{shape_text(x.shape)}",
                f"print({wrong_source}.shape)",
                f"print({meant_source}.shape)",
            ]
        ),
        "result": f"{wrong.shape}\n{meant.shape}",
    }
