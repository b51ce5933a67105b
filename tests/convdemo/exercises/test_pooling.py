"""Chapter 4's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.pooling import NEGATIVE, SIGNED, adaptive
from tests.convdemo.exercises.worked import facts, params


def _grid(text):
    return [[float(v.replace("−", "-")) for v in row.split()] for row in text.split("\n")]


def test_rectify_then_pool_by_blocks():
    shown, s = facts("ex-pooling-by-hand"), params("ex-pooling-by-hand")
    x = torch.tensor(SIGNED, dtype=torch.float32)[None, None]
    rectified = nn.ReLU()(x)
    assert _grid(shown["rectified"]) == rectified[0, 0].tolist()
    assert shown["negatives"] == int((x < 0).sum())
    maxed = nn.MaxPool2d(s["kernel_size"])(rectified)[0, 0].tolist()
    averaged = nn.AvgPool2d(s["kernel_size"])(rectified)[0, 0].tolist()
    rows = [row.split() for row in shown["pooled"].split("\n")[1:]]
    half = len(maxed[0])
    assert [[float(v) for v in row[:half]] for row in rows] == maxed
    assert [[float(v) for v in row[half:]] for row in rows] == averaged
    # The block sums the answer lists are the blocks' values.
    assert [line.split(" = ")[-1] for line in shown["max_steps"].split("\n")] == [
        f"{v:g}" for row in maxed for v in row
    ]


def test_rounding_the_pooled_size_down_and_up():
    shown, s = facts("ex-pooling-ceil-mode"), params("ex-pooling-ceil-mode")
    x = torch.zeros(1, s["channels"], s["size"], s["size"])
    floor = nn.MaxPool2d(s["kernel_size"], s["stride"])(x)
    ceil = nn.MaxPool2d(s["kernel_size"], s["stride"], ceil_mode=True)(x)
    assert (shown["floor_output"], shown["output"]) == (
        str(tuple(floor.shape)),
        str(tuple(ceil.shape)),
    )
    # The last window is kept: it starts inside the input, and reaches past its end.
    assert shown["last_start"] < s["size"] <= shown["last_end"]
    y = torch.arange(float(s["size"]))[None, None, None].expand(1, 1, 1, -1)
    last = F.max_pool1d(y[0], s["kernel_size"], s["stride"], ceil_mode=True)[0, 0, -1]
    assert last.item() == s["size"] - 1  # the cells it does cover, up to the last


def test_a_window_larger_than_the_map_raises_pytorch_s_message():
    shown, s = facts("ex-pooling-too-small"), params("ex-pooling-too-small")
    x = torch.zeros(1, 1, s["size"], s["size"])
    with pytest.raises(RuntimeError) as raised:
        nn.MaxPool2d(s["kernel_size"])(x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert eval(shown["fix"], {"nn": nn})(x).shape[-2:] == (1, 1)


def test_adaptive_pooling_is_the_fixed_one_when_the_size_divides():
    shown, s = facts("ex-pooling-adaptive"), params("ex-pooling-adaptive")
    x = torch.randn(3, 2, s["size"], s["size"])
    fixed = nn.MaxPool2d(shown["kernel"], stride=shown["kernel"])(x)
    torch.testing.assert_close(fixed, nn.AdaptiveMaxPool2d(s["out_size"])(x))
    assert fixed.shape[-1] == s["out_size"]
    # The windows listed are those PyTorch uses: a one-hot input shows which window
    # reads each cell.
    for size, listed in ((s["size"], shown["windows"]), (s["other_size"], shown["other_windows"])):
        reads = []
        for cell in range(size):
            one_hot = torch.zeros(1, 1, size)
            one_hot[0, 0, cell] = 1.0
            reads.append(nn.AdaptiveMaxPool1d(s["out_size"])(one_hot)[0, 0])
        windows = [[c for c in range(size) if reads[c][w] == 1] for w in range(s["out_size"])]
        assert listed == ", ".join(f"{w[0]}–{w[-1]}" for w in windows)
        assert all(w == list(range(w[0], w[-1] + 1)) for w in windows)


def test_adaptive_exercise_needs_a_divisor():
    with pytest.raises(ValueError, match="divide"):
        adaptive(13, 4, 14)


def test_max_pooling_pads_with_minus_infinity():
    shown, s = facts("ex-pooling-minus-infinity"), params("ex-pooling-minus-infinity")
    x = torch.tensor(NEGATIVE, dtype=torch.float32)[None, None]
    pooled = nn.MaxPool2d(s["kernel_size"], padding=s["padding"])(x)
    assert _grid(shown["pooled"]) == pooled[0, 0].tolist()
    minus_inf = F.pad(x, (s["padding"],) * 4, value=float("-inf"))
    assert pooled.tolist() == nn.MaxPool2d(s["kernel_size"])(minus_inf).tolist()
    zeros = nn.MaxPool2d(s["kernel_size"])(F.pad(x, (s["padding"],) * 4))
    assert _grid(shown["zero_padded"]) == zeros[0, 0].tolist()
    assert shown["corner"] == pooled[0, 0, 0, 0].item() == x[0, 0, 0, 0].item()
