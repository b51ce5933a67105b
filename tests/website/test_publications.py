"""Decks and book: their files, the line that links a deck, and the keys they are cached by."""

from __future__ import annotations

import dataclasses
import os
import shutil

from tests.website.decks import chapter
from website import book
from website.book import BookChapter
from website.publications import (
    BOOK,
    Products,
    book_key,
    deck_files,
    deck_key,
    with_slides_line,
)


def test_a_chapter_s_deck_files_and_the_book_s():
    assert deck_files("padding.md") == {"pptx": "slides/padding.pptx", "pdf": "slides/padding.pdf"}
    assert deck_files("more/groups.md")["pptx"] == "slides/more-groups.pptx"
    assert BOOK == "book/convdemo.pdf"


def test_the_deck_is_linked_under_the_chapter_s_title():
    text = with_slides_line("# Padding\n\nFirst paragraph.\n", "padding.md")
    title, line, rest = text.split("\n\n", 2)
    assert title == "# Padding" and rest.startswith("First paragraph.")
    assert '[PowerPoint, 16:9](/slides/padding.pptx){ download="padding.pptx" }' in line
    assert '[PDF](/slides/padding.pdf){ download="padding.pdf" }' in line
    assert line.endswith("{ .convdemo-slides }")


def digests(cache, deck):
    return {
        path.relative_to(cache).as_posix(): f"digest of {path.name}"
        for figure in deck.figures
        for path in (figure.image, figure.still)
    }


def test_a_deck_s_key_follows_its_content_not_where_the_cache_is(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    deck = chapter(first)
    shutil.copytree(first, second)
    moved = chapter(second)
    key = deck_key(deck, digests(first, deck), first, ["release"])
    assert key == deck_key(moved, digests(second, moved), second, ["release"])

    changed = digests(first, deck) | {"grid.png": "another digest"}
    assert deck_key(deck, changed, first, ["release"]) != key
    recaptioned = dataclasses.replace(
        deck, figures=(dataclasses.replace(deck.figures[0], caption="New."), *deck.figures[1:])
    )
    assert deck_key(recaptioned, digests(first, deck), first, ["release"]) != key
    assert deck_key(deck, digests(first, deck), first, ["another release"]) != key


def test_the_book_s_key_follows_the_chapters_as_rendered():
    chapters = [BookChapter(1, "Padding", "padding/", "<p>One.</p>")]
    key = book_key(chapters, {"f.png": "x"}, ["main.abc.min.css"], ["release"])
    assert key == book_key(chapters, {"f.png": "x"}, ["main.abc.min.css"], ["release"])
    edited = [dataclasses.replace(chapters[0], html="<p>Two.</p>")]
    assert book_key(edited, {"f.png": "x"}, ["main.abc.min.css"], ["release"]) != key
    assert book_key(chapters, {"f.png": "y"}, ["main.abc.min.css"], ["release"]) != key
    assert book_key(chapters, {"f.png": "x"}, ["main.def.min.css"], ["release"]) != key


def test_the_book_s_key_follows_chromium_s_build_not_its_last_use(tmp_path, monkeypatch):
    """Printing the book reads Chromium, which moves its access time: the next build
    must not print the book again for that; another Chromium build must."""
    chromium = tmp_path / "chromium"
    chromium.write_bytes(b"build 1")
    monkeypatch.setattr(book, "CHROMIUM", chromium)
    chapters = [BookChapter(1, "Padding", "padding/", "<p>One.</p>")]

    def key() -> str:
        return book_key(chapters, {}, [], [])

    first = key()
    info = chromium.stat()
    os.utime(chromium, ns=(info.st_atime_ns + 10**12, info.st_mtime_ns))
    assert key() == first
    os.utime(chromium, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    assert key() != first
    os.utime(chromium, ns=(info.st_atime_ns, info.st_mtime_ns))
    chromium.write_bytes(b"build 22")
    os.utime(chromium, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert key() != first


def test_a_product_is_fresh_only_under_its_key_and_while_its_file_is_there(tmp_path):
    products = Products(tmp_path)
    assert not products.fresh(BOOK, "k")
    products.store(BOOK, "k", b"%PDF")
    again = Products(tmp_path)  # the record is kept on disk
    assert again.fresh(BOOK, "k") and not again.fresh(BOOK, "other")
    (tmp_path / "products" / BOOK).unlink()
    assert not again.fresh(BOOK, "k")


def test_a_warm_build_loads_neither_matplotlib_nor_python_pptx():
    """The site build's modules import what a warm build needs; the decks' drawing
    libraries load only when a deck is made."""
    import subprocess
    import sys

    code = (
        "import sys, website.session, website.publications; "
        "print(sorted(m for m in ('matplotlib', 'pptx', 'pypdf', 'torch') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
