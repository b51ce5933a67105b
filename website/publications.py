"""Downloads made from whole chapters: a slide deck per chapter, and the book.

This is the one place that names their files (``slides/padding.pptx`` and ``.pdf``,
``book/convdemo.pdf``), writes the line a chapter links its deck with, and keeps them in
the figure cache (``products/``) under a key: the digest of everything that goes into
them (the chapter's captions, credits, code, the figures' bytes as the manifest records
them, the code and versions of what draws them). A warm build computes the keys and
makes nothing; the site build links the files into the site from the cache once they
are made (``website.publisher``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from figures.manifest import write_atomic
from website import book, slides
from website.citation import MONTH_NAMES, Release, figure_credit
from website.markup import FigureRow
from website.slides import DeckChapter, DeckFigure, key_lines, plain_text

__all__ = [
    "BOOK",
    "PRODUCTS",
    "ChapterSource",
    "Products",
    "book_key",
    "deck_chapter",
    "deck_files",
    "deck_key",
    "make_book",
    "make_deck",
    "with_slides_line",
]

#: The book, where the site publishes it.
BOOK = "book/convdemo.pdf"
#: The cache folder of decks and book, laid out as the site publishes them.
PRODUCTS = "products"
_RECORD = "products.json"
_H1 = re.compile(r"^#[ \t]+.+$", re.MULTILINE)
_LIBRARIES = ("python-pptx", "matplotlib", "pillow", "pypdf")


@dataclass(frozen=True)
class ChapterSource:
    """A chapter as its Markdown says: ``page`` its path in ``docs/``, ``url`` its address,
    ``markdown`` its text with the numbers filled in."""

    page: str
    number: int
    title: str
    url: str
    markdown: str


def deck_files(page: str) -> dict[str, str]:
    """The deck of the chapter at ``page`` (``padding.md``): PowerPoint and PDF."""
    stem = posixpath.splitext(page)[0].replace("/", "-")
    return {"pptx": f"slides/{stem}.pptx", "pdf": f"slides/{stem}.pdf"}


def with_slides_line(markdown: str, page: str) -> str:
    """The chapter with the links to its deck under its title (downloads: nothing is
    fetched until one is clicked)."""
    files = deck_files(page)
    links = " · ".join(
        f'[{title}](/{files[kind]}){{ download="{posixpath.basename(files[kind])}" }}'
        for kind, title in (("pptx", "PowerPoint, 16:9"), ("pdf", "PDF"))
    )
    line = f"\n\nSlides of this chapter: {links}\n{{ .convdemo-slides }}\n\n"
    title = _H1.search(markdown)
    at = title.end() if title else 0
    return markdown[:at] + line + markdown[at:].lstrip("\n")


def _sources(*modules: str) -> list[str]:
    """The digests of the named modules' source files, found without importing them: a
    warm build checks the decks and the book without loading matplotlib or python-pptx."""
    found = [importlib.util.find_spec(f"website.{name}") for name in modules]
    return [
        hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()
        for spec in found
        if spec is not None and spec.origin is not None
    ]


def _versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class Products:
    """Decks and book in the cache, each with the key it was made from."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / PRODUCTS
        try:
            self.record: dict[str, str] = json.loads((self.folder / _RECORD).read_text())
        except (OSError, ValueError):
            self.record = {}
        self.versions = _versions()

    def fresh(self, path: str, key: str) -> bool:
        return self.record.get(path) == key and (self.folder / path).is_file()

    def store(self, path: str, key: str, data: bytes) -> None:
        (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / path, data)
        self.record[path] = key
        write_atomic(self.folder / _RECORD, json.dumps(self.record, indent=1).encode())


