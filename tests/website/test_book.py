"""The book's HTML: chapters in order, animations as storyboards, links within the book,
exercises numbered and their answers in an appendix (only when there are some)."""

from __future__ import annotations

import re

import pytest

from website.book import (
    ANSWERS,
    BookChapter,
    BookError,
    BookInfo,
    book_page,
    chapter_anchor,
    shown_files,
)

INFO = BookInfo(
    "The site", "Convolution, drawn.", "Its authors", "1.0", "24 November 2026",
    "https://example.org/site/", "CC BY 4.0", "Its authors (2026). The site.",
)  # fmt: skip
ANIMATION = (
    '<figure class="convdemo-figure convdemo-animation" id="fig-moving" data-steps="3">\n'
    '<div class="convdemo-stage"><svg role="img" id="frame"><g id="cell-1"></g></svg></div>\n'
    '<div class="convdemo-player" hidden></div>\n'
    '<script type="application/json" class="convdemo-steps">{"steps":[1,2,3]}</script>\n'
    '<p><img alt="Steps" class="convdemo-storyboard" loading="lazy" '
    'src="../animations/moving-storyboard.webp" /></p>\n'
    '<figcaption><span class="convdemo-figure-number">Figure 1.2.</span> It moves.\n'
    '<span class="convdemo-downloads">Download Figure 1.2: <a href="../a.gif">GIF</a></span>'
    "</figcaption></figure>"
)
FIGURE = (
    '<figure class="convdemo-figure" id="fig-grid">'
    '<img alt="A grid" src="../figures/grid.png#only-light" />'
    '<img alt="A grid" src="../figures/grid-dark.png#only-dark" />'
    '<figcaption><span class="convdemo-figure-number">Figure 1.1.</span> A grid.'
    '<span class="convdemo-downloads">Download: <a href="../figures/grid.svg">SVG</a></span>'
    "</figcaption></figure>"
)
EXERCISE = (
    '<details class="question"><summary>Count the outputs</summary><p>How many?</p>'
    '<details class="success"><summary>Answer</summary><p>Nine of them.</p></details>'
    "</details>"
)


def padding(extra: str = "") -> BookChapter:
    return BookChapter(
        1,
        "Padding",
        "padding/",
        '<h1 id="padding">Padding<a class="headerlink" href="#padding">¶</a></h1>'
        '<p class="convdemo-slides">Slides of this chapter: <a href="../slides/p.pptx">x</a></p>'
        f'<h2 id="rings">Rings</h2>{FIGURE}{ANIMATION}'
        '<p><a href="#rings">up</a> <a href="../strides/#why">strides</a> '
        '<a href="../strides/">the next chapter</a> <a href="../figures/">all figures</a> '
        '<a href="https://pytorch.org/">PyTorch</a> <a href="#fig-grid">Figure 1.1</a></p>'
        f"{extra}"
        '<h2 id="cite-this-page">Cite this page</h2><p>Cite it so.</p>',
    )


STRIDES = BookChapter(2, "Strides", "strides/", '<h1 id="strides">Strides</h1><h2 id="why">W</h2>')


def locate(path: str) -> str:
    return f"file:///cache/{path}"


def make(*chapters: BookChapter, pages: dict[str, int] | None = None) -> str:
    """The book's HTML, its contents on ``pages`` as the printer numbers them."""
    book = book_page(chapters, INFO, locate, ["file:///theme.css"], "p { color: red }")
    return book.html.replace(book.contents({}), book.contents(pages or {}), 1)


def test_the_chapters_in_order_after_a_cover_and_contents_with_their_pages():
    text = make(padding(), STRIDES, pages={"chapter-padding": 4, "chapter-strides": 9})
    assert text.index("book-cover") < text.index("book-contents") < text.index("Chapter 1")
    assert text.index('id="chapter-padding"') < text.index('id="chapter-strides"')
    entries = re.findall(r'<li><a href="#([^"]+)">.*?book-toc-page">(\d+)<', text)
    assert entries == [("chapter-padding", "4"), ("chapter-strides", "9")]
    assert chapter_anchor(STRIDES) == "chapter-strides"
    assert '<link rel="stylesheet" href="file:///theme.css">' in text
    assert "<style>p { color: red }</style>" in text
    for said in ("The site", "Convolution, drawn.", "Its authors", "Version 1.0"):
        assert said in text
    assert "Its authors (2026). The site." in text  # the citation, once, up front
    assert "Cite this page" not in text and "Cite it so." not in text


def test_a_figure_keeps_its_light_image_and_caption_an_animation_its_storyboard():
    text = make(padding())
    assert 'id="fig-grid"' in text and 'id="fig-moving"' in text
    assert "Figure 1.1.</span> A grid." in text and "Figure 1.2.</span> It moves." in text
    assert 'src="file:///cache/figures/grid.png"' in text
    assert "only-dark" not in text and "grid-dark" not in text
    assert 'src="file:///cache/animations/moving-storyboard.webp"' in text
    for gone in ("convdemo-stage", "convdemo-player", "convdemo-steps", "<svg", "Download"):
        assert gone not in text, gone
    assert "loading=" not in text  # every image is there when Chromium prints
    assert "headerlink" not in text and "Slides of this chapter" not in text


