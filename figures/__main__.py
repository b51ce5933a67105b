"""Command line of the figure build.

    python -m figures list [--all]                   names of every figure, one a line
    python -m figures build [--force] [-j N] [NAME …] render what changed (or NAME only)

``-j`` sets how many processes render at once; it defaults to ``CONVDEMO_JOBS`` or, unset,
to the number of cores this process may use.

Exit status: 0 on success, 1 when an entry fails (each failure is named on stderr),
2 for a usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from figures.build import BuildError, build
from figures.config import DEFAULT_CONFIG, ConfigError, load_config
from figures.registry import ENTRIES, FIGURES

JOBS_ENV = "CONVDEMO_JOBS"


def default_jobs() -> int:
    """``CONVDEMO_JOBS`` if set, else the cores this process may run on."""
    setting = os.environ.get(JOBS_ENV, "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise ConfigError(f"{JOBS_ENV} must be a positive integer, got {setting!r}")
        return int(setting)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m figures", description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="settings file")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="print the name of every figure")
    listing.add_argument("--all", action="store_true", help="also list numbers and notebooks")
    building = commands.add_parser("build", help="render figures whose inputs changed")
    building.add_argument("--force", action="store_true", help="render even if cached")
    building.add_argument(
        "-j", "--jobs", type=_positive, help=f"processes at once (default: ${JOBS_ENV} or cores)"
    )
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
        jobs = args.jobs or default_jobs()
        report = build(ENTRIES, config, names=args.names, force=args.force, jobs=jobs, log=log)
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
