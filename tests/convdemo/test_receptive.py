"""The receptive-field recurrence against PyTorch: autograd through real layer chains.

A chain of ``nn.Conv2d`` (all-ones weights), ``nn.MaxPool2d`` and ``nn.ReLU`` layers runs
on random inputs; the input cells whose gradient is non-zero for one output, gathered
over several inputs (max pooling passes the gradient to one winner per window, a
different one for each input), are the cells that output depends on.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from convdemo import DemoNet, load_image
from convdemo.examples import PHOTO_SIDE
from convdemo.network import POOL_SIZE
from convdemo.receptive import (
    Field,
    Layer,
    demo_layers,
    extent,
    gradient_footprints,
    measure_demo,
    next_field,
    reached_offsets,
    receptive_fields,
    stack,
)

TRIALS = 24


def module(layer: Layer, axes: int) -> nn.Module:
    """``layer`` as a PyTorch module acting along the last axis, or along both."""

    def pair(value: int, other: int) -> tuple[int, int]:
        return (value, value) if axes == 2 else (other, value)

    if layer.name.startswith("relu"):
        return nn.ReLU()
    if layer.name.startswith("pool"):
        return nn.MaxPool2d(
            pair(layer.kernel_size, 1),
            pair(layer.stride, 1),
            padding=pair(layer.padding, 0),
            dilation=pair(layer.dilation, 1),
        )
    conv = nn.Conv2d(
        1,
        1,
        pair(layer.kernel_size, 1),
        stride=pair(layer.stride, 1),
        padding=pair(layer.padding, 0),
        dilation=pair(layer.dilation, 1),
        bias=False,
    )
    with torch.no_grad():
        conv.weight.fill_(1.0)  # no weight is zero: every path counts
    return conv


def measured(layers, size: int, output_index: int | None = None, axes: int = 1):
    """Input cells (along the last axis) that reach one output, by autograd on ``TRIALS``
    random inputs; the output is the middle one unless ``output_index`` says."""
    chain = nn.Sequential(*(module(layer, axes) for layer in layers)).requires_grad_(False)
    generator = torch.Generator().manual_seed(size)
    shape = (1, 1, size if axes == 2 else 1, size)
    reached = torch.zeros(shape[-2:], dtype=torch.bool)
    for _ in range(TRIALS):
        x = torch.randn(shape, generator=generator).requires_grad_(True)
        y = chain(x)
        index = y.shape[-1] // 2 if output_index is None else output_index
        row = y.shape[-2] // 2 if axes == 2 else 0
        (grad,) = torch.autograd.grad(y[0, 0, row, index], x)
        reached |= grad[0, 0] != 0
    return reached, index


def conv(k, s=1, p=0, d=1):
    return Layer("conv", k, s, p, d)


def pool(k, s=None, p=0):
    return Layer("pool", k, k if s is None else s, p)


RELU = Layer("relu", 1)

CHAINS = {
    "conv 3": [conv(3)],
    "conv 5, dilation 2": [conv(5, d=2)],
    "conv 4, stride 2": [conv(4, s=2)],
    "conv 3, padding 1": [conv(3, p=1)],
    "conv, pool, conv": [conv(3), pool(2), conv(3)],
    "the demo network": list(demo_layers()),
    "strided and padded": [conv(3, 2, 1), RELU, conv(3, 2, 1), conv(3, d=2)],
    "pool with padding, then dilation": [pool(3, 2, 1), conv(3, d=3)],
    "three stride-2 convs": [conv(2, 2)] * 3,
    "overlapping pools": [conv(3), pool(3, 2), conv(5, d=2), pool(2)],
    "dilations 2, 2, 2": list(stack(3, (2, 2, 2))),
    "dilations 1, 2, 4, 8": list(stack(3, (1, 2, 4, 8))),
    "dilations 1, 2, 3": list(stack(3, (1, 2, 3))),
    "even kernels": [conv(2), conv(4, d=3), pool(2), conv(2, s=3)],
}


@pytest.mark.parametrize("name", list(CHAINS))
def test_the_field_is_what_autograd_reaches_in_real_layers(name):
    layers = CHAINS[name]
    field = receptive_fields(layers)[-1]
    size = field.size + 4 * field.jump + 8  # room for the middle output's whole field
    reached, index = measured(layers, size)
    cells = reached[0].nonzero().flatten().tolist()
    first, last = field.cells(index)
    assert (cells[0], cells[-1]) == (first, last)
    assert last - first + 1 == field.size
    # Which cells inside the field: the recurrence on offsets, holes included.
    assert [cell - first for cell in cells] == list(reached_offsets(layers))


@pytest.mark.parametrize(
    "name", ["conv 3, padding 1", "strided and padded", "pool with padding, then dilation"]
)
def test_padding_moves_the_first_outputs_field_into_the_zeros(name):
    layers = CHAINS[name]
    field = receptive_fields(layers)[-1]
    size = field.size + 4 * field.jump + 8
    reached, _ = measured(layers, size, output_index=0)
    first, last = field.cells(0)
    assert first < 0  # the field starts in the padding
    cells = reached[0].nonzero().flatten().tolist()
    # Only the part on the input can have a gradient; the offsets say which.
    expected = [first + offset for offset in reached_offsets(layers) if first + offset >= 0]
    assert cells == expected and cells[-1] == last


@pytest.mark.parametrize("name", ["conv, pool, conv", "strided and padded", "dilations 2, 2, 2"])
def test_in_two_dimensions_the_field_is_the_product_of_the_axes(name):
    layers = CHAINS[name]
    field = receptive_fields(layers)[-1]
    size = field.size + 2 * field.jump + 6
    reached, index = measured(layers, size, axes=2)
    offsets = reached_offsets(layers)
    first = field.cells(index)[0]
    expected = torch.zeros(size, size, dtype=torch.bool)
    rows = [first + o for o in offsets]  # the middle row: the same index on this square
    for r in rows:
        for c in rows:
            expected[r, c] = True
    assert torch.equal(reached, expected)


def test_the_recurrence_step_by_step():
    field = next_field(Field(), conv(3, s=2, p=1, d=2))
    assert field == Field(size=5, jump=2, start=-1)
    assert next_field(field, pool(2)) == Field(size=7, jump=4, start=-1)
    assert Field(7, 4, -1).cells(3) == (11, 17)


def test_the_demo_layers_are_demo_nets():
    net = DemoNet()
    layers = {layer.name: layer for layer in demo_layers()}
    for name in ("conv1", "conv2"):
        conv_module = getattr(net, name)
        assert layers[name].kernel_size == conv_module.kernel_size[0]
        assert layers[name].stride == conv_module.stride[0]
        assert layers[name].padding == conv_module.padding[0]
        assert layers[name].dilation == conv_module.dilation[0]
    for name in ("pool1", "pool2"):
        assert (
            (layers[name].kernel_size, layers[name].stride)
            == (
                net.pool.kernel_size,
                net.pool.stride,
            )
            == (POOL_SIZE, POOL_SIZE)
        )


@pytest.fixture(scope="module")
def photo() -> torch.Tensor:
    return load_image(size=PHOTO_SIDE)


def test_on_the_photo_the_gradient_fills_each_layers_field(photo):
    rows, maps = measure_demo(photo)
    with torch.no_grad():
        outputs = DemoNet()(photo)
    for name, row in rows.items():
        out = getattr(outputs, name)
        assert (row["out_h"], row["out_w"]) == tuple(out.shape[-2:])
        assert (row["row"], row["col"]) == (out.shape[-2] // 2, out.shape[-1] // 2)
        box = (row["grad_top"], row["grad_left"], row["grad_h"], row["grad_w"])
        assert box == extent(maps[name]) == (row["top"], row["left"], row["r"], row["r"])


def test_on_the_photo_nothing_outside_the_field_moves_the_output(photo):
    """The other half, without gradients: change every pixel outside the field, and the
    centre output of every channel stays exactly the same."""
    rows, _ = measure_demo(photo)
    net = DemoNet()
    noise = torch.rand(photo.shape, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        before = net(photo)
        for name, row in rows.items():
            inside = torch.zeros(photo.shape[-2:], dtype=torch.bool)
            inside[row["top"] : row["top"] + row["r"], row["left"] : row["left"] + row["r"]] = True
            changed = torch.where(inside, photo, noise)
            after = net(changed)
            y0 = getattr(before, name)[0, :, row["row"], row["col"]]
            y1 = getattr(after, name)[0, :, row["row"], row["col"]]
            assert torch.equal(y0, y1), name
            assert not torch.equal(getattr(before, name), getattr(after, name))


def test_the_gradient_maps_are_those_of_each_channel(photo):
    small = photo[..., 100:160, 80:140]
    maps = gradient_footprints(small)
    x = small.clone().requires_grad_(True)
    output = DemoNet()(x).conv2
    row, col = output.shape[-2] // 2, output.shape[-1] // 2
    expected = torch.zeros(small.shape[-2:])
    for channel in range(output.shape[1]):
        (grad,) = torch.autograd.grad(output[0, channel, row, col], x, retain_graph=True)
        expected += grad[0].abs().sum(0)
    torch.testing.assert_close(maps["conv2"], expected)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Layer("c", 0), ValueError, "kernel_size"),
        (lambda: Layer("c", 3, stride=0), ValueError, "stride must be at least 1, got 0"),
        (lambda: Layer("c", 3, padding=-1), ValueError, "padding must be at least 0, got -1"),
        (lambda: Layer("c", 3, dilation=0), ValueError, "dilation"),
        (lambda: Layer("c", 3, stride=1.5), TypeError, "stride must be an integer"),
    ],
)
def test_a_layer_pytorch_would_reject_is_rejected_by_name(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_extent_of_an_empty_footprint_is_an_error():
    with pytest.raises(ValueError, match="no non-zero"):
        extent(torch.zeros(3, 3))
