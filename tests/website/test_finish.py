"""The last step of a site build: the print page mended, the plugins' pages link-checked,
and both reused from the cache while nothing they read changed."""

from __future__ import annotations

import website.finish
from website.finish import finish_site
from website.links import check_site


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
    site(
        tmp_path,
        '<a href="../../feature-maps/#first-layer">c</a> <a href="a.ipynb">d</a>'
        ' <a href="#top">t</a> <img src="data:image/png;base64,AAAA">'
        ' <a href="https://example.org/x">e</a> <a href="../..">home</a>'
        ' <a href="../../">home</a> <a href="../../index.html">home</a>',
    )
    assert check_site(tmp_path, pages=["notebooks/a/index.html"]).broken == []


def test_missing_files_and_anchors_are_reported(tmp_path):
    site(
        tmp_path,
        '<a href="../../feature-maps/#second-layer">a</a>'
        '<a href="../../nowhere/">b</a><a href="#bottom">c</a>'
        '<a href="../../../outside.html">d</a>',
    )
    problems = [str(b) for b in check_site(tmp_path, pages=["notebooks/a/index.html"]).broken]
    assert problems == [
        "notebooks/a/index.html: ../../feature-maps/#second-layer: "
        "no anchor #second-layer in feature-maps/index.html",
        "notebooks/a/index.html: ../../nowhere/: no such file",
        "notebooks/a/index.html: #bottom: no anchor #bottom in notebooks/a/index.html",
        "notebooks/a/index.html: ../../../outside.html: outside the site folder",
    ]


def test_finishing_the_site_reuses_its_work_only_while_nothing_it_reads_changed(
    tmp_path, monkeypatch
):
    root, cache = tmp_path / "site", tmp_path / "cache"
    root.mkdir()
    site(root, '<a href="#bottom">c</a>')
    printed = root / "print_page" / "index.html"
    printed.parent.mkdir()
    raw = '<h2 id="fig-a"></h2><a href="#padding-fig-a">x</a><a href="#nowhere">y</a>'
    printed.write_text(raw)
    expected = [
        "notebooks/a/index.html: #bottom: no anchor #bottom in notebooks/a/index.html",
        "print_page/index.html: #nowhere: no anchor #nowhere in print_page/index.html",
    ]
    mended = '<h2 id="fig-a"></h2><a href="#fig-a">x</a><a href="#nowhere">y</a>'
    assert finish_site(root, ["notebooks/a/index.html"], cache) == expected
    assert printed.read_text() == mended

    work = []
    for module, name in (
        (website.finish.links, "check_site"),
        (website.finish.print_page, "mend_print_page"),
    ):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *args, real=real: work.append(args) or real(*args))
    printed.write_text(raw)  # the plugin writes the page again, as the last time
    assert finish_site(root, ["notebooks/a/index.html"], cache) == expected
    assert printed.read_text() == mended and work == []  # from the cache

    printed.write_text(raw.replace("#nowhere", "#fig-a"))  # a page changed
    assert finish_site(root, ["notebooks/a/index.html"], cache) == expected[:1]
    (root / "feature-maps" / "extra.svg").write_text("<svg/>")  # a file was added
    printed.write_text(raw)
    assert finish_site(root, ["notebooks/a/index.html"], cache) == expected
    (cache / "finish-site.json").write_text("{not json")  # a damaged record
    printed.write_text(raw)
    assert finish_site(root, ["notebooks/a/index.html"], cache) == expected
    assert printed.read_text() == mended
    assert len(work) == 6  # three times each pass
    assert len(list(cache.glob("print-page-*.html"))) == 1


def test_the_print_page_links_the_page_it_leaves_out_back_to_that_page(tmp_path):
    site(tmp_path, "")
    (tmp_path / "explorer").mkdir()
    (tmp_path / "explorer" / "index.html").write_text('<div id="x" data-fragment="state"></div>')
    printed = tmp_path / "print_page" / "index.html"
    printed.parent.mkdir()
    link = '<a href="#x-op=1">y</a>'  # no page x: still an anchor, and broken
    printed.write_text(f'<a href="#explorer-op=conv2d&amp;input=1,1,5,5">x</a>{link}')
    problems = finish_site(tmp_path, [], tmp_path / "cache")
    assert printed.read_text() == (
        f'<a href="../explorer/#op=conv2d&amp;input=1,1,5,5">x</a>{link}'
    )
    assert problems == [
        "print_page/index.html: #x-op=1: no anchor #x-op=1 in print_page/index.html"
    ]
