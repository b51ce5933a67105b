"""The process a build's workers and notebook kernels are forked from.

A worker or a kernel started as a new Python process imports PyTorch first: about 3 s of
CPU here, paid once per process (two workers and four kernels in a cold build). Instead
the build starts one server (multiprocessing's ``forkserver``) that imports PyTorch and
the kernel's code once, and each worker and kernel is a fork of it: a process that has
run nothing but those imports, as fresh as a new one. The server lives for one build:
``stop`` ends it, so its environment, working folder and ``sys.path`` are the build's.

Nothing that reads the environment at import time and changes a kernel's behaviour is
preloaded: matplotlib, imported before ipykernel has chosen its backend, would draw
a notebook's figures where a fresh kernel would show them inline.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext

__all__ = ["PRELOAD", "context", "stop"]

#: What the server imports once for every process it forks.
PRELOAD = ["torch", "ipykernel.kernelapp"]


def context() -> ForkServerContext:
    """Start processes as forks of the server (started on first use)."""
    forks = multiprocessing.get_context("forkserver")
    forks.set_forkserver_preload(PRELOAD)
    return forks


def stop() -> None:
    """End the server, if this process started one, and wait for it to exit.

    No process then outlives the build, and what its forks spent, which the server
    collects as it reaps them, is counted among this process's children. (Python 3.11
    offers no public call for this; ``_stop`` is the one its own tests use.)"""
    forkserver._forkserver._stop()  # type: ignore[attr-defined]
