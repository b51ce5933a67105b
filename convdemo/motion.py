"""The sliding window, step by step: what every step of a layer reads and writes.

A ``Layer`` is a layer as PyTorch's own arguments describe it (``Conv2d(1, 1, 3,
stride=2, padding=1)`` on a 5×5 input); ``motion(layer)`` lays its input out as the grid
the window slides over and lists one ``Step`` per output cell: the grid cells the window
covers, the input cells it reads, and, for a numerical layer, the value it writes.

The grid is the input with its padding, as PyTorch pads it. For a transposed convolution
it is the input spread out: ``stride − 1`` zeros between values and ``d(k − 1) − p``
around (``output_padding`` more after), which a stride-1 convolution with the kernel
rotated by 180° turns into the transposed convolution's output (``convdemo.transposed``).
Positions come from ``convdemo.arithmetic``; values from PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from convdemo.arithmetic import (
    conv_output_size,
    effective_kernel_size,
    pool_output_size,
    transposed_output_size,
)

__all__ = ["OPERATIONS", "Cell", "Layer", "Motion", "Step", "motion"]

Op = Literal["conv", "conv_transpose", "max_pool", "avg_pool"]
#: PyTorch's module for each operation, by the number of spatial dimensions.
OPERATIONS: dict[Op, str] = {
    "conv": "Conv{}d",
    "conv_transpose": "ConvTranspose{}d",
    "max_pool": "MaxPool{}d",
    "avg_pool": "AvgPool{}d",
}
Pair = tuple[int, int]


@dataclass(frozen=True)
class Layer:
    """A one-channel layer and its input, in PyTorch's terms, along (height, width).

    A 1-D layer (``dims=1``) has height 1 in every pair. ``stride`` of a pooling layer
    defaults to its kernel size, as in PyTorch; ``causal`` pads a 1-D convolution on
    the left only, by ``d(k − 1)`` (``F.pad`` before a layer without padding).
    """

    op: Op
    size: Pair
    kernel_size: Pair
    stride: Pair | None = None
    padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    output_padding: Pair = (0, 0)
    ceil_mode: bool = False
    dims: int = 2
    causal: bool = False

    @property
    def steps(self) -> Pair:
        return self.stride or (self.kernel_size if "pool" in self.op else (1, 1))

    def output_size(self) -> Pair:
        """The output's (height, width), by the size arithmetic (checked against PyTorch)."""
        sizes = []
        for axis in range(2):
            n, k, s = self.size[axis], self.kernel_size[axis], self.steps[axis]
            p, d = self.padding[axis], self.dilation[axis]
            if self.op == "conv":
                left = self.left_padding[axis]
                sizes.append(conv_output_size(n + left - p, k, s, p, d))
            elif self.op == "conv_transpose":
                sizes.append(transposed_output_size(n, k, s, p, self.output_padding[axis], d))
            else:
                dilation = d if self.op == "max_pool" else 1
                sizes.append(pool_output_size(n, k, s, p, dilation, self.ceil_mode))
        return sizes[0], sizes[1]

    @property
    def left_padding(self) -> Pair:
        """Zeros before the input on each axis (after it: ``padding``, or none if causal)."""
        if self.causal:
            return 0, self.dilation[1] * (self.kernel_size[1] - 1)
        return self.padding

    def module(self) -> str:
        """The PyTorch line that makes this layer: ``nn.Conv2d(1, 1, 3, stride=2)``."""

        def value(pair: Pair) -> str:
            if self.dims == 1:
                return str(pair[1])
            return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"

        name = OPERATIONS[self.op].format(self.dims)
        channels = "1, 1, " if "conv" in self.op else ""
        arguments = [f"{channels}{value(self.kernel_size)}"]
        defaults = {"stride": self.kernel_size if "pool" in self.op else (1, 1)}
        for key, pair, default in (
            ("stride", self.steps, defaults["stride"]),
            ("padding", (0, 0) if self.causal else self.padding, (0, 0)),
            ("dilation", self.dilation, (1, 1)),
            ("output_padding", self.output_padding, (0, 0)),
        ):
            if pair != default:
                arguments.append(f"{key}={value(pair)}")
        if self.ceil_mode:
            arguments.append("ceil_mode=True")
        return f"nn.{name}({', '.join(arguments)})"

    def input_shape(self) -> tuple[int, ...]:
        """The input tensor's shape: batch 1, one channel, then the spatial sizes."""
        return (1, 1, self.size[1]) if self.dims == 1 else (1, 1, *self.size)

    def explorer_hash(self) -> str:
        """This setting in the explorer's URL form (``op=conv2d&input=1,1,5,5&…``)."""

        def value(pair: Pair) -> str:
            if self.dims == 1:
                return str(pair[1])
            return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"

        parts = [f"op={self.op}{self.dims}d", "input=" + ",".join(map(str, self.input_shape()))]
        if "conv" in self.op:
            parts.append("out_channels=1")
        parts.append(f"kernel_size={value(self.kernel_size)}")
        default_stride = self.kernel_size if "pool" in self.op else (1, 1)
        if self.steps != default_stride:
            parts.append(f"stride={value(self.steps)}")
        if self.causal:
            parts.append(f"pad={self.left_padding[1]},0")
        elif self.padding != (0, 0):
            parts.append(f"padding={value(self.padding)}")
        if self.dilation != (1, 1):
            parts.append(f"dilation={value(self.dilation)}")
        if self.output_padding != (0, 0):
            parts.append(f"output_padding={value(self.output_padding)}")
        if self.ceil_mode:
            parts.append("ceil_mode=true")
        return "&".join(parts)


CellKind = Literal["input", "padding", "inserted", "outside"]


