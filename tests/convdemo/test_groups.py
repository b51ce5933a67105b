"""Grouped convolution: shapes, counts, connections and errors, all against PyTorch."""

from __future__ import annotations

import itertools
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convdemo.groups import (
    dense_weight,
    flops,
    functional_group_error,
    group_error,
    parameter_count,
    reads,
    separable,
    separable_facts,
    weight_shape,
)
from figures.registry import SEPARABLE

CASES = [
    (c_in, c_out, k, g)
    for c_in, c_out, k, g in itertools.product(
        (1, 2, 4, 6, 12), (2, 4, 6, 12), (1, 3, 5), (1, 2, 3, 4, 6)
    )
    if c_in % g == 0 and c_out % g == 0
]


@pytest.mark.parametrize("c_in, c_out, k, g", CASES)
def test_weight_shape_and_parameters_are_conv2ds(c_in, c_out, k, g):
    for bias in (True, False):
        conv = nn.Conv2d(c_in, c_out, k, groups=g, bias=bias)
        assert weight_shape(c_in, c_out, k, g) == tuple(conv.weight.shape)
        assert parameter_count(c_in, c_out, k, g, bias) == sum(p.numel() for p in conv.parameters())


@pytest.mark.parametrize("c_in, c_out, g", [(6, 8, 4), (8, 6, 4), (3, 3, 2), (4, 6, 3)])
def test_a_grouping_pytorch_rejects_is_rejected_with_the_values(c_in, c_out, g):
    with pytest.raises(ValueError, match="must be divisible by groups"):
        nn.Conv2d(c_in, c_out, 3, groups=g)
    with pytest.raises(ValueError, match=rf"must be divisible by groups, got \w+=\d+, groups={g}"):
        weight_shape(c_in, c_out, 3, g)


@pytest.mark.parametrize("c_in, c_out, k, g", CASES[::3])
def test_each_output_reads_the_inputs_of_its_group(c_in, c_out, k, g):
    found = reads(nn.Conv2d(c_in, c_out, k, groups=g))
    per_in, per_out = c_in // g, c_out // g
    assert found == [
        list(range((o // per_out) * per_in, (o // per_out + 1) * per_in)) for o in range(c_out)
    ]


@pytest.mark.parametrize(
    "c_in, c_out, g, stride, padding",
    [(4, 4, 2, 1, 1), (6, 12, 3, 2, 0), (4, 8, 4, 1, 2), (6, 6, 1, 2, 1)],
)
def test_a_grouped_layer_is_a_standard_layer_with_a_block_diagonal_weight(
    c_in, c_out, g, stride, padding
):
    generator = torch.Generator().manual_seed(c_in * c_out + g)
    x = torch.randn(2, c_in, 9, 9, generator=generator)
    weight = torch.randn(c_out, c_in // g, 3, 3, generator=generator)
    dense = dense_weight(weight, g)
    assert dense.shape == (c_out, c_in, 3, 3)
    expected = F.conv2d(x, weight, groups=g, stride=stride, padding=padding)
    torch.testing.assert_close(F.conv2d(x, dense, stride=stride, padding=padding), expected)
    assert int((dense.flatten(1).abs().sum(1) != 0).sum()) == c_out  # every output keeps its masks


@pytest.mark.parametrize("c_in, c_out, k, m", [(3, 8, 3, 1), (4, 4, 5, 2), (8, 16, 3, 3)])
def test_separable_is_a_standard_convolution_with_rank_one_weights(c_in, c_out, k, m):
    """Depthwise then pointwise equals one standard layer whose mask for (output o, input
    i) is Σ_t P[o, t]·D[t] over the m depthwise masks t of channel i."""
    layer = separable(c_in, c_out, k, m)
    depthwise, pointwise = layer
    assert depthwise.groups == c_in and tuple(depthwise.weight.shape) == (m * c_in, 1, k, k)
    assert tuple(pointwise.weight.shape) == (c_out, m * c_in, 1, 1)
    x = torch.randn(1, c_in, 11, 11, generator=torch.Generator().manual_seed(k))
    masks = depthwise.weight.detach()[:, 0].view(c_in, m, k, k)
    mixing = pointwise.weight.detach()[:, :, 0, 0].view(c_out, c_in, m)
    weight = torch.einsum("oit,itkl->oikl", mixing, masks)
    with torch.no_grad():
        torch.testing.assert_close(
            layer(x), F.conv2d(x, weight, padding=k // 2), rtol=1e-4, atol=1e-5
        )


def counted(module, x) -> int:
    """FLOPs PyTorch counts running ``module`` on real CPU tensors."""
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        module(x)
    return counter.get_total_flops()


@pytest.mark.parametrize(
    "size, c_in, c_out, k",
    [
        tuple(SEPARABLE[key] for key in ("size", "in_channels", "out_channels", "kernel_size")),
        (14, 32, 48, 3),
        (9, 8, 4, 5),
    ],
)
def test_separable_counts_are_pytorchs_on_real_layers(size, c_in, c_out, k):
    facts = separable_facts(size, c_in, c_out, k)
    x = torch.randn(1, c_in, size, size)
    standard = nn.Conv2d(c_in, c_out, k, padding=k // 2, bias=False)
    split = separable(c_in, c_out, k)
    flops_standard, flops_separable = counted(standard, x), counted(split, x)
    assert facts["flops_standard"] == flops_standard and facts["flops_separable"] == flops_separable
    assert facts["flops_per_mac"] == 2  # one multiplication, one addition
    assert facts["standard"] * 2 == flops_standard and facts["separable"] * 2 == flops_separable
    assert facts["depthwise"] * 2 == counted(split[0], x)
    assert split(x).shape == standard(x).shape == (1, c_out, size, size)
    assert facts["ratio"] == pytest.approx(flops_separable / flops_standard)
    assert facts["formula"] == pytest.approx(1 / c_out + 1 / k**2) == pytest.approx(facts["ratio"])
    assert facts["params_standard"] == sum(p.numel() for p in standard.parameters())
    assert facts["params_separable"] == sum(p.numel() for p in split.parameters())


def test_flops_counts_a_known_layer():
    x = torch.zeros(1, 2, 5, 5)
    positions, outputs, products = 3 * 3, 3, 2 * 3 * 3  # each output value: 2 channels × 3×3
    assert flops(nn.Conv2d(2, 3, 3, bias=False), x) == 2 * positions * outputs * products


@pytest.mark.parametrize("c_in, c_out, g", [(6, 8, 4), (8, 6, 4), (5, 10, 5 * 2)])
def test_group_error_quotes_pytorch_exactly(c_in, c_out, g):
    facts = group_error(c_in, c_out, 3, g)
    with pytest.raises(ValueError) as raised:
        nn.Conv2d(c_in, c_out, 3, groups=g)
    assert facts["message"] == str(raised.value) and facts["error"] == "ValueError"
    assert facts["call"] == f"nn.Conv2d({c_in}, {c_out}, 3, groups={g})"


def test_group_error_refuses_a_layer_pytorch_accepts():
    with pytest.raises(ValueError, match="accepted by PyTorch"):
        group_error(8, 8, 3, 4)


def test_functional_group_error_quotes_pytorch_exactly():
    facts = functional_group_error(6, 8, 8, 4)
    with pytest.raises(RuntimeError, match=re.escape(str(facts["message"]))):
        F.conv2d(torch.zeros(1, 6, 4, 4), torch.zeros(8, 2, 3, 3), groups=4)
    with pytest.raises(ValueError, match="no error"):
        functional_group_error(8, 8, 8, 4)
