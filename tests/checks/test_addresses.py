"""Published addresses are kept: every listed page and figure anchor still resolves."""

from __future__ import annotations

import re
import subprocess
import warnings

import pytest

from checks.addresses import LIST, Page, entries, listed, lost_addresses
from figures.config import ROOT


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr.strip()}"
    return result.stdout


def test_no_line_ever_committed_is_gone_from_the_list():
    """The list only grows: a published address stays, in use or retired with a reason.

    Reads every committed version of the file, on every branch merged into HEAD. Needs
    the project as a git clone; a shallow one holds fewer versions, and the test says so.
    """
    path = LIST.relative_to(ROOT).as_posix()
    active, retired = entries(LIST.read_text())
    kept = set(active) | set(retired)
    # --full-history: versions on merged branches too; the filter leaves out deletions.
    log = ["log", "--full-history", "--diff-filter=ACMRT", "--format=%H", "--", path]
    commits = _git(*log).split()
    assert commits, f"{path} has no history: run the tests in a git clone"
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        warnings.warn(f"shallow clone: {len(commits)} versions of {path} checked", stacklevel=1)
    for commit in commits:
        before = entries(_git("show", f"{commit}:{path}"))
        gone = sorted((set(before[0]) | set(before[1])) - kept)
        assert gone == [], f"dropped from {path} since {commit[:10]}: {gone}"
    assert all(why.strip() for why in retired.values()), "a retired address needs a reason"
    assert all("#fig-" in address for address in retired), "only a figure may retire"
    assert not set(active) & set(retired)


def test_retired_lines_are_read_apart_from_addresses_in_use():
    text = "# comment\n/\npadding/\nretired padding/#fig-old merged into fig-new\n"
    assert entries(text) == (["/", "padding/"], {"padding/#fig-old": "merged into fig-new"})


def test_the_list_has_every_chapter_and_figure_once():
    entries = listed()
    assert len(entries) == len(set(entries))
    from figures.registry import ANIMATIONS, FIGURES

    anchors = {entry.partition("#")[2] for entry in entries if "#" in entry}
    assert anchors == {f"fig-{spec.name}" for spec in (*FIGURES, *ANIMATIONS)}


SITE = {
    "": Page(),
    "padding/": Page({"#fig-a", "#fig-b"}),
    "old/": Page(redirect="padding/"),
    "older/": Page(redirect="old/"),
    "loop/": Page(redirect="loop/"),
    "gone/": Page(redirect="nowhere/"),
}


@pytest.mark.parametrize(
    "address, problem",
    [
        ("/", None),
        ("padding/", None),
        ("padding/#fig-a", None),
        ("old/#fig-b", None),  # a moved page keeps its figures through the redirect
        ("older/#fig-a", None),  # redirects chain
        ("padding/#fig-z", "no figure #fig-z on the page"),
        ("old/#fig-z", r"no figure #fig-z on the page \(redirected to padding/\)"),
        ("stride/", "no such page; add a redirect"),
        ("gone/", r"no such page \(redirected to nowhere/\)"),
        ("loop/", "no such page"),
    ],
)
def test_lost_addresses_follow_redirects(address, problem):
    lost = lost_addresses(SITE, [address])
    if problem is None:
        assert lost == []
    else:
        assert len(lost) == 1 and re.search(problem, lost[0]), lost
