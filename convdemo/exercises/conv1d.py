"""Exercises of chapter 12, 1-D and causal convolution: a sequence layer's shapes, a causal
layer by hand, a batch of sequences without its channel axis, the padding that makes a
dilated layer causal, and how many dilated layers a reach takes.

The sequence and kernel of the exercise worked by hand, written out::

    SEQUENCE  2 1 3 0 4
    WEIGHTS   1 −1 2
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn

from convdemo.causal import causal_conv1d, causal_stack, reach
from convdemo.exercises.kit import (
    Facts,
    Source,
    call,
    conv_size_steps,
    exercise,
    explorer_hash,
    number,
    products_steps,
    raised,
    shape_text,
    shapes_run,
    stacked,
)

__all__ = [
    "SEQUENCE",
    "WEIGHTS",
    "by_hand",
    "causal_padding",
    "layer_shapes",
    "no_channel",
    "reach_layers",
]

SEQUENCE: tuple[float, ...] = (2, 1, 3, 0, 4)
WEIGHTS: tuple[float, ...] = (1, -1, 2)


def _values(values: Iterable[float]) -> str:
    return ", ".join(number(v) for v in values)


@exercise("shape")
def layer_shapes(
    batch: int,
    in_channels: int,
    length: int,
    out_channels: int,
    kernel_size: int,
    stride: int,
    padding: int,
) -> Facts:
    """``nn.Conv1d`` on a batch of sequences: the output's shape and the weight's."""
    layer = nn.Conv1d(in_channels, out_channels, kernel_size, stride=stride, padding=padding)
    x = torch.zeros(batch, in_channels, length)
    with torch.no_grad():
        out = layer(x)
    source = call(
        "nn.Conv1d", in_channels, out_channels, kernel_size, stride=stride, padding=padding
    )
    return {
        "layer": source,
        "input": shape_text(x.shape),
        "length": length,
        "out_steps": stacked(conv_size_steps(length, kernel_size, stride, padding)),
        "output": shape_text(out.shape),
        "weight": shape_text(layer.weight.shape),
        "explorer": explorer_hash(
            "conv1d",
            x.shape,
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
        ),
        **shapes_run(source, x.shape, out.shape, layer.weight.shape),
    }


@exercise("value")
def by_hand() -> Facts:
    """The causal convolution of ``SEQUENCE`` with ``WEIGHTS``: ``k − 1`` zeros on the
    left, and output ``t`` the kernel's dot product with inputs ``t − k + 1 … t``."""
    x = torch.tensor(SEQUENCE, dtype=torch.float32)[None, None]
    w = torch.tensor(WEIGHTS, dtype=torch.float32)[None, None]
    y = causal_conv1d(x, w)
    k = len(WEIGHTS)
    padded = [0.0] * (k - 1) + [float(v) for v in SEQUENCE]
    lines = []
    for t in range(len(SEQUENCE)):
        pairs = list(zip(WEIGHTS, padded[t : t + k], strict=True))
        lines.append(f"y[{t}] = {products_steps(pairs, result=float(y[0, 0, t]))}")
    return {
        "sequence": _values(SEQUENCE),
        "weights": _values(WEIGHTS),
        "length": len(SEQUENCE),
        "kernel": k,
        "left": k - 1,
        "padded": _values(padded),
        "steps": "\n".join(lines),
        "output": _values(y.flatten().tolist()),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.tensor([[{[float(v) for v in SEQUENCE]!r}]])",
                f"w = torch.tensor([[{[float(v) for v in WEIGHTS]!r}]])",
                f"print(F.conv1d(F.pad(x, ({k - 1}, 0)), w))",
            ]
        ),
        "result": str(F.conv1d(F.pad(x, (k - 1, 0)), w)),
    }


