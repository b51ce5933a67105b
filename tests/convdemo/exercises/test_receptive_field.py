"""Chapter 9's exercises, recomputed with PyTorch (autograd for the fields) from the
page's settings."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from convdemo.exercises.receptive_field import SEQUENCE, complete, two_small
from tests.convdemo.exercises.worked import facts, params


def _footprint(stack, x_shape, index):
    """How many input cells the output at ``index`` depends on, along the last axis,
    measured by autograd with every weight 1."""
    with torch.no_grad():
        for p in stack.parameters():
            p.fill_(1.0)
    x = torch.zeros(x_shape, requires_grad=True)
    stack(x)[index].backward()
    return x.grad


def test_the_stem_s_shapes_and_field():
    shown, s = facts("ex-receptive-field-stem"), params("ex-receptive-field-stem")
    conv = nn.Conv2d(3, s["out_channels"], 7, stride=2, padding=3)
    pool = nn.MaxPool2d(3, stride=2, padding=1)
    x = torch.zeros(1, 3, s["size"], s["size"])
    assert shown["middle"] == str(tuple(conv(x).shape))
    assert shown["output"] == str(tuple(pool(conv(x)).shape))
    # Field and jump along one axis, by autograd on a 1-D copy of the stem (avg pooling
    # spreads the gradient over the whole window, where max would pick one cell).
    stem = nn.Sequential(nn.Conv1d(1, 1, 7, 2, 3), nn.AvgPool1d(3, 2, 1))
    grad = _footprint(stem, (1, 1, 64), (0, 0, 5))
    assert int((grad != 0).sum()) == shown["field"]
    first = int(grad[0, 0].nonzero()[0])
    grad_next = _footprint(stem, (1, 1, 64), (0, 0, 6))
    assert int(grad_next[0, 0].nonzero()[0]) - first == shown["jump"]


def test_an_output_of_two_stacked_layers_by_hand():
    shown, s = facts("ex-receptive-field-by-hand"), params("ex-receptive-field-by-hand")
    stack = nn.Sequential(
        nn.Conv1d(1, 1, s["first_kernel"], bias=False),
        nn.Conv1d(1, 1, s["second_kernel"], dilation=s["second_dilation"], bias=False),
    )
    x = torch.tensor(SEQUENCE, dtype=torch.float32)[None, None]
    grad = _footprint(stack, x.shape, (0, 0, 0))
    with torch.no_grad():
        assert shown["value"] == stack(x)[0, 0, 0].item()
    # The gradient is how often each input is read: its weight in the sum.
    assert shown["value"] == float((grad[0, 0] * x[0, 0]).sum())
    assert shown["reads"] == int((grad != 0).sum()) == shown["field"]
    assert shown["twice"] == ", ".join(
        str(i) for i in (grad[0, 0] > 1).nonzero().flatten().tolist()
    )


def test_measuring_a_field_without_requires_grad_raises_pytorch_s_message():
    shown, s = facts("ex-receptive-field-no-grad"), params("ex-receptive-field-no-grad")
    x = torch.rand(1, 1, s["size"], s["size"])
    y = nn.Conv2d(1, 1, s["kernel_size"])(x)
    with pytest.raises(RuntimeError) as raised:
        torch.autograd.grad(y[0, 0, shown["centre"], shown["centre"]], x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    namespace = {"torch": torch}
    exec(shown["fix"], namespace)
    fixed = namespace["x"]
    (grad,) = torch.autograd.grad(nn.Conv2d(1, 1, s["kernel_size"])(fixed)[0, 0, 1, 1], fixed)
    assert grad.shape == fixed.shape
    assert shown["side"] == s["kernel_size"]


def test_the_dilation_chosen_completes_the_field_without_holes():
    shown, s = facts("ex-receptive-field-complete"), params("ex-receptive-field-complete")
    k = s["kernel_size"]

    def measured(last):
        dilations = (*s["dilations"], last)
        stack = nn.Sequential(*(nn.Conv1d(1, 1, k, dilation=d, bias=False) for d in dilations))
        grad = _footprint(stack, (1, 1, 4 * s["field"]), (0, 0, 0))
        cells = grad[0, 0].nonzero().flatten()
        return int(cells[-1]) + 1, len(cells)

    reaching = [d for d in range(1, s["field"]) if measured(d)[0] == s["field"]]
    assert reaching == [shown["dilation"]]
    assert measured(shown["dilation"]) == (s["field"], shown["reached"])
    assert shown["holes"] == s["field"] - shown["reached"]


def test_complete_needs_a_field_the_kernel_can_reach():
    with pytest.raises(ValueError, match="no dilation"):
        complete(3, (1, 2), 14)


def test_small_kernels_stacked_have_the_large_one_s_field_for_fewer_weights():
    shown, s = facts("ex-receptive-field-two-small"), params("ex-receptive-field-two-small")
    c, count = s["channels"], shown["count"]
    small = [nn.Conv2d(c, c, s["small"], bias=False) for _ in range(count)]
    large = nn.Conv2d(c, c, s["large"], bias=False)
    assert shown["small_weights"] == sum(layer.weight.numel() for layer in small)
    assert shown["large_weights"] == large.weight.numel()
    assert shown["small_weights"] < shown["large_weights"]

    def one(k):  # the field along one axis
        return nn.Conv1d(1, 1, k, bias=False)

    stack_field = _footprint(
        nn.Sequential(*(one(s["small"]) for _ in range(count))), (1, 1, 12), (0, 0, 0)
    )
    large_field = _footprint(one(s["large"]), (1, 1, 12), (0, 0, 0))
    assert int((stack_field != 0).sum()) == int((large_field != 0).sum()) == shown["field"]


def test_no_stack_of_small_kernels_matches_an_even_field():
    with pytest.raises(ValueError, match="no stack"):
        two_small(8, 5, 7)
