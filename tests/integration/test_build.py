"""The site as MkDocs builds it: figures placed, numbers computed, failures that lose nothing.

Each test works on a copy of the project in a temporary folder, with its own figure
cache, so it can break things freely.
"""

from __future__ import annotations

import html
import html.parser
import json
import os
import posixpath
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from convdemo.arithmetic import conv_output_size
from figures.config import ROOT, load_config
from figures.keys import KeyMaker
from figures.registry import ANIMATIONS, ENTRIES, FIGURES, NOTEBOOKS, PADDING
from tests.integration.project import mkdocs, tree_digest


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A private copy of the built project, to break."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


class _Figures(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict] = {}
        self._current: str | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "figure" and (attributes.get("id") or "").startswith("fig-"):
            self._current = attributes["id"]
            self.figures[self._current] = {"caption": "", "images": [], "downloads": []}
        elif self._current and tag == "img":
            self.figures[self._current]["images"].append(attributes["src"])
            self.figures[self._current]["alt"] = attributes["alt"]
        elif self._current and tag == "a" and "download" in attributes:
            self.figures[self._current]["downloads"].append(attributes["href"])
        elif self._current and tag == "figcaption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._in_caption = False
        elif tag == "figure":
            self._current = None

    def handle_data(self, data):
        if self._in_caption and self._current:
            self.figures[self._current]["caption"] += data


def site_figures(site: Path) -> dict[str, tuple[Path, dict]]:
    found = {}
    for page in site.rglob("index.html"):
        if page.parent.name == "print_page":  # every page again, checked in test_print
            continue
        parser = _Figures()
        parser.feed(page.read_text())
        for anchor, figure in parser.figures.items():
            found[anchor] = (page, figure)
    return found


def test_every_registered_figure_is_placed_with_anchor_image_alt_and_caption(built):
    site = built / "site"
    figures = site_figures(site)
    # Animations are placed with the same markup, as a player; the checks below are for
    # still figures, with their images and downloads.
    assert set(figures) == {f"fig-{spec.name}" for spec in (*FIGURES, *ANIMATIONS)}
    for spec in FIGURES:
        page, figure = figures[f"fig-{spec.name}"]
        shown = [src.partition("#") for src in figure["images"]]
        assert [(fragment) for _, _, fragment in shown] == ["only-light", "only-dark"]
        assert [posixpath.basename(src) for src, _, _ in shown] == [
            posixpath.basename(spec.outputs.pages[scheme]) for scheme in ("light", "dark")
        ]
        downloads = [posixpath.basename(href) for href in figure["downloads"]]
        assert downloads == [  # the light scheme's, then the dark one's
            posixpath.basename(spec.outputs.downloads[f"{ext}{suffix}"])
            for suffix in ("", "-dark")
            for ext in ("svg", "pdf", "png")
        ]
        assert len(set(downloads)) == 6, spec.name
        for src in [src for src, _, _ in shown] + figure["downloads"]:
            image = (page.parent / src).resolve()
            assert image.parent == (site / "figures").resolve(), src
            assert image.read_bytes() == (built / "cache" / "figures" / image.name).read_bytes()
        assert len(figure["alt"].split()) >= 8, f"{spec.name}: alt text too thin"
        assert re.match(r"Figure \d+\.\d+\. \w", figure["caption"]), spec.name


def test_numbers_in_the_prose_are_computed(built):
    text = (built / "site" / "padding" / "index.html").read_text()
    size, kernel = PADDING["size"], PADDING["kernel_size"]
    valid = conv_output_size(size, kernel)
    assert f"{valid}×{valid} positions of the {size}×{size}" in text
    for page in (built / "site").rglob("*.html"):
        text = page.read_text()
        assert not re.search(r"\{\{\s*[a-z0-9-]+\.\w+", text) and ":::figure" not in text


SNIPPET = re.compile(r'^--8<-- "([^":]+):([^"]+)"$', re.MULTILINE)


