"""Functions that real RQ workers run in Tock's interoperability tests.

Tests/TockCLITests/RQInteropTests.swift enqueues `tockinterop.add` with `tock enqueue`
and runs `rq worker` with this directory as its working directory and on PYTHONPATH.
"""


def add(a, b):
    return a + b
