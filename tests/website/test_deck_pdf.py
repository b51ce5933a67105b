"""The PDF of a deck: a 16:9 page a slide, the same text, no date, the same bytes."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.website.decks import URL, chapter
from website.deck_pdf import pdf_bytes
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
