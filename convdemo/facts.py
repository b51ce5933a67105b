"""The numbers each chapter's prose states, computed rather than typed.

Each function returns a flat ``{name: value}`` dict; pages quote a value as
``{{ entry.name }}`` where ``entry`` is the function's registry entry.
"""

from __future__ import annotations

from convdemo.arithmetic import conv_output_size, same_padding

__all__ = ["padding_facts"]


def padding_facts(size: int, kernel_size: int) -> dict[str, int]:
    """Sizes for an ``size×size`` input and a ``kernel_size×kernel_size`` mask."""
    before, _ = same_padding(kernel_size)
    return {
        "size": size,
        "kernel": kernel_size,
        "valid": conv_output_size(size, kernel_size),
        "lost": size - conv_output_size(size, kernel_size),
        "same_padding": before,
        "same": conv_output_size(size, kernel_size, padding=before),
        "even_kernel": kernel_size + 1,
        "even_before": same_padding(kernel_size + 1)[0],
        "even_after": same_padding(kernel_size + 1)[1],
    }
