"""F.conv2d is cross-correlation; true convolution flips the kernel. Checked by definition."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from convdemo.correlation import (
    ASYMMETRIC,
    SIGNAL,
    convolve,
    correlate,
    correlation_facts,
    true_convolution,
)


def by_definition(x: torch.Tensor, k: torch.Tensor, sign: int) -> torch.Tensor:
    """Valid-region sums: sign +1 gives Σ k[m,n]·x[i+m, j+n] (cross-correlation);
    sign −1 gives Σ k[m,n]·x[i−m, j−n] (convolution), indexed so both fit."""
    kernel = k.shape[0]
    rows, cols = x.shape[0] - kernel + 1, x.shape[1] - kernel + 1
    result = x.new_zeros(rows, cols)
    for i in range(rows):
        for j in range(cols):
            for m in range(kernel):
                for n in range(kernel):
                    if sign > 0:
                        result[i, j] += k[m, n] * x[i + m, j + n]
                    else:
                        offset = kernel - 1
                        result[i, j] += k[m, n] * x[i + offset - m, j + offset - n]
    return result


def tensors():
    return torch.tensor(SIGNAL, dtype=torch.float32), torch.tensor(ASYMMETRIC, dtype=torch.float32)


def test_conv2d_is_cross_correlation():
    x, k = tensors()
    torch.testing.assert_close(correlate(x, k), by_definition(x, k, +1))


def test_convolve_is_true_convolution():
    x, k = tensors()
    torch.testing.assert_close(convolve(x, k), by_definition(x, k, -1))


def test_random_asymmetric_kernels_too():
    generator = torch.Generator().manual_seed(3)
    x, k = torch.randn(6, 6, generator=generator), torch.randn(3, 3, generator=generator)
    torch.testing.assert_close(convolve(x, k), by_definition(x, k, -1))
    assert not torch.allclose(convolve(x, k), correlate(x, k))


def test_facts():
    facts = correlation_facts()
    x, k = tensors()
    corr, conv = F.conv2d(x[None, None], k[None, None])[0, 0], convolve(x, k)
    assert facts["differing"] == int((corr != conv).sum()) > 0
    # The kernel is a shift: the correlation copies the input cell under its 1, so the L
    # starts where it starts in the input minus the 1's place; the convolution, on the
    # other side of the centre.
    ((row, col),) = (k != 0).nonzero().tolist()
    corr_corner = (corr != 0).nonzero()[0].tolist()
    conv_corner = (conv != 0).nonzero()[0].tolist()
    input_corner = (x != 0).nonzero()[0].tolist()
    assert corr_corner == [input_corner[0] - row, input_corner[1] - col]
    assert [facts["corr_row"], facts["corr_col"]] == corr_corner
    assert [facts["conv_row"], facts["conv_col"]] == conv_corner
    assert facts["apart"] == corr_corner[0] - conv_corner[0] == 2 * facts["offset"]


def test_the_shift_is_not_its_own_rotation():
    _, k = tensors()
    assert not torch.equal(k, k.flip(0, 1))


def test_true_convolution_flips_only_the_masks_and_is_the_definitions_sum():
    """Several channels in and out: each output map is the sum over input channels of the
    definition's convolution, and the flip of the last two axes computes it."""
    generator = torch.Generator().manual_seed(5)
    x = torch.randn(2, 3, 7, 6, generator=generator, dtype=torch.float64)
    weight = torch.randn(4, 3, 3, 3, generator=generator, dtype=torch.float64)
    by_conv2d, by_sum = true_convolution(x, weight)
    expected = torch.stack([
        torch.stack([
            sum(by_definition(x[b, c], weight[o, c], -1) for c in range(3))
            for o in range(4)
        ])
        for b in range(2)
    ])  # fmt: skip
    assert by_conv2d.shape == by_sum.shape == (2, 4, 5, 4)
    torch.testing.assert_close(by_conv2d, expected)
    torch.testing.assert_close(by_sum, expected)
    assert not torch.allclose(by_conv2d, F.conv2d(x, weight))  # not cross-correlation
    assert not torch.allclose(by_conv2d, F.conv2d(x, weight.flip(0, 1, 2, 3)))


def test_true_convolution_of_one_map_is_convolve():
    x, k = tensors()
    by_conv2d, by_sum = true_convolution(x[None, None], k[None, None])
    torch.testing.assert_close(by_conv2d[0, 0], convolve(x, k))
    torch.testing.assert_close(by_sum[0, 0], convolve(x, k))


def test_true_convolution_with_a_mask_that_is_not_square():
    """Rows and columns flipped each by their own length: the sum agrees with the flip."""
    generator = torch.Generator().manual_seed(7)
    x = torch.randn(1, 2, 6, 7, generator=generator, dtype=torch.float64)
    weight = torch.randn(3, 2, 2, 4, generator=generator, dtype=torch.float64)
    by_conv2d, by_sum = true_convolution(x, weight)
    assert by_sum.shape == (1, 3, 5, 4)
    torch.testing.assert_close(by_sum, by_conv2d)
