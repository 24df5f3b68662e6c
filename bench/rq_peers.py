#!/usr/bin/env python3
"""Benchmark Python RQ 2.12.0 so `tock bench redis` can show its figures beside Tock's.

Usage (with the interpreter printed by scripts/rq-venv):

    python bench/rq_peers.py --url redis://127.0.0.1:PORT/DB \
        [--jobs N] [--worker-jobs M] [--pickups K] [--skip-forking-worker]

Prints one JSON object on stdout; everything else goes to stderr. The caller owns the
server; the DB is assumed to be dedicated to the benchmark, but only the keys this
script created (its queues, their registries, its jobs and its workers) are deleted.

Phases, all with RQ's JSONSerializer and the no-op job `tockbench.noop` (bench/tockbench.py):

- enqueue_one_by_one_per_s: N x Queue.enqueue, timed after a short untimed warm-up.
- enqueue_many_per_s: Queue.enqueue_many over N Queue.prepare_data(...) in one call
  (building the list is inside the timing).
- worker_per_s / simple_worker_per_s: wall time of a real
  `rq worker --burst ... QUEUE` subprocess (forking Worker / SimpleWorker) draining M
  pre-enqueued jobs, from spawn to exit. *_startup_s is the median of three runs of the
  same command on the empty queue; *_excluding_startup subtracts it.
- pickup_*: a long-running (non-burst) worker; K jobs enqueued one at a time, each after
  the previous one finished; latency = started_at - enqueued_at as RQ stored them in the
  job hash. p50/p99 by linear interpolation between closest ranks.

--skip-forking-worker skips every phase that uses the default forking Worker
(worker_per_s and pickup_forking_*); their keys are then null.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import redis
    import rq
    from rq import Queue
    from rq.job import Job, JobStatus
    from rq.results import Result
    from rq.serializers import JSONSerializer
except ImportError as exc:  # the caller should run us with the rq venv's python
    print(
        f"rq_peers: cannot import rq/redis ({exc}); run with the python printed by scripts/rq-venv",
        file=sys.stderr,
    )
    sys.exit(2)

BENCH_DIR = Path(__file__).resolve().parent
FUNC = "tockbench.noop"
SERIALIZER_PATH = "rq.serializers.JSONSerializer"
SUBPROCESS_TIMEOUT_S = 300.0
STARTUP_RUNS = 3


def log(msg: str) -> None:
    print(f"rq_peers: {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# --- helpers ---------------------------------------------------------------------------


def rq_executable() -> str:
    # The `rq` script of the same venv as this interpreter (not whatever is on PATH).
    path = os.path.join(os.path.dirname(sys.executable), "rq")
    if not os.access(path, os.X_OK):
        raise BenchError(f"no rq executable next to {sys.executable} (expected {path})")
    return path


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(BENCH_DIR), env.get("PYTHONPATH")) if p)
    # Keep Python's own buffering out of the measurement's way; logs go to a file anyway.
    env["PYTHONUNBUFFERED"] = "1"
    return env


def worker_cmd(url: str, queue: str, worker_class: str | None, burst: bool) -> list[str]:
    cmd = [rq_executable(), "worker"]
    if burst:
        cmd.append("--burst")
    if worker_class:
        cmd += ["--worker-class", worker_class]
    cmd += ["--serializer", SERIALIZER_PATH, "--url", url, queue]
    return cmd


def spawn_worker(url: str, queue: str, worker_class: str | None, burst: bool, logfile) -> subprocess.Popen:
    return subprocess.Popen(
        worker_cmd(url, queue, worker_class, burst),
        cwd=BENCH_DIR,
        env=worker_env(),
        stdin=subprocess.DEVNULL,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )


def log_tail(logfile, limit: int = 4000) -> str:
    logfile.flush()
    logfile.seek(0)
    return logfile.read().decode(errors="replace")[-limit:]


def stop_worker(proc: subprocess.Popen) -> None:
    """Warm shutdown (SIGTERM), so the worker deregisters itself; SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def run_burst_worker(url: str, queue: str, worker_class: str | None) -> float:
    """Wall seconds of one `rq worker --burst` subprocess, spawn to exit."""
    with tempfile.TemporaryFile() as logfile:
        start = time.perf_counter()
        proc = spawn_worker(url, queue, worker_class, burst=True, logfile=logfile)
        try:
            rc = proc.wait(timeout=SUBPROCESS_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise BenchError(f"rq worker on {queue} did not finish in {SUBPROCESS_TIMEOUT_S:.0f}s:\n{log_tail(logfile)}")
        finally:
            if proc.poll() is None:  # timeout or Ctrl-C: leave no orphan worker behind
                proc.kill()
                proc.wait()
        elapsed = time.perf_counter() - start
        if rc != 0:
            raise BenchError(f"rq worker on {queue} exited with {rc}:\n{log_tail(logfile)}")
    return elapsed


def cleanup(conn: redis.Redis, queue_names: list[str]) -> None:
    """Delete everything RQ keeps for these queues: the queues, their registries, the jobs
    they hold or recorded (hashes, results, executions) and the workers that served them."""
    names = set(queue_names)
    job_ids: set[str] = set()
    for name in queue_names:
        q = Queue(name, connection=conn, serializer=JSONSerializer)
        job_ids.update(q.get_job_ids())
        for reg in (
            q.started_job_registry,
            q.finished_job_registry,
            q.failed_job_registry,
            q.deferred_job_registry,
            q.scheduled_job_registry,
            q.canceled_job_registry,
        ):
            # Raw ZRANGE: the registries' own listing cleans up as it goes, and StartedJobRegistry
            # stores "job_id:execution_id" members.
            for member in conn.zrange(reg.key, 0, -1):
                job_ids.add(member.decode().split(":", 1)[0])
        q.delete(delete_jobs=True)

    # One pass over the keyspace catches every per-job and per-queue key RQ 2.x creates
    # (rq:job:ID, rq:results:ID, rq:executions:ID, rq:execution:ID:..., rq:finished:QUEUE, ...)
    # without hard-coding the list.
    doomed = []
    for key in conn.scan_iter(match="rq:*", count=1000):
        parts = key.decode().split(":")
        if names.intersection(parts) or job_ids.intersection(parts):
            doomed.append(key)
        elif parts[1] == "worker" and len(parts) == 3:
            served = conn.hget(key, "queues")
            if served is not None and set(served.decode().split(",")) <= names:
                doomed.append(key)
    for i in range(0, len(doomed), 500):
        conn.delete(*doomed[i : i + 500])


def percentile(sorted_values: list[float], pct: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    rank = (len(sorted_values) - 1) * pct / 100.0
    lo = int(rank)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (rank - lo)


# --- phases ----------------------------------------------------------------------------


def bench_enqueue_one_by_one(conn: redis.Redis, n: int) -> float:
    name = "bench-enq"
    cleanup(conn, [name])
    q = Queue(name, serializer=JSONSerializer, connection=conn)
    # Untimed warm-up: the first enqueue also asks the server for its version (INFO).
    for _ in range(min(20, n)):
        q.enqueue(FUNC)
    q.empty()
    start = time.perf_counter()
    for _ in range(n):
        q.enqueue(FUNC)
    elapsed = time.perf_counter() - start
    if q.count != n:
        raise BenchError(f"{name}: expected {n} queued jobs, found {q.count}")
    cleanup(conn, [name])
    return n / elapsed


def bench_enqueue_many(conn: redis.Redis, n: int) -> float:
    name = "bench-enq-many"
    cleanup(conn, [name])
    q = Queue(name, serializer=JSONSerializer, connection=conn)
    q.enqueue_many([Queue.prepare_data(FUNC) for _ in range(min(20, n))])
    q.empty()
    start = time.perf_counter()
    # A list, not a generator: enqueue_many iterates job_datas twice.
    jobs = q.enqueue_many([Queue.prepare_data(FUNC) for _ in range(n)])
    elapsed = time.perf_counter() - start
    if len(jobs) != n or q.count != n:
        raise BenchError(f"{name}: expected {n} queued jobs, got {len(jobs)} returned / {q.count} queued")
    cleanup(conn, [name])
    return n / elapsed


def bench_burst_worker(conn: redis.Redis, url: str, m: int, name: str, worker_class: str | None) -> dict[str, float]:
    cleanup(conn, [name])
    startups = [run_burst_worker(url, name, worker_class) for _ in range(STARTUP_RUNS)]
    startup = statistics.median(startups)

    q = Queue(name, serializer=JSONSerializer, connection=conn)
    q.enqueue_many([Queue.prepare_data(FUNC) for _ in range(m)])
    elapsed = run_burst_worker(url, name, worker_class)
    done, failed = q.finished_job_registry.count, q.failed_job_registry.count
    if q.count != 0 or done != m:
        raise BenchError(f"{name}: after the burst worker, {q.count} queued, {done}/{m} finished, {failed} failed")
    cleanup(conn, [name])
    log(f"{name}: {m} jobs in {elapsed:.3f}s, startup {startup:.3f}s (runs: {', '.join(f'{s:.3f}' for s in startups)})")
    return {
        "per_s": m / elapsed,
        "startup_s": startup,
        # Startup noise can exceed the drain time for tiny M; report null rather than nonsense.
        "per_s_excluding_startup": m / (elapsed - startup) if elapsed > startup else None,
    }


def wait_finished(job: Job, queue: str, proc: subprocess.Popen, logfile) -> None:
    # Blocks on the job's result stream (XREAD BLOCK), so no polling load on the 2 cores.
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
    while time.monotonic() < deadline:
        result = job.latest_result(timeout=1)
        if result is not None:
            if result.type != Result.Type.SUCCESSFUL:  # failures also land in the result stream
                raise BenchError(f"{queue}: job {job.id} ended {result.type.name}:\n{log_tail(logfile)}")
            return
        if proc.poll() is not None:
            raise BenchError(f"rq worker on {queue} exited with {proc.returncode}:\n{log_tail(logfile)}")
        status = job.get_status(refresh=True)
        if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            raise BenchError(f"{queue}: job {job.id} ended {status}:\n{log_tail(logfile)}")
    raise BenchError(f"{queue}: job {job.id} not finished after {SUBPROCESS_TIMEOUT_S:.0f}s:\n{log_tail(logfile)}")


def bench_pickup(conn: redis.Redis, url: str, k: int, name: str, worker_class: str | None) -> dict[str, float]:
    cleanup(conn, [name])
    q = Queue(name, serializer=JSONSerializer, connection=conn)
    latencies_ms = []
    with tempfile.TemporaryFile() as logfile:
        proc = spawn_worker(url, name, worker_class, burst=False, logfile=logfile)
        try:
            # The first job waits out the worker's startup; it is not measured.
            wait_finished(q.enqueue(FUNC), name, proc, logfile)
            for _ in range(k):
                job = q.enqueue(FUNC)
                wait_finished(job, name, proc, logfile)
                # The hash's started_at is the one perform_job() sets right before calling the
                # function (the success save overwrites the earlier prepare_for_execution value).
                stored = Job.fetch(job.id, connection=conn, serializer=JSONSerializer)
                if stored.started_at is None or stored.enqueued_at is None:
                    raise BenchError(f"{name}: job {job.id} lacks started_at/enqueued_at")
                latencies_ms.append((stored.started_at - stored.enqueued_at).total_seconds() * 1000.0)
        finally:
            stop_worker(proc)
    cleanup(conn, [name])
    latencies_ms.sort()
    p50, p99 = percentile(latencies_ms, 50), percentile(latencies_ms, 99)
    log(f"{name}: pickup p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {latencies_ms[-1]:.3f} ms over {k} jobs")
    return {"p50_ms": p50, "p99_ms": p99}


# --- main ------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="redis://HOST:PORT/DB (DB dedicated to the benchmark)")
    ap.add_argument("--jobs", type=positive_int, default=2000, help="jobs per enqueue phase (default 2000)")
    ap.add_argument("--worker-jobs", type=positive_int, default=500, help="jobs per burst-worker phase (default 500)")
    ap.add_argument("--pickups", type=positive_int, default=200, help="jobs per pickup-latency phase (default 200)")
    ap.add_argument("--skip-forking-worker", action="store_true", help="skip phases using the forking Worker")
    args = ap.parse_args()

    try:
        rq_executable()
        conn = redis.Redis.from_url(args.url)
        conn.ping()
    except (BenchError, redis.RedisError) as exc:
        log(f"error: {exc}")
        return 1

    out: dict[str, object] = {
        "rq_version": rq.__version__,
        "python_version": platform.python_version(),
    }
    all_queues = ["bench-enq", "bench-enq-many", "bench-worker", "bench-simple-worker", "bench-pickup", "bench-pickup-forking"]
    try:
        log(f"enqueue one by one, {args.jobs} jobs")
        out["enqueue_one_by_one_per_s"] = bench_enqueue_one_by_one(conn, args.jobs)
        log(f"enqueue_many, {args.jobs} jobs")
        out["enqueue_many_per_s"] = bench_enqueue_many(conn, args.jobs)

        if args.skip_forking_worker:
            forking = {"per_s": None, "startup_s": None, "per_s_excluding_startup": None}
        else:
            log(f"burst worker (forking Worker), {args.worker_jobs} jobs")
            forking = bench_burst_worker(conn, args.url, args.worker_jobs, "bench-worker", None)
        out["worker_per_s"] = forking["per_s"]
        out["worker_startup_s"] = forking["startup_s"]
        out["worker_per_s_excluding_startup"] = forking["per_s_excluding_startup"]

        log(f"burst worker (SimpleWorker), {args.worker_jobs} jobs")
        simple = bench_burst_worker(conn, args.url, args.worker_jobs, "bench-simple-worker", "rq.worker.SimpleWorker")
        out["simple_worker_per_s"] = simple["per_s"]
        out["simple_worker_startup_s"] = simple["startup_s"]
        out["simple_worker_per_s_excluding_startup"] = simple["per_s_excluding_startup"]

        log(f"pickup latency (SimpleWorker), {args.pickups} jobs")
        pickup = bench_pickup(conn, args.url, args.pickups, "bench-pickup", "rq.worker.SimpleWorker")
        out["pickup_p50_ms"] = pickup["p50_ms"]
        out["pickup_p99_ms"] = pickup["p99_ms"]

        if args.skip_forking_worker:
            out["pickup_forking_p50_ms"] = out["pickup_forking_p99_ms"] = None
        else:
            log(f"pickup latency (forking Worker), {args.pickups} jobs")
            pickup = bench_pickup(conn, args.url, args.pickups, "bench-pickup-forking", None)
            out["pickup_forking_p50_ms"] = pickup["p50_ms"]
            out["pickup_forking_p99_ms"] = pickup["p99_ms"]
    except (BenchError, redis.RedisError, OSError) as exc:
        log(f"error: {exc}")
        try:
            cleanup(conn, all_queues)
        except redis.RedisError:
            pass
        return 1

    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
