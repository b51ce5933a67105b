"""What the site build does, event by event, about the chapters' decks and the book.

* files: each chapter's deck is made if its key changed, and both decks and the book
  are added to the site's files from the cache (so links to them are checked);
* a chapter's Markdown gets the line that links its deck;
* a chapter's HTML, as rendered, is kept for the book;
* env (every page rendered, nothing written yet): the book is made if its key changed.

Under ``mkdocs serve`` a deck or book already in the cache is kept as it is, even if
stale: making them again at every edit would make live reload wait for Chromium.
"""

from __future__ import annotations

import contextlib
import logging
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from figures.manifest import Manifest
from website.book import BookChapter, BookError
from website.citation import Release, page_citation
from website.linked_files import CachedFile
from website.markup import FigureRow
from website.markup import page_title as title_of
from website.numbers import PageError, substitute_numbers
from website.publications import (
    BOOK,
    ChapterSource,
    Products,
    book_key,
    deck_chapter,
    deck_files,
    deck_key,
    make_book,
    make_deck,
    with_slides_line,
)

__all__ = ["Publisher"]

log = logging.getLogger("mkdocs.hooks.convdemo")

#: Images the book prints from a copy made for paper.
RASTER = (".png", ".webp", ".jpg", ".jpeg")
_THEME_CSS = re.compile(r"assets/stylesheets/(?:main|palette)\.[0-9a-f]+\.min\.css")


class Publisher:
    """Decks and book for one build; ``fresh``: remake what is stale (not under serve)."""

    def __init__(self, cache_dir: Path, release: Release, root: Path, fresh: bool) -> None:
        self.products = Products(cache_dir)
        self.cache_dir, self.release, self.root, self.fresh = cache_dir, release, root, fresh
        self.sources: dict[str, ChapterSource] = {}  # docs path → the chapter
        self.addresses: dict[str, str] = {}  # docs path → its address in the site
        self.rendered: dict[str, str] = {}  # docs path → its HTML
        self.digests: dict[str, str] = {}
        self.made: list[str] = []

    def _stale(self, paths: Sequence[str], key: str) -> bool:
        if all(self.products.fresh(path, key) for path in paths):
            return False
        exists = all((self.products.folder / path).is_file() for path in paths)
        return self.fresh or not exists

    def _add(self, files: Files, config: MkDocsConfig, path: str) -> None:
        folder = str(self.products.folder)
        files.append(CachedFile(path, folder, config.site_dir, config.use_directory_urls))

    def on_files(
        self,
        files: Files,
        config: MkDocsConfig,
        rows: Sequence[FigureRow],
        chapters: Mapping[str, int],
        manifest: Manifest,
    ) -> None:
        numbers, self.digests = manifest.numbers(), manifest.file_digests()
        site = (config.site_url or self.release.url).rstrip("/")
        versions = self.products.versions

        def read(path: str) -> str:
            return (self.root / path).read_text(encoding="utf-8")

        for file in files.documentation_pages():
            number = chapters.get(file.src_uri)
            if number is None:
                continue
            text = file.content_string
            with contextlib.suppress(PageError):  # reported with the page itself
                text = substitute_numbers(text, file.src_uri, numbers)
            title = title_of(text, file.src_uri)
            source = ChapterSource(file.src_uri, number, title, f"{site}/{file.url}", text)
            self.sources[file.src_uri], self.addresses[file.src_uri] = source, file.url
            paths = deck_files(file.src_uri)
            try:
                chapter = deck_chapter(source, rows, self.release, self.cache_dir, numbers, read)
                key = deck_key(chapter, self.digests, self.cache_dir, [self.release, versions])
                if self._stale(list(paths.values()), key):
                    began = time.perf_counter()
                    for kind, data in make_deck(chapter, self.release).items():
                        self.products.store(paths[kind], key, data)
                    self.made.append(f"deck {file.src_uri} {time.perf_counter() - began:.2f} s")
            except (OSError, ValueError) as error:  # the deck's file and chapter, then why
                raise PluginError(
                    f"slide deck {paths['pptx']} of {file.src_uri}: {error}"
                ) from None
            for path in paths.values():
                self._add(files, config, path)
        self._add(files, config, BOOK)

    def on_page_markdown(self, markdown: str, page: str) -> str:
        return with_slides_line(markdown, page) if page in self.sources else markdown

    def on_page_content(self, html: str, page: str) -> None:
        if page in self.sources:
            self.rendered[page] = html

    def on_env(self, files: Files, config: MkDocsConfig) -> None:
        """Make the book if it is stale: every chapter is rendered by now."""
        try:
            self._book(files, config)
        except (OSError, ValueError) as error:  # BookError, or a file that cannot be read
            raise PluginError(f"the book {BOOK}: {error}") from None
        if self.made:
            log.info(f"made {', '.join(self.made)}")

    def _book(self, files: Files, config: MkDocsConfig) -> None:
        order = sorted(self.sources.values(), key=lambda source: source.number)
        missing = [source.page for source in order if source.page not in self.rendered]
        if missing:
            raise BookError(f"chapters not rendered for the book: {', '.join(missing)}")
        chapters = [
            BookChapter(s.number, s.title, self.addresses[s.page], self.rendered[s.page])
            for s in order
        ]
        located = {file.dest_uri: file.abs_src_path for file in files if file.abs_src_path}
        styles = [
            Path(located[path]).as_uri()
            for path in sorted(located, key=lambda path: "palette" in path)
            if _THEME_CSS.fullmatch(path)
        ]
        release = self.release
        citation = page_citation(release, release.title, release.url, "site")[1].strip()
        description = " ".join((config.site_description or "").split())
        licence = config.copyright or "CC BY 4.0"
        extra = [release, description, licence, citation, self.products.versions]
        key = book_key(chapters, self.digests, [Path(s).name for s in styles], extra)
        if not self._stale([BOOK], key):
            return

        from website.book_print import print_copy  # PIL and pypdf: only when printing

        began = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="convdemo-book-images-") as folder:

            def locate(path: str) -> str:
                if path not in located:
                    raise BookError(f"the book shows {path}, which is not a file of the site")
                source = Path(located[path])
                if source.suffix.lower() in RASTER:
                    source = print_copy(source, Path(folder), path.replace("/", "-"))
                return source.as_uri()

            data = make_book(chapters, release, description, licence, citation, locate, styles)
        self.products.store(BOOK, key, data)
        self.made.append(f"book {time.perf_counter() - began:.2f} s")
