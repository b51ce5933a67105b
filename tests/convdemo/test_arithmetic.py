"""The size and window arithmetic agrees with PyTorch's own layers, including what they reject.

Each sweep runs a real layer on a tiny input for every parameter combination, invalid
ones included (zero stride or dilation, negative padding, kernels larger than the input,
too much output padding). Where PyTorch raises, our function must raise ValueError;
where it returns, the sizes must be equal.
"""

from __future__ import annotations

import itertools
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convdemo import (
    conv_output_size,
    conv_windows,
    effective_kernel_size,
    pool_output_size,
    same_padding,
    transposed_output_size,
)

# PyTorch's error message → the parameter it blames, first match wins.
TORCH_BLAMES = (
    ("output padding must be smaller", "output_padding"),
    ("negative output_padding", "output_padding"),
    ("negative padding", "padding"),
    ("pad should be", "padding"),
    ("pad must be non-negative", "padding"),
    ("non-positive stride", "stride"),
    ("stride should not be zero", "stride"),
    ("dilation should be greater than zero", "dilation"),
    ("Kernel size can't be greater", "kernel_size"),
    ("kernel size should be greater", "kernel_size"),
    ("Only zero batch or zero channel", "size"),
)
# Output too small: a pooling kernel that does not fit, or a transposed padding too large.
TOO_SMALL = {"pool": "kernel_size", "transposed": "padding"}
MINIMUM = {
    "size": 1,
    "kernel_size": 1,
    "stride": 1,
    "dilation": 1,
    "padding": 0,
    "output_padding": 0,
}


