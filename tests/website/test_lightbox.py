"""The lightbox added by the site, not by the plugin's own passes: on pages with figures
only, the print page included, and never by rewriting a page's content."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from mkdocs.config.defaults import MkDocsConfig

from website.html import parse_html
from website.lightbox import (
    LIGHTBOX_PLUGIN,
    PRINT_PLUGIN,
    SETTINGS_ID,
    add_lightbox,
    add_to_print_page,
    leave_content_alone,
)

FIGURE = (
    '<figure class="convdemo-figure" id="fig-grid">'
    '<a class="glightbox convdemo-zoom" data-gallery="fig-grid-light" data-type="image" '
    'href="../figures/grid.svg#only-light"><img alt="A grid." src="../figures/grid.svg#only-light">'
    "</a>"
    '<a class="glightbox convdemo-zoom" data-gallery="fig-grid-dark" data-type="image" '
    'href="../figures/grid-dark.svg#only-dark"><img alt="A grid." '
    'src="../figures/grid-dark.svg#only-dark"></a>'
    '<figcaption>Figure 1.1. <a href="#padding-fig-grid">again</a></figcaption></figure>'
)
PAGE = (
    "<!doctype html><html><head><title>Print</title></head><body>"
    '<section class="print-page" id="padding"><h1 id="padding-padding">Padding</h1>'
    f"{FIGURE}</section></body></html>"
)


def page(meta=None):
    return SimpleNamespace(meta=dict(meta or {}), url="print_page/")


@pytest.fixture
def config(tmp_path) -> MkDocsConfig:
    """The site's settings for these two plugins, the lightbox as mkdocs.yml sets it."""
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(
        {
            "site_name": "t",
            "docs_dir": str(tmp_path / "docs"),
            "theme": {"name": "material"},
            "plugins": [{LIGHTBOX_PLUGIN: {"manual": True, "effect": "fade", "zoomable": False}}],
        }
    )
    errors, _ = config.validate()
    assert errors == []
    config.plugins.run_event("config", config)
    config.plugins[PRINT_PLUGIN] = SimpleNamespace(print_page=page({"glightbox": False}))
    return config


def test_the_plugin_leaves_every_page_s_content_as_it_is(config):
    """Its own pass would write the content back as a whole document, whose headings the
    print-site plugin then fails to prefix: the print page's contents would lead nowhere."""
    plugin = config.plugins[LIGHTBOX_PLUGIN]
    content = f'<h1 id="padding">Padding</h1>\n{FIGURE}'
    assert "<head>" in plugin.on_page_content(content, page=page(), config=config)  # the harm
    marked = page({"title": "x"})
    leave_content_alone(marked)
    assert plugin.on_page_content(content, page=marked, config=config) == content
    assert plugin.on_post_page(PAGE, page=marked, config=config) == PAGE


def settings_of(text: str) -> dict:
    """The lightbox settings a written page carries for assets/convdemo.js."""
    (found,) = re.findall(
        rf'<script type="application/json" id="{SETTINGS_ID}">(.*?)</script>', text, re.S
    )
    return json.loads(found)


def test_a_page_with_a_figure_gets_the_lightbox_settings_not_its_files(config):
    """GLightbox's files are loaded at the first click, so a page's weight does not carry
    them: the page holds their addresses and mkdocs.yml's options, once, before </body>."""
    marked, other = page({"title": "x"}), page()
    marked.url = "padding/"
    leave_content_alone(marked)
    leave_content_alone(other)
    text = add_lightbox(PAGE, marked, config)
    assert text.endswith("</script>\n</body></html>") and text.count(SETTINGS_ID) == 1
    assert "glightbox.min" not in text.replace(text[text.index(f'id="{SETTINGS_ID}"') :], "")
    assert settings_of(text) == {
        "script": "../assets/javascripts/glightbox.min.js",
        "style": "../assets/stylesheets/glightbox.min.css",
        "options": {
            "touchNavigation": True,
            "loop": False,
            "zoomable": False,
            "draggable": True,
            "openEffect": "fade",
            "closeEffect": "fade",
            "slideEffect": "slide",
        },
    }
    assert marked.meta == {"title": "x", "glightbox": False}  # the plugin's pass skipped
    assert config.plugins[LIGHTBOX_PLUGIN].on_post_page(text, page=marked, config=config) == text
    notebook = "<html><head></head><body><img src='data:image/png;base64,AAAA'></body></html>"
    assert add_lightbox(notebook, other, config) == notebook


def test_the_settings_are_relative_to_each_page(config):
    home, deep = page(), page()
    home.url, deep.url = "", "notebooks/maps/"
    assert settings_of(add_lightbox(PAGE, home, config))["script"] == (
        "assets/javascripts/glightbox.min.js"
    )
    assert settings_of(add_lightbox(PAGE, deep, config))["style"] == (
        "../../assets/stylesheets/glightbox.min.css"
    )


def test_the_print_page_gets_the_lightbox_and_keeps_its_images_and_anchors(config, tmp_path):
    path = tmp_path / "print_page" / "index.html"
    path.parent.mkdir()
    path.write_text(PAGE)
    assert add_to_print_page(path, config)
    text = path.read_text()
    assert settings_of(text)["script"] == "../assets/javascripts/glightbox.min.js"
    before, after = parse_html(PAGE), parse_html(text)
    # The ids the print page's mending relies on, and the settings'.
    assert after.anchors == before.anchors | {SETTINGS_ID}
    assert after.references == before.references  # no file loaded with the page
    assert text.count("<img") == PAGE.count("<img")  # no image copied


def test_the_print_page_is_left_alone_without_figures_or_without_the_plugin(config, tmp_path):
    path = tmp_path / "index.html"
    path.write_text("<html><head></head><body><p>No figure.</p></body></html>")
    assert not add_to_print_page(path, config)
    assert not add_to_print_page(tmp_path / "missing.html", config)
    path.write_text(PAGE)
    del config.plugins[LIGHTBOX_PLUGIN]
    assert not add_to_print_page(path, config)
    assert path.read_text() == PAGE
