"""The palette: each role one colour, told apart in grey print too."""

from __future__ import annotations

import itertools

from matplotlib.colors import to_rgb

from convdemo import style

ROLES = {
    "input": style.INPUT,
    "kernel": style.KERNEL_FILL,
    "padding": style.PADDING,
    "output": style.OUTPUT,
    "intermediate": style.PRODUCT,
}


def luminance(colour: str) -> float:
    """Relative luminance (WCAG), the grey level a printer reproduces."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_roles_have_distinct_colours():
    assert len(set(ROLES.values())) == len(ROLES)


def test_roles_differ_in_grey_level():
    for (a, first), (b, second) in itertools.combinations(ROLES.items(), 2):
        assert abs(luminance(first) - luminance(second)) >= 0.04, (a, b)


def test_ink_is_readable_on_every_role_colour():
    for role, colour in ROLES.items():
        contrast = (luminance(colour) + 0.05) / (luminance(style.INK) + 0.05)
        assert contrast >= 4.5, role  # WCAG AA for text


def test_style_sets_deterministic_svg_output():
    assert style.RC["svg.hashsalt"] and style.RC["svg.fonttype"] == "path"


def test_dark_ink_is_readable_on_the_dark_page():
    slate = "#1e2129"  # Material's slate background
    contrast = (luminance(style.DARK_INK) + 0.05) / (luminance(slate) + 0.05)
    assert contrast >= 7  # WCAG AAA: figure text is small
    assert style.SCHEMES["dark"]["text.color"] == style.DARK_INK
    assert style.SCHEMES["light"]["text.color"] == style.INK
    assert all(rc["savefig.transparent"] for rc in style.SCHEMES.values())
