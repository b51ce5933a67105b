"""Transposed convolution both ways: scattering kernel copies and gathering with the
rotated kernel give the same output, PyTorch's."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.layers import layer_of, numeric_values
from convdemo.scatter import _values, footprint, scatter_facts, scatter_sums


@pytest.mark.parametrize(
    "size, kernel, stride, padding",
    [(2, 3, 2, 0), (3, 3, 2, 1), (2, 2, 1, 0), (3, 4, 2, 1), (2, 3, 3, 0)],
)
def test_the_scattered_copies_add_up_to_conv_transpose2d_and_to_the_gathered_output(
    size, kernel, stride, padding
):
    x, weight = _values(size, kernel)
    expected = F.conv_transpose2d(x[None, None], weight[None, None], stride=stride,
                                  padding=padding)[0, 0]  # fmt: skip
    torch.testing.assert_close(scatter_sums(size, kernel, stride, padding)[-1], expected)
    _, _, gathered = numeric_values(layer_of("conv_transpose", size, kernel, stride, padding))
    torch.testing.assert_close(gathered, expected)  # zero insertion, rotated kernel


@pytest.mark.parametrize("size, kernel, stride, padding", [(2, 3, 2, 0), (3, 3, 2, 1)])
def test_each_copy_lands_on_the_footprint_of_a_one_hot_input(size, kernel, stride, padding):
    out = scatter_facts(size, kernel, stride, padding)["out"]
    for i, j in itertools.product(range(size), range(size)):
        one_hot = torch.zeros(1, 1, size, size)
        one_hot[..., i, j] = 1
        y = F.conv_transpose2d(one_hot, torch.ones(1, 1, kernel, kernel), stride=stride,
                               padding=padding)[0, 0]  # fmt: skip
        assert y.shape[-1] == out
        expected = sorted(map(tuple, (y > 0).nonzero().tolist()))
        assert sorted(footprint((i, j), out, kernel, stride, padding)) == expected


def test_the_running_sums_grow_one_copy_at_a_time():
    sums = scatter_sums(2, 3, 2)
    assert len(sums) == 4 and torch.count_nonzero(sums[0]) <= 9
    assert all(
        torch.count_nonzero(b) >= torch.count_nonzero(a) for a, b in itertools.pairwise(sums)
    )
