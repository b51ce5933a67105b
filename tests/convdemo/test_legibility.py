"""Every word of every figure is legible in both colour schemes, as the reader sees it.

Each figure of the registry is drawn as the build draws it, once per scheme, and every
text it draws is checked against what lies behind it: the topmost filled shape or image
under its centre, else the page of that scheme (white, or Material's "slate"). The WCAG
contrast ratio between the two must reach ``MIN_CONTRAST``.

And every text is big enough where it is shown: a figure wider than the chapter's content
column at a 1280 px window (``COLUMN``, which tests/integration/test_browser.py measures
in Chromium) is scaled down to fit it, and its smallest text must still be
``MIN_TEXT_PX`` CSS pixels.
"""

from __future__ import annotations

import colorsys
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import matplotlib
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox, Transform

from convdemo.cells import text_colour
from convdemo.style import DARK_INK, INK, SCHEMES
from figures.photo import load_photo
from figures.registry import ANIMATIONS, FIGURES
from figures.render import figure_bytes, resolve, svg_size
from figures.spec import CSS_DPI, PHOTO
from tests.conftest import make_config

# WCAG 2 asks 4.5:1 of body text and 3:1 of large text and graphics. A label in a cell
# takes white or ink, whichever stands out more: 3.99:1 at worst on any fill, 4.37:1 on
# the darkest fills these figures use. Every text must reach 4:1.
MIN_CONTRAST = 4.0
#: The content column of a chapter in a 1280 px wide window, in CSS pixels.
COLUMN = 688
MIN_TEXT_PX = 9.0
PAGE = {
    "light": (1.0, 1.0, 1.0),
    # Material's slate background: hsl(225, 15%, 14%).
    "dark": colorsys.hls_to_rgb(225 / 360, 0.14, 0.15),
}
RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]


def luminance(colour: RGB) -> float:
    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(value) for value in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: RGB, second: RGB) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: Any, behind: RGB) -> RGB:
    """``colour`` (any matplotlib colour, maybe translucent) laid over ``behind``."""
    red, green, blue, alpha = to_rgba(colour)
    return cast(
        RGB,
        tuple(alpha * c + (1 - alpha) * b for c, b in zip((red, green, blue), behind, strict=True)),
    )


@dataclass(frozen=True)
class Drawn:
    """A text or a filled shape as it was drawn: colour and place on the canvas then
    (saving changes the backgrounds' colours for the time it draws)."""

    text: str | None  # None for a shape or an image
    colour: RGBA
    size: float
    box: Bbox | None  # where it shows, cut to its clip box; None if nowhere
    image: AxesImage | None = None
    to_data: Transform | None = None  # an image's display → data transform when drawn


@contextmanager
def recording(figure: Figure) -> Iterator[list[Drawn]]:
    """Every text and filled shape of the last drawing of ``figure`` meanwhile, in order.

    (A tight bounding box draws the figure twice; each drawing starts with its patch.)
    """
    drawn: list[Drawn] = []
    originals = {kind: kind.draw for kind in (Text, Patch)}

    def recorder(kind: type) -> Any:
        def draw(self: Any, renderer: Any) -> Any:
            if self is figure.patch:  # a drawing starts: the images first, as they lie under
                drawn.clear()
                for ax in figure.get_axes():
                    for image in ax.get_images():
                        box = visible_box(image, renderer)
                        # Display to data coordinates as in this drawing (dpi, tight box).
                        to_data = image.axes.transData.inverted().frozen()
                        drawn.append(Drawn(None, (0, 0, 0, 0), 0.0, box, image, to_data))
            if self.get_visible() and isinstance(self, Patch) and self.get_fill():
                drawn.append(Drawn(None, self.get_facecolor(), 0.0, visible_box(self, renderer)))
            result = originals[kind](self, renderer)  # a text draws its own box here
            if self.get_visible() and isinstance(self, Text) and self.get_text().strip():
                colour = to_rgba(self.get_color())
                size = float(self.get_fontsize())
                drawn.append(Drawn(self.get_text(), colour, size, visible_box(self, renderer)))
            return result

        return draw

    try:
        for kind in originals:
            kind.draw = recorder(kind)  # type: ignore[method-assign]
        yield drawn
    finally:
        for kind, draw in originals.items():
            kind.draw = draw  # type: ignore[method-assign]


def visible_box(artist: Any, renderer: Any) -> Bbox | None:
    """Where ``artist`` shows on the canvas: its box cut to its clip box; None if nowhere."""
    box = artist.get_window_extent(renderer)
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    return box if clip is None else Bbox.intersection(box, clip)


def _covers(box: Bbox | None, x: float, y: float) -> bool:
    return box is not None and box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1


def image_colour(image: AxesImage, to_data: Transform, x: float, y: float) -> Any:
    """The colour an image shows at display point ``(x, y)``."""
    data_x, data_y = to_data.transform((x, y))
    left, right, bottom, top = image.get_extent()
    array = image.get_array()
    assert array is not None
    rows, cols = array.shape[:2]
    col = min(max(int((data_x - left) / (right - left) * cols), 0), cols - 1)
    if image.origin == "upper":
        row = int((data_y - top) / (bottom - top) * rows)
    else:
        row = int((data_y - bottom) / (top - bottom) * rows)
    value = array[min(max(row, 0), rows - 1), col]
    return image.to_rgba(value) if array.ndim == 2 else tuple(value)


