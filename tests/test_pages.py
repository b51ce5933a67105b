"""Figure blocks and computed numbers in page Markdown."""

from __future__ import annotations

import pytest

from figures.pages import FigureFiles, FigureRow, PageError, article, expand, figure_label

NUMBERS = {"padding": {"size": 8, "valid": 6}, "ops": {"direct": 7225344, "share": 0.9123}}
FILES = {
    "padding-none": FigureFiles.of("padding-none", "padding-none.svg", [385, 212]),
    "input-photo": FigureFiles.of("input-photo", "input-photo.webp"),
}

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


@pytest.mark.parametrize(
    "number, expected",
    [
        *[("8", "an"), ("11", "an"), ("18", "an"), ("80", "an"), ("800", "an"), ("8.5", "an")],
        *[("11,000", "an"), ("18000", "an"), ("3", "a"), ("1", "a"), ("10", "a"), ("110", "a")],
        *[("1100", "a"), ("100", "a"), ("−8", "a"), ("1, 8", "a"), ("8,00", "an")],
        *[("x", None), ("even", None), ("", None)],
    ],
)
def test_the_article_before_a_number_follows_how_it_is_read(number, expected):
    assert article(number) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("a {{ n.eight }} by a {{ n.six }}", "an 8 by a 6"),
        ("an {{ n.six }}, an {{ n.eleven }}", "a 6, an 11"),
        ("Take a\n{{ n.eight }}-channel patch", "Take an\n8-channel patch"),  # wrapped
        ("An {{ n.six }}. A {{ n.eight }}! alt: A {{ n.eleven }}", "A 6. An 8! alt: An 11"),
        ("\nA {{ n.eight }} by {{ n.six }}", "\nAn 8 by 6"),
        ("matrix A {{ n.eight }}", "matrix A 8"),  # a name, not an article
        ("**A {{ n.eight }}**. - A {{ n.six }}", "**An 8**. - A 6"),
        (
            "x\n- A {{ n.eight }}-pixel\n# A {{ n.eleven }}\n> A {{ n.eight }}",
            "x\n- An 8-pixel\n# An 11\n> An 8",
        ),
        ('"A {{ n.eight }}", matrix *A {{ n.eight }}*', '"An 8", matrix *A 8*'),
        ("an {{ n.word }} and a {{ n.word }}", "an even and a even"),  # words: as written
        ("Ban {{ n.eight }}, banana {{ n.eight }}", "Ban 8, banana 8"),
        ("Ban" + " " * 38 + "{{ n.six }}", "Ban" + " " * 38 + "6"),  # at the window's edge
        ("a {{ n.eight }} {{ n.six }}", "an 8 6"),
    ],
)
def test_an_article_before_a_number_is_chosen_for_the_number(written, expected):
    numbers = {"n": {"eight": 8, "six": 6, "eleven": 11, "word": "even"}}
    assert expand(written, "a.md", numbers, FILES)[0] == expected


@pytest.mark.parametrize("bad", ["{{ padding.sise }}", "{{ padd.size }}", "{{ size }}", "{{}}"])
def test_unknown_or_malformed_numbers_fail_naming_page_and_reference(bad):
    with pytest.raises(PageError, match=r"chapter\.md"):
        expand(f"text {bad} text", "chapter.md", NUMBERS, FILES)


def test_figure_block_becomes_a_figure_with_anchor_alt_and_caption():
    text, placed = expand(BLOCK, "padding.md", NUMBERS, FILES, chapter=2)
    assert placed == ["padding-none"]
    assert '<figure class="convdemo-figure" id="fig-padding-none" markdown="span">' in text
    alt = r"![An 8 by 8 grid \[with brackets\].]"
    size = 'width="385" height="212" loading=lazy'
    assert f"{alt}(figures/padding-none.svg#only-light){{ {size} }}" in text
    assert f"{alt}(figures/padding-none-dark.svg#only-dark){{ {size} }}" in text
    assert (
        '<figcaption markdown="span"><span class="convdemo-figure-number">Figure 2.1.</span> '
        "A caption with **Markdown** over two lines." in text
    )
    assert text.startswith("Before.") and text.endswith("After.")


def test_every_figure_offers_svg_pdf_and_png_downloads():
    text, _ = expand(BLOCK, "padding.md", NUMBERS, FILES, chapter=2)
    for title, file in [("SVG", "svg"), ("PDF", "pdf"), ("PNG (3×)", "png")]:
        link = f'[{title}](figures/padding-none.{file}){{ download="padding-none.{file}" }}'
        assert link in text


def test_figures_are_numbered_in_order_within_their_chapter():
    two = BLOCK + "\n\n:::figure input-photo\nalt: A photo.\nThe photo.\n:::\n"
    text, placed = expand(two, "feature-maps.md", NUMBERS, FILES, chapter=5)
    assert placed == ["padding-none", "input-photo"]
    assert text.index("Figure 5.1.") < text.index("Figure 5.2.")
    assert "Download Figure 5.2:" in text
    assert figure_label(None, 3) == "Figure 3"  # a page outside the chapters


def test_links_are_relative_to_the_page():
    text, _ = expand(BLOCK, "chapters/deep/padding.md", NUMBERS, FILES)
    assert "(../../figures/padding-none.svg#only-light)" in text
    assert "(../../figures/padding-none.png){ download=" in text


def test_the_figure_index_shows_each_figure_in_both_schemes_with_its_number():
    row = FigureRow(
        "input-photo", FILES["input-photo"], "m:f", "maps.md", "Maps", "A photo.", "Figure 5.1"
    )
    text, _ = expand("# All\n\n:::figure-index\n", "figures.md", NUMBERS, FILES, [row])
    assert "| [Figure 5.1](maps.md#fig-input-photo) |" in text
    assert "(figures/input-photo.webp#only-light)" in text
    assert "(figures/input-photo-dark.webp#only-dark)" in text


def test_other_directives_are_not_taken_for_unclosed_figure_blocks():
    text, placed = expand(":::figure-credit padding-none\n", "figures.md", NUMBERS, FILES)
    assert text == ":::figure-credit padding-none\n" and placed == []


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
