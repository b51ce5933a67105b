"""Grouped convolution: ``groups=`` splits the channels, and depthwise-separable layers.

With ``groups = g``, ``Conv2d`` splits its ``C_in`` input channels and its ``C_out``
output channels into ``g`` groups, in order. Output channel ``o`` belongs to group
``o // (C_out / g)`` and reads only that group's ``C_in / g`` input channels, so the
weight has shape ``(C_out, C_in / g, k, k)``. Both channel counts must be divisible
by ``g``.

``groups = 1`` is the standard convolution; ``groups = C_in`` is *depthwise* (each input
channel filtered on its own, ``C_out = m · C_in`` with depth multiplier ``m``); a 1×1
standard convolution is *pointwise*. Depthwise then pointwise is a
*depthwise-separable* convolution.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convdemo.arithmetic import conv_multiplications

__all__ = [
    "dense_weight",
    "flops",
    "functional_group_error",
    "group_error",
    "parameter_count",
    "reads",
    "separable",
    "separable_counts",
    "separable_facts",
    "weight_shape",
]


def _check(in_channels: int, out_channels: int, groups: int) -> None:
    """PyTorch's rules for ``groups``, with the values in the message."""
    for name, value in (
        ("in_channels", in_channels),
        ("out_channels", out_channels),
        ("groups", groups),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        if value < 1:
            raise ValueError(f"{name} must be positive, got {value}")
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
        if value % groups:
            raise ValueError(
                f"{name} must be divisible by groups, got {name}={value}, groups={groups}"
            )


# --8<-- [start:shape]
def weight_shape(
    in_channels: int, out_channels: int, kernel_size: int, groups: int = 1
) -> tuple[int, int, int, int]:
    """``Conv2d``'s weight: every output channel has a k×k mask for each input channel
    of its group, ``(C_out, C_in / groups, k, k)``."""
    _check(in_channels, out_channels, groups)
    return out_channels, in_channels // groups, kernel_size, kernel_size


def parameter_count(
    in_channels: int, out_channels: int, kernel_size: int, groups: int = 1, bias: bool = True
) -> int:
    """Weights plus one bias per output channel: ``C_out · (C_in / groups) · k² + C_out``."""
    out, per_group, kh, kw = weight_shape(in_channels, out_channels, kernel_size, groups)
    return out * per_group * kh * kw + (out if bias else 0)


# --8<-- [end:shape]


def reads(conv: nn.Conv2d) -> list[list[int]]:
    """The input channels each output channel of ``conv`` reads, found by PyTorch.

    Each input channel in turn is set to ones (the others zero) and passed through a copy
    of ``conv`` with all-ones weights and no bias: the output channels that light up
    read it.
    """
    size = (conv.kernel_size[0], conv.kernel_size[1])
    probe = nn.Conv2d(
        conv.in_channels, conv.out_channels, size, groups=conv.groups, bias=False
    ).requires_grad_(False)
    probe.weight.fill_(1.0)
    found: list[list[int]] = [[] for _ in range(conv.out_channels)]
    for channel in range(conv.in_channels):
        x = torch.zeros(1, conv.in_channels, *size)
        x[0, channel] = 1.0
        lit = probe(x)[0].flatten(1).abs().sum(1)
        for output in lit.nonzero().flatten().tolist():
            found[output].append(channel)
    return found


def dense_weight(weight: torch.Tensor, groups: int) -> torch.Tensor:
    """The weight of the standard convolution that a grouped one equals.

    ``(C_out, C_in, k, k)``, zero outside the diagonal blocks: output channels of group
    ``g`` keep their masks at the input channels of group ``g``, and have zeros for every
    other input channel.
    """
    out_channels, per_group = weight.shape[:2]
    _check(per_group * groups, out_channels, groups)
    dense = weight.new_zeros(out_channels, per_group * groups, *weight.shape[2:])
    outputs_per_group = out_channels // groups
    for group in range(groups):
        rows = slice(group * outputs_per_group, (group + 1) * outputs_per_group)
        columns = slice(group * per_group, (group + 1) * per_group)
        dense[rows, columns] = weight[rows]
    return dense


# --8<-- [start:separable]
def separable(
    in_channels: int, out_channels: int, kernel_size: int, multiplier: int = 1
) -> nn.Sequential:
    """A depthwise k×k convolution (``groups = in_channels``, ``multiplier`` masks per
    channel), then a pointwise 1×1 convolution that mixes the channels."""
    depthwise = nn.Conv2d(
        in_channels,
        multiplier * in_channels,
        kernel_size,
        padding=kernel_size // 2,
        groups=in_channels,
        bias=False,
    )
    pointwise = nn.Conv2d(multiplier * in_channels, out_channels, 1, bias=False)
    return nn.Sequential(depthwise, pointwise)


# --8<-- [end:separable]


# --8<-- [start:flops]
def flops(module: nn.Module, x: torch.Tensor) -> int:
    """What PyTorch's FLOP counter reports for ``module(x)``: two per multiply-add."""
    with FlopCounterMode(display=False) as counter:
        module(x)
    return int(counter.get_total_flops())


# --8<-- [end:flops]


def separable_counts(
    size: int, in_channels: int, out_channels: int, kernel_size: int
) -> dict[str, int]:
    """Multiplications of a standard k×k layer, of a depthwise one (each output channel
    reads one input channel) and of a pointwise one, for a ``size×size`` output."""
    return {
        "standard": conv_multiplications(size, size, in_channels, out_channels, kernel_size),
        "depthwise": conv_multiplications(size, size, 1, in_channels, kernel_size),
        "pointwise": conv_multiplications(size, size, in_channels, out_channels, 1),
    }


def separable_facts(
    size: int = 56, in_channels: int = 128, out_channels: int = 128, kernel_size: int = 3
) -> dict[str, float]:
    """Multiplications of a standard k×k convolution and of its depthwise-separable
    replacement on ``in_channels`` maps of ``size×size`` (outputs the same size), as
    counted here and as PyTorch's FLOP counter reports them; parameters of both; and the
    ratio, both counted and from ``1/C_out + 1/k²``."""
    k = kernel_size
    counts = separable_counts(size, in_channels, out_channels, kernel_size)
    standard, depthwise, pointwise = counts["standard"], counts["depthwise"], counts["pointwise"]
    # Shapes only: on the meta device the layers run without memory or arithmetic.
    with torch.device("meta"):
        x = torch.empty(1, in_channels, size, size)
        full = nn.Conv2d(in_channels, out_channels, k, padding=k // 2, bias=False)
        split = separable(in_channels, out_channels, k)
    flops_standard, flops_separable = flops(full, x), flops(split, x)
    return {
        "size": size, "in_channels": in_channels, "out_channels": out_channels, "kernel": k,
        "standard": standard, "depthwise": depthwise, "pointwise": pointwise,
        "separable": depthwise + pointwise,
        "ratio": (depthwise + pointwise) / standard,
        "formula": 1 / out_channels + 1 / (k * k),
        "speedup": standard / (depthwise + pointwise),
        "flops_standard": flops_standard, "flops_separable": flops_separable,
        "flops_per_mac": flops_standard / standard,
        "params_standard": sum(p.numel() for p in full.parameters()),
        "params_separable": sum(p.numel() for p in split.parameters()),
    }  # fmt: skip


def group_error(
    in_channels: int, out_channels: int, kernel_size: int = 3, groups: int = 1
) -> dict[str, int | str]:
    """What PyTorch says when it refuses ``nn.Conv2d(in, out, k, groups=groups)``: the
    call, the exception's type and its exact message."""
    call = f"nn.Conv2d({in_channels}, {out_channels}, {kernel_size}, groups={groups})"
    try:
        nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups)
    except (ValueError, RuntimeError) as error:
        return {
            "call": call, "error": type(error).__name__, "message": str(error),
            "in_channels": in_channels, "out_channels": out_channels, "groups": groups,
        }  # fmt: skip
    raise ValueError(f"{call} is accepted by PyTorch: there is no error to quote")


def functional_group_error(
    in_channels: int, weight_in_channels: int, out_channels: int, groups: int
) -> dict[str, int | str]:
    """What ``F.conv2d`` says at run time when the input has ``in_channels`` but the
    weight was made for ``weight_in_channels`` split into ``groups``."""
    x = torch.zeros(1, in_channels, 4, 4)
    weight = torch.zeros(out_channels, weight_in_channels // groups, 3, 3)
    try:
        F.conv2d(x, weight, groups=groups)
    except RuntimeError as error:
        return {"error": type(error).__name__, "message": str(error), "groups": groups}
    raise ValueError("F.conv2d accepted the input: there is no error to quote")
