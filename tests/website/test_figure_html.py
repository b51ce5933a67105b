"""A figure's markup: each scheme's image a link the lightbox opens alone, downloads in
both schemes, all of it as Markdown the builder checks."""

from __future__ import annotations

import html.parser

import markdown

from figures.manifest import FigureRecord
from figures.spec import animation, figure
from website.figure_html import ZOOM_CLASS, download_title, figure_html, scheme_images
from website.markup import FigureRow, PageMarkup
from website.markup import expand as expand_page

SPEC = figure("padding-none", "convdemo.grids:padding_grid")
RECORD = FigureRecord("padding-none", "m:f", SPEC.outputs, (385, 212))
ALT = 'A grid of "cells" [with brackets], the kernel\'s window | outlined.'
EXTENSIONS = ["attr_list", "md_in_html", "tables"]


class _Links(html.parser.HTMLParser):
    """Every link of a piece of HTML, with its attributes and the images inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {"attributes": dict(attrs), "images": []}
            self.links.append(self._open)
        elif tag == "img" and self._open is not None:
            self._open["images"].append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def links_of(text: str) -> list[dict]:
    parser = _Links()
    parser.feed(markdown.markdown(text, extensions=EXTENSIONS))
    return parser.links


def zoom_links(text: str) -> list[dict]:
    return [
        link
        for link in links_of(text)
        if ZOOM_CLASS in (link["attributes"].get("class") or "").split()
    ]


def test_each_scheme_image_is_a_link_to_itself_in_a_gallery_of_its_own():
    text = figure_html("padding-none", ALT, "A caption.", "Figure 2.1", RECORD, "/")
    light, dark = zoom_links(text)
    for link, scheme, file in (
        (light, "light", "padding-none"),
        (dark, "dark", "padding-none-dark"),
    ):
        attributes = link["attributes"]
        (image,) = link["images"]
        assert attributes["href"] == image["src"] == f"/figures/{file}.svg#only-{scheme}"
        assert attributes["class"].split() == ["glightbox", ZOOM_CLASS]
        assert attributes["data-type"] == "image"
        # One gallery per figure and scheme: the lightbox never offers the other scheme.
        assert attributes["data-gallery"] == f"fig-padding-none-{scheme}"
        assert attributes["data-alt"] == image["alt"] == ALT  # quotes and all, unescaped
        assert attributes["data-description"] == "Figure 2.1"
        assert "title" not in attributes  # it would replace the alt text as the image's name
        assert (image["width"], image["height"], image["loading"]) == ("385", "212", "lazy")


def test_the_downloads_are_named_for_their_scheme_and_not_zoomed():
    text = figure_html("padding-none", ALT, "A caption.", "Figure 2.1", RECORD, "/")
    downloads = [link for link in links_of(text) if "download" in link["attributes"]]
    assert [link["attributes"]["href"] for link in downloads] == [
        f"/figures/padding-none{suffix}.{ext}"
        for suffix in ("", "-dark")
        for ext in ("svg", "pdf", "png")
    ]
    assert not any(ZOOM_CLASS in (link["attributes"].get("class") or "") for link in downloads)
    assert download_title("png", "light") == "PNG (3×)"
    assert download_title("png", "dark") == "PNG (3×, dark)"
    assert download_title("pdf", "dark") == "PDF (dark)"


def test_a_figure_without_dark_downloads_has_no_empty_row():
    outputs = SPEC.outputs
    light_only = {key: path for key, path in outputs.downloads.items() if "dark" not in key}
    record = FigureRecord("padding-none", "m:f", type(outputs)(outputs.pages, light_only), None)
    text = figure_html("padding-none", ALT, "A caption.", "Figure 2.1", record, "/")
    assert "For dark slides" not in text


def test_thumbnails_in_a_table_keep_their_cell_and_galleries_of_their_own():
    row = "| " + scheme_images(RECORD, ALT, "Figure 2.1", "/", 'width="180"', " ", True, "index")
    table = f"| Figure | Image |\n|---|---|\n{row} | end |\n"
    converted = markdown.markdown(table, extensions=EXTENSIONS)
    assert converted.count("<td>") == 2 and "<td>end</td>" in converted
    galleries = [link["attributes"]["data-gallery"] for link in zoom_links(table)]
    assert galleries == ["index-padding-none-light", "index-padding-none-dark"]
    assert [link["images"][0]["alt"] for link in zoom_links(table)] == [ALT, ALT]


def test_the_figure_index_zooms_figures_and_storyboards_but_not_animations_on_their_page():
    player = animation("conv-numbers", "convdemo.animations:sliding_window")
    record = FigureRecord("conv-numbers", "m:a", player.outputs, (300, 200))
    rows = [
        FigureRow("padding-none", RECORD, "padding.md", "Padding", "A grid.", "Figure 2.1"),
        FigureRow("conv-numbers", record, "convolution.md", "Conv", "Steps.", "Figure 1.1"),
    ]
    markup = PageMarkup()
    markup.use({}, {"padding-none": RECORD, "conv-numbers": record})
    markup.page, markup.index = "figures.md", rows
    text, _ = expand_page(":::figure-index\n", markup.context())
    hrefs = [link["attributes"]["href"] for link in zoom_links(text)]
    assert hrefs == [
        "/figures/padding-none.svg#only-light",
        "/figures/padding-none-dark.svg#only-dark",
        "/animations/conv-numbers-storyboard.webp",
    ]
    # Each row offers its downloads in both schemes, an animation its GIF first.
    downloads = [
        link["attributes"]["href"] for link in links_of(text) if "download" in link["attributes"]
    ]
    assert downloads == [
        *(f"/figures/padding-none{s}.{e}" for s in ("", "-dark") for e in ("svg", "pdf", "png")),
        *(
            "/" + player.outputs.downloads[f"{e}{s}"]
            for s in ("", "-dark")
            for e in ("gif", "svg", "pdf")
        ),
    ]
