#!/usr/bin/env python3
"""Benchmark Tock's cron engine against the Python peers croniter and cronsim.

Usage (from anywhere; paths are relative to the repository root):

    python3 bench/cron_peers.py                    # full run, updates docs/benchmarks.md
    python3 bench/cron_peers.py --python /tmp/oracle/bin/python   # reuse a venv
    python3 bench/cron_peers.py --tock-json /tmp/tock.json        # Tock figures from a file
    python3 bench/cron_peers.py --no-write --min-time 0.1 --repeats 2   # quick look

What it does, in order:

1. Peers' environment: creates a throwaway virtualenv in a temp dir and installs
   the pinned peers (croniter==7.0.0, cronsim==2.8, tzdata) from PyPI, unless
   --python names an interpreter that already has them.
2. Tock: unless --tock-json is given, makes sure the release binary exists
   (default .build/release/tock; builds it with
   `swift build -c release --product tock` when missing, unless --no-build).
3. Peers: re-runs this file inside the venv (`--worker`) and measures, per case:
   - µs per next(): the iterator is built from a fixed start, 2026-01-01T00:00
     in the case's zone (an aware datetime with zoneinfo.ZoneInfo), then the
     timer covers `fires` successive next() calls (croniter:
     get_next(datetime); cronsim: next(it)). `fires` is 1000, or fewer when the
     sequence would pass the year 9000 (Python's datetime ends at 9999). Such
     runs repeat, each from the same start with a fresh, untimed iterator,
     until a measurement holds ≥ --min-time s (default 0.5) of timed calls; the
     figure is the best of --repeats measurements (default 5), GC disabled.
     The measurements go in rounds over all cases and peers, so the repeats of
     one figure are spread over the whole run rather than taken back to back.
   - µs per parse: constructing the iterator (croniter(expr, start, ...) /
     CronSim(expr, start)) in batches, same ≥ --min-time and best-of rule.
   Six-field expressions have seconds first: croniter gets
   second_at_beginning=True; cronsim reads seconds first natively. A peer that
   rejects a case shows "n/a". The peers' sequences are also compared with each
   other over one run; a disagreement is reported.
4. Tock: runs `tock bench cron --json`, which prints
   {"results": [{"name": ..., "ns_per_next": ..., "us_per_parse": ...}, ...]}
   (Tock measures itself; this script only reads its figures).
5. Writes a markdown section between `<!-- cron-bench:start -->` and
   `<!-- cron-bench:end -->` in docs/benchmarks.md (creating the file if
   missing, appending the markers if absent, leaving the rest intact), and
   prints it to stdout.

Standard library only; croniter and cronsim are imported in the venv only.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER_REQUIREMENTS = ["croniter==7.0.0", "cronsim==2.8", "tzdata"]
PEERS = ["croniter", "cronsim"]

START_MARKER = "<!-- cron-bench:start -->"
END_MARKER = "<!-- cron-bench:end -->"

# (name as printed by `tock bench cron --json`, expression, zone)
CASES = [
    ("*/5 * * * * UTC", "*/5 * * * *", "UTC"),
    ("*/5 * * * * Europe/Berlin", "*/5 * * * *", "Europe/Berlin"),
    ("0 0 29 2 1 UTC", "0 0 29 2 1", "UTC"),
    ("0 0 * 2 mon#5 UTC", "0 0 * 2 mon#5", "UTC"),
    ("30 2 * * * Europe/Berlin", "30 2 * * *", "Europe/Berlin"),
    ("*/10 * * * * * UTC", "*/10 * * * * *", "UTC"),
]

START = (2026, 1, 1, 0, 0)  # wall clock in each case's zone
MAX_FIRES = 1000  # fires per timed run
YEAR_HORIZON = 9000  # stop a run before this year (datetime ends at 9999)
PARSE_BATCH = 100  # constructions per timed batch

# Targets for Tock: (limit, as printed).
NEXT_TARGET_NS = {"*/5 * * * * UTC": (100.0, "≤ 100 ns")}
NEXT_TARGET_DEFAULT_NS = (1000.0, "≤ 1 µs")
PARSE_TARGET_US = (5.0, "≤ 5 µs")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Worker: runs inside the peers' venv.
# --------------------------------------------------------------------------

def _peer_factories():
    """Return {peer: (construct(expr, start), stepper(iterator))}."""
    from datetime import datetime

    from croniter import croniter
    from cronsim import CronSim

    def croniter_new(expr, start):
        if len(expr.split()) == 6:
            return croniter(expr, start, second_at_beginning=True)
        return croniter(expr, start)

    def croniter_step(it):
        get_next = it.get_next
        return lambda: get_next(datetime)

    def cronsim_new(expr, start):
        return CronSim(expr, start)

    def cronsim_step(it):
        return it.__next__

    return {"croniter": (croniter_new, croniter_step), "cronsim": (cronsim_new, cronsim_step)}


def _sequence(new, step, expr, start, limit):
    """Up to `limit` successive fires from `start`, stopping before YEAR_HORIZON."""
    nxt = step(new(expr, start))
    fires = []
    for _ in range(limit):
        t = nxt()
        if t.year >= YEAR_HORIZON:
            break
        fires.append(t)
    return fires


def _measure_next(new, step, expr, start, fires, min_time):
    """Seconds per next() over one measurement of ≥ min_time timed calls."""
    from itertools import repeat

    elapsed, calls = 0.0, 0
    while elapsed < min_time:
        nxt = step(new(expr, start))  # untimed
        t0 = time.perf_counter()
        for _ in repeat(None, fires):
            nxt()
        elapsed += time.perf_counter() - t0
        calls += fires
    return elapsed / calls


def _measure_parse(new, expr, start, min_time):
    """Seconds per construction over one measurement of ≥ min_time."""
    from itertools import repeat

    elapsed, calls = 0.0, 0
    while elapsed < min_time:
        t0 = time.perf_counter()
        for _ in repeat(None, PARSE_BATCH):
            new(expr, start)
        elapsed += time.perf_counter() - t0
        calls += PARSE_BATCH
    return elapsed / calls


def _tz_source() -> str:
    import zoneinfo

    for root in zoneinfo.TZPATH:
        if os.path.isfile(os.path.join(root, "Europe", "Berlin")):
            return f"system ({root})"
    return "tzdata package"


def worker(min_time: float, repeats: int) -> dict:
    from importlib.metadata import version
    from zoneinfo import ZoneInfo

    factories = _peer_factories()
    out = {
        "python": platform.python_version(),
        "versions": {p: version(p) for p in PEERS + ["tzdata"]},
        "tz_source": _tz_source(),
        "cases": [],
    }
    tasks = []  # (result dict to fill, (construct, stepper), expr, start, fires)
    for name, expr, zone in CASES:
        start = _dt.datetime(*START, tzinfo=ZoneInfo(zone))
        case = {"name": name, "fires": None, "peers": {}, "notes": []}
        sequences = {}
        for peer in PEERS:
            new, step = factories[peer]
            try:
                sequences[peer] = _sequence(new, step, expr, start, MAX_FIRES)
            except Exception as exc:  # the peer does not support this case
                case["peers"][peer] = None
                case["notes"].append(f"{peer}: {type(exc).__name__}: {exc}")
                log(f"  {name}: {peer} n/a ({type(exc).__name__}: {exc})")
        if not sequences:
            out["cases"].append(case)
            continue
        fires = min(len(s) for s in sequences.values())
        case["fires"] = fires
        if len(sequences) == 2:
            # Compare instants: aware datetimes sharing a tzinfo compare by wall
            # clock, which hides a repeated hour at a DST fall-back.
            a, b = (sequences[p][:fires] for p in PEERS)
            diff = [i for i, (x, y) in enumerate(zip(a, b)) if x.timestamp() != y.timestamp()]
            if diff:
                i = diff[0]
                note = (f"the peers' sequences differ from fire {i + 1} of {fires}: "
                        f"croniter {a[i].isoformat()}, cronsim {b[i].isoformat()}")
                case["notes"].append(note)
                log(f"  {name}: {note}")
        for peer in sequences:
            case["peers"][peer] = {"us_per_next": math.inf, "us_per_parse": math.inf}
            tasks.append((case["peers"][peer], factories[peer], expr, start, fires))
        out["cases"].append(case)

    # Round-robin: the repeats of each figure are spread over the whole run,
    # so a burst of other load on the machine spoils at most some of them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(repeats):
            log(f"  round {r + 1} of {repeats} ({len(tasks)} peer × case pairs)")
            for result, (new, step), expr, start, fires in tasks:
                per_next = _measure_next(new, step, expr, start, fires, min_time) * 1e6
                per_parse = _measure_parse(new, expr, start, min_time) * 1e6
                result["us_per_next"] = min(result["us_per_next"], per_next)
                result["us_per_parse"] = min(result["us_per_parse"], per_parse)
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


# --------------------------------------------------------------------------
# Driver: standard library only.
# --------------------------------------------------------------------------

def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, **kw)


def first_line(cmd) -> str | None:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (p.stdout or p.stderr).strip()
    return text.splitlines()[0] if p.returncode == 0 and text else None


def make_venv(root: Path) -> Path:
    log(f"creating venv in {root}")
    run([sys.executable, "-m", "venv", str(root)])
    py = root / "bin" / "python"
    log("installing " + " ".join(PEER_REQUIREMENTS))
    run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEER_REQUIREMENTS])
    return py


def run_peers(python: str, min_time: float, repeats: int) -> dict:
    log(f"measuring peers with {python} (min time {min_time} s, best of {repeats})")
    p = run(
        [python, str(Path(__file__).resolve()), "--worker", "--min-time", str(min_time), "--repeats", str(repeats)],
        stdout=subprocess.PIPE,
    )
    return json.loads(p.stdout)


def ensure_tock(path: Path, build: bool) -> Path:
    if path.is_file():
        return path
    if not build:
        sys.exit(f"error: {path} does not exist (and --no-build was given)")
    log("building tock: swift build -c release --product tock")
    run(["swift", "build", "-c", "release", "--product", "tock"], cwd=REPO)
    if not path.is_file():
        sys.exit(f"error: built, but {path} still does not exist")
    return path


def parse_tock_json(text: str, origin: str) -> dict:
    start = text.find("{")
    try:
        data = json.loads(text[start:]) if start >= 0 else None
        results = {r["name"]: r for r in data["results"]}
    except (ValueError, TypeError, KeyError) as exc:
        sys.exit(f"error: cannot read Tock results from {origin}: {exc}")
    known = {name for name, _, _ in CASES}
    for extra in sorted(set(results) - known):
        log(f"warning: Tock reported an unknown case {extra!r}; ignored")
    for missing in [n for n, _, _ in CASES if n not in results]:
        log(f"warning: Tock did not report {missing!r}")
    return results


def run_tock(tock: Path) -> dict:
    log(f"running {tock} bench cron --json")
    p = run([str(tock), "bench", "cron", "--json"], cwd=REPO, stdout=subprocess.PIPE)
    return parse_tock_json(p.stdout, f"{tock} bench cron --json")


def machine_info() -> dict:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = first_line(["nproc"]) or str(os.cpu_count())
    commit = first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    if commit and first_line(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"]):
        commit += " (with local changes)"
    return {
        "cpu": cpu or platform.processor() or platform.machine(),
        "nproc": nproc,
        "os": f"{platform.system()} {platform.release()}",
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "swift": first_line(["swift", "--version"]) or "unavailable",
        "commit": commit,
    }


# ------------------------------ formatting --------------------------------

def sig(x: float | None, digits: int = 3) -> str:
    """`x` to `digits` significant figures, never in exponent notation."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    return f"{x:,.{decimals}f}"


