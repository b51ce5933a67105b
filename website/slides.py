"""A chapter's slide deck, laid out once for both of its files (``.pptx`` and ``.pdf``).

A deck is a title slide, a slide per figure (the picture, its numbered caption and the
line that credits it under CC BY 4.0, with the figure's address) and the chapter's key
PyTorch lines on code slides. Everything is placed here, in inches on a 16:9 slide, with
the text already broken into lines, so the PowerPoint writer (``website.deck_pptx``) and
the PDF writer (``website.deck_pdf``) draw the same slides. Pure: no file is read.

The code comes from the chapter's Markdown: the Python blocks it shows (its
``--8<--`` snippets, read from the package), else the PyTorch modules its animations
step through, else the PyTorch calls it quotes inline.
"""

from __future__ import annotations

import functools
import html
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "DeckChapter",
    "DeckFigure",
    "Picture",
    "Slide",
    "Text",
    "fit",
    "key_lines",
    "layout",
    "plain_text",
    "projector_image",
]

#: A 16:9 slide, in inches (PowerPoint's "Widescreen").
SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5
#: Image pixels per inch of slide on a 1920×1080 projector.
PROJECTOR_DPI = 1920 / SLIDE_WIDTH
MARGIN = 0.5
#: The grey of secondary text (credits, page addresses): 7:1 on white.
MUTED = "#555555"
INK = "#222222"
#: Average advance of a character, in ems: sans-serif prose, and monospace code.
_SANS_EM, _MONO_EM = 0.52, 0.6
#: Code slides: lines a slide holds at the smallest size, and the sizes tried, in points.
CODE_LINES = 24
CODE_SIZES = (20, 18, 16, 14, 12)

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_SNIPPET = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"[ \t]*$', re.MULTILINE)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
#: A string that stands alone on its lines (a docstring): the page explains, the slide shows.
_DOCSTRING = re.compile(r'^[ \t]*[rR]?("""|\'\'\')(?:.|\n)*?\1[ \t]*\n', re.MULTILINE)
_PYTORCH = re.compile(r"^(?:torch|F|nn)\.\w+|\.\w+\(.*\)$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)(?:\{[^}]*\})?")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class Text:
    """Text in a box (left, top, width, height, in inches), broken into ``lines``."""

    box: tuple[float, float, float, float]
    lines: tuple[str, ...]
    size: float  # points
    bold: bool = False
    mono: bool = False
    colour: str = INK
    centred: bool = False
    link: str | None = None  # the address the text links to


@dataclass(frozen=True)
class Picture:
    """An image fitted in an area (left, top, width, height, inches): ``path`` on the
    slide (a GIF, placed as it is, when ``animated``), ``still`` on paper."""

    area: tuple[float, float, float, float]
    path: Path
    alt: str
    still: Path
    animated: bool = False
    photo: bool = False  # a photograph or feature map, not a diagram


@dataclass(frozen=True)
class Slide:
    elements: tuple[Text | Picture, ...]
    notes: str = ""  # the speaker's notes: what a figure shows, for reading aloud


@dataclass(frozen=True)
class DeckFigure:
    """One figure of the chapter: its label, caption and credit as plain text; the image
    for the slide (``image``, a GIF for an animation) and the still for the PDF
    (``still``, an animation's storyboard)."""

    name: str
    label: str
    caption: str
    alt: str
    credit: str
    image: Path
    still: Path
    animated: bool = False
    photo: bool = False


@dataclass(frozen=True)
class DeckChapter:
    number: int
    title: str
    url: str
    site: str  # the site's title
    authors: str
    figures: tuple[DeckFigure, ...] = ()
    code: tuple[str, ...] = field(default=())  # blocks of code, each its own lines


def plain_text(markdown: str) -> str:
    """A caption's Markdown as it reads: code, emphasis and link marks dropped."""
    text = _LINK.sub(r"\1", markdown)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _TAG.sub("", text).replace("\\", "")
    return " ".join(html.unescape(text).split())


def _section(source: str, name: str) -> str:
    """The lines between ``--8<-- [start:name]`` and ``--8<-- [end:name]``."""
    start = re.search(rf"--8<--\s*\[start:{re.escape(name)}\][^\n]*\n", source)
    end = re.search(rf"^[^\n]*--8<--\s*\[end:{re.escape(name)}\]", source, re.MULTILINE)
    if start is None or end is None or end.start() < start.end():
        raise ValueError(f"no snippet section {name!r}")
    lines = source[start.end() : end.start()].splitlines()
    return textwrap.dedent("\n".join(line for line in lines if "--8<--" not in line))


def key_lines(
    markdown: str,
    read: Callable[[str], str],
    modules: Sequence[str] = (),
) -> tuple[str, ...]:
    """The chapter's key PyTorch lines, as blocks of code.

    ``read(path)`` returns a snippet file's text (``path`` as the page names it, from the
    repository root); ``modules`` are the PyTorch modules the chapter's animations name.
    """
    blocks = []
    for language, body in _FENCE.findall(markdown):
        if language != "python":
            continue
        for include in _SNIPPET.findall(body):
            path, _, name = include.partition(":")
            code = _section(read(path), name) if name else read(path)
            blocks.append(_DOCSTRING.sub("", code))
        rest = _SNIPPET.sub("", body).strip()
        if rest:
            blocks.append(rest)
    if not blocks and modules:
        blocks.append("\n".join(dict.fromkeys(modules)))
    if not blocks:
        prose = _FENCE.sub("", markdown)
        calls = [code for code in _INLINE_CODE.findall(prose) if _PYTORCH.search(code)]
        if calls:
            blocks.append("\n".join(dict.fromkeys(calls)))
    return tuple(block.strip("\n") for block in blocks if block.strip())


