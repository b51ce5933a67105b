"""A chapter's deck laid out: a title, a slide per figure with caption and credit, code."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image

from tests.website.decks import URL, chapter
from website.slides import (
    CODE_LINES,
    PROJECTOR_DPI,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    Picture,
    Text,
    key_lines,
    layout,
    plain_text,
    projector_image,
)


def texts(slide):
    return [" ".join(e.lines) for e in slide.elements if isinstance(e, Text)]


def test_a_title_slide_then_a_slide_per_figure_then_the_code(tmp_path):
    slides = layout(chapter(tmp_path))
    assert len(slides) == 1 + 3 + 1
    assert "Padding" in texts(slides[0]) and "Chapter 2" in texts(slides[0])
    assert any(URL in text for text in texts(slides[0]))
    for slide, name in zip(slides[1:4], ("grid-1", "photo-2", "moving-3"), strict=True):
        (picture,) = [e for e in slide.elements if isinstance(e, Picture)]
        assert picture.alt == f"Alt of {name}." and slide.notes == f"Alt of {name}."
        caption, credit = texts(slide)
        assert caption.startswith("Figure 2.") and f"Caption of {name}." in caption
        assert credit.endswith(f"CC BY 4.0, {URL}#fig-{name}")
        (link,) = [e.link for e in slide.elements if isinstance(e, Text) and e.link]
        assert link == f"{URL}#fig-{name}"
    assert [p.animated for s in slides[1:4] for p in s.elements if isinstance(p, Picture)] == [
        False,
        False,
        True,
    ]
    assert texts(slides[4]) == ["In PyTorch", "import torch"]


def test_everything_lies_on_the_slide_and_text_does_not_overlap(tmp_path):
    for slide in layout(chapter(tmp_path)):
        boxes = [e.box if isinstance(e, Text) else e.area for e in slide.elements]
        for left, top, width, height in boxes:
            assert left >= 0 and left + width <= SLIDE_WIDTH + 1e-9
            assert top >= 0 and top + height <= SLIDE_HEIGHT + 1e-9
        ordered = sorted(boxes, key=lambda box: box[1])
        for upper, lower in itertools.pairwise(ordered):
            assert upper[1] + upper[3] <= lower[1] + 1e-9


def test_long_code_is_split_over_slides_and_no_line_is_wider_than_the_slide(tmp_path):
    code = "\n".join(f"x{number} = torch.zeros({number})" for number in range(CODE_LINES + 5))
    slides = layout(chapter(tmp_path, (code,)))
    code_slides = slides[4:]
    assert len(code_slides) == 2
    lines = [line for slide in code_slides for e in slide.elements[1:] for line in e.lines]
    assert lines == code.splitlines()
    for slide in code_slides:
        text = slide.elements[1]
        assert text.mono
        assert max(map(len, text.lines)) * text.size * 0.6 / 72 <= SLIDE_WIDTH - 1


def test_a_caption_reads_without_markdown():
    assert plain_text("`nn.Conv2d(1, 1, 3)` on **a** [grid](x.md#y){ .c }: *3* &amp; 4\\*") == (
        "nn.Conv2d(1, 1, 3) on a grid: 3 & 4*"
    )


PAGE = """# Title

```python
--8<-- "pkg/mod.py:part"
extra = 1
```

```text
output = n + 2p − k + 1
```
"""
MODULE = """import torch

# --8<-- [start:part]
def f(x):
    return torch.relu(x)
# --8<-- [end:part]
"""


def test_key_lines_are_the_python_the_chapter_shows_with_its_snippets_read():
    read = {"pkg/mod.py": MODULE}.__getitem__
    assert key_lines(PAGE, read) == ("def f(x):\n    return torch.relu(x)", "extra = 1")


DOCUMENTED = '''import torch

# --8<-- [start:part]
class Net:
    """What it is.

    Parameters
    ----------
    """

    def f(self, x):
        r"""One line."""
        text = """kept"""
        return torch.relu(x)
# --8<-- [end:part]
'''


def test_a_snippet_s_docstrings_are_left_to_the_page():
    page = '```python\n--8<-- "pkg/mod.py:part"\n```\n'
    assert key_lines(page, {"pkg/mod.py": DOCUMENTED}.__getitem__) == (
        'class Net:\n\n    def f(self, x):\n        text = """kept"""\n'
        "        return torch.relu(x)",
    )


def test_without_python_the_key_lines_are_the_animations_modules_then_inline_calls():
    text = "# T\n\nUse `F.conv2d`, then `kernel.flip(-1, -2)`; a `padding` word.\n"
    modules = ["nn.Conv2d(1, 1, 3)", "nn.Conv2d(1, 1, 3)", "nn.MaxPool2d(2)"]
    assert key_lines(text, str, modules) == ("nn.Conv2d(1, 1, 3)\nnn.MaxPool2d(2)",)
    assert key_lines(text, str) == ("F.conv2d\nkernel.flip(-1, -2)",)
    assert key_lines("# Nothing here\n", str) == ()


def test_a_missing_snippet_section_is_an_error_naming_it():
    with pytest.raises(ValueError, match="no snippet section 'part'"):
        key_lines(PAGE, {"pkg/mod.py": "nothing"}.__getitem__)


@pytest.mark.parametrize("photo", [False, True])
def test_a_still_is_made_for_the_projector_never_larger_than_it_was(tmp_path, photo):
    paths = chapter(tmp_path).figures
    source = paths[1].image if photo else paths[0].image
    data = projector_image(source, (0, 0, 5.0, 2.5), photo)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == ("JPEG" if photo else "PNG")
        assert image.width == min(round(5.0 * PROJECTOR_DPI), Image.open(source).width)
    small = projector_image(source, (0, 0, 40.0, 20.0), photo)
    with Image.open(io.BytesIO(small)) as image, Image.open(source) as original:
        assert image.size == original.size  # never enlarged


def test_a_still_is_made_once_per_deck_and_again_when_its_file_changes(tmp_path):
    from website.slides import _projector_image

    source = tmp_path / "figure.png"
    Image.new("RGB", (3000, 1000), "white").save(source)
    first = projector_image(source, (0, 0, 5.0, 2.5), False)
    hits = _projector_image.cache_info().hits
    assert projector_image(source, (0, 0, 5.0, 2.5), False) == first  # the deck's PDF
    assert _projector_image.cache_info().hits == hits + 1
    Image.new("RGB", (3000, 1500), "black").save(source)
    with Image.open(io.BytesIO(projector_image(source, (0, 0, 5.0, 2.5), False))) as image:
        assert image.size == (round(5.0 * PROJECTOR_DPI), round(5.0 * PROJECTOR_DPI / 2))
