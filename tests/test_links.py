"""Link rewriting and checking on rendered HTML (used for notebook pages)."""

from __future__ import annotations

import re

import pytest

from figures.links import (
    RemoteLoaderError,
    broken_links,
    finish_site,
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


def site(tmp_path, body: str):
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "feature-maps").mkdir()
    (tmp_path / "feature-maps" / "index.html").write_text('<h2 id="first-layer">x</h2>')
    (tmp_path / "notebooks" / "a").mkdir(parents=True)
    (tmp_path / "notebooks" / "a" / "a.ipynb").write_text("{}")
    page = tmp_path / "notebooks" / "a" / "index.html"
    page.write_text(f'<p id="top"></p>{body}')
    return page


def test_good_links_pass(tmp_path):
    page = site(
        tmp_path,
        '<a href="../../feature-maps/#first-layer">c</a> <a href="a.ipynb">d</a>'
        ' <a href="#top">t</a> <img src="data:image/png;base64,AAAA">'
        ' <a href="https://example.org/x">e</a> <a href="../..">home</a>'
        ' <a href="../../">home</a> <a href="../../index.html">home</a>',
    )
    assert broken_links(tmp_path, [page]) == []


def test_missing_files_and_anchors_are_reported(tmp_path):
    page = site(
        tmp_path,
        '<a href="../../feature-maps/#second-layer">a</a>'
        '<a href="../../nowhere/">b</a><a href="#bottom">c</a>'
        '<a href="../../../outside.html">d</a>',
    )
    problems = broken_links(tmp_path, [page])
    assert problems == [
        "notebooks/a/index.html: ../../feature-maps/#second-layer (no such anchor)",
        "notebooks/a/index.html: ../../nowhere/ (no such file)",
        "notebooks/a/index.html: #bottom (no such anchor)",
        "notebooks/a/index.html: ../../../outside.html (no such file)",
    ]


def test_finishing_the_site_reuses_its_work_only_while_nothing_it_reads_changed(
    tmp_path, monkeypatch
):
    import figures.links

    root, cache = tmp_path / "site", tmp_path / "cache"
    root.mkdir()
    page = site(root, '<a href="#bottom">c</a>')
    printed = root / "print_page" / "index.html"
    printed.parent.mkdir()
    raw = '<h2 id="fig-a"></h2><a href="#padding-fig-a">x</a><a href="#nowhere">y</a>'
    printed.write_text(raw)
    expected = [
        "notebooks/a/index.html: #bottom (no such anchor)",
        "print_page/index.html: #nowhere (no such anchor)",
    ]
    mended = '<h2 id="fig-a"></h2><a href="#fig-a">x</a><a href="#nowhere">y</a>'
    assert finish_site(root, [page], cache) == expected
    assert printed.read_text() == mended

    work = []
    for name in ("broken_links", "repair_print_page"):
        real = getattr(figures.links, name)
        monkeypatch.setattr(
            figures.links, name, lambda *args, real=real: work.append(args) or real(*args)
        )
    printed.write_text(raw)  # the plugin writes the page again, as the last time
    assert finish_site(root, [page], cache) == expected
    assert printed.read_text() == mended and work == []  # from the cache

    printed.write_text(raw.replace("#nowhere", "#fig-a"))  # a page changed
    assert finish_site(root, [page], cache) == expected[:1]
    (root / "feature-maps" / "extra.svg").write_text("<svg/>")  # a file was added
    printed.write_text(raw)
    assert finish_site(root, [page], cache) == expected
    (cache / "finish-site.json").write_text("{not json")  # a damaged record
    printed.write_text(raw)
    assert finish_site(root, [page], cache) == expected
    assert printed.read_text() == mended
    assert len(work) == 6  # three times each pass
    assert len(list(cache.glob("print-page-*.html"))) == 1


def test_print_page_links_are_mended_only_where_they_point_nowhere():
    from figures.links import repair_print_page

    page = (
        '<figure id="fig-padding-none"></figure><section id="notebooks-maps"></section>'
        '<h2 id="padding-rings"></h2>'
        '<a href="#padding-fig-padding-none">a</a> <a href="#notebooks-maps.md">b</a> '
        '<a href="#padding-rings">c</a> <a href="#padding-fig-missing">d</a>'
    )
    mended = repair_print_page(page)
    assert '<a href="#fig-padding-none">a</a>' in mended
    assert '<a href="#notebooks-maps">b</a>' in mended
    assert '<a href="#padding-rings">c</a>' in mended  # already right: untouched
    assert '<a href="#padding-fig-missing">d</a>' in mended  # nothing to mend it to


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