def torch_result(make_layer, size: int) -> int | str:
    """Output width of the layer on a 1×1×1×size input, or PyTorch's error message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer = make_layer()
            return int(layer(torch.zeros(1, 1, 1, size)).shape[-1])
        except (RuntimeError, ValueError) as error:
            return str(error)


def blamed(message: str, family: str) -> str:
    for fragment, parameter in TORCH_BLAMES:
        if fragment in message:
            return parameter
    assert "Output size is too small" in message, message
    return TOO_SMALL[family]


def check_agrees(ours, expected: int | str, family: str, **case: int | None) -> None:
    """Same size as PyTorch, or a ValueError whose first word names the parameter PyTorch
    blames (or, where several are wrong at once, another one out of its range)."""
    if isinstance(expected, int):
        assert ours() == expected
        return
    with pytest.raises(ValueError) as raised:
        ours()
    named = str(raised.value).split()[0]
    also_wrong = {p for p, v in case.items() if v is not None and v < MINIMUM[p]}
    assert named == blamed(expected, family) or named in also_wrong, (raised.value, expected)


CONV_SWEEP = list(
    itertools.product(range(0, 9), range(0, 5), range(0, 4), range(-1, 4), range(0, 4))
)


@pytest.mark.parametrize("size, kernel, stride, padding, dilation", CONV_SWEEP)
def test_conv_output_size_matches_conv2d(size, kernel, stride, padding, dilation):
    expected = torch_result(
        lambda: nn.Conv2d(1, 1, (1, kernel), (1, stride), (0, padding), (1, dilation)), size
    )
    check_agrees(
        lambda: conv_output_size(size, kernel, stride, padding, dilation),
        expected,
        "conv",
        size=size,
        kernel_size=kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
    )


POOL_SWEEP = list(
    itertools.product(
        range(1, 9), range(0, 5), [None, 0, 1, 2, 3], range(-1, 3), range(0, 4), [False, True]
    )
)


@pytest.mark.parametrize("size, kernel, stride, padding, dilation, ceil_mode", POOL_SWEEP)
def test_pool_output_size_matches_maxpool2d(size, kernel, stride, padding, dilation, ceil_mode):
    # MaxPool2d's default stride is the kernel size; pass a pair only when one is given.
    stride_arg = None if stride is None else (1, stride)
    expected = torch_result(
        lambda: nn.MaxPool2d(
            (1, kernel), stride_arg, (0, padding), (1, dilation), ceil_mode=ceil_mode
        ),
        size,
    )
    check_agrees(
        lambda: pool_output_size(size, kernel, stride, padding, dilation, ceil_mode),
        expected,
        "pool",
        size=size,
        kernel_size=kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
    )


TRANSPOSED_SWEEP = list(
    itertools.product(
        range(1, 7), range(1, 5), range(0, 4), range(-1, 4), range(-1, 3), range(1, 4)
    )
)


@pytest.mark.parametrize(
    "size, kernel, stride, padding, output_padding, dilation", TRANSPOSED_SWEEP
)
def test_transposed_output_size_matches_convtranspose2d(
    size, kernel, stride, padding, output_padding, dilation
):
    expected = torch_result(
        lambda: nn.ConvTranspose2d(
            1,
            1,
            (1, kernel),
            (1, stride),
            (0, padding),
            (0, output_padding),
            dilation=(1, dilation),
        ),
        size,
    )
    check_agrees(
        lambda: transposed_output_size(size, kernel, stride, padding, output_padding, dilation),
        expected,
        "transposed",
        size=size,
        kernel_size=kernel,
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        dilation=dilation,
    )


def test_ceil_mode_drops_a_window_that_would_start_in_the_right_padding():
    # 5 cells, kernel 2, stride 2, padding 1: rounding up gives 4 windows, but the 4th
    # would start at padded index 6, past the input and its left padding, so PyTorch keeps 3.
    assert pool_output_size(5, 2, 2, padding=1, ceil_mode=True) == 3
    assert F.max_pool2d(torch.zeros(1, 1, 5, 5), 2, 2, 1, ceil_mode=True).shape[-1] == 3


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: conv_output_size(8, 3, stride=0), "stride"),
        (lambda: conv_output_size(8, 3, dilation=0), "dilation"),
        (lambda: conv_output_size(8, 3, padding=-1), "padding"),
        (lambda: conv_output_size(2, 3), "kernel_size"),
        (lambda: conv_output_size(8, 0), "kernel_size"),
        (lambda: conv_output_size(0, 3), "size"),
        (lambda: pool_output_size(8, 2, padding=2), "padding"),
        (lambda: pool_output_size(8, 2, stride=0), "stride"),
        (lambda: transposed_output_size(4, 3, stride=2, output_padding=2), "output_padding"),
        (lambda: transposed_output_size(1, 1, padding=1), "padding"),
    ],
)
def test_errors_name_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


@pytest.mark.parametrize("bad", [2.0, "3", True, None])
def test_non_integers_are_a_type_error(bad):
    with pytest.raises(TypeError, match="stride must be an integer"):
        conv_output_size(8, 3, stride=bad)


def test_effective_kernel_size():
    assert [effective_kernel_size(3, d) for d in (1, 2, 3)] == [3, 5, 7]


@pytest.mark.parametrize("kernel, dilation", list(itertools.product(range(1, 7), range(1, 4))))
def test_same_padding_matches_pytorch_same(kernel, dilation):
    image = torch.randn(1, 1, 9, 11)
    weight = torch.randn(1, 1, kernel, kernel)
    before, after = same_padding(kernel, dilation)
    padded = F.pad(image, (before, after, before, after))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns that even kernels need a padded copy
        expected = F.conv2d(image, weight, padding="same", dilation=dilation)
    torch.testing.assert_close(F.conv2d(padded, weight, dilation=dilation), expected)


WINDOW_SWEEP = list(
    itertools.product(range(1, 8), range(1, 4), range(1, 4), range(0, 3), range(1, 3))
)


@pytest.mark.parametrize("size, kernel, stride, padding, dilation", WINDOW_SWEEP)
def test_windows_are_the_cells_pytorch_reads(size, kernel, stride, padding, dilation):
    """A one-hot kernel at tap j copies input[tap j] (or a padding zero) to each output."""
    try:
        windows = conv_windows(size, kernel, stride, padding, dilation)
    except ValueError:
        return  # rejected, like PyTorch (the size sweep checks which)
    signal = torch.arange(1.0, size + 1).view(1, 1, size)
    for tap in range(kernel):
        one_hot = torch.zeros(1, 1, kernel)
        one_hot[0, 0, tap] = 1.0
        output = F.conv1d(signal, one_hot, stride=stride, padding=padding, dilation=dilation)[0, 0]
        assert len(windows) == len(output)
        for window, value in zip(windows, output.tolist(), strict=True):
            index = window.taps[tap]
            assert value == (index + 1 if 0 <= index < size else 0.0)


def test_window_properties():
    first, *_, last = conv_windows(8, 3, padding=1)
    assert (first.start, first.stop) == (-1, 2)
    assert (last.start, last.stop) == (6, 9)
