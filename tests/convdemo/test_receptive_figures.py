"""The receptive-field figures' numbers, each checked against real PyTorch layers."""

from __future__ import annotations

import matplotlib
import pytest
import torch
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from convdemo import DemoNet, load_image
from convdemo.receptive import stack
from convdemo.receptive_figures import (
    SHOWN,
    demo_field_facts,
    field_gradients_figure,
    field_photo_figure,
    gridding_facts,
    gridding_figure,
    growth_facts,
    growth_figure,
)
from convdemo.style import OUTPUT, RC
from tests.convdemo.test_receptive import measured


def side(layers) -> int:
    """The field of a stack of real ``nn.Conv2d`` layers, by autograd."""
    size = 2 * sum(layer.dilation * (layer.kernel_size - 1) for layer in layers) + 9
    reached, _ = measured(layers, size)
    cells = reached[0].nonzero().flatten()
    return int(cells[-1] - cells[0] + 1)


@pytest.mark.parametrize(
    "kernel, dilations", [(3, (1, 2, 4, 8)), (3, (1, 1, 1)), (5, (1, 3, 9)), (2, (1, 2, 4))]
)
def test_growth_facts_are_the_fields_of_real_stacks(kernel, dilations):
    facts = growth_facts(kernel, dilations)
    for depth in range(1, len(dilations) + 1):
        assert facts[f"dilated_{depth}"] == side(stack(kernel, dilations[:depth]))
        assert facts[f"plain_{depth}"] == side(stack(kernel, [1] * depth))
    assert facts["dilated_last"] == facts[f"dilated_{len(dilations)}"]
    assert facts["plain"] == ", ".join(
        str(facts[f"plain_{d}"]) for d in range(1, len(dilations) + 1)
    )


def test_doubling_dilations_give_the_closed_form():
    facts = growth_facts(3, (1, 2, 4, 8))
    assert facts["dilated"] == ", ".join(str(1 + 2 * (2**L - 1)) for L in range(1, 5))
    assert facts["plain"] == ", ".join(str(1 + 2 * L) for L in range(1, 5))


@pytest.mark.parametrize(
    "kernel, dilations, remedy",
    [(3, (2, 2, 2), (1, 2, 3)), (3, (3, 3), (1, 3)), (2, (2, 4), (1, 2))],
)
def test_gridding_facts_count_what_reaches_one_output_through_real_layers(
    kernel, dilations, remedy
):
    facts = gridding_facts(kernel, dilations, remedy)
    for key, chosen in (("grid", dilations), ("remedy", remedy)):
        layers = stack(kernel, chosen)
        size = facts[f"{key}_side"] + 6
        reached, _ = measured(layers, size, axes=2)
        rows = reached.any(1).nonzero().flatten()
        assert int(rows[-1] - rows[0] + 1) == facts[f"{key}_side"]
        assert int(reached.sum()) == facts[f"{key}_reached"]
        assert facts[f"{key}_holes"] == facts[f"{key}_side"] ** 2 - int(reached.sum())
    # The lattice: the first reached cell, then only every `dilation`-th one on each axis.
    step = facts["dilation"]
    if step > 1:
        cells = measured(stack(kernel, dilations), facts["grid_side"] + 6)[0][0].nonzero()
        assert all(int(c - cells[0]) % step == 0 for c in cells.flatten())


@pytest.fixture(scope="module")
def photo() -> torch.Tensor:
    return load_image(size=96)


def test_demo_field_facts_describe_the_network_and_the_photo(photo):
    facts = demo_field_facts(photo)
    net = DemoNet()
    assert facts["kernel"] == net.conv1.kernel_size[0] and facts["pool"] == net.pool.kernel_size
    assert (facts["height"], facts["width"]) == tuple(photo.shape[-2:])
    assert facts["shown"] == len(SHOWN) and facts["layers"] == 6
    with torch.no_grad():
        outputs = net(photo)
    for name in ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2"):
        assert facts[f"{name}_out_h"] == getattr(outputs, name).shape[-2]
    agree = sum(
        facts[f"{n}_grad_h"] == facts[f"{n}_grad_w"] == facts[f"{n}_r"]
        and (facts[f"{n}_grad_top"], facts[f"{n}_grad_left"])
        == (facts[f"{n}_top"], facts[f"{n}_left"])
        for n in ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2")
    )
    assert facts["agree"] == agree


def test_the_figures_draw_their_numbers(photo):
    facts = demo_field_facts(photo)
    with matplotlib.rc_context(RC):
        legend = field_photo_figure(photo).axes[1].get_legend()
        titles = [ax.get_title() for ax in field_gradients_figure(photo).axes]
        grid = gridding_figure(3, (2, 2, 2), (1, 2, 3))
        growth = growth_figure(3, (1, 2, 4, 8))
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == [f"{n}: {facts[f'{n}_r']}×{facts[f'{n}_r']}" for n in SHOWN]
    assert [t.splitlines()[0] for t in titles] == list(SHOWN)
    green = [
        patch
        for ax in grid.axes
        for patch in ax.patches
        if isinstance(patch, Rectangle)
        and patch.get_fill()
        and to_hex(patch.get_facecolor()) == OUTPUT
    ]
    counts = gridding_facts(3, (2, 2, 2), (1, 2, 3))
    assert len(green) == counts["grid_reached"] + counts["remedy_reached"]
    annotations = sorted(int(t.get_text()) for t in growth.axes[0].texts)
    values = growth_facts(3, (1, 2, 4, 8))
    assert annotations == sorted(
        int(values[f"{k}_{d}"]) for k in ("dilated", "plain") for d in range(1, 5)
    )
