"""Chapter 7's exercises, recomputed with PyTorch from the page's settings."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.transposed import GRID, KERNEL
from tests.convdemo.exercises.worked import facts, params


def _grid(text):
    return [[float(v.replace("−", "-")) for v in row.split()] for row in text.split("\n")]


def test_a_decoder_layer_s_output_and_weight_shapes():
    shown, s = facts("ex-transposed-shapes"), params("ex-transposed-shapes")
    layer = nn.ConvTranspose2d(
        s["in_channels"], s["out_channels"], s["kernel_size"], s["stride"], s["padding"]
    )
    out = layer(torch.zeros(1, s["in_channels"], s["size"], s["size"]))
    assert shown["output"] == str(tuple(out.shape))
    assert shown["weight"] == str(tuple(layer.weight.shape))
    assert layer.weight.shape[0] == s["in_channels"]  # the answer's point: input first
    conv = nn.Conv2d(s["in_channels"], s["out_channels"], s["kernel_size"])
    assert shown["conv_weight"] == str(tuple(conv.weight.shape))
    assert shown["factor"] * s["size"] == out.shape[-1]
    # The answer's reason: the kernel and the padding add one stride to (n − 1)·s.
    assert s["kernel_size"] - 2 * s["padding"] == s["stride"] == shown["factor"]


def test_scattered_copies_add_up_to_the_transposed_convolution():
    shown = facts("ex-transposed-by-hand")
    x = torch.tensor(GRID, dtype=torch.float32)[None, None]
    w = torch.tensor(KERNEL, dtype=torch.float32)[None, None]
    layer = nn.ConvTranspose2d(1, 1, w.shape[-1], bias=False)
    with torch.no_grad():
        layer.weight.copy_(w)
        out = layer(x)[0, 0]
    assert _grid(shown["output"]) == out.tolist()
    ends = [float(line.split(" = ")[-1].replace("−", "-")) for line in shown["steps"].split("\n")]
    assert ends == out.flatten().tolist()
    # The stamps the answer draws add up to the output.
    rows = _grid("\n".join(shown["stamps"].split("\n")[1:]))
    size = out.shape[-1]
    stamps = [[row[c * size : (c + 1) * size] for row in rows] for c in range(shown["copies"])]
    assert torch.tensor(stamps).sum(0).tolist() == out.tolist()
    assert shown["centre"] == out[1, 1].item()


def test_output_padding_as_large_as_the_stride_raises_pytorch_s_message():
    shown, s = facts("ex-transposed-output-padding"), params("ex-transposed-output-padding")
    layer = nn.ConvTranspose2d(
        1, 1, s["kernel_size"], stride=s["stride"], output_padding=s["output_padding"]
    )
    x = torch.zeros(1, 1, s["size"], s["size"])
    with pytest.raises(RuntimeError) as raised:
        layer(x)
    assert (shown["error_type"], shown["error"]) == ("RuntimeError", str(raised.value))
    fixed = eval(shown["fix"], {"nn": nn})(x)  # the answer's fix reaches the size
    assert fixed.shape[-1] == shown["target"]
    assert shown["fix_output"] == str(tuple(fixed.shape))
    most = nn.ConvTranspose2d(
        1, 1, s["kernel_size"], stride=s["stride"], output_padding=shown["most"]
    )
    assert most(x).shape[-1] == shown["target"] - (s["output_padding"] - shown["most"])


def test_the_output_padding_chosen_brings_the_encoder_s_input_back():
    shown, s = facts("ex-transposed-undo"), params("ex-transposed-undo")
    k, st, p = s["kernel_size"], s["stride"], s["padding"]
    down = nn.Conv2d(1, 1, k, st, p)(torch.zeros(1, 1, s["size"], s["size"]))
    assert down.shape[-1] == shown["down"]
    backs = {
        a: nn.ConvTranspose2d(1, 1, k, st, p, output_padding=a)(down).shape[-1] for a in range(st)
    }
    assert [a for a, size in backs.items() if size == s["size"]] == [shown["output_padding"]]
    # The sizes the encoder maps to the same output are the ones the decoder can reach.
    sharing = [
        n
        for n in range(1, 4 * s["size"])
        if nn.Conv2d(1, 1, k, st, p)(torch.zeros(1, 1, n, n)).shape[-1] == shown["down"]
    ]
    assert shown["sharing"] == ", ".join(map(str, sharing))
    assert sorted(backs.values()) == sharing


def test_the_transposed_convolution_gives_the_length_back_not_the_values():
    shown, s = facts("ex-transposed-not-inverse"), params("ex-transposed-not-inverse")
    x = torch.tensor(s["signal"])[None, None]
    conv = nn.Conv1d(1, 1, len(s["kernel"]), bias=False)
    back = nn.ConvTranspose1d(1, 1, len(s["kernel"]), bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(s["kernel"]).view_as(conv.weight))
        back.weight.copy_(conv.weight)
        y = conv(x)
        restored = back(y)
    assert shown["convolved"] == ", ".join(f"{v:g}" for v in y.flatten().tolist())
    assert shown["back"] == ", ".join(f"{v:g}" for v in restored.flatten().tolist())
    assert restored.shape == x.shape
    assert not torch.equal(restored, x)
    # It is the adjoint: <Cx, y> = <x, Cᵀy> for any y.
    probe = torch.randn(y.shape, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(
        (conv(x) * probe).sum(), (x * F.conv_transpose1d(probe, conv.weight)).sum()
    )
