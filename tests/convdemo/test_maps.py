"""The feature-map chapter: sizes quoted in prose equal what the network produces."""

from __future__ import annotations

import matplotlib
import pytest
import torch

from convdemo import DemoNet, load_image
from convdemo.maps import (
    feature_maps,
    feature_maps_facts,
    filters_facts,
    filters_figure,
    layer_sizes,
    photo_facts,
)
from convdemo.style import RC


@pytest.fixture(scope="module")
def image() -> torch.Tensor:
    return load_image(size=96)


@pytest.mark.parametrize(
    "layer, stride, dilation", [("conv1", 1, 1), ("conv2", 1, 1), ("conv2", 2, 1), ("conv1", 1, 3)]
)
def test_feature_maps_facts_equal_real_output_shapes(image, layer, stride, dilation):
    facts = feature_maps_facts(image, layer, stride, dilation)
    net = DemoNet(stride=stride, dilation=dilation)
    with torch.no_grad():
        outputs = net(image)
    for name in ("conv1", "pool1", "conv2", "pool2"):
        height, width = getattr(outputs, name).shape[-2:]
        assert (facts[f"{name}_h"], facts[f"{name}_w"]) == (height, width)
    assert (facts["layer_h"], facts["layer_w"]) == tuple(getattr(outputs, layer).shape[-2:])
    kernel = net.conv1.kernel_size[0]
    assert facts["span"] == net.conv1.dilation[0] * (kernel - 1) + 1
    assert facts["kernel"] == kernel and facts["filters"] == net.conv1.out_channels
    assert facts["channels"] == net.conv1.in_channels == image.shape[1]
    assert facts["pool"] == net.pool.kernel_size and facts["batch"] == image.shape[0]
    convolutions = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    assert facts["layers"] == len(convolutions)


def test_filters_facts():
    facts = filters_facts()
    assert facts["ramp"] == "−1, −0.5, 0, 0.5, 1" and facts["filters"] == 4
    assert (facts["ramp_min"], facts["ramp_max"]) == ("−1", "1") and facts["kernel"] == 5


def test_layer_sizes_of_a_square_input():
    assert layer_sizes(32, 32) == {
        "conv1_h": 28,
        "pool1_h": 14,
        "conv2_h": 10,
        "pool2_h": 5,
        "conv1_w": 28,
        "pool1_w": 14,
        "conv2_w": 10,
        "pool2_w": 5,
    }


def test_photo_facts(image):
    assert photo_facts(image) == {
        "batch": 1,
        "channels": 3,
        "height": 96,
        "width": image.shape[-1],
    }


def test_feature_maps_share_one_scale_centred_on_zero(image):
    with matplotlib.rc_context(RC):
        figure = feature_maps(image, "conv1")
    images = [artist for ax in figure.axes for artist in ax.get_images()]
    assert len(images) == 8
    limits = {artist.norm.vmin for artist in images} | {-artist.norm.vmax for artist in images}
    assert len(limits) == 1  # vmin = −vmax, the same for every panel
    before, after = images[0].get_array(), images[4].get_array()
    assert before.min() < 0 < before.max() and after.min() >= 0
    assert any(ax.get_label() == "<colorbar>" for ax in figure.axes)


def test_unknown_layer_is_rejected(image):
    with pytest.raises(ValueError, match="layer"):
        feature_maps(image, "conv3")


def test_filters_figure_writes_every_weight():
    with matplotlib.rc_context(RC):
        figure = filters_figure()
    labels = [text.get_text() for ax in figure.axes for text in ax.texts]
    assert len(labels) == 4 * 25 and "−0" not in labels


def test_every_second_layer_filter_sees_only_the_sum_of_its_input_channels(image):
    from convdemo.filters import edge_filters
    from convdemo.maps import channel_sum, channel_sum_facts

    with torch.no_grad():
        outputs = DemoNet()(image)
    summed = channel_sum(image)
    torch.testing.assert_close(summed, outputs.pool1[0].sum(dim=0))
    for k, mask in enumerate(edge_filters()):
        alone = torch.nn.functional.conv2d(summed[None, None], mask[None, None])[0, 0]
        torch.testing.assert_close(outputs.conv2[0, k], alone, rtol=1e-4, atol=1e-3)
    assert torch.equal(outputs.conv2[0, 1], -outputs.conv2[0, 0])
    assert torch.equal(outputs.conv2[0, 3], -outputs.conv2[0, 2])
    facts = channel_sum_facts(image)
    assert facts["opposite_pairs"] == 2 and facts["distinct"] == 2
    assert (facts["height"], facts["width"]) == tuple(outputs.pool1.shape[-2:])


def test_after_relu_a_pair_of_opposite_second_layer_maps_differs(image):
    from convdemo.maps import channel_sum_facts

    with torch.no_grad():
        outputs = DemoNet()(image)
    relu2, conv2 = outputs.relu2[0], outputs.conv2[0]
    for k in (0, 2):
        torch.testing.assert_close(relu2[k + 1], torch.relu(-conv2[k]))
        assert not torch.equal(relu2[k + 1], relu2[k])
    assert channel_sum_facts(image)["rectified_distinct"] == 4
