"""An animation's SVG made fit to inline: slimmed, its text outlines shared on the page."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from figures.animate import render_animation
from figures.spec import animation
from website.animation_html import PageGlyphs, share_glyphs, slim

A = (
    "<svg><metadata><rdf:RDF>about</rdf:RDF></metadata>\n <defs>\n"
    '  <pattern id="a-h1"><path d="M0 0"/></pattern>\n </defs>\n'
    ' <g id="a-figure_1">\n  <!-- input 2×2 -->\n'
    '  <path d="M1 1" style="fill:url(#a-h1)"/>\n'
    '  <g id="a-text_1"><defs><path id="a-DejaVuSans-30" d="M0 0L1 1" transform="scale(0.1)"/>'
    '<path id="a-DejaVuSans-20" transform="scale(0.1)"/></defs>'
    '<use href="#a-DejaVuSans-30"/><use href="#a-DejaVuSans-20"/></g>\n </g>\n\n</svg>'
)
B = (
    '<svg><g id="b-text_1"><defs><path id="b-DejaVuSans-30" d="M0 0L1 1" transform="scale(0.1)"/>'
    '<path id="b-DejaVuSans-31" d="M2 2" transform="scale(0.1)"/></defs>'
    '<use href="#b-DejaVuSans-30"/><use href="#b-DejaVuSans-31"/></g></svg>'
)


def ids_and_references(page: str) -> tuple[Counter[str], set[str]]:
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    referred = {a or b for a, b in re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', page)}
    return ids, referred


def test_slim_keeps_what_is_drawn_and_referred_to():
    slimmed = slim(A)
    assert "<metadata>" not in slimmed and "<!--" not in slimmed
    assert "\n\n" not in slimmed and "\n " not in slimmed  # no blank line, no indentation
    ids, referred = ids_and_references(slimmed)
    assert set(ids) == referred == {"a-h1", "a-DejaVuSans-30", "a-DejaVuSans-20"}
    assert 'style="fill:url(#a-h1)"' in slimmed


def test_a_glyph_the_page_defines_is_used_again_not_defined_again():
    glyphs = PageGlyphs("page-glyph-")
    page = share_glyphs(A, glyphs) + share_glyphs(B, glyphs)
    ids, referred = ids_and_references(page)
    assert ids["page-glyph-DejaVuSans-30"] == 1  # defined by the first SVG only
    assert {"page-glyph-DejaVuSans-31", "page-glyph-DejaVuSans-20"} <= set(ids)
    assert not any("a-DejaVu" in i or "b-DejaVu" in i for i in ids)
    assert referred <= set(ids) | {"a-h1"}
    assert page.count('href="#page-glyph-DejaVuSans-30"') == 2


def test_a_glyph_drawn_otherwise_keeps_its_own_definition():
    glyphs = PageGlyphs("page-glyph-")
    other = B.replace('d="M0 0L1 1"', 'd="M9 9"')
    page = share_glyphs(A, glyphs) + share_glyphs(other, glyphs)
    ids, referred = ids_and_references(page)
    assert ids["page-glyph-DejaVuSans-30"] == 1 and ids["b-DejaVuSans-30"] == 1
    assert 'href="#b-DejaVuSans-30"' in page
    assert referred <= set(ids) | {"a-h1"}


@pytest.fixture(scope="module")
def two_animations():
    small = {"size": 3, "kernel_size": 2, "numbers": True}
    specs = [
        animation("page-a", "convdemo.animations:sliding_window", op="conv", **small),
        animation("page-b", "convdemo.animations:sliding_window", op="conv_transpose", **small),
    ]
    return [
        render_animation(spec, lambda: None).files[spec.outputs.inline].decode() for spec in specs
    ]


def test_two_real_animations_on_one_page_resolve_every_reference(two_animations):
    """As matplotlib draws them: every id once on the page, every reference defined, and
    the second animation's text costs no outlines the first already defined."""
    glyphs = PageGlyphs("chapter-glyph-")
    inlined = [slim(share_glyphs(svg, glyphs)) for svg in two_animations]  # as inlined
    ids, referred = ids_and_references("".join(inlined))
    assert referred <= set(ids)
    assert max(ids.values()) == 1
    first = set(re.findall(r'id="(chapter-glyph-[^"]+)"', inlined[0]))
    second_uses = set(re.findall(r'href="#(chapter-glyph-[^"]+)"', inlined[1]))
    assert first & second_uses  # digits and letters both animations write
    assert not set(re.findall(r'id="(chapter-glyph-[^"]+)"', inlined[1])) & first
    alone = sum(len(slim(svg)) for svg in two_animations)
    assert len("".join(inlined)) < alone
