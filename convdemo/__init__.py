"""convdemo: the code behind the convolution demo site, every function tested against PyTorch."""

from convdemo.arithmetic import (
    Window,
    conv_multiplications,
    conv_output_size,
    conv_windows,
    effective_kernel_size,
    pool_output_size,
    same_padding,
    transposed_output_size,
)
from convdemo.filters import FILTER_NAMES, RAMP, edge_filters, filter_bank
from convdemo.images import SAMPLE_IMAGE, load_image, resolve_image_path, to_tensor
from convdemo.network import DemoNet, DemoOutputs

__all__ = [
    "FILTER_NAMES",
    "RAMP",
    "SAMPLE_IMAGE",
    "DemoNet",
    "DemoOutputs",
    "Window",
    "conv_multiplications",
    "conv_output_size",
    "conv_windows",
    "edge_filters",
    "effective_kernel_size",
    "filter_bank",
    "load_image",
    "pool_output_size",
    "resolve_image_path",
    "same_padding",
    "to_tensor",
    "transposed_output_size",
]
