"""Convolution as a matrix product: im2col equals F.conv2d, fold equals F.conv_transpose2d,
and fold is unfold's transpose. Every claim of the chapter, against PyTorch."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.im2col import (
    conv2d_im2col,
    conv_transpose2d_fold,
    coverage,
    demo_input,
    demo_weight,
    memory_facts,
)
from convdemo.transposed import KERNEL, conv_matrix
from figures.registry import SEPARABLE

SETTINGS = [
    # (batch, in, out, size, kernel, stride, padding, dilation, bias)
    (1, 1, 1, 5, 3, 1, 0, 1, False),
    (2, 3, 4, 7, 3, 1, 1, 1, True),
    (1, 2, 5, 8, 2, 2, 0, 1, True),
    (3, 4, 2, 9, 3, 1, 0, 2, False),
    (1, 3, 3, 10, 5, 2, 2, 1, True),
    (2, 2, 6, 11, 3, 3, 1, 2, True),
    (1, 5, 1, 6, 1, 1, 0, 1, False),
    (1, 2, 3, 9, 4, 2, 3, 2, True),
]


@pytest.mark.parametrize("batch, c_in, c_out, size, k, stride, padding, dilation, bias", SETTINGS)
def test_im2col_is_conv2d(batch, c_in, c_out, size, k, stride, padding, dilation, bias):
    generator = torch.Generator().manual_seed(size * k + c_in)
    x = torch.randn(batch, c_in, size, size + 1, generator=generator)  # not square: no mix-up
    weight = torch.randn(c_out, c_in, k, k, generator=generator)
    b = torch.randn(c_out, generator=generator) if bias else None
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    torch.testing.assert_close(
        conv2d_im2col(x, weight, b, **options), F.conv2d(x, weight, b, **options)
    )


@pytest.mark.parametrize("batch, c_in, c_out, size, k, stride, padding, dilation, bias", SETTINGS)
def test_fold_of_the_weighted_columns_is_conv_transpose2d(
    batch, c_in, c_out, size, k, stride, padding, dilation, bias
):
    generator = torch.Generator().manual_seed(size + k)
    side = size // 2 + 2
    y = torch.randn(batch, c_in, side, side, generator=generator)
    weight = torch.randn(c_in, c_out, k, k, generator=generator)  # (C_in, C_out, k, k)
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    expected = F.conv_transpose2d(y, weight, **options)
    torch.testing.assert_close(conv_transpose2d_fold(y, weight, **options), expected)


@pytest.mark.parametrize(
    "size, k, stride, padding", [(5, 3, 1, 0), (6, 2, 2, 0), (7, 3, 2, 1), (5, 4, 1, 2)]
)
def test_fold_is_unfolds_transpose(size, k, stride, padding):
    generator = torch.Generator().manual_seed(size)
    x = torch.randn(2, 3, size, size, generator=generator, dtype=torch.float64)
    columns = F.unfold(x, k, padding=padding, stride=stride)
    c = torch.randn(columns.shape, generator=generator, dtype=torch.float64)
    folded = F.fold(c, (size, size), k, padding=padding, stride=stride)
    torch.testing.assert_close((columns * c).sum(), (x * folded).sum())


@pytest.mark.parametrize("size, k, stride", list(itertools.product((4, 5, 7), (2, 3), (1, 2, 3))))
def test_coverage_counts_the_windows_on_each_cell(size, k, stride):
    counts = coverage(size, k, stride)
    # Counted by hand from the window arithmetic: the windows that contain each cell.
    starts = range(0, size - k + 1, stride)
    per_axis = torch.tensor(
        [sum(s <= i < s + k for s in starts) for i in range(size)], dtype=torch.float32
    )
    torch.testing.assert_close(counts, per_axis[:, None] * per_axis[None, :])
    x = torch.randn(1, 1, size, size)
    folded = F.fold(F.unfold(x, k, stride=stride), (size, size), k, stride=stride)
    torch.testing.assert_close(folded[0, 0], x[0, 0] * counts)  # each cell times its count


def test_the_fold_figure_is_chapter_7s_transposed_matrix():
    """fold(wᵀy) with the chapter-7 kernel equals Cᵀy there, for the same y = 1…4."""
    from convdemo.im2col_figures import _transposed

    y, _, columns, result = _transposed(2)
    size = result.shape[-1]
    spread = (conv_matrix(size).T @ y.flatten()).view(size, size)
    torch.testing.assert_close(result, spread)
    kernel = torch.tensor(KERNEL, dtype=torch.float32)[None, None]
    torch.testing.assert_close(result, F.conv_transpose2d(y[None, None], kernel)[0, 0])
    assert columns.shape == (kernel.numel(), y.numel())


def test_the_demo_tensors():
    x, w = demo_input(2, 3), demo_weight(2, 2)
    assert x.shape == (1, 2, 3, 3) and x.flatten().tolist() == list(range(1, 19))
    assert w.shape == (1, 2, 2, 2) and set(w.flatten().tolist()) <= {-1.0, 0.0, 1.0, 2.0}


@pytest.mark.parametrize(
    "size, c_in, c_out, k",
    [
        tuple(SEPARABLE[key] for key in ("size", "in_channels", "out_channels", "kernel_size")),
        (10, 3, 4, 5),
    ],
)
def test_memory_facts_are_unfolds_shapes(size, c_in, c_out, k):
    facts = memory_facts(size, c_in, c_out, k)
    x = torch.randn(1, c_in, size, size)
    columns = F.unfold(x, k, padding=k // 2)
    assert (
        (facts["rows"], facts["windows"]) == tuple(columns.shape[1:]) == (c_in * k * k, size * size)
    )
    assert facts["columns"] == columns.numel() and facts["input"] == x.numel()
    assert facts["ratio"] == k * k  # one window per position, with size-keeping padding
    assert facts["columns_mb"] == columns.numel() * columns.element_size() / 1e6
    weight = torch.randn(c_out, c_in, k, k)
    assert facts["weights"] == weight.numel()
    assert facts["output"] == F.conv2d(x, weight, padding=k // 2).numel()


@pytest.mark.parametrize("size, k", [(5, 3), (6, 3), (7, 5)])
def test_border_values_land_in_fewer_windows_and_padding_fills_the_columns(size, k):
    facts = memory_facts(size, 2, 1, k)
    windows = F.fold(F.unfold(torch.ones(1, 2, size, size), k, padding=k // 2),
                     (size, size), k, padding=k // 2)  # fmt: skip
    assert windows[0, 0, size // 2, size // 2] == k * k and windows[0, 0, 0, 0] < k * k
    assert facts["columns"] - facts["from_padding"] == windows.sum()
