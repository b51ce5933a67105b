"""The lightbox added by the site, not by the plugin's own passes: on pages with figures
only, the print page included, and never by rewriting a page's content."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.config.defaults import MkDocsConfig

from website.html import parse_html
from website.lightbox import (
    LIGHTBOX_PLUGIN,
    PRINT_PLUGIN,
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
            "plugins": [{LIGHTBOX_PLUGIN: {"manual": True}}],
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


def test_a_page_with_a_figure_to_open_gets_the_lightbox_once_and_others_none(config):
    marked, other = page({"title": "x"}), page()
    leave_content_alone(marked)
    leave_content_alone(other)
    text = add_lightbox(PAGE, marked, config)
    assert text.count("glightbox.min.js") == 1 and text.count('id="init-glightbox"') == 1
    assert marked.meta == {"title": "x", "glightbox": False}  # the plugin's pass still skipped
    assert config.plugins[LIGHTBOX_PLUGIN].on_post_page(text, page=marked, config=config) == text
    notebook = "<html><head></head><body><img src='data:image/png;base64,AAAA'></body></html>"
    assert add_lightbox(notebook, other, config) == notebook


def test_the_print_page_gets_the_lightbox_and_keeps_its_images_and_anchors(config, tmp_path):
    path = tmp_path / "print_page" / "index.html"
    path.parent.mkdir()
    path.write_text(PAGE)
    assert add_to_print_page(path, config)
    text = path.read_text()
    head = text[: text.index("</head>")]
    assert 'src="../assets/javascripts/glightbox.min.js"' in head
    assert 'href="../assets/stylesheets/glightbox.min.css"' in head
    assert "GLightbox(" in text[text.index("<body") :]
    before, after = parse_html(PAGE), parse_html(text)
    # The ids the print page's mending relies on, and the plugin's two of its own.
    assert after.anchors == before.anchors | {"glightbox-style", "init-glightbox"}
    figure_references = [ref for ref in after.references if "/figures/" in ref]
    assert figure_references == [ref for ref in before.references if "/figures/" in ref]
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
