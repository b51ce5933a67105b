"""Figure blocks and computed numbers in page Markdown."""

from __future__ import annotations

import pytest

from figures.pages import PageError, expand

NUMBERS = {"padding": {"size": 8, "valid": 6}, "ops": {"direct": 7225344, "share": 0.9123}}
FILES = {"padding-none": "padding-none.svg", "input-photo": "input-photo.png"}

BLOCK = """Before.

:::figure padding-none
alt: An {{ padding.size }} by {{ padding.size }} grid [with brackets].
A caption with **Markdown**
over two lines.
:::

After."""


def test_negative_numbers_get_a_minus_sign():
    text, _ = expand(
        "{{ w.a }} {{ w.b:g }} {{ w.c }}", "a.md", {"w": {"a": -1, "b": -0.5, "c": "-x"}}, FILES
    )
    assert text == "−1 −0.5 -x"


def test_numbers_are_substituted_with_optional_format():
    text, _ = expand(
        "{{ padding.size }}, {{ops.direct:,}} and {{ ops.share:.0% }}", "a.md", NUMBERS, FILES
    )
    assert text == "8, 7,225,344 and 91%"


@pytest.mark.parametrize("bad", ["{{ padding.sise }}", "{{ padd.size }}", "{{ size }}", "{{}}"])
def test_unknown_or_malformed_numbers_fail_naming_page_and_reference(bad):
    with pytest.raises(PageError, match=r"chapter\.md"):
        expand(f"text {bad} text", "chapter.md", NUMBERS, FILES)


def test_figure_block_becomes_a_figure_with_anchor_alt_and_caption():
    text, placed = expand(BLOCK, "padding.md", NUMBERS, FILES)
    assert placed == ["padding-none"]
    assert '<figure class="convdemo-figure" id="fig-padding-none" markdown="span">' in text
    assert r"![An 8 by 8 grid \[with brackets\].](figures/padding-none.svg)" in text
    assert (
        '<figcaption markdown="span">A caption with **Markdown** over two lines.</figcaption>'
        in text
    )
    assert text.startswith("Before.") and text.endswith("After.")


def test_links_are_relative_to_the_page():
    text, _ = expand(BLOCK, "chapters/deep/padding.md", NUMBERS, FILES)
    assert "(../../figures/padding-none.svg)" in text


@pytest.mark.parametrize(
    "block, message",
    [
        (":::figure nope\nalt: x\ncaption\n:::", "unknown figure 'nope'"),
        (":::figure padding-none\ncaption without alt\n:::", "needs an 'alt: …' line"),
        (":::figure padding-none\nalt:   \ncaption\n:::", "needs an 'alt: …' line"),
        (":::figure padding-none\nalt: something\n:::", "needs a caption"),
        (":::figure padding-none\nalt: x\ncaption", "has no closing ':::' line"),
        (
            ":::figure padding-none\nalt: a\nb\n:::\n\n:::figure padding-none\nalt: a\nb\n:::",
            "placed twice",
        ),
    ],
)
def test_malformed_figure_blocks_fail_naming_the_page(block, message):
    with pytest.raises(PageError, match=message) as raised:
        expand(block, "padding.md", NUMBERS, FILES)
    assert str(raised.value).startswith("padding.md: ")


def test_an_unclosed_block_does_not_swallow_the_next():
    text = ":::figure padding-none\nalt: A.\nCaption a.\n\n:::figure input-photo\nalt: B.\nB.\n:::"
    with pytest.raises(PageError, match="':::figure padding-none' has no closing"):
        expand(text, "padding.md", NUMBERS, FILES)
