"""Zoom in a real browser: a figure opens full screen in the scheme it is read in, by
mouse or keyboard, and closes with Escape, focus back where it was; on the print page
too, where paper shows the page and not the lightbox.
"""

from __future__ import annotations

import re

import pytest

from checks.browser import visit

CHAPTER = "padding/"
#: The figure of the chapter's page that the reader sees in ``scheme``, and its link.
SHOWN = "figure.convdemo-figure:not(.convdemo-animation) a.convdemo-zoom[href$='#only-{scheme}']"
OPEN = ".glightbox-container .gslide-image img"
# What the lightbox shows: its image (address, loaded, size on screen), where the
# keyboard is, and the colour under the image (the page's, per scheme).
STATE = """() => {
  const image = document.querySelector('.glightbox-container .gslide-image img');
  const box = image ? image.getBoundingClientRect() : null;
  return {
    open: document.documentElement.classList.contains('glightbox-open'),
    src: image ? image.src : null,  // resolved, as the link's href
    loaded: !!image && image.complete && image.naturalWidth > 0,
    width: box ? box.width : 0, height: box ? box.height : 0,
    focus: document.activeElement ? document.activeElement.className : '',
    alt: image ? image.alt : null,
    name: (document.getElementById('glightbox-body') || {getAttribute: () => null})
      .getAttribute('aria-label'),
  };
}"""
CLOSED = "() => !document.querySelector('.glightbox-container')"


def _open_state(page, timeout=10_000):
    page.wait_for_selector(OPEN, state="visible", timeout=timeout)
    page.wait_for_function(
        "() => { const i = document.querySelector('.glightbox-container .gslide-image img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=timeout,
    )
    # Opened: the fade has ended (what is measured is what the reader ends up seeing).
    page.wait_for_function("() => document.getAnimations().length === 0", timeout=timeout)
    return page.evaluate(STATE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_click_shows_the_figure_of_the_scheme_full_screen_and_escape_closes_it(
    chromium, base, scheme
):
    result = visit(chromium, base + CHAPTER, scheme)
    page = result.page
    try:
        link = page.locator(SHOWN.format(scheme=scheme)).first
        href = link.evaluate("a => a.href")
        alt = link.locator("img").get_attribute("alt")
        # GLightbox is not part of the page's weight: loaded at the first click, from the site.
        assert [url for url in result.requests if "glightbox" in url] == []
        link.click()
        state = _open_state(page)
        assert state["open"]
        loaded = sorted(url.rpartition("/")[2] for url in result.requests if "glightbox" in url)
        assert loaded == ["glightbox.min.css", "glightbox.min.js"]
        assert state["src"] == href and href.endswith(f"#only-{scheme}")
        assert ("-dark." in href) == (scheme == "dark")
        assert state["alt"] == alt  # the enlarged figure keeps its description
        # Full screen: the image's box takes most of the 1280×900 window.
        assert state["width"] >= 0.9 * 1280 and state["height"] >= 0.7 * 900, state
        assert "gclose" in state["focus"]  # the keyboard is in the lightbox
        label = link.get_attribute("data-description")
        assert re.fullmatch(r"Figure \d+\.\d+", label)
        assert state["name"] == f"{label}, full screen"  # the dialog says what it shows
        page.keyboard.press("Escape")
        page.wait_for_function(CLOSED, timeout=10_000)
        assert not page.evaluate(STATE)["open"]
        assert result.errors == []
        assert result.outside(base) == []
    finally:
        page.context.close()


def test_the_keyboard_opens_with_enter_stays_in_the_lightbox_and_returns_focus(chromium, base):
    result = visit(chromium, base + CHAPTER, "dark")
    page = result.page
    try:
        link = page.locator(SHOWN.format(scheme="dark")).nth(1)
        href = link.evaluate("a => a.href")
        link.focus()
        page.keyboard.press("Enter")
        state = _open_state(page)
        assert state["src"] == href and "-dark." in href
        assert "gclose" in state["focus"]
        for _ in range(3):  # Tab does not wander to the page behind
            page.keyboard.press("Tab")
            assert "gclose" in page.evaluate(STATE)["focus"]
        page.keyboard.press("Escape")
        page.wait_for_function(CLOSED, timeout=10_000)
        back = page.evaluate("() => document.activeElement.href")
        assert back == href  # the reader carries on from the figure they opened
        page.keyboard.press("Enter")  # and can open it again
        assert _open_state(page)["src"] == href
        page.keyboard.press("Escape")
        page.wait_for_function(CLOSED, timeout=10_000)
        assert result.errors == []
    finally:
        page.context.close()


def test_only_the_figure_of_the_reader_s_scheme_is_a_tab_stop_and_animations_are_not_zoomed(
    chromium, base
):
    result = visit(chromium, base + "groups/", "dark")
    page = result.page
    try:
        counts = page.evaluate(
            """() => ({
              figures: document.querySelectorAll(
                'figure.convdemo-figure:not(.convdemo-animation)').length,
              shown: [...document.querySelectorAll('a.convdemo-zoom')]
                .filter(a => getComputedStyle(a).display !== 'none')
                .map(a => a.getAttribute('href')),
              animations: document.querySelectorAll('figure.convdemo-animation').length,
              zoomedAnimations: document.querySelectorAll(
                'figure.convdemo-animation a.glightbox').length,
            })"""
        )
    finally:
        page.context.close()
    assert counts["animations"] >= 1 and counts["zoomedAnimations"] == 0
    assert len(counts["shown"]) == counts["figures"] >= 1
    assert all(href.endswith("#only-dark") for href in counts["shown"])


def test_the_print_page_zooms_on_screen_and_prints_no_lightbox(chromium, base):
    result = visit(chromium, base + "print_page/", "dark")
    page = result.page
    try:
        link = page.locator(SHOWN.format(scheme="dark")).first
        href = link.evaluate("a => a.href")
        link.click()
        assert _open_state(page)["src"] == href
        page.emulate_media(media="print")  # printed with the figure open
        printed = page.evaluate(
            """() => ({
              lightbox: getComputedStyle(document.querySelector('.glightbox-container')).display,
              overflow: getComputedStyle(document.documentElement).overflow,
              figures: [...document.querySelectorAll(
                  'figure.convdemo-figure:not(.convdemo-animation) img')]
                .filter(image => getComputedStyle(image).display !== 'none')
                .map(image => image.getAttribute('src').split('#')[1]),
            })"""
        )
        assert printed["lightbox"] == "none"
        assert printed["overflow"] == "visible"
        assert printed["figures"] and set(printed["figures"]) == {"only-light"}
        page.emulate_media(media="screen")
        page.keyboard.press("Escape")
        page.wait_for_function(CLOSED, timeout=10_000)
        assert result.errors == []
        assert result.outside(base) == []
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_lightbox_has_no_serious_accessibility_violation(chromium, base, scheme):
    from axe_playwright_python.sync_playwright import Axe

    result = visit(chromium, base + CHAPTER, scheme)
    page = result.page
    try:
        page.locator(SHOWN.format(scheme=scheme)).first.click()
        _open_state(page)
        violations = Axe().run(page).response["violations"]
    finally:
        page.context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
