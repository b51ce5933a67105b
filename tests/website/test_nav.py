"""The navigation read as data: its pages in order, and the numbered chapters."""

from __future__ import annotations

from website.nav import CHAPTERS_SECTION, chapters, nav_paths

NAV = [
    {"Home": "index.md"},
    {CHAPTERS_SECTION: [{"1. One": "one.md"}, {"2. Two": "two.md"}]},
    {"More": [{"Deep": [{"A page": "deep/a.md"}]}, "loose.md"]},
]


def test_every_page_of_the_navigation_in_order():
    assert nav_paths(NAV) == ["index.md", "one.md", "two.md", "deep/a.md", "loose.md"]
    assert nav_paths(None) == []


def test_the_chapters_are_the_chapters_section_numbered_from_one():
    assert chapters(NAV) == {"one.md": 1, "two.md": 2}
    assert chapters([{"Home": "index.md"}]) == {}
    assert chapters("index.md") == {}
