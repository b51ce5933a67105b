"""A layer's parts and counts, and why convolution: checked on real PyTorch layers."""

from __future__ import annotations

import pytest
import torch

from convdemo import load_image
from convdemo.basics import demo_layer, layer_facts, rounded_in_words, why_facts
from convdemo.network import DemoNet


@pytest.mark.parametrize("groups", [1])
def test_the_layer_facts_are_those_of_a_real_conv2d(groups):
    facts = layer_facts(groups)
    c_in, c_out, k = demo_layer()
    layer = torch.nn.Conv2d(c_in, c_out, k, groups=groups)
    assert facts["weight_shape"] == str(tuple(layer.weight.shape))
    assert facts["bias_shape"] == str(tuple(layer.bias.shape))
    assert facts["parameters"] == sum(p.numel() for p in layer.parameters())
    assert facts["weights"] == layer.weight.numel() and facts["biases"] == layer.bias.numel()


def test_the_demo_layer_is_the_networks_first():
    conv = DemoNet().conv1
    assert demo_layer() == (conv.in_channels, conv.out_channels, conv.kernel_size[0])


def test_why_facts_count_a_convolution_and_a_dense_layer_with_the_same_input_and_output():
    image = load_image(size=12)  # small: the dense layer is built for real here
    facts = why_facts(image)
    c_in, c_out, k = demo_layer()
    conv = torch.nn.Conv2d(c_in, c_out, k)
    out = conv(image)
    assert (facts["out_h"], facts["out_w"]) == tuple(out.shape[-2:])
    dense = torch.nn.Linear(image.numel(), out.numel())
    assert facts["dense_parameters"] == sum(p.numel() for p in dense.parameters())
    assert facts["conv_parameters"] == sum(p.numel() for p in conv.parameters())
    assert facts["reads"] == c_in * k * k
    assert facts["ratio"] == facts["dense_parameters"] / facts["conv_parameters"]
    assert facts["ratio_words"] == rounded_in_words(facts["ratio"])


@pytest.mark.parametrize(
    "value, words",
    [(118801255.26, "120 million"), (2.46e9, "2.5 billion"), (1234.5, "1,200"),
     (999_999, "1 million"), (45.0, "45"), (0.25, "0.25")],
)  # fmt: skip
def test_a_large_ratio_is_written_in_words_to_two_figures(value, words):
    assert rounded_in_words(value) == words
    number, _, scale = words.partition(" ")
    read = float(number.replace(",", "")) * {"": 1, "million": 1e6, "billion": 1e9}[scale]
    assert abs(read - value) <= 0.05 * value


def test_a_shifted_input_gives_the_same_map_shifted():
    image = load_image(size=40)
    c_in, c_out, k = demo_layer()
    conv = torch.nn.Conv2d(c_in, c_out, k)
    with torch.no_grad():
        y = conv(image)
        shifted = conv(torch.roll(image, shifts=(1, 2), dims=(-2, -1)))
    # Away from the wrapped border, the output is the same, shifted the same way.
    torch.testing.assert_close(shifted[..., 1 + k :, 2 + k :], y[..., k:-1, k:-2])


def test_a_layer_also_takes_one_unbatched_image():
    image = load_image(size=32)[0]  # C×H×W, the batch dimension taken off
    layer = torch.nn.Conv2d(image.shape[0], 4, 5)
    with torch.no_grad():
        unbatched, batched = layer(image), layer(image.unsqueeze(0))
    assert unbatched.shape == (4, image.shape[1] - 4, image.shape[2] - 4)
    torch.testing.assert_close(unbatched, batched[0])
