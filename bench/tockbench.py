"""No-op job target for bench/rq_peers.py.

RQ workers resolve jobs by dotted name (`tockbench.noop`), so this must live in an
importable module of its own: the benchmark runs its `rq worker` subprocesses with
this directory as cwd and on PYTHONPATH.
"""


def noop(*args, **kwargs):
    return None
