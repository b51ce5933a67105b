"""The sliding window's steps are the cells PyTorch reads, for every kind of layer.

Each step lists the input cells its window reads. Checked against PyTorch three ways: a
convolution's against ``F.unfold`` of an ``arange`` input, a pooling window's against
pooling a one-hot input, a transposed convolution's against ``conv_transpose2d`` of a
one-hot input (its footprint).
"""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.layers import layer_of
from convdemo.motion import motion

CONV = [
    (size, kernel, stride, padding, dilation)
    for size, kernel, stride, padding, dilation in itertools.product(
        [4, 5, 6, 7], [1, 2, 3, 4], [1, 2, 3], [0, 1, 2], [1, 2]
    )
    if dilation * (kernel - 1) + 1 <= size + 2 * padding
]


@pytest.mark.parametrize("size, kernel, stride, padding, dilation", CONV)
def test_a_convolution_window_reads_what_unfold_reads(size, kernel, stride, padding, dilation):
    layer = layer_of("conv", size, kernel, stride, padding, dilation)
    moved = motion(layer)
    x = torch.arange(1.0, size * size + 1).view(1, 1, size, size)  # 0 means padding
    columns = F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride)[0]
    out = torch.nn.Conv2d(1, 1, kernel, stride, padding, dilation)(x).shape[-2:]
    assert moved.output_size == tuple(out) and len(moved.steps) == columns.shape[1]
    for index, step in enumerate(moved.steps):
        read = sorted(int(v) - 1 for v in columns[:, index] if v > 0)
        assert sorted(r * size + c for r, c in step.reads) == read, (index, step)
        assert len(step.taps) == kernel * kernel


POOL = [
    (op, size, kernel, stride, padding, ceil)
    for op, size, kernel, stride, padding, ceil in itertools.product(
        ["max_pool", "avg_pool"], [4, 5, 6, 7], [2, 3], [1, 2, 3], [0, 1], [False, True]
    )
    if padding <= kernel // 2
]


@pytest.mark.parametrize("op, size, kernel, stride, padding, ceil", POOL)
def test_a_pooling_window_holds_the_cells_that_reach_its_output(
    op, size, kernel, stride, padding, ceil
):
    layer = layer_of(op, size, kernel, stride, padding, ceil_mode=ceil)
    moved = motion(layer)
    pool = F.max_pool2d if op == "max_pool" else F.avg_pool2d
    module = torch.nn.MaxPool2d if op == "max_pool" else torch.nn.AvgPool2d
    assert moved.output_size == tuple(
        module(kernel, stride, padding, ceil_mode=ceil)(torch.zeros(1, 1, size, size)).shape[-2:]
    )
    reached: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for i, j in itertools.product(range(size), range(size)):
        x = torch.zeros(1, 1, size, size)
        x[..., i, j] = 1.0
        y = pool(x, kernel, stride, padding, ceil_mode=ceil)[0, 0]
        for r, c in (y > 0).nonzero().tolist():
            reached.setdefault((r, c), set()).add((i, j))
    for step in moved.steps:
        assert set(step.reads) == reached.get(step.output, set()), step.output


def test_ceil_mode_draws_the_window_pytorch_drops():
    layer = layer_of("max_pool", 5, 2, 2, 1, ceil_mode=True)
    moved = motion(layer)
    assert moved.output_size == (3, 3)  # rounding up would give 4; the 4th is dropped
    assert sorted(moved.dropped) == [(0, 6), (1, 6)]  # it would start at padded index 6
    assert all(moved.grid[0][6].kind in ("padding", "outside") for _ in range(1))
    assert motion(layer_of("max_pool", 5, 2, 2, 1)).dropped == ()


TRANSPOSED = [
    (size, kernel, stride, padding, output_padding)
    for size, kernel, stride, padding, output_padding in itertools.product(
        [2, 3], [2, 3, 4], [1, 2, 3], [0, 1, 2], [0, 1, 2]
    )
    if output_padding < stride and (size - 1) * stride - 2 * padding + kernel + output_padding > 0
]


@pytest.mark.parametrize("size, kernel, stride, padding, output_padding", TRANSPOSED)
def test_a_transposed_window_covers_exactly_the_inputs_whose_footprint_holds_its_output(
    size, kernel, stride, padding, output_padding
):
    layer = layer_of("conv_transpose", size, kernel, stride, padding, 1, output_padding)
    moved = motion(layer)
    shape = torch.nn.ConvTranspose2d(1, 1, kernel, stride, padding, output_padding)(
        torch.zeros(1, 1, size, size)
    ).shape[-2:]
    assert moved.output_size == tuple(shape)
    footprint: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for i, j in itertools.product(range(size), range(size)):
        x = torch.zeros(1, 1, size, size)
        x[..., i, j] = 1.0
        y = F.conv_transpose2d(x, torch.ones(1, 1, kernel, kernel), stride=stride,
                               padding=padding, output_padding=output_padding)[0, 0]  # fmt: skip
        for r, c in (y > 0).nonzero().tolist():
            footprint.setdefault((r, c), set()).add((i, j))
    for step in moved.steps:
        assert set(step.reads) == footprint.get(step.output, set()), step.output


@pytest.mark.parametrize("size, kernel, dilation", [(8, 3, 2), (6, 2, 1), (7, 3, 3)])
def test_a_causal_window_reads_only_the_present_and_the_past(size, kernel, dilation):
    layer = layer_of("conv", size, kernel, dilation=dilation, dims=1, causal=True)
    moved = motion(layer)
    left = dilation * (kernel - 1)
    x = torch.arange(1.0, size + 1).view(1, 1, 1, size)
    columns = F.unfold(F.pad(x, (left, 0)), (1, kernel), dilation=(1, dilation))[0]
    assert moved.output_size == (1, size) and len(moved.steps) == columns.shape[1]
    for index, step in enumerate(moved.steps):
        assert sorted(c for _, c in step.reads) == sorted(
            int(v) - 1 for v in columns[:, index] if v > 0
        )
        assert max(c for _, c in step.reads) == step.output[1]  # never a future input
