"""Link check of a built site, on small site folders written for each test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checks.linkcheck import main
from website.html import srcset_urls
from website.links import Broken, check_site

REPO = Path(__file__).resolve().parents[2]


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """A site folder ``root/site`` holding ``files`` (path → text or bytes)."""
    site = root / "site"
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    site.mkdir(exist_ok=True)
    return site


def problems(site: Path, site_url: str | None = None) -> list[tuple[str, str, str]]:
    report = check_site(site, site_url)
    return [(b.page, b.reference, b.reason) for b in report.broken]


# One reference of every kind the checker reads, each to an existing file.
EVERY_KIND = {
    "a": '<a href="{}">x</a>',
    "link": '<link rel="stylesheet" href="{}">',
    "img src": '<img src="{}" alt="">',
    "img srcset": '<img srcset="{} 2x" alt="">',
    "script": '<script src="{}"></script>',
    "source src": '<video><source src="{}"></video>',
    "source srcset": '<picture><source srcset="{}"></picture>',
    "iframe": '<iframe src="{}"></iframe>',
    "video poster": '<video poster="{}"></video>',
    "object": '<object data="{}"></object>',
}


def test_every_kind_of_reference_to_an_existing_file_resolves(tmp_path):
    body = "".join(tag.format(f"files/{i}.bin") for i, tag in enumerate(EVERY_KIND.values()))
    files: dict[str, str | bytes] = {f"files/{i}.bin": b"" for i in range(len(EVERY_KIND))}
    site = make_site(tmp_path, {"index.html": body, **files})
    report = check_site(site)
    assert (report.pages, report.links, report.broken) == (1, len(EVERY_KIND), [])


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_every_kind_of_reference_to_a_missing_file_is_reported(tmp_path, kind):
    site = make_site(tmp_path, {"index.html": EVERY_KIND[kind].format("missing.bin")})
    assert problems(site) == [("index.html", "missing.bin", "no such file")]


# Sites in which every link but the ones listed resolves: name → (files, broken).
CASES: dict[str, tuple[dict[str, str | bytes], list[tuple[str, str, str]]]] = {
    "a-folder-means-its-index-page": (
        {
            "index.html": '<a href="guide/">a</a><a href="guide">b</a><a href="empty/">c</a>',
            "guide/index.html": '<a href="../">home</a><a href="..">home</a><a href="/">home</a>',
            "empty/notes.txt": "",
        },
        [("index.html", "empty/", "no such file")],
    ),
    "a-file-name-with-a-trailing-slash-is-missing": (
        {"index.html": '<a href="a.html/">x</a>', "a.html": ""},
        [("index.html", "a.html/", "no such file")],
    ),
    "a-missing-anchor-names-the-target-page": (
        {
            "index.html": '<h1 id="top">t</h1><a href="guide/#top">x</a>'
            '<a href="guide/#intro">y</a>',
            "guide/index.html": '<h2 id="intro">i</h2>',
        },
        [("index.html", "guide/#top", "no anchor #top in guide/index.html")],
    ),
    "a-page-that-reads-its-fragment-takes-a-setting-but-still-checks-anchors": (
        {
            "index.html": '<a href="tool/#op=conv2d&amp;input=1,1,5,5">a</a>'
            '<a href="tool/#usage">b</a><a href="tool/#missing">c</a>'
            '<a href="guide/#op=conv2d">d</a>',
            "tool/index.html": '<div id="app" data-fragment="state"></div><h2 id="usage">u</h2>',
            "guide/index.html": '<div id="app" data-fragment="anchor"></div>',
        },
        [
            ("index.html", "tool/#missing", "no anchor #missing in tool/index.html"),
            ("index.html", "guide/#op=conv2d", "no anchor #op=conv2d in guide/index.html"),
        ],
    ),
    "a-name-is-an-anchor-but-other-names-are-not": (
        {"index.html": '<a name="old"></a><input name="f"><a href="#old">a</a><a href="#f">b</a>'},
        [("index.html", "#f", "no anchor #f in index.html")],
    ),
    "percent-encoded-path-and-fragment-are-decoded": (
        {
            "index.html": '<a href="my%20page.html#gr%C3%B6%C3%9Fe">a</a>'
            '<a href="my%20page.html#gr%C3%B6sse">b</a>',
            "my page.html": '<h2 id="größe">g</h2>',
        },
        [("index.html", "my%20page.html#gr%C3%B6sse", "no anchor #grösse in my page.html")],
    ),
    "the-query-string-is-ignored": (
        {
            "index.html": '<p id="top"></p><a href="a.html?v=2#top">a</a><a href="?page=2">b</a>'
            '<a href="b.html?v=2">c</a>',
            "a.html": '<p id="top"></p>',
        },
        [("index.html", "b.html?v=2", "no such file")],
    ),
    "srcset-candidates-are-each-checked": (
        {
            "index.html": '<img srcset="small.png 480w,big.png 800w, huge.png 1600w" alt="">',
            "small.png": b"",
            "huge.png": b"",
        },
        [("index.html", "big.png", "no such file")],
    ),
    "fragments-of-files-that-are-not-html-are-not-checked": (
        {
            "index.html": '<img src="pic.svg#only-dark" alt=""><a href="doc.pdf#page=2">d</a>'
            '<img src="gone.svg#only-dark" alt="">',
            "pic.svg": "<svg/>",
            "doc.pdf": b"%PDF",
        },
        [("index.html", "gone.svg#only-dark", "no such file")],
    ),
}


@pytest.mark.parametrize(("files", "broken"), CASES.values(), ids=CASES)
def test_only_the_broken_links_are_reported(tmp_path, files, broken):
    assert problems(make_site(tmp_path, files)) == broken


def test_anchors_in_the_same_page(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<p id="here"></p><a href="#here">a</a><a href="#gone">b</a>'
            '<a href="#">c</a><a href="#gone">repeated</a>'
        },
    )
    report = check_site(site)
    assert report.broken == [Broken("index.html", "#gone", "no anchor #gone in index.html")]
    assert report.links == 2  # each reference once a page; a bare "#" is none


def test_a_reference_may_not_leave_the_site_folder(tmp_path):
    (tmp_path / "outside.html").write_text("exists, but is not published")
    site = make_site(
        tmp_path,
        {
            "index.html": '<a href="../outside.html">a</a>',
            "a/index.html": '<a href="../../site/">b</a>',
        },
    )
    assert problems(site) == [
        ("a/index.html", "../../site/", "outside the site folder"),
        ("index.html", "../outside.html", "outside the site folder"),
    ]


def test_external_links_are_listed_once_sorted_and_not_checked(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<a href="https://example.org/nope">a</a>'
            '<script src="//cdn.example.org/x.js"></script>'
            '<a href="https://example.org/nope">again</a>'
            '<a href="mailto:a@b.c">m</a><a href="tel:123">t</a><a href="javascript:void(0)">j</a>'
            '<img src="data:image/png;base64,AAAA" alt=""><img src="blob:https://x/1" alt="">'
            '<a href="">empty</a><a href="FTP://files.example.org/a">f</a>',
        },
    )
    report = check_site(site)
    assert (report.links, report.broken) == (0, [])
    assert report.external == [
        ("index.html", "//cdn.example.org/x.js"),
        ("index.html", "FTP://files.example.org/a"),
        ("index.html", "https://example.org/nope"),
    ]


def test_links_under_site_url_are_checked_in_the_site_folder(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<link rel="canonical" href="https://x.github.io/proj/">'
            '<a href="https://x.github.io/proj/guide/#intro">a</a>'
            '<a href="//x.github.io/proj/guide/">b</a>'
            '<a href="/proj/guide/#intro">c</a><a href="/proj">d</a>'
            '<a href="/proj/tmp/../guide/">d2</a>'
            '<a href="https://x.github.io/proj/gone/">e</a>'
            '<a href="/guide/">f</a>'
            '<a href="https://x.github.io/project/">g</a>'
            '<a href="https://y.github.io/proj/">h</a>',
            "guide/index.html": '<h2 id="intro">i</h2>',
        },
    )
    report = check_site(site, "https://x.github.io/proj/")
    assert [(b.reference, b.reason) for b in report.broken] == [
        ("https://x.github.io/proj/gone/", "no such file"),
        ("/guide/", "outside the site (not under /proj/)"),
    ]
    assert report.external == [
        ("index.html", "https://x.github.io/project/"),
        ("index.html", "https://y.github.io/proj/"),
    ]
    assert report.links == 8


def test_without_site_url_absolute_paths_start_at_the_site_root(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<a href="/guide/">a</a><a href="https://x.github.io/proj/">b</a>',
            "guide/index.html": "",
        },
    )
    report = check_site(site)
    assert (report.links, report.broken) == (1, [])
    assert report.external == [("index.html", "https://x.github.io/proj/")]


def test_site_url_must_be_a_full_url(tmp_path):
    with pytest.raises(ValueError, match=r"x\.github\.io/proj"):
        check_site(make_site(tmp_path, {}), "x.github.io/proj/")


def test_srcset_urls_follow_the_html_parsing_rules():
    # A URL runs to whitespace (so a data: URL keeps its commas), and a candidate ends at a
    # comma after the URL or after its descriptors, outside parentheses.
    srcset = "data:image/png;base64,AA,BB 1x,b.png 2x , c.png, d.png (x, y) 3w,e.png"
    assert srcset_urls(srcset) == [
        "data:image/png;base64,AA,BB",
        "b.png",
        "c.png",
        "d.png",
        "e.png",
    ]


def test_css_url_references_are_checked_from_the_stylesheet(tmp_path):
    site = make_site(
        tmp_path,
        {
            "assets/css/site.css": "/* url(commented-out.png) */\n"
            "@font-face { src: url(../fonts/a.woff2) format('woff2'), url('../fonts/b.woff'); }\n"
            'body { background: url( "../img/missing.png" ) }\n'
            ".icon { mask: url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='x'/>\") }\n"
            ".f { filter: url(#blur) }\n"
            "@import url(https://fonts.example.org/css);",
            "assets/fonts/a.woff2": b"",
            "assets/fonts/b.woff": b"",
        },
    )
    report = check_site(site)
    assert report.broken == [Broken("assets/css/site.css", "../img/missing.png", "no such file")]
    assert report.external == [("assets/css/site.css", "https://fonts.example.org/css")]
    assert (report.pages, report.links) == (0, 3)


def test_an_undecodable_page_is_reported_not_fatal(tmp_path):
    site = make_site(
        tmp_path,
        {"bad.html": b'<p id="x">\xff\xfe</p>', "index.html": '<a href="bad.html#x">a</a>'},
    )
    report = check_site(site)
    assert report.pages == 2
    assert [(b.page, b.reference) for b in report.broken] == [
        ("bad.html", ""),
        ("index.html", "bad.html#x"),
    ]
    assert report.broken[0].reason.startswith("not UTF-8")


def test_a_missing_site_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        check_site(tmp_path / "nowhere")


def test_command_line_succeeds_on_a_clean_site(tmp_path, capsys):
    site = make_site(
        tmp_path,
        {"index.html": '<a href="a.html">a</a><a href="https://e.org/">e</a>', "a.html": ""},
    )
    assert main([str(site)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2 pages, 1 internal links, 0 broken, 1 external",
        "external links (not fetched):",
        "  index.html: https://e.org/",
    ]


def test_command_line_lists_broken_links_and_exits_1(tmp_path, capsys):
    site = make_site(tmp_path, {"index.html": '<a href="/p/gone/">a</a><a href="/p/#top">b</a>'})
    assert main([str(site), "--site-url", "https://u.github.io/p/"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "1 pages, 2 internal links, 2 broken, 0 external",
        "index.html: /p/gone/: no such file",
        "index.html: /p/#top: no anchor #top in index.html",
    ]


def test_command_line_names_a_missing_site_folder_and_exits_2(tmp_path):
    missing = tmp_path / "no-site-here"
    result = subprocess.run(
        [sys.executable, "-m", "checks.linkcheck", str(missing)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "no-site-here" in result.stderr
    assert result.stdout == ""
