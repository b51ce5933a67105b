"""The explorer page in Debian's chromium, against live PyTorch.

The page is opened as a reader opens it: at an address that holds a setting, from a link
on a chapter, or by working its controls. What it says is then compared with what
PyTorch does: the output shape on ``#explorer`` (``data-output-shape``) and PyTorch's own
error message (``data-error``, shown in the alert) against the module built from the
setting and called on ``torch.zeros``; the code it offers by running it; the cells it
lights against gradients; the solver's and the stack's answers against real layers.
The rest is the reader's side: stepping, the keyboard, reduced motion, the clipboard,
a phone's width, both colour schemes under axe-core, and no request to another host.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
import torch
from torch import nn

from checks.addresses import listed
from checks.browser import visit
from tests.assets.test_explorer_arithmetic import KEY_ORDER, build, run_torch, unordered_sets

PAGE = "explorer/"
DEFAULT = "op=conv2d&input=1,3,7,9&out_channels=8&kernel_size=3,5&stride=2&padding=1,2"

# Valid and invalid settings of every operation: asymmetric F.pad, the padding modes,
# transposed convolutions with output_padding, ceil_mode, groups, 1-D, unbatched inputs.
SETTINGS = [
    DEFAULT,
    "op=conv1d&input=2,4,11&out_channels=6&kernel_size=3&stride=2&dilation=2&groups=2",
    "op=conv1d&input=4,10&kernel_size=4&padding=same",
    "op=conv1d&input=1,2,8&kernel_size=3&bias=false&flip=true",
    "op=conv2d&input=1,1,5,6&kernel_size=3&padding_mode=reflect&pad=2,0,1,1",
    "op=conv2d&input=1,2,4,4&kernel_size=3&padding=1&padding_mode=circular",
    "op=conv2d&input=1,2,4,4&kernel_size=3,2&padding=2,1&padding_mode=replicate",
    "op=conv2d&input=1,1,6,6&kernel_size=4&padding=same&dilation=2",
    "op=conv2d&input=1,1,3,3&kernel_size=3&padding=3&padding_mode=reflect",
    "op=conv2d&input=1,3,5,5&out_channels=4&kernel_size=3&groups=2",
    "op=conv2d&input=1,1,2,2&kernel_size=3",
    "op=conv2d&input=1,1,5,5&kernel_size=3&stride=2&padding=same",
    "op=conv2d&input=1,3,7,9&kernel_size=3&ceil_mode=true",
    "op=conv_transpose2d&input=1,4,3,3&out_channels=2&kernel_size=3&stride=2&padding=1"
    "&output_padding=1",
    "op=conv_transpose2d&input=1,1,3,3&kernel_size=3&stride=2&output_padding=2",
    "op=conv_transpose1d&input=1,2,5&kernel_size=4&stride=3&dilation=2&output_padding=2",
    "op=conv_transpose1d&input=1,1,4&kernel_size=3&pad=1,2",
    "op=max_pool2d&input=1,1,5,5&kernel_size=2&padding=1&ceil_mode=true",
    "op=max_pool1d&input=1,2,9&kernel_size=3&stride=2&dilation=2&ceil_mode=true",
    "op=max_pool2d&input=1,1,4,4&kernel_size=2&padding=2",
    "op=avg_pool2d&input=1,1,6,5&kernel_size=3&stride=2&padding=1&ceil_mode=true"
    "&count_include_pad=false",
    "op=avg_pool1d&input=1,1,7&kernel_size=2&pad=1,2",
    "op=avg_pool1d&input=1,1,7&kernel_size=2&out_channels=3",
]

INTEGERS = re.compile(r"-?\d+(,-?\d+)*")


def setting_of(fragment: str) -> dict[str, Any]:
    """A fragment as the dict the PyTorch side builds from (lists for tuples)."""
    state: dict[str, Any] = {}
    for part in fragment.lstrip("#").split("&"):
        key, _, raw = part.partition("=")
        raw = unquote(raw)
        if raw in ("true", "false"):
            state[key] = raw == "true"
        elif INTEGERS.fullmatch(raw):
            values = [int(v) for v in raw.split(",")]
            state[key] = values if key in ("input", "pad") or len(values) > 1 else values[0]
        else:
            state[key] = raw
    return state


def expected(fragment: str) -> dict[str, str | None]:
    """What #explorer should carry for a setting, from PyTorch."""
    outcome = run_torch(setting_of(fragment))
    if outcome["ok"]:
        return {"shape": ",".join(map(str, outcome["shape"])), "error": None}
    return {"shape": None, "error": unordered_sets(outcome["message"])}


