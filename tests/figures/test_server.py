"""The server's forks: a refused request to end with the parent is an error, not ignored."""

from __future__ import annotations

import ctypes
import errno
import sys

import pytest

from figures import server


@pytest.mark.skipif(sys.platform != "linux", reason="prctl is Linux's")
def test_a_refused_prctl_raises_with_its_errno(monkeypatch):
    class Refusing:
        def __init__(self, *args, **kwargs):
            pass

        def prctl(self, option, signum):
            ctypes.set_errno(errno.EINVAL)
            return -1

    monkeypatch.setattr(server.ctypes, "CDLL", Refusing)
    with pytest.raises(OSError, match=r"PR_SET_PDEATHSIG.*Invalid argument") as raised:
        server.die_with_parent()
    assert raised.value.errno == errno.EINVAL
