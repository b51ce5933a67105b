"""The PDF of a deck: a 16:9 page a slide, the same text, no date, the same bytes."""

from __future__ import annotations

import io

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.website.decks import URL, chapter
from website.deck_pdf import LAYOUT_TABLES, _png_stream, pdf_bytes
from website.deck_pptx import DeckInfo
from website.slides import fit, layout, projector_image

INFO = DeckInfo("2. Padding", "Its authors", "Chapter 2 of The site", "2026-11-24")


def drawn_images(page):
    """The images a page draws: matplotlib lists every page's images in one shared
    resource dictionary, so ``page.images`` would count them all on every page."""
    xobjects = page["/Resources"].get("/XObject", {})
    operations = ContentStream(page.get_contents(), page.pdf).operations
    return sum(
        1
        for operands, operator in operations
        if operator == b"Do" and xobjects[operands[0]]["/Subtype"] == "/Image"
    )


def test_a_page_a_slide_with_the_captions_and_credits(tmp_path):
    slides = layout(chapter(tmp_path))
    reader = PdfReader(io.BytesIO(pdf_bytes(slides, INFO)))
    assert len(reader.pages) == len(slides)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (
            13.333 * 72,
            7.5 * 72,
        )
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for name in ("grid-1", "photo-2", "moving-3"):
        assert f"Caption of {name}." in text
        assert f"{URL}#fig-{name}" in text
    assert "import torch" in text
    images = [drawn_images(page) for page in reader.pages]
    assert images == [0, 1, 1, 1, 0]  # an animation as its storyboard


def test_the_same_slides_give_the_same_bytes_and_no_date(tmp_path):
    slides = layout(chapter(tmp_path))
    data = pdf_bytes(slides, INFO)
    assert data == pdf_bytes(slides, INFO)
    metadata = PdfReader(io.BytesIO(data)).metadata
    assert metadata.title == "2. Padding" and metadata.author == "Its authors"
    assert "/CreationDate" not in metadata and "/ModDate" not in metadata


def test_fonts_are_embedded_without_the_tables_no_viewer_reads(tmp_path):
    """TrueType, so the text can be searched and copied, but without the layout tables
    (which fontTools would read for every font of every deck); fontTools as it was."""
    options = subset.Options
    reader = PdfReader(io.BytesIO(pdf_bytes(layout(chapter(tmp_path)), INFO)))
    assert subset.Options is options
    fonts = {
        str(font["/BaseFont"]): font
        for page in reader.pages
        for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values())
    }
    assert any("DejaVuSans" in name for name in fonts)
    for name, font in fonts.items():
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        data = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        tables = set(TTFont(io.BytesIO(data)).keys())
        assert "glyf" in tables and not tables & set(LAYOUT_TABLES), name


def drawn(reader):
    """Each image a deck draws, in order: its XObject and the matrix it is drawn with
    (the page's ``cm`` operators since the last ``q``, composed)."""
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        matrices = [[1, 0, 0, 1, 0, 0]]
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                matrices.append(matrices[-1])
            elif operator == b"Q":
                matrices.pop()
            elif operator == b"cm":
                a, b, c, d, e, f = (float(value) for value in operands)
                A, B, C, D, E, F = matrices[-1]
                matrices[-1] = [
                    a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                    e * A + f * C + E, e * B + f * D + F,
                ]  # fmt: skip
            elif operator == b"Do" and xobjects[operands[0]]["/Subtype"] == "/Image":
                yield xobjects[operands[0]].get_object(), matrices[-1]


def test_each_picture_is_the_projector_image_itself_upright(tmp_path):
    """The PDF holds each picture's projector bytes as they are (a JPEG whole, a PNG's
    compressed rows), never encoded again, and draws it with its first row at the top."""
    chapter_ = chapter(tmp_path)
    slides = layout(chapter_)
    pictures = [
        element for slide in slides for element in slide.elements if hasattr(element, "still")
    ]
    reader = PdfReader(io.BytesIO(pdf_bytes(slides, INFO)))
    images = list(drawn(reader))
    assert len(images) == len(pictures) == 3
    for picture, (image, matrix) in zip(pictures, images, strict=True):
        box = fit(picture.area, Image.open(picture.still).size)
        data = projector_image(picture.still, box, picture.photo)
        with Image.open(io.BytesIO(data)) as expected:
            assert (image["/Width"], image["/Height"]) == expected.size
            assert image["/ColorSpace"] == "/DeviceRGB"
            if picture.photo:
                assert image["/Filter"] == "/DCTDecode" and image._data == data
            else:
                assert image["/Filter"] == "/FlateDecode"
                assert image.get_data() == expected.convert("RGB").tobytes()
        # Drawn box: the area the layout fitted, in points, and upright (d > 0 puts an
        # image's first row at the top of its box).
        left, top, width, height = box
        assert matrix[0] == pytest.approx(width * 72, abs=0.01)
        assert matrix[4] == pytest.approx(left * 72, abs=0.01)
        assert matrix[3] == pytest.approx(height * 72, abs=0.01)
        assert matrix[5] == pytest.approx((7.5 - top - height) * 72, abs=0.01)


def test_an_image_that_is_not_plain_rgb_is_refused_not_mangled():
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4)).save(buffer, format="PNG")
    with pytest.raises(ValueError, match="only 8-bit RGB PNGs"):
        _png_stream(buffer.getvalue())
    with pytest.raises(ValueError, match="not a PNG"):
        _png_stream(b"GIF89a")


def test_an_image_that_is_no_pictures_stand_in_is_an_error(tmp_path, monkeypatch):
    """Every image of a deck is one of its pictures: a stray image (here, every stand-in
    drawn one colour too far) stops the deck, rather than leaving a pixel in it."""
    from website import deck_pdf

    draw = deck_pdf._draw_picture
    monkeypatch.setattr(
        deck_pdf, "_draw_picture", lambda figure, element, number: draw(figure, element, number + 5)
    )
    with pytest.raises(ValueError, match="no picture's stand-in"):
        pdf_bytes(layout(chapter(tmp_path)), INFO)