@exercise("error")
def no_channel(batch: int, length: int, out_channels: int, kernel_size: int) -> Facts:
    """A batch of one-channel sequences as ``(N, L)``: PyTorch reads a 2-D input as one
    unbatched sequence of ``N`` channels."""
    source = call("nn.Conv1d", 1, out_channels, kernel_size)
    shape = (batch, length)
    kind, message = raised(lambda: nn.Conv1d(1, out_channels, kernel_size)(torch.zeros(shape)))
    fixed = torch.zeros(shape).unsqueeze(1)
    out = nn.Conv1d(1, out_channels, kernel_size)(fixed)
    return {
        "layer": source,
        "input": shape_text(shape),
        "batch": batch,
        "length": length,
        "read_as": shape_text((1, batch, length)),
        "error_type": kind,
        "error": message,
        "fix": "x.unsqueeze(1)",
        "fixed": shape_text(fixed.shape),
        "fixed_output": shape_text(out.shape),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"x = torch.zeros{shape_text(shape)}",
                f"{source}(x)",
            ]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def causal_padding(length: int, kernel_size: int, dilation: int) -> Facts:
    """The ``F.pad`` amounts that make ``nn.Conv1d(…, kernel_size, dilation=dilation)``
    causal and length-keeping: ``d·(k − 1)`` on the left, none on the right."""
    k, d = kernel_size, dilation
    left = d * (k - 1)
    layer = nn.Sequential(nn.ConstantPad1d((left, 0), 0.0), nn.Conv1d(1, 1, k, dilation=d))
    out = layer(torch.zeros(1, 1, length))
    reads = reach(layer, length, length - 1)
    pad = call("F.pad", Source("x"), (left, 0))
    return {
        "length": length,
        "kernel": k,
        "dilation": d,
        "left": left,
        "left_steps": f"d·(k − 1) = {d}·({k} − 1) = {left}",
        "span_steps": f"d·(k − 1) + 1 = {d}·({k} − 1) + 1 = {left + 1}",
        "pad": pad,
        "layer": call("nn.Conv1d", 1, 1, k, dilation=d),
        "check_steps": conv_size_steps(length + left, k, dilation=d),
        "padded_length": length + left,
        "output": shape_text(out.shape),
        "last": length - 1,
        "reads": ", ".join(str(t) for t in reads),
        "explorer": explorer_hash(
            "conv1d", (1, 1, length), kernel_size=k, dilation=d, pad=(left, 0)
        ),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                "from torch import nn",
                f"x = torch.zeros(1, 1, {length})",
                f"print({call('nn.Conv1d', 1, 1, k, dilation=d)}({pad}).shape)",
            ]
        ),
        "result": str(out.shape),
    }


@exercise("concept")
def reach_layers(kernel_size: int, needed: int) -> Facts:
    """How many causal layers a reach of ``needed`` steps takes: with the dilation doubling
    (``1 + (k − 1)(2^L − 1)``) against without dilation (``1 + (k − 1)·L``)."""
    k = kernel_size
    dilated = math.ceil(math.log2((needed - 1) / (k - 1) + 1))
    plain = math.ceil((needed - 1) / (k - 1))
    dilations = tuple(2**i for i in range(dilated))
    field = 1 + (k - 1) * sum(dilations)
    stack = causal_stack(1, k, dilations)
    measured = len(reach(stack, field + 4, field + 3))
    parameters = sum(p.numel() for p in stack.parameters())
    return {
        "kernel": k,
        "needed": needed,
        "dilated_layers": dilated,
        "plain_layers": plain,
        "first_dilation": dilations[0],
        "doubling": ", ".join(str(d) for d in dilations[:3]) + ", …",
        "formula": f"1 + (k − 1)·({dilations[0]} + … + 2ᴸ⁻¹) = 1 + (k − 1)·(2ᴸ − 1)",
        "last_dilation": dilations[-1],
        "field": field,
        "field_steps": stacked(
            f"1 + (k − 1)·(1 + 2 + … + {dilations[-1]}) = 1 + ({k} − 1)·{sum(dilations)} = {field}"
        ),
        "short_field": 1 + (k - 1) * (sum(dilations) - dilations[-1]),
        "plain_steps": f"⌈(R − 1) / (k − 1)⌉ = ⌈({needed} − 1) / ({k} − 1)⌉ = {plain}",
        "measured": measured,
        "parameters": parameters,
        "code": "\n".join(
            [
                "from convdemo.causal import causal_stack, reach",
                f"stack = causal_stack(1, {k}, {dilations!r})",
                f"print(len(reach(stack, {field + 4}, {field + 3})))",
            ]
        ),
        "result": str(measured),
    }
