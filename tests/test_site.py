"""The built site as files: every internal link resolves, and two clean builds agree."""

from __future__ import annotations

import html.parser

import yaml

from figures.config import ROOT
from figures.linkcheck import check_site
from figures.weight import chapter_pages
from tests.sitebuild import copy_project, mkdocs, tree_digest

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]


def test_every_internal_link_and_anchor_resolves(site, capsys):
    report = check_site(site, SITE_URL)
    assert [str(broken) for broken in report.broken] == []
    assert report.pages >= 16 and report.links > 500  # chapters, notebooks, print page…
    with capsys.disabled():  # external links are listed for a person, never fetched
        hosts = sorted({url.split("/")[2] for _, url in report.external if "//" in url})
        print(f"\n{report.summary()}; external hosts linked: {', '.join(hosts)}")


def test_two_clean_builds_give_identical_sites(built, tmp_path):
    """Same sources, same SOURCE_DATE_EPOCH (set by tests.sitebuild): same bytes."""
    again = copy_project(tmp_path / "again")
    result = mkdocs(again, "build", "--strict")
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(built / "site"), tree_digest(again / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


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
        elif self._open and tag == "a" and "headerlink" in (attributes.get("class") or ""):
            self.headings[-1][1].append(attributes.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None


def test_every_heading_of_every_chapter_has_a_permalink(site):
    chapters = chapter_pages(ROOT / "mkdocs.yml")
    for chapter in chapters:
        parser = _Headings()
        parser.feed((site / chapter / "index.html").read_text())
        assert len(parser.headings) >= 2, chapter  # the title, and the citation at least
        for anchor, links in parser.headings:
            assert anchor and links == [f"#{anchor}"], (chapter, anchor, links)
        assert "cite-this-page" in [anchor for anchor, _ in parser.headings], chapter
