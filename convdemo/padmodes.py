"""Padding with something other than zeros, and padding that is not the same on each side.

``Conv2d(padding_mode=…)`` fills the border with zeros (``"zeros"``), the input mirrored
without repeating its edge (``"reflect"``), its edge repeated (``"replicate"``) or the
opposite side wrapped round (``"circular"``); every value is ``F.pad``'s. ``F.pad`` also
pads each side by its own amount, and reads its amounts last axis first:
``(left, right, top, bottom)``. TensorFlow's ``'SAME'`` pads a strided convolution so the
output is ``⌈n / s⌉``, unevenly if need be; PyTorch's ``padding='same'`` refuses a stride.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from convdemo.cells import format_number, number_grid
from convdemo.style import INPUT, PADDING

__all__ = [
    "MODES",
    "asymmetric_facts",
    "asymmetric_figure",
    "padded",
    "padding_in_code",
    "padding_modes_facts",
    "padding_modes_figure",
    "same_facts",
    "tf_same_padding",
]

#: ``padding_mode`` of a convolution, and the ``F.pad`` mode that fills the same values.
MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}


def _input(size: int) -> torch.Tensor:
    return torch.arange(1.0, size * size + 1).view(1, 1, size, size)


def padded(size: int, pad: int, mode: str) -> torch.Tensor:
    """The ``size×size`` input holding 1, 2, … row by row, padded by ``pad`` as a
    ``Conv2d(padding=pad, padding_mode=mode)`` pads it."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {sorted(MODES)}, got {mode!r}")
    return F.pad(_input(size), (pad, pad, pad, pad), mode=MODES[mode])[0, 0]


def padding_modes_figure(size: int = 4, pad: int = 2) -> Figure:
    """The same input padded in each of the four modes, every value written in."""
    total = size + 2 * pad
    figure = Figure(figsize=(0.3 * (2 * total + 3), 0.3 * (2 * total + 5)))
    axes = figure.subplots(2, 2, gridspec_kw={"hspace": 0.35, "wspace": 0.15}).flatten()
    for ax, mode in zip(axes, MODES, strict=True):
        values = padded(size, pad, mode).tolist()

        def fill(r: int, c: int, v: float) -> str:
            inside = pad <= r < pad + size and pad <= c < pad + size
            return INPUT if inside else PADDING

        number_grid(ax, values, fill, f'padding_mode="{mode}"', fontsize=9)
    return figure


def padding_modes_facts(size: int = 4, pad: int = 2) -> dict[str, int | str]:
    """The numbers ``padding_modes_figure`` draws: sizes, and the row above the input's
    first row in each mode (what the top padding holds next to the input)."""
    facts: dict[str, int | str] = {"size": size, "pad": pad, "total": size + 2 * pad}
    for mode in MODES:
        row = padded(size, pad, mode)[pad - 1, pad : pad + size]
        facts[f"{mode}_above"] = ", ".join(format_number(float(v)) for v in row)
    facts["first_row"] = ", ".join(format_number(float(v)) for v in _input(size)[0, 0, 0])
    return facts


def asymmetric_figure(size: int = 4, pad: tuple[int, int, int, int] = (1, 2, 0, 1)) -> Figure:
    """``F.pad(x, pad)``: ``pad`` is (left, right, top, bottom), the last axis first."""
    left, _, top, _ = pad
    values = F.pad(_input(size), pad)[0, 0]
    rows, cols = values.shape
    figure = Figure(figsize=(0.32 * (cols + 2), 0.32 * (rows + 3)))
    ax = figure.subplots()

    def fill(r: int, c: int, v: float) -> str:
        inside = top <= r < top + size and left <= c < left + size
        return INPUT if inside else PADDING

    number_grid(ax, values.tolist(), fill, f"F.pad(x, {pad}): {rows}×{cols}", fontsize=9)
    return figure


def asymmetric_facts(
    size: int = 4, pad: tuple[int, int, int, int] = (1, 2, 0, 1)
) -> dict[str, int]:
    """The numbers ``asymmetric_figure`` draws: each side's zeros and the padded size."""
    left, right, top, bottom = pad
    out = F.pad(_input(size), pad)[0, 0].shape
    return {
        "size": size,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "out_h": out[0],
        "out_w": out[1],
    }


# --8<-- [start:padding-in-code]
def padding_in_code(x: torch.Tensor, out_channels: int = 4) -> dict[str, torch.Tensor]:
    """A batch ``x`` through a 3×3 layer with ``padding=1``, through a 4×4 layer with
    ``padding="same"``, and through the 4×4 layer's weights on ``x`` padded by hand with
    ``F.pad``: ``k − 1`` zeros per axis, ``⌊(k − 1)/2⌋`` before and the rest after."""
    odd = nn.Conv2d(x.shape[1], out_channels, kernel_size=3, padding=1)
    even = nn.Conv2d(x.shape[1], out_channels, kernel_size=4, padding="same")
    before, after = 1, 2  # 4 − 1 = 3 zeros per axis, the extra one after
    padded = F.pad(x, (before, after, before, after))  # left, right, top, bottom
    return {
        "padding=1": odd(x),
        'padding="same"': even(x),
        "F.pad, then padding=0": F.conv2d(padded, even.weight, even.bias),
    }
    # --8<-- [end:padding-in-code]


def tf_same_padding(size: int, kernel_size: int, stride: int) -> tuple[int, int]:
    """TensorFlow's ``'SAME'``: the output is ``⌈n / s⌉``; the zeros it needs, total
    ``max((out − 1)·s + k − n, 0)``, go half before and the rest after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def same_facts(size: int = 8, kernel_size: int = 3, stride: int = 2) -> dict[str, int | str]:
    """TensorFlow's ``'SAME'`` against PyTorch's ``padding='same'`` for a strided layer:
    the padding and output of the first, and PyTorch's own message for the second."""
    before, after = tf_same_padding(size, kernel_size, stride)
    x = torch.zeros(1, 1, size, size)
    out = torch.nn.Conv2d(1, 1, kernel_size, stride)(F.pad(x, (before, after, before, after)))
    try:
        torch.nn.Conv2d(1, 1, kernel_size, stride, padding="same")
        message = ""
    except ValueError as error:
        message = str(error)
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "before": before,
        "after": after,
        "out": out.shape[-1],
        "error": message,
    }
