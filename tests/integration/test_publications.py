"""What the site build makes from whole chapters: the book (one PDF) and a deck per chapter.

The book holds every chapter's title and every figure's caption, in order, on a sensible
number of pages; each chapter links its deck, whose PowerPoint file has a slide per figure
and animation with the figure's credit (its address on the site) and whose PDF has a page
a slide. A book that cannot be printed fails the build and leaves the site as it was.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from figures.manifest import write_atomic
from tests.integration.project import mkdocs, tree_digest
from website.book_print import contents_pages
from website.publications import BOOK, deck_files

_CAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.DOTALL)
_FIGURE = re.compile(r'<figure\b[^>]*\bid="fig-([^"]+)"')
_DOWNLOADS = re.compile(r'<span class="convdemo-downloads">.*?</span>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
PICTURE = 13  # python-pptx's MSO_SHAPE_TYPE.PICTURE


def squeezed(text: str) -> str:
    """Text with every space and line break dropped: the PDF's lines fall elsewhere."""
    return re.sub(r"\s+", "", text)


def plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def chapters(project: Path) -> list[tuple[str, str]]:
    """Each chapter as the navigation lists it, in order: (docs path, site path)."""
    config = yaml.load((project / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    (listed,) = [entry["Chapters"] for entry in config["nav"] if "Chapters" in entry]
    pages = [next(iter(entry.values())) for entry in listed]
    return [(page, page.removesuffix(".md") + "/index.html") for page in pages]


def chapter_figures(page: Path) -> list[tuple[str, str]]:
    """Each figure of a built chapter page, in order: (name, caption as it reads)."""
    text = page.read_text()
    names = _FIGURE.findall(text)
    captions = [plain(_DOWNLOADS.sub("", caption)) for caption in _CAPTION.findall(text)]
    assert len(names) == len(captions), page
    return list(zip(names, captions, strict=True))


def check_book(project: Path) -> None:
    site = project / "site"
    reader = PdfReader(site / BOOK)
    text = squeezed(" ".join(page.extract_text() for page in reader.pages))
    listed = chapters(project)
    assert 2 * len(listed) <= len(reader.pages) <= 400, len(reader.pages)
    position = 0
    for _, built in listed:
        page = site / built
        title = plain(_PERMALINK.sub("", _H1.search(page.read_text()).group(1)))
        found = text.find(squeezed(title), position)
        assert found >= 0, f"chapter title {title!r} not in the book, in order"
        position = found
        for name, caption in chapter_figures(page):
            assert squeezed(caption) in text, f"caption of {name} not in the book"
    home = (site / "index.html").read_text()
    assert 'href="book/convdemo.pdf"' in home
    check_contents(reader, (site / BOOK).read_bytes())


def check_contents(reader: PdfReader, data: bytes) -> None:
    """Each entry of the contents gives the page its chapter (or the answers) begins on:
    the page its link leads to, and the page that shows its title."""
    contents = next(t for t in (p.extract_text() for p in reader.pages[:6]) if "Contents\n" in t)
    entries = re.findall(r"^(?:\d+ )?(.+?) (\d+)$", contents.split("Contents\n", 1)[1], re.M)
    numbers = [int(page) for _, page in entries]
    assert len(entries) == len(contents_pages(data)) and numbers == sorted(numbers), contents
    assert sorted(numbers) == sorted(contents_pages(data).values())
    for title, page in entries:
        assert squeezed(title) in squeezed(reader.pages[int(page) - 1].extract_text()), title


def check_decks(project: Path) -> None:
    from pptx import Presentation

    site, config = project / "site", yaml.safe_load((project / "mkdocs.yml").read_text())
    address = config["site_url"].rstrip("/") + "/"
    for source, built in chapters(project):
        page = site / built
        files = deck_files(source)
        links = re.findall(r'href="([^"]+\.(?:pptx|pdf))"', page.read_text())
        assert [link.rpartition("/")[2] for link in links[:2]] == [
            Path(files["pptx"]).name,
            Path(files["pdf"]).name,
        ], source
        figures = chapter_figures(page)
        deck = Presentation(io.BytesIO((site / files["pptx"]).read_bytes()))
        assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001
        slides = list(deck.slides)
        pictured = [s for s in slides if any(x.shape_type == PICTURE for x in s.shapes)]
        assert len(pictured) == len(figures), source
        for slide, (name, caption) in zip(pictured, figures, strict=True):
            said = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            credit = f"CC BY 4.0, {address}{built.removesuffix('index.html')}#fig-{name}"
            assert credit in said, (source, name)
            assert squeezed(caption) in squeezed(said), (source, name)
            (picture,) = [x for x in slide.shapes if x.shape_type == PICTURE]
            kind = picture.image.content_type  # an animation as its GIF, which plays
            if (site / "animations" / f"{name}.gif").is_file():
                assert kind == "image/gif", (source, name)
            else:
                assert kind in ("image/png", "image/jpeg"), (source, name)
        pages = PdfReader(site / files["pdf"]).pages
        assert len(pages) == len(slides), source


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A private copy of the built project, to break."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def test_the_book_has_every_chapter_title_and_figure_caption(built):
    check_book(built)


def test_every_chapter_has_a_deck_with_a_credited_slide_per_figure(built):
    check_decks(built)


def test_a_book_that_cannot_be_printed_fails_the_build_and_keeps_the_site(project):
    """Another Chromium makes the book's key stale; that one does not exist."""
    before = tree_digest(project / "site")
    missing = project / "no-chromium"
    result = mkdocs(project, "build", "--strict", CONVDEMO_CHROMIUM=str(missing))
    assert result.returncode != 0
    assert f"the book {BOOK}" in result.stderr and str(missing) in result.stderr
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site-*"))


@pytest.mark.parametrize("stale", [["padding.md"], ["transposed.md", "padding.md"]])
def test_a_deck_that_cannot_be_made_fails_the_build_naming_it(project, stale):
    """The padding deck made again (its record dropped) from GIFs that are not GIFs:
    alone, in this process; with another deck, in worker processes. The first chapter's
    deck is named either way."""
    before = tree_digest(project / "site")
    record = project / "cache" / "products" / "products.json"
    made = json.loads(record.read_text())
    for page in stale:
        del made[deck_files(page)["pptx"]]
    record.write_text(json.dumps(made))
    # Replaced, as the figure build writes: the published site links the old files.
    for gif in (project / "cache" / "animations").glob("*.gif"):
        write_atomic(gif, b"not a GIF")
    # Two processes whatever the machine has, so two stale decks go to the workers.
    result = mkdocs(project, "build", "--strict", CONVDEMO_FIGURES="off", CONVDEMO_JOBS="2")
    assert result.returncode != 0
    assert "slide deck slides/padding.pptx of padding.md: " in result.stderr
    assert "cannot identify image file" in result.stderr
    assert tree_digest(project / "site") == before


def test_a_copy_for_paper_compressed_least_prints_the_same_book(tmp_path):
    """The book's storyboards are copied as PNGs with the fastest compression: Chromium
    decodes a PNG and compresses its pixels itself, so the book's bytes are the same as
    from a copy compressed most, at a fifth of the time."""
    from PIL import Image, ImageDraw

    from website.book import BookPage
    from website.book_print import print_book

    board = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(board)
    for step in range(12):
        draw.rectangle((step * 50, 40, step * 50 + 40, 80 + step * 15), fill=(20 * step, 90, 200))
        draw.text((step * 50 + 8, 120 + step * 10), str(step), fill="black")
    flat = board.quantize(128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    printed, files = [], []
    for level in (1, 9):
        path = tmp_path / f"board-{level}.png"
        flat.save(path, compress_level=level)
        files.append(path.read_bytes())
        page = f'<nav class="book-contents"></nav><p><img src="{path.as_uri()}"></p>'
        printed.append(print_book(BookPage(page, ()), {"Title": "Board"}, "2026-12-03"))
    assert files[0] != files[1]
    assert printed[0] == printed[1]
