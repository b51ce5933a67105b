"""Chapter 8's exercises, recomputed with PyTorch (and NumPy's convolution) from the
page's settings."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.correlation import convolve
from convdemo.exercises.correlation import GRID, KERNEL
from tests.convdemo.exercises.worked import facts, params


def _grid(text):
    return [[float(v.replace("−", "-")) for v in row.split()] for row in text.split("\n")]


def test_one_output_cross_correlated_and_convolved():
    shown, s = facts("ex-correlation-by-hand"), params("ex-correlation-by-hand")
    x = torch.tensor(GRID, dtype=torch.float32)
    w = torch.tensor(KERNEL, dtype=torch.float32)
    layer = nn.Conv2d(1, 1, w.shape[-1], bias=False)
    with torch.no_grad():
        layer.weight.copy_(w[None, None])
        correlated = layer(x[None, None])[0, 0]
    convolved = convolve(x, w)  # the chapter's own true convolution
    assert _grid(shown["correlated_grid"]) == correlated.tolist()
    assert _grid(shown["convolved_grid"]) == convolved.tolist()
    at = (s["row"], s["col"])
    assert (shown["correlated"], shown["convolved"]) == (
        correlated[at].item(),
        convolved[at].item(),
    )
    assert shown["correlated"] != shown["convolved"]  # the kernel is asymmetric: it matters
    # The definition on the chapter's page, summed directly.
    k = w.shape[-1]
    by_definition = sum(
        w[m, n] * x[s["row"] + (k - 1) - m, s["col"] + (k - 1) - n]
        for m in range(k)
        for n in range(k)
    )
    assert shown["convolved"] == by_definition.item()


def test_flipping_every_axis_reverses_the_channels_too():
    shown, s = facts("ex-correlation-flip"), params("ex-correlation-flip")
    x = torch.randn(2, s["in_channels"], s["size"], s["size"])
    w = torch.randn(s["out_channels"], s["in_channels"], s["kernel_size"], s["kernel_size"])
    right = eval(shown["right_call"], {"F": F, "x": x, "w": w})
    wrong = eval(shown["wrong_call"], {"F": F, "x": x, "w": w})
    assert shown["output"] == str((1, *right.shape[1:]))
    assert shown["wrong_output"] == str((1, *wrong.shape[1:]))
    # Output map 0 of the wrong flip is the last map's mask, on the channels reversed.
    last = F.conv2d(x.flip(1), w[shown["last"] : shown["last"] + 1].flip(-1, -2))
    torch.testing.assert_close(wrong[:, :1], last)
    assert not torch.allclose(wrong, right)


def test_a_two_dimensional_kernel_raises_pytorch_s_message():
    shown, s = facts("ex-correlation-textbook"), params("ex-correlation-textbook")
    x = torch.zeros(1, 1, s["size"], s["size"])
    kernel = torch.tensor(KERNEL, dtype=torch.float32)
    with pytest.raises(RuntimeError) as raised:
        F.conv2d(x, kernel.flip(-1, -2))
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    fixed = eval(shown["fix"], {"kernel": kernel})
    assert shown["weight_shape"] == str(tuple(fixed.shape))
    assert shown["fixed_output"] == str(tuple(F.conv2d(x, fixed).shape))


def test_the_padding_chosen_gives_numpy_s_full_convolution():
    shown, s = facts("ex-correlation-full"), params("ex-correlation-full")
    x = torch.tensor(s["signal"])[None, None]
    w = torch.tensor(s["kernel"])[None, None]
    expected = np.convolve(s["signal"], s["kernel"]).tolist()
    matching = [
        p
        for p in range(len(s["kernel"]) + 2)
        if F.conv1d(x, w.flip(-1), padding=p).flatten().tolist() == expected
    ]
    assert matching == [shown["padding"]]
    assert eval(shown["call"], {"F": F, "x": x, "w": w}).flatten().tolist() == expected
    assert shown["output"] == ", ".join(f"{v:g}".replace("-", "−") for v in expected)
    # Without the flip the same padding gives another answer: the kernel is asymmetric.
    assert F.conv1d(x, w, padding=shown["padding"]).flatten().tolist() != expected


def test_the_rotated_kernel_computes_the_same_function():
    shown, s = facts("ex-correlation-learned"), params("ex-correlation-learned")
    x = torch.randn(3, 1, s["size"], s["size"])
    k = torch.randn(s["kernel_size"], s["kernel_size"])
    cross = F.conv2d(x, k[None, None])
    true = torch.stack([convolve(image[0], k.flip(0, 1)) for image in x])[:, None]
    torch.testing.assert_close(cross, true)
    assert shown["result"] == "True"
