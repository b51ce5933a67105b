"""Receptive field: the input cells one output value depends on, along one axis.

Symbols, for a layer with kernel size ``k``, stride ``s``, padding ``p`` and dilation ``d``:

* ``k_eff = d(k − 1) + 1``, the span of the dilated kernel;
* ``r``, the receptive field: how many consecutive input cells one output can depend on;
* ``j``, the jump: how many input cells apart two neighbouring outputs' fields start;
* ``u``, the start: the input index of the first cell of output 0's field (negative
  where it lies in the padding).

Before any layer each cell sees only itself: ``r = 1, j = 1, u = 0``. A layer then gives
``r_out = r_in + (k_eff − 1)·j_in``, ``j_out = j_in·s`` and ``u_out = u_in − p·j_in``.
Pooling is a layer like any other (its ``k`` and ``s``); ReLU is ``k = 1``. A 2-D layer
applies the recurrence to height and width separately.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from convdemo.arithmetic import effective_kernel_size
from convdemo.filters import edge_filters
from convdemo.network import POOL_SIZE, DemoNet

__all__ = [
    "Field",
    "Layer",
    "demo_layers",
    "extent",
    "gradient_footprints",
    "measure_demo",
    "next_field",
    "reached_offsets",
    "receptive_fields",
    "stack",
]


@dataclass(frozen=True)
class Layer:
    """One layer along one axis, named for the pages and figures."""

    name: str
    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1

    def __post_init__(self) -> None:
        effective_kernel_size(self.kernel_size, self.dilation)  # checks k and d by name
        for name, value, least in (("stride", self.stride, 1), ("padding", self.padding, 0)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an integer, got {value!r}")
            if value < least:
                raise ValueError(f"{name} must be at least {least}, got {value}")


@dataclass(frozen=True)
class Field:
    """The receptive field of a layer's outputs: size ``r``, jump ``j`` and start ``u``."""

    size: int = 1
    jump: int = 1
    start: int = 0

    def cells(self, index: int) -> tuple[int, int]:
        """First and last input index (inclusive) of output ``index``'s field."""
        first = self.start + index * self.jump
        return first, first + self.size - 1


# --8<-- [start:recurrence]
def next_field(field: Field, layer: Layer) -> Field:
    """The field after ``layer``, from the field of its input.

    k_eff = d(k − 1) + 1
    r_out = r_in + (k_eff − 1)·j_in
    j_out = j_in·s
    """
    span = effective_kernel_size(layer.kernel_size, layer.dilation)
    return Field(
        size=field.size + (span - 1) * field.jump,
        jump=field.jump * layer.stride,
        start=field.start - layer.padding * field.jump,
    )


def receptive_fields(layers: Sequence[Layer]) -> list[Field]:
    """The field after each layer, starting from one input cell (r = 1, j = 1)."""
    fields, field = [], Field()
    for layer in layers:
        field = next_field(field, layer)
        fields.append(field)
    return fields


# --8<-- [end:recurrence]


# --8<-- [start:offsets]
def reached_offsets(layers: Sequence[Layer]) -> tuple[int, ...]:
    """Which cells of one output's field it really reads, as offsets from the first.

    The same recurrence on sets: a layer's taps sit ``d·j_in`` input cells apart, and each
    tap brings the offsets of the layer before it. The last offset is ``r − 1``; the
    offsets in between that are missing are holes (the gridding of stacked dilations).
    """
    offsets, jump = {0}, 1
    for layer in layers:
        step = layer.dilation * jump
        offsets = {offset + tap * step for offset in offsets for tap in range(layer.kernel_size)}
        jump *= layer.stride
    return tuple(sorted(offsets))


# --8<-- [end:offsets]


def stack(kernel_size: int, dilations: Sequence[int]) -> tuple[Layer, ...]:
    """Stride-1 convolutions of one kernel size, one a dilation: ``conv1``, ``conv2``…"""
    return tuple(
        Layer(f"conv{index + 1}", kernel_size, dilation=dilation)
        for index, dilation in enumerate(dilations)
    )


