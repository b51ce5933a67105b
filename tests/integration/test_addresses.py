"""Published addresses are kept: every listed page and figure anchor still resolves in
the built site, and every address the site publishes is listed."""

from __future__ import annotations

import shutil

from checks.addresses import LIST, listed, lost_addresses, read_site, site_addresses
from tests.integration.project import mkdocs


def test_no_published_address_is_lost(built):
    assert lost_addresses(read_site(built / "site"), listed()) == []


def test_every_address_of_the_site_is_in_the_list(built):
    new = sorted(set(site_addresses(read_site(built / "site"))) - set(listed()))
    assert new == [], f"new addresses: add them to {LIST.name} (python -m checks.addresses)"


def test_a_moved_page_needs_a_redirect(built, tmp_path):
    """Rename a chapter: without a redirect its addresses are lost, with one they resolve."""
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    (project / "docs" / "padding.md").rename(project / "docs" / "zero-padding.md")
    config = project / "mkdocs.yml"
    text = config.read_text().replace("padding.md", "zero-padding.md")
    config.write_text(text)
    for page in (project / "docs").glob("*.md"):
        page.write_text(page.read_text().replace("(padding.md", "(zero-padding.md"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    lost = lost_addresses(read_site(project / "site"), listed())
    assert lost and all(entry.startswith("padding/") for entry in lost)

    config.write_text(
        text.replace("redirect_maps: {}", 'redirect_maps: {"padding.md": "zero-padding.md"}')
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert lost_addresses(read_site(project / "site"), listed()) == []
