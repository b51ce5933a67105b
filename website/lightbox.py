"""The lightbox (mkdocs-glightbox) on the pages that have figures, the print page included.

The page markup makes each figure's image a link the lightbox opens (``website.figure_html``);
the plugin, in ``manual`` mode, wraps no image itself and adds its script and styles to
each page in ``on_post_page``. Two things it cannot know are settled here:

* a page with no such link (a notebook, the home page) needs neither script nor styles:
  it is marked ``glightbox: false``, as a page's front matter would, and loads less;
* the print-site plugin renders the print page after every page's events, so the plugin
  never sees it, and the figures there would be links to their files with no lightbox.
  Once it is written, the plugin's own ``on_post_page`` is run on it, as the print-site
  plugin does for other plugins that add scripts to pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from website.figure_html import ZOOM_CLASS

__all__ = ["LIGHTBOX_PLUGIN", "add_to_print_page", "skip_unless_zoomable"]

#: The plugin's name in mkdocs.yml, and the print page's plugin.
LIGHTBOX_PLUGIN, PRINT_PLUGIN = "glightbox", "print-site"
#: The meta key by which the plugin leaves a page alone.
_META = "glightbox"


def skip_unless_zoomable(html: str, page: Page) -> None:
    """Mark a page whose content has no figure to open so the plugin leaves it alone."""
    if ZOOM_CLASS not in html:
        page.meta[_META] = False


def add_to_print_page(path: Path, config: MkDocsConfig) -> bool:
    """Give the written print page at ``path`` the lightbox's script and styles; False
    when there is no lightbox, no print page or nothing on it to open."""
    plugin: Any = config.plugins.get(LIGHTBOX_PLUGIN)
    page: Page | None = getattr(config.plugins.get(PRINT_PLUGIN), "print_page", None)
    if plugin is None or page is None or not path.is_file():
        return False
    text = path.read_bytes().decode("utf-8")
    if ZOOM_CLASS not in text:
        return False
    page.meta[_META] = True  # its placeholder, rendered earlier, had no figure
    path.write_bytes(plugin.on_post_page(text, page=page, config=config).encode("utf-8"))
    return True
