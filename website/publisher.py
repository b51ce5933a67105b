"""What the site build does, event by event, about the chapters' decks and the book.

* files: each chapter's deck is made if its key changed, and both decks and the book
  are added to the site's files from the cache (so links to them are checked);
* a chapter's Markdown gets the line that links its deck;
* a chapter's HTML, as rendered, is kept for the book;
* env (every page rendered, nothing written yet): the book is made if its key changed,
  on a thread of its own while MkDocs writes the pages;
* post build: the build waits for the book and the decks, stores them in the cache and
  links them into the site, before the site's links are checked.

Under ``mkdocs serve`` a deck or book already in the cache is kept as it is, even if
stale: making them again at every edit would make live reload wait for Chromium.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from figures.manifest import Manifest
from figures.server import die_with_parent
from figures.workers import end_workers
from website.book import BookChapter, BookError, shown_files
from website.book_images import BookImages
from website.citation import Release, page_citation
from website.linked_files import LaterFile
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
from website.slides import DeckChapter

__all__ = ["Publisher"]

log = logging.getLogger("mkdocs.hooks.convdemo")

_THEME_CSS = re.compile(r"assets/stylesheets/(?:main|palette)\.[0-9a-f]+\.min\.css")


@dataclass(frozen=True)
class _Deck:
    page: str
    paths: Mapping[str, str]  # kind → path in the cache's products
    key: str
    chapter: DeckChapter


def _timed_deck(chapter: DeckChapter, release: Release) -> tuple[dict[str, bytes], float]:
    """A deck's files and the seconds they took (in a worker process, or here)."""
    began = time.perf_counter()
    return make_deck(chapter, release), time.perf_counter() - began


def _start_deck_worker(parent: int) -> None:
    """A deck worker ends with the build, even killed (it would wait for ever), and
    yields the cores to the book: the decks are made while the book prints, but the
    build waits for the book, which is one long chain of work, and the decks fit in
    around it. (Without this, a cold build's book took half as long again.)"""
    die_with_parent(parent)
    os.nice(10)


def most_figures_first(decks: Sequence[_Deck]) -> list[_Deck]:
    """The order to make decks in at once: most figures first (their pictures are most
    of a deck's time), so that no long deck is left to finish alone at the end; chapter
    order among equals."""
    return sorted(decks, key=lambda deck: -len(deck.chapter.figures))


