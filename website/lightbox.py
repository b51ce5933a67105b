"""The lightbox (mkdocs-glightbox) on the pages that have figures, the print page included.

The page markup makes each figure's image a link the lightbox opens (``website.figure_html``);
the plugin is in ``manual`` mode and only has to add its script and styles to a page, in
``on_post_page``. Three things it gets wrong on this site are settled here:

* even in ``manual`` mode, its ``on_page_content`` parses every page's content and writes
  it back as a whole document (``<html><head></head><body>…``). The print-site plugin,
  which copies that content into the print page, then prefixes no heading's id (its
  pattern starts at ``<html>``) and puts its script into every section, so the print
  page's table of contents leads nowhere. Every page is therefore marked
  ``glightbox: false``, as front matter would, before the plugin sees its content;
* the script and styles are then added here, to a page that has a figure to open and to
  no other (a notebook, the home page load less), by the plugin's own ``on_post_page``;
* the print-site plugin renders the print page after every page's events, so the plugin
  never sees it. Once it is written, the same is done to it, as the print-site plugin
  does for other plugins that add scripts to pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from website.figure_html import ZOOM_CLASS

__all__ = ["LIGHTBOX_PLUGIN", "add_lightbox", "add_to_print_page", "leave_content_alone"]

#: The plugin's name in mkdocs.yml, and the print page's plugin.
LIGHTBOX_PLUGIN, PRINT_PLUGIN = "glightbox", "print-site"
#: The meta key by which the plugin leaves a page alone.
_META = "glightbox"


def leave_content_alone(page: Page) -> None:
    """Keep the plugin from rewriting ``page``'s content (and from adding its script when
    the page is written: ``add_lightbox`` does that, where it is needed)."""
    page.meta[_META] = False


def add_lightbox(html: str, page: Page, config: MkDocsConfig) -> str:
    """The written page ``html`` with the lightbox's script and styles when it has a
    figure to open; as it was otherwise, or when the site has no lightbox."""
    plugin: Any = config.plugins.get(LIGHTBOX_PLUGIN)
    if plugin is None or ZOOM_CLASS not in html:
        return html
    page.meta[_META] = True  # for this call only: the plugin's own pass stays skipped
    try:
        return str(plugin.on_post_page(html, page=page, config=config))
    finally:
        page.meta[_META] = False


def add_to_print_page(path: Path, config: MkDocsConfig) -> bool:
    """Give the written print page at ``path`` the lightbox's script and styles; False
    when there is no lightbox, no print page or nothing on it to open."""
    page: Page | None = getattr(config.plugins.get(PRINT_PLUGIN), "print_page", None)
    if page is None or not path.is_file():
        return False
    text = path.read_bytes().decode("utf-8")
    added = add_lightbox(text, page, config)
    if added == text:
        return False
    path.write_bytes(added.encode("utf-8"))
    return True
