"""Causal convolution: the past only, checked by perturbing the future and by autograd."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.causal import (
    causal_conv1d,
    causal_facts,
    causal_stack,
    reach,
    stack_facts,
    stack_figure,
)


@pytest.mark.parametrize("kernel, dilation", list(itertools.product([1, 2, 3, 5], [1, 2, 3])))
def test_changing_the_future_never_changes_an_earlier_output(kernel, dilation):
    """The definition itself, tested without autograd: perturb input t and compare."""
    g = torch.Generator().manual_seed(kernel * 10 + dilation)
    x = torch.randn(1, 2, 12, generator=g, dtype=torch.float64)
    w = torch.randn(3, 2, kernel, generator=g, dtype=torch.float64)
    b = torch.randn(3, generator=g, dtype=torch.float64)
    y = causal_conv1d(x, w, b, dilation)
    assert y.shape == (1, 3, 12)
    for t in range(12):
        changed = x.clone()
        changed[..., t] += 1.0
        z = causal_conv1d(changed, w, b, dilation)
        torch.testing.assert_close(z[..., :t], y[..., :t], rtol=0, atol=0)
        assert not torch.equal(z[..., t], y[..., t]) or torch.all(w[..., -1] == 0)


def test_the_layer_sees_its_kernel_span_ending_at_its_own_position():
    layer = torch.nn.Sequential(
        torch.nn.ConstantPad1d((4, 0), 0.0), torch.nn.Conv1d(1, 1, 3, dilation=2)
    )
    assert reach(layer, 10, 7) == [3, 5, 7]
    assert reach(layer, 10, 0) == [0]


def test_reach_leaves_the_weights_as_it_found_them():
    layer = torch.nn.Conv1d(1, 1, 3, padding=1)
    before = [p.detach().clone() for p in layer.parameters()]
    reach(layer, 6, 2)
    for p, q in zip(layer.parameters(), before, strict=True):
        assert torch.equal(p, q)


def test_the_causal_facts_are_what_pytorch_computes():
    facts = causal_facts(8, 3, 2)
    assert facts["left"] == 4
    assert facts["future_same"] == 2  # 'same' centres a span of 5: two steps ahead
    assert facts["future_causal"] == 0
    assert (facts["first_reads"], facts["last_reads"]) == (1, 3)
    assert facts["trim_matches"] == 1
    same = torch.nn.Conv1d(1, 1, 3, padding="same", dilation=2)
    assert reach(same, 8, 3) == [1, 3, 5]


@pytest.mark.parametrize(
    "kernel, dilations", [(2, (1, 2, 4, 8)), (3, (1, 2, 4)), (2, (1, 1, 1)), (3, (1, 3, 9))]
)
def test_the_stacks_field_is_measured_and_matches_the_formula(kernel, dilations):
    facts = stack_facts(kernel, dilations, 40)
    assert facts["field"] == facts["formula"] == 1 + (kernel - 1) * sum(dilations)
    stack = causal_stack(1, kernel, dilations)
    assert facts["weights"] == sum(p.numel() for p in stack.parameters())
    assert stack(torch.zeros(2, 1, 40)).shape == (2, 1, 40)


def test_a_stack_is_as_long_as_its_input_and_causal():
    stack = causal_stack(4, 2, (1, 2, 4))
    x = torch.randn(1, 4, 20)
    y = stack(x)
    changed = x.clone()
    changed[..., 15:] = 0
    torch.testing.assert_close(stack(changed)[..., :15], y[..., :15])


def test_the_plain_stack_needs_one_layer_per_k_minus_one_steps():
    assert stack_facts(2, (1, 2, 4, 8), 16)["plain_layers"] == 15
    assert stack_facts(3, (1, 2, 4), 16)["plain_layers"] == 7


@pytest.mark.parametrize("bad", [{"kernel_size": 0}, {"dilations": ()}, {"dilations": (1, 0)}])
def test_bad_settings_name_the_parameter(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        stack_figure(**bad)


def test_padding_f_pad_first_pair_is_the_last_axis():
    x = torch.arange(1.0, 4).view(1, 1, 3)
    assert F.pad(x, (2, 0)).tolist() == [[[0.0, 0.0, 1.0, 2.0, 3.0]]]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@pytest.mark.parametrize("kernel_size, dilation", [(2, 1), (3, 1), (4, 1), (3, 2), (2, 3)])
def test_same_padding_never_puts_all_the_zeros_on_the_left(kernel_size, dilation):
    """A layer's ``padding="same"`` splits ``d·(k − 1)`` zeros with the odd one on the
    right, so it cannot make a causal layer: that takes ``F.pad``."""
    generator = torch.Generator().manual_seed(kernel_size + dilation)
    x = torch.randn(1, 1, 9, generator=generator)
    w = torch.randn(1, 1, kernel_size, generator=generator)
    total = dilation * (kernel_size - 1)
    split = (total // 2, total - total // 2)
    same = F.conv1d(x, w, padding="same", dilation=dilation)
    torch.testing.assert_close(same, F.conv1d(F.pad(x, split), w, dilation=dilation))
    assert split[1] >= split[0]  # the odd zero after
    causal = F.conv1d(F.pad(x, (total, 0)), w, dilation=dilation)
    assert not torch.allclose(same, causal)  # an output that reads ahead
