"""Exercises of chapter 10, groups and depthwise-separable convolution: a grouped layer's
shapes and parameters, a depthwise layer by hand, a depthwise layer given the wrong
number of channels, the ``groups`` that meets a budget of weights, and why stacked
grouped layers never mix their groups.

The channels and masks of the exercise worked by hand, written out::

    CHANNELS              MASKS
    1 2 0     4 0 1       1  0     2 1
    0 1 3     1 2 0       0 −1     0 1
    2 1 1     0 3 2
"""

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
    products_steps,
    raised,
    shape_text,
    side_by_side,
)

__all__ = ["CHANNELS", "MASKS", "budget", "by_hand", "grouped_shapes", "no_crossing", "wrong_input"]

CHANNELS: tuple[tuple[tuple[float, ...], ...], ...] = (
    ((1, 2, 0), (0, 1, 3), (2, 1, 1)),
    ((4, 0, 1), (1, 2, 0), (0, 3, 2)),
)
MASKS: tuple[tuple[tuple[float, ...], ...], ...] = (((1, 0), (0, -1)), ((2, 1), (0, 1)))


@exercise("shape")
def grouped_shapes(
    batch: int, in_channels: int, size: int, out_channels: int, kernel_size: int, groups: int
) -> Facts:
    """A grouped layer with same padding: the output's shape, the weight's, the
    parameters, and what the same layer costs without groups."""
    padding = (kernel_size - 1) // 2
    layer = nn.Conv2d(in_channels, out_channels, kernel_size, padding=padding, groups=groups)
    x = torch.zeros(batch, in_channels, size, size)
    with torch.no_grad():
        out = layer(x)
    standard = nn.Conv2d(in_channels, out_channels, kernel_size, padding=padding)
    source = call(
        "nn.Conv2d", in_channels, out_channels, kernel_size, padding=padding, groups=groups
    )
    parameters = sum(p.numel() for p in layer.parameters())
    per_group = in_channels // groups
    return {
        "layer": source,
        "input": shape_text(x.shape),
        "groups": groups,
        "out_steps": conv_size_steps(size, kernel_size, padding=padding),
        "output": shape_text(out.shape),
        "weight": shape_text(layer.weight.shape),
        "per_group": per_group,
        "per_group_steps": f"C_in / g = {in_channels} / {groups} = {per_group}",
        "parameters": parameters,
        "parameter_steps": (
            f"C_out·(C_in / g)·k·k + C_out = {out_channels}·{per_group}·{kernel_size}"
            f"·{kernel_size} + {out_channels} = {parameters}"
        ),
        "standard_parameters": sum(p.numel() for p in standard.parameters()),
        "explorer": explorer_hash(
            "conv2d",
            x.shape,
            out_channels=out_channels,
            kernel_size=kernel_size,
            padding=padding,
            groups=groups,
        ),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"layer = {source}",
                f"print(layer(torch.zeros{shape_text(x.shape)}).shape, layer.weight.shape)",
                "print(sum(p.numel() for p in layer.parameters()))",
            ]
        ),
        "result": f"{out.shape} {layer.weight.shape}\n{parameters}",
    }


@exercise("value")
def by_hand() -> Facts:
    """A depthwise layer (``groups`` = channels, no bias) holding ``MASKS`` on
    ``CHANNELS``: each output channel is its own input channel under its own mask."""
    x = torch.tensor(CHANNELS, dtype=torch.float32)[None]
    w = torch.tensor(MASKS, dtype=torch.float32)[:, None]
    channels = x.shape[1]
    y = F.conv2d(x, w, groups=channels)
    k = w.shape[-1]
    lines = []
    for c in range(channels):
        for i in range(y.shape[-2]):
            for j in range(y.shape[-1]):
                window = x[0, c, i : i + k, j : j + k].flatten().tolist()
                pairs = list(zip(w[c, 0].flatten().tolist(), window, strict=True))
                value = float(y[0, c, i, j])
                lines.append(f"out{c}[{i}, {j}] = {products_steps(pairs, result=value)}")
    return {
        "channels": channels,
        "grids": side_by_side(("channel 0", CHANNELS[0]), ("channel 1", CHANNELS[1])),
        "masks": side_by_side(("mask 0", MASKS[0]), ("mask 1", MASKS[1])),
        "layer": call("nn.Conv2d", channels, channels, k, groups=channels, bias=False),
        "weight": shape_text(w.shape),
        "standard_weight": shape_text((channels, channels, k, k)),
        "steps": "\n".join(lines),
        "output": side_by_side(("out 0", y[0, 0].tolist()), ("out 1", y[0, 1].tolist())),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.tensor({[[list(map(float, r)) for r in c] for c in CHANNELS]!r})[None]",
                f"w = torch.tensor({[[list(map(float, r)) for r in m] for m in MASKS]!r})[:, None]",
                f"print(F.conv2d(x, w, groups={channels}))",
            ]
        ),
        "result": str(y),
    }


