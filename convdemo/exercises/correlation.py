"""Exercises of chapter 8, convolution or cross-correlation: one output both ways by hand,
flipping a weight of several channels, a textbook kernel handed to ``F.conv2d`` as it
is, the padding that gives signal processing's full convolution, and the kernel a
network would learn under the other definition.

The grids of the exercise worked by hand, written out::

    GRID        KERNEL
    1 0 2       1 2
    3 1 0       0 −1
    0 2 4
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

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
    side_by_side,
    tensor_source,
)

__all__ = ["GRID", "KERNEL", "both_ways", "flip_axes", "full", "learned", "textbook_kernel"]

GRID: tuple[tuple[float, ...], ...] = ((1, 0, 2), (3, 1, 0), (0, 2, 4))
KERNEL: tuple[tuple[float, ...], ...] = ((1, 2), (0, -1))


@exercise("value")
def both_ways(row: int, col: int) -> Facts:
    """Output ``(row, col)`` of ``GRID`` with ``KERNEL``: cross-correlated, as
    ``F.conv2d`` computes it, and convolved, with the kernel rotated by 180°."""
    x = torch.tensor(GRID, dtype=torch.float32)[None, None]
    w = torch.tensor(KERNEL, dtype=torch.float32)[None, None]
    rotated = w.flip(-1, -2)
    k = w.shape[-1]
    correlated, convolved = F.conv2d(x, w), F.conv2d(x, rotated)
    window = x[0, 0, row : row + k, col : col + k]
    corr_pairs = list(zip(w.flatten().tolist(), window.flatten().tolist(), strict=True))
    conv_pairs = list(zip(rotated.flatten().tolist(), window.flatten().tolist(), strict=True))
    return {
        "grids": side_by_side(("input", GRID), ("kernel", KERNEL)),
        "row": row,
        "col": col,
        "window": grid_text(window.tolist()),
        "rotated": grid_text(rotated[0, 0].tolist()),
        "corr_steps": products_steps(corr_pairs, result=float(correlated[0, 0, row, col])),
        "conv_steps": products_steps(conv_pairs, result=float(convolved[0, 0, row, col])),
        "correlated": float(correlated[0, 0, row, col]),
        "convolved": float(convolved[0, 0, row, col]),
        "correlated_grid": grid_text(correlated[0, 0].tolist()),
        "output": shape_text(convolved.shape),
        "explorer": explorer_hash("conv2d", x.shape, kernel_size=k, flip=True),
        "convolved_grid": grid_text(convolved[0, 0].tolist()),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                tensor_source("x", GRID, x.shape),
                tensor_source("w", KERNEL, w.shape),
                "print(F.conv2d(x, w))",
                "print(F.conv2d(x, w.flip(-1, -2)))",
            ]
        ),
        "result": f"{correlated}\n{convolved}",
    }


@exercise("shape")
def flip_axes(in_channels: int, out_channels: int, size: int, kernel_size: int) -> Facts:
    """Flipping a weight of shape ``(out, in, k, k)`` for true convolution: the shape of
    the result, and what flipping every axis instead of the last two does."""
    weight = (out_channels, in_channels, kernel_size, kernel_size)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, in_channels, size, size, generator=generator)
    w = torch.randn(weight, generator=generator)
    right = F.conv2d(x, w.flip(-1, -2))
    wrong = F.conv2d(x, w.flip(0, 1, 2, 3))
    reversed_maps = F.conv2d(x.flip(1), w.flip(-1, -2)).flip(1)
    return {
        "input": shape_text(x.shape),
        "weight": shape_text(weight),
        "size": size,
        "kernel": kernel_size,
        "right_call": call("F.conv2d", Source("x"), Source("w.flip(-1, -2)")),
        "wrong_call": call("F.conv2d", Source("x"), Source("w.flip(0, 1, 2, 3)")),
        "out_steps": conv_size_steps(size, kernel_size),
        "output": shape_text(right.shape),
        "wrong_output": shape_text(wrong.shape),
        "explorer": explorer_hash(
            "conv2d", x.shape, out_channels=out_channels, kernel_size=kernel_size, flip=True
        ),
        "last": out_channels - 1,
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.randn{shape_text(x.shape)}",
                f"w = torch.randn{shape_text(weight)}",
                "right = F.conv2d(x, w.flip(-1, -2))",
                "wrong = F.conv2d(x, w.flip(0, 1, 2, 3))",
                "print(right.shape, wrong.shape)",
                "reversed_maps = F.conv2d(x.flip(1), w.flip(-1, -2)).flip(1)",
                "print(torch.allclose(wrong, reversed_maps, atol=1e-5))",
            ]
        ),
        "result": f"{right.shape} {wrong.shape}\n{torch.allclose(wrong, reversed_maps, atol=1e-5)}",
    }


@exercise("error")
def textbook_kernel(size: int) -> Facts:
    """A kernel copied from a textbook as a 2-D grid, flipped and handed to ``F.conv2d``
    without the two leading axes of a weight."""
    kernel = torch.tensor(KERNEL, dtype=torch.float32)
    x = torch.zeros(1, 1, size, size)
    kind, message = raised(lambda: F.conv2d(x, kernel.flip(-1, -2)))
    k = kernel.shape[-1]
    fixed = F.conv2d(x, kernel.flip(-1, -2).view(1, 1, k, k))
    return {
        "input": shape_text(x.shape),
        "kernel_shape": shape_text(kernel.shape),
        "weight_shape": shape_text((1, 1, k, k)),
        "error_type": kind,
        "error": message,
        "fix": f"kernel.flip(-1, -2).view(1, 1, {k}, {k})",
        "fixed_output": shape_text(fixed.shape),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"kernel = torch.tensor({[list(map(float, row)) for row in KERNEL]!r})",
                f"x = torch.zeros{shape_text(x.shape)}",
                "F.conv2d(x, kernel.flip(-1, -2))",
            ]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def full(signal: tuple[float, ...], kernel: tuple[float, ...]) -> Facts:
    """The padding and kernel orientation that make ``F.conv1d`` compute signal
    processing's full convolution (every overlap of the two arrays, ``numpy.convolve``'s
    default): padding ``k − 1`` on both sides and the kernel reversed."""
    x = torch.tensor(signal, dtype=torch.float32)[None, None]
    w = torch.tensor(kernel, dtype=torch.float32)[None, None]
    n, k = len(signal), len(kernel)
    padding = k - 1
    y = F.conv1d(x, w.flip(-1), padding=padding)
    # The first two outputs by the definition y[i] = Σ_m v[m]·a[i − m], the overlaps
    # that exist at the start.
    first = products_steps([(kernel[0], signal[0])], result=float(y[0, 0, 0]))
    second = products_steps(
        [(kernel[0], signal[1]), (kernel[1], signal[0])], result=float(y[0, 0, 1])
    )
    return {
        "signal": ", ".join(number(v) for v in signal),
        "kernel": ", ".join(number(v) for v in kernel),
        "length": n,
        "taps": k,
        "full_steps": f"n + k − 1 = {n} + {k} − 1 = {n + k - 1}",
        "padding": padding,
        "padding_steps": f"p = k − 1 = {k} − 1 = {padding}",
        "check_steps": conv_size_steps(n, k, padding=padding),
        "first_steps": f"y[0] = {first}\ny[1] = {second}",
        "output": ", ".join(number(v) for v in y.flatten().tolist()),
        "call": call("F.conv1d", Source("x"), Source("w.flip(-1)"), padding=padding),
        "code": "\n".join(
            [
                "import numpy as np",
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.tensor([[{list(map(float, signal))!r}]])",
                f"w = torch.tensor([[{list(map(float, kernel))!r}]])",
                f"print(F.conv1d(x, w.flip(-1), padding={padding}))",
                f"print(np.convolve({list(map(float, signal))!r}, {list(map(float, kernel))!r}))",
            ]
        ),
        "result": f"{y}\n{_numpy_full(signal, kernel)}",
    }


def _numpy_full(signal: tuple[float, ...], kernel: tuple[float, ...]) -> str:
    """What ``print(np.convolve(signal, kernel))`` shows."""
    import numpy as np

    return str(np.convolve([float(v) for v in signal], [float(v) for v in kernel]))


@exercise("concept")
def learned(size: int, kernel_size: int) -> Facts:
    """A kernel learned under cross-correlation and the kernel a true-convolution layer
    needs to compute the same function: the same weights rotated by 180° (seeded)."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, 1, size, size, generator=generator)
    k = torch.randn(1, 1, kernel_size, kernel_size, generator=generator)
    correlated = F.conv2d(x, k)
    # True convolution with kernel r is cross-correlation with r rotated; r = k rotated.
    r = k.flip(-1, -2)
    convolved_with_r = F.conv2d(x, r.flip(-1, -2))
    same = torch.equal(correlated, convolved_with_r)
    return {
        "size": size,
        "kernel": kernel_size,
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.randn(1, 1, {size}, {size})",
                f"k = torch.randn(1, 1, {kernel_size}, {kernel_size})",
                "r = k.flip(-1, -2)",
                "true_convolution = F.conv2d(x, r.flip(-1, -2))",
                "print(torch.equal(F.conv2d(x, k), true_convolution))",
            ]
        ),
        "result": str(same),
    }
