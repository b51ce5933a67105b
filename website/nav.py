"""The site's navigation, read from ``mkdocs.yml``'s ``nav`` setting as plain data: its
pages in order, and which of them are the numbered chapters. The build and the checks of
a built site both read it here."""

from __future__ import annotations

from typing import Any

__all__ = ["CHAPTERS_SECTION", "chapters", "nav_paths"]

#: The navigation section whose pages are the numbered chapters: the n-th page in it
#: is chapter n, its figures are "Figure n.1", "Figure n.2"…, and it ends with a citation.
CHAPTERS_SECTION = "Chapters"


def nav_paths(nav: Any) -> list[str]:
    """Every page of a navigation setting, in order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in nav_paths(item)]
    return []


def chapters(nav: Any) -> dict[str, int]:
    """The pages of the navigation's chapters section, numbered from 1."""
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict) and CHAPTERS_SECTION in item:
            paths = nav_paths(item[CHAPTERS_SECTION])
            return {path: number for number, path in enumerate(paths, start=1)}
    return {}
