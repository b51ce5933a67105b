"""The numbers each chapter's prose states, computed rather than typed.

Each function returns a flat ``{name: value}`` dict; pages quote a value as
``{{ entry.name }}`` where ``entry`` is the function's registry entry. Functions whose
numbers belong to one figure live next to that figure (``patch_facts``,
``pooling_facts``…); the ones here only need the size arithmetic.
"""

from __future__ import annotations

from convdemo.arithmetic import conv_output_size, effective_kernel_size, same_padding
from convdemo.grids import unread_indices

__all__ = ["padding_facts", "stride_facts"]


def padding_facts(size: int, kernel_size: int) -> dict[str, int]:
    """Sizes for an ``size×size`` input and a ``kernel_size×kernel_size`` mask."""
    before, _ = same_padding(kernel_size)
    even = kernel_size + 1
    wide = kernel_size + 2  # the non-square example: kernel_size × (kernel_size + 2)
    return {
        "size": size,
        "kernel": kernel_size,
        "valid": conv_output_size(size, kernel_size),
        "lost": size - conv_output_size(size, kernel_size),
        "same_padding": before,
        "same": conv_output_size(size, kernel_size, padding=before),
        "even_kernel": even,
        "even_before": same_padding(even)[0],
        "even_after": same_padding(even)[1],
        "wide": wide,
        "wide_padding": same_padding(wide)[0],
        "wide_out": conv_output_size(size, wide, padding=same_padding(wide)[0]),
    }


def stride_facts(size: int, kernel_size: int, stride: int, dilation: int) -> dict[str, int]:
    """Positions with stride 1 and ``stride``, and the dilated span, on ``size`` cells."""
    unread = unread_indices(size, kernel_size, stride)
    example = {"size": 32, "kernel_size": 3, "stride": 2, "padding": 2, "dilation": 2}
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "dense": conv_output_size(size, kernel_size),
        "sparse": conv_output_size(size, kernel_size, stride),
        "unread_count": len(unread),
        "unread_first": unread[0] if unread else -1,
        "dilation": dilation,
        "span": effective_kernel_size(kernel_size, dilation),
        "taps": kernel_size * kernel_size,
        "holes": effective_kernel_size(kernel_size, dilation) ** 2 - kernel_size * kernel_size,
        "dilated_out": conv_output_size(size, kernel_size, dilation=dilation),
        **{f"ex_{name}": value for name, value in example.items()},
        "ex_span": effective_kernel_size(example["kernel_size"], example["dilation"]),
        "ex_out": conv_output_size(**example),
    }
