"""Transposed convolution: the matrix identities, zero insertion, and the numbers quoted."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo import transposed_output_size
from convdemo.transposed import (
    KERNEL,
    conv_matrix,
    matrix_facts,
    output_padding_facts,
    stride_facts,
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


@pytest.mark.parametrize(
    "size, kernel, stride, padding", [(4, 3, 2, 1), (5, 4, 2, 1), (3, 3, 3, 0)]
)
def test_output_padding_facts_follow_pytorch(size, kernel, stride, padding):
    facts = output_padding_facts(size, kernel, stride, padding, output_padding=1)
    zeros = torch.zeros(1, 1, size, size)
    with_it = torch.nn.ConvTranspose2d(1, 1, kernel, stride, padding, output_padding=1)
    without = torch.nn.ConvTranspose2d(1, 1, kernel, stride, padding)
    assert facts["with"] == with_it(zeros).shape[-1]
    assert facts["without"] == without(zeros).shape[-1]
    conv = torch.nn.Conv2d(1, 1, kernel, stride, padding)
    for key in ("with", "without"):
        big = torch.zeros(1, 1, facts[key], facts[key])
        assert conv(big).shape[-1] == facts[f"conv_of_{key}"] == size


@pytest.mark.parametrize("size, kernel, stride", [(2, 3, 2), (3, 2, 2), (2, 4, 3)])
def test_stride_facts_follow_pytorch(size, kernel, stride):
    facts = stride_facts(size, kernel, stride)
    out = F.conv_transpose2d(
        torch.zeros(1, 1, size, size), torch.zeros(1, 1, kernel, kernel), stride=stride
    )
    assert facts["out"] == out.shape[-1]
    spread = zero_insertion(torch.ones(1, 1, size, size), kernel, stride)
    assert facts["grid"] == spread.shape[-1] and facts["zeros"] == stride - 1
    assert facts["grid"] - facts["kernel"] + 1 == facts["out"]  # a plain convolution of it


@pytest.mark.parametrize("size", [3, 4, 6])
def test_matrix_facts_are_the_matrix_shape(size):
    facts = matrix_facts(size)
    assert (facts["rows"], facts["cols"]) == tuple(conv_matrix(size).shape)
    assert facts["conv_out"] ** 2 == facts["rows"] and facts["weights"] == KERNEL_TENSOR.numel()


@pytest.mark.parametrize(
    "kernel, stride, padding, dilation",
    [(3, 2, 0, 2), (3, 2, 1, 2), (2, 3, 0, 3), (3, 1, 3, 2), (4, 2, 3, 1), (2, 2, 2, 1)],
)
def test_the_border_is_d_times_k_minus_1_minus_p_even_when_it_crops(
    kernel, stride, padding, dilation
):
    x = torch.randn(1, 1, 4, 4, generator=torch.Generator().manual_seed(11))
    weight = torch.randn(1, 1, kernel, kernel, generator=torch.Generator().manual_seed(12))
    spread = zero_insertion(x, kernel, stride, padding, dilation=dilation)
    ours = F.conv2d(spread, weight.flip(-1, -2), dilation=dilation)
    expected = F.conv_transpose2d(x, weight, stride=stride, padding=padding, dilation=dilation)
    torch.testing.assert_close(ours, expected)


def test_the_stride_figure_shows_pytorchs_output_and_a_visibly_rotated_kernel():
    import matplotlib

    from convdemo.style import RC
    from convdemo.transposed import _numeric_kernel, stride_figure

    kernel = _numeric_kernel(3)
    assert not torch.equal(kernel, kernel.flip(0, 1))
    with matplotlib.rc_context(RC):
        figure = stride_figure(size=2, kernel_size=3, stride=2)
    values = torch.arange(1.0, 5.0).view(1, 1, 2, 2)
    expected = F.conv_transpose2d(values, kernel[None, None], stride=2)[0, 0]
    shown = [float(t.get_text().replace("−", "-")) for t in figure.axes[-1].texts]
    assert shown == expected.flatten().tolist()
