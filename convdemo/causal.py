"""Convolution along a sequence, and causal convolution: each output sees only the past.

A 1-D convolution slides its kernel along one axis: ``nn.Conv1d`` takes ``(N, C, L)``.
Symmetric padding centres the window on each output, so output ``t`` reads inputs after
``t``. A *causal* convolution pads on the left only, by ``d·(k − 1)``, so output ``t``
reads inputs ``t − d·(k − 1) … t`` and nothing later. Stacking causal layers with
dilations 1, 2, 4, … (WaveNet) doubles the reach with each layer. What reaches what is
measured here by autograd, not worked out by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from convdemo.style import INK, INPUT, KERNEL, OUTPUT, PADDING

__all__ = [
    "causal_conv1d",
    "causal_facts",
    "causal_stack",
    "reach",
    "stack_facts",
    "stack_figure",
]


def _check(kernel_size: int, dilations: Sequence[int]) -> None:
    if kernel_size < 1:
        raise ValueError(f"kernel_size must be at least 1, got {kernel_size}")
    if not dilations or any(d < 1 for d in dilations):
        raise ValueError(f"dilations must be positive, got {tuple(dilations)}")


# --8<-- [start:causal]
def causal_conv1d(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, dilation: int = 1
) -> torch.Tensor:
    """``F.conv1d`` with zeros on the left only: output ``t`` depends on inputs ``≤ t``,
    and the output is as long as the input."""
    left = dilation * (weight.shape[-1] - 1)
    return F.conv1d(F.pad(x, (left, 0)), weight, bias, dilation=dilation)


def causal_stack(channels: int, kernel_size: int, dilations: Sequence[int]) -> torch.nn.Sequential:
    """WaveNet's stack: one causal convolution per dilation, each padded on the left."""
    layers: list[torch.nn.Module] = []
    for d in dilations:
        layers.append(torch.nn.ConstantPad1d((d * (kernel_size - 1), 0), 0.0))
        layers.append(torch.nn.Conv1d(channels, channels, kernel_size, dilation=d))
    return torch.nn.Sequential(*layers)
    # --8<-- [end:causal]


def reach(layer: torch.nn.Module, length: int, position: int) -> list[int]:
    """The input positions output ``position`` depends on, found by autograd: with every
    weight positive, no two paths cancel, so a non-zero gradient means a dependence."""
    with torch.no_grad():
        saved = [p.detach().clone() for p in layer.parameters()]
        for p in layer.parameters():
            p.fill_(1.0)
    x = torch.zeros(1, 1, length, requires_grad=True)
    try:
        layer(x)[0, 0, position].backward()
    finally:
        with torch.no_grad():
            for p, value in zip(layer.parameters(), saved, strict=True):
                p.copy_(value)
    assert x.grad is not None
    return torch.nonzero(x.grad[0, 0]).flatten().tolist()


def causal_facts(length: int = 8, kernel_size: int = 3, dilation: int = 2) -> dict[str, int]:
    """One layer three ways: ``padding='same'``, causal by left padding, and causal by
    padding both sides then cutting the last ``d·(k − 1)`` outputs (the same numbers)."""
    _check(kernel_size, (dilation,))
    left = dilation * (kernel_size - 1)
    same = torch.nn.Conv1d(1, 1, kernel_size, padding="same", dilation=dilation, bias=False)
    causal = torch.nn.Sequential(
        torch.nn.ConstantPad1d((left, 0), 0.0),
        torch.nn.Conv1d(1, 1, kernel_size, dilation=dilation, bias=False),
    )
    future_same = max(max(reach(same, length, t)) - t for t in range(length))
    future_causal = max(max(reach(causal, length, t)) - t for t in range(length))
    x = torch.randn(1, 1, length, generator=torch.Generator().manual_seed(0))
    w = torch.randn(1, 1, kernel_size, generator=torch.Generator().manual_seed(1))
    trimmed = F.conv1d(x, w, padding=left, dilation=dilation)[..., :length]
    return {
        "length": length,
        "kernel": kernel_size,
        "dilation": dilation,
        "left": left,
        "future_same": future_same,
        "future_causal": future_causal,
        "first_reads": len(reach(causal, length, 0)),
        "last_reads": len(reach(causal, length, length - 1)),
        "trim_matches": int(torch.allclose(trimmed, causal_conv1d(x, w, dilation=dilation))),
    }


def _used(kernel_size: int, dilations: Sequence[int], length: int) -> list[set[int]]:
    """For the input and each layer's output, the positions the last output depends on
    (autograd through the stack, weights all one)."""
    stack = causal_stack(1, kernel_size, dilations)
    with torch.no_grad():
        for p in stack.parameters():
            p.fill_(1.0)
    activations = [torch.zeros(1, 1, length, requires_grad=True)]
    for i in range(len(dilations)):
        activations.append(stack[2 * i + 1](stack[2 * i](activations[-1])))
    grads = torch.autograd.grad(activations[-1][0, 0, -1], activations[:-1])
    used = [set(torch.nonzero(g[0, 0]).flatten().tolist()) for g in grads]
    used.append({length - 1})
    return used


def stack_facts(
    kernel_size: int = 2, dilations: Sequence[int] = (1, 2, 4, 8), length: int = 16
) -> dict[str, int | str]:
    """The stack ``stack_figure`` draws: its receptive field, measured and by formula, the
    plain layers that would be needed for the same field, and its weights."""
    _check(kernel_size, dilations)
    field = len(_used(kernel_size, dilations, length)[0])
    formula = 1 + (kernel_size - 1) * sum(dilations)
    stack = causal_stack(1, kernel_size, dilations)
    return {
        "kernel": kernel_size,
        "layers": len(dilations),
        "dilations": ", ".join(str(d) for d in dilations),
        "length": length,
        "field": field,
        "formula": formula,
        "plain_layers": -(-(field - 1) // (kernel_size - 1)),
        "weights": sum(p.numel() for p in stack.parameters()),
    }


def stack_figure(
    kernel_size: int = 2, dilations: Sequence[int] = (1, 2, 4, 8), length: int = 16
) -> Figure:
    """Rows of positions, the input at the bottom and each causal layer above it; the
    positions the last output depends on filled, with the connections that carry it."""
    _check(kernel_size, dilations)
    used = _used(kernel_size, dilations, length)
    rows = len(dilations) + 1
    figure = Figure(figsize=(0.4 * (length + 3.6), 0.62 * rows + 0.5))
    ax = figure.subplots()
    for row in range(1, rows):
        d = dilations[row - 1]
        for t in sorted(used[row]):
            for j in range(kernel_size):
                source = t - j * d
                if source >= 0:
                    ax.plot([source, t], [row - 1, row], color=KERNEL, linewidth=1.4, zorder=1)
    for row in range(rows):
        fill = INPUT if row == 0 else OUTPUT
        for t in range(length):
            active = t in used[row]
            ax.scatter([t], [row], s=90, zorder=2, linewidths=0.8, edgecolors=INK,
                       color=fill if active else PADDING)  # fmt: skip
        label = "input" if row == 0 else f"dilation {dilations[row - 1]}"
        ax.text(-0.9, row, label, ha="right", va="center", fontsize=9)
    ax.text(length - 1, rows - 0.55, "output", ha="center", va="bottom", fontsize=9)
    ax.text(length / 2 - 0.5, -0.75, "time →", ha="center", va="center", fontsize=9)
    ax.set_xlim(-3.6, length - 0.4)
    ax.set_ylim(-1.0, rows - 0.3)
    ax.set_axis_off()
    return figure
