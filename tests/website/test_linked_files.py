"""Files of the cache are linked into the site, never written through, copied if need be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from figures.manifest import write_atomic
from website.linked_files import CachedFile, LaterFile


def cached(tmp_path: Path, data: bytes = b"<svg/>") -> tuple[CachedFile, Path, Path]:
    cache, site = tmp_path / "cache", tmp_path / "site"
    (cache / "figures").mkdir(parents=True)
    source = cache / "figures" / "a.svg"
    source.write_bytes(data)
    file = CachedFile("figures/a.svg", str(cache), str(site), use_directory_urls=True)
    return file, source, site / "figures" / "a.svg"


def test_a_cached_file_is_linked_into_the_site(tmp_path):
    file, source, target = cached(tmp_path)
    file.copy_file()
    assert target.read_bytes() == b"<svg/>"
    assert os.path.samefile(source, target)


def test_a_copy_left_by_an_earlier_build_is_replaced_by_a_link(tmp_path):
    file, source, target = cached(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old")
    file.copy_file()
    assert os.path.samefile(source, target)
    assert target.read_bytes() == b"<svg/>"


def test_a_new_output_in_the_cache_leaves_the_published_bytes_alone(tmp_path):
    file, source, target = cached(tmp_path)
    file.copy_file()
    write_atomic(source, b"<svg>new</svg>")
    assert target.read_bytes() == b"<svg/>"
    file.copy_file()  # the next build links the new output
    assert target.read_bytes() == b"<svg>new</svg>"


def test_linking_never_writes_into_the_file_the_site_held(tmp_path):
    """The site's file, itself a link to another file, is unlinked, not overwritten."""
    file, source, target = cached(tmp_path)
    target.parent.mkdir(parents=True)
    held = tmp_path / "held.svg"
    held.write_bytes(b"held")
    os.link(held, target)
    file.copy_file()
    assert held.read_bytes() == b"held"
    assert os.path.samefile(source, target)


def test_where_no_link_can_be_made_the_file_is_copied(tmp_path, monkeypatch):
    def refuse(source: str, target: str) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    file, source, target = cached(tmp_path)
    file.copy_file()
    assert target.read_bytes() == b"<svg/>"
    assert not os.path.samefile(source, target)


@pytest.mark.parametrize("dirty", [False, True])
def test_a_dirty_build_skips_an_unchanged_file(tmp_path, dirty):
    file, source, target = cached(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"kept")
    os.utime(source, (1, 1))  # older than the site's file
    file.copy_file(dirty)
    assert target.read_bytes() == (b"kept" if dirty else b"<svg/>")


def test_a_file_given_content_by_a_plugin_is_written_with_that_content(tmp_path):
    file, source, target = cached(tmp_path)
    file.content_bytes = b"<svg>made by a plugin</svg>"  # MkDocs forgets the source path
    file.copy_file()
    assert target.read_bytes() == b"<svg>made by a plugin</svg>"
    assert source.read_bytes() == b"<svg/>"


def test_a_later_file_is_linked_when_placed_not_when_mkdocs_copies_the_files(tmp_path):
    """A deck or the book still being made when MkDocs copies the site's files."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    file = LaterFile("book/b.pdf", str(cache), str(site), use_directory_urls=True)
    file.copy_file()  # as MkDocs does, before the book is made
    assert not (site / "book").exists()
    (cache / "book").mkdir(parents=True)
    write_atomic(cache / "book" / "b.pdf", b"%PDF")
    file.place()
    assert os.path.samefile(cache / "book" / "b.pdf", site / "book" / "b.pdf")
