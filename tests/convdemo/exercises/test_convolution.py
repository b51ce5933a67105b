"""Chapter 1's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.convolution import GRID, KERNEL, choose_layer
from tests.convdemo.exercises.worked import facts, params


def test_one_output_by_hand_is_the_layer_s():
    shown, setting = facts("ex-convolution-by-hand"), params("ex-convolution-by-hand")
    layer = nn.Conv2d(1, 1, len(KERNEL))
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(KERNEL).view_as(layer.weight))
        layer.bias.fill_(setting["bias"])
        out = layer(torch.tensor(GRID, dtype=torch.float32)[None, None])
    assert shown["value"] == out[0, 0, setting["row"], setting["col"]].item()
    assert shown["out"] == out.shape[-1]
    # The window the answer shows is the one the output reads.
    window = [row[setting["col"] : setting["col"] + 3] for row in GRID[setting["row"] :][:3]]
    assert shown["window"].split("\n") == ["  ".join(str(v) for v in row) for row in window]
    assert shown["value"] < 0  # the answer explains the sign


def test_the_shapes_and_parameters_of_a_layer():
    shown, s = facts("ex-convolution-shapes"), params("ex-convolution-shapes")
    layer = nn.Conv2d(s["in_channels"], s["out_channels"], s["kernel_size"])
    out = layer(torch.zeros(s["batch"], s["in_channels"], s["size"], s["size"]))
    assert shown["output"] == str(tuple(out.shape))
    assert shown["weight"] == str(tuple(layer.weight.shape))
    assert (shown["weights"], shown["biases"]) == (layer.weight.numel(), layer.bias.numel())
    assert shown["parameters"] == sum(p.numel() for p in layer.parameters())


def test_a_grey_image_in_a_colour_layer_raises_pytorch_s_message():
    shown, s = facts("ex-convolution-channels"), params("ex-convolution-channels")
    layer = nn.Conv2d(s["in_channels"], s["out_channels"], s["kernel_size"])
    with pytest.raises(RuntimeError) as raised:
        layer(torch.zeros(1, 1, s["size"], s["size"]))
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert shown["weight"] in str(raised.value).replace("[", "(").replace("]", ")")
    grey_layer = eval(shown["grey_layer"], {"nn": nn})  # the fix the answer offers works
    assert grey_layer(torch.zeros(1, 1, s["size"], s["size"])).shape[1] == s["out_channels"]


def test_the_layer_chosen_is_the_only_kernel_that_reaches_the_size():
    shown, s = facts("ex-convolution-design"), params("ex-convolution-design")
    x = torch.zeros(1, s["in_channels"], s["size"], s["size"])
    reaching = [
        k
        for k in range(1, s["size"] + 1)
        if nn.Conv2d(s["in_channels"], s["out_channels"], k)(x).shape[-1] == s["out_size"]
    ]
    assert reaching == [shown["kernel"]]
    layer = nn.Conv2d(s["in_channels"], s["out_channels"], shown["kernel"])
    assert shown["output"] == str(tuple(layer(x).shape))
    assert shown["parameters"] == sum(p.numel() for p in layer.parameters())


def test_a_layer_cannot_reach_a_larger_size_without_padding():
    with pytest.raises(ValueError, match="out_size"):
        choose_layer(3, 8, 4, 9)


def test_one_mask_on_every_channel_is_the_mask_on_their_sum():
    shown, s = facts("ex-convolution-one-mask"), params("ex-convolution-one-mask")
    generator = torch.Generator().manual_seed(7)
    x = torch.randn(2, s["channels"], s["size"], s["size"], generator=generator)
    mask = torch.randn(s["kernel_size"], s["kernel_size"], generator=generator)
    layer = nn.Conv2d(s["channels"], 1, s["kernel_size"], bias=False)
    with torch.no_grad():
        layer.weight.copy_(mask.expand_as(layer.weight))
        torch.testing.assert_close(layer(x), F.conv2d(x.sum(1, keepdim=True), mask[None, None]))
    assert shown["result"] == "True"
    assert shown["weight"] == str(tuple(layer.weight.shape))
