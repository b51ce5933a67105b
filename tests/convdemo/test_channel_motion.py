"""The channels animation: what each output channel reads, against PyTorch's layers."""

from __future__ import annotations

import pytest
import torch

from convdemo.channel_motion import channel_reads, channels_animation, channels_facts, variants


@pytest.mark.parametrize("channels, groups", [(4, 2), (6, 2), (6, 3), (8, 4)])
def test_each_output_reads_its_group_and_nothing_else(channels, groups):
    """Checked by perturbing one input channel at a time on random weights: an output
    changes exactly when it reads that channel."""
    for variant in variants(channels, 3, groups):
        layer = variant.layer(channels)
        reads = channel_reads(layer, channels)
        x = torch.randn(1, channels, 6, 6)
        with torch.no_grad():
            y = layer(x)
            for c in range(channels):
                changed = x.clone()
                changed[0, c] += 1.0
                moved = (layer(changed) - y).abs().flatten(2).amax(-1)[0] > 0
                for o in range(channels):
                    assert bool(moved[o]) == (c in reads[o]), (variant.name, o, c)
        per_group = channels // variant.groups
        assert all(len(r) == per_group for r in reads)


def test_the_facts_count_the_weights_pytorch_allocates():
    facts = channels_facts(4, 3, 2)
    assert facts["standard_weights"] == torch.nn.Conv2d(4, 4, 3).weight.numel() == 144
    assert facts["grouped_weights"] == torch.nn.Conv2d(4, 4, 3, groups=2).weight.numel() == 72
    assert facts["depthwise_weights"] == 36 and facts["pointwise_weights"] == 16
    assert [facts[f"{k}_reads"] for k in ("standard", "grouped", "depthwise", "pointwise")] == [
        4,
        2,
        1,
        4,
    ]
    assert facts["grouped_module"] == "nn.Conv2d(4, 4, 3, groups=2)"


def test_one_step_per_output_channel_each_described():
    animation = channels_animation(4, 3, 2)
    assert animation.steps == 4
    assert animation.descriptions[1] == (
        "Output channel 1: standard reads input channels 0–3; grouped reads input channels "
        "0–1; depthwise reads input channel 1; pointwise (1×1) reads input channels 0–3."
    )
    steps = {step for _, step, _ in animation.overlays}
    assert steps == set(range(4))


@pytest.mark.parametrize("channels, groups", [(4, 3), (4, 1), (4, 4), (1, 1)])
def test_impossible_groups_are_refused_by_name(channels, groups):
    with pytest.raises(ValueError, match="groups must divide channels"):
        channels_animation(channels, 3, groups)
