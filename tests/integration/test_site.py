"""The built site as files: every internal link resolves, and two clean builds agree."""

from __future__ import annotations

import datetime
import html
import html.parser
import re
from collections import Counter

import yaml

from checks.addresses import PRINT_PAGE
from checks.browser import pages_of
from checks.weight import chapter_pages
from figures.config import ROOT
from tests.integration.project import copy_project, mkdocs, tree_digest
from website.citation import MONTH_NAMES
from website.html import LINK_ATTRIBUTES, srcset_urls
from website.links import check_site

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]


def test_every_internal_link_and_anchor_resolves(site, capsys):
    report = check_site(site, SITE_URL)
    assert [str(broken) for broken in report.broken] == []
    assert report.pages >= 16 and report.links > 500  # chapters, notebooks, print page…
    with capsys.disabled():  # external links are listed for a person, never fetched
        print(f"\n{report.summary()}:")
        for page, url in report.external:
            print(f"  {page}: {url}")


# What a browser loads by itself: every referencing attribute but a link a reader follows.
LOADS = {tag: names for tag, names in LINK_ATTRIBUTES.items() if tag != "a"}
# <link rel> values that only name a page (canonical, alternate…) and load nothing.
LINK_LOADS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
REMOTE_IN_CODE = re.compile(
    r"""(?:import\s*\(\s*|@import\s+|url\(\s*)["']?(?:https?:)?//""", re.IGNORECASE
)


class _Loads(html.parser.HTMLParser):
    """What a page would fetch from elsewhere, and whether it holds a mermaid diagram."""

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.mermaid = False
        self._code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.mermaid |= "mermaid" in attributes.get("class", "").split()
        self._code = tag in ("script", "style")
        if tag == "link" and not LINK_LOADS & set(attributes.get("rel", "").lower().split()):
            return
        for name in LOADS.get(tag, ()):
            values = [attributes.get(name, "")]
            if name == "srcset":
                values = srcset_urls(values[0])
            self.remote += [f"<{tag} {name}={value}>" for value in values if REMOTE.match(value)]
        if REMOTE_IN_CODE.search(attributes.get("style", "")):
            self.remote.append(f"<{tag} style=...>")

    def handle_endtag(self, tag: str) -> None:
        self._code = False

    def handle_data(self, data: str) -> None:
        if self._code:
            self.remote += [match.group(0) for match in REMOTE_IN_CODE.finditer(data)]


def test_no_page_or_stylesheet_loads_anything_from_another_host(site):
    """Static half of the privacy check: the browser test sees only what runs on load.

    Material's bundle holds two fallbacks that fetch from unpkg, neither reachable here:
    a ResizeObserver polyfill for browsers without one, and mermaid for pages with a
    diagram (none has one, checked below).
    """
    remote: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(site).as_posix()
        remote += [f"{name}: {load}" for load in parser.remote]
        assert not parser.mermaid, f"{name} holds a mermaid diagram, loaded from unpkg"
    for stylesheet in sorted(site.rglob("*.css")):
        text = stylesheet.read_text(encoding="utf-8")
        name = stylesheet.relative_to(site).as_posix()
        remote += [f"{name}: {match.group(0)}" for match in REMOTE_IN_CODE.finditer(text)]
    assert remote == []


