"""Chapter 12's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.conv1d import SEQUENCE, WEIGHTS
from tests.convdemo.exercises.worked import facts, params


def _numbers(text):
    return [float(v.replace("−", "-")) for v in text.split(", ")]


def test_a_sequence_layer_s_output_and_weight_shapes():
    shown, s = facts("ex-conv1d-shapes"), params("ex-conv1d-shapes")
    layer = nn.Conv1d(
        s["in_channels"], s["out_channels"], s["kernel_size"], s["stride"], s["padding"]
    )
    out = layer(torch.zeros(s["batch"], s["in_channels"], s["length"]))
    assert shown["output"] == str(tuple(out.shape))
    assert shown["weight"] == str(tuple(layer.weight.shape))


def test_the_causal_layer_by_hand_reads_no_future_input():
    shown = facts("ex-conv1d-by-hand")
    x = torch.tensor(SEQUENCE, dtype=torch.float32)[None, None]
    k = len(WEIGHTS)
    layer = nn.Conv1d(1, 1, k, padding=k - 1, bias=False)  # both sides, then cut the end
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(WEIGHTS).view_as(layer.weight))
        trimmed = layer(x)[..., : len(SEQUENCE)]
    assert _numbers(shown["output"]) == trimmed.flatten().tolist()
    ends = [float(line.split(" = ")[-1].replace("−", "-")) for line in shown["steps"].split("\n")]
    assert ends == trimmed.flatten().tolist()
    # Output t changes with input t but not with input t + 1.
    for t in range(len(SEQUENCE) - 1):
        later = x.clone()
        later[0, 0, t + 1] += 1.0
        with torch.no_grad():
            assert layer(later)[0, 0, t] == trimmed[0, 0, t]


def test_a_batch_without_its_channel_axis_raises_pytorch_s_message():
    shown, s = facts("ex-conv1d-no-channel"), params("ex-conv1d-no-channel")
    layer = nn.Conv1d(1, s["out_channels"], s["kernel_size"])
    x = torch.zeros(s["batch"], s["length"])
    with pytest.raises(RuntimeError) as raised:
        layer(x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert shown["read_as"].replace("(", "[").replace(")", "]").replace(" ", "") in str(
        raised.value
    ).replace(" ", "")
    fixed = eval(shown["fix"], {"x": x})
    assert shown["fixed"] == str(tuple(fixed.shape))
    assert shown["fixed_output"] == str(tuple(layer(fixed).shape))


def test_the_causal_padding_keeps_the_length_and_reads_only_the_past():
    shown, s = facts("ex-conv1d-causal"), params("ex-conv1d-causal")
    k, d, n = s["kernel_size"], s["dilation"], s["length"]
    x = torch.randn(1, 1, n, requires_grad=True)
    out = nn.Conv1d(1, 1, k, dilation=d)(eval(shown["pad"], {"F": F, "x": x}))
    assert shown["output"] == str(tuple(out.shape))
    out[0, 0, -1].backward()
    reads = torch.nonzero(x.grad[0, 0]).flatten().tolist()
    assert shown["reads"] == ", ".join(map(str, reads))
    assert max(reads) == n - 1  # the last output reads its own position and none later
    # Less padding shortens the output; more makes it longer: the left amount is forced.
    for left in (shown["left"] - 1, shown["left"] + 1):
        assert nn.Conv1d(1, 1, k, dilation=d)(F.pad(x, (left, 0))).shape[-1] != n


def test_the_dilated_stack_reaches_as_far_as_the_plain_one_with_fewer_layers():
    shown, s = facts("ex-conv1d-reach"), params("ex-conv1d-reach")
    k, length = s["kernel_size"], shown["field"] + 8

    def reach(dilations):
        layers = []
        for d in dilations:
            layers += [nn.ConstantPad1d((d * (k - 1), 0), 0.0), nn.Conv1d(1, 1, k, dilation=d)]
        stack = nn.Sequential(*layers)
        with torch.no_grad():
            for p in stack.parameters():
                p.fill_(1.0)
        x = torch.zeros(1, 1, length, requires_grad=True)
        stack(x)[0, 0, -1].backward()
        return int((x.grad != 0).sum())

    doubling = [2**i for i in range(shown["dilated_layers"])]
    assert reach(doubling) == shown["field"] >= s["needed"]
    assert reach(doubling[:-1]) == shown["short_field"] < s["needed"]  # one layer fewer
    plain = 1 + (k - 1) * shown["plain_layers"]
    assert plain >= s["needed"] > plain - (k - 1)
    assert reach([1] * 8) == 1 + (k - 1) * 8  # the plain recurrence, measured