def shown(page) -> dict[str, str | None]:
    error = page.get_attribute("#explorer", "data-error")
    return {
        "shape": page.get_attribute("#explorer", "data-output-shape"),
        "error": None if error is None else unordered_sets(error),
    }


def go_to(page, fragment: str) -> None:
    """Change the address's fragment in an open explorer and wait for its answer."""
    page.evaluate(
        """(fragment) => {
            const root = document.getElementById('explorer');
            root.removeAttribute('data-output-shape');
            root.removeAttribute('data-error');
            history.replaceState(null, '', '#');  // so that the fragment is always a change
            location.hash = fragment;
        }""",
        fragment,
    )
    page.wait_for_function(
        "() => ['data-output-shape', 'data-error']"
        ".some((name) => document.getElementById('explorer').hasAttribute(name))"
    )


@pytest.fixture
def opened(chromium, base):
    """Open the explorer at a fragment; every page opened is closed after the test."""
    visits = []

    def open_(fragment: str = DEFAULT, scheme: str = "light", **context: Any):
        if context:
            page = chromium.new_context(**context).new_page()
            page.goto(f"{base}{PAGE}#{fragment}", wait_until="load")
            page.wait_for_selector("#explorer[data-output-shape], #explorer[data-error]")
            visits.append(page)
            return page
        result = visit(chromium, f"{base}{PAGE}#{fragment}", scheme)
        visits.append(result)
        assert result.errors == []
        assert result.outside(base) == [], "requests to hosts other than the site"
        return result.page

    yield open_
    for item in visits:
        (item.context if hasattr(item, "context") else item.page.context).close()


def field_values(page) -> dict[str, Any]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.cx-settings [id^="cx-"]')]
            .filter((c) => !c.closest('[hidden]'))
            .map((c) => [c.id.slice(3), c.type === 'checkbox' ? c.checked : c.value]))"""
    )


def test_every_setting_opened_by_address_shows_what_pytorch_does(opened):
    page = opened(SETTINGS[0])
    for fragment in SETTINGS:
        go_to(page, fragment)
        assert shown(page) == expected(fragment), fragment
        # Every control shows the address's value.
        fields = field_values(page)
        state = setting_of(fragment)
        spatial = 2 if state["op"].endswith("2d") else 1
        shape = [fields[k] for k in ("N", "C", "H", "W") if k != "H" or spatial == 2]
        assert ",".join(v for v in shape if v) == ",".join(map(str, state["input"])), fragment
        for key, value in state.items():
            if key == "pad":
                sides = ("left", "right", "top", "bottom")[: len(value)]
                assert [fields[side] for side in sides] == [str(v) for v in value]
            elif key not in ("op", "input"):
                want = value if isinstance(value, bool) else ",".join(map(str, [value]))
                want = ",".join(map(str, value)) if isinstance(value, list) else want
                assert fields[key] == want, (fragment, key)
        assert fields["op"] == state["op"]
        if shown(page)["shape"] and state["op"].startswith("conv"):  # the weight, as built
            layer = build(state)
            count = sum(p.numel() for p in layer.parameters())
            weights = page.text_content("#cx-weights")
            assert weights.startswith(f"Weight {list(layer.weight.shape)}"), fragment
            assert weights.endswith(f": {count:,} parameters."), fragment
        error = page.text_content("#cx-error").strip()
        if expected(fragment)["error"]:
            assert page.get_attribute("#cx-error", "role") == "alert"
            assert unordered_sets(page.text_content("#cx-error pre")) == expected(fragment)["error"]
            assert page.is_hidden(".cx-grids") and page.is_visible(".cx-settings")
        else:
            assert error == "" and page.is_visible(".cx-grids")


def test_a_fresh_page_at_an_address_sets_its_controls_and_its_result(opened):
    fragment = "op=max_pool1d&input=1,2,9&kernel_size=3&stride=2&dilation=2&ceil_mode=true"
    page = opened(fragment)
    assert shown(page) == expected(fragment)
    fields = field_values(page)
    assert (fields["op"], fields["kernel_size"], fields["ceil_mode"]) == ("max_pool1d", "3", True)
    assert "H" not in fields and "out_channels" not in fields  # only what the op takes


def run_code(code: str) -> list[int]:
    """Run the page's Python, as a reader who pastes it would; the shape of y."""
    scope: dict[str, Any] = {}
    exec(code, scope)  # the page's own code, from our own build
    return list(scope["y"].shape)


def code_line(page) -> str:
    return next(
        line for line in page.text_content("#cx-code").splitlines() if line.startswith("layer")
    )