def ratio(peer: float | None, tock: float | None) -> str:
    if peer is None or not tock:
        return "n/a"
    return "×" + sig(peer / tock)


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "missing"
    return "pass" if value <= target else "**fail**"


def table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    align = [":---" if i < right_from else "---:" for i in range(len(header))]
    return ["| " + " | ".join(r) + " |" for r in [header, align, *rows]]


def render(machine: dict, peers: dict, tock: dict, tock_origin: str, min_time: float, repeats: int) -> str:
    by_name = {c["name"]: c for c in peers["cases"]}

    def peer_value(name, peer, key):
        entry = by_name.get(name, {}).get("peers", {}).get(peer)
        return entry[key] if entry else None

    def tock_value(name, key):
        value = tock.get(name, {}).get(key)
        return float(value) if isinstance(value, (int, float)) else None

    next_rows, parse_rows = [], []
    for name, _, _ in CASES:
        t_next = tock_value(name, "ns_per_next")
        t_next_us = t_next / 1000 if t_next is not None else None
        target, target_text = NEXT_TARGET_NS.get(name, NEXT_TARGET_DEFAULT_NS)
        ci, cs = (peer_value(name, p, "us_per_next") for p in PEERS)
        fires = by_name.get(name, {}).get("fires")
        next_rows.append([
            f"`{name}`", str(fires) if fires else "n/a", sig(t_next), sig(ci), sig(cs),
            ratio(ci, t_next_us), ratio(cs, t_next_us), target_text, verdict(t_next, target),
        ])
        t_parse = tock_value(name, "us_per_parse")
        pi, ps = (peer_value(name, p, "us_per_parse") for p in PEERS)
        parse_rows.append([
            f"`{name}`", sig(t_parse), sig(pi), sig(ps),
            ratio(pi, t_parse), ratio(ps, t_parse), PARSE_TARGET_US[1], verdict(t_parse, PARSE_TARGET_US[0]),
        ])

    v = peers["versions"]
    lines = [
        "## Cron engine: Tock vs croniter and cronsim",
        "",
        f"- Machine: {machine['cpu']}, {machine['nproc']} CPUs (nproc), {machine['os']}; measured {machine['date']}.",
        f"- Versions: {machine['swift']}; Python {peers['python']}, croniter {v['croniter']}, "
        f"cronsim {v['cronsim']} (time zones: {peers['tz_source']}, tzdata {v['tzdata']}).",
    ]
    if machine["commit"]:
        lines.append(f"- Tock commit: {machine['commit']}.")
    lines += [
        f"- Tock figures: {tock_origin}.",
        "- Reproduce: `python3 bench/cron_peers.py` (builds `.build/release/tock` if missing, "
        "installs the peers in a throwaway venv, rewrites this section).",
        "",
        "### Next fire time",
        "",
        *table(
            ["Case", "Fires per run", "Tock ns/next", "croniter µs/next", "cronsim µs/next",
             "croniter ÷ Tock", "cronsim ÷ Tock", "Target (Tock)", "Tock"],
            next_rows,
        ),
        "",
        "### Parse",
        "",
        *table(
            ["Case", "Tock µs/parse", "croniter µs/parse", "cronsim µs/parse",
             "croniter ÷ Tock", "cronsim ÷ Tock", "Target (Tock)", "Tock"],
            parse_rows,
        ),
        "",
        "How the peers are measured: each case starts from 2026-01-01T00:00 in its zone "
        "(aware `datetime` with `zoneinfo.ZoneInfo`). *Per next*: runs of *fires per run* successive "
        "next fire times (croniter `get_next(datetime)`, cronsim `next(it)`), each run from a fresh, "
        "untimed iterator, a run stopping short of the year 9000; *per parse*: constructing the iterator "
        "(`croniter(expr, start)`, with `second_at_beginning=True` for six fields; `CronSim(expr, start)`). "
        f"Each figure is the best of {repeats} measurements of at least {min_time:g} s each, taken in rounds "
        "over all cases (so a figure's repeats are spread over the run), GC disabled. "
        "Six-field expressions have seconds first. Tock's figures are its own, from `tock bench cron --json`. "
        "Ratios are peer time ÷ Tock time.",
    ]
    notes = [f"`{c['name']}`: {n}" for c in peers["cases"] for n in c["notes"]]
    if notes:
        lines += ["", "Notes:", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    block = f"{START_MARKER}\n{section}{END_MARKER}\n"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        intro = (
            "# Benchmarks\n\n"
            "Performance figures for Tock, measured on the project's development machine and "
            "compared with established peers where there are any. Each section says how it was "
            "measured and the command that regenerates it; the generated parts sit between HTML "
            "comment markers and are rewritten by those commands, so edit outside them.\n\n"
        )
        path.write_text(intro + block)
        return
    text = path.read_text()
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 and end < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + block)
    elif start < 0 or end < start:
        sys.exit(f"error: {path} has unbalanced cron-bench markers; fix them by hand")
    else:
        tail = text[end + len(END_MARKER):]
        path.write_text(text[:start] + block.rstrip("\n") + tail)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", help="interpreter that already has croniter, cronsim and tzdata (skips the venv)")
    ap.add_argument("--tock", default=".build/release/tock", help="Tock binary (default: %(default)s, relative to the repo)")
    ap.add_argument("--tock-json", help="read Tock's `bench cron --json` output from this file instead of running it")
    ap.add_argument("--no-build", action="store_true", help="fail instead of building a missing Tock binary")
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds of timed work per measurement (default %(default)s)")
    ap.add_argument("--repeats", type=int, default=5, help="measurements per figure, best kept (default %(default)s)")
    ap.add_argument("--output", default="docs/benchmarks.md", help="markdown file to update (default %(default)s)")
    ap.add_argument("--no-write", action="store_true", help="print the section only")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        json.dump(worker(args.min_time, args.repeats), sys.stdout)
        return

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5:
        log(f"warning: 1-minute load average is {load:.2f}; other work on this machine skews the figures")

    tock_path = None
    if not args.tock_json:
        tock_path = ensure_tock(REPO / args.tock, build=not args.no_build)

    if args.python:
        peers = run_peers(args.python, args.min_time, args.repeats)
    else:
        with tempfile.TemporaryDirectory(prefix="tock-cron-peers-") as tmp:
            peers = run_peers(str(make_venv(Path(tmp))), args.min_time, args.repeats)
    want = dict(r.split("==") for r in PEER_REQUIREMENTS if "==" in r)
    for name, pinned in want.items():
        if peers["versions"][name] != pinned:
            log(f"warning: {name} is {peers['versions'][name]}, not the pinned {pinned}")

    if args.tock_json:
        tock = parse_tock_json(Path(args.tock_json).read_text(), args.tock_json)
        origin = f"read from `{args.tock_json}`, not measured in this run"
    else:
        tock = run_tock(tock_path)
        origin = "`tock bench cron --json` (release build), run right after the peers"

    section = render(machine_info(), peers, tock, origin, args.min_time, args.repeats)
    print(section)
    if not args.no_write:
        out = REPO / args.output
        write_section(out, section)
        log(f"wrote {out}")


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as exc:
        sys.exit(f"error: {' '.join(map(str, exc.cmd))} exited with status {exc.returncode}")