def test_code_on_the_pages_is_included_from_the_package(built):
    """Every snippet line of a page became that section of the package's source."""
    includes = 0
    for page in (ROOT / "docs").glob("*.md"):
        built_page = "index.html" if page.stem == "index" else f"{page.stem}/index.html"
        html_text = (built / "site" / built_page).read_text()
        code = re.sub(r"<[^>]+>", "", html_text)  # the highlighted code, tags removed
        for path, section in SNIPPET.findall(page.read_text()):
            source = (ROOT / path).read_text()
            start = source.index(f"# --8<-- [start:{section}]\n")
            first_line = source[start:].splitlines()[1].strip()
            assert html.unescape(first_line) in html.unescape(code), (page.name, section)
            includes += 1
    assert includes >= 5
    for page in (built / "site").rglob("*.html"):
        assert "--8&lt;--" not in page.read_text() and "--8 &lt;" not in page.read_text()


def test_progress_is_logged_per_figure_with_a_summary(built):
    log = (built / "build.log").read_text()
    for spec in FIGURES:
        line = rf"INFO\s+-\s+rendered {spec.main_file} \(\+\d files\) in \d+\.\d\d s"
        assert re.search(line, log), spec.name
    assert re.search(r"figure build: \d+ rendered, 0 cached, \d+\.\d\d s", log)


def test_a_warm_build_renders_nothing_and_writes_nothing_into_docs(project):
    before = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*")}
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert re.search(r"figure build: 0 rendered, \d+ cached", result.stderr)
    assert not re.search(r"made (deck|book)", result.stderr)  # decks and book are cached
    assert {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*")} == before


def test_a_successful_build_replaces_the_site(project):
    (project / "docs" / "padding.md").write_text(
        (project / "docs" / "padding.md").read_text() + "\nA new closing sentence.\n"
    )
    assert mkdocs(project, "build", "--strict").returncode == 0
    assert "A new closing sentence." in (project / "site" / "padding" / "index.html").read_text()
    assert not list(project.glob(".site-*"))
    assert oct((project / "site").stat().st_mode & 0o777) == "0o755"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def registry_edit(old: str, new: str) -> Callable[[Path], None]:
    """A fault: one figure's parameters in the registry changed to something invalid."""
    return lambda project: edit(project / "figures" / "registry.py", old, new)


# Each invalid parameter PyTorch rejects, given to one figure: (figure, edit, message).
INVALID_PARAMETERS = {
    "negative padding": (
        "padding-none",
        ("**PADDING, padding=0)", "**PADDING, padding=-1)"),
        "padding must be at least 0, got -1",
    ),
    "zero stride": (
        "stride-positions",
        ("size=8, kernel_size=3, stride=2)", "size=8, kernel_size=3, stride=0)"),
        "stride must be positive, got 0",
    ),
    "dilation 0": (
        "dilation-mask",
        ("kernel_size=3, dilation=2)", "kernel_size=3, dilation=0)"),
        "dilation must be positive, got 0",
    ),
    "kernel larger than input": (
        "padding-none",
        ("**PADDING, padding=0)", "size=2, kernel_size=3, padding=0)"),
        "kernel_size 3 with dilation 1 spans 3 cells, more than the padded input",
    ),
    "output_padding too large": (
        "transposed-stride-2",
        ('stride_facts", size=2,', 'stride_facts", output_padding=2, size=2,'),
        "output_padding must be smaller than stride (2) or dilation (1), got 2",
    ),
}


def missing_photo(project: Path) -> None:
    edit(
        project / "figures" / "config.toml", '"matplotlib:grace_hopper.jpg"', '"photos/missing.jpg"'
    )


def corrupt_photo(project: Path) -> None:
    (project / "photos").mkdir()
    (project / "photos" / "broken.jpg").write_bytes(b"\xff\xd8\xff not a jpeg at all")
    edit(
        project / "figures" / "config.toml", '"matplotlib:grace_hopper.jpg"', '"photos/broken.jpg"'
    )


def broken_anchor(project: Path) -> None:
    with open(project / "docs" / "index.md", "a") as page:
        page.write("\nSee [the grids](padding.md#fig-no-such-figure).\n")


def broken_link(project: Path) -> None:
    with open(project / "docs" / "index.md", "a") as page:
        page.write("\nSee [the missing chapter](no-such-chapter.md).\n")


def unknown_number(project: Path) -> None:
    with open(project / "docs" / "padding.md", "a") as page:
        page.write("\nThe output has {{ padding.no_such_value }} cells.\n")


def unplaced_figure(project: Path) -> None:
    edit(
        project / "figures" / "registry.py",
        "FIGURES: tuple[Spec, ...] = (",
        'FIGURES: tuple[Spec, ...] = (\n    figure("orphan-grid", "convdemo.grids:padding_grid"),',
    )


def raising_notebook_cell(project: Path) -> None:
    path = project / "docs" / "notebooks" / "pointwise.ipynb"
    content = json.loads(path.read_text())
    content["cells"].insert(
        3,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "broken",
            "metadata": {},
            "outputs": [],
            "source": "1 / 0",
        },
    )
    path.write_text(json.dumps(content))