def _wrap(text: str, width: float, size: float, em: float = _SANS_EM) -> tuple[str, ...]:
    """``text`` broken into lines that fit ``width`` inches at ``size`` points."""
    columns = max(10, int(width * 72 / (size * em)))
    return tuple(textwrap.wrap(text, columns, break_long_words=True, break_on_hyphens=False))


def _height(lines: Sequence[str], size: float) -> float:
    return len(lines) * size * 1.25 / 72


def fit(
    box: tuple[float, float, float, float], size: tuple[int, int]
) -> tuple[float, float, float, float]:
    """The largest box of the image's aspect ratio inside ``box``, centred."""
    left, top, width, height = box
    scale = min(width / size[0], height / size[1])
    w, h = size[0] * scale, size[1] * scale
    return (left + (width - w) / 2, top + (height - h) / 2, w, h)


def _title_slide(chapter: DeckChapter) -> Slide:
    width = SLIDE_WIDTH - 2 * MARGIN
    title = _wrap(chapter.title, width, 40)
    top = 2.2
    elements = [
        Text((MARGIN, 1.5, width, 0.5), (f"Chapter {chapter.number}",), 20, colour=MUTED),
        Text((MARGIN, top, width, _height(title, 40)), title, 40, bold=True),
    ]
    top += _height(title, 40) + 0.4
    elements.append(Text((MARGIN, top, width, 0.5), (chapter.site,), 20))
    credit = f"{chapter.authors} · CC BY 4.0 · {chapter.url}"
    lines = _wrap(credit, width, 14)
    box = (MARGIN, SLIDE_HEIGHT - MARGIN - _height(lines, 14), width, _height(lines, 14))
    elements.append(Text(box, lines, 14, colour=MUTED, link=chapter.url))
    return Slide(tuple(elements))


def _figure_slide(figure: DeckFigure) -> Slide:
    width = SLIDE_WIDTH - 2 * MARGIN
    caption = f"{figure.label}. {figure.caption}"
    size = 18 if len(caption) < 200 else 16 if len(caption) < 320 else 14
    lines = _wrap(caption, width, size)
    credit = _wrap(figure.credit, width, 11)
    bottom = SLIDE_HEIGHT - 0.35
    credit_box = (MARGIN, bottom - _height(credit, 11), width, _height(credit, 11))
    caption_top = credit_box[1] - 0.15 - _height(lines, size)
    picture_box = (MARGIN, 0.35, width, caption_top - 0.2 - 0.35)
    return Slide(
        (
            Picture(
                picture_box, figure.image, figure.alt, figure.still, figure.animated, figure.photo
            ),
            Text((MARGIN, caption_top, width, _height(lines, size)), lines, size),
            Text(credit_box, credit, 11, colour=MUTED, link=figure.credit.rpartition(" ")[2]),
        ),
        notes=figure.alt,
    )


def _code_slides(chapter: DeckChapter) -> list[Slide]:
    """The code, a slide per block (a long block split), at the largest size that fits."""
    width = SLIDE_WIDTH - 2 * MARGIN
    slides = []
    for block in chapter.code:
        lines = block.splitlines()
        for start in range(0, len(lines), CODE_LINES):
            part = lines[start : start + CODE_LINES]
            longest = max(len(line) for line in part)
            size = next(
                (
                    s
                    for s in CODE_SIZES
                    if longest * s * _MONO_EM / 72 <= width and _height(part, s) <= 5.9
                ),
                CODE_SIZES[-1],
            )
            heading = Text((MARGIN, 0.35, width, 0.6), ("In PyTorch",), 28, bold=True)
            code = Text((MARGIN, 1.2, width, _height(part, size)), tuple(part), size, mono=True)
            slides.append(Slide((heading, code)))
    return slides


def layout(chapter: DeckChapter) -> list[Slide]:
    """Every slide of a chapter's deck: title, a slide per figure, the code."""
    return [
        _title_slide(chapter),
        *(_figure_slide(figure) for figure in chapter.figures),
        *_code_slides(chapter),
    ]


def projector_image(path: Path, box: tuple[float, float, float, float], photo: bool) -> bytes:
    """The image at ``path`` as large as ``box`` on a 1920-pixel-wide projector (never
    enlarged), on the slide's white: what a slide needs, without the weight of a print
    resolution. A diagram as an RGB PNG; a photo or feature map as JPEG, a tenth of the
    bytes. Both files of a deck embed these very bytes: the image is made and encoded
    once (a file that changes is another)."""
    status = path.stat()
    pixels = min(4096, round(box[2] * PROJECTOR_DPI))
    return _projector_image(path, status.st_size, status.st_mtime_ns, pixels, photo)


@functools.lru_cache(maxsize=32)  # more than a chapter's figures: one deck's two files
def _projector_image(path: Path, size: int, modified: int, pixels: int, photo: bool) -> bytes:
    import io

    from PIL import Image

    with Image.open(path) as original:
        original.load()
        width = min(original.width, pixels)
        height = max(1, round(original.height * width / original.width))
        image: Image.Image = original
        if width < original.width:
            image = original.resize((width, height), Image.Resampling.LANCZOS)
        # On white, flat: the slides are white, and without an alpha channel the PDF
        # can embed the file's own compressed data as it is.
        flat = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        buffer = io.BytesIO()
        if photo:
            flat.save(buffer, format="JPEG", quality=90, optimize=True)
        else:
            flat.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