def _deck_error(paths: Mapping[str, str], page: str, error: object) -> PluginError:
    return PluginError(f"slide deck {paths['pptx']} of {page}: {error}")


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
        self.decks: list[_Deck] = []  # stale, to be made
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[tuple[dict[str, bytes], float]]] = []
        self.later: list[LaterFile] = []  # placed in the site by ``finish``
        self.printer: ThreadPoolExecutor | None = None
        self.book: Future[tuple[str, bytes, float]] | None = None
        self.cancelled = threading.Event()  # the build failed: print no book

    def _stale(self, paths: Sequence[str], key: str) -> bool:
        if all(self.products.fresh(path, key) for path in paths):
            return False
        exists = all((self.products.folder / path).is_file() for path in paths)
        return self.fresh or not exists

    def _add(self, files: Files, config: MkDocsConfig, path: str) -> None:
        folder = str(self.products.folder)
        file = LaterFile(path, folder, config.site_dir, config.use_directory_urls)
        files.append(file)
        self.later.append(file)

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
            except (OSError, ValueError) as error:
                raise _deck_error(paths, file.src_uri, error) from None
            if self._stale(list(paths.values()), key):
                self.decks.append(_Deck(file.src_uri, paths, key, chapter))
            for path in paths.values():
                self._add(files, config, path)
        self._add(files, config, BOOK)
        self._start_decks()

    def _start_decks(self) -> None:
        """Make the stale decks: in worker processes while the pages render and the book
        prints, when there are several and more than one core; else here and now."""
        jobs = min(self._jobs("slide decks"), len(self.decks))
        if jobs > 1:
            context = multiprocessing.get_context("spawn")  # nothing of MkDocs inherited
            self.pool = ProcessPoolExecutor(
                jobs, mp_context=context, initializer=_start_deck_worker, initargs=(os.getpid(),)
            )
            started = {
                id(d): self.pool.submit(_timed_deck, d.chapter, self.release)
                for d in most_figures_first(self.decks)
            }
            self.futures = [started[id(deck)] for deck in self.decks]  # in chapter order
        else:
            for deck in self.decks:
                self._store_deck(deck, functools.partial(_timed_deck, deck.chapter, self.release))

    @staticmethod
    def _jobs(what: str) -> int:
        """The processes or threads to use at once (``CONVDEMO_JOBS``, else the cores)."""
        from figures.__main__ import default_jobs
        from figures.config import ConfigError

        try:
            return default_jobs()
        except ConfigError as error:
            raise PluginError(f"{what}: {error}") from None

    def _finish_decks(self) -> None:
        """Store what the workers made, in chapter order; the first failure ends the build."""
        if self.pool is None:
            return
        try:
            for deck, future in zip(self.decks, self.futures, strict=True):
                self._store_deck(deck, future.result)
        except BaseException:
            self.close()
            raise
        self.close(stop=False)

    def _store_deck(self, deck: _Deck, made: Callable[[], tuple[dict[str, bytes], float]]) -> None:
        """Store the files ``made()`` returns for ``deck``, or name the deck in the error."""
        try:
            files, seconds = made()
            for kind, data in files.items():
                self.products.store(deck.paths[kind], deck.key, data)
        except (OSError, ValueError) as error:  # the deck's file and chapter, then why
            raise _deck_error(deck.paths, deck.page, error) from None
        except BrokenProcessPool as error:  # its worker died (killed, out of memory)
            raise _deck_error(deck.paths, deck.page, f"its worker process died: {error}") from None
        self.made.append(f"deck {deck.page} {seconds:.2f} s")

    def close(self, stop: bool = True) -> None:
        """Let the deck workers go; ``stop``: the build failed, so end those still
        making a deck rather than wait for them (the process would wait, to exit). A book
        being printed is not waited for here: told to stop, it prints nothing after the
        step it is in (Chromium's printing cannot be cut short), and the process waits
        for that step before it exits."""
        printer, self.printer, self.book = self.printer, None, None
        if printer is not None:
            if stop:
                self.cancelled.set()
            printer.shutdown(wait=False, cancel_futures=True)
        pool, self.pool, self.futures = self.pool, None, []
        if pool is None:
            return
        if stop:  # ended first: the pool then finds them gone, fails what is left, exits
            end_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)

    def on_page_markdown(self, markdown: str, page: str) -> str:
        return with_slides_line(markdown, page) if page in self.sources else markdown

    def on_page_content(self, html: str, page: str) -> None:
        if page in self.sources:
            self.rendered[page] = html

    def on_env(self, files: Files, config: MkDocsConfig) -> None:
        """Start the book if it is stale: every chapter is rendered by now. It prints
        while MkDocs writes the pages; ``finish`` waits for it."""
        try:
            self._book(files, config)
        except (OSError, ValueError) as error:  # BookError, or a file that cannot be read
            raise self._failed_book(error) from None

    def _failed_book(self, error: Exception) -> PluginError:
        """End the decks' and the book's work, and say why the book failed."""
        self.close()
        return PluginError(f"the book {BOOK}: {error}")

    def finish(self) -> None:
        """Wait for the book and the decks, keep them in the cache and put them, and
        those that were fresh, into the site; the first failure ends the build."""
        try:
            if self.book is not None:
                key, data, seconds = self.book.result()
                self.products.store(BOOK, key, data)
                self.made.insert(0, f"book {seconds:.2f} s")
        except (OSError, ValueError) as error:  # BookError, or a file that cannot be read
            raise self._failed_book(error) from None
        self._finish_decks()
        self.close(stop=False)
        for file in self.later:
            file.place()
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

        jobs = self._jobs("the book")

        def go_on() -> None:
            if self.cancelled.is_set():
                raise BookError("not printed: the build failed")

        def book() -> tuple[str, bytes, float]:
            began = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="convdemo-book-images-") as folder:
                locate = BookImages(located, Path(folder))
                go_on()
                locate.prepare(shown_files(chapters), jobs)
                go_on()
                data = make_book(chapters, release, description, licence, citation, locate, styles)
            return key, data, time.perf_counter() - began

        self.printer = ThreadPoolExecutor(1, thread_name_prefix="book")
        self.book = self.printer.submit(book)
