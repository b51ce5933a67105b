"""The PDF of a deck: a 16:9 page a slide, the same text, no date, the same bytes."""

from __future__ import annotations

import io

from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.website.decks import URL, chapter
from website.deck_pdf import LAYOUT_TABLES, pdf_bytes
from website.deck_pptx import DeckInfo
from website.slides import layout

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
