"""The four edge filters: values, symmetries, and what they respond to."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from convdemo import FILTER_NAMES, RAMP, edge_filters, filter_bank


def test_ramp_right_has_the_ramp_in_every_row():
    ramp_right = edge_filters()[0]
    assert ramp_right.shape == (5, 5)
    for row in ramp_right:
        assert row.tolist() == list(RAMP) == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_the_others_are_negation_and_transposes():
    right, left, down, up = edge_filters()
    torch.testing.assert_close(left, -right)
    torch.testing.assert_close(down, right.T)
    torch.testing.assert_close(up, -right.T)
    assert len(FILTER_NAMES) == 4


def test_flat_regions_give_no_response():
    assert edge_filters().sum(dim=(1, 2)).abs().max() == 0


def test_a_vertical_edge_excites_ramp_right_and_not_ramp_down():
    image = torch.zeros(1, 1, 9, 9)
    image[..., 5:] = 1.0  # dark left half, bright right half
    response = F.conv2d(image, edge_filters().unsqueeze(1))[0]
    assert response[0].max() > 0 and response[1].min() < 0
    assert response[2].abs().max() == 0 and response[3].abs().max() == 0


def test_filter_bank_copies_each_mask_to_every_input_channel():
    bank = filter_bank(3)
    assert bank.shape == (4, 3, 5, 5)
    for channel in range(3):
        torch.testing.assert_close(bank[:, channel], edge_filters())


@pytest.mark.parametrize("bad", [0, -1, 2.0, True])
def test_filter_bank_rejects_bad_channel_counts(bad):
    with pytest.raises(ValueError, match="in_channels"):
        filter_bank(bad)
