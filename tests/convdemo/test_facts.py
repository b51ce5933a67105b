"""The numbers a figure's page quotes, from its facts function, checked against PyTorch.

Each facts function takes the figure's own parameters; here each is called with the
site's parameters and with others, and every value is compared with what PyTorch does.
"""

from __future__ import annotations

import itertools
import warnings

import pytest
import torch
import torch.nn.functional as F

from convdemo.facts import conv_size_facts
from convdemo.grids import dilated_mask_facts, padding_facts, stride_positions_facts


def out_shape(size, kernel, **options) -> tuple[int, int]:
    h, w = (size, size) if isinstance(size, int) else size
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # padding="same" with an even kernel warns
        y = F.conv2d(torch.zeros(1, 1, h, w), torch.zeros(1, 1, kh, kw), **options)
    return int(y.shape[-2]), int(y.shape[-1])


@pytest.mark.parametrize(
    "size, kernel, padding",
    [
        *itertools.product([5, 8, 9], [1, 2, 3, 4, 5], [0, 1, 2, "same"]),
        ((8, 11), (3, 5), "same"),
        ((8, 6), (3, 2), 1),
        (8, (3, 5), (1, 2)),
    ],
)
def test_padding_facts_are_conv2d_with_that_padding(size, kernel, padding):
    facts = padding_facts(size, kernel, padding)
    expected = out_shape(size, kernel, padding=padding)
    assert (facts["out_h"], facts["out_w"]) == expected
    h, w = (size, size) if isinstance(size, int) else size
    assert (facts["lost_h"], facts["lost_w"]) == (h - expected[0], w - expected[1])
    # The zeros really are PyTorch's: padding by hand gives the same output.
    x = torch.randn(1, 1, h, w, generator=torch.Generator().manual_seed(0))
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    k = torch.randn(1, 1, kh, kw, generator=torch.Generator().manual_seed(1))
    padded = F.pad(x, (facts["left"], facts["right"], facts["top"], facts["bottom"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.testing.assert_close(F.conv2d(padded, k), F.conv2d(x, k, padding=padding))


def test_square_shorthands_exist_only_where_the_axes_agree():
    square, wide = padding_facts(8, 3, 0), padding_facts(8, (3, 5), "same")
    assert square["kernel"] == 3 and square["out"] == 6 and square["pad"] == 0
    assert "kernel" not in wide and "pad" not in wide and wide["out"] == 8
    assert (wide["top"], wide["left"]) == (1, 2)


def test_even_kernel_same_padding_puts_the_extra_zero_after():
    facts = padding_facts(8, 4, "same")
    assert (facts["top"], facts["bottom"], facts["left"], facts["right"]) == (1, 2, 1, 2)


@pytest.mark.parametrize(
    "size, kernel, stride", list(itertools.product([7, 8, 9, 10], [2, 3], [1, 2, 3]))
)
def test_stride_positions_facts(size, kernel, stride):
    facts = stride_positions_facts(size, kernel, stride)
    assert facts["dense"] == out_shape(size, kernel)[0]
    assert facts["sparse"] == out_shape(size, kernel, stride=stride)[0]
    assert facts["skipped"] == stride - 1
    # Light up each row in turn: the unread ones reach no output.
    unread = []
    for row in range(size):
        x = torch.zeros(1, 1, size, size)
        x[..., row, :] = 1.0
        if F.conv2d(x, torch.ones(1, 1, kernel, kernel), stride=stride).abs().max() == 0:
            unread.append(row)
    assert facts["unread_count"] == len(unread)
    assert facts["unread_first"] == (unread[0] if unread else -1)


@pytest.mark.parametrize("kernel, dilation", list(itertools.product([1, 2, 3, 5], [1, 2, 3])))
def test_dilated_mask_facts(kernel, dilation):
    facts = dilated_mask_facts(kernel, dilation)
    span = facts["span"]
    # A dilated kernel reads exactly the cells a dense kernel of size `span` with zeros
    # in the gaps reads: compare the two convolutions.
    x = torch.randn(1, 1, span + 3, span + 3, generator=torch.Generator().manual_seed(2))
    k = torch.randn(1, 1, kernel, kernel, generator=torch.Generator().manual_seed(3))
    dense = torch.zeros(1, 1, span, span)
    dense[..., ::dilation, ::dilation] = k
    torch.testing.assert_close(F.conv2d(x, k, dilation=dilation), F.conv2d(x, dense))
    assert facts["taps"] == int((dense != 0).sum())
    assert facts["holes"] == span * span - facts["taps"]
    assert facts["gap"] == dilation - 1


@pytest.mark.parametrize(
    "size, kernel, stride, padding, dilation",
    [(32, 3, 2, 2, 2), (28, 5, 1, 0, 1), (17, 4, 3, 1, 2), (9, 3, 2, 1, 3)],
)
def test_conv_size_facts(size, kernel, stride, padding, dilation):
    facts = conv_size_facts(size, kernel, stride, padding, dilation)
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    assert facts["out"] == out_shape(size, kernel, **options)[0]
    assert facts["span"] == dilation * (kernel - 1) + 1
