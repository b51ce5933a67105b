"""Chapter 11's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.im2col import GRID, KERNEL, no_overlap
from tests.convdemo.exercises.worked import facts, params


def _grid(text):
    return [[float(v.replace("−", "-")) for v in row.split()] for row in text.split("\n")]


def test_the_shapes_of_the_columns_the_product_and_the_output():
    shown, s = facts("ex-im2col-shapes"), params("ex-im2col-shapes")
    x = torch.randn(s["batch"], s["channels"], s["size"], s["size"])
    layer = nn.Conv2d(
        s["channels"], s["out_channels"], s["kernel_size"], s["stride"], s["padding"], bias=False
    )
    columns = eval(shown["unfold"], {"F": F, "x": x})
    assert shown["columns"] == str(tuple(columns.shape))
    y = layer.weight.reshape(s["out_channels"], -1) @ columns
    assert shown["product"] == str(tuple(y.shape))
    out = layer(x)
    assert shown["output"] == str(tuple(out.shape))
    torch.testing.assert_close(y.view(out.shape), out)  # the view is the convolution


def test_a_convolution_done_as_columns_by_hand():
    shown = facts("ex-im2col-by-hand")
    x = torch.tensor(GRID, dtype=torch.float32)[None, None]
    w = torch.tensor(KERNEL, dtype=torch.float32)[None, None]
    assert _grid(shown["columns"]) == F.unfold(x, w.shape[-1])[0].tolist()
    out = F.conv2d(x, w)
    assert _grid(shown["output"]) == out[0, 0].tolist()
    ends = [float(line.split(" = ")[-1]) for line in shown["steps"].split("\n")]
    assert ends == out.flatten().tolist()
    assert [float(v.replace("−", "-")) for v in shown["row"].split(", ")] == w.flatten().tolist()


def test_fold_told_the_output_s_size_raises_pytorch_s_message():
    shown, s = facts("ex-im2col-fold-size"), params("ex-im2col-fold-size")
    x = torch.randn(1, 1, s["size"], s["size"])
    columns = F.unfold(x, s["kernel_size"])
    with pytest.raises(RuntimeError) as raised:
        eval(shown["wrong"], {"F": F, "columns": columns})
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    back = eval(shown["right"], {"F": F, "columns": columns})
    assert shown["right_output"] == str(tuple(back.shape)) == str(tuple(x.shape))
    assert (
        shown["out"] == F.conv2d(x, torch.ones(1, 1, s["kernel_size"], s["kernel_size"])).shape[-1]
    )


def test_only_the_stride_of_the_kernel_makes_fold_undo_unfold():
    shown, s = facts("ex-im2col-no-overlap"), params("ex-im2col-no-overlap")
    n, k = s["size"], s["kernel_size"]
    x = torch.randn(1, 1, n, n)
    undoing = [
        stride
        for stride in range(1, n + 1)
        if torch.equal(F.fold(F.unfold(x, k, stride=stride), n, k, stride=stride), x)
    ]
    assert undoing == [shown["stride"]]
    ones = torch.ones(1, 1, n, n)
    counts = F.fold(F.unfold(ones, k), n, k)
    assert shown["overlap_highest"] == int(counts.max())


def test_no_overlap_needs_a_kernel_that_tiles_the_image():
    with pytest.raises(ValueError, match="divide"):
        no_overlap(7, 2)


def test_the_columns_of_a_batch_hold_k_k_copies():
    shown, s = facts("ex-im2col-memory"), params("ex-im2col-memory")
    x = torch.zeros(1, s["channels"], s["size"], s["size"])  # one image: the ratio is per image
    columns = F.unfold(x, s["kernel_size"], padding=shown["padding"])
    assert shown["ratio"] == columns.numel() / x.numel() == s["kernel_size"] ** 2
    assert shown["column_values"] == s["batch"] * columns.numel()
    assert shown["columns"] == str((s["batch"], *columns.shape[1:]))
    assert shown["columns_mb"] == shown["column_values"] * 4 / 1e6
