"""Numbers the padding and stride chapters quote, checked against PyTorch layers."""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from convdemo.facts import padding_facts, stride_facts


def width(x: torch.Tensor) -> int:
    return int(x.shape[-1])


def test_padding_facts():
    facts = padding_facts(8, 3)
    x = torch.zeros(1, 1, 8, 8)
    assert facts["valid"] == width(F.conv2d(x, torch.zeros(1, 1, 3, 3)))
    assert facts["same"] == width(
        F.conv2d(x, torch.zeros(1, 1, 3, 3), padding=facts["same_padding"])
    )
    assert facts["same"] == 8 and facts["lost"] == 2
    wide = F.conv2d(
        x, torch.zeros(1, 1, 3, 5), padding=(facts["same_padding"], facts["wide_padding"])
    )
    assert tuple(wide.shape[-2:]) == (facts["same"], facts["wide_out"]) == (8, 8)


def test_even_kernel_same_padding_puts_the_extra_zero_after():
    facts = padding_facts(8, 3)
    x = torch.randn(1, 1, 8, 8, generator=torch.Generator().manual_seed(1))
    k = torch.randn(1, 1, 4, 4, generator=torch.Generator().manual_seed(2))
    before, after = facts["even_before"], facts["even_after"]
    padded = F.pad(x, (before, after, before, after))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = F.conv2d(x, k, padding="same")
    torch.testing.assert_close(F.conv2d(padded, k), expected)
    assert (before, after) == (1, 2)


def test_stride_facts():
    facts = stride_facts(8, 3, 2, 2)
    x = torch.zeros(1, 1, 8, 8)
    k = torch.zeros(1, 1, 3, 3)
    assert facts["dense"] == width(F.conv2d(x, k))
    assert facts["sparse"] == width(F.conv2d(x, k, stride=2))
    assert facts["dilated_out"] == width(F.conv2d(x, k, dilation=2))
    assert facts["span"] == 5 and facts["holes"] == 25 - 9
    big = torch.zeros(1, 1, facts["ex_size"], facts["ex_size"])
    out = F.conv2d(
        big,
        k,
        stride=facts["ex_stride"],
        padding=facts["ex_padding"],
        dilation=facts["ex_dilation"],
    )
    assert facts["ex_out"] == width(out)


def test_the_unread_row_really_is_unread():
    facts = stride_facts(8, 3, 2, 2)
    x = torch.zeros(1, 1, 8, 8)
    x[..., facts["unread_first"], :] = 1.0  # light up only the row stride 2 skips
    assert F.conv2d(x, torch.ones(1, 1, 3, 3), stride=2).abs().max() == 0
