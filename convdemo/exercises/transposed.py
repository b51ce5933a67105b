"""Exercises of chapter 7, transposed convolution: a decoder layer's shapes, an output
built by hand from scaled copies of the kernel, ``output_padding`` as large as the
stride, the ``output_padding`` that gives back an encoder's input size, and why the
transposed convolution is not the inverse.

The grids of the exercise worked by hand, written out::

    GRID      KERNEL
    1  2      1  2
    3 −1      0 −1
"""

from __future__ import annotations

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
    number,
    products_steps,
    raised,
    shape_text,
    shapes_run,
    side_by_side,
    stacked,
    tensor_source,
    transposed_size_steps,
)

__all__ = [
    "GRID",
    "KERNEL",
    "by_scatter",
    "decoder_shapes",
    "not_inverse",
    "padding_too_big",
    "undo",
]

GRID: tuple[tuple[float, ...], ...] = ((1, 2), (3, -1))
KERNEL: tuple[tuple[float, ...], ...] = ((1, 2), (0, -1))


def _transposed_size(n: int, k: int, s: int = 1, p: int = 0, a: int = 0) -> int:
    return (n - 1) * s - 2 * p + (k - 1) + a + 1


@exercise("shape")
def decoder_shapes(
    in_channels: int, out_channels: int, size: int, kernel_size: int, stride: int, padding: int
) -> Facts:
    """A decoder's up-sampling layer: the output's shape and the weight's, whose first
    axis is the input's channels."""
    layer = nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding)
    x = torch.zeros(1, in_channels, size, size)
    with torch.no_grad():
        out = layer(x)
    source = call(
        "nn.ConvTranspose2d", in_channels, out_channels, kernel_size, stride=stride, padding=padding
    )
    return {
        "layer": source,
        "input": shape_text(x.shape),
        "size": size,
        "out_steps": stacked(transposed_size_steps(size, kernel_size, stride, padding)),
        "output": shape_text(out.shape),
        "weight": shape_text(layer.weight.shape),
        "conv_weight": shape_text(nn.Conv2d(in_channels, out_channels, kernel_size).weight.shape),
        "factor": out.shape[-1] // size,
        "extra_steps": (f"k − 2p = {kernel_size} − 2·{padding} = {kernel_size - 2 * padding}"),
        "explorer": explorer_hash(
            "conv_transpose2d",
            x.shape,
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
        ),
        **shapes_run(source, x.shape, out.shape, layer.weight.shape),
    }


@exercise("value")
def by_scatter() -> Facts:
    """``F.conv_transpose2d`` of ``GRID`` with ``KERNEL``, stride 1, worked by scattering:
    each input value stamps a scaled copy of the kernel at its own position, and every
    output cell sums the copies that cover it."""
    x = torch.tensor(GRID, dtype=torch.float32)[None, None]
    w = torch.tensor(KERNEL, dtype=torch.float32)[None, None]
    y = F.conv_transpose2d(x, w)
    n, k = x.shape[-1], w.shape[-1]
    stamps = []
    for i in range(n):
        for j in range(n):
            copy = torch.zeros(y.shape[-2:])
            copy[i : i + k, j : j + k] = x[0, 0, i, j] * w[0, 0]
            stamps.append((f"{number(float(x[0, 0, i, j]))} at ({i}, {j})", copy.tolist()))
    lines = []
    for r in range(y.shape[-2]):
        for c in range(y.shape[-1]):
            pairs = [
                (float(w[0, 0, r - i, c - j]), float(x[0, 0, i, j]))
                for i in range(n)
                for j in range(n)
                if 0 <= r - i < k and 0 <= c - j < k
            ]
            lines.append(f"out[{r}, {c}] = {products_steps(pairs, result=float(y[0, 0, r, c]))}")
    return {
        "call": call("F.conv_transpose2d", Source("x"), Source("w")),
        "grids": side_by_side(("input", GRID), ("kernel", KERNEL)),
        "size": n,
        "kernel": k,
        "out": y.shape[-1],
        "out_steps": transposed_size_steps(n, k),
        "stamps": side_by_side(*stamps),
        "steps": "\n".join(lines),
        "output": grid_text(y[0, 0].tolist()),
        "centre": float(y[0, 0, 1, 1]),
        "copies": n * n,
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                tensor_source("x", GRID, x.shape),
                tensor_source("w", KERNEL, w.shape),
                "print(F.conv_transpose2d(x, w))",
            ]
        ),
        "result": str(y),
    }


