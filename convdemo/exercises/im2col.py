"""Exercises of chapter 11, convolution as a matrix product: the shapes ``F.unfold`` and
the product give, a small convolution done as columns by hand, ``F.fold`` told the
output's size instead of the image's, the stride that makes fold undo unfold, and what
the columns cost a batch.

The grid and kernel of the exercise worked by hand, written out::

    GRID        KERNEL
    1 2 0       1 −1
    3 1 2       2  0
    0 1 4
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
    stacked,
    tensor_source,
)
from convdemo.im2col import conv2d_im2col, coverage

__all__ = ["GRID", "KERNEL", "batch_memory", "by_columns", "fold_size", "no_overlap", "shapes"]

GRID: tuple[tuple[float, ...], ...] = ((1, 2, 0), (3, 1, 2), (0, 1, 4))
KERNEL: tuple[tuple[float, ...], ...] = ((1, -1), (2, 0))


@exercise("shape")
def shapes(
    batch: int,
    channels: int,
    size: int,
    out_channels: int,
    kernel_size: int,
    stride: int,
    padding: int,
) -> Facts:
    """``F.unfold`` of a batch, the weight as rows, their product, and the view that
    makes it the convolution's output."""
    x = torch.zeros(batch, channels, size, size)
    w = torch.zeros(out_channels, channels, kernel_size, kernel_size)
    columns = F.unfold(x, kernel_size, stride=stride, padding=padding)
    rows = w.reshape(out_channels, -1)
    product = rows @ columns
    out = conv2d_im2col(x, w, stride=stride, padding=padding)
    side = out.shape[-1]
    unfold = call("F.unfold", Source("x"), kernel_size, stride=stride, padding=padding)
    return {
        "input": shape_text(x.shape),
        "weight": shape_text(w.shape),
        "unfold": unfold,
        "rows_count": rows.shape[1],
        "rows_steps": f"C·k·k = {channels}·{kernel_size}·{kernel_size} = {rows.shape[1]}",
        "side_steps": stacked(conv_size_steps(size, kernel_size, stride, padding)),
        "windows": columns.shape[-1],
        "windows_steps": f"L = H_out·W_out = {side}·{side} = {columns.shape[-1]}",
        "columns": shape_text(columns.shape),
        "rows": shape_text(rows.shape),
        "product": shape_text(product.shape),
        "output": shape_text(out.shape),
        "explorer": explorer_hash(
            "conv2d",
            x.shape,
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
        ),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.zeros{shape_text(x.shape)}",
                f"w = torch.zeros{shape_text(w.shape)}",
                f"columns = {unfold}",
                f"y = w.reshape({out_channels}, -1) @ columns",
                "print(columns.shape, y.shape)",
                f"print(y.view({batch}, {out_channels}, {side}, {side}).shape)",
            ]
        ),
        "result": f"{columns.shape} {product.shape}\n{out.shape}",
    }


@exercise("value")
def by_columns() -> Facts:
    """``F.conv2d`` of ``GRID`` with ``KERNEL`` done as im2col: the columns of
    ``F.unfold``, and the weight row times each column."""
    x = torch.tensor(GRID, dtype=torch.float32)[None, None]
    w = torch.tensor(KERNEL, dtype=torch.float32)[None, None]
    k = w.shape[-1]
    columns = F.unfold(x, k)[0]
    row = w.flatten().tolist()
    y = F.conv2d(x, w)
    lines = []
    for index in range(columns.shape[-1]):
        pairs = list(zip(row, columns[:, index].tolist(), strict=True))
        value = float(y.flatten()[index])
        lines.append(f"y[{index}] = {products_steps(pairs, result=value)}")
    return {
        "grids": side_by_side(("input", GRID), ("kernel", KERNEL)),
        "kernel": k,
        "columns": grid_text(columns.tolist()),
        "windows": columns.shape[-1],
        "row": ", ".join(number(v) for v in row),
        "steps": "\n".join(lines),
        "output": grid_text(y[0, 0].tolist()),
        "out": y.shape[-1],
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                tensor_source("x", GRID, x.shape),
                tensor_source("w", KERNEL, w.shape),
                f"columns = F.unfold(x, {k})",
                "print(columns)",
                f"print((w.reshape(1, -1) @ columns).view(1, 1, {y.shape[-2]}, {y.shape[-1]}))",
                "print(F.conv2d(x, w))",
            ]
        ),
        "result": f"{F.unfold(x, k)}\n{y}\n{y}",
    }