def test_the_controls_change_the_result_the_code_and_the_address(opened):
    page = opened(DEFAULT)

    page.select_option("#cx-op", "conv1d")  # 2-D to 1-D: the width is kept
    fragment = page.evaluate("location.hash")
    assert setting_of(fragment)["input"] == [1, 3, 9]
    assert shown(page) == expected(fragment) and shown(page)["shape"] is not None

    page.fill("#cx-kernel_size", "4")
    fragment = page.evaluate("location.hash")
    assert "kernel_size=4" in fragment
    assert shown(page) == expected(fragment)
    assert code_line(page) == "layer = nn.Conv1d(3, 8, kernel_size=4, stride=2, padding=2)"
    assert ",".join(map(str, run_code(page.text_content("#cx-code")))) == shown(page)["shape"]

    page.fill("#cx-padding", "same")  # with stride 2: PyTorch refuses
    fragment = page.evaluate("location.hash")
    assert "padding=same" in fragment
    want = expected(fragment)["error"]
    assert want and shown(page)["error"] == want
    assert unordered_sets(page.text_content("#cx-error pre")) == want
    assert page.is_visible("#cx-padding") and page.is_hidden(".cx-grids")

    page.fill("#cx-padding", "1")  # and back
    fragment = page.evaluate("location.hash")
    assert shown(page) == expected(fragment) and shown(page)["error"] is None
    assert page.text_content("#cx-error") == ""

    page.fill("#cx-kernel_size", "3,")  # not a value: marked, the setting unchanged
    assert page.get_attribute("#cx-kernel_size", "aria-invalid") == "true"
    assert page.evaluate("location.hash") == fragment

    page.select_option("#cx-op", "conv_transpose2d")
    page.fill("#cx-output_padding", "1")
    page.check("#cx-flip")
    page.fill("#cx-left", "2")
    fragment = page.evaluate("location.hash")
    assert setting_of(fragment)["pad"] == [2, 0] and setting_of(fragment)["flip"] is True
    assert shown(page) == expected(fragment)
    assert "F.pad(x, (2, 0))" in page.text_content("#cx-code")
    assert ",".join(map(str, run_code(page.text_content("#cx-code")))) == shown(page)["shape"]


def test_stepping_moves_the_window_and_says_so(opened):
    page = opened(DEFAULT)
    live = ".convdemo-player-live"
    first = page.text_content(live)
    assert first.startswith("Step 1 of 20: y[0,0] = ")
    page.click("text=Next step")
    second = page.text_content(live)
    assert second.startswith("Step 2 of 20: y[0,1] = ") and second != first
    assert page.get_attribute(".cx-output.cx-now", "data-at") == "0,1"
    # The input cells lit are the window: kernel 3×5 over the padded input.
    assert page.locator(".cx-grid[role=img] .cx-read").count() == 15
    page.click("text=Previous step")
    assert page.text_content(live) == first
    assert page.get_attribute(".cx-output.cx-now", "data-at") == "0,0"
    # Pointing at a cell shows it; moving away shows the player's step again.
    page.hover(".cx-output[data-at='2,3']")
    assert page.text_content("#cx-formula").startswith("y[2,3] = ")
    assert page.get_attribute(".cx-output.cx-now", "data-at") == "2,3"
    page.mouse.move(0, 0)
    assert page.text_content("#cx-formula").startswith("y[0,0] = ")
    assert page.text_content(live) == first
    assert page.is_visible("text=Play")


def test_reduced_motion_offers_no_play_button(opened):
    page = opened(DEFAULT, reduced_motion="reduce")
    assert page.locator(".convdemo-player button", has_text="Play").count() == 0
    assert page.locator(".convdemo-player button", has_text="Next step").count() == 1