def broken_notebook_link(project: Path) -> None:
    path = project / "docs" / "notebooks" / "pointwise.ipynb"
    content = json.loads(path.read_text())
    content["cells"].append(
        {
            "cell_type": "markdown",
            "id": "link",
            "metadata": {},
            "source": "See [a chapter](../no-such-chapter.md#part).",
        }
    )
    path.write_text(json.dumps(content))


def unregistered_notebook(project: Path) -> None:
    notebooks = project / "docs" / "notebooks"
    shutil.copyfile(notebooks / "pointwise.ipynb", notebooks / "extra.ipynb")


def failing_figure_code(project: Path) -> None:
    edit(
        project / "convdemo" / "grids.py",
        "    out_h, out_w = len(row_windows), len(col_windows)",
        "    out_h, out_w = len(row_windows), len(col_windows)\n    1 / 0",
    )


FAULTS = {
    **{
        f"invalid figure parameter: {fault}": (
            registry_edit(*change),
            [f"figure '{name}'", message],
        )
        for fault, (name, change, message) in INVALID_PARAMETERS.items()
    },
    "missing photo": (missing_photo, ["photo not found", "photos/missing.jpg"]),
    "corrupt photo": (
        corrupt_photo,
        ["figure 'input-photo'", "cannot read image", "photos/broken.jpg"],
    ),
    "broken anchor": (broken_anchor, ["padding.md#fig-no-such-figure"]),
    "broken link": (broken_link, ["no-such-chapter.md"]),
    "unknown number": (unknown_number, ["padding.md", "unknown number 'padding.no_such_value'"]),
    "figure on no page": (unplaced_figure, ["on no page: orphan-grid"]),
    "figure code raises": (failing_figure_code, ["figure 'padding-none'", "ZeroDivisionError"]),
    "notebook cell raises": (
        raising_notebook_cell,
        ["notebook 'notebook-pointwise'", "ZeroDivisionError"],
    ),
    "broken link in a notebook": (
        broken_notebook_link,
        ["broken link: notebooks/pointwise/index.html", "no-such-chapter.md"],
    ),
    "unregistered notebook": (
        unregistered_notebook,
        ["docs/notebooks/extra.ipynb is not in figures/registry.py"],
    ),
}


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failed_build_names_the_cause_and_leaves_the_site_untouched(project, fault, verbose):
    break_it, expected = FAULTS[fault]
    site_before = tree_digest(project / "site")
    break_it(project)
    result = mkdocs(project, "build", *(["-v"] if verbose else []))
    assert result.returncode != 0, f"{fault}: the build succeeded"
    for fragment in expected:
        assert fragment in result.stderr, f"{fault}: {fragment!r} not in output"
    assert tree_digest(project / "site") == site_before
    assert not list(project.glob(".site-*")), "staging folder left behind"


