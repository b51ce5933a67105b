"""The print page as the print-site plugin leaves it, mended: in-page links and base."""

from __future__ import annotations

from website.print_page import mend_print_page, page_key


def test_print_page_links_are_mended_only_where_they_point_nowhere():
    page = (
        '<figure id="fig-padding-none"></figure><section id="notebooks-maps"></section>'
        '<h2 id="padding-rings"></h2>'
        '<a href="#padding-fig-padding-none">a</a> <a href="#notebooks-maps.md">b</a> '
        '<a href="#padding-rings">c</a> <a href="#padding-fig-missing">d</a>'
    )
    mended = mend_print_page(page)
    assert '<a href="#fig-padding-none">a</a>' in mended
    assert '<a href="#notebooks-maps">b</a>' in mended
    assert '<a href="#padding-rings">c</a>' in mended  # already right: untouched
    assert '<a href="#padding-fig-missing">d</a>' in mended  # nothing to mend it to


def test_the_base_address_is_made_relative_so_the_copy_works_at_any_path():
    page = (
        '<script>__md_scope=new URL("/convdemo/",location),__md_hash=e=>0</script>'
        '<script id="__config" type="application/json">{"annotate": null, "base": "/convdemo/"}'
    )
    mended = mend_print_page(page, "/convdemo/")
    assert '__md_scope=new URL("..",location)' in mended
    assert '"base": ".."' in mended and "/convdemo/" not in mended
    assert mend_print_page(page) == page  # no site path: nothing to rebase


def test_a_link_to_a_page_left_out_goes_back_to_that_page():
    page = (
        '<section id="padding"></section><section id="explorer-usage"></section>'
        '<a href="#explorer-op=conv2d&input=1,1,5,5">a</a> <a href="#explorer-usage">b</a> '
        '<a href="#padding-op=x">c</a> <a href="#notebooks-maps-op=y">d</a> '
        '<a href="#explorer">e</a> <a href="#padding">f</a>'
    )
    mended = mend_print_page(page, pages=["explorer/", "notebooks/maps/", "padding/"])
    assert '<a href="../explorer/#op=conv2d&input=1,1,5,5">a</a>' in mended
    assert '<a href="#explorer-usage">b</a>' in mended  # an anchor that exists: kept
    assert '<a href="#padding-op=x">c</a>' in mended  # a page that is there: not mended
    assert '<a href="../notebooks/maps/#op=y">d</a>' in mended
    assert '<a href="../explorer/">e</a> <a href="#padding">f</a>' in mended
    assert mend_print_page(page) == page  # no pages named: nothing to mend


def test_page_keys_are_the_print_site_plugins():
    from mkdocs_print_site_plugin.urls import get_page_key

    for url in ["", "/", "explorer/", "notebooks/maps/", "a.html", "Stride-Dilation/"]:
        assert page_key(url) == get_page_key(url), url
