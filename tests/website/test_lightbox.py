"""The lightbox where the plugin does not reach: pages without figures, the print page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.config.defaults import MkDocsConfig

from website.html import parse_html
from website.lightbox import LIGHTBOX_PLUGIN, PRINT_PLUGIN, add_to_print_page, skip_unless_zoomable

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


def test_a_page_without_a_figure_to_open_gets_no_lightbox():
    without, with_figure = page(), page({"title": "x"})
    skip_unless_zoomable("<p>A notebook.</p><img src='data:image/png;base64,AAAA'>", without)
    skip_unless_zoomable(FIGURE, with_figure)
    assert without.meta == {"glightbox": False}
    assert with_figure.meta == {"title": "x"}


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
