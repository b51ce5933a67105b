"""The built site in a real browser (Debian's chromium): every page in light and dark.

Each page loads with no console error, failed request or request to another host,
every image on screen decodes, every figure shows the image of the scheme it is read
in, every listed figure anchor exists, and axe-core finds no serious or critical
accessibility violation. A screenshot of each page in each scheme is saved under
``.cache/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from checks.addresses import listed
from checks.browser import pages_of, serve, visit
from checks.weight import (
    BUDGET,
    chapter_pages,
    print_weights,
    site_size,
    weigh_pages,
)
from figures.config import ROOT
from figures.registry import FIGURES as REGISTRY
from tests.convdemo.test_legibility import COLUMN

SCREENSHOTS = ROOT / ".cache" / "screenshots"
PAGES = [entry for entry in listed() if "#" not in entry]
ANCHORS = {
    page: [e.partition("#")[2] for e in listed() if e.startswith(page + "#")] for page in PAGES
}
SCHEMES = ["light", "dark"]
FIGURE_NAMES = {spec.name for spec in REGISTRY}


def url_of(base: str, page: str) -> str:
    return base + ("" if page == "/" else page)


# The page images of the figures: name.svg|webp for light, name-dark.svg|webp for dark.
PAGE_IMAGE = re.compile(r"/figures/([\w-]+?)(-dark)?\.(?:svg|webp)$")


def _scheme_of(url: str) -> str | None:
    """``"light"`` or ``"dark"`` for the page image of a figure, None for anything else."""
    match = PAGE_IMAGE.search(url.split("#")[0].split("?")[0])
    if match is None or match.group(1) not in FIGURE_NAMES:
        return None
    return "dark" if match.group(2) else "light"


# Every image the reader can see: displayed, and on the page (not a hidden variant).
VISIBLE_IMAGES = """() => [...document.images]
    .filter(image => getComputedStyle(image).display !== 'none' && image.offsetParent !== null)
    .map(image => ({src: image.currentSrc || image.src, alt: image.alt,
                    loaded: image.complete && image.naturalWidth > 0}))"""
FIGURES = """() => [...document.querySelectorAll('figure.convdemo-figure:not(.convdemo-animation)')]
  .map(figure => ({
    id: figure.id,
    shown: [...figure.querySelectorAll('img')]
        .filter(image => getComputedStyle(image).display !== 'none')
        .map(image => image.getAttribute('src')),
    alt: figure.querySelector('img').alt}))"""


ANIMATIONS = """() => [...document.querySelectorAll('figure.convdemo-animation')].map(f => ({
    id: f.id,
    controls: !f.querySelector('.convdemo-player').hidden
        && !!f.querySelector('.convdemo-player button'),
    live: f.querySelector('.convdemo-player-live').textContent,
    label: f.querySelector('.convdemo-stage svg').getAttribute('aria-label') || '',
    storyboard: getComputedStyle(f.querySelector('img.convdemo-storyboard')).display}))"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly_from_the_site_alone(chromium, base, site, page, scheme):
    result = visit(chromium, url_of(base, page), scheme)
    try:
        if page != "print_page/":  # first, so that a failing page has its picture too
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = page.strip("/").replace("/", "-") or "home"
            result.page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.png", full_page=True)
        assert result.errors == []
        assert result.outside(base) == [], "requests to hosts other than the site"
        images = result.page.evaluate(VISIBLE_IMAGES)
        assert [image["src"] for image in images if not image["loaded"]] == []
        body = result.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert body == ("slate" if scheme == "dark" else "default")
        for anchor in ANCHORS[page]:
            assert result.page.evaluate(f"!!document.getElementById('{anchor}')"), anchor
        if page != "print_page/":  # which prints in light ink, so loads the light images
            other = [url for url in result.requests if _scheme_of(url) not in (None, scheme)]
            assert other == [], f"images of the other scheme loaded in {scheme}"
        for figure in result.page.evaluate(FIGURES):
            assert len(figure["shown"]) == 1, figure["id"]
            assert figure["shown"][0].endswith(f"#only-{scheme}"), figure["id"]
            words = re.findall(r"[A-Za-z]{2,}", figure["alt"])
            assert len(words) >= 6, f"{figure['id']}: alt text {figure['alt']!r} says too little"
        for animation in result.page.evaluate(ANIMATIONS):
            assert animation["controls"] and animation["live"].startswith("Step 1 of "), animation
            assert len(re.findall(r"[A-Za-z]{2,}", animation["label"])) >= 6, animation
            assert animation["storyboard"] == "none"  # on screen the player, on paper this
    finally:
        result.page.context.close()


