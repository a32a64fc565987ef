"""Kf 2.11 figures, medians over runs, on the embedded cluster
(the controller a process) or a kind cluster (the controller a pod; hold the
machine's kind lock: `flock /tmp/asb-kind.lock ...`):

- Kf 2.11's controller: start -> ready (informers synced; for the process also
  its health port answering; for the pod, from the Deployment's creation),
  warm (objects applied and the image loaded already; target <= 5 s)
- `kf create-service-broker` to the 27-service mock broker -> `kf marketplace`
  listing all 27 of its services (target <= 15 s)

Usage: .venv/bin/python bench/kf2.py [--runs N] [--sources DIR] [--cluster embedded|kind]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


from fixtures.profiles.suite import Suite
from fixtures.actors.brokers.mock import BasicAuth, MockBroker
from fixtures.actors.brokers.osb import builtin_catalog
from fixtures.core.errors import SuiteError
from fixtures.actors.kf2 import brokers
from fixtures.actors.kf2.cli import Kf2Cli, parse_kf2_table, services_of
from fixtures.core.kube import api_client
from fixtures.platform.toolchain.sources import sources_dir_from
from fixtures.core.waiting import Observation, wait_for

LISTING_DEADLINE = 120.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sources", default=None, help="a folder holding kf-v2.11.32/ (env ASB_CONFORMANCE_SOURCES)")
    parser.add_argument("--cluster", default="embedded", choices=("embedded", "kind"), help="where: the controller a process (embedded) or a pod (kind)")
    args = parser.parse_args()
    catalog = builtin_catalog("aws-full")
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-kf2-") as tmp:
        logs = Path(tmp)
        # The suite's own composition root: the profile decides process or pod.
        suite = Suite.for_cluster(args.cluster, logs, extra_profiles=("kf2",), sources=sources_dir_from(args.sources))
        toolchain = suite.toolchain
        try:
            toolchain.ensure()
        except SuiteError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        with suite.cluster() as access, api_client(access.kubeconfig) as api:
            starts: list[float] = []
            for _ in range(args.runs + 1):  # the first start also applies Kf's objects (and loads the image): not counted (warm figure)
                with suite.kf2_controller(access, toolchain) as controller:
                    assert controller.ready_seconds is not None
                    starts.append(controller.ready_seconds)
            where = controller.where
            kf = Kf2Cli(toolchain.path("kf2"), access.kubeconfig, logs / "commands.log", logs)
            listings: list[float] = []
            with suite.placements(access) as placement_for:
                placement = placement_for("default")
                with suite.kf2_controller(access, toolchain), MockBroker(catalog, logs, auth=BasicAuth.generate(), placement=placement) as broker:
                    assert isinstance(broker.auth, BasicAuth)
                    expected = sorted(s.name for s in catalog.services)
                    for run in range(args.runs):
                        name = f"bench-{run}"
                        started = time.monotonic()
                        result = kf.create_service_broker(name, broker.auth.username, broker.auth.password, broker.url)
                        assert result.returncode == 0, result.stdout + result.stderr

                        def observe() -> Observation[None]:
                            listed = services_of(parse_kf2_table(kf.marketplace("default")), name)
                            return Observation(listed == expected, None, f"{len(listed)} of {len(expected)} services listed")

                        wait_for(f"kf marketplace to list the 27 services of {name}", observe, LISTING_DEADLINE, interval=0.2)
                        listings.append(time.monotonic() - started)
                        brokers.remove(api, brokers.KfBroker(name), 60)
    print(f"--cluster={args.cluster}: Kf 2.11's controller {where}")
    print(f"Kf 2.11 controller start -> ready (warm), median of {args.runs}: {statistics.median(starts[1:]):.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in starts[1:])}; first start with the objects applied: {starts[0]:.2f} s; target <= 5 s)")
    print(f"kf create-service-broker -> kf marketplace lists the 27 services, median of {args.runs}: {statistics.median(listings):.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in listings)}; target <= 15 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
