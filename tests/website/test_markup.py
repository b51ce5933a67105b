"""The page markup: figure blocks, numbers, the figure index, as a Markdown extension."""

from __future__ import annotations

import json

import markdown
import pytest

from figures.manifest import FigureRecord, write_entries
from figures.spec import figure
from website.markup import FigureRow, PageError, PageMarkup, SiteInfo, figure_label

NUMBERS = {"padding": {"size": 8, "valid": 6}, "ops": {"direct": 7225344, "share": 0.9123}}
SPECS = [
    figure("padding-none", "convdemo.grids:padding_grid"),
    figure("input-photo", "convdemo.maps:photo", ext="webp"),
]
FILES = {
    "padding-none": FigureRecord("padding-none", "m:f", SPECS[0].outputs, (385, 212)),
    "input-photo": FigureRecord("input-photo", "m:g", SPECS[1].outputs, None),
}


def expand(text, page, numbers, files, index=(), chapter=None):
    """The markup's expansion of one page, as a builder would set it up."""
    from website.markup import expand as expand_page

    markup = PageMarkup()
    markup.use(numbers, files)
    markup.page, markup.chapter, markup.index = page, chapter, index
    markup.site = SiteInfo("The site", "Its authors")
    return expand_page(text, markup.context())


BLOCK = """Before.

:::figure padding-none
alt: An {{ padding.size }} by {{ padding.size }} grid [with brackets].
A caption with **Markdown**
over two lines.
:::

After."""


def test_figure_block_becomes_a_figure_with_anchor_alt_and_caption():
    text, placed = expand(BLOCK, "padding.md", NUMBERS, FILES, chapter=2)
    assert placed == ["padding-none"]
    assert '<figure class="convdemo-figure" id="fig-padding-none" markdown="span">' in text
    alt = r"![An 8 by 8 grid \[with brackets\].]"
    size = 'width="385" height="212" loading=lazy'
    assert f"{alt}(/figures/padding-none.svg#only-light){{ {size} }}" in text
    assert f"{alt}(/figures/padding-none-dark.svg#only-dark){{ {size} }}" in text
    assert (
        '<figcaption markdown="span"><span class="convdemo-figure-number">Figure 2.1.</span> '
        "A caption with **Markdown** over two lines." in text
    )
    assert text.startswith("Before.") and text.endswith("After.")


def test_every_figure_offers_svg_pdf_and_png_downloads_in_both_schemes():
    text, _ = expand(BLOCK, "padding.md", NUMBERS, FILES, chapter=2)
    light = [("SVG", "svg"), ("PDF", "pdf"), ("PNG (3×)", "png")]
    dark = [("SVG (dark)", "svg"), ("PDF (dark)", "pdf"), ("PNG (3×, dark)", "png")]
    rows = []
    for titles, suffix in ((light, ""), (dark, "-dark")):
        name = f"padding-none{suffix}"
        links = [f'[{t}](/figures/{name}.{f}){{ download="{name}.{f}" }}' for t, f in titles]
        rows.append(" · ".join(links))
    assert f'<span class="convdemo-downloads">Download Figure 2.1: {rows[0]}</span>' in text
    assert f'<span class="convdemo-downloads">For dark slides: {rows[1]}</span>' in text


def test_figures_are_numbered_in_order_within_their_chapter():
    two = BLOCK + "\n\n:::figure input-photo\nalt: A photo.\nThe photo.\n:::\n"
    text, placed = expand(two, "feature-maps.md", NUMBERS, FILES, chapter=5)
    assert placed == ["padding-none", "input-photo"]
    assert text.index("Figure 5.1.") < text.index("Figure 5.2.")
    assert "Download Figure 5.2:" in text
    assert figure_label(None, 3) == "Figure 3"  # a page outside the chapters


def test_links_start_at_the_site_root_for_the_builder_to_resolve():
    text, _ = expand(BLOCK, "chapters/deep/padding.md", NUMBERS, FILES)
    assert "(/figures/padding-none.svg#only-light)" in text
    assert "(/figures/padding-none.png){ download=" in text


def test_the_figure_index_shows_each_figure_in_both_schemes_with_its_number():
    row = FigureRow(
        "input-photo", FILES["input-photo"], "maps.md", "Maps", "A photo.", "Figure 5.1"
    )
    text, _ = expand("# All\n\n:::figure-index\n", "figures.md", NUMBERS, FILES, [row])
    assert "| [Figure 5.1](/maps.md#fig-input-photo) |" in text
    assert "(/figures/input-photo.webp#only-light)" in text
    assert "(/figures/input-photo-dark.webp#only-dark)" in text
    assert "`m:g`" in text  # the function that draws it, one hop to the code
    # Its downloads in each scheme, labelled, in the row's last cell.
    light, dark = (
        " · ".join(
            f"[{ext.upper()}](/figures/input-photo{suffix}.{ext})"
            f'{{ download="input-photo{suffix}.{ext}" }}'
            for ext in ("svg", "pdf", "png")
        )
        for suffix in ("", "-dark")
    )
    row_text = next(line for line in text.splitlines() if "[Figure 5.1]" in line)
    assert row_text.endswith(f"| Light: {light}<br>Dark: {dark} |")


