"""The whole feature run, serial and in parallel, medians over runs:

- wall time of `pytest features/` per worker count (0 = no xdist), the target
  for the embedded run being <= 60 s warm on this machine's 2 cores;
- where the time went, from each run's timings.json: what the run started once
  (cluster, Service Catalog, Kf 2.11's controller) and the scenarios' seconds by
  phase (set-up, registration to Ready, assertions, teardown), summed over
  scenarios (in parallel they overlap, so the sum exceeds the wall time).

Each run is a real `pytest features/` in its own process, like a user's. On
this machine two embedded runs cannot share port 8080 (Service Catalog's
webhook): run the bench alone, or inside its own network namespace
(`unshare -n`, as `make bench-features` does as root).

Usage: .venv/bin/python bench/features.py [--workers 0,auto] [--runs N] [--cluster embedded] [-- PYTEST_ARGS]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def one_run(workers: str, cluster: str, extra: list[str], reports: Path) -> tuple[float, dict, str]:
    argv = [sys.executable, "-m", "pytest", "features/", "-q", "-p", "no:cacheprovider", f"--cluster={cluster}", f"--reports-dir={reports}", *extra]
    if workers != "0":
        argv += ["-n", workers]
    started = time.monotonic()
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - started
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    timings = json.loads((reports / "latest" / "timings.json").read_text()) if (reports / "latest" / "timings.json").exists() else {}
    return wall, timings, f"exit {result.returncode}: {summary}"


def in_the_way(timings: dict, target: float) -> list[str]:
    """What keeps a run above the target: each scenario longer than the target (no scheduling ends
    the run before it ends; its longest phase says whether it waited on Kf's retries, Service
    Catalog or its turn), and each control plane's Service Catalog client held back for longer."""
    said = []
    for scenario in timings.get("scenarios") or []:
        if scenario["total"] > target:
            phase = max(("set-up", "registration to Ready", "assertions", "teardown"), key=lambda name: scenario.get(name, 0.0))
            title = scenario["name"].split(": ", 1)[-1][:90]  # the scenario's own name, after its feature's
            said.append(f"{title}: {scenario['total']:.0f} s, {scenario.get(phase, 0.0):.0f} s of it {phase} (waits for turns included)")
    throttling = timings.get("service_catalog_client_throttling") or {}
    planes = throttling if "requests_held_back" not in throttling else {"": throttling}
    for plane, account in planes.items():
        if account.get("first_to_last_seconds", 0.0) > target:
            said.append(f"Service Catalog's client{' on ' + plane if plane else ''}: {account['requests_held_back']} requests held back "
                        f"at 5 requests/s over {account['first_to_last_seconds']:.0f} s")
    return said


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="0,auto", help="comma-separated xdist worker counts (0: no xdist)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cluster", default="embedded")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    for workers in args.workers.split(","):
        walls: list[float] = []
        last: dict = {}
        # One reports folder per series, as a user's reports/: from the second run on, the scenarios are
        # shared out over the control planes by the previous run's times (fixtures/plugin/scheduling.py).
        with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
            for run in range(args.runs):
                wall, timings, outcome = one_run(workers, args.cluster, args.pytest_args, Path(tmp))
                walls.append(wall)
                last = timings or last
                print(f"workers={workers} run {run + 1}: {wall:.1f} s ({outcome})", flush=True)
        print(f"workers={workers}: feature run wall time, median of {args.runs}: {statistics.median(walls):.1f} s (target <= 60 s embedded, <= 180 s kind)")
        for name, seconds in (last.get("session_starts") or {}).items():
            print(f"workers={workers}:   started once: {name} {seconds:.1f} s")
        for phase, seconds in (last.get("scenario_seconds_by_phase") or {}).items():
            print(f"workers={workers}:   scenarios, summed: {phase} {seconds:.1f} s")
        for scenario in (last.get("scenarios") or [])[:3]:
            print(f"workers={workers}:   slowest: {scenario['name'][:90]} {scenario['total']:.1f} s")
        target = 60.0 if args.cluster == "embedded" else 180.0
        if statistics.median(walls) > target:
            for line in in_the_way(last, target):
                print(f"workers={workers}:   in the way of {target:g} s: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
