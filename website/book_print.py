"""The book printed to PDF by Debian's Chromium, its contents numbered, its bytes fixed.

Chromium is the browser the site is written for and tested in, so the book looks like
the site's print page; Playwright drives it as the browser tests do (headless, with their
arguments), and refuses every request that is not for a local file, so the book can load
nothing from outside. CSS page rules give A4 sheets and page numbers; the PDF is tagged
and has an outline.

Chromium cannot number the contents itself (no ``target-counter``), so the page of each
contents entry is read from a PDF's named destinations (the targets of the contents'
links). A first, quick printing finds them: its images are hidden, not removed, so every
box keeps its place, and hiding them spares encoding them. The contents, numbered, take
the place of the placeholders in the loaded page, and the book is printed; once more if
that moved anything. All of it is one Chromium and one loading of the page.
``website.book_pdf`` then fixes the bytes that change from one printing to the next.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import logging
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pypdf import PdfReader

from website.book import ANSWERS, CHROMIUM, CONTENTS, BookError, BookPage
from website.book_pdf import PdfFormError, normalise_pdf

if TYPE_CHECKING:
    from playwright.sync_api import Page

_T = TypeVar("_T")

__all__ = [
    "CHROMIUM",
    "contents_pages",
    "print_book",
    "print_copy",
]

#: Chromium's arguments, as the browser tests launch it (``checks.browser``).
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")
#: Seconds Chromium may take to print the book before the build gives up.
TIMEOUT = 600
#: Printings of the whole book at most, until the contents' numbers hold.
PASSES = 3
#: What the book's PDF is printed with; the quick printing needs no outline and no tags.
PDF: dict[str, Any] = {
    "prefer_css_page_size": True, "print_background": True, "outline": True, "tagged": True
}  # fmt: skip
QUICK: dict[str, Any] = {"prefer_css_page_size": True, "outline": False, "tagged": False}
#: Hidden for the quick printing: what takes the time to print, but keeps its box.
BLANK_IMAGES = "img, svg, video, canvas, object { visibility: hidden !important; }"
_REPLACE = "([selector, html]) => { document.querySelector(selector).outerHTML = html; }"
#: Raster images on paper: pixels across (about 220 per inch across the text), and the
#: colours of a storyboard.
PRINT_WIDTH, PRINT_COLOURS = 1500, 128


def print_copy(source: Path, folder: Path, name: str) -> Path:
    """A copy of a raster image fit for paper and light to embed: Chromium re-encodes a
    PNG or WebP without loss at its full size, but embeds a JPEG as it is. A storyboard
    (a diagram) is narrowed to ``PRINT_WIDTH`` and reduced to ``PRINT_COLOURS`` flat
    colours, losslessly compressed; anything else (a photo, a feature map) becomes a
    JPEG on white."""
    from PIL import Image

    with Image.open(source) as image:
        image.load()
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    if flat.width > PRINT_WIDTH:
        height = round(flat.height * PRINT_WIDTH / flat.width)
        flat = flat.resize((PRINT_WIDTH, height), Image.Resampling.LANCZOS)
    if source.stem.endswith("-storyboard"):
        target = folder / f"{name}.png"
        # Octree: as faithful to a diagram's flat colours as median cut, fifteen times
        # faster, and a file half the size.
        fast = Image.Quantize.FASTOCTREE
        # Compressed least: Chromium decodes the file and compresses the pixels itself,
        # so the PDF is the same bytes whatever the level (9 took 1.5 s of 3.4).
        flat.quantize(PRINT_COLOURS, method=fast, dither=Image.Dither.NONE).save(
            target, compress_level=1
        )
    else:
        target = folder / f"{name}.jpg"
        flat.save(target, quality=90)
    return target


def _in_browser(page: Path, chromium: Path, work: Callable[[Page], _T]) -> _T:
    """What ``work`` makes of ``page`` loaded in Chromium; ``BookError`` if it fails.

    From a thread of its own: Playwright's synchronous API refuses to start in a thread
    where an asyncio loop runs (another Playwright session, a notebook kernel)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_run_in_browser, page, chromium, work).result()


def _run_in_browser(page: Path, chromium: Path, work: Callable[[Page], _T]) -> _T:
    if not chromium.is_file():
        raise BookError(
            f"the book needs Debian's Chromium at {chromium}: apt-get install chromium "
            "(make site installs it)"
        )
    from playwright.sync_api import Error, Route, sync_playwright

    def local_only(route: Route) -> None:  # the book loads nothing from another host
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=list(ARGS), timeout=TIMEOUT * 1000
            )
            try:
                tab = browser.new_page()
                tab.route("**/*", local_only)
                tab.goto(page.as_uri(), wait_until="load", timeout=TIMEOUT * 1000)
                return work(tab)
            finally:
                browser.close()
    except Error as error:
        # What went wrong, then what Chromium itself said (Playwright logs much more).
        lines = [line.strip().removeprefix("- ") for line in str(error).strip().splitlines()]
        said = "\n".join(dict.fromkeys(lines[:1] + [ln for ln in lines if "[err]" in ln][-5:]))
        raise BookError(f"Chromium could not print the book: {said}") from None


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf warns, on every read, that Skia's trailer counts fewer objects than it wrote:
    harmless, and not for the build's log."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def contents_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) of each chapter and of the answers: the contents' link targets."""
    with _quiet_pypdf():
        return _contents_pages(PdfReader(io.BytesIO(pdf)))


def _contents_pages(reader: PdfReader) -> dict[str, int]:
    pages = {}
    for name, destination in reader.named_destinations.items():
        anchor = name.lstrip("/")
        if anchor.startswith("chapter-") or anchor == ANSWERS:
            number = reader.get_destination_page_number(destination)
            if number is not None:
                pages[anchor] = number + 1
    return pages


def print_book(
    book: BookPage,
    properties: Mapping[str, str],
    date: str,
    chromium: Path = CHROMIUM,
) -> bytes:
    """Print the book, its contents numbered."""

    def numbered(tab: Page) -> bytes:
        blank = tab.add_style_tag(content=BLANK_IMAGES)
        pages = contents_pages(tab.pdf(**QUICK))
        blank.evaluate("node => node.remove()")
        for _ in range(PASSES):
            tab.evaluate(_REPLACE, [CONTENTS, book.contents(pages)])
            pdf: bytes = tab.pdf(**PDF)
            found = contents_pages(pdf)
            if found == pages:
                return pdf
            pages = found
        raise BookError(f"the contents' page numbers did not settle in {PASSES} printings")

    with tempfile.TemporaryDirectory(prefix="convdemo-book-") as folder:
        page = Path(folder) / "book.html"
        page.write_text(book.html, encoding="utf-8")
        pdf = _in_browser(page, chromium, numbered)
    try:
        return normalise_pdf(pdf, properties, date)
    except PdfFormError as error:
        raise BookError(f"Chromium's PDF cannot be made reproducible: {error}") from None