@exercise("error")
def fold_size(size: int, kernel_size: int) -> Facts:
    """``F.fold`` given the convolution's output size where it needs the image's: the
    number of windows it computes does not match the columns."""
    x = torch.zeros(1, 1, size, size)
    columns = F.unfold(x, kernel_size)
    out = size - kernel_size + 1
    kind, message = raised(lambda: F.fold(columns, output_size=(out, out), kernel_size=kernel_size))
    fold_wrong = call("F.fold", Source("columns"), output_size=(out, out), kernel_size=kernel_size)
    fold_right = call(
        "F.fold", Source("columns"), output_size=(size, size), kernel_size=kernel_size
    )
    back = F.fold(columns, output_size=(size, size), kernel_size=kernel_size)
    return {
        "input": shape_text(x.shape),
        "kernel": kernel_size,
        "columns": shape_text(columns.shape),
        "windows": columns.shape[-1],
        "out": out,
        "wrong": fold_wrong,
        "right": fold_right,
        "right_output": shape_text(back.shape),
        "error_type": kind,
        "error": message,
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"columns = F.unfold(torch.zeros{shape_text(x.shape)}, {kernel_size})",
                fold_wrong,
            ]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def no_overlap(size: int, kernel_size: int) -> Facts:
    """The stride that makes ``F.fold`` undo ``F.unfold``: windows that tile the image
    without overlap, so each cell is covered once."""
    if size % kernel_size:
        raise ValueError(f"kernel_size {kernel_size} must divide size {size}")
    stride = kernel_size
    counts = coverage(size, kernel_size, stride)
    overlapping = coverage(size, kernel_size, 1)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, 1, size, size, generator=generator)
    back = F.fold(F.unfold(x, kernel_size, stride=stride), size, kernel_size, stride=stride)
    unfold = call("F.unfold", Source("x"), kernel_size, stride=stride)
    fold = call("F.fold", Source("columns"), size, kernel_size, stride=stride)
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "unfold": unfold,
        "fold": fold,
        "windows_steps": stacked(conv_size_steps(size, kernel_size, stride)),
        "per_side": size // kernel_size,
        "lowest": int(counts.min()),
        "highest": int(counts.max()),
        "overlap_highest": int(overlapping.max()),
        "output": shape_text((1, 1, size // kernel_size, size // kernel_size)),
        "explorer": explorer_hash("conv2d", x.shape, kernel_size=kernel_size, stride=stride),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.randn(1, 1, {size}, {size})",
                f"columns = {unfold}",
                f"print(torch.equal({fold}, x))",
            ]
        ),
        "result": str(torch.equal(back, x)),
    }


@exercise("concept")
def batch_memory(batch: int, channels: int, size: int, kernel_size: int) -> Facts:
    """The columns of a batch with same padding, stride 1: ``k·k`` copies of every value,
    in values and in float32 megabytes (10⁶ bytes)."""
    padding = (kernel_size - 1) // 2
    x = torch.zeros(batch, channels, size, size)
    columns = F.unfold(x, kernel_size, padding=padding)
    mb = 4 / 1e6  # float32 bytes per value, in megabytes
    return {
        "input": shape_text(x.shape),
        "kernel": kernel_size,
        "padding": padding,
        "unfold": call("F.unfold", Source("x"), kernel_size, padding=padding),
        "columns": shape_text(columns.shape),
        "values": x.numel(),
        "column_values": columns.numel(),
        "input_mb": x.numel() * mb,
        "columns_mb": columns.numel() * mb,
        "ratio": columns.numel() / x.numel(),
        "ratio_steps": f"k·k = {kernel_size}·{kernel_size} = {kernel_size * kernel_size}",
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.zeros{shape_text(x.shape)}",
                f"columns = F.unfold(x, {kernel_size}, padding={padding})",
                "print(columns.shape, columns.numel() / x.numel())",
            ]
        ),
        "result": f"{columns.shape} {columns.numel() / x.numel()}",
    }
