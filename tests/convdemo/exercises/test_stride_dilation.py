"""Chapter 3's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.stride_dilation import GRID, KERNEL, halve
from tests.convdemo.exercises.worked import facts, params


def test_stride_padding_and_dilation_together():
    shown, s = facts("ex-stride-dilation-formula"), params("ex-stride-dilation-formula")
    layer = nn.Conv2d(
        1, s["out_channels"], s["kernel_size"], s["stride"], s["padding"], s["dilation"]
    )
    out = layer(torch.zeros(1, 1, s["size"], s["size"]))
    assert shown["output"] == str(tuple(out.shape))
    assert shown["out"] == out.shape[-1]


def test_only_one_padding_halves_the_map():
    shown, s = facts("ex-stride-dilation-halve"), params("ex-stride-dilation-halve")
    x = torch.zeros(1, 1, s["size"], s["size"])
    sizes = {p: nn.Conv2d(1, 1, s["kernel_size"], s["stride"], p)(x).shape[-1] for p in range(4)}
    assert [p for p, size in sizes.items() if size == s["size"] // s["stride"]] == [
        shown["padding"]
    ]
    assert sizes[shown["below"]] == shown["target"] - 1
    assert sizes[shown["above"]] == shown["target"] + 1


def test_halving_needs_a_unique_padding():
    with pytest.raises(ValueError, match="exactly one"):
        halve(9, 3, 3)  # out = 3 for padding 0 and 1 alike


def test_the_dilated_output_reads_every_other_cell():
    shown, s = facts("ex-stride-dilation-by-hand"), params("ex-stride-dilation-by-hand")
    x = torch.tensor(GRID, dtype=torch.float32)[None, None]
    layer = nn.Conv2d(1, 1, 3, dilation=s["dilation"], bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(KERNEL, dtype=torch.float32).view(1, 1, 3, 3))
        out = layer(x)
    assert out.shape[-2:] == (shown["out"], shown["out"]) == (1, 1)
    assert shown["value"] == out.item()
    # The cells read are those whose gradient is not zero; the answer lists them.
    x.requires_grad_(True)
    F.conv2d(x, torch.ones(1, 1, 3, 3), dilation=s["dilation"]).sum().backward()
    read = x.grad[0, 0] != 0
    assert shown["read"] == int(read.sum()) and shown["cells"] == read.numel()
    taps = [[float(v) for v in row.split()] for row in shown["taps"].split("\n")]
    assert taps == x.detach()[0, 0][read].view(3, 3).tolist()


def test_a_span_wider_than_the_input_raises_pytorch_s_message():
    shown, s = facts("ex-stride-dilation-span"), params("ex-stride-dilation-span")
    x = torch.zeros(1, 1, s["size"], s["size"])
    with pytest.raises(RuntimeError) as raised:
        nn.Conv2d(1, 1, s["kernel_size"], dilation=s["dilation"])(x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert f"Kernel size: ({shown['span']} x {shown['span']})" in shown["error"]
    # The least padding that works, and the output it gives.
    fixed = nn.Conv2d(1, 1, s["kernel_size"], padding=shown["padding"], dilation=s["dilation"])
    assert fixed(x).shape[-1] == shown["fixed_out"]
    less = nn.Conv2d(1, 1, s["kernel_size"], padding=shown["padding"] - 1, dilation=s["dilation"])
    with pytest.raises(RuntimeError):
        less(x)


def test_the_rows_a_stride_skips_get_no_gradient():
    shown, s = facts("ex-stride-dilation-unread"), params("ex-stride-dilation-unread")
    x = torch.randn(1, 1, s["size"], s["size"], requires_grad=True)
    layer = nn.Conv2d(1, 1, s["kernel_size"], stride=s["stride"])
    out = layer(x)
    out.sum().backward()
    unread = [r for r in range(s["size"]) if torch.all(x.grad[0, 0, r] == 0)]
    assert shown["unread"] == ", ".join(map(str, unread))
    assert shown["unread_count"] == len(unread) and shown["first_unread"] == unread[0]
    assert shown["out"] == out.shape[-1]
    # Every window the answer lists, and no other.
    windows = [
        f"{o * s['stride']}–{o * s['stride'] + s['kernel_size'] - 1}" for o in range(out.shape[-1])
    ]
    assert shown["windows"] == ", ".join(windows)