@dataclass(frozen=True)
class Cell:
    """One cell of the grid the window slides over: an input cell (``source`` is its
    index in the input), a padding zero, a zero inserted between spread-out values, or,
    for ``ceil_mode``, a place past the padded input that the last window may reach."""

    kind: CellKind
    source: Pair | None = None


@dataclass(frozen=True)
class Step:
    """One step: the output cell written, the grid cells the window covers (its taps, in
    kernel order), and the input cells among them."""

    output: Pair
    taps: tuple[Pair, ...]
    reads: tuple[Pair, ...]


@dataclass(frozen=True)
class Motion:
    """A layer laid out: the grid (rows of cells), the window's steps, the output size."""

    layer: Layer
    grid: tuple[tuple[Cell, ...], ...]
    steps: tuple[Step, ...]
    output_size: Pair
    #: ceil_mode: ``(axis, grid index)`` where a window PyTorch leaves out would start.
    dropped: tuple[Pair, ...] = field(default=())
    #: Along each axis, what each grid line is: its kind and its input index.
    lines: tuple[tuple[tuple[CellKind, int | None], ...], ...] = field(default=())

    @property
    def grid_size(self) -> Pair:
        return len(self.grid), len(self.grid[0])


def _axis_cells(layer: Layer, axis: int) -> tuple[list[tuple[CellKind, int | None]], int]:
    """The cells along one axis and where the window's first tap sits (grid index of the
    position an output window starting at input index 0 would take)."""
    n, k, d = layer.size[axis], layer.kernel_size[axis], layer.dilation[axis]
    if layer.op == "conv_transpose":
        s, p, a = layer.steps[axis], layer.padding[axis], layer.output_padding[axis]
        border = d * (k - 1) - p
        spread: list[tuple[CellKind, int | None]] = []
        for index in range(n):
            if index:
                spread += [("inserted", None)] * (s - 1)
            spread.append(("input", index))
        before: list[tuple[CellKind, int | None]] = [("padding", None)] * max(border, 0)
        after: list[tuple[CellKind, int | None]] = [("padding", None)] * max(border + a, 0)
        cells = before + spread + after
        # A padding larger than d(k − 1) crops the spread input instead.
        crop_before, crop_after = max(-border, 0), max(-(border + a), 0)
        cells = cells[crop_before : len(cells) - crop_after or None]
        return cells, 0
    before_count = layer.left_padding[axis]
    after_count = 0 if layer.causal else layer.padding[axis]
    padding: tuple[CellKind, int | None] = ("padding", None)
    inputs: list[tuple[CellKind, int | None]] = [("input", i) for i in range(n)]
    return [padding] * before_count + inputs + [padding] * after_count, 0


def motion(layer: Layer) -> Motion:
    """Every step of ``layer``'s window, row by row."""
    out_h, out_w = layer.output_size()
    axes = [_axis_cells(layer, axis) for axis in range(2)]
    spans = [effective_kernel_size(layer.kernel_size[a], layer.dilation[a]) for a in range(2)]
    step = (1, 1) if layer.op == "conv_transpose" else layer.steps
    # ceil_mode may let the last window reach past the padded input, and shows the window
    # PyTorch drops: grow the grid to hold them.
    dropped = _dropped(layer, (out_h, out_w))
    for axis, count in enumerate((out_h, out_w)):
        cells, _ = axes[axis]
        needed = (count - 1) * step[axis] + spans[axis]
        needed = max([needed] + [start + spans[axis] for a, start in dropped if a == axis])
        cells.extend([("outside", None)] * max(0, needed - len(cells)))
    grid = tuple(
        tuple(
            Cell(row_kind, (row_src, col_src))
            if row_kind == col_kind == "input" and row_src is not None and col_src is not None
            else Cell(_merge(row_kind, col_kind))
            for col_kind, col_src in axes[1][0]
        )
        for row_kind, row_src in axes[0][0]
    )
    steps = []
    for row in range(out_h):
        for col in range(out_w):
            taps = tuple(
                (row * step[0] + i * layer.dilation[0], col * step[1] + j * layer.dilation[1])
                for i in range(layer.kernel_size[0])
                for j in range(layer.kernel_size[1])
            )
            reads = tuple(
                source
                for r, c in taps
                if (source := grid[r][c].source) is not None and grid[r][c].kind == "input"
            )
            steps.append(Step((row, col), taps, reads))
    lines = (tuple(axes[0][0]), tuple(axes[1][0]))
    return Motion(layer, grid, tuple(steps), (out_h, out_w), dropped, lines)


def _merge(row: CellKind, col: CellKind) -> CellKind:
    """A cell is as much 'not input' as its row or its column."""
    kinds: tuple[CellKind, ...] = ("outside", "padding", "inserted")
    for kind in kinds:
        if kind in (row, col):
            return kind
    return "input"


def _dropped(layer: Layer, out: Pair) -> tuple[Pair, ...]:
    """With ``ceil_mode``: ``(axis, grid index)`` of the first tap of each window that
    rounding up adds but PyTorch then drops, because it would start in the right padding
    (``pool_output_size`` has the rule)."""
    if not layer.ceil_mode or "pool" not in layer.op:
        return ()
    dropped = []
    for axis in range(2):
        n, p, s = layer.size[axis], layer.padding[axis], layer.steps[axis]
        span = effective_kernel_size(
            layer.kernel_size[axis], layer.dilation[axis] if layer.op == "max_pool" else 1
        )
        rounded_up = (n + 2 * p - span + s - 1) // s + 1
        if rounded_up > out[axis]:
            dropped.append((axis, (rounded_up - 1) * s))
    return tuple(dropped)
