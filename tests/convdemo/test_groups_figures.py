"""The groups figures' numbers against real nn.Conv2d modules, and what they draw."""

from __future__ import annotations

import matplotlib
import pytest
import torch
import torch.nn.functional as F
from matplotlib.lines import Line2D
from torch import nn

from convdemo.groups_figures import (
    block_facts,
    block_figure,
    connections_facts,
    connections_figure,
    cost_figure,
    layers,
)
from convdemo.style import RC


@pytest.mark.parametrize(
    "channels, kernel, groups, multiplier", [(4, 3, 2, 2), (6, 5, 3, 3), (2, 1, 2, 1)]
)
def test_connections_facts_are_the_modules(channels, kernel, groups, multiplier):
    facts = connections_facts(channels, kernel, groups, multiplier)
    expected = {
        "standard": nn.Conv2d(channels, channels, kernel),
        "grouped": nn.Conv2d(channels, channels, kernel, groups=groups),
        "depthwise": nn.Conv2d(channels, channels, kernel, groups=channels),
        "multiplier": nn.Conv2d(channels, multiplier * channels, kernel, groups=channels),
        "pointwise": nn.Conv2d(channels, channels, 1),
    }
    assert facts["panels"] == len(expected)
    for key, conv in expected.items():
        assert facts[f"{key}_shape"] == "×".join(str(n) for n in conv.weight.shape)
        assert facts[f"{key}_params"] == conv.weight.numel() + conv.bias.numel()
        assert facts[f"{key}_out"] == conv.out_channels and facts[f"{key}_groups"] == conv.groups
        # An output channel reads as many input channels as its weight has slices.
        assert facts[f"{key}_reads"] == conv.weight.shape[1]


def test_the_depthwise_layer_filters_each_channel_alone():
    conv = layers(4, 3)["depthwise"][1]
    x = torch.randn(1, 4, 6, 6)
    with torch.no_grad():
        for channel in range(4):
            alone = F.conv2d(
                x[:, channel : channel + 1],
                conv.weight[channel : channel + 1],
                conv.bias[channel : channel + 1],
            )
            torch.testing.assert_close(conv(x)[:, channel : channel + 1], alone)


@pytest.mark.parametrize("channels, groups", [(4, (1, 2, 4)), (6, (1, 3, 6, 2))])
def test_block_facts_count_the_masks_a_grouped_weight_keeps(channels, groups):
    facts = block_facts(channels, 3, groups)
    for index, g in enumerate(groups, start=1):
        kept = nn.Conv2d(channels, channels, 3, groups=g).weight.shape
        assert facts[f"masks_{index}"] == kept[0] * kept[1]  # (C_out, C_in / g) masks
        assert facts[f"zeros_{index}"] == channels * channels - kept[0] * kept[1]


def test_the_figures_draw_one_line_per_connection_and_their_shapes():
    with matplotlib.rc_context(RC):
        figure = connections_figure(4, 3, 2, 2)
        blocks = block_figure(4, 3, (1, 2, 4))
        cost = cost_figure(14, 16, 32, 3)
    facts = connections_facts(4, 3, 2, 2)
    for ax, key in zip(
        figure.axes, ("standard", "grouped", "depthwise", "multiplier", "pointwise"), strict=True
    ):
        lines = [artist for artist in ax.get_children() if isinstance(artist, Line2D)]
        assert len(lines) == facts[f"{key}_out"] * facts[f"{key}_reads"]
        texts = " ".join(t.get_text() for t in ax.texts)
        assert facts[f"{key}_shape"] in texts and f"{facts[f'{key}_params']} parameters" in texts
    titles = [ax.get_title() for ax in blocks.axes]
    assert titles == ["groups=1: 16 masks", "groups=2: 8 masks", "groups=4: 4 masks"]
    assert len(cost.axes[0].patches) == 3  # standard, depthwise, pointwise
