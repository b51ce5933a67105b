"""Exercises of chapter 9, receptive field: a network's first layers, their shapes and
fields; an output of a small stack worked by hand; measuring a field with autograd on an
input that does not ask for gradients; the dilation that completes a field; and two small
kernels against one large.

The sequence of the exercise worked by hand, written out::

    SEQUENCE  3 1 4 1 5 9
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
    number,
    raised,
    shape_text,
    stacked,
    sum_steps,
)
from convdemo.receptive import Field, Layer, reached_offsets, receptive_fields

__all__ = ["SEQUENCE", "by_hand", "complete", "no_grad", "stem", "two_small"]

SEQUENCE: tuple[float, ...] = (3, 1, 4, 1, 5, 9)


def _field_steps(layers: tuple[Layer, ...]) -> str:
    """The recurrence worked for each layer, starting from ``r = 1, j = 1``: a line for
    ``r = r_in + (k_eff − 1)·j_in``, and one for ``j = j_in·s`` unless the jump stays 1."""
    lines, size, jump = [], 1, 1
    for layer in layers:
        span = layer.dilation * (layer.kernel_size - 1) + 1
        new_size, new_jump = size + (span - 1) * jump, jump * layer.stride
        lines.append(f"{layer.name}  r = {size} + ({span} − 1)·{jump} = {new_size}")
        if layer.stride != 1 or jump != 1:
            lines.append(f"{layer.name}  j = {jump}·{layer.stride} = {new_jump}")
        size, jump = new_size, new_jump
    return "\n".join(lines)


@exercise("shape")
def stem(size: int, out_channels: int) -> Facts:
    """A classifier's stem (``7×7`` convolution, stride 2, padding 3, then ``3×3`` max
    pooling, stride 2, padding 1): the shapes, and the field and jump of its outputs."""
    conv = nn.Conv2d(3, out_channels, 7, stride=2, padding=3)
    pool = nn.MaxPool2d(3, stride=2, padding=1)
    x = torch.zeros(1, 3, size, size)
    with torch.no_grad():
        middle = conv(x)
        out = pool(middle)
    layers = (Layer("conv", 7, 2, 3), Layer("pool", 3, 2, 1))
    fields = receptive_fields(layers)
    conv_source = call("nn.Conv2d", 3, out_channels, 7, stride=2, padding=3)
    pool_source = call("nn.MaxPool2d", 3, stride=2, padding=1)
    return {
        "input": shape_text(x.shape),
        "conv": conv_source,
        "pool": pool_source,
        "conv_steps": stacked(conv_size_steps(size, 7, 2, 3)),
        "pool_steps": stacked(conv_size_steps(middle.shape[-1], 3, 2, 1)),
        "middle": shape_text(middle.shape),
        "output": shape_text(out.shape),
        "field_steps": _field_steps(layers),
        "start": Field().size,
        "field": fields[-1].size,
        "jump": fields[-1].jump,
        "explorer": explorer_hash("max_pool2d", middle.shape, kernel_size=3, stride=2, padding=1),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"stem = nn.Sequential({conv_source}, {pool_source})",
                f"print(stem(torch.zeros{shape_text(x.shape)}).shape)",
            ]
        ),
        "result": str(out.shape),
    }


@exercise("value")
def by_hand(first_kernel: int, second_kernel: int, second_dilation: int) -> Facts:
    """Output 0 of two stacked 1-D layers with every weight 1 (no bias) on ``SEQUENCE``:
    the inputs it reads, how often each, and the field the recurrence gives."""
    x = torch.tensor(SEQUENCE, dtype=torch.float32)[None, None]
    k1, k2, d2 = first_kernel, second_kernel, second_dilation
    middle = F.conv1d(x, torch.ones(1, 1, k1))
    out = F.conv1d(middle, torch.ones(1, 1, k2), dilation=d2)
    taps = [tap * d2 for tap in range(k2)]  # the middle values output 0 reads
    lines = [f"m[{t}] = {sum_steps([float(v) for v in SEQUENCE[t : t + k1]])}" for t in taps]
    read_by = [float(middle[0, 0, t]) for t in taps]
    lines.append(f"y[0] = {sum_steps(read_by)}")
    counts = [sum(1 for t in taps if t <= i < t + k1) for i in range(len(SEQUENCE))]
    layers = (Layer("first", k1), Layer("second", k2, dilation=d2))
    field = receptive_fields(layers)[-1].size
    weights_steps = (
        " + ".join(f"{c}·{number(v)}" for c, v in zip(counts, SEQUENCE, strict=True) if c)
        + f" = {number(float(out[0, 0, 0]))}"
    )
    return {
        "sequence": ", ".join(number(v) for v in SEQUENCE),
        "weight": 1.0,  # torch.ones, as the code says
        "first": call("nn.Conv1d", 1, 1, k1, bias=False),
        "second": call("nn.Conv1d", 1, 1, k2, dilation=d2, bias=False),
        "steps": "\n".join(lines),
        "value": float(out[0, 0, 0]),
        "counts_steps": weights_steps,
        "reads": sum(1 for c in counts if c),
        "twice": ", ".join(str(i) for i, c in enumerate(counts) if c > 1),
        "field": field,
        "field_steps": _field_steps(layers),
        "code": "\n".join(
            [
                "import torch",
                "import torch.nn.functional as F",
                f"x = torch.tensor([[{[float(v) for v in SEQUENCE]!r}]])",
                f"m = F.conv1d(x, torch.ones(1, 1, {k1}))",
                f"y = F.conv1d(m, torch.ones(1, 1, {k2}), dilation={d2})",
                "print(y[0, 0, 0].item())",
            ]
        ),
        "result": str(float(out[0, 0, 0])),
    }


@exercise("error")
def no_grad(size: int, kernel_size: int) -> Facts:
    """Measuring a field with ``torch.autograd.grad`` on an input that was never marked
    ``requires_grad``."""
    centre = (size - kernel_size + 1) // 2

    def measure() -> None:
        x = torch.rand(1, 1, size, size)
        y = nn.Conv2d(1, 1, kernel_size)(x)
        torch.autograd.grad(y[0, 0, centre, centre], x)

    kind, message = raised(measure)
    x = torch.rand(1, 1, size, size, requires_grad=True)
    layer = nn.Conv2d(1, 1, kernel_size)
    with torch.no_grad():
        layer.weight.fill_(1.0)
    (grad,) = torch.autograd.grad(layer(x)[0, 0, centre, centre], x)
    rows = int(grad[0, 0].abs().sum(1).gt(0).sum())
    return {
        "input": shape_text(x.shape),
        "layer": call("nn.Conv2d", 1, 1, kernel_size),
        "centre": centre,
        "error_type": kind,
        "error": message,
        "fix": f"x = torch.rand(1, 1, {size}, {size}, requires_grad=True)",
        "side": rows,
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                f"x = torch.rand(1, 1, {size}, {size})",
                f"y = {call('nn.Conv2d', 1, 1, kernel_size)}(x)",
                f"torch.autograd.grad(y[0, 0, {centre}, {centre}], x)",
            ]
        ),
        "result": f"{kind}: {message}",
    }


@exercise("design")
def complete(kernel_size: int, dilations: tuple[int, ...], field: int) -> Facts:
    """The dilation of one more ``kernel_size`` layer, stride 1, that brings a stack with
    ``dilations`` to exactly ``field``: ``d = (field − r_in) / (k − 1)``."""
    k = kernel_size
    before = receptive_fields(
        [Layer(f"conv{i + 1}", k, dilation=d) for i, d in enumerate(dilations)]
    )
    r_in = before[-1].size
    if (field - r_in) % (k - 1) or field <= r_in:
        raise ValueError(f"no dilation brings the field from {r_in} to {field}")
    d = (field - r_in) // (k - 1)
    layers = tuple(
        Layer(f"conv{i + 1}", k, dilation=dilation) for i, dilation in enumerate((*dilations, d))
    )
    offsets = reached_offsets(layers)
    return {
        "kernel": k,
        "dilations": ", ".join(str(v) for v in dilations),
        "all_dilations": ", ".join(str(v) for v in (*dilations, d)),
        "field": field,
        "r_in": r_in,
        "jump": before[-1].jump,
        "before_steps": _field_steps(layers[:-1]),
        "dilation": d,
        "dilation_steps": f"d = (r − r_in) / (k − 1) = ({field} − {r_in}) / ({k} − 1) = {d}",
        "check_steps": _field_steps(layers),
        "reached": len(offsets),
        "holes": field - len(offsets),
        "layers": ", ".join(call("nn.Conv2d", 1, 1, k, dilation=v) for v in (*dilations, d)),
        "code": "\n".join(
            [
                "import torch",
                "from torch import nn",
                "stack = nn.Sequential("
                + ", ".join(
                    call("nn.Conv2d", 1, 1, k, dilation=v, bias=False) for v in (*dilations, d)
                )
                + ")",
                "for layer in stack:",
                "    nn.init.ones_(layer.weight)",
                f"x = torch.zeros(1, 1, {field}, {field}, requires_grad=True)",
                "stack(x)[0, 0, 0, 0].backward()",
                "print(int((x.grad != 0).sum()))",
            ]
        ),
        "result": str(len(offsets) ** 2),
    }


@exercise("concept")
def two_small(channels: int, small: int, large: int) -> Facts:
    """Stacked ``small×small`` layers against one ``large×large`` with the same field:
    fewer weights, and a ReLU between the layers."""
    if (large - 1) % (small - 1):
        raise ValueError(f"no stack of {small}×{small} layers has the field of {large}×{large}")
    count = (large - 1) // (small - 1)
    stacked_layers: list[nn.Module] = []
    for index in range(count):
        stacked_layers += [nn.ReLU()] if index else []
        stacked_layers.append(nn.Conv2d(channels, channels, small, bias=False))
    stack = nn.Sequential(*stacked_layers)
    single = nn.Conv2d(channels, channels, large, bias=False)
    layers = tuple(Layer(f"conv{index + 1}", small) for index in range(count))
    fields = receptive_fields(layers)
    small_weights = sum(p.numel() for p in stack.parameters())
    large_weights = single.weight.numel()
    c = channels
    return {
        "channels": c,
        "small": small,
        "large": large,
        "count": count,
        "field": fields[-1].size,
        "field_steps": _field_steps(layers),
        "small_weights": small_weights,
        "large_weights": large_weights,
        "small_steps": f"L·C·C·k·k = {count}·{c}·{c}·{small}·{small} = {small_weights}",
        "large_steps": f"C·C·K·K = {c}·{c}·{large}·{large} = {large_weights}",
        "share": small_weights / large_weights,
        "code": "\n".join(
            [
                "from torch import nn",
                f"small = [nn.Conv2d({c}, {c}, {small}, bias=False) for _ in range({count})]",
                f"large = nn.Conv2d({c}, {c}, {large}, bias=False)",
                "print(sum(layer.weight.numel() for layer in small), large.weight.numel())",
            ]
        ),
        "result": f"{small_weights} {large_weights}",
    }
