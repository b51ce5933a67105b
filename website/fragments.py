"""Pages that read the fragment of their address as a setting, not as an anchor.

The explorer keeps its whole setting after the ``#``: a chapter links to
``explorer.md#op=conv2d&input=1,1,5,5&kernel_size=3``, and the page's script reads the
fragment. No element has that id, so MkDocs' anchor validation, the link check of the
built site and the print page would each call the link broken.

A page says that it reads its fragment with an element carrying ``data-fragment="state"``.
A fragment of such a page that holds ``=`` is a setting (``key=value&…``); any other
fragment is still an anchor and still checked. The rule is the same in all three places:
here for MkDocs (``drop_state_links``), in ``website.links`` for the built site, and in
``website.print_page``, which points such a link back at the live page.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TypeVar

__all__ = ["ATTRIBUTE", "MARKER", "declares_state", "drop_state_links", "is_state"]

#: What a page that reads its fragment as a setting carries, on any element: the
#: attribute's name and value, and as written in the page.
ATTRIBUTE = ("data-fragment", "state")
MARKER = f'{ATTRIBUTE[0]}="{ATTRIBUTE[1]}"'

Target = TypeVar("Target")


def is_state(fragment: str) -> bool:
    """Whether a fragment is a setting (``op=conv2d&…``) rather than an anchor's id.

    Our ids are made of letters, digits and hyphens; a setting always has ``key=value``.
    """
    return "=" in fragment


def declares_state(text: str) -> bool:
    """Whether a page (its Markdown source or its HTML) reads its fragment as a setting."""
    return MARKER in text


def drop_state_links(
    links_to_anchors: MutableMapping[Target, dict[str, str]],
    source_of: Callable[[Target], str],
) -> list[str]:
    """Remove, from MkDocs' record of one page's links to anchors, the links whose fragment
    is a setting of a page that declares it reads one; returns the links removed.

    ``links_to_anchors`` maps each target file to ``{fragment: link as written}``
    (``Page.links_to_anchors``); ``source_of`` gives a target's Markdown source.
    """
    removed: list[str] = []
    for target, links in links_to_anchors.items():
        stateful = [fragment for fragment in links if is_state(fragment)]
        if stateful and declares_state(source_of(target)):
            removed += [links.pop(fragment) for fragment in stateful]
    return removed
