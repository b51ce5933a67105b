"""Pages that read their fragment as a setting: which links are settings, not anchors."""

from __future__ import annotations

from website.fragments import MARKER, declares_state, drop_state_links, is_state


def test_a_setting_has_key_value_pairs_and_an_anchor_has_none():
    assert is_state("op=conv2d&input=1,1,5,5")
    assert is_state("op=conv2d")
    assert not is_state("fig-padding-none")
    assert not is_state("")


def test_a_page_declares_it_with_its_marker():
    assert declares_state(f'<div id="explorer" {MARKER}>')
    assert not declares_state('<div id="explorer">')


def test_only_settings_of_pages_that_declare_them_leave_the_anchor_check():
    sources = {"explorer.md": f"# Explorer\n<div {MARKER}></div>", "padding.md": "# Padding"}
    links = {
        "explorer.md": {
            "op=conv2d": "explorer.md#op=conv2d",
            "the-keys": "explorer.md#the-keys",
        },
        "padding.md": {"op=conv2d": "padding.md#op=conv2d", "fig-x": "padding.md#fig-x"},
    }
    removed = drop_state_links(links, sources.__getitem__)
    assert removed == ["explorer.md#op=conv2d"]
    assert links == {
        "explorer.md": {"the-keys": "explorer.md#the-keys"},  # still checked by MkDocs
        "padding.md": {"op=conv2d": "padding.md#op=conv2d", "fig-x": "padding.md#fig-x"},
    }
