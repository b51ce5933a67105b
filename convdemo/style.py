"""The visual style of every figure: one palette, one set of matplotlib settings.

The four roles a diagram distinguishes each have one colour, taken from the Okabe–Ito
palette (safe for the common colour-vision deficiencies) and chosen so that their grey
levels differ too: padding is the lightest and also hatched, the output the darkest.

Every figure is drawn twice, once per colour scheme of the site (``SCHEMES``), on a
transparent background. Only the ink of free-standing text, axes and legends changes
between the two; the role colours, and the ink inside coloured cells, are the same, so
a diagram reads the same way on the light and on the dark page.

Figure functions never touch global state; the figure build applies ``SCHEMES[scheme]``
with ``matplotlib.rc_context`` around drawing and saving.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DARK_INK",
    "DIVERGING",
    "INK",
    "INPUT",
    "KERNEL",
    "KERNEL_FILL",
    "OUTPUT",
    "PADDING",
    "PADDING_HATCH",
    "PRODUCT",
    "RC",
    "RC_DARK",
    "SCHEMES",
]

INPUT = "#bcdcf2"  # sky blue, light tint
KERNEL = "#d55e00"  # vermillion, drawn as an outline over the input
PADDING = "#f2f2f2"  # near-white grey, also hatched
PADDING_HATCH = "///"
OUTPUT = "#5fbf9f"  # bluish green, mid tint
INK = "#222222"  # text and grid lines
DARK_INK = "#e2e4e9"  # text on the dark scheme's background (Material's "slate")

RC: dict[str, Any] = {
    # Fonts that ship with matplotlib, so every machine draws the same glyphs.
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "mathtext.fontset": "dejavusans",
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.color": "#9a9a9a",
    "hatch.linewidth": 0.6,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    # Text as paths: identical glyphs in every viewer and slide deck.
    "svg.fonttype": "path",
    # Without a fixed salt, SVG element ids are random on every render.
    "svg.hashsalt": "convdemo",
    "image.interpolation": "nearest",
    # No background: the page's own shows through, light or dark.
    "savefig.transparent": True,
}

RC_DARK: dict[str, Any] = {
    **RC,
    "text.color": DARK_INK,
    "axes.edgecolor": DARK_INK,
    "axes.labelcolor": DARK_INK,
    "xtick.color": DARK_INK,
    "ytick.color": DARK_INK,
    "legend.facecolor": "none",
    "legend.edgecolor": DARK_INK,
    "legend.labelcolor": DARK_INK,
}

SCHEMES: dict[str, dict[str, Any]] = {"light": RC, "dark": RC_DARK}

KERNEL_FILL = "#f6c9a8"  # light vermillion: cells of a mask, with its weights written in
PRODUCT = "#cdebdf"  # light bluish green: intermediate results (products, partial sums)
DIVERGING = "RdBu_r"  # signed maps: blue negative, red positive, white at zero
