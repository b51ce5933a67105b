"""Pooling's finer rules, each checked against PyTorch rather than against itself."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from convdemo.arithmetic import pool_output_size
from convdemo.pooling import SIGNED_MAP
from convdemo.pooling_rules import (
    adaptive_facts,
    adaptive_windows,
    average_padding_facts,
    pooling_in_code,
    pooling_rule_facts,
)


@pytest.mark.parametrize("size, output", list(itertools.product(range(1, 13), range(1, 9))))
def test_adaptive_windows_are_the_ones_pytorch_averages(size, output):
    """Each window's mean, computed from the listed bounds, is PyTorch's output cell; with
    values that are powers of two, a wrong bound cannot give the same mean by accident."""
    x = torch.tensor([2.0**i for i in range(size)], dtype=torch.float64)
    pooled = F.adaptive_avg_pool1d(x[None, None], output)[0, 0]
    maxed = F.adaptive_max_pool1d(x[None, None], output)[0, 0]
    windows = adaptive_windows(size, output)
    assert len(windows) == output
    for (start, stop), mean, largest in zip(windows, pooled, maxed, strict=True):
        assert 0 <= start < stop <= size
        assert x[start:stop].mean() == mean
        assert x[start:stop].max() == largest


def test_adaptive_facts_count_the_shared_cells():
    facts = adaptive_facts(7, 3)
    assert facts["windows"] == "0–2, 2–4, 4–6"
    assert facts["shared"] == 2
    assert adaptive_facts(8, 4)["shared"] == 0
    assert adaptive_facts(2, 5)["shared"] == 2  # fewer cells than windows: each read often


@pytest.mark.parametrize(
    "size, output, said",
    [(7, 3, "Neighbouring windows"), (6, 4, "Some neighbouring windows"), (8, 4, "No two windows")],
)
def test_the_overlap_sentence_follows_the_windows_pytorch_reads(size, output, said):
    """Which neighbours share a cell, found from PyTorch: a one-hot input per cell."""
    reads = [
        F.adaptive_max_pool1d(F.one_hot(torch.tensor(c), size).double()[None, None], output)[0, 0]
        for c in range(size)
    ]
    windows = [{c for c in range(size) if reads[c][w] == 1} for w in range(output)]
    sharing = [bool(a & b) for a, b in itertools.pairwise(windows)]
    expected = "all" if all(sharing) else "some" if any(sharing) else "none"
    assert expected == {"Neighbouring windows": "all", "Some neighbouring windows": "some",
                        "No two windows": "none"}[said]  # fmt: skip
    assert adaptive_facts(size, output)["overlap"].startswith(said)


@pytest.mark.parametrize("size, kernel, padding", [(4, 3, 1), (5, 3, 1), (6, 5, 2), (4, 4, 2)])
def test_count_include_pad_divides_by_the_window_or_by_the_cells_inside(size, kernel, padding):
    facts = average_padding_facts(size, kernel, padding)
    assert facts["counted"] == pytest.approx(facts["corner_sum"] / facts["window"])
    assert facts["left_out"] == pytest.approx(facts["corner_sum"] / facts["inside"])
    assert facts["window"] == kernel * kernel


def test_the_error_quoted_for_too_much_padding_is_pytorchs_own():
    facts = pooling_rule_facts(3, 2, 3)
    with pytest.raises(RuntimeError) as caught:
        torch.nn.MaxPool2d(3, padding=2)(torch.zeros(1, 1, 8, 8))
    assert facts["error"] == str(caught.value)
    assert "pad should be at most half" in facts["error"]


@pytest.mark.parametrize("pool", [torch.nn.MaxPool2d, torch.nn.AvgPool2d])
@pytest.mark.parametrize("kernel", [1, 2, 3, 4, 5])
def test_the_most_padding_pytorch_allows_is_half_the_kernel(pool, kernel):
    half = pooling_rule_facts(kernel, kernel // 2 + 1)["half"]
    x = torch.zeros(1, 1, 9, 9)
    pool(kernel, stride=1, padding=half)(x)  # allowed
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel"):
        pool(kernel, stride=1, padding=half + 1)(x)


def test_the_limit_is_a_rule_not_a_need():
    """A window of padding alone needs ``p ≥ k``: with ``k = 3, p = 2`` every max-pooling
    window still holds a real cell, yet PyTorch refuses it."""
    kernel, padding, size = 3, 2, 5
    facts = pooling_rule_facts(kernel, padding)
    assert facts["error"] and padding > facts["half"]
    real = torch.zeros(size + 2 * padding, dtype=torch.bool)
    real[padding : padding + size] = True
    starts = range(len(real) - kernel + 1)
    assert all(real[start : start + kernel].any() for start in starts)


def test_pooling_keeps_channels_and_has_no_parameters():
    facts = pooling_rule_facts(3, 1, 5)
    assert facts["error"] == ""  # padding 1 of a 3-wide window is allowed
    assert facts["parameters"] == 0
    assert facts["channels_in"] == facts["channels_out"] == 5


def test_relu_commutes_with_max_pooling_and_not_with_averaging():
    facts = pooling_rule_facts()
    x = torch.tensor(SIGNED_MAP, dtype=torch.float32)[None, None]
    assert facts["max_commutes"] == "yes"
    assert torch.equal(F.relu(F.max_pool2d(x, 2)), F.max_pool2d(F.relu(x), 2))
    assert facts["relu_then_avg"] != facts["avg_then_relu"]
    top_left = [v for row in SIGNED_MAP[:2] for v in row[:2]]
    assert facts["relu_then_avg"] == sum(max(v, 0) for v in top_left) / 4
    assert facts["avg_then_relu"] == max(sum(top_left) / 4, 0)


def windows(x: torch.Tensor, kernel_size: int, stride: int) -> torch.Tensor:
    """Every ``kernel_size``-square window at ``stride``, cut out of the last two axes."""
    return x.unfold(2, kernel_size, stride).unfold(3, kernel_size, stride)


@pytest.mark.parametrize("shape", [(1, 1, 4, 4), (1, 1, 5, 6), (2, 3, 7, 8)])
def test_pooling_in_code_is_the_windows_max_and_mean(shape):
    """Shapes follow the size formula; every value is its window's max or mean, cut out
    by hand: ``ceil_mode`` keeps the windows that start inside the padded input and drops
    one that would start in the padding after it (5×6: a column more, no row), and
    without the padding counted each mean is over the cells inside."""
    generator = torch.Generator().manual_seed(sum(shape))
    x = torch.randn(shape, generator=generator, dtype=torch.float64)
    outputs = pooling_in_code(x)
    batch, channels, height, width = shape
    expected_sizes = {
        "max": (2, 2, 0, False),
        "average": (2, 2, 0, False),
        "overlapping": (3, 1, 0, False),
        "ceil_mode": (3, 3, 1, True),
        "count_include_pad": (3, 1, 1, False),
    }
    for name, (kernel, stride, padding, ceil_mode) in expected_sizes.items():
        size = [
            pool_output_size(n, kernel, stride, padding, ceil_mode=ceil_mode)
            for n in (height, width)
        ]
        assert outputs[name].shape == (batch, channels, *size), name
    if shape[-2:] == (5, 6):  # the chapter's figure: rounding up adds a column only
        floor = [pool_output_size(n, 3, 3, 1) for n in (height, width)]
        assert list(outputs["ceil_mode"].shape[-2:]) == [floor[0], floor[1] + 1]
    torch.testing.assert_close(outputs["max"], windows(x, 2, 2).amax((-1, -2)))
    torch.testing.assert_close(outputs["average"], windows(x, 2, 2).mean((-1, -2)))
    torch.testing.assert_close(outputs["overlapping"], windows(x, 3, 1).amax((-1, -2)))
    # −∞ around the input, enough after it for every window ceil_mode keeps.
    hanging = F.pad(x, (1, 4, 1, 4), value=float("-inf"))
    kept = outputs["ceil_mode"].shape[-2:]
    ceil = windows(hanging, 3, 3).amax((-1, -2))[..., : kept[0], : kept[1]]
    torch.testing.assert_close(outputs["ceil_mode"], ceil)
    sums = windows(F.pad(x, (1, 1, 1, 1)), 3, 1).sum((-1, -2))
    inside = windows(F.pad(torch.ones_like(x), (1, 1, 1, 1)), 3, 1).sum((-1, -2))
    torch.testing.assert_close(outputs["count_include_pad"], sums / inside)
