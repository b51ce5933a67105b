"""A deck's slides written as PDF, a 16:9 page a slide, for any viewer and for beamer.

Drawn by matplotlib's PDF backend from the same layout as the PowerPoint file
(``website.slides``): the same boxes, the same line breaks, the same pictures at the
projector's resolution; an animation is its storyboard, every step on one page. Fonts
are embedded as TrueType, so the text can be searched and copied, and every date and
version is left out of the file, so the same slides give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator, Sequence
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from PIL import Image

from website.deck_pptx import DeckInfo
from website.slides import SLIDE_HEIGHT, SLIDE_WIDTH, Picture, Slide, Text, fit, projector_image

__all__ = ["pdf_bytes"]

#: matplotlib's own fonts, so the PDF looks the same on every machine that builds it.
SANS, MONO = "DejaVu Sans", "DejaVu Sans Mono"
#: Line height in multiples of the font size, as ``website.slides`` reserves.
LINE_SPACING = 1.25
_RC = {"pdf.fonttype": 42, "font.family": SANS}
#: Font tables a PDF viewer never reads (it draws each glyph where matplotlib placed it).
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern", "JSTF", "morx")
#: One deck at a time changes fontTools in a process: the build makes decks in processes
#: of their own or one after another, and two threads must not interleave the change.
_FONTTOOLS = threading.Lock()


@contextlib.contextmanager
def _fonts_without_layout_tables() -> Iterator[None]:
    """matplotlib subsets each embedded font with fontTools, which by default keeps and
    so reads the font's layout tables: the most of the time a deck's fonts took. They
    are dropped while the deck is written, and fontTools is left as it was."""
    from fontTools import subset

    with _FONTTOOLS:  # read and restored under the lock: never another deck's change
        options = subset.Options

        class Lean(options):  # type: ignore[misc,valid-type]
            def __init__(self, **settings: Any) -> None:
                super().__init__(**settings)
                self.drop_tables = [*vars(self)["drop_tables"], *LAYOUT_TABLES]

        subset.Options = Lean
        try:
            yield
        finally:
            subset.Options = options


def _draw_text(figure: Figure, element: Text) -> None:
    left, top, width, _ = element.box
    x = (left + (width / 2 if element.centred else 0)) / SLIDE_WIDTH
    figure.text(
        x,
        1 - top / SLIDE_HEIGHT,
        "\n".join(element.lines),
        fontsize=element.size,
        fontweight="bold" if element.bold else "normal",
        family=MONO if element.mono else SANS,
        color=element.colour,
        va="top",
        ha="center" if element.centred else "left",
        linespacing=LINE_SPACING,
        url=element.link,
    )


def _draw_picture(figure: Figure, element: Picture) -> None:
    with Image.open(element.still) as image:
        size = image.size
    box = fit(element.area, size)
    left, top, width, height = box
    with Image.open(io.BytesIO(projector_image(element.still, box, element.photo))) as image:
        # On the white slide, flat: an image without an alpha channel is half the bytes.
        flat = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        pixels = np.asarray(flat)
    axes = figure.add_axes(
        (
            left / SLIDE_WIDTH,
            1 - (top + height) / SLIDE_HEIGHT,
            width / SLIDE_WIDTH,
            height / SLIDE_HEIGHT,
        )
    )
    axes.imshow(pixels, interpolation="none", aspect="auto")  # embedded pixel for pixel
    axes.set_axis_off()


def pdf_bytes(slides: Sequence[Slide], info: DeckInfo) -> bytes:
    """The slides as a PDF of 13.333 × 7.5 inch pages."""
    metadata = {
        "Title": info.title,
        "Author": info.author,
        "Subject": info.subject,
        "Keywords": info.keywords,
        "Creator": None,
        "Producer": None,
        "CreationDate": None,
        "ModDate": None,
    }
    buffer = io.BytesIO()
    with (
        _fonts_without_layout_tables(),
        matplotlib.rc_context(cast(Any, _RC)),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        for slide in slides:
            figure = Figure(figsize=(SLIDE_WIDTH, SLIDE_HEIGHT))
            for element in slide.elements:
                if isinstance(element, Text):
                    _draw_text(figure, element)
                else:
                    _draw_picture(figure, element)
            pdf.savefig(figure)
    return buffer.getvalue()
