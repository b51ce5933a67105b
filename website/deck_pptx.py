"""A deck's slides written as PowerPoint (``.pptx``, 16:9), the same bytes every time.

python-pptx stamps the core properties with the time of saving and its zip writer stamps
every entry; both are fixed here (to the site's release date, and to 1980-01-01, the
zip format's first day), so a rebuild from the same sources gives the same file. An
animation is embedded as its GIF, every frame kept: PowerPoint, Keynote and Google
Slides play it in the slide show. Every picture carries its alt text, and a figure's
slide has it in the speaker's notes too.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from website.slides import SLIDE_HEIGHT, SLIDE_WIDTH, Picture, Slide, Text, fit, projector_image

__all__ = ["CODE_FONT", "DeckInfo", "normalise_zip", "pptx_bytes"]

#: A monospace face every presentation program has.
CODE_FONT = "Courier New"
#: The blank layout of python-pptx's default template.
_BLANK = 6
#: Zip entries' timestamp: the earliest a zip file can hold.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DeckInfo:
    """What a deck file says about itself (its document properties)."""

    title: str
    author: str
    subject: str
    date: str  # ISO date: created and modified
    keywords: str = "CC BY 4.0"


def _text(slide: object, element: Text) -> None:
    left, top, width, height = (Inches(value) for value in element.box)
    shape = slide.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    frame = shape.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    # Prose is one paragraph, which the reader's program wraps (and re-wraps when edited);
    # code keeps its lines.
    paragraphs = element.lines if element.mono else (" ".join(element.lines),)
    for number, line in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER if element.centred else PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = line
        font = run.font
        font.size, font.bold = Pt(element.size), element.bold
        red, green, blue = bytes.fromhex(element.colour.lstrip("#"))
        font.color.rgb = RGBColor(red, green, blue)
        if element.mono:
            font.name = CODE_FONT
        if element.link:
            run.hyperlink.address = element.link


def _picture(slide: object, element: Picture) -> None:
    with Image.open(element.path) as image:
        size = image.size
    left, top, width, height = fit(element.area, size)
    # A GIF goes in whole, so it still plays; a still, at the projector's resolution.
    source = (
        str(element.path)
        if element.animated
        else io.BytesIO(projector_image(element.path, (left, top, width, height), element.photo))
    )
    picture = slide.shapes.add_picture(  # type: ignore[attr-defined]
        source, Inches(left), Inches(top), Inches(width), Inches(height)
    )
    picture._element.nvPicPr.cNvPr.set("descr", element.alt)


def normalise_zip(data: bytes) -> bytes:
    """The same zip, every entry with a fixed time and attributes, in the same order."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, _ZIP_TIME)
            info.compress_type, info.external_attr, info.create_system = (
                zipfile.ZIP_DEFLATED,
                0o644 << 16,
                3,
            )
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()


def pptx_bytes(slides: Sequence[Slide], info: DeckInfo) -> bytes:
    """The slides as a 16:9 PowerPoint file."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = (
        Inches(SLIDE_WIDTH),
        Inches(SLIDE_HEIGHT),
    )
    layout = presentation.slide_layouts[_BLANK]
    for content in slides:
        slide = presentation.slides.add_slide(layout)
        for element in content.elements:
            if isinstance(element, Text):
                _text(slide, element)
            else:
                _picture(slide, element)
        if content.notes:
            slide.notes_slide.notes_text_frame.text = content.notes
    properties = presentation.core_properties
    date = dt.datetime.fromisoformat(info.date)
    properties.title, properties.author, properties.subject = info.title, info.author, info.subject
    properties.keywords, properties.last_modified_by = info.keywords, info.author
    properties.created = properties.modified = properties.last_printed = date
    properties.revision = 1
    buffer = io.BytesIO()
    presentation.save(buffer)
    return normalise_zip(buffer.getvalue())
