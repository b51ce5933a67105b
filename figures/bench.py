"""Benchmark of the figure build inside ``mkdocs build`` (``make bench``).

Prints three timings of a full ``mkdocs build`` of this repository, each in a fresh
process as a maintainer would run it:

* cold: empty figure cache, every figure rendered;
* warm: nothing changed (median of several runs);
* hook off: the same build with ``hooks: []``, so no figure build at all (median).

and the ratio warm / hook off, whose target is at most 1.15. Warm and hook-off runs are
interleaved so that a change in machine load affects both alike. The repository's own
``site/`` and figure cache are not touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures.config import CACHE_ENV, ROOT

TARGET_RATIO = 1.15


def timed_build(config: Path, site: Path, env: dict[str, str], *extra: str) -> float:
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    start = time.perf_counter()
    result = subprocess.run([*command, *extra], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark build failed:\n{result.stderr}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m figures.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=9, help="warm and hook-off runs (default 9)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="convdemo-bench-") as scratch:
        work = Path(scratch)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        env[CACHE_ENV] = str(work / "cache")
        hook_off = work / "mkdocs-hook-off.yml"
        hook_off.write_text(
            f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\nhooks: []\n"
        )

        cold = timed_build(ROOT / "mkdocs.yml", work / "site", env)
        warm, off = [], []
        # Without the hook, links to figure anchors dangle: not strict, it is a timing run.
        timed_build(hook_off, work / "site-off", env, "--no-strict")  # prime the OS caches
        for _ in range(args.runs):
            warm.append(timed_build(ROOT / "mkdocs.yml", work / "site", env))
            off.append(timed_build(hook_off, work / "site-off", env, "--no-strict"))

    warm_median, off_median = statistics.median(warm), statistics.median(off)
    ratio = warm_median / off_median
    verdict = "within target" if ratio <= TARGET_RATIO else "OVER TARGET"
    print("mkdocs build of the whole site, wall-clock seconds")
    print(f"  cold build (empty figure cache)   {cold:7.2f} s")
    print(f"  warm build (nothing changed)      {warm_median:7.2f} s  median of {args.runs}")
    print(f"  hook off (hooks: [])              {off_median:7.2f} s  median of {args.runs}")
    print(
        f"  warm / hook off                   {ratio:7.3f}    target ≤ {TARGET_RATIO} ({verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
