"""The book printed to PDF by Debian's Chromium, its contents numbered, its bytes fixed.

Chromium is the browser the site is written for and tested in, so the book looks like
the site's print page; Playwright drives it as the browser tests do (headless, with their
arguments), and refuses every request that is not for a local file, so the book can load
nothing from outside. CSS page rules give A4 sheets and page numbers; the PDF is tagged
and has an outline.

Chromium cannot number the contents itself (no ``target-counter``), so the book is
printed, the page of each contents entry read from the PDF's named destinations (the
targets of the contents' links), and printed again with those numbers; once more if that
moved anything. The PDF is then rewritten by pypdf with the book's own properties, the
release date as its dates, stable names for its tagged table cells and an identifier
made from its content, so the same sources give the same bytes.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import io
import logging
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from website.book import ANSWERS, CHROMIUM, BookError

__all__ = [
    "CHROMIUM",
    "contents_pages",
    "normalise_pdf",
    "print_book",
    "print_copy",
    "print_pdf",
    "stable_ids",
]

#: Chromium's arguments, as the browser tests launch it (``checks.browser``).
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")
#: Seconds Chromium may take to print the book before the build gives up.
TIMEOUT = 600
#: Printings at most: the first with placeholders, then until the numbers hold.
PASSES = 3
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
        flat.quantize(PRINT_COLOURS, method=fast, dither=Image.Dither.NONE).save(
            target, compress_level=9
        )
    else:
        target = folder / f"{name}.jpg"
        flat.save(target, quality=90)
    return target


def print_pdf(page: Path, chromium: Path = CHROMIUM) -> bytes:
    """The PDF Chromium prints of an HTML file; ``BookError`` saying why if it cannot.

    Printed from a thread of its own: Playwright's synchronous API refuses to start in a
    thread where an asyncio loop runs (another Playwright session, a notebook kernel)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print_pdf, page, chromium).result()


def _print_pdf(page: Path, chromium: Path) -> bytes:
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
                return tab.pdf(
                    prefer_css_page_size=True, print_background=True, outline=True, tagged=True
                )
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


def _listed(item: object, names: Mapping[str, str]) -> bool:
    return isinstance(item, (TextStringObject, ByteStringObject)) and str(item) in names


def _renamed(value: object, names: Mapping[str, str]) -> None:
    """Every string in ``value`` (a dictionary or array, not following references) that
    ``names`` lists, replaced by its new name."""
    if isinstance(value, DictionaryObject):
        for key, item in list(value.items()):
            if _listed(item, names):
                value[key] = TextStringObject(names[str(item)])
            else:
                _renamed(item, names)
    elif isinstance(value, ArrayObject):
        for index, item in enumerate(value):
            if _listed(item, names):
                value[index] = TextStringObject(names[str(item)])
            else:
                _renamed(item, names)


def _sorted_tree(node: DictionaryObject) -> list[str]:
    """A name tree's entries sorted again by name, its limits set; the names it holds."""
    if "/Names" in node:
        entries = cast(ArrayObject, node["/Names"].get_object())
        pairs = sorted(zip(entries[::2], entries[1::2], strict=True), key=lambda p: str(p[0]))
        node[NameObject("/Names")] = ArrayObject(item for pair in pairs for item in pair)
        held = [str(name) for name, _ in pairs]
    else:
        held = [n for kid in node.get("/Kids", []) for n in _sorted_tree(kid.get_object())]
    if held and "/Limits" in node:
        node[NameObject("/Limits")] = ArrayObject(
            TextStringObject(n) for n in held[:: len(held) - 1 or 1]
        )
    return held


def stable_ids(writer: PdfWriter) -> None:
    """Chromium names the tagged cells of a table after its DOM nodes ("node00001926"),
    numbers that differ from one printing to the next: they are renamed ``id000001``…
    in the order of the file, wherever they are used (the cells' ``/Headers``, the
    structure's ID tree, kept sorted)."""
    names: dict[str, str] = {}
    for item in writer._objects:
        if isinstance(item, DictionaryObject) and "/ID" in item and item.get("/S"):
            names.setdefault(str(item["/ID"]), f"id{len(names) + 1:06d}")
    if not names:
        return
    for item in writer._objects:
        if item is not None:
            _renamed(item, names)
    tree = writer._root_object.get("/StructTreeRoot")
    if tree is not None and "/IDTree" in tree.get_object():
        _sorted_tree(tree.get_object()["/IDTree"].get_object())


def normalise_pdf(pdf: bytes, properties: Mapping[str, str], date: str) -> bytes:
    """``pdf`` with the given document properties, ``date`` (``YYYY-MM-DD``) as its
    creation and modification dates, and an identifier made from its content."""
    stamp = "D:" + date.replace("-", "") + "000000Z"
    with _quiet_pypdf():
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stable_ids(writer)
    writer.add_metadata(
        {**{f"/{key}": value for key, value in properties.items()}}
        | {"/CreationDate": stamp, "/ModDate": stamp}
    )
    # The identifier is the digest of the file written with a blank one: Chromium's own
    # output carries the time of printing, so it cannot be hashed as it comes.
    writer._ID = ArrayObject([ByteStringObject(bytes(16))] * 2)
    blank = io.BytesIO()
    writer.write(blank)
    identifier = ByteStringObject(hashlib.md5(blank.getvalue(), usedforsecurity=False).digest())
    writer._ID = ArrayObject([identifier, identifier])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def print_book(
    make_html: Callable[[Mapping[str, int] | None], str],
    properties: Mapping[str, str],
    date: str,
    chromium: Path = CHROMIUM,
) -> bytes:
    """Print the book, its contents numbered: ``make_html(pages)`` gives its HTML with
    those page numbers (placeholders for ``None``)."""
    pages: dict[str, int] | None = None
    with tempfile.TemporaryDirectory(prefix="convdemo-book-") as folder:
        page = Path(folder) / "book.html"
        for _ in range(PASSES):
            page.write_text(make_html(pages), encoding="utf-8")
            pdf = print_pdf(page, chromium)
            found = contents_pages(pdf)
            if found == pages:
                break
            pages = found
        else:
            raise BookError(f"the contents' page numbers did not settle in {PASSES} printings")
    return normalise_pdf(pdf, properties, date)
