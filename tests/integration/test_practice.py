"""The practice page in Debian's chromium, answered through its controls, against PyTorch.

The page is opened at a set whose first question runs and whose second one PyTorch
refuses (found by running the page's own question module in V8). The reader's side is
then played from the keyboard: Tab to the answer, type a shape, Enter; the next question;
a wrong answer; the error button. What the page says is compared with what PyTorch does
when the lines it shows are run: the shape, or the exception and its message. The score
counts right and tried, the worked answer's formulas give PyTorch's sizes, and the
explorer link opens the same setting, which the explorer answers the same way. Then the
rest: nothing stored or sent, nothing changing by itself, axe-core in both schemes.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
import torch
from torch import nn

from checks.browser import visit
from figures.config import ROOT
from tests.assets.jsengine import Module
from tests.assets.test_explorer_arithmetic import formula_value, unordered_sets

PAGE = "practice/"
MODULE = ROOT / "docs" / "assets" / "practice" / "questions.js"


# What the page keeps in the browser's storage: every key and value.
STORED = """() => [localStorage, sessionStorage].map(
    (store) => Object.fromEntries(Object.keys(store).map((key) => [key, store[key]])))"""


def a_seed(first_runs: bool, second_runs: bool) -> int:
    """A set whose first two questions run (True) or raise (False) as asked."""
    with Module(MODULE, "practice") as module:
        for seed in range(1, 500):
            first, second = module.call_many("question", [[seed, 1], [seed, 2]])
            if (first["answer"]["ok"], second["answer"]["ok"]) == (first_runs, second_runs):
                return seed
    raise AssertionError("no such set among the first 500 seeds")


def pytorch_says(code: str) -> dict[str, Any]:
    """Run the lines the page shows: y's shape, or the exception's type and message."""
    scope: dict[str, Any] = {"torch": torch, "nn": nn}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(code, scope)  # the page's own lines, from our own build
    except Exception as error:
        return {"ok": False, "type": type(error).__name__, "message": str(error)}
    return {"ok": True, "shape": list(scope["y"].shape)}


@pytest.fixture
def opened(chromium, base):
    """Open the practice page at a fragment; every page opened is closed after the test."""
    visits = []

    def open_(fragment: str, scheme: str = "light"):
        url = f"{base}{PAGE}#{fragment}" if fragment else f"{base}{PAGE}"
        result = visit(chromium, url, scheme)
        visits.append(result)
        assert result.errors == []
        return result

    yield open_
    for item in visits:
        item.page.context.close()


def tab_to(page, element_id: str, most: int = 150) -> None:
    page.evaluate("document.activeElement.blur()")
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def status(page) -> str:
    return page.text_content("#px-status")


def score(page) -> str:
    return page.text_content("#px-score")


def shape_text(shape: list[int]) -> str:
    return f"torch.Size([{', '.join(map(str, shape))}])"


def worked_formulas(page) -> list[str]:
    return page.eval_on_selector_all("#px-worked li", "items => items.map((li) => li.textContent)")


def test_a_right_and_a_wrong_answer_from_the_keyboard(opened, base):
    seed = a_seed(first_runs=True, second_runs=False)
    result = opened(f"seed={seed}&question=1")
    page = result.page
    assert page.evaluate("location.hash") == f"#seed={seed}&question=1"
    assert score(page) == "Score: 0 right of 0 tried"
    assert page.text_content("#px-title") == "Question 1"
    stored = page.evaluate(STORED)  # the theme's own (its colour scheme, its search)

    # Question 1 runs: the right shape, typed, and Enter.
    first = pytorch_says(page.text_content("#px-code"))
    assert first["ok"], first
    tab_to(page, "px-shape")
    page.keyboard.type(", ".join(map(str, first["shape"])))
    page.keyboard.press("Enter")
    said = status(page)
    assert said.startswith("✓ Right.") and shape_text(first["shape"]) in said
    assert said.endswith("Score: 1 right of 1 tried.")
    assert score(page) == "Score: 1 right of 1 tried"
    assert page.get_attribute("#px-status", "role") == "status"
    assert page.evaluate("document.activeElement.id") == "px-next"
    # The worked answer: each axis's formula, computed, is PyTorch's size.
    assert page.text_content("#px-worked strong") == f"y.shape is {shape_text(first['shape'])}."
    lines = worked_formulas(page)
    axes = [line for line in lines if re.match(r"[LHW]: ", line)]
    spatial = len(axes)
    assert spatial in (1, 2)
    for line, size in zip(axes, first["shape"][-spatial:], strict=True):
        value, claimed = formula_value(line[3:])
        assert value == claimed and int(line.rsplit(" ", 1)[-1]) == size, line
        assert value - ("dropped" in line) == size, line
    assert any(line.startswith(f"C = {first['shape'][-spatial - 1]}: ") for line in lines)
    first_link = page.eval_on_selector("#px-explorer", "a => a.href")
    assert first_link.startswith(f"{base}explorer/#op=")

    # Enter on "Next question": question 2, the focus back in the answer.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "px-shape"
    assert page.text_content("#px-title") == "Question 2"
    assert page.evaluate("location.hash") == f"#seed={seed}&question=2"
    assert status(page) == "" and page.is_hidden("#px-worked")

    # Something that is not a shape: said so, not counted.
    page.keyboard.type("eight")
    page.keyboard.press("Enter")
    assert "1, 8, 4, 5" in status(page)
    assert page.get_attribute("#px-shape", "aria-invalid") == "true"
    assert score(page) == "Score: 1 right of 1 tried"
    assert page.evaluate("document.activeElement.id") == "px-shape"

    # Question 2 raises: a shape is the wrong answer.
    second = pytorch_says(page.text_content("#px-code"))
    assert not second["ok"], second
    page.fill("#px-shape", "1, 2, 3")
    page.keyboard.press("Enter")
    said = status(page)
    assert said.startswith("✗ Not right. You answered [1, 2, 3].")
    assert f"PyTorch raises {second['type']}." in said
    assert score(page) == "Score: 1 right of 2 tried"
    error = page.text_content("#px-worked .px-error")
    assert unordered_sets(error) == unordered_sets(f"{second['type']}: {second['message']}")
    assert page.text_content("#px-worked").count("Why: ") == 1
    assert page.is_disabled("#px-check") and page.is_disabled("#px-raises")

    # Nothing kept or sent: no cookie, nothing stored, no request to another host.
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate(STORED) == stored
    assert result.outside(base) == []

    # The explorer link opens the same setting, and the explorer says what PyTorch says.
    page.click("#px-explorer")
    page.wait_for_selector("#explorer[data-error]")
    shown = page.get_attribute("#explorer", "data-error")
    assert unordered_sets(shown) == unordered_sets(second["message"])
    page.goto(first_link)
    page.wait_for_selector("#explorer[data-output-shape]")
    shape = page.get_attribute("#explorer", "data-output-shape")
    assert shape == ",".join(map(str, first["shape"]))


def test_the_error_button_and_a_set_picked_at_random(opened):
    seed = a_seed(first_runs=False, second_runs=True)
    page = opened(f"seed={seed}").page
    assert page.evaluate("location.hash") == f"#seed={seed}&question=1"
    assert not pytorch_says(page.text_content("#px-code"))["ok"]
    tab_to(page, "px-raises")
    page.keyboard.press("Enter")
    assert status(page).startswith("✓ Right. You answered PyTorch raises an error.")
    assert score(page) == "Score: 1 right of 1 tried"

    # No seed in the address: the page picks one and writes it there; the address then
    # gives the same question again.
    page = opened("").page
    fragment = page.evaluate("location.hash")
    assert re.fullmatch(r"#seed=\d+&question=1", fragment)
    code = page.text_content("#px-code")
    again = opened(fragment.lstrip("#")).page
    assert again.text_content("#px-code") == code
    # Nothing changes by itself.
    before = again.inner_html("#practice")
    again.wait_for_timeout(1500)
    assert again.inner_html("#practice") == before


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(opened, scheme):
    from axe_playwright_python.sync_playwright import Axe

    seed = a_seed(first_runs=True, second_runs=False)
    page = opened(f"seed={seed}&question=1", scheme).page

    def check() -> list[dict[str, Any]]:
        # The focus has just moved to a button, which the theme fades to its focus
        # colours in 125 ms: axe reads them once they are there.
        page.wait_for_timeout(400)
        return Axe().run(page).response["violations"]

    reports = [check()]  # a question
    page.click("#px-raises")  # a worked answer with a formula
    reports.append(check())
    page.click("#px-next")
    page.click("#px-raises")  # a worked answer with an error
    reports.append(check())
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(
            f"{n['target']} {n['any'][0]['message'] if n['any'] else ''}" for n in v["nodes"]
        )
        for violations in reports
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_without_javascript_the_page_says_what_it_needs(chromium, base):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{base}{PAGE}#seed=1&question=1")
        assert "needs JavaScript" in page.text_content(".px-needs-js")
        assert page.locator("#px-form").count() == 0
        assert page.get_attribute(".px-needs-js a", "href") == "../explorer/"
    finally:
        context.close()


def test_an_address_followed_changes_the_question_and_a_new_set_the_score(opened):
    seed = a_seed(first_runs=False, second_runs=True)
    page = opened(f"seed={seed}&question=1").page
    page.click("#px-raises")
    assert score(page) == "Score: 1 right of 1 tried"
    page.evaluate(f"location.hash = 'seed={seed}&question=5'")
    page.wait_for_function("document.getElementById('px-title').textContent === 'Question 5'")
    assert score(page) == "Score: 1 right of 1 tried"  # the same set: the score goes on
    page.evaluate(f"location.hash = 'seed={seed + 1}&question=1'")
    page.wait_for_function("document.getElementById('px-title').textContent === 'Question 1'")
    assert score(page) == "Score: 0 right of 0 tried"  # another set: a fresh start
    assert page.text_content("#px-place").startswith(f"Set {seed + 1}: ")
