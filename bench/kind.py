"""kind profile figures:

- images: seconds to make sure every image exists (a cold build the first
  time on a machine, a cache check afterwards; the builder prints each build)
- warm cluster -> Service Catalog in pods -> a broker container registered and
  Ready (target: <= 3 min), split into its phases
- with --whole-run: `pytest features/ --cluster=kind` end to end (target: <= 6 min)

Usage: .venv/bin/python bench/kind.py [--whole-run]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]  # the features run from here

from kubernetes import client

from fixtures.profiles.suite import Suite
from fixtures.actors.brokers.mock import BearerAuth, MockBroker
from fixtures.actors.brokers.osb import builtin_catalog
from fixtures.platform.catalog.registration import SecretRef, apply_manifest, broker_watch, create_auth_secret, page_cluster_service_broker, wait_until_ready
from fixtures.core.kube import api_client


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--whole-run", action="store_true", help="also time the whole kind feature run")
    args = parser.parse_args()
    figures: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        logs = Path(tmp)
        suite = Suite.for_cluster("kind", logs)  # the suite's own composition root
        suite.toolchain.ensure()
        started = time.monotonic()
        with suite.cluster() as access:
            figures.append(("images (cached or built) + cluster create + node Ready", time.monotonic() - started))
            phase = time.monotonic()
            with suite.service_catalog(access) as catalog, api_client(access.kubeconfig) as api:
                figures.append(("Service Catalog chart installed, pods available", time.monotonic() - phase))
                phase = time.monotonic()
                placements = suite.placements(access)
                with placements as placement_for, MockBroker(
                    builtin_catalog("aws-minimal"), logs, auth=BearerAuth.generate(), tls="trusted", placement=placement_for("bench"),
                ) as broker:
                    figures.append(("broker container serving", time.monotonic() - phase))
                    phase = time.monotonic()
                    client.CoreV1Api(api).create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="bench")))
                    secret = create_auth_secret(client.CoreV1Api(api), SecretRef("bench", "creds"), broker.auth.secret_data())
                    manifest = page_cluster_service_broker("bench", broker.url, secret, "bearer", ca_bundle=broker.ca_pem)
                    with broker_watch(api, "bench") as watch:
                        apply_manifest(catalog.kubectl, manifest)
                        wait_until_ready(watch, 300)
                    figures.append(("ClusterServiceBroker applied -> Ready", time.monotonic() - phase))
            figures.append(("TOTAL cluster -> broker Ready (target <= 180 s)", time.monotonic() - started))
    if args.whole_run:
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "pytest", "features/", "--cluster=kind", "-q"], cwd=REPO_ROOT)
        figures.append((f"whole kind feature run, exit {result.returncode} (target <= 360 s)", time.monotonic() - started))
    width = max(len(name) for name, _ in figures)
    for name, seconds in figures:
        print(f"{name:<{width}}  {seconds:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
