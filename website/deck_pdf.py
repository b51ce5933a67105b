"""A deck's slides written as PDF, a 16:9 page a slide, for any viewer and for beamer.

Drawn by matplotlib's PDF backend from the same layout as the PowerPoint file
(``website.slides``): the same boxes, the same line breaks, the same pictures at the
projector's resolution; an animation is its storyboard, every step on one page. A
picture is drawn as a one-pixel stand-in, then replaced by the projector image's bytes
(a still's are the very bytes the PowerPoint file holds): a photo stays the JPEG it
was, a diagram keeps its PNG's compressed rows, and nothing is decoded or encoded again
(matplotlib would re-encode every image). Fonts are embedded as TrueType, so the text
can be searched and copied, and every date and version is left out of the file, so the
same slides give the same bytes.
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
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject

from website.deck_pptx import DeckInfo
from website.slides import SLIDE_HEIGHT, SLIDE_WIDTH, Picture, Slide, Text, fit, projector_image

__all__ = ["pdf_bytes"]

#: matplotlib's own fonts, so the PDF looks the same on every machine that builds it.
SANS, MONO = "DejaVu Sans", "DejaVu Sans Mono"
#: Line height in multiples of the font size, as ``website.slides`` reserves.
LINE_SPACING = 1.25
_RC = {"pdf.fonttype": 42, "font.family": SANS}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
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


def _draw_picture(figure: Figure, element: Picture, number: int) -> bytes:
    """A one-pixel stand-in for the picture, its colour the picture's ``number``, placed
    where the picture goes; the picture's own bytes, which replace it in the file."""
    with Image.open(element.still) as image:
        size = image.size
    box = fit(element.area, size)
    left, top, width, height = box
    axes = figure.add_axes(
        (
            left / SLIDE_WIDTH,
            1 - (top + height) / SLIDE_HEIGHT,
            width / SLIDE_WIDTH,
            height / SLIDE_HEIGHT,
        )
    )
    marker = np.array([[list(number.to_bytes(3, "big"))]], dtype=np.uint8)
    # Upright: with "lower", matplotlib maps the first row to the top, as a PDF image has it.
    axes.imshow(marker, interpolation="none", aspect="auto", origin="lower")
    axes.set_axis_off()
    return projector_image(element.still, box, element.photo)


def _png_stream(data: bytes) -> tuple[dict[str, Any], bytes]:
    """An RGB PNG's pixels as a PDF image: its compressed data as it is, with the PNG
    row filters declared (a predictor of 10 or more), so nothing is encoded again."""
    if data[:8] != _PNG_SIGNATURE:
        raise ValueError("not a PNG")
    chunks, position = [], 8
    header = b""
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    if header[8:13] != bytes([8, 2, 0, 0, 0]):  # 8 bits, RGB, deflate, no interlacing
        raise ValueError("only 8-bit RGB PNGs without interlacing are embedded as they are")
    parameters = {"/Predictor": 10, "/Colors": 3, "/Columns": width, "/BitsPerComponent": 8}
    return {"/Width": width, "/Height": height, "/Filter": "/FlateDecode",
            "/DecodeParms": parameters}, b"".join(chunks)  # fmt: skip


def _image_stream(data: bytes) -> StreamObject:
    """A PDF image XObject holding ``data`` (a PNG or a JPEG of ``projector_image``)."""
    if data[:2] == b"\xff\xd8":  # JPEG: a PDF reads it as it is
        with Image.open(io.BytesIO(data)) as image:
            if image.mode != "RGB":
                raise ValueError(f"a {image.mode} JPEG, expected RGB")
            entries: dict[str, Any] = {
                "/Width": image.width, "/Height": image.height, "/Filter": "/DCTDecode"
            }  # fmt: skip
        payload = data
    else:
        entries, payload = _png_stream(data)
    entries.update({"/Type": "/XObject", "/Subtype": "/Image", "/ColorSpace": "/DeviceRGB",
                    "/BitsPerComponent": 8})  # fmt: skip
    stream = StreamObject()
    for key, value in entries.items():
        stream[NameObject(key)] = _pdf_value(value)
    stream.set_data(payload)  # no /Filter handling here: the bytes are kept as given
    return stream


def _pdf_value(value: Any) -> Any:
    if isinstance(value, dict):
        return DictionaryObject({NameObject(k): _pdf_value(v) for k, v in value.items()})
    if isinstance(value, str):
        return NameObject(value)
    return NumberObject(value)


def _colour(image: Any) -> bytes:
    """The RGB bytes of a one-pixel image, as matplotlib writes it: a one-colour palette
    (its ``/Indexed`` lookup string), or the pixel itself."""
    space = image["/ColorSpace"]
    if isinstance(space, ArrayObject) and space[0] == "/Indexed":
        lookup = space[3].get_object()
        return bytes(lookup.get_data() if isinstance(lookup, StreamObject) else lookup)[:3]
    return bytes(image.get_data()[:3])


def _embed(pdf: bytes, pictures: Sequence[bytes]) -> bytes:
    """``pdf`` with each one-pixel stand-in replaced by its picture's bytes. A stand-in
    is found by its colour, not by the name matplotlib gave it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    found: set[int] = set()
    replaced: set[int] = set()  # every page lists every image: matplotlib shares resources
    for page in writer.pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        xobjects = cast(DictionaryObject, resources.get("/XObject", DictionaryObject()))
        for name, reference in xobjects.items():
            image = reference.get_object()
            if reference.idnum in replaced or image.get("/Subtype") != "/Image":
                continue
            one_pixel = (image["/Width"], image["/Height"]) == (1, 1)
            number = int.from_bytes(_colour(image), "big") if one_pixel else 0
            if not 0 < number <= len(pictures):
                raise ValueError(f"image {name} of the deck is no picture's stand-in")
            if number in found:
                raise ValueError(f"picture {number} of the deck was drawn twice")
            found.add(number)
            replaced.add(reference.idnum)
            writer._replace_object(reference, _image_stream(pictures[number - 1]))
    if len(found) != len(pictures):
        raise ValueError(f"{len(pictures) - len(found)} of the deck's pictures were not drawn")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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
    pictures: list[bytes] = []
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
                    pictures.append(_draw_picture(figure, element, len(pictures) + 1))
            pdf.savefig(figure)
    return _embed(buffer.getvalue(), pictures) if pictures else buffer.getvalue()
