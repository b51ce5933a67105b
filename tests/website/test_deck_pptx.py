"""The PowerPoint deck: 16:9, a picture per figure, GIFs that play, credits, same bytes."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from tests.website.decks import FRAMES, URL, chapter
from website.deck_pptx import DeckInfo, pptx_bytes
from website.slides import _projector_image, layout

INFO = DeckInfo("2. Padding", "Its authors", "Chapter 2 of The site", "2026-11-24")


def deck(tmp_path):
    return pptx_bytes(layout(chapter(tmp_path)), INFO)


def pictures(slide):
    return [shape for shape in slide.shapes if shape.shape_type == 13]  # PICTURE


def test_the_deck_opens_at_16_by_9_with_a_picture_per_figure(tmp_path):
    presentation = Presentation(io.BytesIO(deck(tmp_path)))
    assert (presentation.slide_width, presentation.slide_height) == (
        Inches(13.333),
        Inches(7.5),
    )
    slides = list(presentation.slides)
    assert len(slides) == 5
    assert [len(pictures(slide)) for slide in slides] == [0, 1, 1, 1, 0]
    for slide, name in zip(slides[1:4], ("grid-1", "photo-2", "moving-3"), strict=True):
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert f"CC BY 4.0, {URL}#fig-{name}" in text
        links = [
            run.hyperlink.address
            for shape in slide.shapes
            if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs
            for run in paragraph.runs
            if run.hyperlink.address
        ]
        assert links == [f"{URL}#fig-{name}"]
        (picture,) = pictures(slide)
        assert picture._element.nvPicPr.cNvPr.get("descr") == f"Alt of {name}."
        assert slide.notes_slide.notes_text_frame.text == f"Alt of {name}."


def test_an_animation_is_embedded_as_its_gif_with_every_frame(tmp_path):
    presentation = Presentation(io.BytesIO(deck(tmp_path)))
    kinds = [pictures(slide)[0].image.content_type for slide in list(presentation.slides)[1:4]]
    assert kinds == ["image/png", "image/jpeg", "image/gif"]
    gif = pictures(list(presentation.slides)[3])[0].image
    with Image.open(io.BytesIO(gif.blob)) as image:
        assert image.n_frames == FRAMES
    assert gif.blob == (tmp_path / "moving.gif").read_bytes()


def test_the_same_slides_give_the_same_bytes_with_fixed_dates(tmp_path):
    slides = layout(chapter(tmp_path))
    data = pptx_bytes(slides, INFO)
    _projector_image.cache_clear()  # every image made again
    assert data == pptx_bytes(slides, INFO)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-11-24T00:00:00Z" in core
    properties = Presentation(io.BytesIO(data)).core_properties
    assert (properties.title, properties.author) == ("2. Padding", "Its authors")
    assert properties.created.year == properties.modified.year == 2026
