"""Chapter 2's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.padding import GRID, grow
from tests.convdemo.exercises.worked import facts, params


def test_a_non_square_kernel_gives_each_axis_its_own_size():
    shown, s = facts("ex-padding-non-square"), params("ex-padding-non-square")
    x = torch.zeros(1, 1, s["height"], s["width"])
    out = nn.Conv2d(1, 1, s["kernel_size"], padding=s["padding"])(x)
    assert shown["output"] == str(tuple(out.shape))
    kept = nn.Conv2d(1, 1, s["kernel_size"], padding=(shown["keep_h"], shown["keep_w"]))(x)
    assert kept.shape == x.shape  # the answer's padding that keeps the shape does
    assert nn.Conv2d(1, 1, s["kernel_size"], padding="same")(x).shape == x.shape
    assert eval(shown["keep_layer"], {"nn": nn})(x).shape == x.shape


def test_the_padding_that_enlarges_is_the_only_one():
    shown, s = facts("ex-padding-grow"), params("ex-padding-grow")
    x = torch.zeros(1, 1, s["size"], s["size"])
    reaching = [
        p
        for p in range(2 * s["kernel_size"])
        if nn.Conv2d(1, 1, s["kernel_size"], padding=p)(x).shape[-1] == s["out_size"]
    ]
    assert reaching == [shown["padding"]]
    assert nn.Conv2d(1, 1, s["kernel_size"], padding=shown["keep"])(x).shape == x.shape
    assert shown["extra"] == shown["padding"] - shown["keep"] > 0


def test_no_padding_reaches_a_size_of_the_wrong_parity():
    with pytest.raises(ValueError, match="no padding"):
        grow(6, 5, 9)


@pytest.mark.parametrize("mode", ["zeros", "replicate"])
def test_the_corner_is_the_sum_of_the_padded_window(mode):
    shown, s = facts("ex-padding-corner"), params("ex-padding-corner")
    assert mode in s["modes"]
    x = torch.tensor(GRID, dtype=torch.float32).view(1, 1, 3, 3)
    k = s["kernel_size"]
    layer = nn.Conv2d(1, 1, k, padding=(k - 1) // 2, padding_mode=mode, bias=False)
    with torch.no_grad():
        layer.weight.fill_(shown["weight"])
        assert shown[f"{mode}_value"] == layer(x)[0, 0, 0, 0].item()

    # The window the answer draws: the input's corner where it has cells; elsewhere a
    # zero, or for replicate the nearest edge cell.
    def cell(i, j):
        if i >= 0 and j >= 0:
            return float(x[0, 0, i, j])
        return 0.0 if mode == "zeros" else float(x[0, 0, max(i, 0), max(j, 0)])

    expected = [[cell(i, j) for j in range(-1, k - 1)] for i in range(-1, k - 1)]
    rows = shown[f"{mode}_window"].split("\n")
    assert [[float(v) for v in row.split()] for row in rows] == expected


def test_reflecting_as_much_as_the_input_raises_pytorch_s_message():
    shown, s = facts("ex-padding-reflect"), params("ex-padding-reflect")
    layer = nn.Conv2d(1, 1, s["kernel_size"], padding=s["padding"], padding_mode="reflect")
    with pytest.raises(RuntimeError) as raised:
        layer(torch.zeros(1, 1, s["size"], s["size"]))
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    assert f"dimension {shown['dimension']} " in shown["error"]
    # The most it allows is the answer's.
    most = nn.Conv2d(1, 1, s["kernel_size"], padding=shown["most"], padding_mode="reflect")
    most(torch.zeros(1, 1, s["size"], s["size"]))


def test_f_pad_pads_the_last_axis_first():
    shown, s = facts("ex-padding-order"), params("ex-padding-order")
    x = torch.zeros(1, 1, s["size"], s["size"])
    rows = torch.cat(
        [torch.zeros(1, 1, s["left"], s["size"]), x, torch.zeros(1, 1, s["right"], s["size"])], 2
    )
    assert shown["wrong_shape"] == str(tuple(rows.shape))
    assert torch.equal(eval(shown["written"], {"F": F, "x": x}), rows)
    columns = torch.cat(
        [torch.zeros(1, 1, s["size"], s["left"]), x, torch.zeros(1, 1, s["size"], s["right"])], 3
    )
    assert shown["meant_shape"] == str(tuple(columns.shape))
    for meant in (shown["meant"], shown["meant_long"]):
        assert eval(meant, {"F": F, "x": x}).shape == columns.shape