@exercise("error")
def wrong_input(channels: int, input_channels: int, size: int, kernel_size: int) -> Facts:
    """A depthwise layer made for ``channels`` given an input with ``input_channels``."""
    source = call("nn.Conv2d", channels, channels, kernel_size, groups=channels)
    shape = (1, input_channels, size, size)
    kind, message = raised(
        lambda: nn.Conv2d(channels, channels, kernel_size, groups=channels)(torch.zeros(shape))
    )
    return {
        "layer": source,
        "input": shape_text(shape),
        "channels": channels,
        "input_channels": input_channels,
        "weight": shape_text((channels, 1, kernel_size, kernel_size)),
        "error_type": kind,
        "error": message,
        "fix": call(
            "nn.Conv2d", input_channels, input_channels, kernel_size, groups=input_channels
        ),
        "code": "\n".join(
            ["import torch", "from torch import nn", f"{source}(torch.zeros{shape_text(shape)})"]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def budget(in_channels: int, out_channels: int, kernel_size: int, weights: int, size: int) -> Facts:
    """The ``groups`` that gives a layer (no bias) exactly ``weights`` weights:
    ``C_out·(C_in / g)·k² = weights``, so ``g = C_out·C_in·k² / weights``."""
    full = out_channels * in_channels * kernel_size * kernel_size
    if full % weights:
        raise ValueError(f"no groups gives {weights} weights (the standard layer has {full})")
    groups = full // weights
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} does not divide the channels")
    source = call("nn.Conv2d", in_channels, out_channels, kernel_size, groups=groups, bias=False)
    layer = nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups, bias=False)
    return {
        "in_channels": in_channels,
        "out_channels": out_channels,
        "kernel": kernel_size,
        "weights": weights,
        "full": full,
        "groups": groups,
        "groups_steps": (
            f"g = C_out·C_in·k·k / N = {out_channels}·{in_channels}·{kernel_size}·{kernel_size}"
            f" / {weights} = {groups}"
        ),
        "per_group": in_channels // groups,
        "layer": source,
        "weight": shape_text(layer.weight.shape),
        "output": shape_text((1, out_channels, size - kernel_size + 1, size - kernel_size + 1)),
        "explorer": explorer_hash(
            "conv2d",
            (1, in_channels, size, size),
            out_channels=out_channels,
            kernel_size=kernel_size,
            groups=groups,
            bias=False,
        ),
        "code": "\n".join(
            [
                "from torch import nn",
                f"print({source}.weight.numel())",
            ]
        ),
        "result": str(layer.weight.numel()),
    }


def _reads(model: nn.Module, channels: int, output: int) -> list[int]:
    """The input channels output channel ``output`` of ``model`` depends on, by autograd
    with every weight 1 (no two paths cancel)."""
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(1.0)
    x = torch.zeros(1, channels, 1, 1, requires_grad=True)
    model(x)[0, output].sum().backward()
    assert x.grad is not None
    return x.grad[0].flatten().nonzero().flatten().tolist()


@exercise("concept")
def no_crossing(channels: int, groups: int) -> Facts:
    """Two grouped 1×1 layers in a row: output channel 0 still reads only its group's
    inputs; a channel shuffle between them lets every group reach every output."""
    plain = nn.Sequential(
        nn.Conv2d(channels, channels, 1, groups=groups, bias=False),
        nn.Conv2d(channels, channels, 1, groups=groups, bias=False),
    )
    shuffled = nn.Sequential(
        nn.Conv2d(channels, channels, 1, groups=groups, bias=False),
        nn.ChannelShuffle(groups),
        nn.Conv2d(channels, channels, 1, groups=groups, bias=False),
    )
    plain_reads, shuffled_reads = _reads(plain, channels, 0), _reads(shuffled, channels, 0)
    layer = call("nn.Conv2d", channels, channels, 1, groups=groups, bias=False)
    return {
        "channels": channels,
        "groups": groups,
        "per_group": channels // groups,
        "followed": 0,  # the output channel the question follows
        "weight": 1.0,  # nn.init.ones_, as the code says
        "layer": layer,
        "plain_reads": ", ".join(map(str, plain_reads)),
        "shuffled_reads": ", ".join(map(str, shuffled_reads)),
        "shuffle": call("nn.ChannelShuffle", groups),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                "def reads(model):",
                "    for p in model.parameters():",
                "        nn.init.ones_(p)",
                f"    x = torch.zeros(1, {channels}, 1, 1, requires_grad=True)",
                "    model(x)[0, 0].sum().backward()",
                "    return x.grad.flatten().nonzero().flatten().tolist()",
                f"plain = nn.Sequential({layer}, {layer})",
                f"shuffled = nn.Sequential({layer}, {call('nn.ChannelShuffle', groups)}, {layer})",
                "print(reads(plain), reads(shuffled))",
            ]
        ),
        "result": f"{plain_reads} {shuffled_reads}",
    }
