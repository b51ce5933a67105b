"""The files the book shows, found for Chromium: each as a ``file:`` URI, a raster image
as a copy made for paper (``website.book_print.print_copy``), made once however often
the book is laid out, and made before it is laid out on as many threads as asked."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from website.book import BookError

__all__ = ["RASTER", "BookImages"]

#: Images the book prints from a copy made for paper.
RASTER = (".png", ".webp", ".jpg", ".jpeg")


class BookImages:
    """Where the book finds each file of the site it shows (``located``: the site's path
    → the file's), as a ``file:`` URI: a raster image as a copy made for paper in
    ``folder``, made once however often the book is laid out."""

    def __init__(self, located: Mapping[str, str], folder: Path) -> None:
        self.located, self.folder = located, folder
        self.copies: dict[str, Path] = {}

    def _source(self, path: str) -> Path:
        if path not in self.located:
            raise BookError(f"the book shows {path}, which is not a file of the site")
        return Path(self.located[path])

    def _copy(self, path: str) -> Path:
        from website.book_print import print_copy  # PIL: only when printing

        # Named after the whole path, so that two paths never share a copy.
        digest = hashlib.sha256(path.encode()).hexdigest()[:12]
        return print_copy(self._source(path), self.folder, f"{digest}-{posixpath.basename(path)}")

    def prepare(self, paths: Iterable[str], jobs: int) -> None:
        """Make the copies of ``paths`` (those that need one) with ``jobs`` threads:
        Pillow lets go of the interpreter while it scales and encodes, so they share
        the cores, and the book, which waits for them, starts sooner."""
        todo = [p for p in dict.fromkeys(paths) if p not in self.copies and self._raster(p)]
        with ThreadPoolExecutor(max(1, jobs), thread_name_prefix="book-image") as threads:
            self.copies.update(zip(todo, threads.map(self._copy, todo), strict=True))

    def _raster(self, path: str) -> bool:
        return self._source(path).suffix.lower() in RASTER

    def __call__(self, path: str) -> str:
        if not self._raster(path):
            return self._source(path).as_uri()
        if path not in self.copies:
            self.copies[path] = self._copy(path)
        return self.copies[path].as_uri()
