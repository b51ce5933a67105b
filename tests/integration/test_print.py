"""The whole site on one page, printed to PDF by headless chromium: every figure in it."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from pypdf import PdfReader

from figures.registry import ANIMATIONS, FIGURES

LABELS = """() => [...document.querySelectorAll('figure.convdemo-figure')].map(figure => ({
    label: figure.querySelector('.convdemo-figure-number').textContent,
    caption: (() => {
        const caption = figure.querySelector('figcaption').cloneNode(true);
        caption.querySelectorAll('.convdemo-downloads').forEach(node => node.remove());
        return caption.textContent;
    })(),
    images: [...figure.querySelectorAll('img')]
        .filter(image => getComputedStyle(image).display !== 'none')
        .map(image => ({src: image.getAttribute('src'),
                        size: [image.naturalWidth, image.naturalHeight],
                        loaded: image.complete && image.naturalWidth > 0}))}))"""
# The same layout with the figures' images left blank: what the pages hold without them.
BLANK_FIGURES = "figure.convdemo-figure img { visibility: hidden !important; }"
# Path construction operators of a PDF content stream: moveto, lineto, curveto, rectangle.
PATH_OPERATOR = re.compile(rb"(?<![\w.])(?:m|l|c|re)(?=\s)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_printed_site_has_every_figure_in_light_ink(chromium, base, tmp_path, scheme):
    from checks.browser import visit

    result = visit(chromium, base + "print_page/", scheme)
    page = result.page
    try:
        assert result.errors == []
        page.emulate_media(media="print")
        figures = page.evaluate(LABELS)
        pdf, blank = tmp_path / "site.pdf", tmp_path / "blank.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        page.add_style_tag(content=BLANK_FIGURES)
        page.pdf(path=str(blank), format="A4", print_background=True)
    finally:
        page.context.close()

    assert len(figures) == len(FIGURES) + len(ANIMATIONS)
    for figure in figures:  # on paper: the light image, loaded, whatever the screen scheme;
        # an animation as its storyboard, every step in one picture
        (image,) = figure["images"]
        if "/animations/" in image["src"]:
            assert image["src"].endswith("-storyboard.webp"), figure["label"]
        else:
            assert image["src"].rpartition("#")[2] == "only-light", figure["label"]
        assert image["loaded"], figure["label"]

    reader, without = PdfReader(pdf), PdfReader(blank)
    assert 20 <= len(reader.pages) <= 200, len(reader.pages)
    assert len(without.pages) == len(reader.pages)  # hiding images keeps the layout
    texts = [_words(p.extract_text()) for p in reader.pages]
    letters = ["".join(text.split()) for text in texts]
    # Each figure's own caption ("Figure 2.1. Without padding, a 3×3 mask…"; the Figures
    # index repeats the labels, not the captions) is printed, and the figure is drawn on
    # the same sheet (a figure does not break from its caption): a photo or map as an
    # image of its own pixel size, a diagram as vector paths that the same layout
    # printed without images lacks.
    diagrams: Counter[int] = Counter()  # sheet → diagrams captioned on it
    rasters: dict[int, Counter[tuple[int, int]]] = {}  # sheet → pixel sizes captioned on it
    for figure in figures:
        caption = " ".join(_words(figure["caption"]).split()[:8])
        # Compared without spaces: the PDF's text puts a space after a code span
        # ("nn.Conv2d(1, 1, 3) , every") where the page has none.
        where = [n for n, text in enumerate(letters) if "".join(caption.split()) in text]
        assert len(where) == 1, f"{caption!r} is printed on sheets {where}, not once"
        (image,) = figure["images"]
        if image["src"].split("#")[0].endswith(".svg"):
            diagrams[where[0]] += 1
        else:
            rasters.setdefault(where[0], Counter())[tuple(image["size"])] += 1
    for sheet, count in diagrams.items():
        added = _paths(reader, sheet) - _paths(without, sheet)
        assert added >= 100 * count, f"sheet {sheet + 1}: {count} diagrams, {added} paths"
    for sheet, sizes in rasters.items():
        placed = Counter(_image_sizes(reader, sheet))
        assert sizes <= placed, f"sheet {sheet + 1}: images {dict(sizes)}, placed {dict(placed)}"
    text = " ".join(texts)
    for chapter in ("Padding", "Transposed convolution", "Cite this page"):
        assert chapter in text


def _words(text: str) -> str:
    """Text with every run of whitespace made one space (the PDF breaks lines anywhere)."""
    return " ".join(text.split())


def _paths(reader: PdfReader, number: int) -> int:
    """The path construction operators on one sheet (a diagram's lines, cells and glyphs)."""
    contents = reader.pages[number].get_contents()
    return 0 if contents is None else len(PATH_OPERATOR.findall(contents.get_data()))


def _image_sizes(reader: PdfReader, number: int) -> list[tuple[int, int]]:
    """The pixel sizes of the images placed on one sheet."""
    resources = reader.pages[number].get("/Resources") or {}
    objects = [item.get_object() for item in (resources.get("/XObject") or {}).values()]
    return [
        (int(item["/Width"]), int(item["/Height"]))
        for item in objects
        if item.get("/Subtype") == "/Image"
    ]
