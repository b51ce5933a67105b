"""Chapter 10's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.groups import CHANNELS, MASKS, budget
from convdemo.groups import dense_weight, reads
from tests.convdemo.exercises.worked import facts, params


def test_a_grouped_layer_s_shapes_and_parameters():
    shown, s = facts("ex-groups-shapes"), params("ex-groups-shapes")
    k = s["kernel_size"]
    layer = nn.Conv2d(s["in_channels"], s["out_channels"], k, padding=k // 2, groups=s["groups"])
    out = layer(torch.zeros(s["batch"], s["in_channels"], s["size"], s["size"]))
    assert shown["output"] == str(tuple(out.shape))
    assert shown["weight"] == str(tuple(layer.weight.shape))
    assert shown["parameters"] == sum(p.numel() for p in layer.parameters())
    standard = nn.Conv2d(s["in_channels"], s["out_channels"], k, padding=k // 2)
    assert shown["standard_parameters"] == sum(p.numel() for p in standard.parameters())
    # Each output channel reads the per-group count of input channels, found by PyTorch.
    assert {len(channels) for channels in reads(layer)} == {shown["per_group"]}


def test_a_depthwise_layer_by_hand():
    shown = facts("ex-groups-by-hand")
    x = torch.tensor(CHANNELS, dtype=torch.float32)[None]
    c = x.shape[1]
    layer = nn.Conv2d(c, c, len(MASKS[0]), groups=c, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(MASKS)[:, None])
        out = layer(x)[0]
    rows = [line.split() for line in shown["output"].split("\n")[1:]]
    half = out.shape[-1]
    values = [[float(v.replace("−", "-")) for v in row] for row in rows]
    assert [row[:half] for row in values] == out[0].tolist()
    assert [row[half:] for row in values] == out[1].tolist()
    ends = [float(line.split(" = ")[-1].replace("−", "-")) for line in shown["steps"].split("\n")]
    assert ends == out.flatten().tolist()
    # The standard layer with the same masks on the diagonal computes the same.
    dense = dense_weight(layer.weight.detach(), c)
    assert shown["standard_weight"] == str(tuple(dense.shape))
    torch.testing.assert_close(F.conv2d(x, dense)[0], out)


def test_a_depthwise_layer_given_too_few_channels_raises_pytorch_s_message():
    shown, s = facts("ex-groups-wrong-input"), params("ex-groups-wrong-input")
    layer = nn.Conv2d(s["channels"], s["channels"], s["kernel_size"], groups=s["channels"])
    x = torch.zeros(1, s["input_channels"], s["size"], s["size"])
    with pytest.raises(RuntimeError) as raised:
        layer(x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert shown["weight"] == str(tuple(layer.weight.shape))
    fixed = eval(shown["fix"], {"nn": nn})
    assert fixed(x).shape[1] == s["input_channels"]


def test_the_groups_chosen_is_the_only_one_that_meets_the_budget():
    shown, s = facts("ex-groups-budget"), params("ex-groups-budget")
    fitting = [
        g
        for g in range(1, s["in_channels"] + 1)
        if s["in_channels"] % g == 0
        and s["out_channels"] % g == 0
        and nn.Conv2d(
            s["in_channels"], s["out_channels"], s["kernel_size"], groups=g, bias=False
        ).weight.numel()
        == s["weights"]
    ]
    assert fitting == [shown["groups"]]
    layer = nn.Conv2d(
        s["in_channels"], s["out_channels"], s["kernel_size"], groups=shown["groups"], bias=False
    )
    assert shown["weight"] == str(tuple(layer.weight.shape))
    assert shown["output"] == str(
        tuple(layer(torch.zeros(1, s["in_channels"], s["size"], s["size"])).shape)
    )


def test_a_budget_no_groups_meets_is_refused():
    with pytest.raises(ValueError, match="no groups"):
        budget(64, 128, 3, 1000, 8)


def test_stacked_groups_never_mix_unless_shuffled():
    shown, s = facts("ex-groups-no-crossing"), params("ex-groups-no-crossing")
    c, g = s["channels"], s["groups"]
    # With random weights and a random input, changing a channel of the other group
    # leaves output channel 0 unchanged without the shuffle, and changes it with.
    first, second = nn.Conv2d(c, c, 1, groups=g), nn.Conv2d(c, c, 1, groups=g)
    x = torch.randn(1, c, 3, 3)
    other = x.clone()
    other[0, c - 1] += 1.0
    with torch.no_grad():
        assert torch.equal(second(first(x))[0, 0], second(first(other))[0, 0])
        shuffle = nn.ChannelShuffle(g)
        assert not torch.equal(second(shuffle(first(x)))[0, 0], second(shuffle(first(other)))[0, 0])
    assert shown["plain_reads"] == ", ".join(map(str, range(c // g)))
    assert shown["shuffled_reads"] == ", ".join(map(str, range(c)))
