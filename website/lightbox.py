"""The lightbox (mkdocs-glightbox) on the pages that have figures, the print page included.

The page markup makes each figure's image a link the lightbox opens (``website.figure_html``).
The plugin bundles GLightbox (copied into the site: nothing from another host) and holds
its settings (mkdocs.yml); what it would do to the pages is done here instead:

* even in ``manual`` mode, its ``on_page_content`` parses every page's content and writes
  it back as a whole document (``<html><head></head><body>…``). The print-site plugin,
  which copies that content into the print page, then prefixes no heading's id (its
  pattern starts at ``<html>``) and puts its script into every section, so the print
  page's table of contents leads nowhere. Every page is therefore marked
  ``glightbox: false``, as front matter would, before the plugin sees its content;
* its ``on_post_page`` would load GLightbox's script and styles (70 KB) with every page
  that has a figure, before anyone asks to zoom: the heaviest chapter went over its
  budget. A page with a figure to open gets, instead, the addresses of those files and
  the lightbox's options; ``assets/convdemo.js`` loads them at the first click on a
  figure, then opens it. A page with none (a notebook, the home page) gets nothing;
* the print-site plugin renders the print page after every page's events. Once it is
  written, it gets the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from website.figure_html import ZOOM_CLASS

__all__ = [
    "LIGHTBOX_PLUGIN",
    "SETTINGS_ID",
    "add_lightbox",
    "add_to_print_page",
    "leave_content_alone",
    "lightbox_settings",
]

#: The plugin's name in mkdocs.yml, and the print page's plugin.
LIGHTBOX_PLUGIN, PRINT_PLUGIN = "glightbox", "print-site"
#: The meta key by which the plugin leaves a page alone.
_META = "glightbox"
#: The id of the settings ``assets/convdemo.js`` reads: where GLightbox is, its options.
SETTINGS_ID = "convdemo-lightbox"
#: GLightbox's files, as the plugin copies them into the site.
_FILES = {
    "script": "assets/javascripts/glightbox.min.js",
    "style": "assets/stylesheets/glightbox.min.css",
}


def leave_content_alone(page: Page) -> None:
    """Keep the plugin from rewriting ``page``'s content and from adding its files to the
    page when it is written (``add_lightbox`` does what is needed instead)."""
    page.meta[_META] = False


def lightbox_settings(plugin: Any, page_url: str) -> dict[str, Any]:
    """What ``assets/convdemo.js`` needs to open a figure on the page at ``page_url``: the
    addresses of GLightbox's files relative to it, and the options of mkdocs.yml, named as
    GLightbox names them (as the plugin passes them)."""
    config = plugin.config
    return {
        **{key: get_relative_url(path, page_url) for key, path in _FILES.items()},
        "options": {
            "touchNavigation": config["touchNavigation"],
            "loop": config["loop"],
            "zoomable": config["zoomable"],
            "draggable": config["draggable"],
            "openEffect": config["effect"],
            "closeEffect": config["effect"],
            "slideEffect": config["slide_effect"],
        },
    }


def add_lightbox(html: str, page: Page, config: MkDocsConfig) -> str:
    """The written page ``html`` with the lightbox's settings before ``</body>`` when it
    has a figure to open; as it was otherwise, or when the site has no lightbox."""
    plugin: Any = config.plugins.get(LIGHTBOX_PLUGIN)
    end = html.rfind("</body>")
    if plugin is None or ZOOM_CLASS not in html or end < 0:
        return html
    data = json.dumps(lightbox_settings(plugin, page.url), separators=(",", ":"))
    data = data.replace("</", "<\\/")  # cannot end the script early
    tag = f'<script type="application/json" id="{SETTINGS_ID}">{data}</script>\n'
    return html[:end] + tag + html[end:]


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