def deck_chapter(
    source: ChapterSource,
    rows: Sequence[FigureRow],
    release: Release,
    cache_dir: Path,
    numbers: Mapping[str, Mapping[str, Any]],
    read: Callable[[str], str],
) -> DeckChapter:
    """What the chapter's deck shows: its figures in order, their captions and credits,
    and its key PyTorch lines."""
    figures, modules = [], []
    for row in rows:
        if row.page != source.page:
            continue
        outputs = row.record.outputs
        animated = outputs.storyboard is not None
        image = outputs.downloads["gif" if animated else "png"]
        still = outputs.storyboard or image
        address = f"{row.url}#fig-{row.name}"
        credit = figure_credit(row.label, row.title, release.title, release.authors, address)
        caption = plain_text(row.caption)
        figures.append(
            DeckFigure(
                row.name,
                row.label,
                caption,
                row.alt,
                " ".join(credit),
                cache_dir / image,
                cache_dir / still,
                animated,
                photo=any(path.endswith(".webp") for path in outputs.pages.values()),
            )
        )
        if "module" in numbers.get(row.name, {}):
            modules.append(str(numbers[row.name]["module"]))
    code = key_lines(source.markdown, read, modules)
    return DeckChapter(
        source.number, source.title, source.url, release.title, release.authors,
        tuple(figures), code,
    )  # fmt: skip


def deck_key(
    chapter: DeckChapter, digests: Mapping[str, str], cache_dir: Path, extra: object
) -> str:
    """The digest of everything the deck is made from; ``digests`` are the figure
    files', by path in the cache, as the manifest records them."""
    described = asdict(chapter)
    files = []
    for figure in described["figures"]:  # by path in the cache: a moved cache is no change
        for kind in ("image", "still"):
            figure[kind] = Path(figure[kind]).relative_to(cache_dir).as_posix()
            files.append(digests.get(figure[kind], ""))
    return _digest(described, files, _sources("slides", "deck_pptx", "deck_pdf"), extra)


def make_deck(chapter: DeckChapter, release: Release) -> dict[str, bytes]:
    """The deck's two files, by kind."""
    from website import deck_pdf, deck_pptx  # matplotlib and python-pptx: only when made

    info = deck_pptx.DeckInfo(
        title=f"{chapter.number}. {chapter.title}",
        author=release.authors,
        subject=f"Chapter {chapter.number} of {release.title}, {chapter.url}",
        date=release.date,
    )
    laid_out = slides.layout(chapter)
    return {"pptx": deck_pptx.pptx_bytes(laid_out, info), "pdf": deck_pdf.pdf_bytes(laid_out, info)}


_CSS = Path(__file__).with_name("book.css")


def book_key(
    chapters: Sequence[book.BookChapter],
    digests: Mapping[str, str],
    styles: Sequence[str],
    extra: object,
) -> str:
    """The digest of the book's chapters as rendered, every figure file, the stylesheets
    (the theme's names carry their content's hash), Chromium's build and the code."""
    chromium = book.CHROMIUM
    # Size and modification time: another build of Chromium is another book. Not the
    # access time, which running Chromium (to print this very book) moves.
    info = chromium.resolve().stat() if chromium.exists() else None
    build = [info.st_size, info.st_mtime_ns] if info else None
    code = [*_sources("book", "book_print"), hashlib.sha256(_CSS.read_bytes()).hexdigest()]
    return _digest([asdict(c) for c in chapters], dict(digests), list(styles), build, code, extra)


def make_book(
    chapters: Sequence[book.BookChapter],
    release: Release,
    description: str,
    licence: str,
    citation: str,
    locate: Callable[[str], str],
    styles: Sequence[str],
) -> bytes:
    year, month, day = (int(part) for part in release.date.split("-"))
    info = book.BookInfo(
        release.title, description, release.authors, release.version,
        f"{day} {MONTH_NAMES[month - 1]} {year}", release.url, licence, citation,
    )  # fmt: skip
    css = _CSS.read_text(encoding="utf-8")
    properties = {
        "Title": release.title,
        "Author": release.authors,
        "Subject": description,
        "Keywords": licence,
        "Creator": "convdemo site build",
    }
    from website import book_print  # pypdf: only when the book is printed

    page = book.book_page(chapters, info, locate, styles, css)
    return book_print.print_book(page, properties, release.date)
