"""Layers as PyTorch's arguments describe them, and the small numbers the animations show.

``layer_of`` turns the arguments a reader would type (an int, or a pair for height and
width) into a ``convdemo.motion.Layer``; ``numeric_values`` gives a numerical animation
its input, its kernel and the output PyTorch computes from them; ``window_facts`` the
numbers a page quotes about an animation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import torch
import torch.nn.functional as F

from convdemo.motion import Layer, motion

__all__ = ["NUMERIC_KERNEL", "layer_of", "numeric_values", "window_facts"]

#: A kernel whose 180° rotation differs from it, so a rotation can be seen.
NUMERIC_KERNEL = ((1, 2, 0), (0, 1, 3), (2, 0, 1))


def _pair(name: str, value: int | Sequence[int]) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, value
    if isinstance(value, Sequence) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError(f"{name} must be an integer or a (height, width) pair, got {value!r}")


def layer_of(
    op: str,
    size: int | Sequence[int],
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    output_padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    dims: int = 2,
    causal: bool = False,
) -> Layer:
    """A ``Layer`` from PyTorch-style arguments: an int, or a pair for (height, width);
    a 1-D layer (``dims=1``) takes plain ints and gets height 1."""
    if op not in ("conv", "conv_transpose", "max_pool", "avg_pool"):
        raise ValueError(f"op must be conv, conv_transpose, max_pool or avg_pool, got {op!r}")
    if dims == 1:

        def line(value: Any, empty: int) -> tuple[int, int]:
            return empty, int(value)

        return Layer(
            op,  # type: ignore[arg-type]
            line(size, 1),
            line(kernel_size, 1),
            None if stride is None else line(stride, 1),
            line(padding, 0),
            line(dilation, 1),
            line(output_padding, 0),
            ceil_mode,
            1,
            causal,
        )
    return Layer(
        op,  # type: ignore[arg-type]
        _pair("size", size),
        _pair("kernel_size", kernel_size),
        None if stride is None else _pair("stride", stride),
        _pair("padding", padding),
        _pair("dilation", dilation),
        _pair("output_padding", output_padding),
        ceil_mode,
        2,
        causal,
    )


def numeric_values(layer: Layer) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]:
    """Small integer inputs, the kernel (for a convolution) and the output PyTorch gives.

    The input holds ``(3i + 5j + 2) mod 4`` at cell (i, j); a convolution's kernel is
    ``NUMERIC_KERNEL`` (or its top-left corner, for a smaller kernel).
    """
    h, w = layer.size
    x = torch.tensor([[float((3 * i + 5 * j + 2) % 4) for j in range(w)] for i in range(h)])
    x = x.view(layer.input_shape())
    kh, kw = layer.kernel_size
    if "conv" not in layer.op:
        pool = F.max_pool2d if layer.op == "max_pool" else F.avg_pool2d
        options: dict[str, Any] = {"stride": layer.steps, "padding": layer.padding}
        if layer.op == "max_pool":
            options["dilation"] = layer.dilation
        y = pool(x.view(1, 1, h, w), layer.kernel_size, ceil_mode=layer.ceil_mode, **options)
        return x.view(h, w), None, y.view(layer.output_size())
    kernel = torch.zeros(kh, kw)
    for i in range(kh):
        for j in range(kw):
            kernel[i, j] = NUMERIC_KERNEL[i % 3][j % 3]
    x4 = x.view(1, 1, h, w)
    if layer.op == "conv":
        top, left = layer.left_padding
        padded = F.pad(x4, (left, 0 if layer.causal else left, top, 0 if layer.causal else top))
        y = F.conv2d(padded, kernel.view(1, 1, kh, kw), stride=layer.steps, dilation=layer.dilation)
    else:
        y = F.conv_transpose2d(
            x4,
            kernel.view(1, 1, kh, kw),
            stride=layer.steps,
            padding=layer.padding,
            output_padding=layer.output_padding,
            dilation=layer.dilation,
        )
    return x.view(h, w), kernel, y.view(layer.output_size())


def window_facts(
    op: str,
    size: int | Sequence[int],
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    output_padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    dims: int = 2,
    causal: bool = False,
    numbers: bool = False,
) -> dict[str, int | str]:
    """The numbers ``sliding_window`` draws, with the same parameters: the layer in
    PyTorch (``module``, and ``explorer``, its setting in the explorer's URL form), the
    input, grid and output sizes, the steps, and for a transposed convolution the zeros
    spread between and around the input."""
    layer = layer_of(op, size, kernel_size, stride, padding, dilation, output_padding,
                     ceil_mode, dims, causal)  # fmt: skip
    moved = motion(layer)
    out_h, out_w = moved.output_size
    grid_h, grid_w = moved.grid_size
    k, d, p = layer.kernel_size[1], layer.dilation[1], layer.padding[1]
    facts: dict[str, int | str] = {
        "module": layer.module(),
        "explorer": layer.explorer_hash(),
        "in_h": layer.size[0], "in_w": layer.size[1],
        "out_h": out_h, "out_w": out_w,
        "grid_h": grid_h, "grid_w": grid_w,
        "steps": len(moved.steps),
        "kernel": k, "stride": layer.steps[1], "padding": p, "dilation": d,
        "output_padding": layer.output_padding[1],
        "span": d * (k - 1) + 1,
        "dropped": len(moved.dropped),
    }  # fmt: skip
    if layer.ceil_mode:
        # What rounding up changes, along each axis: windows kept, and windows dropped
        # because they would start in the padding.
        floor_h, floor_w = replace(layer, ceil_mode=False).output_size()
        dropped_axes = {axis for axis, _ in moved.dropped}
        facts.update(
            {
                "floor_h": floor_h,
                "floor_w": floor_w,
                "added_rows": out_h - floor_h,
                "added_columns": out_w - floor_w,
                "dropped_rows": int(0 in dropped_axes),
                "dropped_columns": int(1 in dropped_axes),
            }
        )
    if layer.op == "conv_transpose":
        facts["zeros"] = layer.steps[1] - 1
        facts["border"] = d * (k - 1) - p
    if layer.causal:
        facts["left"] = layer.left_padding[1]
    return facts
