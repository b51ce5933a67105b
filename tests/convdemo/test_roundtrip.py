"""The round trip: convolution then transposed convolution with a centre-only kernel."""

from __future__ import annotations

import torch

from convdemo import load_image
from convdemo.roundtrip import round_trip, round_trip_facts


def test_round_trip_restores_the_interior_exactly_and_zeros_the_border():
    grey = load_image(size=64).mean(dim=1, keepdim=True)
    shrunk, restored = round_trip(grey)
    assert shrunk.shape[-2:] == (grey.shape[-2] - 4, grey.shape[-1] - 4)
    assert restored.shape == grey.shape
    torch.testing.assert_close(restored[..., 2:-2, 2:-2], grey[..., 2:-2, 2:-2], atol=0, rtol=0)
    assert restored[..., :2, :].abs().max() == 0 and restored[..., :, -2:].abs().max() == 0
    facts = round_trip_facts(load_image(size=64))
    assert facts["interior_error"] == 0 and facts["border"] == 2 and facts["kernel"] == 5
    assert facts["border_error"] > 0