@exercise("error")
def padding_too_big(size: int, kernel_size: int, stride: int, output_padding: int) -> Facts:
    """``output_padding`` as large as the stride, to reach one size more: PyTorch refuses,
    and a larger kernel reaches that size instead."""
    source = call(
        "nn.ConvTranspose2d", 1, 1, kernel_size, stride=stride, output_padding=output_padding
    )
    shape = (1, 1, size, size)
    kind, message = raised(
        lambda: nn.ConvTranspose2d(1, 1, kernel_size, stride=stride, output_padding=output_padding)(
            torch.zeros(shape)
        )
    )
    target = _transposed_size(size, kernel_size, stride, a=output_padding)
    fix_kernel = target - (size - 1) * stride
    fix = nn.ConvTranspose2d(1, 1, fix_kernel, stride=stride)(torch.zeros(shape))
    return {
        "layer": source,
        "input": shape_text(shape),
        "size": size,
        "stride": stride,
        "output_padding": output_padding,
        "target": target,
        "most": stride - 1,
        "error_type": kind,
        "error": message,
        "fix_kernel": fix_kernel,
        "fix_steps": f"k = out − (n − 1)·s = {target} − ({size} − 1)·{stride} = {fix_kernel}",
        "fix_check": transposed_size_steps(size, fix_kernel, stride),
        "fix": call("nn.ConvTranspose2d", 1, 1, fix_kernel, stride=stride),
        "fix_output": shape_text(fix.shape),
        "explorer": explorer_hash(
            "conv_transpose2d",
            shape,
            kernel_size=kernel_size,
            stride=stride,
            output_padding=output_padding,
        ),
        "code": "\n".join(
            ["import torch", "from torch import nn", f"{source}(torch.zeros{shape_text(shape)})"]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def undo(size: int, kernel_size: int, stride: int, padding: int) -> Facts:
    """The ``output_padding`` that takes an encoder's output back to its input size, with
    the decoder's kernel, stride and padding the encoder's."""
    k, s, p = kernel_size, stride, padding
    x = torch.zeros(1, 1, size, size)
    down = nn.Conv2d(1, 1, k, s, p)(x).shape[-1]
    base = _transposed_size(down, k, s, p)
    a = size - base
    # a is the remainder the encoder's floor dropped, so 0 ≤ a < s always holds.
    up = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=a)(torch.zeros(1, 1, down, down))
    sharing = [n for n in range(1, 4 * size) if (n + 2 * p - k) // s + 1 == down]
    encoder = call("nn.Conv2d", 1, 1, k, stride=s, padding=p)
    decoder = call("nn.ConvTranspose2d", 1, 1, k, stride=s, padding=p, output_padding=a)
    return {
        "size": size,
        "down": down,
        "encoder": encoder,
        "down_steps": stacked(conv_size_steps(size, k, s, p)),
        "base_steps": stacked(transposed_size_steps(down, k, s, p)),
        "base": base,
        "output_padding": a,
        "padding_steps": f"output_padding = {size} − {base} = {a}",
        "decoder": decoder,
        "output": shape_text(up.shape),
        "sharing": ", ".join(str(n) for n in sharing),
        "stride": s,
        "most": s - 1,
        "explorer": explorer_hash(
            "conv_transpose2d",
            (1, 1, down, down),
            kernel_size=k,
            stride=s,
            padding=p,
            output_padding=a,
        ),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"encoder = {encoder}",
                f"decoder = {decoder}",
                f"x = torch.zeros(1, 1, {size}, {size})",
                "print(decoder(encoder(x)).shape)",
            ]
        ),
        "result": str(up.shape),
    }


@exercise("concept")
def not_inverse(signal: tuple[float, ...], kernel: tuple[float, ...]) -> Facts:
    """A 1-D convolution and the transposed convolution with the same kernel: the length
    comes back, the values do not (unless the kernel is a single weight 1)."""
    x = torch.tensor(signal, dtype=torch.float32)[None, None]
    w = torch.tensor(kernel, dtype=torch.float32)[None, None]
    y = F.conv1d(x, w)
    back = F.conv_transpose1d(y, w)
    x_source = call("torch.tensor", [[list(map(float, signal))]])
    w_source = call("torch.tensor", [[list(map(float, kernel))]])
    return {
        "signal": ", ".join(number(v) for v in signal),
        "kernel": ", ".join(number(v) for v in kernel),
        "length": len(signal),
        "convolved": ", ".join(number(v) for v in y.flatten().tolist()),
        "back": ", ".join(number(v) for v in back.flatten().tolist()),
        "back_length": back.shape[-1],
        "conv": call("F.conv1d", Source("x"), Source("w")),
        "transposed": call("F.conv_transpose1d", Source("y"), Source("w")),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = {x_source}",
                f"w = {w_source}",
                "y = F.conv1d(x, w)",
                "print(y)",
                "print(F.conv_transpose1d(y, w))",
            ]
        ),
        "result": f"{y}\n{back}",
    }
