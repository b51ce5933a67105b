"""The whole site on one page, printed to PDF by headless chromium: every figure in it."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from figures.registry import FIGURES

LABELS = """() => [...document.querySelectorAll('figure.convdemo-figure')].map(figure => ({
    label: figure.querySelector('.convdemo-figure-number').textContent,
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
    text = "\n".join(p.extract_text() for p in reader.pages)
    printed = set(re.findall(r"Figure \d+\.\d+", text))
    assert printed == {figure["label"].rstrip(".") for figure in figures}
    drawn = sum(
        len((p.get("/Resources") or {}).get("/XObject") or {}) for p in reader.pages
    )  # images and vector drawings placed on the pages
    assert drawn >= len(FIGURES)
    for chapter in ("Padding", "Transposed convolution", "Cite this page"):
        assert chapter in text