# The width a chapter's text and figures get: the article's content box, in CSS pixels.
CONTENT_COLUMN = """() => {
    const article = document.querySelector('article.md-content__inner');
    const style = getComputedStyle(article);
    return {window: window.innerWidth,
            column: article.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight),
            figures: [...article.querySelectorAll('figure.convdemo-figure')]
                .map(figure => figure.getBoundingClientRect().width)};
}"""


def test_the_content_column_is_the_width_the_legibility_check_scales_figures_to(chromium, base):
    """tests/convdemo/test_legibility.py shrinks a wide figure to ``COLUMN`` CSS pixels
    before it measures its smallest text: that is a chapter's column at a 1280 px window."""
    result = visit(chromium, url_of(base, "convolution/"))
    try:
        measured = result.page.evaluate(CONTENT_COLUMN)
    finally:
        result.page.context.close()
    assert measured["window"] == 1280
    assert measured["column"] == COLUMN
    assert measured["figures"] and max(measured["figures"]) <= COLUMN


@pytest.fixture(scope="module")
def root_base(site):
    """The site served from the root of a host, not under site_url's path: as a reader
    who copies site/ to their own server, or opens it at another address, would."""
    with serve(site, prefix="/") as url:
        yield url


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly_from_the_root_of_another_host(chromium, root_base, page):
    result = visit(chromium, url_of(root_base, page))
    try:
        assert result.errors == []  # no 404: nothing asked for by site_url's path
        assert result.outside(root_base) == []
        images = result.page.evaluate(VISIBLE_IMAGES)
        assert [image["src"] for image in images if not image["loaded"]] == []
        if ANCHORS[page]:  # a page with figures shows them
            assert images
    finally:
        result.page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violation(chromium, base, page, scheme):
    from axe_playwright_python.sync_playwright import Axe

    result = visit(chromium, url_of(base, page), scheme)
    try:
        violations = Axe().run(result.page).response["violations"]
    finally:
        result.page.context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_search_finds_a_chapter_by_a_word_in_it(chromium, base):
    result = visit(chromium, base)
    page = result.page
    try:
        page.click("input.md-search__input")
        page.keyboard.type("checkerboard", delay=20)  # as a reader types, key by key
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        links = page.eval_on_selector_all(
            ".md-search-result__item a", "links => links.map(link => link.href)"
        )
    finally:
        page.context.close()
    assert any(link.startswith(base + "transposed/") for link in links), links


@pytest.fixture(scope="module")
def weights(chromium, base, site):
    """What every page loads, in each scheme, as ``make bench`` weighs it."""
    return weigh_pages(chromium, base, site, pages_of(site))


def test_the_heaviest_chapter_is_within_budget_in_either_scheme(weights):
    chapters = chapter_pages(ROOT / "mkdocs.yml")
    assert {"convolution/", "transposed/"} <= set(chapters) and len(chapters) >= 8
    heaviest = {page: max(weights[page].values()) for page in chapters}
    assert max(heaviest.values()) <= BUDGET, heaviest
    assert min(min(sizes.values()) for sizes in weights.values()) > 50_000  # theme alone


def test_bench_prints_the_weight_of_every_page_and_of_the_site(site, weights, capsys):
    assert print_weights(site, weights) is False  # no chapter over budget
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if re.fullmatch(r"\s+\d+\.\d\d\s+\d+\.\d\d MB  \S+.*", line)]
    assert sorted(row.split()[3] for row in rows) == sorted(page or "/" for page in pages_of(site))
    for row in rows:  # both schemes' weights, as measured
        light, dark, _, address = row.split()[:4]
        sizes = weights[address]
        assert (float(light), float(dark)) == (
            round(sizes["light"] / 1e6, 2),
            round(sizes["dark"] / 1e6, 2),
        )
    assert lines[-1].endswith("the whole site, every file")
    assert abs(float(lines[-1].split()[0]) * 1e6 - site_size(site)) < 0.01e6
