"""Chapter 6's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convdemo.exercises.pointwise import CHANNELS, bottleneck, by_hand
from tests.convdemo.exercises.worked import facts, params


def _grid(text):
    return [[float(v.replace("−", "-")) for v in row.split()] for row in text.split("\n")]


def test_every_pixel_is_the_weighted_sum_of_its_channels():
    shown, s = facts("ex-pointwise-by-hand"), params("ex-pointwise-by-hand")
    layer = nn.Conv2d(len(CHANNELS), 1, 1)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(s["weights"]).view_as(layer.weight))
        layer.bias.fill_(s["bias"])
        out = layer(torch.tensor(CHANNELS, dtype=torch.float32)[None])
    assert _grid(shown["output"]) == out[0, 0].tolist()
    # The worked lines are the pixels in reading order, each ending in its output.
    ends = [float(line.split(" = ")[-1]) for line in shown["steps"].split("\n")]
    assert ends == out[0, 0].flatten().tolist()


def test_the_hand_exercise_needs_a_weight_per_channel():
    with pytest.raises(ValueError, match="weights"):
        by_hand((1.0, 2.0), 0.0)


def test_a_strided_1x1_layer_s_shapes_and_the_pixels_it_reads():
    shown, s = facts("ex-pointwise-strided"), params("ex-pointwise-strided")
    layer = nn.Conv2d(s["in_channels"], s["out_channels"], 1, stride=s["stride"])
    out = layer(torch.zeros(s["batch"], s["in_channels"], s["size"], s["size"]))
    assert shown["output"] == str(tuple(out.shape))
    assert shown["weight"] == str(tuple(layer.weight.shape))
    assert shown["parameters"] == sum(p.numel() for p in layer.parameters())
    # The pixels read: a one-hot input at each pixel shows whether the output sees it.
    seen = torch.zeros(s["size"], s["size"])
    probe = nn.Conv2d(1, 1, 1, stride=s["stride"], bias=False)
    with torch.no_grad():
        probe.weight.fill_(1.0)
        x = torch.eye(s["size"] * s["size"]).view(-1, 1, s["size"], s["size"])
        seen = probe(x).flatten(1).abs().sum(1).view(s["size"], s["size"])
    assert shown["read"] == int((seen > 0).sum())
    assert shown["share"] == shown["read"] / shown["pixels"]


def test_an_image_with_its_channels_last_raises_pytorch_s_message():
    shown, s = facts("ex-pointwise-channels-last"), params("ex-pointwise-channels-last")
    layer = nn.Conv2d(s["in_channels"], s["out_channels"], 1)
    x = torch.zeros(1, s["size"], s["size"], s["in_channels"])
    with pytest.raises(RuntimeError) as raised:
        layer(x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    fixed = eval(shown["permute"], {"x": x})  # the answer's fix works
    assert shown["fixed"] == str(tuple(fixed.shape))
    assert shown["output"] == str(tuple(layer(fixed).shape))


def _flops(layer, x):
    with FlopCounterMode(display=False) as counter:
        layer(x)
    return counter.get_total_flops()


def test_the_bottleneck_is_the_widest_within_the_budget():
    shown, s = facts("ex-pointwise-bottleneck"), params("ex-pointwise-bottleneck")
    c, m, k, n = s["channels"], s["masks"], s["kernel_size"], s["size"]
    x = torch.zeros(1, c, n, n)
    with torch.no_grad():
        direct = _flops(nn.Conv2d(c, m, k, padding=k // 2, bias=False), x)

        def share(r):
            pair = nn.Sequential(nn.Conv2d(c, r, 1, bias=False), nn.Conv2d(r, m, k, padding=k // 2))
            return _flops(pair, x) / direct

        within = [r for r in range(1, c + 1) if share(r) <= s["budget"]]
    assert max(within) == shown["reduced"]
    assert within == list(range(1, shown["reduced"] + 1))
    assert shown["pair_share"] == pytest.approx(share(shown["reduced"]))
    assert shown["next_share"] == pytest.approx(share(shown["next"]))
    assert shown["next_share"] > s["budget"]
    assert 2 * shown["direct"] == direct  # the counter counts a multiply and an add


def test_a_budget_too_small_has_no_bottleneck():
    with pytest.raises(ValueError, match="budget"):
        bottleneck(28, 64, 16, 3, 0.001)


def test_a_1x1_layer_is_a_linear_layer_on_each_pixel():
    shown, s = facts("ex-pointwise-linear"), params("ex-pointwise-linear")
    conv = nn.Conv2d(s["channels"], s["out_channels"], 1)
    x = torch.randn(
        2, s["channels"], s["size"], s["size"], generator=torch.Generator().manual_seed(3)
    )
    pixels = x.permute(0, 2, 3, 1).reshape(-1, s["channels"])
    with torch.no_grad():
        by_matrix = pixels @ conv.weight.view(s["out_channels"], -1).T + conv.bias
        expected = by_matrix.view(2, s["size"], s["size"], -1).permute(0, 3, 1, 2)
        torch.testing.assert_close(conv(x), expected)
    assert shown["result"] == "True"
    assert shown["linear_weight"] == str(
        tuple(nn.Linear(s["channels"], s["out_channels"]).weight.shape)
    )
    assert shown["pixels"] == s["size"] ** 2
