"""``make bench``: what it reads from a cold build's log."""

from __future__ import annotations

import subprocess
import sys

from checks.bench import children_cpu, cpu_line, publication_costs, render_costs

LOG = """\
INFO    -  animated animations/conv-full-padding.svg (+9 files) in 11.94 s (bytes unchanged)
INFO    -  rendered figures/padding-none.svg (+5 files) in 1.25 s
INFO    -  animated animations/conv-numbers.svg (+9 files) in 3.50 s
INFO    -  rendered figures/round-trip.webp (+5 files) in 2.00 s
INFO    -  animated animations/transposed-scatter.svg (+9 files) in 0.56 s
INFO    -  executed notebooks/pointwise.ipynb in 7.10 s
"""


def test_the_cold_build_cost_of_figures_and_animations_is_summed_from_the_log():
    figures, animations = render_costs(LOG)
    assert figures.split()[:5] == ["figure", "rendering,", "summed", "3.25", "s"]
    assert "(2 figures)" in figures
    assert animations.split()[:5] == ["animation", "rendering,", "summed", "16.00", "s"]
    assert animations.endswith(
        "(3 animations; slowest: conv-full-padding 11.94 s, conv-numbers 3.50 s, "
        "transposed-scatter 0.56 s)"
    )


def test_the_cost_of_the_book_and_the_decks_is_read_from_the_log():
    log = (
        "INFO    -  made book 10.36 s, deck conv1d.md 1.66 s, deck padding.md 2.50 s, "
        "deck groups.md 0.75 s\nINFO    -  Documentation built in 55.68 seconds\n"
    )
    book, decks = publication_costs(log)
    assert book.split()[:6] == ["book", "(printed", "by", "Chromium)", "10.36", "s"]
    assert decks.split()[:5] == ["slide", "decks,", "summed", "4.91", "s"]
    assert decks.endswith(
        "(3 decks; slowest: padding.md 2.50 s, conv1d.md 1.66 s, groups.md 0.75 s)"
    )


#: A grandchild that spends CPU and says how much; its parent waits for it and repeats it.
BURN = """
import subprocess, sys, time
code = "import time\\nwhile time.process_time() < 0.3: pass\\nprint(time.process_time())"
print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
"""


def test_a_builds_cpu_counts_the_processes_it_started_and_theirs():
    """As a build's workers, kernels and Chromium are: started and waited for below it."""
    before = children_cpu()
    said = subprocess.run([sys.executable, "-c", BURN], capture_output=True, text=True, check=True)
    grandchild = float(said.stdout)
    assert grandchild >= 0.3
    assert children_cpu() - before >= grandchild


def test_the_cpu_line_gives_the_least_wall_clock_time_on_the_cores():
    line = cpu_line(231.0, 2)
    assert line.split()[:6] == ["CPU,", "every", "process", "summed", "231.00", "s"]
    assert line.endswith("(on 2 cores, at least 115.5 s of wall-clock time)")


def test_the_cpu_line_says_core_for_a_single_one():
    assert cpu_line(180.4, 1).endswith("(on 1 core, at least 180.4 s of wall-clock time)")