def test_a_credit_names_the_figure_its_page_the_site_and_the_licence():
    row = FigureRow(
        "padding-none",
        FILES["padding-none"],
        "padding.md",
        "Padding",
        "A grid.",
        "Figure 2.1",
        "https://example.org/site/padding/",
    )
    text, placed = expand(":::figure-credit padding-none\n", "figures.md", NUMBERS, FILES, [row])
    assert placed == []  # a credit is not a figure block
    assert text == (
        '```text\nFigure 2.1 from "Padding", The site\n(Its authors), CC BY 4.0,\n'
        "https://example.org/site/padding/#fig-padding-none\n```\n"
    )
    with pytest.raises(PageError, match="names no figure placed on a page"):
        expand(":::figure-credit input-photo\n", "figures.md", NUMBERS, FILES, [row])


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


def test_it_is_a_markdown_extension_any_python_markdown_run_can_use():
    markup = PageMarkup()
    markup.use(NUMBERS, FILES)
    markup.chapter = 2
    html = markdown.markdown(BLOCK, extensions=[markup, "attr_list", "md_in_html"])
    assert '<figure class="convdemo-figure" id="fig-padding-none">' in html
    assert 'src="/figures/padding-none-dark.svg#only-dark"' in html
    assert 'alt="An 8 by 8 grid [with brackets]."' in html
    assert "Figure 2.1." in html and "<strong>Markdown</strong>" in html
    assert markup.placed == ["padding-none"]


def test_by_name_it_reads_the_figure_build_manifest(tmp_path):
    for spec in SPECS:  # a cache as the figure build leaves it
        for path in spec.files:
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "numbers").mkdir(exist_ok=True)
    (tmp_path / "numbers" / "padding.json").write_text(json.dumps(NUMBERS["padding"]))
    entries = {
        spec.name: {
            "kind": "figure",
            "function": "m:f",
            "files": {},
            "outputs": spec.outputs.to_json(),
            "size": [385, 212],
        }
        for spec in SPECS
    }
    entries["padding"] = {
        "kind": "numbers",
        "function": "m:n",
        "files": {},
        "outputs": {"numbers": "numbers/padding.json"},
    }
    write_entries(tmp_path / "manifest.json", entries)
    html = markdown.markdown(
        BLOCK,
        extensions=["website.markup", "attr_list", "md_in_html"],
        extension_configs={"website.markup": {"cache_dir": str(tmp_path)}},
    )
    assert 'alt="An 8 by 8 grid [with brackets]."' in html
    assert 'width="385"' in html and "Figure 1." in html


def test_the_page_appendix_is_added_after_expansion_and_left_as_written():
    markup = PageMarkup()
    markup.use(NUMBERS, FILES)
    markup.appendix = "\n\n```bibtex\nauthor = {{convdemo contributors}},\n```\n"
    html = markdown.markdown("{{ padding.size }} cells", extensions=[markup, "fenced_code"])
    assert "8 cells" in html and "{{convdemo contributors}}" in html


def test_without_a_site_index_a_credit_still_names_the_figure_and_the_licence():
    text, _ = expand(":::figure-credit padding-none\n", "figures.md", NUMBERS, FILES)
    assert "padding-none" in text and "CC BY 4.0" in text
    with pytest.raises(PageError, match=r"unknown figure|names no figure"):
        expand(":::figure-credit nope\n", "figures.md", NUMBERS, FILES)


def test_the_animation_index_links_each_animation_to_the_explorer_when_there_is_one():
    from figures.spec import animation

    spec = animation("conv-a", "m:a", op="conv2d", size=5, kernel_size=3)
    record = FigureRecord("conv-a", "m:a", spec.outputs, None)
    numbers = {
        "conv-a": {
            "module": "nn.Conv2d(1, 1, 3)",
            "size": 5,
            "out": 3,
            "steps": 9,
            "explorer": "op=conv2d&input=1,1,5,5&kernel_size=3",
        }
    }
    row = FigureRow("conv-a", record, "padding.md", "Padding", "A window.", "Figure 2.2")
    markup = PageMarkup()
    markup.use(numbers, {"conv-a": record})
    markup.page, markup.index = "animations.md", [row]
    for explorer, linked in [(True, True), (False, False)]:
        markup.explorer = explorer
        from website.markup import expand as expand_page

        text, _ = expand_page(":::animation-index\n", markup.context())
        assert "| `nn.Conv2d(1, 1, 3)` | 5×5 → 3×3 | 9 |" in text
        link = "[Open in the explorer](/explorer.md#op=conv2d&input=1,1,5,5&kernel_size=3)"
        assert (link in text) is linked


def test_figure_blocks_give_each_name_alt_and_caption_as_the_page_splits_them():
    from website.markup import figure_blocks

    text = BLOCK + "\n\n:::figure input-photo\nalt: A photo.\nIts caption.\n:::\n"
    assert figure_blocks(text) == [
        (
            "padding-none",
            "An {{ padding.size }} by {{ padding.size }} grid [with brackets].",
            "A caption with **Markdown** over two lines.",
        ),
        ("input-photo", "A photo.", "Its caption."),
    ]
    assert figure_blocks(":::figure x\nno alt line\n:::") == [("x", "", "no alt line")]