def test_anchors_are_prefixed_by_chapter_and_links_stay_in_the_book():
    text = make(padding(), STRIDES)
    assert 'id="padding--rings"' in text and 'id="strides--why"' in text
    assert 'href="#padding--rings"' in text
    assert 'href="#strides--why"' in text
    assert 'href="#chapter-strides"' in text
    assert 'href="https://example.org/site/figures/"' in text  # not in the book: the site
    assert 'href="https://pytorch.org/"' in text
    assert 'href="#fig-grid"' in text  # a figure's anchor is unique on the whole site
    anchors = re.findall(r'\bid="([^"]+)"', text)
    assert len(anchors) == len(set(anchors))
    # every link within the book has its target
    assert set(re.findall(r'href="#([^"]+)"', text)) <= set(anchors)


def test_without_exercises_there_is_no_appendix():
    text = make(padding(), STRIDES)
    assert f'id="{ANSWERS}"' not in text and "Answers to the exercises" not in text


def test_exercises_are_numbered_open_and_their_answers_go_to_the_appendix():
    text = make(padding(EXERCISE + EXERCISE.replace("Count the outputs", "Again")), STRIDES)
    assert "<details" not in text and "<summary" not in text
    assert 'id="exercise-1-1"' in text and "Exercise 1.1. Count the outputs" in text
    assert 'id="exercise-1-2"' in text and "Exercise 1.2. Again" in text
    appendix = text[text.index(f'id="{ANSWERS}"') :]
    body = text[: text.index(f'id="{ANSWERS}"')]
    assert "Nine of them." not in body and appendix.count("Nine of them.") == 2
    assert "Chapter 1. Padding" in appendix and "Strides" not in appendix
    assert 'href="#exercise-1-1"' in appendix and 'href="#exercise-1-2"' in appendix
    assert body.count('href="#answer-1-1"') == 1 and 'id="answer-1-1"' in appendix
    assert re.findall(r'<li><a href="#([^"]+)"', text)[-1] == ANSWERS
    assert set(re.findall(r'href="#([^"]+)"', text)) <= set(re.findall(r'\bid="([^"]+)"', text))


def test_an_image_from_another_host_or_an_unknown_file_is_an_error_naming_it():
    remote = BookChapter(3, "Far", "far/", '<img src="https://example.com/x.png">')
    with pytest.raises(BookError, match=r"chapter 3 loads https://example.com/x.png"):
        make(remote)

    def refuse(path: str) -> str:
        raise BookError(f"the book shows {path}, which is not a file of the site")

    with pytest.raises(BookError, match=r"figures/grid\.png"):
        book_page([padding()], INFO, refuse, [], "")


def test_the_files_shown_are_those_the_layout_asks_for_each_once_in_order():
    """What the book's images are prepared from before it is laid out: the very paths
    ``locate`` is then asked for (a dark image, a player's drawing left out)."""
    asked: list[str] = []

    def recording(path: str) -> str:
        asked.append(path)
        return locate(path)

    again = BookChapter(2, "Again", "again/", '<img src="../figures/grid.png#only-light">')
    book_page([padding(), again], INFO, recording, [], "")
    expected = ["figures/grid.png", "animations/moving-storyboard.webp"]
    assert shown_files([padding(), again]) == expected == list(dict.fromkeys(asked))
    remote = BookChapter(3, "Far", "far/", '<img src="https://example.com/x.png">')
    with pytest.raises(BookError, match=r"chapter 3 loads https://example.com/x.png"):
        shown_files([remote])


def test_an_unclosed_answer_is_an_error():
    broken = BookChapter(4, "Broken", "broken/", '<details class="success"><summary>A</summary>')
    with pytest.raises(BookError, match="not closed"):
        make(broken)


SITE_EXERCISE = """## Exercises

??? question "1.1 Predict the shape"
    What shape comes out?

    ??? tip "Hint"
        Count the positions.

    ??? success "Answer"
        Three by three.

        ```python
        x = 1
        ```
"""


def test_exercises_as_the_site_writes_them_are_numbered_once_with_hints_kept():
    """The markup the exercises use on the site (pymdownx.details, numbered titles)."""
    import markdown

    rendered = markdown.markdown(
        SITE_EXERCISE, extensions=["admonition", "pymdownx.details", "pymdownx.superfences"]
    )
    text = make(padding(rendered))
    assert "Exercise 1.1. Predict the shape" in text and "1.1 Predict" not in text
    assert "Count the positions." in text[: text.index(f'id="{ANSWERS}"')]
    appendix = text[text.index(f'id="{ANSWERS}"') :]
    assert "Three by three." in appendix and '<span class="n">x</span>' in appendix
    assert "Exercise 1.1. Predict the shape" in appendix
