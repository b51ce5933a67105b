"""Exercises of chapter 5, the demo network on the photo: its maps' sizes, the edge
filters' responses to an edge worked by hand, installing weights in place, the dilation
that shrinks the maps by a chosen amount, and why a flat region gives no response."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from convdemo.exercises.kit import (
    Facts,
    call,
    conv_size_steps,
    exercise,
    explorer_hash,
    grid_text,
    number,
    products_steps,
    raised,
    shape_text,
    stacked,
)
from convdemo.filters import FILTER_NAMES, edge_filters
from convdemo.network import POOL_SIZE, DemoNet, DemoOutputs

__all__ = ["choose_dilation", "edge_by_hand", "flat_region", "in_place", "map_sizes"]


@exercise("shape")
def map_sizes(image: torch.Tensor) -> Facts:
    """The shape of every map of ``DemoNet`` on the photo, and the size steps behind them."""
    with torch.no_grad():
        outputs = DemoNet()(image)
    k = edge_filters().shape[-1]
    height, width = image.shape[-2:]
    facts: Facts = {"input": shape_text(image.shape), "kernel": k, "pool": POOL_SIZE}
    for name, value in zip(outputs._fields, outputs, strict=True):
        facts[name] = shape_text(value.shape)
    steps = []
    for axis, size in ((-2, height), (-1, width)):
        conv1, pool1, conv2 = (int(outputs[i].shape[axis]) for i in (0, 2, 3))
        steps.append(
            f"conv1  {conv_size_steps(size, k)}\n"
            f"pool1  {conv_size_steps(conv1, POOL_SIZE, POOL_SIZE)}\n"
            f"conv2  {conv_size_steps(pool1, k)}\n"
            f"pool2  {conv_size_steps(conv2, POOL_SIZE, POOL_SIZE)}"
        )
    shape = shape_text(image.shape)
    lines = ["import torch", "from convdemo import DemoNet"]
    lines += [f"maps = DemoNet()(torch.zeros{shape})"]
    lines += ["for name, map in zip(maps._fields, maps):", "    print(name, tuple(map.shape))"]
    named = zip(outputs._fields, outputs, strict=True)
    result = "\n".join(f"{name} {tuple(value.shape)}" for name, value in named)
    return {
        **facts,
        "height_steps": steps[0],
        "width_steps": steps[1],
        "tiling": _tiling(outputs),
        "code": "\n".join(lines),
        "result": result,
    }


def _tiling(outputs: DemoOutputs) -> str:
    """What the floor of each pooling's size formula drops, said in words: which sizes
    its windows do not tile, and how many rows or columns are lost."""
    notes = []
    for pooling, before in (("first", outputs.conv1), ("second", outputs.conv2)):
        for axis, (one, many) in ((-2, ("row", "rows")), (-1, ("column", "columns"))):
            size, lost = int(before.shape[axis]), int(before.shape[axis]) % POOL_SIZE
            if lost:
                noun = one if lost == 1 else f"{lost} {many}"
                kind = "height" if axis == -2 else "width"
                notes.append(
                    f"the {pooling} pooling meets a {kind} of {size}, which its windows "
                    f"do not tile, so the floor in the formula drops the last {noun}"
                )
    if not notes:
        return "Every pooling meets sizes its windows tile exactly: the floor drops nothing."
    return "; ".join(notes).capitalize() + "."


@exercise("value")
def edge_by_hand(size: int, dark: int) -> Facts:
    """The four edge filters on a ``size×size`` patch whose first ``dark`` columns are 0
    and the rest 1 (a vertical edge, dark to bright), before and after ReLU."""
    filters = edge_filters()
    k = filters.shape[-1]
    if size != k:
        raise ValueError(f"size must be the filters' size {k}, got {size}")
    patch = torch.zeros(1, 1, size, size)
    patch[..., dark:] = 1.0
    responses = F.conv2d(patch, filters.unsqueeze(1))[0, :, 0, 0]
    row = patch[0, 0, 0].tolist()
    ramp = filters[0, 0].tolist()
    row_sum = float(sum(w * v for w, v in zip(ramp, row, strict=True)))
    lines = [
        f"{name:<10}  {number(float(value)):>5}  {number(max(float(value), 0.0)):>5}"
        for name, value in zip(FILTER_NAMES, responses, strict=True)
    ]
    return {
        "size": size,
        "dark": dark,
        "dark_value": float(patch[0, 0, 0, 0]),
        "bright_value": float(patch[0, 0, 0, -1]),
        "patch": grid_text(patch[0, 0].tolist()),
        "row_steps": products_steps(list(zip(ramp, row, strict=True)), result=row_sum),
        "rows": size,
        "total_steps": f"{size}·{number(row_sum)} = {number(size * row_sum)}",
        "right": float(responses[0]),
        "left": float(responses[1]),
        "table": "\n".join([f"{'filter':<10}  {'conv':>5}  {'ReLU':>5}", *lines]),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                "from convdemo import edge_filters",
                f"patch = torch.zeros(1, 1, {size}, {size})",
                f"patch[..., {dark}:] = 1.0",
                "print(F.conv2d(patch, edge_filters().unsqueeze(1)).flatten())",
            ]
        ),
        "result": str(responses.flatten()),
    }


@exercise("error")
def in_place(in_channels: int, out_channels: int, kernel_size: int) -> Facts:
    """Copying filters into a layer's weight outside ``torch.no_grad()``."""
    layer_source = call("nn.Conv2d", in_channels, out_channels, kernel_size, bias=False)
    weight = (out_channels, in_channels, kernel_size, kernel_size)

    def install() -> None:
        layer = nn.Conv2d(in_channels, out_channels, kernel_size, bias=False)
        layer.weight.copy_(torch.zeros(weight))

    kind, message = raised(install)
    copy = f"conv.weight.copy_(torch.zeros{shape_text(weight)})"
    return {
        "layer": layer_source,
        "weight": shape_text(weight),
        "copy": copy,
        "error_type": kind,
        "error": message,
        "code": "\n".join(["import torch", "from torch import nn", f"conv = {layer_source}", copy]),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def choose_dilation(image: torch.Tensor, shrink: int) -> Facts:
    """The dilation that makes the first layer's maps ``shrink`` pixels smaller than the
    photo on each side: ``d(k − 1) = shrink``."""
    k = edge_filters().shape[-1]
    if shrink % (k - 1):
        raise ValueError(f"shrink must be a multiple of {k - 1}, got {shrink}")
    dilation = shrink // (k - 1)
    with torch.no_grad():
        conv1 = DemoNet(dilation=dilation)(image).conv1
    height, width = image.shape[-2:]
    return {
        "height": height,
        "width": width,
        "shrink": shrink,
        "kernel": k,
        "dilation": dilation,
        "dilation_steps": f"d = shrink / (k − 1) = {shrink} / ({k} − 1) = {dilation}",
        "span_steps": f"d(k − 1) + 1 = {dilation}·({k} − 1) + 1 = {dilation * (k - 1) + 1}",
        "height_steps": conv_size_steps(height, k, dilation=dilation),
        "width_steps": conv_size_steps(width, k, dilation=dilation),
        "conv1": shape_text(conv1.shape),
        "output": shape_text(conv1.shape),
        "explorer": explorer_hash(
            "conv2d",
            image.shape,
            out_channels=conv1.shape[1],
            kernel_size=k,
            dilation=dilation,
            bias=False,
        ),
        "code": "\n".join(
            [
                "import torch",
                "from convdemo import DemoNet",
                f"x = torch.zeros{shape_text(image.shape)}",
                f"print(DemoNet(dilation={dilation})(x).conv1.shape)",
            ]
        ),
        "result": str(conv1.shape),
    }


@exercise("concept")
def flat_region(value: float, size: int) -> Facts:
    """Every edge filter sums to zero, so a flat region of any value gives zero; a blur,
    whose weights sum to 1, gives the region's value summed over the channels."""
    filters = edge_filters()
    k = filters.shape[-1]
    channels = 3
    flat = torch.full((1, channels, size, size), value)
    with torch.no_grad():
        response = DemoNet().conv1(flat)
    blur = torch.full((1, channels, k, k), 1.0 / (k * k))
    blurred = F.conv2d(flat, blur)
    sums = ", ".join(number(float(f.sum())) for f in filters)
    return {
        "value": value,
        "size": size,
        "channels": channels,
        "kernel": k,
        "sums": sums,
        "blur_sum": float(blur[0, 0].sum()),
        "largest": float(response.abs().max()),
        "blur_steps": stacked(
            f"C·k·k·(1 / k²)·v = {channels}·{k}·{k}·(1 / {k * k})·{number(value)}"
            f" = {number(float(blurred[0, 0, 0, 0]))}"
        ),
        "code": "\n".join(
            [
                "import torch",
                "from convdemo import DemoNet",
                f"flat = torch.full((1, {channels}, {size}, {size}), {value!r})",
                "print(DemoNet().conv1(flat).abs().max().item())",
            ]
        ),
        "result": str(float(response.abs().max())),
    }
