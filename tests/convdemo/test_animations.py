"""Animations: one step per output cell, every value shown is PyTorch's, and each step
shows its own window only while the output fills in."""

from __future__ import annotations

import re

import matplotlib
import pytest
import torch
import torch.nn.functional as F

from convdemo.animations import sliding_window
from convdemo.layers import NUMERIC_KERNEL, layer_of, numeric_values, window_facts
from convdemo.motion import motion
from convdemo.style import RC

NUMERIC = [
    {"op": "conv", "size": 5, "kernel_size": 3},
    {"op": "conv", "size": 5, "kernel_size": 3, "stride": 2, "padding": 1},
    {"op": "conv", "size": 6, "kernel_size": 2, "dilation": 2, "padding": 1},
    {"op": "max_pool", "size": 5, "kernel_size": 3, "stride": 1},
    {"op": "avg_pool", "size": 5, "kernel_size": 3, "stride": 1},
    {"op": "max_pool", "size": 5, "kernel_size": 2, "padding": 1, "ceil_mode": True},
    {"op": "avg_pool", "size": 5, "kernel_size": 2, "padding": 1, "ceil_mode": True},
    {"op": "conv_transpose", "size": 3, "kernel_size": 3, "stride": 2, "padding": 1},
    {"op": "conv_transpose", "size": 2, "kernel_size": 3, "stride": 2},
]


def drawn(**setting):
    with matplotlib.rc_context(RC):
        return sliding_window(**setting, numbers=True)


def shown_outputs(animation) -> list[str]:
    """The value each step writes into its output cell, as drawn."""
    return [
        artist.get_text()
        for artist, _, mode in animation.overlays
        if mode == "from" and hasattr(artist, "get_text")
    ]


@pytest.mark.parametrize("setting", NUMERIC, ids=lambda s: "-".join(map(str, s.values())))
def test_every_value_shown_is_what_pytorch_computes(setting):
    layer = layer_of(**setting)
    x, kernel, y = numeric_values(layer)
    h, w = layer.size
    x4 = x.view(1, 1, h, w)
    if setting["op"] == "conv":
        expected = F.conv2d(x4, kernel[None, None], stride=layer.steps, padding=layer.padding,
                            dilation=layer.dilation)  # fmt: skip
    elif setting["op"] == "conv_transpose":
        expected = F.conv_transpose2d(x4, kernel[None, None], stride=layer.steps,
                                      padding=layer.padding)  # fmt: skip
        assert not torch.equal(kernel, kernel.flip(0, 1))  # its rotation can be seen
    else:
        pool = F.max_pool2d if setting["op"] == "max_pool" else F.avg_pool2d
        expected = pool(x4, layer.kernel_size, layer.steps, layer.padding,
                        ceil_mode=layer.ceil_mode)  # fmt: skip
    torch.testing.assert_close(y, expected[0, 0])
    animation = drawn(**setting)
    values = [float(v.replace("−", "-")) for v in shown_outputs(animation)]
    steps = motion(layer).steps
    assert values == pytest.approx([float(y[s.output]) for s in steps], abs=0.005)
    assert animation.steps == len(steps) == y.numel()


def test_the_kernel_shown_is_the_numeric_kernel_and_a_transposed_one_rotated():
    layer = layer_of("conv", 5, 3)
    _, kernel, _ = numeric_values(layer)
    assert kernel.tolist() == [list(map(float, row)) for row in NUMERIC_KERNEL]
    animation = drawn(op="conv_transpose", size=2, kernel_size=3, stride=2)
    labels = [t.get_text() for t in animation.figure.axes[1].texts]
    rotated = kernel.flip(0, 1).flatten().tolist()
    assert labels == [f"{v:g}" for v in rotated]


def test_a_step_shows_its_window_only_and_the_output_from_then_on():
    with matplotlib.rc_context(RC):
        animation = sliding_window("conv", 4, 3)
    animation.show(2)
    for artist, step, mode in animation.overlays:
        assert artist.get_visible() == (step == 2 if mode == "only" else step <= 2)
    visible = [artist for artist, _, _ in animation.overlays if artist.get_visible()]
    assert animation.shown(2) == visible  # the same artists, in the order they were added
    animation.show(None)
    assert not any(artist.get_visible() for artist, _, _ in animation.overlays)


@pytest.mark.parametrize(
    "setting, phrase",
    [
        ({"op": "conv", "size": 5, "kernel_size": 3, "stride": 2, "padding": 1},
         "output (0, 0) reads input rows 0–1, columns 0–1; the window also covers"
         " 1 padding row above and 1 padding column on the left"),
        ({"op": "conv", "size": 7, "kernel_size": 3, "dilation": 2},
         "output (0, 0) reads input rows 0, 2 and 4, columns 0, 2 and 4"),
        ({"op": "conv_transpose", "size": 2, "kernel_size": 3, "stride": 2},
         "output (0, 0): the rotated kernel covers input cell (0, 0)"),
    ],
)  # fmt: skip
def test_a_step_is_described_from_the_cells_it_reads(setting, phrase):
    with matplotlib.rc_context(RC):
        animation = sliding_window(**setting)
    assert animation.descriptions[0] == phrase


@pytest.mark.parametrize("setting", NUMERIC, ids=lambda s: "-".join(map(str, s.values())))
def test_facts_name_a_real_layer_with_the_same_output(setting):
    facts = window_facts(**setting)
    module = eval(facts["module"].replace("nn.", "torch.nn."))
    out = module(torch.zeros(1, 1, setting["size"], setting["size"]))
    assert tuple(out.shape[-2:]) == (facts["out_h"], facts["out_w"])
    assert facts["steps"] == out[0, 0].numel()
    pairs = dict(part.split("=") for part in str(facts["explorer"]).split("&"))
    assert pairs["input"] == f"1,1,{setting['size']},{setting['size']}"
    assert re.fullmatch(r"(conv|conv_transpose|max_pool|avg_pool)2d", pairs["op"])


def test_the_ceil_mode_figure_adds_a_column_and_drops_a_row_as_its_caption_says():
    """The chapter's ceil_mode figure, as declared: rounding up adds a column of windows
    that reach past the padding, and the row it would add starts in the padding."""
    from figures.registry import ANIMATIONS

    params = next(spec.params for spec in ANIMATIONS if spec.name == "max-pool-ceil-mode")
    facts = window_facts(**params)
    (h, w), k, p = params["size"], params["kernel_size"], params["padding"]
    s = k  # PyTorch's default stride
    x = torch.zeros(1, 1, h, w)
    floor = tuple(torch.nn.MaxPool2d(k, padding=p)(x).shape[-2:])
    ceil = tuple(torch.nn.MaxPool2d(k, padding=p, ceil_mode=True)(x).shape[-2:])
    assert (facts["floor_h"], facts["floor_w"]) == floor
    assert (facts["out_h"], facts["out_w"]) == ceil
    assert ceil == (floor[0], floor[1] + 1)
    assert (facts["added_rows"], facts["added_columns"]) == (0, 1)
    assert (facts["dropped_rows"], facts["dropped_columns"]) == (1, 0)
    # The added column starts on the input's last column and its windows end past the
    # padding...
    last_start = (ceil[1] - 1) * s
    assert last_start == p + w - 1 and last_start + k > w + 2 * p
    # ...while the row rounding up would add starts in the padding below the input.
    rounded_up = -(-(h + 2 * p - k) // s) + 1
    assert rounded_up == floor[0] + 1 and p + h <= (rounded_up - 1) * s < h + 2 * p
