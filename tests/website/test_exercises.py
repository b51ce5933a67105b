"""The exercises' markup: numbered questions, explorer links, the worksheet and answer key."""

from __future__ import annotations

import markdown
import pytest

from website.exercises import (
    ExerciseMarkup,
    collect,
    exercise_sheet,
    explorer_links,
    number_exercises,
    parse_exercises,
)
from website.numbers import PageError

CHAPTER = """# Padding

Text with a [figure](#fig-padding-none).

## Exercises

Work these out on paper first.

??? question "Predict the shape"
    What does the layer return? See [the grid](#fig-padding-none).

    ??? tip "Hint"
        Use the formula.

    ??? success "Answer"
        It returns a shape.

        :::explorer ex-padding-shape

??? question "Will it raise?"
    A question in
    two paragraphs.

    Still the question.

    ??? success "Answer"
        Yes: SECRET-ANSWER.

## Cite this page

Not an exercise.
"""


def test_a_chapter_s_questions_hints_and_answers_are_read_apart():
    first, second = parse_exercises(CHAPTER, "padding.md")
    assert first.title == "Predict the shape"
    assert first.question == "What does the layer return? See [the grid](#fig-padding-none)."
    assert first.hints == ("Use the formula.",)
    assert first.answer == "It returns a shape.\n\n:::explorer ex-padding-shape"
    assert second.question == "A question in\ntwo paragraphs.\n\nStill the question."
    assert second.hints == () and second.answer == "Yes: SECRET-ANSWER."


def test_a_page_without_an_exercises_section_has_none():
    assert parse_exercises('# Title\n\n??? question "Q"\n    Text\n') == ()


@pytest.mark.parametrize(
    "body, message",
    [
        ("    No answer at all.\n", "needs one answer block, has 0"),
        (
            '    Q\n\n    ??? success "Answer"\n        A\n\n    ??? success "Answer"\n        B\n',
            "has 2",
        ),
        ('    Q\n\n    :::figure padding-none\n\n    ??? success "Answer"\n        A\n', "figure"),
    ],
)
def test_a_malformed_exercise_fails_naming_page_and_title(body, message):
    text = f'## Exercises\n\n??? question "Broken"\n{body}'
    with pytest.raises(PageError, match=f"padding.md: exercise 'Broken'.*{message}"):
        parse_exercises(text, "padding.md")


def test_questions_are_numbered_within_their_chapter_and_nested_blocks_are_not():
    numbered = number_exercises(CHAPTER, 2)
    assert '??? question "2.1 Predict the shape"' in numbered
    assert '??? question "2.2 Will it raise?"' in numbered
    assert '??? success "Answer"' in numbered and "2.3" not in numbered
    assert '??? question "1 Predict the shape"' in number_exercises(CHAPTER, None)


def test_an_explorer_line_is_a_link_only_when_the_site_has_an_explorer():
    line = "        :::explorer ex-padding-shape"
    assert explorer_links(line, explorer=True) == (
        "        [Open this setting in the explorer](/explorer.md#{{ ex-padding-shape.explorer }})"
    )
    assert explorer_links(line, explorer=False) == ""


def _chapters():
    sources = {"padding.md": CHAPTER, "index.md": "# Home\n\n## Exercises\n"}
    return collect(sources, {"padding.md": 2, "stride.md": 3})


def test_collect_takes_the_chapters_in_order_with_their_titles():
    (chapter,) = _chapters()  # stride.md has no source, so no exercises
    assert (chapter.page, chapter.chapter, chapter.title) == ("padding.md", 2, "Padding")
    assert len(chapter.exercises) == 2


def test_the_worksheet_has_the_questions_open_and_no_hint_or_answer():
    sheet = exercise_sheet("questions", _chapters())
    assert "## 2. Padding" in sheet and "[Padding](/padding.md#exercises)" in sheet
    assert '!!! question "2.1 Predict the shape"' in sheet
    assert '!!! question "2.2 Will it raise?"' in sheet
    assert "    A question in\n    two paragraphs.\n\n    Still the question." in sheet
    for hidden in ("???", "success", "tip", "Hint", "Use the formula", "SECRET-ANSWER", "explorer"):
        assert hidden not in sheet
    # A link within the chapter points at the chapter from the sheet.
    assert "[the grid](/padding.md#fig-padding-none)" in sheet


def test_the_answer_key_has_each_question_with_its_answer_open():
    sheet = exercise_sheet("answers", _chapters())
    assert sheet.count("!!! question") == 2 and sheet.count('    !!! success "Answer"') == 2
    assert "        Yes: SECRET-ANSWER." in sheet
    assert "        :::explorer ex-padding-shape" in sheet
    assert "Use the formula" not in sheet and "???" not in sheet


def test_an_unknown_sheet_is_an_error():
    with pytest.raises(PageError, match="questions"):
        exercise_sheet("solutions", _chapters())


def _html(text, chapter=None, chapters=(), explorer=False):
    extension = ExerciseMarkup()
    extension.chapter, extension.chapters, extension.explorer = chapter, chapters, explorer
    extensions = [extension, "admonition", "pymdownx.details", "toc"]
    return markdown.markdown(text, extensions=extensions)


def test_as_an_extension_the_questions_are_collapsible_and_numbered():
    html = _html(CHAPTER, chapter=2)
    assert '<details class="question">\n<summary>2.1 Predict the shape</summary>' in html
    assert '<details class="success">\n<summary>Answer</summary>' in html
    assert ":::explorer" not in html


def test_as_an_extension_the_section_opens_with_where_the_sheets_are():
    html = _html(CHAPTER, chapter=2)
    intro = html.split('<h2 id="exercises">')[1].split("<details")[0]
    assert 'href="/worksheet.md"' in intro and 'href="/answers.md"' in intro
    assert "worksheet" not in _html("## Exercises\n\nNone yet.\n", chapter=2)


def test_as_an_extension_the_worksheet_holds_no_answer():
    html = _html("# Worksheet\n\n:::exercise-sheet questions\n", chapters=_chapters())
    assert html.count('<div class="admonition question">') == 2
    assert "<details" not in html and "success" not in html and "SECRET-ANSWER" not in html


def test_as_an_extension_a_bad_sheet_fails_with_the_callers_exception():
    extension = ExerciseMarkup()
    extension.page, extension.fail = "worksheet.md", KeyError
    with pytest.raises(KeyError, match=r"worksheet\.md"):
        markdown.markdown(":::exercise-sheet nothing\n", extensions=[extension])