def low_contrast_texts(figure: Figure, scheme: str) -> list[str]:
    """Each text of ``figure`` (drawn under the scheme's settings) below ``MIN_CONTRAST``.

    Images count as drawn first: in these figures text goes over images, never under.
    """
    with recording(figure) as drawn:
        figure.savefig(io.BytesIO(), format="png")  # as saved: transparent backgrounds
    problems = []
    for position, text in enumerate(drawn):
        if text.text is None or text.box is None:
            continue
        # Along the middle of the text: a label may start on a fill and run off it.
        y = (text.box.y0 + text.box.y1) / 2
        for share in (0.1, 0.3, 0.5, 0.7, 0.9):
            x = text.box.x0 + share * text.box.width
            behind: RGB = PAGE[scheme]
            for shape in drawn[:position]:
                if shape.text is None and _covers(shape.box, x, y):
                    colour: Any = shape.colour
                    if shape.image is not None and shape.to_data is not None:
                        colour = image_colour(shape.image, shape.to_data, x, y)
                    behind = over(colour, behind)
            ratio = contrast(over(text.colour, behind), behind)
            if ratio < MIN_CONTRAST:
                problems.append(f"{text.text!r} in {to_hex(text.colour)}: {ratio:.2f}:1")
                break
    return problems


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    # Small, for speed: big enough for the deepest map (two poolings, a 13×13 dilated mask).
    return load_photo(make_config(tmp_path_factory.mktemp("cache"), max_side=64))


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("spec", FIGURES, ids=[spec.name for spec in FIGURES])
def test_every_text_of_every_figure_stands_out(spec, scheme, photo):
    params = {key: photo if value is PHOTO else value for key, value in spec.params.items()}
    with matplotlib.rc_context(cast(Any, SCHEMES[scheme])):
        figure = resolve(spec.function)(**params)
        assert low_contrast_texts(figure, scheme) == []


def smallest_text(figure: Figure) -> tuple[float, str]:
    """The smallest text of ``figure`` in CSS pixels as the chapter shows it, and the text."""
    with recording(figure) as drawn:
        svg = figure_bytes(figure, "svg")  # as saved: its tight box sets its page width
    scale = min(1.0, COLUMN / svg_size(svg)[0])
    smallest = min((shown for shown in drawn if shown.text), key=lambda shown: shown.size)
    return smallest.size * CSS_DPI / 72 * scale, smallest.text or ""


def drawn_figure(spec: Any, photo: Any) -> Figure:
    params = {key: photo if value is PHOTO else value for key, value in spec.params.items()}
    result = resolve(spec.function)(**params)
    return result if isinstance(result, Figure) else result.figure  # an animation's figure


@pytest.mark.parametrize("spec", [*FIGURES, *ANIMATIONS], ids=lambda spec: spec.name)
def test_every_text_is_big_enough_in_the_content_column(spec, photo):
    with matplotlib.rc_context(cast(Any, SCHEMES["light"])):
        px, text = smallest_text(drawn_figure(spec, photo))
    assert px >= MIN_TEXT_PX, f"{text!r} shows at {px:.1f} px"


def test_the_check_sees_ink_on_the_dark_page_and_labels_on_their_fills():
    with matplotlib.rc_context(cast(Any, SCHEMES["dark"])):
        figure = Figure()
        ax = figure.add_subplot()
        ax.text(0.5, 0.5, "lost on slate", color=INK)
        ax.add_patch(Rectangle((0, 0), 0.2, 0.2, facecolor="#f2f2f2"))
        ax.text(0.1, 0.1, "pale on pale", color=DARK_INK)
        ax.text(0.8, 0.8, "fine on slate")
        # A two-colour image: black on the left, white on the right.
        ax.imshow([[0.0, 1.0]], cmap="gray", extent=(0.5, 0.9, 0.1, 0.3))
        ax.set(xlim=(0, 1), ylim=(0, 1))
        ax.text(0.6, 0.2, "ink", color=INK, ha="center", va="center")  # on black
        ax.text(0.8, 0.2, "white", color="white", ha="center", va="center")  # on white
        ax.text(0.6, 0.25, "fine", color="white", ha="center", va="center")  # on black
        ax.text(0.3, 0.9, "own box", color="white", bbox={"facecolor": "white"})
        ax.text(0.3, 0.7, "boxed", color=INK, bbox={"facecolor": "#f2f2f2"})
        problems = low_contrast_texts(figure, "dark")
    assert [problem.split("'")[1] for problem in problems] == [
        "lost on slate",
        "pale on pale",
        "ink",
        "white",
        "own box",
    ]


@pytest.mark.parametrize("fill", ["#000000", "#5fbf9f", "#767676", "#bcdcf2", "#d55e00", "#ffffff"])
def test_cell_labels_take_the_colour_that_stands_out_more(fill):
    rgb = to_rgba(fill)[:3]
    chosen = contrast(to_rgba(text_colour(fill))[:3], rgb)
    assert chosen >= max(contrast(to_rgba(c)[:3], rgb) for c in ("white", INK)) - 1e-9
    assert chosen >= MIN_CONTRAST
