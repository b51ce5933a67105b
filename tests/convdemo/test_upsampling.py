"""Transposed convolution as a gradient, its weight layout, and the ×2 recipes."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.upsampling import (
    RECIPES,
    bridge_facts,
    gradient_facts,
    input_gradient,
    output_padding,
    recipe_facts,
    strided_matrix,
    weight_facts,
)


@pytest.mark.parametrize(
    "size, kernel, stride, padding",
    [c for c in itertools.product([5, 6, 7, 8], [1, 2, 3, 4], [1, 2, 3], [0, 1]) if c[1] > c[3]],
)
def test_the_input_gradient_of_a_convolution_is_its_transposed_convolution(
    size, kernel, stride, padding
):
    g = torch.Generator().manual_seed(size * 100 + kernel * 10 + stride)
    x = torch.randn(2, 3, size, size, generator=g, dtype=torch.float64)
    w = torch.randn(4, 3, kernel, kernel, generator=g, dtype=torch.float64)
    out = F.conv2d(x, w, stride=stride, padding=padding).shape[-1]
    grad_out = torch.randn(2, 4, out, out, generator=g, dtype=torch.float64)
    by_autograd, by_transpose = input_gradient(x, w, grad_out, stride, padding)
    assert by_transpose.shape == x.shape
    torch.testing.assert_close(by_transpose, by_autograd)


def test_output_padding_is_what_a_strided_convolution_rounded_away():
    for size, stride in itertools.product(range(4, 12), [1, 2, 3]):
        extra = output_padding(size, 3, stride, 1)
        assert 0 <= extra < stride
        out = (size + 2 - 3) // stride + 1
        back = torch.nn.ConvTranspose2d(1, 1, 3, stride, 1, extra)(torch.zeros(1, 1, out, out))
        assert back.shape[-1] == size


def test_gradient_facts():
    facts = gradient_facts(6, 3, 2, 1)
    assert (facts["out"], facts["output_padding"], facts["difference"]) == (3, 1, 0.0)


def test_the_transposed_layer_stores_in_channels_first():
    facts = weight_facts(3, 8, 3)
    assert facts["conv_weight"] == str(tuple(torch.nn.Conv2d(3, 8, 3).weight.shape))
    assert facts["conv_weight"] == "(8, 3, 3, 3)"
    assert facts["transposed_weight"] == "(3, 8, 3, 3)"
    assert weight_facts(4, 6, 3, groups=2)["transposed_weight"] == "(4, 3, 3, 3)"


def test_a_conv_weight_used_as_a_transposed_weight_maps_the_output_back():
    """The reason for the layout: conv2d's weight, given to conv_transpose2d, goes from the
    convolution's output channels back to its input channels."""
    w = torch.randn(8, 3, 3, 3)
    y = F.conv2d(torch.randn(1, 3, 9, 9), w)
    assert F.conv_transpose2d(y, w).shape == (1, 3, 9, 9)


@pytest.mark.parametrize("size", [5, 8, 13])
def test_every_recipe_doubles_and_the_counts_are_pytorchs(size):
    facts = recipe_facts(size)
    for i, (k, s, p, op) in enumerate(RECIPES, start=1):
        assert facts[f"r{i}_out"] == 2 * size
        y = F.conv_transpose2d(torch.ones(1, 1, size, size), torch.ones(1, 1, k, k),
                               stride=s, padding=p, output_padding=op)[0, 0]  # fmt: skip
        inner = y[k:-k, k:-k]
        assert (facts[f"r{i}_min"], facts[f"r{i}_max"]) == (inner.min(), inner.max())
    assert facts["r1_min"] == facts["r1_max"]  # kernel divisible by stride: even
    assert facts["r2_min"] < facts["r2_max"]  # 3 with stride 2: the checkerboard


def test_pixel_shuffle_and_resize_give_the_scaled_shape():
    facts = recipe_facts(8, scale=3)
    assert facts["shuffle_middle"] == "(1, 36, 8, 8)"
    assert facts["shuffle_out"] == facts["resize_out"] == "(1, 4, 24, 24)"
    x = torch.arange(36.0).view(1, 36, 1, 1)
    block = torch.nn.PixelShuffle(3)(x)[0]
    assert block.shape == (4, 3, 3)
    assert block[0].flatten().tolist() == list(range(9))  # channels 0–8 fill one block


def test_a_size_with_no_inside_is_refused_by_name():
    with pytest.raises(ValueError, match="size must exceed"):
        recipe_facts(4)


@pytest.mark.parametrize("size, stride", list(itertools.product([5, 6, 7, 9], [1, 2, 3])))
def test_the_strided_matrix_is_conv1d_and_its_transpose_conv_transpose1d(size, stride):
    kernel = (1.0, 2.0, 3.0)
    matrix = strided_matrix(size, kernel, stride)
    w = torch.tensor(kernel).view(1, 1, 3)
    x = torch.randn(1, 1, size)
    torch.testing.assert_close(matrix @ x[0, 0], F.conv1d(x, w, stride=stride)[0, 0])
    y = torch.randn(1, 1, matrix.shape[0])
    extra = size - ((matrix.shape[0] - 1) * stride + 3)
    back = F.conv_transpose1d(y, w, stride=stride, output_padding=extra)[0, 0]
    torch.testing.assert_close(matrix.T @ y[0, 0], back)


def test_the_bridge_facts_name_the_shift_between_kernel_copies():
    facts = bridge_facts(5, (1, 2, 3), (1, 2))
    assert (facts["s1_outputs"], facts["s1_shift"]) == (3, 1)
    assert (facts["s2_outputs"], facts["s2_shift"]) == (2, 2)
    assert bridge_facts(9, (1, 2, 3), (3,))["s1_shift"] == 3
