"""Numbers the prose states that belong to no one figure, computed rather than typed.

A figure's own numbers come from its facts function, next to its drawing (for example
``convdemo.grids.padding_facts``), called with the figure's parameters. What is here
serves sentences that illustrate a formula without a picture.
"""

from __future__ import annotations

from convdemo.arithmetic import conv_output_size, effective_kernel_size

__all__ = ["conv_size_facts"]


def conv_size_facts(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> dict[str, int]:
    """One worked example of ``Conv2d``'s size formula along one axis: the parameters, the
    dilated span and the output size."""
    return {
        "size": size,
        "kernel": kernel_size,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "span": effective_kernel_size(kernel_size, dilation),
        "out": conv_output_size(size, kernel_size, stride, padding, dilation),
    }
