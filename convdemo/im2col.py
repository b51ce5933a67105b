"""Convolution as one matrix product: ``F.unfold`` (im2col), and ``F.fold``, its transpose.

``F.unfold`` copies every window the mask visits into a column: ``N×C×H×W`` becomes
``N × (C·k·k) × L``, with ``L`` the number of windows (the output's height times width).
The convolution is then the weight, reshaped to a ``C_out × (C·k·k)`` matrix, times those
columns, and a reshape to ``N × C_out × H_out × W_out``.

``F.fold`` goes the other way: it adds every column back onto the cells its window came
from. It is ``unfold``'s transpose (adjoint), not its inverse: a cell that ``L_c``
windows cover comes back multiplied by ``L_c``. The transposed convolution of chapter 7
is a fold of the kernel-weighted columns.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from convdemo.arithmetic import conv_output_size, transposed_output_size

__all__ = [
    "conv2d_im2col",
    "conv_transpose2d_fold",
    "coverage",
    "demo_input",
    "demo_weight",
    "memory_facts",
]


# --8<-- [start:im2col]
def conv2d_im2col(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> torch.Tensor:
    """``F.conv2d`` as one matrix product: every window becomes a column of ``F.unfold``."""
    batch, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    columns = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)
    rows = weight.reshape(out_channels, -1)  # one row per output channel: C·kh·kw weights
    y = rows @ columns  # (C_out, C·kh·kw) @ (N, C·kh·kw, L) -> (N, C_out, L)
    if bias is not None:
        y = y + bias.view(1, -1, 1)
    out_h = conv_output_size(height, kh, stride, padding, dilation)
    out_w = conv_output_size(width, kw, stride, padding, dilation)
    return y.view(batch, out_channels, out_h, out_w)


# --8<-- [end:im2col]


# --8<-- [start:fold]
def conv_transpose2d_fold(
    y: torch.Tensor, weight: torch.Tensor, stride: int = 1, padding: int = 0, dilation: int = 1
) -> torch.Tensor:
    """``F.conv_transpose2d`` as a fold: each input value times the whole kernel is a
    column (``wᵀ y``), and ``F.fold`` adds the columns up where their windows overlap."""
    batch, in_channels, height, width = y.shape
    kh, kw = weight.shape[-2:]  # a transposed convolution's weight: (C_in, C_out, k, k)
    columns = weight.reshape(in_channels, -1).T @ y.reshape(batch, in_channels, height * width)
    out_h = transposed_output_size(height, kh, stride, padding, 0, dilation)
    out_w = transposed_output_size(width, kw, stride, padding, 0, dilation)
    return F.fold(
        columns, (out_h, out_w), (kh, kw), dilation=dilation, padding=padding, stride=stride
    )


# --8<-- [end:fold]


def coverage(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> torch.Tensor:
    """How many windows cover each cell: ``fold(unfold(ones))``, a ``size×size`` map."""
    ones = torch.ones(1, 1, size, size)
    windows = F.unfold(ones, kernel_size, padding=padding, stride=stride)
    return F.fold(windows, (size, size), kernel_size, padding=padding, stride=stride)[0, 0]


def demo_input(channels: int, size: int) -> torch.Tensor:
    """``1×channels×size×size`` holding 1, 2, 3… in reading order: every value distinct,
    so a column of ``unfold`` shows where each entry came from."""
    return torch.arange(1.0, channels * size * size + 1).view(1, channels, size, size)


def demo_weight(channels: int, kernel_size: int) -> torch.Tensor:
    """One output channel's weights ``1×channels×k×k``: the small integers −1, 0, 1, 2
    in turn, easy to multiply in one's head."""
    count = channels * kernel_size * kernel_size
    values = torch.arange(count) % 4 - 1
    return values.float().view(1, channels, kernel_size, kernel_size)


def memory_facts(
    size: int = 56, in_channels: int = 128, out_channels: int = 128, kernel_size: int = 3
) -> dict[str, float]:
    """What im2col stores for a ``k×k`` layer with padding that keeps the size, from the
    shapes ``F.unfold`` really returns: the input's values, the columns' and their ratio,
    in float32 megabytes too.

    The ratio is ``k²``: one window per input position, ``k²`` values per channel in
    each. A value near the border lands in fewer than ``k²`` windows; the padding zeros
    the border windows read (``from_padding``) make up the difference.
    """
    x = torch.ones(1, in_channels, size, size)
    columns = F.unfold(x, kernel_size, padding=kernel_size // 2)
    megabyte = 1e6 / x.element_size()
    rows, windows = columns.shape[1:]
    return {
        "size": size, "in_channels": in_channels, "out_channels": out_channels,
        "kernel": kernel_size, "rows": rows, "windows": windows,
        "input": x.numel(), "columns": columns.numel(),
        "from_padding": int((columns == 0).sum()),
        "ratio": columns.numel() / x.numel(),
        "input_mb": x.numel() / megabyte, "columns_mb": columns.numel() / megabyte,
        "output": out_channels * windows, "weights": out_channels * rows,
    }  # fmt: skip
