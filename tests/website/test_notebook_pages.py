"""Notebook pages made fit for the site: links to pages, no loaders from other hosts."""

from __future__ import annotations

import re

import pytest

from website.notebook_pages import (
    RemoteLoaderError,
    download_button,
    page_urls,
    rewrite_page_links,
    strip_remote_loaders,
)

URLS = {"index.md": "", "feature-maps.md": "feature-maps/", "notebooks/a.ipynb": "notebooks/a/"}


def test_md_links_become_page_urls_relative_to_the_page():
    html = '<a href="../feature-maps.md#first-layer">x</a> <a href="https://e.org/a.md">y</a>'
    resolve = page_urls(URLS, "notebooks/a/")
    out = rewrite_page_links(html, "notebooks/a.ipynb", resolve)
    assert 'href="../../feature-maps/#first-layer"' in out
    assert 'href="https://e.org/a.md"' in out  # external: untouched


def test_unknown_md_links_are_left_for_the_check():
    out = rewrite_page_links(
        '<a href="../nope.md">x</a>', "notebooks/a.ipynb", page_urls(URLS, "notebooks/a/")
    )
    assert 'href="../nope.md"' in out


def test_the_download_button_offers_the_notebook_next_to_the_page():
    button = download_button("feature-maps.ipynb")
    assert 'href="feature-maps.ipynb" download' in button
    assert "Download this notebook (feature-maps.ipynb)" in button


def _notebook_html(tmp_path, markdown: str) -> str:
    """A one-cell notebook through mkdocs-jupyter's own template, as the site renders it."""
    import nbformat
    from mkdocs_jupyter.nbconvert2 import nb2html

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])
    path = tmp_path / "page.ipynb"
    nbformat.write(notebook, path)
    return nb2html(str(path), custom_mathjax_url="")


_REMOTE = re.compile(r"""(?:src=["']|import\(["'])(?:https?:)?//""")


def test_notebook_pages_lose_the_loaders_from_other_hosts(tmp_path):
    html = _notebook_html(tmp_path, "# A title\n\nSome text.")
    assert _REMOTE.search(html) and 'src=""' in html  # the template as it comes
    stripped = strip_remote_loaders(html)
    assert not _REMOTE.search(stripped)
    assert 'src=""' not in stripped and "MathJax" not in stripped and "cdnjs" not in stripped
    assert "Some text." in stripped and "A title" in stripped


def test_a_changed_template_is_refused_not_trusted(tmp_path):
    html = _notebook_html(tmp_path, "Some text.")
    with pytest.raises(RemoteLoaderError, match=r"MathJax loader once .* found it 0 times"):
        strip_remote_loaders(html.replace("<!-- Load mathjax -->", "<!-- mathjax -->"))
    with pytest.raises(RemoteLoaderError, match=r"mermaid loader once .* found it 0 times"):
        strip_remote_loaders(html.replace(".jp-Mermaid > pre", ".jp-Diagram > pre"))


def test_a_notebook_mermaid_diagram_is_refused(tmp_path):
    html = _notebook_html(tmp_path, "```mermaid\ngraph LR\n  a --> b\n```")
    with pytest.raises(RemoteLoaderError, match="mermaid"):
        strip_remote_loaders(html)
