"""Files the build takes from its cache, put into the site as hard links, not copies.

The figure cache holds every figure, animation, deck and the book: about 90 MB that a
build would otherwise copy into its fresh staging folder every time, nothing changed or
not. The cache never rewrites a file in place (a new output is written beside it and
renamed over it, ``figures.manifest.write_atomic``), so a link in the site keeps the
bytes it was made with, and no build step writes into these files. Where a link cannot
be made (another file system, a file system without links) the file is copied.
"""

from __future__ import annotations

import os

from mkdocs.structure.files import File

__all__ = ["CachedFile", "LaterFile"]


class CachedFile(File):
    """A file of the cache, linked into the site."""

    def copy_file(self, dirty: bool = False) -> None:
        source, target = self.abs_src_path, self.abs_dest_path
        if source is None:  # a plugin gave it content of its own: MkDocs writes that
            super().copy_file(dirty)
            return
        if dirty and not self.is_modified():
            return
        if os.path.exists(target) and os.path.samefile(source, target):
            return
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.unlink(target)  # a link never writes through into the cache
        try:
            os.link(source, target)
        except OSError:
            super().copy_file(dirty)


class LaterFile(CachedFile):
    """A file of the cache that may still be in the making when MkDocs copies the
    site's files (a deck, the book): it is linked into the site by ``place``, called
    once it is made, and not by MkDocs."""

    def copy_file(self, dirty: bool = False) -> None:
        pass

    def place(self) -> None:
        super().copy_file()
