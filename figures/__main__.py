"""Command line of the figure build.

    python -m figures list                     names of every figure, one a line
    python -m figures build [--force] [NAME …] render what changed (or NAME only)

Exit status: 0 on success, 1 when an entry fails (each failure is named on stderr),
2 for a usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from figures.build import BuildError, build
from figures.config import DEFAULT_CONFIG, ConfigError, load_config
from figures.registry import ENTRIES, FIGURES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m figures", description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="settings file")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="print the name of every figure")
    listing.add_argument("--all", action="store_true", help="also list the numbers entries")
    building = commands.add_parser("build", help="render figures whose inputs changed")
    building.add_argument("--force", action="store_true", help="render even if cached")
    building.add_argument("names", nargs="*", metavar="NAME", help="only these entries")
    args = parser.parse_args(argv)

    if args.command == "list":
        for spec in ENTRIES if args.all else FIGURES:
            print(spec.name)
        return 0

    def log(line: str) -> None:
        print(line, flush=True)

    try:
        config = load_config(args.config)
        report = build(ENTRIES, config, names=args.names, force=args.force, log=log)
    except (ConfigError, KeyError) as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    except BuildError as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    log(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
