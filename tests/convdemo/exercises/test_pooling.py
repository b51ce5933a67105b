"""Chapter 4's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import itertools
import re

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


def _windows(size, out_size):
    """The cells each window of PyTorch's adaptive pooling reads: a one-hot input shows
    which window reads each cell."""
    reads = []
    for cell in range(size):
        one_hot = torch.zeros(1, 1, size)
        one_hot[0, 0, cell] = 1.0
        reads.append(nn.AdaptiveMaxPool1d(out_size)(one_hot)[0, 0])
    return [[c for c in range(size) if reads[c][w] == 1] for w in range(out_size)]


def test_adaptive_pooling_is_the_fixed_one_when_the_size_divides():
    shown, s = facts("ex-pooling-adaptive"), params("ex-pooling-adaptive")
    x = torch.randn(3, 2, s["size"], s["size"])
    fixed = nn.MaxPool2d(shown["kernel"], stride=shown["kernel"])(x)
    torch.testing.assert_close(fixed, nn.AdaptiveMaxPool2d(s["out_size"])(x))
    assert fixed.shape[-1] == s["out_size"]


# The page's setting, then windows that tile, overlap unevenly, and (fewer cells than
# windows) read one cell several times.
SETTINGS = [
    None, (8, 4, 12), (8, 4, 6), (8, 4, 7), (6, 3, 2), (8, 4, 3), (8, 4, 1), (9, 3, 4), (5, 5, 3)
]  # fmt: skip


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: "page" if s is None else str(s))
def test_the_adaptive_answer_says_how_pytorch_lays_its_windows(setting):
    """The windows listed, the gaps between their starts, the cells several windows read
    and how many, and whether a fixed kernel and stride would do: all as PyTorch reads."""
    if setting is None:
        shown, s = facts("ex-pooling-adaptive"), params("ex-pooling-adaptive")
        size, out_size, other = s["size"], s["out_size"], s["other_size"]
    else:
        size, out_size, other = setting
        shown = adaptive(size, out_size, other)
    for cells, listed in ((size, shown["windows"]), (other, shown["other_windows"])):
        windows = _windows(cells, out_size)
        assert listed == ", ".join(f"{w[0]}–{w[-1]}" for w in windows)
        assert all(w == list(range(w[0], w[-1] + 1)) for w in windows)
    layout = shown["other_layout"]
    gaps = sorted({b[0] - a[0] for a, b in itertools.pairwise(windows)})
    assert layout.startswith("they start " + " or ".join(map(str, gaps)))
    reads = {c: sum(c in w for w in windows) for c in range(other)}
    shared = [c for c in range(other) if reads[c] > 1]
    counts = sorted({reads[c] for c in shared})
    said = ("two" if counts == [2] else " or ".join(map(str, counts))) + " windows"
    if len(shared) > 1:
        assert ", ".join(map(str, shared[:-1])) + f" and {shared[-1]} each fall in {said}" in layout
    elif shared:
        assert f"cell {shared[0]} falls in {said}" in layout
    else:
        assert "fall" not in layout
    uneven = len(gaps) > 1 or len({len(w) for w in windows}) > 1 or gaps == [0]
    assert layout.endswith("which no fixed kernel and stride reproduces") == uneven
    if not uneven:  # the fixed layer it names gives PyTorch's adaptive output
        kernel, stride = map(int, re.search(r"kernel of (\d+) and stride (\d+)", layout).groups())
        x = torch.randn(1, 1, other)
        torch.testing.assert_close(
            nn.MaxPool1d(kernel, stride)(x), nn.AdaptiveMaxPool1d(out_size)(x)
        )


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
