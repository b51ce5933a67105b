"""Chapter 1's hands-on code: the page's call gives PyTorch's map of the photo."""

from __future__ import annotations

import inspect

import torch

from convdemo import load_image, resolve_image_path
from convdemo.basics import demo_layer
from convdemo.hands_on import first_feature_map


def test_the_code_on_the_page_shows_pytorchs_first_map_of_the_photo():
    """The call the page shows, checked against a layer with the same weights run on
    ``load_image()``, which is already a batch of one."""
    torch.manual_seed(0)
    figure = first_feature_map(resolve_image_path())
    shown = torch.from_numpy(figure.axes[0].images[0].get_array().data)
    torch.manual_seed(0)
    layer = torch.nn.Conv2d(3, 4, 5)
    batch = load_image()
    assert batch.dim() == 4 and batch.shape[0] == 1
    with torch.no_grad():
        expected = layer(batch)[0, 0]
    torch.testing.assert_close(shown, expected)
    assert (
        figure.axes[0].get_title() == f"feature map 0 of 4, {expected.shape[0]}×{expected.shape[1]}"
    )


def test_the_page_layer_is_the_demo_networks_first():
    defaults = inspect.signature(first_feature_map).parameters
    _, out_channels, kernel_size = demo_layer()
    assert defaults["out_channels"].default == out_channels
    assert defaults["kernel_size"].default == kernel_size
