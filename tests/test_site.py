"""The built site as files: every internal link resolves, and two clean builds agree."""

from __future__ import annotations

import yaml

from figures.config import ROOT
from figures.linkcheck import check_site
from tests.sitebuild import copy_project, mkdocs, tree_digest

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]


def test_every_internal_link_and_anchor_resolves(site, capsys):
    report = check_site(site, SITE_URL)
    assert [str(broken) for broken in report.broken] == []
    assert report.pages >= 16 and report.links > 500  # chapters, notebooks, print page…
    with capsys.disabled():  # external links are listed for a person, never fetched
        hosts = sorted({url.split("/")[2] for _, url in report.external if "//" in url})
        print(f"\n{report.summary()}; external hosts linked: {', '.join(hosts)}")


def test_two_clean_builds_give_identical_sites(built, tmp_path):
    """Same sources, same SOURCE_DATE_EPOCH (set by tests.sitebuild): same bytes."""
    again = copy_project(tmp_path / "again")
    result = mkdocs(again, "build", "--strict")
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(built / "site"), tree_digest(again / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
