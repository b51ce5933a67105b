"""Transposed convolution: the matrix identities, zero insertion, round trip, overlaps."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo import load_image, transposed_output_size
from convdemo.transposed import (
    KERNEL,
    conv_matrix,
    overlap_counts,
    resize_then_conv_counts,
    round_trip,
    round_trip_facts,
    transposed_facts,
    zero_insertion,
)

KERNEL_TENSOR = torch.tensor(KERNEL, dtype=torch.float32)[None, None]


@pytest.mark.parametrize("size", [3, 4, 5])
def test_c_times_x_is_conv2d(size):
    x = torch.randn(1, 1, size, size, generator=torch.Generator().manual_seed(size))
    matrix = conv_matrix(size)
    assert matrix.shape == ((size - 2) ** 2, size * size)
    torch.testing.assert_close(matrix @ x.flatten(), F.conv2d(x, KERNEL_TENSOR).flatten())


@pytest.mark.parametrize("size", [3, 4, 5])
def test_c_transpose_times_y_is_conv_transpose2d(size):
    out = size - 2
    y = torch.randn(1, 1, out, out, generator=torch.Generator().manual_seed(size))
    expected = F.conv_transpose2d(y, KERNEL_TENSOR).flatten()
    torch.testing.assert_close(conv_matrix(size).T @ y.flatten(), expected)


@pytest.mark.parametrize(
    "kernel, stride, padding",
    [(k, s, p) for k, s, p in itertools.product((2, 3, 4), (1, 2, 3), (0, 1)) if p < k],
)
def test_zero_insertion_then_flipped_conv_is_conv_transpose2d(kernel, stride, padding):
    x = torch.randn(1, 1, 3, 3, generator=torch.Generator().manual_seed(7))
    weight = torch.randn(1, 1, kernel, kernel, generator=torch.Generator().manual_seed(8))
    for extra in range(stride):  # every output_padding PyTorch accepts
        spread = zero_insertion(x, kernel, stride, padding, output_padding=extra)
        ours = F.conv2d(spread, weight.flip(-1, -2))
        expected = F.conv_transpose2d(
            x, weight, stride=stride, padding=padding, output_padding=extra
        )
        torch.testing.assert_close(ours, expected)
        assert ours.shape[-1] == transposed_output_size(3, kernel, stride, padding, extra)


def test_an_output_padding_pytorch_rejects_is_rejected_by_name():
    x = torch.ones(1, 1, 2, 2)
    with pytest.raises(ValueError, match=r"^output_padding must be smaller than stride"):
        zero_insertion(x, 3, stride=2, output_padding=2)


def test_round_trip_restores_the_interior_exactly_and_zeros_the_border():
    grey = load_image(size=64).mean(dim=1, keepdim=True)
    shrunk, restored = round_trip(grey)
    assert shrunk.shape[-2:] == (grey.shape[-2] - 4, grey.shape[-1] - 4)
    assert restored.shape == grey.shape
    torch.testing.assert_close(restored[..., 2:-2, 2:-2], grey[..., 2:-2, 2:-2], atol=0, rtol=0)
    assert restored[..., :2, :].abs().max() == 0 and restored[..., :, -2:].abs().max() == 0
    facts = round_trip_facts(load_image(size=64))
    assert facts["interior_error"] == 0 and facts["border"] == 2 and facts["kernel"] == 5
    assert facts["border_error"] > 0


def test_overlap_counts_show_the_checkerboard():
    k3 = overlap_counts(4, 3, 2)
    assert sorted(set(k3.flatten().tolist())) == [1.0, 2.0, 4.0]
    assert k3[2, 2] == 4 and k3[2, 3] == 2 and k3[3, 3] == 1  # alternates inside
    k4 = overlap_counts(4, 4, 2)
    assert set(k4[2:-2, 2:-2].flatten().tolist()) == {4.0}
    resized = resize_then_conv_counts(4, 3, 2)
    assert set(resized[1:-1, 1:-1].flatten().tolist()) == {9.0}


def test_transposed_facts_follow_pytorch():
    facts = transposed_facts(4, 2)
    layer = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)
    assert facts["op_with"] == layer(torch.zeros(1, 1, 4, 4)).shape[-1]
    plain = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
    assert facts["op_without"] == plain(torch.zeros(1, 1, 4, 4)).shape[-1]
    conv = torch.nn.Conv2d(1, 1, 3, stride=2, padding=1)
    for size in (facts["op_with"], facts["op_without"]):
        assert conv(torch.zeros(1, 1, size, size)).shape[-1] == facts["op_in"]
    assert (
        facts["stride_out"]
        == F.conv_transpose2d(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 3, 3), stride=2).shape[-1]
    )
    assert (facts["rows"], facts["cols"]) == tuple(conv_matrix(4).shape)