def test_the_copy_button_copies_the_code_shown(opened):
    page = opened(DEFAULT, permissions=["clipboard-read", "clipboard-write"])
    page.click("#cx-copy")
    page.wait_for_function("document.querySelector('.cx-copied').textContent !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.text_content("#cx-code")
    assert ",".join(map(str, run_code(copied))) == shown(page)["shape"] == "1,8,4,5"
    # Without the Clipboard API, the copy goes through a selected text area.
    page.evaluate(
        """() => {
            navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));
            document.execCommand = (command) => {
                window.copied = [command, document.activeElement.value];
                return true;
            };
        }"""
    )
    page.click("#cx-copy")
    page.wait_for_function("window.copied !== undefined")
    assert page.evaluate("window.copied") == ["copy", page.text_content("#cx-code")]
    assert page.text_content(".cx-copied") == "Copied."


def test_the_keyboard_reaches_the_controls_and_an_output_cell_that_shows_its_formula(opened):
    page = opened(DEFAULT)
    reached = []
    for _ in range(120):
        page.keyboard.press("Tab")
        active = "document.activeElement.id || document.activeElement.className"
        reached.append(page.evaluate(active))
        if "cx-output" in reached[-1]:
            break
    assert "cx-op" in reached and "cx-kernel_size" in reached and "cx-copy" in reached
    assert "cx-output" in reached[-1], reached
    assert page.text_content("#cx-formula").startswith("y[0,0] = w[0,0]·0 (padding)")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.at") == "1,1"
    formula = page.text_content("#cx-formula")
    assert formula.startswith("y[1,1] = ") and formula.endswith(" + b")
    assert page.text_content(".convdemo-player-live").startswith("Step 7 of 20: y[1,1] = ")


def test_a_weight_lights_every_input_it_touches(opened):
    fragment = "op=conv2d&input=1,1,6,6&out_channels=1&kernel_size=3&stride=2&padding=1"
    page = opened(fragment)
    page.focus(".cx-kernel[data-at='0,0']")
    formula = page.text_content("#cx-formula")
    # PyTorch: the inputs w[0,0] multiplies are where a one-hot kernel's gradient lands.
    layer = build(setting_of(fragment))
    with torch.no_grad():
        layer.weight.zero_()
        layer.weight[0, 0, 0, 0] = 1
    x = torch.ones(1, 1, 6, 6, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad is not None
    real = int((x.grad != 0).sum())
    out = 3 * 3  # one input cell per output cell for this tap
    assert (
        formula == f"w[0,0] touches {out} input cells ({real} of x, {out - real} of padding)"
        f" and reaches {out} output cells."
    )
    assert page.locator(".cx-grid[role=img] .cx-read").count() == out


def test_rows_a_stride_never_reads_are_the_ones_pytorch_ignores(opened):
    fragment = "op=conv2d&input=1,1,6,7&out_channels=1&kernel_size=3&stride=2"
    page = opened(fragment)
    layer = build(setting_of(fragment))
    x = torch.ones(1, 1, 6, 7, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad is not None
    with torch.no_grad():  # a cell is unread when no window reads it, whatever the weights
        layer.weight.fill_(1)
    x.grad = None
    layer(x).sum().backward()
    ignored = int((x.grad == 0).sum())
    assert ignored > 0
    assert page.locator(".cx-grid .cx-unread").count() == ignored
    assert "Never read: 1 row, 5 (of 6)" in page.text_content("#cx-axes")


def test_the_output_padding_question_finds_the_size_asked_for(opened):
    fragment = "op=conv_transpose2d&input=1,1,4,4&kernel_size=3&stride=2&padding=1"
    page = opened(fragment)
    page.fill("#cx-want-0", "8")
    page.fill("#cx-want-1", "7")
    assert "output_padding=1,0" in page.text_content("#cx-want-answer")
    page.click("#cx-want-answer button")
    fragment = page.evaluate("location.hash")
    assert shown(page) == expected(fragment) == {"shape": "1,1,8,7", "error": None}
    assert page.input_value("#cx-output_padding") == "1,0"
    page.fill("#cx-want-0", "10")
    assert "No output_padding gives it" in page.text_content("#cx-want-answer")


def test_the_solver_lists_every_layer_that_fits_and_opens_each(opened):
    page = opened(DEFAULT)
    page.fill("#cx-solve-n", "9")
    page.fill("#cx-solve-m", "4")
    rows = page.eval_on_selector_all(
        "#cx-solutions tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    found = {tuple(int(v) for v in row[:4]) for row in rows}
    want = set()
    for k in range(1, 8):
        for s in range(1, 5):
            for d in range(1, 4) if k > 1 else [1]:
                for p in range(d * (k - 1) + 1):
                    if 9 + 2 * p >= d * (k - 1) + 1:
                        y = nn.Conv1d(1, 1, k, s, p, d)(torch.zeros(1, 1, 9))
                        if y.shape[-1] == 4:
                            want.add((k, s, d, p))
    assert found == want
    for row in rows:  # each line of PyTorch builds that layer
        k, s, d, p = (int(v) for v in row[:4])
        layer = eval(row[4], {"nn": nn, "C": 1})  # the page's own line, from our own build
        assert (layer.kernel_size, layer.stride, layer.dilation, layer.padding) == (
            (k,),
            (s,),
            (d,),
            (p,),
        )
    page.click("#cx-solutions tbody tr:nth-child(3) a")
    page.wait_for_function("location.hash.includes('conv1d')")
    assert shown(page) == expected(page.evaluate("location.hash"))
    assert shown(page)["shape"] == "1,1,4"


def test_the_stack_and_its_round_trip_agree_with_pytorch(opened):
    page = opened(DEFAULT)
    page.click("#cx-stack-preset")
    shapes = page.eval_on_selector_all(
        "#cx-stack-result li > code:nth-of-type(2)", "codes => codes.map(c => c.textContent)"
    )
    x = torch.zeros(1, 1, 32, 32)
    down = [nn.Conv2d(1, 1, 3, 2, 1) for _ in range(4)]
    up = [nn.ConvTranspose2d(1, 1, 3, 2, 1) for _ in range(4)]
    want = []
    for layer in [*down, *up]:
        x = layer(x)
        want.append(str(list(x.shape)))
    assert shapes == want
    rows = page.eval_on_selector_all(
        "#cx-trip tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert [int(row[0]) for row in rows] == list(range(1, 33))
    for row in rows:
        n = int(row[0])
        sizes = [n]
        y = torch.zeros(1, 1, n, n)
        for layer in down:
            y = layer(y)
            sizes.append(y.shape[-1])
        end = y
        for layer in up:
            end = layer(end)
        assert row[1] == str(end.shape[-1]) and (row[2] == "yes") == (end.shape[-1] == n)
        # The output_padding listed gives each transposed layer its mirror's input size.
        for i, padding in enumerate(row[3].split(" · ")):
            padding = int(padding.split(",")[0])
            y = nn.ConvTranspose2d(1, 1, 3, 2, 1, output_padding=padding)(y)
            assert y.shape[-1] == sizes[3 - i], (n, i)


def test_links_from_the_other_pages_open_their_setting(chromium, base, opened):
    links: set[str] = set()
    for address in listed():
        if "#" in address or address in (PAGE, "print_page/"):
            continue
        result = visit(chromium, base + ("" if address == "/" else address))
        links |= set(
            result.page.eval_on_selector_all(
                "a[href*='explorer/#']", "links => links.map(a => a.href)"
            )
        )
        result.page.context.close()
    assert len(links) >= 10
    page = opened(DEFAULT)
    for link in sorted(links):
        assert link.startswith(f"{base}{PAGE}#op=")
        page.goto(link)
        page.wait_for_selector("#explorer[data-output-shape], #explorer[data-error]")
        fragment = link.partition("#")[2]
        assert shown(page) == expected(fragment) and shown(page)["shape"], link


@pytest.mark.parametrize(
    "fragment", [DEFAULT, "op=conv1d&input=1,2,30&kernel_size=7&pad=3,0&padding_mode=reflect"]
)
def test_a_phone_wide_page_does_not_scroll_sideways(opened, fragment):
    page = opened(fragment, viewport={"width": 390, "height": 844})
    page.click("#cx-stack-preset")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("fragment", [DEFAULT, SETTINGS[10], SETTINGS[13]])
def test_no_serious_accessibility_violation(opened, scheme, fragment):
    from axe_playwright_python.sync_playwright import Axe

    page = opened(fragment, scheme)
    page.click("#cx-stack-preset")
    page.focus(".cx-output[data-at='0,0']") if page.is_visible(".cx-grids") else None
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(
            f"{n['target']} {n['any'][0]['message'] if n['any'] else ''}" for n in v["nodes"]
        )
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_without_javascript_the_page_explains_itself(chromium, base):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{base}{PAGE}#{DEFAULT}")
        assert "needs JavaScript" in page.text_content(".cx-needs-js")
        keys = page.eval_on_selector_all(
            "table td:first-child code", "cells => cells.map((c) => c.textContent)"
        )
        assert keys == ["op", "input", *KEY_ORDER]  # every key of the address, documented
    finally:
        context.close()


def test_what_the_address_cannot_say_is_noted_and_a_key_not_taken_can_go(opened):
    page = opened("op=conv2d&input=1,3,7,9&kernel_size=3&stride=a&ceil_mode=true")
    notes = page.text_content(".cx-notes")
    assert "From the address: stride: expected an integer or comma-separated integers." in notes
    assert "ceil_mode is not an argument of nn.Conv2d: PyTorch raises a TypeError" in notes
    # The key kept gives PyTorch's own TypeError, and a button takes it away.
    assert shown(page) == expected("op=conv2d&input=1,3,7,9&kernel_size=3&ceil_mode=true")
    page.click("text=Remove ceil_mode: not taken by nn.Conv2d")
    fragment = page.evaluate("location.hash")
    assert "ceil_mode" not in fragment
    assert shown(page) == expected(fragment) and shown(page)["shape"] == "1,3,5,7"
