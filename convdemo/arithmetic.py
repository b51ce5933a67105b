"""The arithmetic of sizes and windows, along one spatial dimension.

Every function here works on one axis; a 2-D layer applies it to height and width
separately. The rules are PyTorch's, including the inputs it rejects: each function raises
``ValueError`` naming the parameter wherever ``Conv2d``, ``MaxPool2d`` or
``ConvTranspose2d`` would raise, and ``TypeError`` for a value that is not an integer.

Symbols used throughout: ``n`` input size, ``k`` kernel size, ``s`` stride, ``p`` padding
on each side, ``d`` dilation, ``a`` output padding. The *effective* kernel size of a dilated
kernel is ``d(k - 1) + 1``: the span from its first tap to its last.

The module itself needs nothing beyond the standard library. (Importing it through the
``convdemo`` package still loads the package's other modules, PyTorch included.)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Window",
    "conv_multiplications",
    "conv_output_size",
    "conv_windows",
    "effective_kernel_size",
    "pool_output_size",
    "same_padding",
    "transposed_output_size",
]


def _integer(name: str, value: object, minimum: int) -> int:
    # bool is an int subclass, but `stride=True` is always a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        bound = "positive" if minimum == 1 else f"at least {minimum}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``d(k - 1) + 1``.

    A 3-tap kernel with dilation 2 reads every other cell and spans 5 cells.
    """
    k = _integer("kernel_size", kernel_size, 1)
    d = _integer("dilation", dilation, 1)
    return d * (k - 1) + 1


# --8<-- [start:conv-output-size]
def conv_output_size(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Output size of ``torch.nn.Conv2d`` along one dimension.

        output = ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1

    Raises ``ValueError`` where PyTorch does: a non-positive size, kernel size, stride or
    dilation, a negative padding, or an effective kernel larger than the padded input.
    """
    n = _integer("size", size, 1)
    s = _integer("stride", stride, 1)
    p = _integer("padding", padding, 0)
    span = effective_kernel_size(kernel_size, dilation)
    if span > n + 2 * p:
        raise ValueError(
            f"kernel_size {kernel_size} with dilation {dilation} spans {span} cells, "
            f"more than the padded input ({n} + 2×{p} = {n + 2 * p})"
        )
    return (n + 2 * p - span) // s + 1


# --8<-- [end:conv-output-size]


def pool_output_size(
    size: int,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Output size of ``torch.nn.MaxPool2d`` along one dimension.

    ``stride`` defaults to ``kernel_size``, as in PyTorch. With ``ceil_mode=False``::

        floor((n + 2p - d(k - 1) - 1) / s) + 1

    With ``ceil_mode=True`` the division rounds up, except that the last window must start
    inside the input or its left padding: if ``(out - 1)·s >= n + p`` one window is dropped.
    Padding may be at most ``k // 2`` (half the kernel, rounded down). The same formula
    gives ``AvgPool2d``, which has no dilation.
    """
    n = _integer("size", size, 1)
    k = _integer("kernel_size", kernel_size, 1)
    s = k if stride is None else _integer("stride", stride, 1)
    p = _integer("padding", padding, 0)
    span = effective_kernel_size(k, dilation)
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode must be a bool, got {ceil_mode!r}")
    if p > k // 2:
        raise ValueError(
            f"padding must be at most half of kernel_size ({k} // 2 = {k // 2}), got {p}"
        )
    numerator = n + 2 * p - span + (s - 1 if ceil_mode else 0)
    # Python's // floors like PyTorch's div_rtn, also for negative numerators.
    out = numerator // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    if out < 1:
        raise ValueError(
            f"kernel_size {k} with dilation {dilation} and padding {p} leaves no output "
            f"for an input of size {n}"
        )
    return out


def transposed_output_size(
    size: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    """Output size of ``torch.nn.ConvTranspose2d`` along one dimension.

        output = (n − 1)·s − 2p + d(k − 1) + a + 1

    ``output_padding`` (``a``) adds cells on one side only. It resolves the ambiguity of a
    strided convolution, which maps several input sizes to the same output size, so it
    must be smaller than the stride or the dilation.
    """
    n = _integer("size", size, 1)
    s = _integer("stride", stride, 1)
    p = _integer("padding", padding, 0)
    a = _integer("output_padding", output_padding, 0)
    d = _integer("dilation", dilation, 1)
    span = effective_kernel_size(kernel_size, d)
    if a >= s and a >= d:
        raise ValueError(
            f"output_padding must be smaller than stride ({s}) or dilation ({d}), got {a}"
        )
    out = (n - 1) * s - 2 * p + span + a
    if out < 1:
        raise ValueError(
            f"padding {p} removes the whole output (size {out}) for an input of size {n}"
        )
    return out


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` that keeps a stride-1 output the size of its input.

    The total is ``d(k - 1)``. PyTorch's ``padding="same"`` puts ``total // 2`` before and
    the rest after, so an even kernel gets its extra zero after (bottom or right).
    For an odd kernel both sides get ``(k - 1) / 2``.
    """
    total = effective_kernel_size(kernel_size, dilation) - 1
    return total // 2, total - total // 2


@dataclass(frozen=True)
class Window:
    """The input cells one output cell reads.

    ``taps`` are input indices, one per kernel element, in kernel order. An index below
    zero or at least the input size lands in the padding.
    """

    output_index: int
    taps: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.taps[0]

    @property
    def stop(self) -> int:
        """One past the last tap, like a slice end."""
        return self.taps[-1] + 1


def conv_windows(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> tuple[Window, ...]:
    """The window of every output cell of a convolution along one dimension.

    Output ``o`` reads input ``o·s - p + j·d`` for ``j = 0 … k - 1``. A 2-D window is the
    product of a row window and a column window. Pooling windows follow the same rule.
    """
    out = conv_output_size(size, kernel_size, stride, padding, dilation)
    return tuple(
        Window(o, tuple(o * stride - padding + j * dilation for j in range(kernel_size)))
        for o in range(out)
    )


def conv_multiplications(
    height: int, width: int, in_channels: int, out_channels: int, kernel_size: int
) -> int:
    """Multiplications of a convolution producing ``out_channels`` maps of ``height×width``.

    Every output value is a sum over ``in_channels × k × k`` products, so the count is
    ``height · width · out_channels · k · k · in_channels`` (PyTorch's FLOP counter
    reports twice this: one multiplication and one addition each).
    """
    for name, value in (
        ("height", height),
        ("width", width),
        ("in_channels", in_channels),
        ("out_channels", out_channels),
        ("kernel_size", kernel_size),
    ):
        _integer(name, value, 1)
    return height * width * out_channels * kernel_size * kernel_size * in_channels
