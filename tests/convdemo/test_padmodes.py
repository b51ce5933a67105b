"""Padding modes, asymmetric padding and TensorFlow's 'SAME', against PyTorch."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.arithmetic import same_padding
from convdemo.padmodes import (
    MODES,
    asymmetric_facts,
    padded,
    padding_in_code,
    padding_modes_facts,
    same_facts,
    tf_same_padding,
)


@pytest.mark.parametrize("mode", list(MODES))
def test_each_mode_fills_what_the_layer_reads(mode):
    """A layer whose only weight is its kernel's top-left one outputs, at each position,
    the top-left cell of its window: the padded grid as the layer sees it."""
    size, pad = 4, 2
    with torch.no_grad():
        x = torch.arange(1.0, size * size + 1).view(1, 1, size, size)
        corner = torch.nn.Conv2d(1, 1, 2 * pad + 1, padding=pad, padding_mode=mode, bias=False)
        corner.weight.zero_()
        corner.weight[0, 0, 0, 0] = 1.0
        top_left = corner(x)[0, 0]
    expected = padded(size, pad, mode)
    torch.testing.assert_close(top_left, expected[:size, :size])


def test_the_facts_quote_the_rows_f_pad_puts_above_the_input():
    facts = padding_modes_facts(4, 2)
    x = torch.arange(1.0, 17).view(1, 1, 4, 4)
    for mode, pad_mode in MODES.items():
        row = F.pad(x, (2, 2, 2, 2), mode=pad_mode)[0, 0, 1, 2:6]
        assert facts[f"{mode}_above"] == ", ".join(f"{v:g}" for v in row.tolist())


def test_f_pad_reads_its_amounts_last_axis_first():
    facts = asymmetric_facts(4, (1, 2, 0, 1))
    out = F.pad(torch.ones(1, 1, 4, 4), (1, 2, 0, 1))
    assert (facts["out_h"], facts["out_w"]) == tuple(out.shape[-2:]) == (5, 7)
    assert out[0, 0, :, 0].sum() == 0 and out[0, 0, -1].sum() == 0  # left column, bottom row


@pytest.mark.parametrize(
    "size, kernel, stride", list(itertools.product([5, 7, 8, 9, 12], [1, 2, 3, 4], [1, 2, 3]))
)
def test_tensorflow_same_gives_ceil_n_over_s(size, kernel, stride):
    before, after = tf_same_padding(size, kernel, stride)
    x = torch.zeros(1, 1, size, size)
    out = torch.nn.Conv2d(1, 1, kernel, stride)(F.pad(x, (before, after, before, after)))
    assert out.shape[-1] == -(-size // stride)
    assert 0 <= after - before <= 1


def test_pytorchs_same_refuses_a_stride_with_the_message_quoted():
    facts = same_facts(8, 3, 2)
    with pytest.raises(ValueError) as raised:
        torch.nn.Conv2d(1, 1, 3, 2, padding="same")
    assert facts["error"] == str(raised.value)
    assert (facts["before"], facts["after"], facts["out"]) == (0, 1, 4)


# PyTorch notes that it pads a copy of the input for an even "same" mask: what the test checks.
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@pytest.mark.parametrize("shape", [(1, 1, 5, 5), (2, 3, 7, 9)])
def test_padding_in_code_keeps_the_size_and_f_pad_is_what_same_does(shape):
    generator = torch.Generator().manual_seed(sum(shape))
    x = torch.randn(shape, generator=generator)
    outputs = padding_in_code(x, out_channels=2)
    batch, _, height, width = shape
    for output in outputs.values():
        assert output.shape == (batch, 2, height, width)
    assert same_padding(4) == (1, 2)  # the amounts the function passes to F.pad
    torch.testing.assert_close(outputs["F.pad, then padding=0"], outputs['padding="same"'])
