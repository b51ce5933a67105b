"""Transposed convolution ("deconvolution"): convolution's matrix, transposed.

An unpadded convolution of an ``n×n`` input with a ``k×k`` kernel is a matrix ``C`` of
shape ``(o², n²)`` with ``o = n − k + 1`` acting on the flattened input: row ``i`` holds
the kernel's weights at the input cells output ``i`` reads, zeros elsewhere. The
transposed convolution multiplies by ``Cᵀ`` instead: ``o²`` values in, ``n²`` out. It
restores the *shape* of the input, not its values; it is not the inverse of the
convolution, which is what "deconvolution" means in signal processing.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from convdemo.arithmetic import conv_output_size, conv_windows, transposed_output_size
from convdemo.cells import cell, format_number, frame, number_grid
from convdemo.style import INPUT, KERNEL_FILL, OUTPUT, PADDING, PADDING_HATCH

__all__ = [
    "KERNEL",
    "conv_matrix",
    "matrix_facts",
    "matrix_figure",
    "output_padding_facts",
    "stride_facts",
    "stride_figure",
    "transpose_figure",
    "zero_insertion",
]

#: A 3×3 kernel with distinct weights, so each entry of C shows where it came from.
KERNEL: tuple[tuple[int, ...], ...] = ((1, 2, 3), (4, 5, 6), (7, 8, 9))


def conv_matrix(size: int, kernel: tuple[tuple[int, ...], ...] = KERNEL) -> torch.Tensor:
    """The matrix ``C`` with ``C @ x.flatten() == conv2d(x, kernel).flatten()``."""
    k = len(kernel)
    windows = conv_windows(size, k)
    out = len(windows)
    matrix = torch.zeros(out * out, size * size)
    for r, row_window in enumerate(windows):
        for c, col_window in enumerate(windows):
            for i, tap_row in enumerate(row_window.taps):
                for j, tap_col in enumerate(col_window.taps):
                    matrix[r * out + c, tap_row * size + tap_col] = kernel[i][j]
    return matrix


def matrix_figure(size: int = 4) -> Figure:
    """``C`` for a ``size×size`` input and the 3×3 ``KERNEL``; zero entries greyed."""
    matrix = conv_matrix(size).tolist()
    rows, cols = len(matrix), len(matrix[0])
    figure = Figure(figsize=(0.42 * cols + 0.6, 0.42 * rows + 1.2))
    ax = figure.subplots()
    number_grid(
        ax,
        matrix,
        lambda r, c, v: KERNEL_FILL if v else PADDING,
        f"C: {rows}×{cols} (one row per output cell, one column per input cell)",
        fontsize=8,
    )
    for c in range(cols):
        ax.text(c + 0.5, rows + 0.35, f"x{c}", ha="center", va="top", fontsize=7)
    for r in range(rows):
        ax.text(-0.25, r + 0.5, f"y{r}", ha="right", va="center", fontsize=7)
    ax.set_xlim(-1.0, cols + 0.1)
    ax.set_ylim(rows + 1.0, -0.1)
    return figure


def zero_insertion(
    values: torch.Tensor,
    kernel_size: int,
    stride: int,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> torch.Tensor:
    """The input a stride-1 convolution needs to reproduce a transposed convolution.

    ``stride − 1`` zeros between neighbouring values, then ``d(k − 1) − p`` zeros around
    (a negative count crops instead), and ``output_padding`` more below and to the
    right. Convolving this with the kernel rotated by 180° (dilated by ``d``) gives
    ``conv_transpose2d(values, kernel, stride, padding, output_padding, dilation=d)``.
    """
    height, width = values.shape[-2:]
    # The same checks as PyTorch's, with errors that name the parameter.
    transposed_output_size(height, kernel_size, stride, padding, output_padding, dilation)
    spread = torch.zeros(*values.shape[:-2], (height - 1) * stride + 1, (width - 1) * stride + 1)
    spread[..., ::stride, ::stride] = values
    border = dilation * (kernel_size - 1) - padding
    return F.pad(spread, (border, border + output_padding, border, border + output_padding))


def _numeric_kernel(kernel_size: int) -> torch.Tensor:
    """``NUMERIC_KERNEL`` (repeated to size): its rotation by 180° visibly differs."""
    from convdemo.layers import NUMERIC_KERNEL

    return torch.tensor(
        [[float(NUMERIC_KERNEL[i % 3][j % 3]) for j in range(kernel_size)]
         for i in range(kernel_size)]
    )  # fmt: skip


def stride_figure(
    size: int = 2, kernel_size: int = 3, stride: int = 2, output_padding: int = 0
) -> Figure:
    """A stride-``s`` transposed convolution drawn as zero insertion, padding, and a plain
    convolution with the kernel rotated by 180°.

    ``output_padding`` adds that many rows and columns of zeros below and to the right,
    and as many to the output, as ``ConvTranspose2d(output_padding=…)`` does.
    """
    values = torch.arange(1.0, size * size + 1).view(1, 1, size, size)
    kernel = _numeric_kernel(kernel_size)
    spread = zero_insertion(values, kernel_size, stride, output_padding=output_padding)[0, 0]
    result = F.conv2d(spread[None, None], kernel.flip(-1, -2)[None, None])[0, 0]
    border = kernel_size - 1
    inner = (size - 1) * stride + 1
    out = transposed_output_size(size, kernel_size, stride, output_padding=output_padding)
    grid_size = spread.shape[-1]
    widths = [size, grid_size, kernel_size, kernel_size, out]
    figure = Figure(figsize=(0.3 * (sum(widths) + 7), 0.3 * (grid_size + 4)))
    grid = figure.add_gridspec(1, 5, width_ratios=widths, wspace=0.3)
    axes = [figure.add_subplot(grid[0, i]) for i in range(5)]
    number_grid(axes[0], values[0, 0].tolist(), INPUT, f"input\n{size}×{size}", fontsize=9)
    for r, row in enumerate(spread.tolist()):
        for c, value in enumerate(row):
            in_border = not (border <= r < border + inner and border <= c < border + inner)
            original = not in_border and (r - border) % stride == 0 and (c - border) % stride == 0
            colour = INPUT if original else PADDING
            cell(axes[1], r, c, colour, hatch=PADDING_HATCH if in_border else None,
                 label=format_number(value), fontsize=9)  # fmt: skip
    spread_title = f"{stride - 1} zero between,\n{border} around"
    frame(axes[1], grid_size, grid_size, spread_title)
    number_grid(axes[2], kernel.tolist(), KERNEL_FILL, "kernel", fontsize=9)
    number_grid(axes[3], kernel.flip(0, 1).tolist(), KERNEL_FILL, "rotated\n180°", fontsize=9)
    number_grid(axes[4], result.tolist(), OUTPUT, f"output\n{out}×{out}", fontsize=9)
    for ax, rows in zip(axes, widths, strict=True):
        offset = (grid_size - rows) / 2
        ax.set_ylim(rows + offset + 0.1, -offset - 0.1)
    return figure


def matrix_facts(size: int = 4) -> dict[str, int]:
    """The numbers ``matrix_figure`` and ``transpose_figure`` draw: the input and kernel
    sizes, the convolution's output, and the matrix's rows and columns."""
    kernel = len(KERNEL)
    out = conv_output_size(size, kernel)
    return {
        "size": size,
        "kernel": kernel,
        "weights": kernel * kernel,
        "conv_out": out,
        "rows": out * out,
        "cols": size * size,
    }


def stride_facts(
    size: int = 2, kernel_size: int = 3, stride: int = 2, output_padding: int = 0
) -> dict[str, int]:
    """The numbers ``stride_figure`` draws: the zeros between values and around them, the
    spread grid's size and the output's."""
    spread = zero_insertion(
        torch.ones(1, 1, size, size), kernel_size, stride, output_padding=output_padding
    )
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "output_padding": output_padding,
        "zeros": stride - 1,
        "border": kernel_size - 1,  # d(k − 1) − p, with d = 1 and p = 0
        "grid": spread.shape[-1],
        "out": transposed_output_size(size, kernel_size, stride, output_padding=output_padding),
    }


def output_padding_facts(
    size: int = 4, kernel_size: int = 3, stride: int = 2, padding: int = 1, output_padding: int = 1
) -> dict[str, int]:
    """Why ``output_padding`` exists: two input sizes a strided convolution maps to the
    same ``size``, and the transposed convolution from ``size`` without and with it."""
    without = transposed_output_size(size, kernel_size, stride, padding)
    with_one = transposed_output_size(size, kernel_size, stride, padding, output_padding)
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "without": without,
        "with": with_one,
        "conv_of_without": conv_output_size(without, kernel_size, stride, padding),
        "conv_of_with": conv_output_size(with_one, kernel_size, stride, padding),
    }


def transpose_figure(size: int = 4) -> Figure:
    """``Cᵀ`` spreading a 2×2 map back to ``size×size``: the transposed convolution."""
    matrix = conv_matrix(size)
    out = conv_output_size(size, len(KERNEL))
    values = torch.arange(1.0, out * out + 1)
    spread = (matrix.T @ values).view(size, size)
    figure = Figure(figsize=(8.0, 7.4))
    grid = figure.add_gridspec(1, 3, width_ratios=[out + 1, out + 2, size])
    first, middle, last = (figure.add_subplot(grid[0, i]) for i in range(3))
    number_grid(first, values.view(out, out).tolist(), INPUT, f"y: {out}×{out}", fontsize=10)
    number_grid(
        middle,
        matrix.T.tolist(),
        lambda r, c, v: KERNEL_FILL if v else PADDING,
        f"Cᵀ: {size * size}×{out * out}",
        fontsize=8,
    )
    number_grid(last, spread.tolist(), OUTPUT, f"Cᵀy: {size}×{size}", fontsize=9)
    for ax, rows in ((first, out), (last, size)):
        pad = (size * size - rows) / 2
        ax.set_ylim(rows + pad + 0.1, -pad - 0.1)
    return figure
