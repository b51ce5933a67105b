"""Cell labels: how numbers are written in diagrams."""

from __future__ import annotations

import pytest

from convdemo.cells import format_number, text_colour
from convdemo.style import INK


@pytest.mark.parametrize(
    "value, text",
    [
        (3, "3"),
        (3.0, "3"),
        (-4.0, "−4"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (2.25, "2.25"),
        (-1.75, "−1.75"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_text_is_white_on_dark_fills_and_ink_on_light_ones():
    assert text_colour("#08306b") == "white"
    assert text_colour("#f2f2f2") == INK
