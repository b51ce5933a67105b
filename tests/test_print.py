"""The whole site on one page, printed to PDF by headless chromium: every figure in it."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from figures.registry import FIGURES

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
                        loaded: image.complete && image.naturalWidth > 0}))}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_printed_site_has_every_figure_in_light_ink(chromium, base, tmp_path, scheme):
    from figures.weight import visit

    result = visit(chromium, base + "print_page/", scheme)
    page = result.page
    try:
        assert result.errors == []
        page.emulate_media(media="print")
        figures = page.evaluate(LABELS)
        pdf = tmp_path / "site.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        page.context.close()

    assert len(figures) == len(FIGURES)
    for figure in figures:  # on paper: the light image, loaded, whatever the screen scheme
        assert [image["src"].rpartition("#")[2] for image in figure["images"]] == ["only-light"]
        assert all(image["loaded"] for image in figure["images"]), figure["label"]

    reader = PdfReader(pdf)
    assert 20 <= len(reader.pages) <= 200, len(reader.pages)
    texts = [_words(p.extract_text()) for p in reader.pages]
    # Each figure's own caption ("Figure 2.1. Without padding, a 3×3 mask…"; the Figures
    # index repeats the labels, not the captions) is printed, and the page it ends on or
    # the one before holds a drawing: the image, which sits above its caption.
    for figure in figures:
        caption = " ".join(_words(figure["caption"]).split()[:8])
        where = [number for number, text in enumerate(texts) if caption in text]
        assert where, f"{caption!r} is not in the PDF"
        assert any(_drawings(reader, page) for page in (where[0] - 1, where[0])), caption
    text = " ".join(texts)
    for chapter in ("Padding", "Transposed convolution", "Cite this page"):
        assert chapter in text


def _words(text: str) -> str:
    """Text with every run of whitespace made one space (the PDF breaks lines anywhere)."""
    return " ".join(text.split())


def _drawings(reader: PdfReader, number: int) -> int:
    """The images and vector drawings (XObjects) placed on one page of the PDF."""
    if number < 0:
        return 0
    resources = reader.pages[number].get("/Resources") or {}
    return len(resources.get("/XObject") or {})
