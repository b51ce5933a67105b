"""Animations in Debian's chromium, through the real controls: stepping changes what is
shown and said, stepping back restores it, Play moves and Pause stops, nothing moves by
itself, and a reader who asks for reduced motion gets no motion at all."""

from __future__ import annotations

import json
import re

import pytest

from checks.browser import visit

PAGE, FIGURE = "padding/", "#fig-conv-same-padding"

STATE = """figure => ({
    live: figure.querySelector('.convdemo-player-live').textContent,
    scrubber: figure.querySelector('input[type=range]').value,
    moved: [...figure.querySelectorAll('[data-role]')].map(g => g.getAttribute('transform')),
    shown: [...figure.querySelectorAll('.convdemo-step[data-from]')]
        .filter(g => getComputedStyle(g).display !== 'none').length})"""


@pytest.fixture
def figure(chromium, base):
    result = visit(chromium, base + PAGE)
    yield result.page.locator(FIGURE), result
    result.page.context.close()


def steps_of(site) -> list[str]:
    text = (site / "padding" / "index.html").read_text()
    start = text.index('id="fig-conv-same-padding"')
    tag = re.compile(r'<script[^>]*\bclass="convdemo-steps"[^>]*>').search(text, start)
    assert tag is not None, "the animation carries no steps"
    return json.loads(text[tag.end() : text.index("</script>", tag.end())])["steps"]


def test_stepping_shows_and_says_each_step_and_stepping_back_restores_it(figure, site):
    locator, result = figure
    steps = steps_of(site)
    first = locator.evaluate(STATE)
    assert first["live"] == f"Step 1 of {len(steps)}: {steps[0]}" and first["shown"] == 1
    locator.get_by_role("button", name="Next step").click()
    locator.get_by_role("button", name="Next step").click()
    third = locator.evaluate(STATE)
    assert third["live"] == f"Step 3 of {len(steps)}: {steps[2]}"
    assert third["scrubber"] == "3" and third["shown"] == 3 and third["moved"] != first["moved"]
    locator.get_by_role("button", name="Previous step").click()
    locator.get_by_role("button", name="Previous step").click()
    assert locator.evaluate(STATE) == first
    assert result.errors == []


def test_the_scrubber_and_the_keyboard_reach_every_step(figure, site):
    locator, _ = figure
    steps = steps_of(site)
    scrubber = locator.locator("input[type=range]")
    scrubber.focus()
    scrubber.press("End")
    assert locator.evaluate(STATE)["live"].startswith(f"Step {len(steps)} of {len(steps)}")
    assert locator.get_by_role("button", name="Next step").is_disabled()
    scrubber.press("Home")
    assert locator.evaluate(STATE)["live"].startswith("Step 1 of")


def test_nothing_moves_until_play_and_pause_stops_it(figure):
    locator, result = figure
    before = locator.evaluate(STATE)
    result.page.wait_for_timeout(1500)
    assert locator.evaluate(STATE) == before  # nothing starts by itself
    play = locator.get_by_role("button", name="Play")
    play.click()
    result.page.wait_for_timeout(1300)
    assert locator.evaluate(STATE)["scrubber"] != before["scrubber"]
    locator.get_by_role("button", name="Pause").click()
    paused = locator.evaluate(STATE)
    result.page.wait_for_timeout(1200)
    assert locator.evaluate(STATE) == paused


def test_reduced_motion_gives_steps_but_no_play(chromium, base):
    context = chromium.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(base + PAGE)
        figure = page.locator(FIGURE)
        assert figure.get_by_role("button", name="Play").count() == 0
        assert figure.locator("select").count() == 0  # no speed either
        figure.get_by_role("button", name="Next step").click()
        assert figure.evaluate(STATE)["live"].startswith("Step 2 of")
    finally:
        context.close()


def test_without_javascript_the_first_step_is_drawn(chromium, base):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + PAGE)
        figure = page.locator(FIGURE)
        shown = figure.evaluate(
            "f => [...f.querySelectorAll('.convdemo-step')]"
            ".filter(g => getComputedStyle(g).display !== 'none')"
            ".map(g => g.dataset.step ?? g.dataset.from)"
        )
        assert shown and set(shown) == {"0"}
        assert figure.locator(".convdemo-player").is_hidden()
    finally:
        context.close()
