"""1×1 convolution: the weighted sum, the operation counts, and their PyTorch check."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from convdemo import conv_multiplications
from convdemo.pointwise import MAPS, operation_counts, pointwise, pointwise_facts


def multiplications(run) -> int:
    """Multiply-adds PyTorch counts for ``run()`` (its FLOPs are two per product)."""
    with FlopCounterMode(display=False) as counter:
        run()
    return counter.get_total_flops() // 2


def test_pointwise_is_the_weighted_channel_sum():
    maps = torch.tensor(MAPS, dtype=torch.float32).unsqueeze(0)
    weights = (1.0, 0.5, 0.25, -1.0)
    expected = sum(w * maps[:, k : k + 1] for k, w in enumerate(weights))
    torch.testing.assert_close(pointwise(maps, weights), expected)


def test_pointwise_facts_worked_value():
    facts = pointwise_facts((1.0, 0.5, 0.25, -1.0))
    assert facts["out_00"] == sum(facts[f"a{k}"] * facts[f"in{k}_00"] for k in range(1, 5))


def test_the_articles_counts():
    counts = operation_counts(28, 64, 16, 3, 4)
    assert (counts["direct"], counts["reduce"], counts["then"]) == (7_225_344, 200_704, 451_584)
    assert counts["total"] == 652_288
    assert counts["saving"] == pytest.approx(0.9097, abs=1e-4)


@pytest.mark.parametrize(
    "size, channels, masks, kernel, reduced",
    [(28, 64, 16, 3, 4), (14, 32, 8, 5, 2), (7, 16, 4, 3, 8)],
)
def test_counts_match_pytorchs_flop_counter(size, channels, masks, kernel, reduced):
    counts = operation_counts(size, channels, masks, kernel, reduced)
    x = torch.zeros(1, channels, size, size)
    direct = torch.zeros(masks, channels, kernel, kernel)
    reduce = torch.zeros(reduced, channels, 1, 1)
    then = torch.zeros(masks, reduced, kernel, kernel)
    assert counts["direct"] == multiplications(lambda: F.conv2d(x, direct, padding=kernel // 2))
    assert counts["reduce"] == multiplications(lambda: F.conv2d(x, reduce))
    assert counts["total"] == multiplications(
        lambda: F.conv2d(F.conv2d(x, reduce), then, padding=kernel // 2)
    )


def test_conv_multiplications_rejects_zero():
    with pytest.raises(ValueError, match="in_channels"):
        conv_multiplications(4, 4, 0, 1, 3)


def test_the_flop_counter_counts_two_per_multiply_accumulate():
    from convdemo.examples import BOTTLENECK
    from convdemo.pointwise import operation_facts

    facts = operation_facts(**BOTTLENECK)
    assert facts["flops_direct"] == 2 * facts["direct"]
    assert facts["flops_total"] == 2 * facts["total"] and facts["flops_per_mac"] == 2
