"""The im2col figures' numbers: the columns, the product and the counts, from PyTorch."""

from __future__ import annotations

import matplotlib
import pytest
import torch
import torch.nn.functional as F

from convdemo.im2col import demo_input, demo_weight
from convdemo.im2col_figures import (
    columns_facts,
    columns_figure,
    coverage_facts,
    coverage_figure,
    memory_figure,
    transpose_facts,
    transpose_figure,
)
from convdemo.style import RC


@pytest.mark.parametrize("channels, size, kernel", [(2, 3, 2), (1, 4, 3), (3, 4, 2)])
def test_columns_facts_are_unfold_and_conv2d(channels, size, kernel):
    facts = columns_facts(channels, size, kernel)
    x, w = demo_input(channels, size), demo_weight(channels, kernel)
    columns = F.unfold(x, kernel)[0]
    assert (facts["rows"], facts["windows"]) == tuple(columns.shape)
    out = F.conv2d(x, w)[0, 0]
    assert facts["out"] == out.shape[-1]
    assert facts["product"] == ", ".join(f"{v:g}".replace("-", "−") for v in out.flatten().tolist())
    assert facts["first"] == f"{out[0, 0].item():g}".replace("-", "−")
    assert facts["first_column"] == ", ".join(f"{v:g}" for v in columns[:, 0].tolist())
    # The worked sum, evaluated, is the first output.
    terms = [
        term.strip("()").replace(")", "").split("·") for term in facts["first_sum"].split(" + ")
    ]
    worked = sum(float(w.replace("−", "-")) * float(v) for w, v in terms)
    assert worked == out[0, 0].item() and len(terms) == facts["rows"]


@pytest.mark.parametrize("size, kernel, strides", [(5, 3, (1, 2)), (6, 2, (1, 2, 3))])
def test_coverage_facts_are_the_overlap_counts_of_conv_transpose2d(size, kernel, strides):
    facts = coverage_facts(size, kernel, strides)
    for index, stride in enumerate(strides, start=1):
        windows = (size - kernel) // stride + 1
        # Chapter 7's overlap count: ones through a transposed convolution of ones.
        counts = F.conv_transpose2d(
            torch.ones(1, 1, windows, windows), torch.ones(1, 1, kernel, kernel), stride=stride
        )
        counts = counts[0, 0, :size, :size]
        assert (facts[f"low_{index}"], facts[f"high_{index}"]) == (
            int(counts.min()),
            int(counts.max()),
        )


def test_transpose_facts():
    facts = transpose_facts(2)
    out = F.conv_transpose2d(
        torch.arange(1.0, 5).view(1, 1, 2, 2), torch.arange(1.0, 10).view(1, 1, 3, 3)
    )
    assert facts["out"] == out.shape[-1] and facts["largest"] == f"{out.max().item():g}"
    assert (facts["rows"], facts["windows"]) == (9, 4)


def test_the_figures_write_the_values_pytorch_computes():
    with matplotlib.rc_context(RC):
        figure = columns_figure(2, 3, 2)
        coverage = coverage_figure(5, 3, (1, 2))
        transposed = transpose_figure(2)
        memory = memory_figure(8, 2, 2, 3)
    labels = [t.get_text() for t in figure.axes[0].texts]
    out = F.conv2d(demo_input(2, 3), demo_weight(2, 2))[0, 0].flatten().tolist()
    for value in out:  # in the product row and in the output grid
        assert labels.count(f"{value:g}") >= 2
    assert [ax.get_title() for ax in coverage.axes] == [
        "3×3 windows, stride 1",
        "3×3 windows, stride 2",
    ]
    assert transposed.axes[-1].get_title() == "fold: 4×4"
    assert len(memory.axes[0].patches) == 2