def test_two_clean_builds_give_identical_sites(built, tmp_path):
    """Same sources, same SOURCE_DATE_EPOCH (set by tests.integration.project): same bytes."""
    again = copy_project(tmp_path / "again")
    result = mkdocs(again, "build", "--strict")
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(built / "site"), tree_digest(again / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# The permalink's class: MkDocs' toc extension on pages, nbconvert's on notebook pages.
PERMALINK = {"headerlink", "anchor-link"}


class _Headings(html.parser.HTMLParser):
    """Each heading of a page: its id, and the permalinks inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, list[str]]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open = tag
            self.headings.append((attributes.get("id") or "", []))
        elif self._open and tag == "a" and PERMALINK & set((attributes.get("class") or "").split()):
            self.headings[-1][1].append(attributes.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None


def test_every_heading_of_every_page_has_a_permalink(site):
    """Chapters, notebooks, the home and Figures pages: every heading can be linked to.

    The print page is left out: it is one copy of all the others, for paper.
    """
    chapters = chapter_pages(ROOT / "mkdocs.yml")
    pages = [page for page in pages_of(site) if page != PRINT_PAGE]
    assert set(chapters) < set(pages) and any(page.startswith("notebooks/") for page in pages)
    for page in pages:
        parser = _Headings()
        parser.feed((site / page / "index.html").read_text())
        assert parser.headings, page
        for anchor, links in parser.headings:
            assert anchor and links == [f"#{anchor}"], (page, anchor, links)
        if page in chapters:
            assert "cite-this-page" in [anchor for anchor, _ in parser.headings], page


def _cite_section(page: str) -> tuple[str, list[str]]:
    """A built chapter's title (its h1) and the text of each code block under "Cite this page"."""
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    section = page[page.index('id="cite-this-page"') :]
    section = section[: section.index("</article>")]
    blocks = re.findall(r"<code[^>]*>(.*?)</code>", section, re.DOTALL)

    def text(markup: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", markup)).replace("¶", "").strip()

    assert title, "no h1"
    return text(title.group(1)), [text(block) for block in blocks]


def test_every_chapter_ends_with_its_own_citation(site):
    """Title, address, version and release date of each chapter, read from the sources."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    released = datetime.date.fromisoformat(str(cff["date-released"]))
    month = MONTH_NAMES[released.month - 1]
    for chapter in chapter_pages(ROOT / "mkdocs.yml"):
        title, blocks = _cite_section((site / chapter / "index.html").read_text())
        assert len(blocks) == 2, chapter
        bibtex, plain = blocks[0].replace("{$\\times$}", "×"), blocks[1]  # LaTeX for ×
        url = SITE_URL + chapter
        assert bibtex.startswith("@misc{convdemo-") and bibtex.endswith("}"), chapter
        assert f"title        = {{{{{title}}} --- in {{{cff['title']}}}}}," in bibtex
        assert f"\\url{{{url}}}" in bibtex and f"url          = {{{url}}}," in bibtex
        assert f"{{Version {cff['version']}}}" in bibtex
        assert f"year         = {{{released.year}}}," in bibtex
        assert f"month        = {month[:3].lower()}," in bibtex
        date = f"({released.year}, {month} {released.day})"
        sentence = title if title.endswith(("?", "!", ".")) else title + "."
        assert plain == (
            f"{cff['authors'][0]['name']} {date}. {sentence} In {cff['title']} "
            f"(version {cff['version']}). {url}"
        ), chapter


_STAGE_SVG = re.compile(r'<div class="convdemo-stage">(<svg.*?</svg>)', re.DOTALL)
_REFERENCE = re.compile(r'href="#([^"]+)"|url\(#([^)]+)\)')


def test_the_animations_of_a_page_define_each_id_once_and_every_reference(site):
    """Inline animations share their text outlines on a page: in every page, the print
    page (all chapters in one) included, an id their SVGs define is defined once, and
    every ``href="#…"`` and ``url(#…)`` in them finds its target."""
    seen = 0
    for page in pages_of(site):
        text = (site / page / "index.html").read_text()
        stages = _STAGE_SVG.findall(text)
        if not stages:
            continue
        seen += len(stages)
        every_id = Counter(re.findall(r'\sid="([^"]+)"', text))
        defined = {i for svg in stages for i in re.findall(r'\sid="([^"]+)"', svg)}
        twice = sorted(i for i in defined if every_id[i] > 1)
        assert not twice, (page, twice[:5])
        references = [_REFERENCE.findall(svg) for svg in stages]
        referred = {a or b for found in references for a, b in found}
        assert referred <= set(every_id), (page, sorted(referred - set(every_id))[:5])
    assert seen >= 2 * 25  # every animation on its chapter and again on the print page
