"""convdemo: the code behind the convolution demo site, every function tested against PyTorch.

The names below are re-exported from the package's modules and loaded on first use, so
``import convdemo.style`` or ``import convdemo.arithmetic`` stays free of PyTorch; the
figure build and the site's page code rely on that to check their cache cheaply.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each re-exported name lives, searched in this order; arithmetic needs no PyTorch.
_MODULES = ("arithmetic", "filters", "images", "network")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module in _MODULES:
            loaded = importlib.import_module(f"convdemo.{module}")
            if name in getattr(loaded, "__all__", ()):
                return getattr(loaded, name)
    raise AttributeError(f"module 'convdemo' has no attribute {name!r}")
