"""Link check of a built site, from the command line (the check itself: ``website.links``).

    python -m checks.linkcheck SITE_DIR [--site-url URL]

Prints a summary, every broken reference, and every external URL (listed, not fetched).
Exit status: 0 when every link resolves, 1 when one is broken, 2 for a missing site folder
or a bad argument.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from website.links import check_site

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m checks.linkcheck", description=__doc__.split("\n")[0]
    )
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site folder")
    parser.add_argument(
        "--site-url", help="where the site is published, e.g. https://u.github.io/p/"
    )
    args = parser.parse_args(argv)
    try:
        report = check_site(args.site, args.site_url)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    for problem in report.broken:
        print(problem)
    if report.external:
        print("external links (not fetched):")
        for page, url in report.external:
            print(f"  {page}: {url}")
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main())
