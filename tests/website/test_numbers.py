"""Computed numbers in page text: ``{{ entry.key }}``, formats, minus signs, articles."""

from __future__ import annotations

import pytest

from website.numbers import PageError, article, substitute_numbers

NUMBERS = {"padding": {"size": 8, "valid": 6}, "ops": {"direct": 7225344, "share": 0.9123}}


def test_negative_numbers_get_a_minus_sign():
    text = substitute_numbers(
        "{{ w.a }} {{ w.b:g }} {{ w.c }}", "a.md", {"w": {"a": -1, "b": -0.5, "c": "-x"}}
    )
    assert text == "−1 −0.5 -x"


def test_numbers_are_substituted_with_optional_format():
    text = substitute_numbers(
        "{{ padding.size }}, {{ops.direct:,}} and {{ ops.share:.0% }}", "a.md", NUMBERS
    )
    assert text == "8, 7,225,344 and 91%"


def test_a_value_of_several_lines_keeps_the_indentation_of_its_line():
    numbers = {"ex": {"grid": "1  2\n3  4"}}
    text = "??? question\n    ```text\n    {{ ex.grid }}\n    ```\n{{ ex.grid }}"
    assert substitute_numbers(text, "a.md", numbers) == (
        "??? question\n    ```text\n    1  2\n    3  4\n    ```\n1  2\n3  4"
    )
    # Only the line's leading white space is repeated, not the text before the value.
    assert substitute_numbers("  a: {{ ex.grid }}", "a.md", numbers) == "  a: 1  2\n  3  4"


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
    assert substitute_numbers(written, "a.md", numbers) == expected


@pytest.mark.parametrize("bad", ["{{ padding.sise }}", "{{ padd.size }}", "{{ size }}", "{{}}"])
def test_unknown_or_malformed_numbers_fail_naming_page_and_reference(bad):
    with pytest.raises(PageError, match=r"chapter\.md"):
        substitute_numbers(f"text {bad} text", "chapter.md", NUMBERS)


def test_the_exception_raised_is_the_callers_choice():
    class BuildFailure(Exception):
        pass

    with pytest.raises(BuildFailure, match=r"unknown number 'padding\.sise'"):
        substitute_numbers("{{ padding.sise }}", "a.md", NUMBERS, BuildFailure)