def test_the_hook_can_be_switched_off_to_reuse_the_cache(project):
    result = mkdocs(project, "build", "--strict", CONVDEMO_FIGURES="off")
    assert result.returncode == 0, result.stderr
    assert "figure build:" not in result.stderr
    assert (project / "site" / "figures" / "padding-none.svg").is_file()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(log: Path, pattern: str, count: int, timeout: float = 60.0) -> str:
    """Wait until ``pattern`` has matched ``count`` times in the log; return the log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if len(re.findall(pattern, text)) >= count:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{pattern!r} not seen {count} times in:\n{log.read_text()}")


def entries_depending_on(path: Path, edit: Callable[[], None]) -> list[str]:
    """Registry entries whose key ``edit`` (of a file in the project) changes."""
    root = path.parent.parent
    before = {spec.name: KeyMaker(load_config(), root=root).key(spec) for spec in ENTRIES}
    edit()
    after = {spec.name: KeyMaker(load_config(), root=root).key(spec) for spec in ENTRIES}
    return [name for name in before if before[name] != after[name]]


def test_serve_rebuilds_only_what_changed_and_settles(project):
    log = project / "serve.log"
    environment = dict(
        os.environ, CONVDEMO_CACHE_DIR=str(project / "cache"), NO_MKDOCS_2_WARNING="1"
    )
    address = f"127.0.0.1:{free_port()}"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", address],
            cwd=project,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    summary = r"figure build: (\d+) rendered"
    try:
        wait_for(log, r"Serving on", 1)
        assert re.findall(summary, log.read_text()) == ["0"]

        with open(project / "docs" / "padding.md", "a") as page:
            page.write("\nAn edited chapter.\n")
        assert re.findall(summary, wait_for(log, summary, 2))[1] == "0"

        grids = project / "convdemo" / "grids.py"
        changed = entries_depending_on(
            grids, lambda: grids.write_text(grids.read_text() + "\n# an edit\n")
        )
        text = wait_for(log, summary, 3, timeout=120)
        assert int(re.findall(summary, text)[2]) == len(changed)
        assert "rendered figures/padding-none.svg" in text
        assert "rendered figures/input-photo.png" not in text

        time.sleep(8)  # idle: a build that writes into a watched folder would loop here
        assert len(re.findall(summary, log.read_text())) == 3
        assert not (project / "convdemo" / "__pycache__").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_swap_puts_the_old_site_back_if_the_new_one_cannot_move(tmp_path):
    from website.staging import swap as _swap

    final = tmp_path / "site"
    final.mkdir()
    (final / "index.html").write_text("old")
    with pytest.raises(OSError):
        _swap(tmp_path / "missing-staging", final)
    assert (final / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leftovers_of_dead_builds_are_removed_and_live_ones_kept(project):
    dead = project / ".site-999999-abcd"  # no such process
    dead_old = project / ".site-999999-old"
    alive = project / f".site-{os.getpid()}-efgh"  # this test's own process
    for folder in (dead, dead_old, alive):
        folder.mkdir()
    assert mkdocs(project, "build", "--strict").returncode == 0
    assert not dead.exists() and not dead_old.exists() and alive.exists()


def test_ctrl_c_during_a_build_leaves_the_site_and_no_staging_folder(project):
    site_before = tree_digest(project / "site")
    shutil.rmtree(project / "cache")  # a cold build: several seconds of rendering
    environment = dict(
        os.environ, CONVDEMO_CACHE_DIR=str(project / "cache"), NO_MKDOCS_2_WARNING="1"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(project.glob(".site-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # now inside the figure build
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
    process.wait(timeout=60)
    assert process.returncode != 0
    assert not list(project.glob(".site-*"))
    assert tree_digest(project / "site") == site_before


def test_notebook_pages_offer_the_clean_notebook_for_download(built):
    for spec in NOTEBOOKS:
        name = posixpath.basename(spec.function)
        page = built / "site" / "notebooks" / name.removesuffix(".ipynb")
        html_text = (page / "index.html").read_text()
        assert f'href="{name}" download' in html_text
        assert (page / name).read_bytes() == (ROOT / spec.function).read_bytes()
        assert "image/png" in html_text or "data:image/png" in html_text  # outputs shown


def test_changing_the_package_re_executes_the_notebooks_that_use_it(project):
    pointwise = project / "convdemo" / "pointwise.py"
    pointwise.write_text(pointwise.read_text() + "\n# edited\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "executed notebooks/pointwise.ipynb" in result.stderr
    again = mkdocs(project, "build", "--strict")
    assert "executed notebooks/" not in again.stderr  # and a warm build runs none
