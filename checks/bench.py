"""Benchmark of the figure build inside ``mkdocs build`` (``make bench``).

Prints three timings of a full ``mkdocs build`` of this repository, each in a fresh
process as a maintainer would run it:

* cold: empty figure cache, every figure rendered and every notebook executed (the
  notebooks' execution times are listed separately), once with one process and once
  with one process per core, as ``make site`` runs it (target: at most 60 s); with the
  CPU time of the build and every process it started (workers, kernels, Chromium),
  which divided by the cores is the least wall-clock time the build could take;
* warm: nothing changed (median of several runs);
* hook off: the same build with ``hooks: []``, so no figure build at all (median). To
  keep the pages the same, its docs are a copy in which the executed notebooks stand in
  for the stored ones, as the hook would arrange.

and the ratio warm / hook off, whose target is at most 1.15. Warm and hook-off runs are
interleaved so that a change in machine load affects both alike. The builds run on a copy
of the project taken at the start, so editing it meanwhile changes nothing; the
repository's own ``site/`` and figure cache are not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from checks.weight import print_weights
from figures.__main__ import default_jobs
from figures.config import CACHE_ENV, ROOT

TARGET_RATIO = 1.15
#: A cold ``make site`` (installed, empty cache) on two cores, in seconds.
COLD_TARGET = 60


_EXECUTED = re.compile(r"executed notebooks/(\S+) in (\d+\.\d+) s")
_ANIMATED = re.compile(r"animated animations/(\S+?)\.svg .*?in (\d+\.\d+) s")
_RENDERED = re.compile(r"rendered figures/(\S+?)\.\w+ .*?in (\d+\.\d+) s")
_MADE = re.compile(r"made (.+)")
_PRODUCT = re.compile(r"(book|deck (\S+)) (\d+\.\d+) s")


#: What a build reads, copied for the benchmark.
PROJECT = ("docs", "figures", "convdemo", "website", "mkdocs.yml", "CITATION.cff")


def _plugins(root: Path) -> list[Any]:
    """The ``plugins`` list of mkdocs.yml (read as plain YAML: it has no custom tags)."""
    import yaml

    with open(root / "mkdocs.yml") as file:
        plugins: list[Any] = yaml.safe_load(file)["plugins"]
    return plugins


def _is_jupyter(plugin: Any) -> bool:
    return isinstance(plugin, dict) and "mkdocs-jupyter" in plugin


def timed_build(config: Path, site: Path, env: dict[str, str], *extra: str) -> float:
    return logged_build(config, site, env, "-q", *extra)[0]


def children_cpu() -> float:
    """CPU seconds (user and system) of every finished process this one has waited for,
    and of those they waited for in turn: a build's workers, kernels and Chromium."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def logged_build(
    config: Path, site: Path, env: dict[str, str], *extra: str
) -> tuple[float, str, float]:
    """Wall-clock seconds of one ``mkdocs build`` in a fresh process, its log, and the
    CPU seconds it and every process it started took."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(
        [*command, *extra], cwd=config.parent, env=env, capture_output=True, text=True
    )
    seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
    if result.returncode != 0:
        sys.exit(f"benchmark build failed:\n{result.stderr}")
    return seconds, result.stderr, cpu


def cpu_line(cpu: float, jobs: int) -> str:
    """The CPU a build took, and the least wall-clock time it could take on ``jobs`` cores
    if every one of them were busy from its start to its end."""
    cores = "core" if jobs == 1 else "cores"
    return (
        f"    CPU, every process summed       {cpu:7.2f} s  "
        f"(on {jobs} {cores}, at least {cpu / jobs:.1f} s of wall-clock time)"
    )


def _summed(label: str, items: list[tuple[str, float]], noun: str) -> str:
    """One line: the seconds of ``items`` summed, how many, and the slowest three."""
    slowest = sorted(items, key=lambda item: -item[1])[:3]
    return (
        f"    {label + ', summed':<32}{sum(s for _, s in items):7.2f} s  ({len(items)} {noun}; "
        "slowest: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in slowest) + ")"
    )


def render_costs(log: str) -> list[str]:
    """What rendering the figures and the animations cost in a cold build, from its log:
    the seconds summed over the worker processes, and the slowest animations."""
    figures = [float(seconds) for _, seconds in _RENDERED.findall(log)]
    animations = [(name, float(seconds)) for name, seconds in _ANIMATED.findall(log)]
    return [
        f"    figure rendering, summed        {sum(figures):7.2f} s  ({len(figures)} figures)",
        _summed("animation rendering", animations, "animations"),
    ]


def publication_costs(log: str) -> list[str]:
    """What the book and the slide decks cost in a build, from its log ("made book 9.8 s,
    deck padding.md 1.8 s, …"): the book's seconds, the decks' summed, the slowest."""
    made = [item for line in _MADE.findall(log) for item in _PRODUCT.findall(line)]
    book = [float(seconds) for kind, _, seconds in made if kind == "book"]
    decks = [(page, float(seconds)) for kind, page, seconds in made if kind != "book"]
    return [
        f"    book (printed by Chromium)      {sum(book):7.2f} s",
        _summed("slide decks", decks, "decks"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=9, help="warm and hook-off runs (default 9)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="convdemo-bench-") as scratch:
        work = Path(scratch)
        root = work / "project"
        for name in PROJECT:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, root / name)
        # The copy's packages, not the repository's, wherever a build runs from.
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(root))
        env[CACHE_ENV] = str(work / "cache")
        hook_off = root / "mkdocs-hook-off.yml"  # beside mkdocs.yml: snippets resolve alike
        # mkdocs-jupyter deletes the cache entries a build did not use: the two configs
        # need caches of their own, or alternating builds would evict each other's.
        jupyter = next(plugin["mkdocs-jupyter"] for plugin in _plugins(root) if _is_jupyter(plugin))
        jupyter = {**jupyter, "cache_dir": str(work / "jupyter-cache-hook-off")}
        hook_off.write_text(
            json.dumps(
                {
                    "INHERIT": str(root / "mkdocs.yml"),
                    "docs_dir": str(work / "docs"),
                    "hooks": [],
                    "plugins": [
                        {"mkdocs-jupyter": jupyter} if _is_jupyter(plugin) else plugin
                        for plugin in _plugins(root)
                    ],
                }
            )
        )

        serial_env = dict(env, CONVDEMO_JOBS="1", **{CACHE_ENV: str(work / "cache-serial")})
        serial, serial_log, serial_cpu = logged_build(
            root / "mkdocs.yml", work / "site-serial", serial_env
        )
        cold, cold_log, cold_cpu = logged_build(root / "mkdocs.yml", work / "site", env)
        shutil.copytree(root / "docs", work / "docs")
        for executed in (work / "cache" / "notebooks").glob("*.ipynb"):
            shutil.copyfile(executed, work / "docs" / "notebooks" / executed.name)
        warm, off = [], []
        # Without the hook, links to figure anchors dangle: not strict, it is a timing run.
        timed_build(hook_off, work / "site-off", env, "--no-strict")  # prime the OS caches
        for _ in range(args.runs):
            warm.append(timed_build(root / "mkdocs.yml", work / "site", env))
            off.append(timed_build(hook_off, work / "site-off", env, "--no-strict"))
        print()
        over = print_weights(work / "site")

    warm_median, off_median = statistics.median(warm), statistics.median(off)
    ratio = warm_median / off_median
    verdict = "within target" if ratio <= TARGET_RATIO else "OVER TARGET"
    print("mkdocs build of the whole site, wall-clock seconds")
    notebooks = [(name, float(seconds)) for name, seconds in _EXECUTED.findall(cold_log)]
    jobs = default_jobs()
    cold_verdict = "within target" if cold <= COLD_TARGET else "OVER TARGET"
    print(f"  cold build, one process           {serial:7.2f} s")
    print(cpu_line(serial_cpu, 1))
    for line in publication_costs(serial_log):
        print(line)
    print(
        f"  cold build, {jobs} processes         {cold:7.2f} s  "
        f"{serial / cold:.2f}× faster; target ≤ {COLD_TARGET} s ({cold_verdict})"
    )
    print(cpu_line(cold_cpu, jobs))
    for line in render_costs(cold_log) + publication_costs(cold_log):
        print(line)
    print(f"    notebook execution, summed      {sum(s for _, s in notebooks):7.2f} s")
    for name, seconds in notebooks:
        print(f"      {name:<30}{seconds:7.2f} s")
    print(f"  warm build (nothing changed)      {warm_median:7.2f} s  median of {args.runs}")
    print(f"  hook off (hooks: [])              {off_median:7.2f} s  median of {args.runs}")
    print(
        f"  warm / hook off                   {ratio:7.3f}    target ≤ {TARGET_RATIO} ({verdict})"
    )
    return 1 if over or ratio > TARGET_RATIO or cold > COLD_TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