def demo_layers() -> tuple[Layer, ...]:
    """``DemoNet``'s layers, named as ``DemoOutputs`` names their maps. ReLU is ``k = 1``."""
    kernel = int(edge_filters().shape[-1])
    pool = POOL_SIZE
    return (
        Layer("conv1", kernel),
        Layer("relu1", 1),
        Layer("pool1", pool, pool),
        Layer("conv2", kernel),
        Layer("relu2", 1),
        Layer("pool2", pool, pool),
    )


# --8<-- [start:gradient]
def gradient_footprints(image: torch.Tensor) -> dict[str, torch.Tensor]:
    """How much each input pixel moves the centre output of each layer of ``DemoNet``,
    measured by autograd on ``image`` (``1×C×H×W``).

    For each layer, ``|∂y_c/∂x|`` summed over the layer's channels ``c`` and the image's
    colour channels: an ``H×W`` map, non-zero where the output depends on the pixel. One
    backward pass per channel: the gradient of the channels' sum could cancel, since the
    demo filters come in pairs of opposite sign.
    """
    net = DemoNet().requires_grad_(False)  # the input's gradient only, not the weights'
    x = image.detach().clone().requires_grad_(True)
    outputs = net(x)
    maps = {}
    for layer in demo_layers():
        output = getattr(outputs, layer.name)
        row, col = output.shape[-2] // 2, output.shape[-1] // 2
        total = torch.zeros(image.shape[-2:])
        for channel in range(output.shape[1]):
            (grad,) = torch.autograd.grad(output[0, channel, row, col], x, retain_graph=True)
            total += grad[0].abs().sum(0)
        maps[layer.name] = total
    return maps


# --8<-- [end:gradient]


def extent(footprint: torch.Tensor) -> tuple[int, int, int, int]:
    """The smallest box around the non-zero cells: ``(top, left, height, width)``."""
    cells = footprint.nonzero()
    if len(cells) == 0:
        raise ValueError("the footprint has no non-zero cell")
    first, last = cells.min(0).values, cells.max(0).values
    top, left = int(first[0]), int(first[1])
    return top, left, int(last[0]) - top + 1, int(last[1]) - left + 1


Measured = tuple[dict[str, dict[str, int]], dict[str, torch.Tensor]]
# The photo's figures and their numbers all ask for the same measurement, seconds long;
# the last one is kept, under a digest of the image's values.
_MEASURED: dict[str, Measured] = {}


def measure_demo(image: torch.Tensor) -> Measured:
    """Each layer of ``DemoNet`` on ``image``, computed and measured.

    First, by layer name: its kernel ``k`` and stride ``s``, the field ``r`` and jump
    ``j`` the recurrence gives, its output's size (``out_h``, ``out_w``), its centre
    output (``row``, ``col``), that output's field (``top``, ``left``, by the recurrence)
    and the box of its gradient's footprint (``grad_top``, ``grad_left``, ``grad_h``,
    ``grad_w``). Then the gradient maps themselves (``gradient_footprints``).
    """
    pixels = image.detach().contiguous()
    key = hashlib.sha256(str(tuple(pixels.shape)).encode() + pixels.numpy().tobytes()).hexdigest()
    if key not in _MEASURED:
        _MEASURED.clear()
        _MEASURED[key] = _measure(pixels)
    rows, maps = _MEASURED[key]
    return {name: dict(row) for name, row in rows.items()}, dict(maps)


def _measure(image: torch.Tensor) -> Measured:
    layers = demo_layers()
    with torch.no_grad():
        outputs = DemoNet()(image)
    maps = gradient_footprints(image)
    rows = {}
    for layer, field in zip(layers, receptive_fields(layers), strict=True):
        out_h, out_w = getattr(outputs, layer.name).shape[-2:]
        row, col = out_h // 2, out_w // 2
        top, left, height, width = extent(maps[layer.name])
        rows[layer.name] = {
            "k": layer.kernel_size, "s": layer.stride, "r": field.size, "j": field.jump,
            "out_h": out_h, "out_w": out_w, "row": row, "col": col,
            "top": field.cells(row)[0], "left": field.cells(col)[0],
            "grad_top": top, "grad_left": left, "grad_h": height, "grad_w": width,
        }  # fmt: skip
    return rows, maps
